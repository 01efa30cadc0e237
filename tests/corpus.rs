//! Grades every case of `tests/corpus/<lab>/<case>/` (a `submission/` folder and a
//! `case.yaml` stating the expected verdict and where it must fail), and the self-test
//! of every lab: its checks fail on the untouched scenario and pass with the solution.

use kubelab::check::Verdict;
use kubelab::grade::{Grader, LabResult};
use kubelab::lab::{Catalog, Lang};
use kubelab::manifest::{self, Submission};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the submission does, in a sentence.
    about: String,
    /// `pass` or `fail`.
    expect: String,
    /// The first check (in step order) that must fail.
    #[serde(default)]
    fails_at: Option<At>,
    /// When given, exactly these checks fail (ids); all others pass or skip.
    #[serde(default)]
    failing: Option<Vec<String>>,
    /// When given, where the first failure points.
    #[serde(default)]
    location: Option<Loc>,
    /// When given, the first failure's message contains this text.
    #[serde(default)]
    message: Option<String>,
    /// Texts the first failure's message or its details must each contain (all of
    /// them): several problems reported in one run, a near miss named.
    #[serde(default)]
    says: Vec<String>,
    /// When given, one of the result's notes contains this text.
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct At {
    step: String,
    check: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Loc {
    file: String,
    line: usize,
    #[serde(default)]
    column: Option<usize>,
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Everything wrong with one case's result, empty when it is as stated.
fn disagreements(case: &Case, result: &LabResult) -> Vec<String> {
    let mut problems = Vec::new();
    let failing: Vec<(&str, &kubelab::grade::CheckResult)> = result
        .checks()
        .filter(|(_, c)| c.verdict == Verdict::Fail || c.verdict == Verdict::Error)
        .map(|(s, c)| (s.id.as_str(), c))
        .collect();
    if let Some(note) = &case.note
        && !result.notes.iter().any(|n| n.contains(note.as_str()))
    {
        problems.push(format!(
            "expected a note with {note:?}, got {:?}",
            result.notes
        ));
    }
    match case.expect.as_str() {
        "pass" => {
            if !result.passed {
                let ids: Vec<String> = failing
                    .iter()
                    .map(|(s, c)| format!("{s}/{}: {}", c.id, c.message))
                    .collect();
                problems.push(format!("expected pass, but failed: {ids:?}"));
            }
        }
        "fail" => {
            if result.passed {
                problems.push("expected fail, but passed".into());
            }
            let Some(at) = &case.fails_at else {
                problems.push("case.yaml: a failing case states `fails_at`".into());
                return problems;
            };
            match failing.first() {
                Some((step, check)) if *step == at.step && check.id == at.check => {
                    if let Some(text) = &case.message
                        && !check.message.contains(text.as_str())
                    {
                        problems.push(format!(
                            "expected the failure's message to contain {text:?}, got {:?}",
                            check.message
                        ));
                    }
                    let said = format!("{}\n{}", check.message, check.details.join("\n"));
                    for text in &case.says {
                        if !said.contains(text.as_str()) {
                            problems.push(format!(
                                "expected the failure to say {text:?}, got {said:?}"
                            ));
                        }
                    }
                    if let Some(loc) = &case.location {
                        match &check.location {
                            Some(actual)
                                if actual.file.ends_with(&loc.file)
                                    && actual.line == loc.line
                                    && loc.column.is_none_or(|c| c == actual.column) => {}
                            other => problems.push(format!(
                                "expected the failure at {}:{}{}, got {other:?}",
                                loc.file,
                                loc.line,
                                loc.column.map(|c| format!(":{c}")).unwrap_or_default()
                            )),
                        }
                    }
                }
                Some((step, check)) => problems.push(format!(
                    "expected the first failure at {}/{}, got {step}/{}: {}",
                    at.step, at.check, check.id, check.message
                )),
                None => problems.push(format!(
                    "expected a failure at {}/{}, none failed",
                    at.step, at.check
                )),
            }
            if let Some(expected) = &case.failing {
                let mut actual: Vec<&str> = failing.iter().map(|(_, c)| c.id.as_str()).collect();
                let mut expected: Vec<&str> = expected.iter().map(String::as_str).collect();
                actual.sort();
                expected.sort();
                if actual != expected {
                    problems.push(format!(
                        "expected exactly {expected:?} to fail, got {actual:?}"
                    ));
                }
            }
        }
        other => problems.push(format!(
            "case.yaml: expect must be pass or fail, not {other:?}"
        )),
    }
    problems
}

#[test]
fn every_corpus_case_gets_its_expected_verdict() {
    let catalog = Catalog::embedded().unwrap();
    let mut report = Vec::new();
    let mut graded = 0;
    for lab_dir in sorted_dirs(&corpus()) {
        let lab_id = lab_dir.file_name().unwrap().to_str().unwrap().to_string();
        let lab = catalog
            .get(&lab_id)
            .unwrap_or_else(|| panic!("tests/corpus/{lab_id}: no such lab"));
        let grader = Grader::new(lab);
        let cases = sorted_dirs(&lab_dir);
        assert!(
            cases.len() >= 15,
            "tests/corpus/{lab_id} has {} cases; at least 15 are needed",
            cases.len()
        );
        for case_dir in cases {
            let name = format!(
                "{lab_id}/{}",
                case_dir.file_name().unwrap().to_str().unwrap()
            );
            let case: Case = serde_saphyr::from_str(
                &std::fs::read_to_string(case_dir.join("case.yaml")).unwrap(),
            )
            .unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
            let submission = match manifest::load_paths(&[case_dir.join("submission")]) {
                Ok(s) => s,
                Err(e) => {
                    report.push(format!("{name} ({}): input error: {e}", case.about));
                    continue;
                }
            };
            let result = grader.grade(&submission, Lang::En);
            graded += 1;
            for problem in disagreements(&case, &result) {
                report.push(format!("{name} ({}): {problem}", case.about));
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
