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
    /// The task's share of the exam's points, in percent (one decimal), as the CKS
    /// shows each task's weight.
    pub weight_percent: f64,
    /// Every check of the task passed.
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
    /// `score` of `max_score` in percent, to one decimal.
    pub percent: f64,
    /// The percentage that passes (`--pass-mark`, 67 by default).
    pub pass_mark: u8,
    /// The score reaches the pass mark (compared exactly, not rounded) and the tasks
    /// were graded on time.
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
                let weight_percent = state
                    .exam
                    .as_ref()
                    .map_or(0.0, |exam| exam.weight(&graded.task));
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
                    weight_percent,
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

    /// Points, maximum, and whether the exam is passed: the pass mark reached, on time.
    pub fn totals(&self) -> (u32, u32, bool) {
        self.state.lock().unwrap().totals()
    }

    /// The attempt for the history ([`super::history`]); `None` before the exam's
    /// events came.
    pub fn attempt(&self) -> Option<super::history::Attempt> {
        let state = self.state.lock().unwrap();
        let exam = state.exam.as_ref()?;
        let (_, _, passed) = state.totals();
        Some(super::history::Attempt::new(
            exam,
            state.graded_at?,
            &state.tasks,
            passed,
        ))
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
            percent: super::percent(score, max_score),
            pass_mark: exam.pass_mark,
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
        let (score, max, passed) = state.totals();
        writeln!(
            out,
            "{}",
            msg!(
                "exam-report-title",
                exam = exam.id.as_str(),
                variant = exam.variant.as_str(),
                score = score,
                max = max,
                percent = super::percent(score, max).to_string()
            )
            .render(lang)
        )
        .unwrap();
        let verdict = if passed {
            msg!("exam-report-passed", mark = exam.pass_mark)
        } else if state.late_by().is_some() && super::reaches(score, max, exam.pass_mark) {
            msg!("exam-report-not-passed-late", mark = exam.pass_mark)
        } else {
            msg!("exam-report-not-passed", mark = exam.pass_mark)
        };
        writeln!(out, "{}", verdict.render(lang)).unwrap();
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
                    max = task.max_score,
                    weight = task.weight_percent.to_string()
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
    /// Points, maximum, and whether the score reaches the exam's pass mark on time.
    fn totals(&self) -> (u32, u32, bool) {
        let score = self.tasks.iter().map(|t| t.score).sum();
        let max = self.tasks.iter().map(|t| t.max_score).sum();
        let mark = self
            .exam
            .as_ref()
            .map_or(super::DEFAULT_PASS_MARK, |e| e.pass_mark);
        let passed = self.late_by().is_none() && super::reaches(score, max, mark);
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
        pass_mark: super::DEFAULT_PASS_MARK,
        kubeconfig: None,
        merged: false,
        folders: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::TaskResult;
    use crate::grade::Mode;

    fn exam(pass_mark: u8) -> Exam {
        let task = |number: usize, lab: &str, points: u32| Task {
            flagged: false,
            number,
            lab: lab.into(),
            namespace: Some(format!("ns-{number}")),
            points,
        };
        Exam {
            id: "abcd1234".into(),
            variant: "han".into(),
            started: "2026-11-30T10:00:00Z".parse().unwrap(),
            deadline: "2026-11-30T10:30:00Z".parse().unwrap(),
            tasks: vec![
                task(1, "network-policy", 8),
                task(2, "security-context", 6),
                task(3, "private-registry", 6),
            ],
            pass_mark,
            kubeconfig: None,
            merged: false,
            folders: None,
        }
    }

    fn graded(task: &Task, score: u32) -> TaskResult {
        TaskResult {
            task: task.clone(),
            lab: None,
            result: Ok(LabResult {
                lab: task.lab.clone(),
                title: task.lab.clone(),
                mode: Mode::Live,
                passed: score == task.points,
                score,
                max_score: task.points,
                steps: vec![],
                notes: vec![],
                refused: vec![],
                lang: Lang::En,
            }),
        }
    }

    /// Reports `exam` graded at `at` with the tasks' `scores`.
    fn report(exam: &Exam, scores: &[u32], at: &str, lang: Lang) -> ExamReport {
        let report = ExamReport::new(lang);
        report.on_event(&Event::Started {
            exam,
            now: at.parse().unwrap(),
        });
        for (task, score) in exam.tasks.iter().zip(scores) {
            report.on_event(&Event::TaskGraded(&graded(task, *score)));
        }
        report.on_event(&Event::Finished { deleted: &[] });
        report
    }

    #[test]
    fn the_pass_mark_decides_not_every_task() {
        let on_time = "2026-11-30T10:20:00Z";
        // 14 of 20 is 70%: passed at 67 though task 2 failed, not passed at 75.
        let exam67 = exam(67);
        let passed = report(&exam67, &[8, 0, 6], on_time, Lang::En);
        assert_eq!(passed.totals(), (14, 20, true));
        let json: serde_json::Value = serde_json::from_str(&passed.json()).unwrap();
        assert_eq!(json["percent"], 70.0);
        assert_eq!(json["pass_mark"], 67);
        assert_eq!(json["passed"], true);
        assert_eq!(json["tasks"][0]["weight_percent"], 40.0);
        assert_eq!(json["tasks"][1]["weight_percent"], 30.0);
        assert_eq!(json["tasks"][1]["passed"], false);
        let text = passed.text(100);
        assert!(text.contains("14/20 points, 70%"), "{text}");
        assert!(text.contains("Passed: the pass mark is 67%."), "{text}");
        assert!(
            text.contains("Task 1: network-policy (weight 40%)"),
            "{text}"
        );
        let ko = report(&exam67, &[8, 0, 6], on_time, Lang::Ko).text(100);
        assert!(ko.contains("합격입니다. 합격 기준은 67%입니다."), "{ko}");
        assert!(ko.contains("(비중 40%)"), "{ko}");

        let strict = report(&exam(75), &[8, 0, 6], on_time, Lang::En);
        assert_eq!(strict.totals(), (14, 20, false));
        assert!(
            strict
                .text(100)
                .contains("Not passed: the pass mark is 75%.")
        );
        // 13 of 20 is 65%: under 67.
        assert!(!report(&exam67, &[8, 0, 5], on_time, Lang::En).totals().2);
        // Late: not passed, and the report says why.
        let late = report(&exam67, &[8, 6, 6], "2026-11-30T10:31:00Z", Lang::En);
        assert!(!late.totals().2);
        assert!(late.text(100).contains("graded after the deadline"));
    }

    #[test]
    fn percentages_are_exact_where_it_matters() {
        assert_eq!(crate::exam::percent(2, 3), 66.7);
        assert_eq!(crate::exam::percent(0, 0), 0.0);
        // 2/3 is shown as 66.7% but does not reach 67.
        assert!(!crate::exam::reaches(2, 3, 67));
        assert!(crate::exam::reaches(67, 100, 67));
        assert_eq!(crate::exam::parse_pass_mark("80%"), Ok(80));
        assert!(crate::exam::parse_pass_mark("101").is_err());
        assert!(crate::exam::parse_pass_mark("x").is_err());
    }
}
