//! A lab's test cases: `labs/<id>/corpus/<case>/` holds a `submission/` folder (what a
//! learner would hand in) and a `case.yaml` stating the verdict grading it must give and
//! where it must fail. `kubelab lab test` and the corpus tests read cases here and compare
//! a grade with its case through [`disagreements`], so that both judge a case alike.

use crate::check::Verdict;
use crate::grade::LabResult;
use crate::i18n::Message;
use crate::msg;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What a case's grade must be (`case.yaml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// What the submission does, in a sentence.
    pub about: String,
    /// The lab passes or fails.
    pub expect: Expect,
    /// The first check (in step order) that must fail or err; a failing case names it.
    #[serde(default)]
    pub fails_at: Option<At>,
    /// When given, exactly these checks (ids) fail or err; all others pass or skip.
    #[serde(default)]
    pub failing: Option<Vec<String>>,
    /// When given, where the first failure points.
    #[serde(default)]
    pub location: Option<Loc>,
    /// When given, the first failure's message contains this text.
    #[serde(default)]
    pub message: Option<String>,
    /// Texts the first failure's message or its details must each contain.
    #[serde(default)]
    pub says: Vec<String>,
    /// When given, one of the result's notes contains this text.
    #[serde(default)]
    pub note: Option<String>,
}

/// `expect:` of a case.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The lab passes: every check passes or is skipped.
    Pass,
    /// The lab fails, first at `fails_at`.
    Fail,
}

/// A check of a step: `{step, check}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct At {
    /// The step's id.
    pub step: String,
    /// The check's id.
    pub check: String,
}

/// Where a failure points: the file (its path ends with it), the line, the column when
/// given.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loc {
    /// The end of the failure's file path (`web.yaml`).
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1; any when not given.
    #[serde(default)]
    pub column: Option<usize>,
}

/// One case of a corpus folder.
#[derive(Clone, Debug)]
pub struct Case {
    /// The case folder's name (`20-typo-podselector`).
    pub name: String,
    /// The case's `submission/` folder.
    pub submission: PathBuf,
    /// Its `case.yaml`.
    pub expectation: Expectation,
}

/// A corpus or a case that cannot be read: its file and what is wrong, for the lab's
/// author (exit 2).
#[derive(Clone, Debug)]
pub struct CaseError {
    /// What is wrong, naming the file or folder.
    pub message: Message,
}

/// Reads the case in folder `dir`: its `case.yaml` (a failing case must name `fails_at`)
/// and its `submission/` folder, which must exist.
pub fn read_case(dir: &Path) -> Result<Case, CaseError> {
    let file = dir.join("case.yaml");
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(&file).map_err(|e| CaseError {
        message: msg!(
            "case-unreadable",
            file = shown.as_str(),
            reason = e.to_string()
        ),
    })?;
    let expectation: Expectation = serde_saphyr::from_str(&text).map_err(|e| {
        let reason = e.to_string();
        let reason = reason.lines().next().unwrap_or_default().to_string();
        CaseError {
            message: msg!("case-invalid", file = shown.as_str(), reason = reason),
        }
    })?;
    if expectation.expect == Expect::Fail && expectation.fails_at.is_none() {
        return Err(CaseError {
            message: msg!("case-fail-without-fails-at", file = shown.as_str()),
        });
    }
    let submission = dir.join("submission");
    if !submission.is_dir() {
        return Err(CaseError {
            message: msg!(
                "case-no-submission",
                dir = dir.display().to_string().as_str()
            ),
        });
    }
    Ok(Case {
        name: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        submission,
        expectation,
    })
}

/// Every case of the corpus folder `dir` (each subfolder one case), sorted by name; no
/// cases when `dir` does not exist. Dotfiles and plain files beside the cases are left
/// alone.
pub fn read_corpus(dir: &Path) -> Result<Vec<Case>, CaseError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let unreadable = |e: std::io::Error| CaseError {
        message: msg!(
            "case-unreadable",
            file = dir.display().to_string().as_str(),
            reason = e.to_string()
        ),
    };
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if path.is_dir() && !hidden {
            dirs.push(path);
        }
    }
    dirs.sort();
    dirs.iter().map(|d| read_case(d)).collect()
}

