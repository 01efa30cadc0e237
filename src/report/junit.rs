//! `--output junit`: one test suite per step, one test case per check, for CI systems
//! that collect JUnit XML (an instructor's class pipeline).
//!
//! Every string goes through [`xml_safe`] first: XML 1.0 cannot carry some characters a
//! learner may write (U+FFFE, U+FFFF, most C0 controls — not even as character
//! references), and quick-junit escapes only markup. The output is well-formed XML for
//! any input.

use crate::check::Verdict;
use crate::grade::LabResult;
use crate::text;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

/// A string XML 1.0 can carry (see [`text::xml_safe`]).
fn xml_safe(s: &str) -> String {
    text::xml_safe(s).into_owned()
}

/// The result as JUnit XML: well-formed for any learner input.
pub fn render(result: &LabResult) -> String {
    let mut report = Report::new(xml_safe(&format!("kubelab {}", result.lab)));
    for step in &result.steps {
        let mut suite = TestSuite::new(xml_safe(&format!("{}/{}", result.lab, step.id)));
        for check in &step.checks {
            let mut description = check.message.clone();
            if let Some(location) = &check.location {
                description = format!(
                    "{}:{}:{}: {description}",
                    location.file, location.line, location.column
                );
            }
            if let Some(hint) = &check.hint {
                let hint = crate::msg!("report-hint", hint = hint.as_str());
                description.push_str(&format!("\n{}", hint.render(result.lang)));
            }
            let status = match check.verdict {
                Verdict::Pass => TestCaseStatus::success(),
                Verdict::Skip => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_message(xml_safe(&check.message));
                    status
                }
                Verdict::Fail | Verdict::Error => {
                    let kind = if check.verdict == Verdict::Fail {
                        NonSuccessKind::Failure
                    } else {
                        NonSuccessKind::Error
                    };
                    let mut status = TestCaseStatus::non_success(kind);
                    status.set_message(xml_safe(&check.message));
                    status.set_type(xml_safe(&check.kind));
                    status.set_description(xml_safe(&description));
                    status
                }
            };
            let mut case = TestCase::new(xml_safe(&check.id), status);
            case.set_classname(xml_safe(&format!("{}.{}", result.lab, step.id)));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    // Objects the sandbox refused: one failing case each (the lab does not pass).
    if !result.refused.is_empty() {
        let mut suite = TestSuite::new(format!("{}/refused", result.lab));
        for refused in &result.refused {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(refused.message.clone());
            status.set_type("refused");
            let at = &refused.location;
            let hint = crate::msg!("report-hint", hint = refused.help.as_str());
            status.set_description(format!(
                "{}:{}:{}: {}\n{}",
                at.file,
                at.line,
                at.column,
                refused.message,
                hint.render(result.lang)
            ));
            let mut case = TestCase::new(format!("{} {}", refused.kind, refused.name), status);
            case.set_classname(format!("{}.refused", result.lab));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().expect("JUnit XML always serializes")
}
