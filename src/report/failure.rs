//! The document `--output json` and `--output junit` print when a grade cannot produce a
//! result (input that cannot be read, a usage error, an environment failure), so that a
//! tool reading stdout always gets one complete document and never loses a learner.
//!
//! JSON: the keys of a result (`lab`, `title` (null for an unknown lab), `mode`, `passed: false`, `score: 0`,
//! `max_score: 0`, `steps: []`, `notes: []`, `refused: []`) plus
//! `"error": {"kind": "input"|"usage"|"environment"|"interrupted", "message", "file",
//! "line", "column"}` (the location fields `null` when the error is not in a file).
//! JUnit: one test suite `<lab>/error` with one errored test case carrying the message.

use crate::manifest::Location;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde_json::json;

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
}

impl FailureDoc<'_> {
    /// The JSON document as a value (a class report embeds one per unreadable learner).
    pub fn value(&self) -> serde_json::Value {
        let at = self.location.as_ref();
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
            }
        })
    }

    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.value()).expect("JSON always serializes");
        text.push('\n');
        text
    }

    pub fn junit(&self) -> String {
        let mut report = Report::new(format!("kubelab {}", self.lab));
        let mut suite = TestSuite::new(format!("{}/error", self.lab));
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(self.message.clone());
        status.set_type(self.kind.to_string());
        if let Some(at) = &self.location {
            status.set_description(format!(
                "{}:{}:{}: {}",
                at.file, at.line, at.column, self.message
            ));
        }
        let mut case = TestCase::new(format!("{} error", self.kind), status);
        case.set_classname(format!("{}.error", self.lab));
        suite.add_test_case(case);
        report.add_test_suite(suite);
        report.to_string().expect("JUnit XML always serializes")
    }
}
