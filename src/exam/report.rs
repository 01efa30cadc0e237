//! The exam report, a consumer of the exam runner's events ([`super::Event`]): per task
//! its points, the table report of its checks with the failing ones' messages and hints,
//! then the variant's reference solution; as text for a terminal or as JSON (the
//! contract in book/en/src/reference.md → Exam JSON).

use super::{Event, Exam, Task, format_duration_in};
use crate::grade::LabResult;
use crate::lab::{Lab, Lang};
use crate::msg;
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::Mutex;

/// Collects the events of one `exam end` and renders them.
pub struct ExamReport {
    lang: Lang,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    exam: Option<Exam>,
    graded_at: Option<jiff::Timestamp>,
    tasks: Vec<TaskReport>,
    deleted: Vec<String>,
}

/// One task in the JSON report.
#[derive(Clone, Debug, Serialize)]
pub struct TaskReport {
    /// 1, 2, … in the exam's order.
    pub task: usize,
    pub lab: String,
    /// The lab's title in the report's language.
    pub title: String,
    pub namespace: Option<String>,
    pub score: u32,
    pub max_score: u32,
    pub passed: bool,
    /// The grade, as `kubelab check --output json` prints it; `null` when the task
    /// could not be graded.
    pub result: Option<LabResult>,
    /// Why the task could not be graded (its namespace is gone, the cluster failed).
    pub error: Option<String>,
    /// The variant's reference solution, shown only now.
    pub solution: Vec<SolutionFile>,
}

/// A file of the reference solution.
#[derive(Clone, Debug, Serialize)]
pub struct SolutionFile {
    pub file: String,
    pub text: String,
}

/// The whole exam in the JSON report.
#[derive(Debug, Serialize)]
pub struct ExamJson<'a> {
    pub exam: &'a str,
    pub variant: &'a str,
    /// RFC 3339, UTC.
    pub started: String,
    pub deadline: String,
    /// When `exam end` graded the tasks.
    pub graded: String,
    /// Graded after the deadline.
    pub late: bool,
    /// Seconds after the deadline (0 when on time).
    pub late_by_seconds: u64,
    pub score: u32,
    pub max_score: u32,
    /// Every task passed, on time.
    pub passed: bool,
    pub tasks: &'a [TaskReport],
    /// The task namespaces deleted at the end.
    pub deleted: &'a [String],
}

