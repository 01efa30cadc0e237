//! Renderers of the result model: a terminal table, JSON and JUnit XML.

pub mod failure;
pub mod gradescope;
pub mod json;
pub mod junit;
pub(crate) mod snippet;
pub mod table;

use crate::check::Verdict;
use crate::grade::{CheckResult, LabResult, StepResult};

/// One finding of a result: a run of failing (or errored) checks of one step with the
/// same verdict, message and location — a rejected object fails every check of its step
/// for the same reason, and the learner needs to read it once. `check` is the first of
/// them; `ids` are all of their ids.
pub(crate) struct Finding<'r> {
    pub step: &'r StepResult,
    pub check: &'r CheckResult,
    pub ids: Vec<&'r str>,
}

impl Finding<'_> {
    /// ` — <title>` for a finding of one check, empty for a group (the ids say it).
    /// ` — expected: <check title>` in `lang` when the finding is one check (a title
    /// says what should hold, not what happened), else nothing.
    pub fn title(&self, lang: crate::i18n::Lang) -> String {
        if self.ids.len() == 1 {
            format!(
                " — {}",
                crate::msg!("report-finding-expected", title = self.check.title.as_str())
                    .render(lang)
            )
        } else {
            String::new()
        }
    }
}

/// The findings of `result`, in step and check order (the terminal report's blocks and
/// the HTML report's per-learner detail).
pub(crate) fn findings(result: &LabResult) -> Vec<Finding<'_>> {
    let failing: Vec<_> = result
        .checks()
        .filter(|(_, c)| matches!(c.verdict, Verdict::Fail | Verdict::Error))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < failing.len() {
        let (step, check) = failing[i];
        let group = failing[i..]
            .iter()
            .take_while(|(s, c)| {
                s.id == step.id
                    && c.verdict == check.verdict
                    && c.message == check.message
                    && c.location == check.location
            })
            .count();
        let ids = failing[i..i + group]
            .iter()
            .map(|(_, c)| c.id.as_str())
            .collect();
        i += group;
        out.push(Finding { step, check, ids });
    }
    out
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    #[default]
    Table,
    Json,
    Junit,
    /// Gradescope's autograder `results.json` ([`gradescope`]).
    Gradescope,
}