/// Everything in `result` that differs from `expected`, each said as a message; empty
/// when the grade is what the case states. A check that errs counts as failing (an
/// environment failure is never what a case expects of a pass).
pub fn disagreements(expected: &Expectation, result: &LabResult) -> Vec<Message> {
    disagreements_except(expected, result, &[])
}

/// [`disagreements`] for a live grade, which is judged on its verdicts only: the lab
/// passes or fails as stated (`expect`), first at `fails_at`, exactly the `failing`
/// checks. The checks named in `unjudged` (those the simulation skips: `exec`, and what
/// is implementation-defined such as `ipBlock` on pod IPs) count in none of them. The
/// wording and the place (`message`, `says`, `note`, `location`) are the simulation's
/// and are not judged: live, the API server and the probes say it in their words.
pub fn disagreements_live(
    expected: &Expectation,
    result: &LabResult,
    unjudged: &[&str],
) -> Vec<Message> {
    let verdicts_only = Expectation {
        message: None,
        says: Vec::new(),
        note: None,
        location: None,
        ..expected.clone()
    };
    disagreements_except(&verdicts_only, result, unjudged)
}

fn disagreements_except(
    expected: &Expectation,
    result: &LabResult,
    unjudged: &[&str],
) -> Vec<Message> {
    let mut problems = Vec::new();
    let failing: Vec<(&str, &crate::grade::CheckResult)> = result
        .checks()
        .filter(|(_, c)| !unjudged.contains(&c.id.as_str()))
        .filter(|(_, c)| c.verdict == Verdict::Fail || c.verdict == Verdict::Error)
        .map(|(s, c)| (s.id.as_str(), c))
        .collect();
    if let Some(note) = &expected.note
        && !result.notes.iter().any(|n| n.contains(note.as_str()))
    {
        problems.push(msg!(
            "case-expected-note",
            text = format!("{note:?}"),
            notes = format!("{:?}", result.notes)
        ));
    }
    match expected.expect {
        Expect::Pass => {
            // A check left unjudged may fail; anything else that fails, or an object
            // the sandbox refused, fails the lab.
            let passed = result.passed
                || (!unjudged.is_empty() && failing.is_empty() && result.refused.is_empty());
            if !passed {
                let ids: Vec<String> = failing
                    .iter()
                    .map(|(s, c)| format!("{s}/{}: {}", c.id, c.message))
                    .collect();
                problems.push(msg!("case-expected-pass", failed = format!("{ids:?}")));
            }
        }
        Expect::Fail => {
            if result.passed {
                problems.push(msg!("case-expected-fail"));
            }
            if let Some(at) = &expected.fails_at {
                first_failure(expected, at, failing.first().copied(), &mut problems);
            }
            if let Some(ids) = &expected.failing {
                let mut actual: Vec<&str> = failing.iter().map(|(_, c)| c.id.as_str()).collect();
                let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                actual.sort();
                ids.sort();
                if actual != ids {
                    problems.push(msg!(
                        "case-expected-failing",
                        expected = format!("{ids:?}"),
                        actual = format!("{actual:?}")
                    ));
                }
            }
        }
    }
    problems
}

