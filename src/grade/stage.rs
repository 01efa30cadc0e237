//! Which step applies which of the learner's objects. Offline and live grading stage the
//! same way, so a step sees the objects a learner following the task would have applied
//! by then, and no later ones.

use crate::i18n::Message;
use crate::lab::Lab;
use crate::manifest::{Object, Submission};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Kinds a learner may add beside the ones a lab asks for (they may matter: a service
/// account's pull secrets, a policy under another name).
const COMPANION_KINDS: [&str; 6] = [
    "Secret",
    "ServiceAccount",
    "ConfigMap",
    "Service",
    "Pod",
    "NetworkPolicy",
];

pub struct Staging<'s> {
    pub per_step: Vec<Vec<&'s Object>>,
    /// Objects of kinds the lab does not use, ignored, as `file:line: what`.
    pub notes: Vec<Message>,
    /// Those ignored objects themselves (a `Deployment secure-pod` where a step asks for
    /// a `Pod secure-pod`: the failure then points at it).
    pub ignored: Vec<&'s Object>,
}

/// An object a step names goes with that step. Another object goes with the step whose
/// named object shares its file, else the step whose task file has its file name, else the
/// last step submitting its kind, else the first step that submits anything.
///
/// Linear in the number of objects (times the lab's steps): each file's step is found
/// once, not by scanning the submission for every object.
pub fn stage<'s>(
    lab: &Lab,
    fixture_kinds: &BTreeSet<&str>,
    submission: &'s Submission,
) -> Staging<'s> {
    let mut per_step: Vec<Vec<&Object>> = vec![Vec::new(); lab.steps.len()];
    let mut notes = submission.notes.clone();
    let mut ignored = Vec::new();
    let named = |object: &Object| {
        lab.steps.iter().position(|s| {
            s.submit
                .iter()
                .any(|x| x.kind == object.kind && x.name == lab.qualified_name(object))
        })
    };
    let file_name = |object: &Object| {
        Path::new(&object.source.display)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    // The step of the first named object of each file.
    let mut file_step: HashMap<&str, usize> = HashMap::new();
    for object in &submission.objects {
        if let Some(step) = named(object) {
            file_step
                .entry(object.source.display.as_str())
                .or_insert(step);
        }
    }
    for object in &submission.objects {
        if let Some(step) = named(object) {
            per_step[step].push(object);
            continue;
        }
        let used = COMPANION_KINDS.contains(&object.kind.as_str())
            || fixture_kinds.contains(object.kind.as_str())
            || lab
                .steps
                .iter()
                .any(|s| s.submit.iter().any(|x| x.kind == object.kind));
        if !used {
            let at = object.location();
            notes.push(crate::msg!(
                "grade-note-ignored",
                at = format!("{}:{}", at.file, at.line),
                kind = &object.kind,
                name = &object.name
            ));
            ignored.push(object);
            continue;
        }
        let same_file = file_step.get(object.source.display.as_str()).copied();
        let task_file = || {
            let name = file_name(object);
            lab.steps
                .iter()
                .position(|s| s.submit.iter().any(|x| x.file == name))
        };
        let same_kind = || {
            lab.steps
                .iter()
                .rposition(|s| s.submit.iter().any(|x| x.kind == object.kind))
        };
        let first_submitting = || lab.steps.iter().position(|s| !s.submit.is_empty());
        let step = same_file
            .or_else(task_file)
            .or_else(same_kind)
            .or_else(first_submitting)
            .unwrap_or(0);
        per_step[step].push(object);
    }
    // What configures admission goes first, as a learner applies the namespace before
    // what runs in it: the namespace's labels, then policies, then their bindings.
    for objects in &mut per_step {
        objects.sort_by_key(|o| admission_rank(&o.kind));
    }
    notes.extend(duplicate_notes(submission));
    notes.extend(super::variant::default_value_notes(lab, submission));
    notes.extend(super::variant::forgotten_variant_note(
        lab,
        submission,
        &super::variant::candidate_seeds(submission),
    ));
    Staging {
        per_step,
        notes,
        ignored,
    }
}

/// The order a step applies kinds in: the `Namespace` (its Pod Security labels), the
/// `ValidatingAdmissionPolicy`, its binding, then everything else in submission order.
pub fn admission_rank(kind: &str) -> u8 {
    match kind {
        "Namespace" => 0,
        "ValidatingAdmissionPolicy" => 1,
        "ValidatingAdmissionPolicyBinding" => 2,
        _ => 3,
    }
}

/// One note per object defined more than once (same kind and name): where every copy is,
/// and which one is graded — the last in the order the files are read (sorted paths, as
/// `kubectl apply -R -f` walks a folder), since each apply replaces the one before.
fn duplicate_notes(submission: &Submission) -> Vec<Message> {
    let mut copies: HashMap<(&str, &str), Vec<&Object>> = HashMap::new();
    let mut order = Vec::new();
    for object in &submission.objects {
        let key = (object.kind.as_str(), object.name.as_str());
        let list = copies.entry(key).or_default();
        if list.is_empty() {
            order.push(key);
        }
        list.push(object);
    }
    order
        .into_iter()
        .filter_map(|key| {
            let list = &copies[&key];
            let last = list.last()?;
            (list.len() > 1).then(|| {
                let at = |o: &Object| {
                    let l = o.location();
                    format!("{}:{}", l.file, l.line)
                };
                let all: Vec<String> = list.iter().map(|o| at(o)).collect();
                crate::msg!(
                    "grade-note-duplicate",
                    at = at(last),
                    kind = key.0,
                    name = key.1,
                    count = list.len(),
                    copies = all.join(", ")
                )
            })
        })
        .collect()
}
