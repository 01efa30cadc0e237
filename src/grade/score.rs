//! Scores and pass/fail of steps and of the lab, from the checks' verdicts.

use super::result::{CheckResult, LabResult, Mode, RefusedResult, StepResult};
use crate::check::Verdict;
use crate::i18n::Message;
use crate::lab::{Lab, Lang};
use crate::policy::Refused;

/// A step passes when none of its checks failed or errored; skipped checks count in
/// neither the score nor the maximum. A lab passes when every step passes and kubelab
/// refused none of the submission's objects.
pub fn summarize(
    lab: &Lab,
    lang: Lang,
    mode: Mode,
    mut steps: Vec<StepResult>,
    mut notes: Vec<Message>,
    refused: Vec<Refused>,
) -> LabResult {
    // A verdict offline leaves out what only a cluster decides: say so, so that a
    // `PASSED` over skipped checks is not read as the whole grade.
    let skipped: Vec<&CheckResult> = steps
        .iter()
        .flat_map(|s| &s.checks)
        .filter(|c| c.verdict == Verdict::Skip && c.max_points > 0)
        .collect();
    if mode == Mode::Offline && !skipped.is_empty() {
        notes.push(crate::msg!(
            "grade-skipped-offline",
            count = skipped.len(),
            points = skipped.iter().map(|c| c.max_points).sum::<u32>()
        ));
    }
    for step in &mut steps {
        step.passed = step
            .checks
            .iter()
            .all(|c| matches!(c.verdict, Verdict::Pass | Verdict::Skip));
        step.score = step.checks.iter().map(|c| c.points).sum();
        step.max_score = step
            .checks
            .iter()
            .filter(|c| c.verdict != Verdict::Skip)
            .map(|c| c.max_points)
            .sum();
    }
    LabResult {
        lab: lab.id.clone(),
        title: lab.title.get(lang).to_string(),
        mode,
        passed: refused.is_empty() && steps.iter().all(|s| s.passed),
        score: steps.iter().map(|s| s.score).sum(),
        max_score: steps.iter().map(|s| s.max_score).sum(),
        steps,
        notes: notes.iter().map(|n| n.render(lang)).collect(),
        refused: refused
            .iter()
            .map(|r| RefusedResult::new(r, lang))
            .collect(),
        lang,
    }
}