/// The first failure against `fails_at` and, when it is that check, its message, what
/// it says and where it points.
fn first_failure(
    expected: &Expectation,
    at: &At,
    first: Option<(&str, &crate::grade::CheckResult)>,
    problems: &mut Vec<Message>,
) {
    let at_text = format!("{}/{}", at.step, at.check);
    let Some((step, check)) = first else {
        problems.push(msg!("case-expected-a-failure", at = at_text));
        return;
    };
    if step != at.step || check.id != at.check {
        problems.push(msg!(
            "case-first-failure-elsewhere",
            at = at_text,
            actual = format!("{step}/{}", check.id),
            message = check.message.as_str()
        ));
        return;
    }
    if let Some(text) = &expected.message
        && !check.message.contains(text.as_str())
    {
        problems.push(msg!(
            "case-expected-message",
            text = format!("{text:?}"),
            message = format!("{:?}", check.message)
        ));
    }
    let said = format!("{}\n{}", check.message, check.details.join("\n"));
    for text in &expected.says {
        if !said.contains(text.as_str()) {
            problems.push(msg!(
                "case-expected-says",
                text = format!("{text:?}"),
                said = format!("{said:?}")
            ));
        }
    }
    if let Some(loc) = &expected.location {
        let matches = check.location.as_ref().is_some_and(|actual| {
            actual.file.ends_with(&loc.file)
                && actual.line == loc.line
                && loc.column.is_none_or(|c| c == actual.column)
        });
        if !matches {
            let expected_at = format!(
                "{}:{}{}",
                loc.file,
                loc.line,
                loc.column.map(|c| format!(":{c}")).unwrap_or_default()
            );
            let actual = check.location.as_ref().map_or_else(
                || "-".to_string(),
                |l| format!("{}:{}:{}", l.file, l.line, l.column),
            );
            problems.push(msg!(
                "case-expected-location",
                expected = expected_at,
                actual = actual
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Grader;
    use crate::lab::{Catalog, Lang};

    fn expectation(yaml: &str) -> Expectation {
        serde_saphyr::from_str(yaml).unwrap()
    }

    fn solution_result() -> LabResult {
        let catalog = Catalog::embedded().unwrap();
        let lab = catalog.get("network-policy").unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("labs/network-policy/solution");
        let submission = crate::manifest::load_paths(&[dir]).unwrap();
        Grader::new(lab).grade(&submission, Lang::En)
    }

    #[test]
    fn a_passing_grade_agrees_with_pass_and_not_with_fail() {
        let result = solution_result();
        assert!(disagreements(&expectation("about: a\nexpect: pass\n"), &result).is_empty());
        let fail = expectation(
            "about: a\nexpect: fail\nfails_at: {step: deny-all, check: deny-blocks-api}\n",
        );
        let said: Vec<String> = disagreements(&fail, &result)
            .iter()
            .map(|m| m.render(Lang::En))
            .collect();
        assert_eq!(
            said,
            [
                "expected fail, but it passed",
                "expected a failure at deny-all/deny-blocks-api, none failed"
            ]
        );
        let ko: Vec<String> = disagreements(&fail, &result)
            .iter()
            .map(|m| m.render(Lang::Ko))
            .collect();
        assert_eq!(ko[0], "실패해야 하는데 통과했습니다.");
    }

    #[test]
    fn live_judges_verdicts_only_and_leaves_unjudged_checks_out() {
        let catalog = Catalog::embedded().unwrap();
        let lab = catalog.get("network-policy").unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("labs/network-policy/corpus/20-typo-podselector/submission");
        let result =
            Grader::new(lab).grade(&crate::manifest::load_paths(&[dir]).unwrap(), Lang::En);
        let worded = expectation(
            "about: a\nexpect: fail\nfails_at: {step: deny-all, check: deny-blocks-api}\nmessage: not said\nlocation: {file: x.yaml, line: 1}\n",
        );
        assert_eq!(disagreements(&worded, &result).len(), 2);
        assert!(disagreements_live(&worded, &result, &[]).is_empty());
        // A pass whose only failing checks are unjudged passes live; not offline.
        let failing: Vec<String> = result
            .checks()
            .filter(|(_, c)| c.verdict == Verdict::Fail)
            .map(|(_, c)| c.id.clone())
            .collect();
        let failing: Vec<&str> = failing.iter().map(String::as_str).collect();
        let pass = expectation("about: a\nexpect: pass\n");
        assert!(disagreements_live(&pass, &result, &failing).is_empty());
        assert_eq!(disagreements_live(&pass, &result, &failing[1..]).len(), 1);
        assert_eq!(disagreements(&pass, &result).len(), 1);
    }

    #[test]
    fn a_missing_note_is_a_disagreement() {
        let result = solution_result();
        let said = disagreements(
            &expectation("about: a\nexpect: pass\nnote: nowhere\n"),
            &result,
        );
        assert_eq!(said.len(), 1);
        assert!(
            said[0]
                .render(Lang::En)
                .starts_with("expected a note containing \"nowhere\"")
        );
    }
}
