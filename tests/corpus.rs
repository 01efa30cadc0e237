//! Grades every case of `labs/<lab>/corpus/<case>/` (a `submission/` folder and a
//! `case.yaml` stating the expected verdict and where it must fail), judged by the
//! library's [`kubelab::grade::case`] as `kubelab lab test` judges it, and the self-test
//! of every lab: its checks fail on the untouched scenario and pass with the solution.

use kubelab::check::Verdict;
use kubelab::grade::Grader;
use kubelab::grade::case;
use kubelab::lab::{Catalog, Lang};
use kubelab::manifest::{self, Submission};
use std::path::PathBuf;

fn labs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("labs")
}

#[test]
fn every_corpus_case_gets_its_expected_verdict() {
    let catalog = Catalog::embedded().unwrap();
    let mut report = Vec::new();
    let mut graded = 0;
    for lab in catalog.labs() {
        let lab_id = &lab.id;
        let grader = Grader::new(lab);
        let cases = case::read_corpus(&labs().join(lab_id).join("corpus"))
            .unwrap_or_else(|e| panic!("{}", e.message.render(Lang::En)));
        assert!(
            cases.len() >= 15,
            "labs/{lab_id}/corpus has {} cases; at least 15 are needed",
            cases.len()
        );
        for case in cases {
            let name = format!("{lab_id}/{}", case.name);
            let about = &case.expectation.about;
            let submission = match manifest::load_paths(std::slice::from_ref(&case.submission)) {
                Ok(s) => s,
                Err(e) => {
                    report.push(format!("{name} ({about}): input error: {e}"));
                    continue;
                }
            };
            let result = grader.grade(&submission, Lang::En);
            graded += 1;
            for problem in case::disagreements(&case.expectation, &result) {
                report.push(format!("{name} ({about}): {}", problem.render(Lang::En)));
            }
        }
    }
    assert!(graded >= 45, "only {graded} cases graded");
    assert!(
        report.is_empty(),
        "{} disagreements:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// No lab is "solved at start": on the untouched scenario every check worth points fails;
/// with the reference solution every check passes (or is skipped offline).
#[test]
fn every_lab_fails_untouched_and_passes_with_its_solution() {
    let catalog = Catalog::embedded().unwrap();
    for lab in catalog.labs() {
        let grader = Grader::new(lab);
        let untouched = grader.grade(&Submission::default(), Lang::En);
        assert!(!untouched.passed, "{}: passes untouched", lab.id);
        for (step, check) in untouched.checks().filter(|(_, c)| c.max_points > 0) {
            assert_eq!(
                check.verdict,
                Verdict::Fail,
                "{}: {}/{} does not fail untouched: {}",
                lab.id,
                step.id,
                check.id,
                check.message
            );
        }
        let solution = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("labs")
            .join(&lab.id)
            .join("solution");
        let solved = grader.grade(&manifest::load_paths(&[solution]).unwrap(), Lang::En);
        for (step, check) in solved.checks() {
            assert!(
                matches!(check.verdict, Verdict::Pass | Verdict::Skip),
                "{}: {}/{} fails with the solution: {}",
                lab.id,
                step.id,
                check.id,
                check.message
            );
        }
        assert!(solved.passed && solved.score == solved.max_score && solved.max_score > 0);
    }
}
