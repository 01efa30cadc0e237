//! The document `--output json` and `--output junit` print when a grade cannot produce a
//! result (input that cannot be read, a usage error, an environment failure), so that a
//! tool reading stdout always gets one complete document and never loses a learner.
//!
//! JSON: the keys of a result (`lab`, `title` (null for an unknown lab), `mode`, `passed: false`, `score: 0`,
//! `max_score: 0`, `steps: []`, `notes: []`, `refused: []`) plus
//! `"error": {"kind": "input"|"usage"|"environment"|"interrupted", "message", "file",
//! "line", "column", "errors"}` (the location fields `null` when the error is not in a
//! file): `message` and the location are the first error's, and `errors` lists every
//! error, each `{"message", "help", "file", "line", "column", "snippet"}` (input errors: one or more
//! per unreadable file; any other failure: the one error).
//! JUnit: one test suite `<lab>/error` with one errored test case per error.
//!
//! On a terminal, input errors are printed by [`InputReport::render`]: every error with
//! its help and the learner's lines around it, in the command's language.

use crate::i18n::Lang;
use crate::manifest::{InputErrors, Location};
use crate::msg;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;
use serde_json::json;
use std::fmt;

/// One error of a failure, as the JSON `errors` array lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    pub message: String,
    /// What to do, when kubelab knows.
    pub help: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The learner's lines around the location, as the terminal shows them (`  > 3 |
    /// …` marks the line, a caret the column); `null` when the error is not in a
    /// readable text file.
    pub snippet: Option<String>,
}

impl ErrorEntry {
    fn new(message: String, help: Option<String>, location: Option<&Location>) -> Self {
        Self {
            message,
            help,
            file: location.map(|l| l.file.clone()),
            line: location.map(|l| l.line),
            column: location.map(|l| l.column),
            snippet: None,
        }
    }

    fn location(&self) -> Option<Location> {
        Some(Location {
            file: self.file.clone()?,
            line: self.line?,
            column: self.column?,
        })
    }
}

/// Why no result could be produced.
#[derive(Clone, Debug)]
pub struct FailureDoc<'a> {
    pub lab: &'a str,
    /// The lab's title, when the lab exists.
    pub title: Option<&'a str>,
    /// `input`, `usage`, `environment` or `interrupted`.
    pub kind: &'a str,
    pub message: String,
    pub location: Option<Location>,
    /// Every error, when there are several (see [`InputReport::entries`]); empty for
    /// the one error of `message` and `location`.
    pub errors: Vec<ErrorEntry>,
}

impl FailureDoc<'_> {
    /// The JSON document as a value (a class report embeds one per unreadable learner).
    pub fn value(&self) -> serde_json::Value {
        let at = self.location.as_ref();
        let errors = self.entries();
        json!({
            "lab": self.lab,
            "title": self.title,
            "mode": null,
            "passed": false,
            "score": 0,
            "max_score": 0,
            "steps": [],
            "notes": [],
            "refused": [],
            "error": {
                "kind": self.kind,
                "message": self.message,
                "file": at.map(|l| l.file.clone()),
                "line": at.map(|l| l.line),
                "column": at.map(|l| l.column),
                "errors": errors,
            }
        })
    }

    /// `errors`, or the one error.
    fn entries(&self) -> Vec<ErrorEntry> {
        if !self.errors.is_empty() {
            return self.errors.clone();
        }
        vec![ErrorEntry::new(
            self.message.clone(),
            None,
            self.location.as_ref(),
        )]
    }

    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.value()).expect("JSON always serializes");
        text.push('\n');
        text
    }

    pub fn junit(&self) -> String {
        let mut report = Report::new(format!("kubelab {}", self.lab));
        let mut suite = TestSuite::new(format!("{}/error", self.lab));
        let entries = self.entries();
        let many = entries.len() > 1;
        for (i, entry) in entries.iter().enumerate() {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(entry.message.clone());
            status.set_type(self.kind.to_string());
            if let Some(at) = entry.location() {
                status.set_description(format!(
                    "{}:{}:{}: {}",
                    at.file, at.line, at.column, entry.message
                ));
            }
            let name = match many {
                true => format!("{} error {}", self.kind, i + 1),
                false => format!("{} error", self.kind),
            };
            let mut case = TestCase::new(name, status);
            case.set_classname(format!("{}.error", self.lab));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
        report.to_string().expect("JUnit XML always serializes")
    }
}

/// Input errors as the learner reads them, rendered once in the command's language:
/// the failure a grade returns when files cannot be read (`Display`: the first error's
/// message; miette's help: its help). Texts are escaped (control characters shown as
/// `\u{1b}`, line breaks kept), since they quote file names and the learner's text.
#[derive(Debug)]
pub struct InputReport {
    entries: Vec<ErrorEntry>,
    lang: Lang,
}

impl InputReport {
    pub fn new(errors: &InputErrors, lang: Lang) -> Self {
        let escape = |text: String| crate::text::escape_control_keep_lines(&text).into_owned();
        let entries = errors
            .iter()
            .map(|error| {
                let location = error.location();
                ErrorEntry {
                    snippet: location.as_ref().and_then(snippet),
                    ..ErrorEntry::new(
                        escape(error.message().render(lang)),
                        Some(escape(error.help_message().render(lang))),
                        location.as_ref(),
                    )
                }
            })
            .collect();
        Self { entries, lang }
    }

    /// The input errors of a failure's report, when it is about unreadable input.
    pub fn of(report: &miette::Report) -> Option<&Self> {
        report.downcast_ref::<Self>()
    }

    /// Every error, in the order of the files.
    pub fn entries(&self) -> Vec<ErrorEntry> {
        self.entries.clone()
    }

    /// Every error for a terminal: `  × file:line:column: message`, `  help: …`, and
    /// the learner's lines around it with a caret under the column (the file read
    /// again, when it is a regular file within the size limit and text).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for entry in &self.entries {
            out.push_str(&format!("  × {}\n", entry.message));
            if let Some(help) = &entry.help {
                let line = msg!("input-help", help = help.as_str()).render(self.lang);
                out.push_str(&format!("  {line}\n"));
            }
            out.push('\n');
            if let Some(lines) = &entry.snippet {
                out.push_str(lines);
                out.push('\n');
            }
        }
        out
    }
}

/// The lines around `location`, read from the file again.
fn snippet(location: &Location) -> Option<String> {
    let path = std::path::Path::new(&location.file);
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > crate::manifest::MAX_FILE_SIZE {
        return None;
    }
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    let source = std::sync::Arc::new(crate::manifest::SourceFile {
        display: location.file.clone(),
        text,
    });
    super::snippet::render(location, &[source])
}

impl fmt::Display for InputReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.entries[0].message)
    }
}

impl std::error::Error for InputReport {}

impl miette::Diagnostic for InputReport {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.entries[0]
            .help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }
}
