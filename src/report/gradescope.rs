//! `--output gradescope`: the `results.json` of Gradescope's autograder specification,
//! so that a Gradescope autograder is `kubelab grade … --output gradescope >
//! /autograder/results/results.json`.
//!
//! `{"score", "output", "tests": [{"name", "score", "max_score", "status", "output"}]}`:
//! one test per check, named `<step>/<check>: <title>`, `status` `passed` or `failed`
//! (an environment `error` is `failed`: the output says it is not the learner's). A
//! skipped check is a test worth 0 points without a status, its output saying why. The
//! top-level `output` holds the grader's notes and the refused objects.

use crate::check::Verdict;
use crate::grade::LabResult;
use crate::report::failure::FailureDoc;
use serde_json::{Value, json};

/// The result as Gradescope's `results.json`.
pub fn render(result: &LabResult) -> String {
    let tests: Vec<Value> = result
        .steps
        .iter()
        .flat_map(|step| step.checks.iter().map(move |check| (step, check)))
        .map(|(step, check)| {
            let mut output = check.message.clone();
            if let Some(at) = &check.location {
                output = format!("{}:{}:{}: {output}", at.file, at.line, at.column);
            }
            for detail in &check.details {
                output.push('\n');
                output.push_str(detail);
            }
            if let Some(hint) = &check.hint {
                output.push_str("\n\n");
                output.push_str(hint);
            }
            let mut test = json!({
                "name": format!("{}/{}: {}", step.id, check.id, check.title),
                "score": check.points,
                "max_score": if check.verdict == Verdict::Skip { 0 } else { check.max_points },
                "output": output,
            });
            match check.verdict {
                Verdict::Pass => test["status"] = json!("passed"),
                Verdict::Fail | Verdict::Error => test["status"] = json!("failed"),
                Verdict::Skip => {}
            }
            test
        })
        .collect();
    let mut output: Vec<String> = result.notes.clone();
    output.extend(result.refused.iter().map(|r| {
        format!(
            "{}:{}:{}: {} {}: {}",
            r.location.file, r.location.line, r.location.column, r.kind, r.name, r.message
        )
    }));
    finish(json!({
        "score": result.score,
        "output": output.join("\n"),
        "tests": tests,
    }))
}

/// The document when nothing could be graded (unreadable files, no cluster): 0 points
/// and the error as the output, so that the learner sees what to fix.
pub fn failure(doc: &FailureDoc<'_>) -> String {
    let mut output = doc.message.clone();
    if let Some(at) = &doc.location
        && !output.starts_with(&at.file)
    {
        output = format!("{}:{}:{}: {output}", at.file, at.line, at.column);
    }
    finish(json!({"score": 0, "output": output, "tests": []}))
}

fn finish(value: Value) -> String {
    let mut text = serde_json::to_string_pretty(&value).expect("JSON serializes");
    text.push('\n');
    text
}
