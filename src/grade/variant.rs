//! Notes for a learner graded against a variant who wrote the seed exercise's values:
//! where their files still say `6379` while their variant's port is `6390`.

use crate::i18n::Message;
use crate::lab::Lab;
use crate::lab::variant::occurrences;
use crate::manifest::Submission;

/// One note per changed parameter whose seed value (its default) stands as a whole word
/// in the learner's files outside comments, at its first place: `file:line: in your
/// variant (`han`) the DB's (Redis) port is `6390`, not `6379` as in the seed exercise`. Nothing for
/// the seed's exercise itself, for computed parameters, or for a value the files do not
/// have.
pub fn default_value_notes(lab: &Lab, submission: &Submission) -> Vec<Message> {
    let Some(seed) = lab.variant.as_deref() else {
        return Vec::new();
    };
    let changed: Vec<(String, String, String)> = lab
        .changed_values()
        .into_iter()
        .filter(|(name, _, _)| lab.params.contains_key(name))
        .collect();
    let defaults: Vec<&str> = changed.iter().map(|(_, d, _)| d.as_str()).collect();
    // (file index, line index) of each parameter's first place.
    let mut first: Vec<Option<(usize, usize)>> = vec![None; changed.len()];
    for (f, file) in submission.files.iter().enumerate() {
        for (index, line) in file.text.lines().enumerate() {
            for (_, which) in occurrences(without_comment(line), &defaults) {
                first[which].get_or_insert((f, index));
            }
        }
    }
    type Place<'a> = ((usize, usize), &'a (String, String, String));
    let mut found: Vec<Place> = first
        .into_iter()
        .zip(&changed)
        .filter_map(|(at, param)| Some((at?, param)))
        .collect();
    found.sort_by_key(|(at, _)| *at);
    found
        .into_iter()
        .map(|((f, line), (name, default, value))| {
            crate::msg!(
                "grade-note-variant-default",
                at = format!("{}:{}", submission.files[f].display, line + 1),
                about = &lab.params[name].about,
                value = value.as_str(),
                default = default.as_str(),
                variant = seed
            )
        })
        .collect()
}

/// A note for a learner graded against the seed exercise whose objects carry a
/// variant's names (they forgot `--variant`): when a seed among `candidates` (the
/// submission's folder names, the user's name) gives a variant whose every asked object
/// is in the submission, "these names are variant `SEED`'s: grade with `--variant SEED`";
/// else, when a submitted object's name is one of the lab's variant values (a `one-of`
/// value that is not the seed's), the same advice without the seed. `None` when graded
/// against a variant already, or when the names are the seed exercise's.
pub fn forgotten_variant_note(
    lab: &Lab,
    submission: &Submission,
    candidates: &[String],
) -> Option<Message> {
    if lab.variant.is_some() || !lab.varies() {
        return None;
    }
    let submitted = |kind: &str, name: &str| {
        submission
            .objects
            .iter()
            .any(|o| o.kind == kind && o.name == name)
    };
    let asked = |l: &Lab| -> Vec<(String, String)> {
        l.steps
            .iter()
            .flat_map(|s| s.submit.iter().map(|x| (x.kind.clone(), x.name.clone())))
            .collect()
    };
    // The seed exercise's own names are there: nothing forgotten.
    let own = asked(lab);
    if own.is_empty() || own.iter().any(|(k, n)| submitted(k, n)) {
        return None;
    }
    for seed in candidates {
        let Ok(variant) = lab.variant(Some(seed)) else {
            continue;
        };
        let wanted = asked(&variant);
        if wanted != own && wanted.iter().all(|(k, n)| submitted(k, n)) {
            return Some(crate::msg!(
                "grade-note-forgot-variant-seed",
                seed = seed.as_str()
            ));
        }
    }
    let variant_values: Vec<&String> = lab
        .params
        .values()
        .filter_map(|p| match &p.vary {
            Some(crate::lab::Vary::OneOf(values)) => {
                Some(values.iter().filter(move |v| **v != p.default))
            }
            _ => None,
        })
        .flatten()
        .collect();
    let named = submission
        .objects
        .iter()
        .find(|o| variant_values.contains(&&o.name))?;
    Some(crate::msg!(
        "grade-note-forgot-variant",
        kind = named.kind.as_str(),
        name = named.name.as_str()
    ))
}

/// The seeds a learner may have been given, guessed from where their files are: each
/// folder name on the way to a file (a class hand-in is `han/…`, an exam task folder
/// `…/han/task-1`), and the user's name.
pub fn candidate_seeds(submission: &Submission) -> Vec<String> {
    let mut seeds: Vec<String> = Vec::new();
    for file in &submission.files {
        let path = std::path::Path::new(&file.display);
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        for dir in absolute.ancestors().skip(1).take(4) {
            if let Some(name) = dir.file_name().and_then(|n| n.to_str())
                && !seeds.iter().any(|s| s == name)
            {
                seeds.push(name.to_string());
            }
        }
    }
    if let Ok(user) = std::env::var("USER")
        && !user.is_empty()
        && !seeds.contains(&user)
    {
        seeds.push(user);
    }
    seeds
}

/// The line up to a YAML comment (`#` at the start or after a space); a `#` inside a
/// quoted scalar is rare enough in a manifest to be cut too.
fn without_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #") {
        Some(at) => &line[..at],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Catalog;

    #[test]
    fn the_seed_answer_to_a_variant_gets_a_located_note_per_changed_value() {
        let catalog = Catalog::embedded().unwrap();
        let lab = catalog
            .get("network-policy")
            .unwrap()
            .variant(Some("42"))
            .unwrap();
        let text = lab
            .solution
            .iter()
            .find(|(n, _)| n == "api-allow-policy.yaml")
            .unwrap()
            .1
            .clone();
        let submission = Submission {
            objects: crate::manifest::load_text("api-allow-policy.yaml", &text).unwrap(),
            files: vec![std::sync::Arc::new(crate::manifest::SourceFile {
                display: "api-allow-policy.yaml".into(),
                text: text.clone(),
            })],
            notes: Vec::new(),
        };
        let notes: Vec<String> = default_value_notes(&lab, &submission)
            .iter()
            .map(|n| n.to_string())
            .collect();
        let port = lab.values["db_port"].clone();
        assert!(
            notes.iter().any(|n| n.starts_with(
                "api-allow-policy.yaml:19: in your variant (`42`) the DB's (Redis) port is"
            ) && n.contains(&format!("`{port}`"))
                && n.contains("`6379`")),
            "{notes:#?}"
        );
        // The label `app: api` and the policy's name are found; `apiVersion` is not `api`.
        assert_eq!(notes.len(), 4, "{notes:#?}");
        let seed_lab = catalog.get("network-policy").unwrap();
        assert!(default_value_notes(seed_lab, &submission).is_empty());
    }
}
