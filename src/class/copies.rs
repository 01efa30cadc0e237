//! Copies in a class: learners whose submissions are the same after normalisation, and
//! learners who handed in the lab's reference solution.
//!
//! - **Normalised form** of a submission: its objects as parsed (so comments, key order,
//!   quoting styles, indentation, document separators and file names make no
//!   difference), each as canonical JSON (keys sorted), the list sorted. Two learners
//!   with the same form handed in the same objects.
//! - **The reference solution**: a learner whose files are the reference solution's
//!   files (of their variant) verbatim, up to line endings and trailing whitespace.
//! - Correct answers of a small lab converge on the reference's objects; learners whose
//!   common form *is* the reference solution's form are therefore not flagged as copies
//!   of each other (the reference flag above catches a verbatim copy of it).

use crate::lab::Lab;
use crate::manifest::Submission;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// What the copy check keeps of one learner's submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// A hash of the normalised form.
    pub normalised: u64,
    /// The normalised form is the reference solution's.
    pub is_reference_form: bool,
    /// The files are the reference solution's, verbatim.
    pub is_reference_verbatim: bool,
}

/// The hash of the normalised form of `objects` (see the module documentation).
fn normalised<'a>(objects: impl Iterator<Item = &'a serde_json::Value>) -> u64 {
    let mut forms: Vec<String> = objects.map(|v| v.to_string()).collect();
    forms.sort();
    let mut hasher = DefaultHasher::new();
    forms.hash(&mut hasher);
    hasher.finish()
}

/// A file's text with `\r\n` as `\n` and no trailing whitespace on any line or at the end.
fn plain(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

/// The fingerprint of `submission` against `lab`'s reference solution (the lab as the
/// learner was graded on it: their variant's solution).
pub fn fingerprint(submission: &Submission, lab: &Lab) -> Fingerprint {
    let solution = lab.solution_files();
    let mut reference_objects = Vec::new();
    for (name, text) in &solution {
        if let Ok(objects) = crate::manifest::load_text(name, text) {
            reference_objects.extend(objects.into_iter().map(|o| o.value));
        }
    }
    let normalised_form = normalised(submission.objects.iter().map(|o| &o.value));
    let mut theirs: Vec<String> = submission.files.iter().map(|f| plain(&f.text)).collect();
    let mut reference: Vec<String> = solution.iter().map(|(_, text)| plain(text)).collect();
    theirs.sort();
    reference.sort();
    Fingerprint {
        normalised: normalised_form,
        is_reference_form: !reference_objects.is_empty()
            && normalised_form == normalised(reference_objects.iter()),
        is_reference_verbatim: !reference.is_empty() && theirs == reference,
    }
}

/// The groups of learners (ids, sorted) that share a normalised form other than the
/// reference solution's: two or more learners each.
pub fn groups<'a>(
    learners: impl IntoIterator<Item = (&'a str, &'a Fingerprint)>,
) -> Vec<Vec<String>> {
    let mut by_form: std::collections::BTreeMap<u64, Vec<String>> = Default::default();
    for (learner, fingerprint) in learners {
        if !fingerprint.is_reference_form {
            by_form
                .entry(fingerprint.normalised)
                .or_default()
                .push(learner.to_string());
        }
    }
    let mut groups: Vec<Vec<String>> = by_form
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort();
            g
        })
        .collect();
    groups.sort();
    groups
}
