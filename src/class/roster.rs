//! `kubelab class --roster FILE`: the gradebook's students, so that the reports carry
//! the gradebook's ids and say who handed nothing in.
//!
//! The roster is a CSV with a header row naming its columns (in any order; other columns
//! are ignored):
//!
//! - `submission` (or `folder`, `archive`): the learner's folder or archive name in the
//!   class folder (`김하늘_1234567_assignsubmission_file_`, `kim.zip`);
//! - `student_id` (or `id`): the gradebook's id;
//! - `name` and `email` (optional).
//!
//! Names are compared in Unicode NFC and without an archive extension, as learner ids
//! are ([`super::discover_except`]).

use crate::i18n::Message;
use crate::msg;
use std::collections::BTreeMap;
use std::path::Path;

/// One student of the gradebook.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Student {
    /// The gradebook's id.
    pub id: String,
    pub name: String,
    pub email: String,
}

/// The roster: learner id (NFC, no archive extension) → student, in the file's order.
#[derive(Clone, Debug, Default)]
pub struct Roster {
    /// (learner id, student), in the file's order.
    pub entries: Vec<(String, Student)>,
}

impl Roster {
    /// Reads the roster at `path`; an unreadable file, a missing column or a name given
    /// twice is the run's usage error (the message names the file and the line).
    pub fn load(path: &Path) -> Result<Self, Message> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            msg!(
                "class-roster-unreadable",
                file = shown.as_str(),
                reason = e.to_string()
            )
        })?;
        Self::parse(&shown, text.trim_start_matches('\u{feff}'))
    }

    /// [`Roster::load`] of `text`, read from `file`.
    pub fn parse(file: &str, text: &str) -> Result<Self, Message> {
        let unreadable = |e: csv::Error| {
            msg!(
                "class-roster-unreadable",
                file = file,
                reason = e.to_string()
            )
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(unreadable)?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
        let (Some(submission), Some(id)) = (
            column(&["submission", "folder", "archive"]),
            column(&["student_id", "id"]),
        ) else {
            return Err(msg!("class-roster-columns", file = file));
        };
        let (name, email) = (column(&["name"]), column(&["email"]));
        let mut entries: Vec<(String, Student)> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(unreadable)?;
            let cell = |i: Option<usize>| {
                i.and_then(|i| record.get(i))
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            };
            let key = learner_key(&cell(Some(submission)));
            if key.is_empty() {
                continue;
            }
            let line = record.position().map_or(0, |p| p.line());
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(msg!(
                    "class-roster-twice",
                    file = file,
                    line = line.to_string(),
                    submission = key.as_str()
                ));
            }
            entries.push((
                key,
                Student {
                    id: cell(Some(id)),
                    name: cell(name),
                    email: cell(email),
                },
            ));
        }
        Ok(Self { entries })
    }

    /// The student whose submission is learner `id`.
    pub fn get(&self, id: &str) -> Option<&Student> {
        let key = super::nfc(id);
        self.entries.iter().find(|(k, _)| *k == key).map(|(_, s)| s)
    }

    /// Learner id → student.
    pub fn map(&self) -> BTreeMap<String, Student> {
        self.entries.iter().cloned().collect()
    }
}

/// A roster's submission name as a learner id: NFC, without a trailing `/` or an
/// archive extension.
fn learner_key(name: &str) -> String {
    let name = name.trim_end_matches('/');
    let id = super::archive::classify(name).map_or(name, |(id, _)| id);
    super::nfc(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_name_names_in_nfc() {
        let roster = Roster::parse(
            "r.csv",
            "email,Student_ID,name,submission\n\
             kim@x.kr,1234567,김하늘,\u{1112}\u{1161}\u{1102}\u{1173}\u{11af}.zip\n\
             lee@x.kr,7654321,이준,lee/\n",
        )
        .unwrap();
        assert_eq!(roster.get("하늘").unwrap().id, "1234567");
        assert_eq!(roster.get("lee").unwrap().email, "lee@x.kr");
        assert!(roster.get("park").is_none());
    }

    #[test]
    fn a_roster_without_the_columns_or_with_a_name_twice_is_refused() {
        let missing = Roster::parse("r.csv", "name,email\n").unwrap_err();
        assert!(missing.contains("`submission`"), "{missing}");
        let twice = Roster::parse("r.csv", "submission,id\nkim,1\nkim.zip,2\n").unwrap_err();
        assert!(twice.contains("r.csv:3"), "{twice}");
    }
}