impl ExamReport {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            state: Mutex::new(State::default()),
        }
    }

    pub fn on_event(&self, event: &Event) {
        let mut state = self.state.lock().unwrap();
        match event {
            Event::Started { exam, now } => {
                state.exam = Some((*exam).clone());
                state.graded_at = Some(*now);
            }
            Event::TaskGraded(graded) => {
                let (score, max_score, passed) = match &graded.result {
                    Ok(r) => (r.score, r.max_score, r.passed),
                    Err(_) => (0, graded.task.points, false),
                };
                state.tasks.push(TaskReport {
                    task: graded.task.number,
                    lab: graded.task.lab.clone(),
                    title: graded
                        .lab
                        .as_ref()
                        .map_or(graded.task.lab.as_str(), |lab| lab.title.get(self.lang))
                        .to_string(),
                    namespace: graded.task.namespace.clone(),
                    score,
                    max_score,
                    passed,
                    result: graded.result.as_ref().ok().cloned(),
                    error: graded.result.as_ref().err().cloned(),
                    solution: graded
                        .lab
                        .iter()
                        .flat_map(Lab::solution_files)
                        .map(|(file, text)| SolutionFile { file, text })
                        .collect(),
                });
            }
            Event::Finished { deleted } => state.deleted = deleted.to_vec(),
        }
    }

    /// Points and whether every task passed on time.
    pub fn totals(&self) -> (u32, u32, bool) {
        self.state.lock().unwrap().totals()
    }

    /// The JSON report (book/en/src/reference.md → Exam JSON).
    pub fn json(&self) -> String {
        let state = self.state.lock().unwrap();
        let exam = state.exam.clone().unwrap_or_else(empty_exam);
        let late_by = state.late_by();
        let (score, max_score, passed) = state.totals();
        let doc = ExamJson {
            exam: &exam.id,
            variant: &exam.variant,
            started: exam.started.to_string(),
            deadline: exam.deadline.to_string(),
            graded: state.graded_at.map(|t| t.to_string()).unwrap_or_default(),
            late: late_by.is_some(),
            late_by_seconds: late_by.map(|d| d.as_secs()).unwrap_or(0),
            score,
            max_score,
            passed,
            tasks: &state.tasks,
            deleted: &state.deleted,
        };
        let mut text = serde_json::to_string_pretty(&doc).expect("the exam report serializes");
        text.push('\n');
        text
    }

    /// The report for a terminal `width` columns wide: the summary, then per task its
    /// points, its table report (failing checks with their messages and hints) and the
    /// variant's reference solution.
    pub fn text(&self, width: u16) -> String {
        let lang = self.lang;
        let state = self.state.lock().unwrap();
        let exam = state.exam.clone().unwrap_or_else(empty_exam);
        let mut out = String::new();
        let (score, max, _) = state.totals();
        writeln!(
            out,
            "{}",
            msg!(
                "exam-report-title",
                exam = exam.id.as_str(),
                variant = exam.variant.as_str(),
                score = score,
                max = max
            )
            .render(lang)
        )
        .unwrap();
        match state.late_by() {
            Some(late) => writeln!(
                out,
                "{}",
                msg!("exam-report-late", late = format_duration_in(late, lang)).render(lang)
            ),
            None => writeln!(out, "{}", msg!("exam-report-on-time").render(lang)),
        }
        .unwrap();
        for task in &state.tasks {
            writeln!(
                out,
                "\n{}",
                msg!(
                    "exam-report-task",
                    number = task.task,
                    title = task.title.as_str(),
                    score = task.score,
                    max = task.max_score
                )
                .render(lang)
            )
            .unwrap();
            match (&task.result, &task.error) {
                (Some(result), _) => {
                    out.push_str(&crate::report::table::render(result, &[], width));
                }
                (None, Some(error)) => {
                    writeln!(
                        out,
                        "{}",
                        msg!("exam-report-not-graded", reason = error.as_str()).render(lang)
                    )
                    .unwrap();
                }
                (None, None) => {}
            }
            if !task.solution.is_empty() {
                writeln!(
                    out,
                    "\n{}",
                    msg!("exam-report-solution", variant = exam.variant.as_str()).render(lang)
                )
                .unwrap();
                for file in &task.solution {
                    writeln!(out, "--- {}\n{}", file.file, file.text.trim_end()).unwrap();
                }
            }
        }
        if !state.deleted.is_empty() {
            writeln!(
                out,
                "\n{}",
                msg!("exam-report-deleted", namespaces = state.deleted.join(", ")).render(lang)
            )
            .unwrap();
        }
        out
    }
}

impl State {
    /// Points, maximum, and whether every task passed on time.
    fn totals(&self) -> (u32, u32, bool) {
        let score = self.tasks.iter().map(|t| t.score).sum();
        let max = self.tasks.iter().map(|t| t.max_score).sum();
        let passed = self.late_by().is_none() && self.tasks.iter().all(|t| t.passed);
        (score, max, passed)
    }

    fn late_by(&self) -> Option<std::time::Duration> {
        let exam = self.exam.as_ref()?;
        exam.late_by(self.graded_at?)
    }
}

fn empty_exam() -> Exam {
    Exam {
        id: String::new(),
        variant: String::new(),
        started: jiff::Timestamp::UNIX_EPOCH,
        deadline: jiff::Timestamp::UNIX_EPOCH,
        tasks: Vec::<Task>::new(),
    }
}
