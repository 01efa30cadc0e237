//! The local history of finished exams: one JSON line per attempt in
//! `exam-history.jsonl` under the user's data directory ([`path`]), appended by `exam
//! end` (and `exam start --wait`), read by `kubelab exam history`.
//!
//! A line is an [`Attempt`]; its fields are a contract (the book's Reference → Exam
//! history). Lines that cannot be read (an edited file, a newer kubelab's) are counted
//! and skipped, never a reason to lose the others.

use super::Exam;
use super::report::TaskReport;
use crate::check::Verdict;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The history file's name in the data directory.
pub const FILE_NAME: &str = "exam-history.jsonl";

/// kubelab's data directory: `$KUBELAB_DATA_DIR` when set (for tests and shared
/// machines), else `$XDG_DATA_HOME/kubelab`, else `~/.local/share/kubelab`. `None`
/// without any of them.
pub fn data_dir() -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = set("KUBELAB_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = set("XDG_DATA_HOME") {
        return Some(PathBuf::from(dir).join("kubelab"));
    }
    set("HOME").map(|home| PathBuf::from(home).join(".local/share/kubelab"))
}

/// The history file: `exam-history.jsonl` in [`data_dir`].
pub fn path() -> Option<PathBuf> {
    data_dir().map(|dir| dir.join(FILE_NAME))
}

/// One finished exam, as a line of the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// When it was graded, RFC 3339 (UTC).
    pub date: String,
    /// The exam's id (the run that started it).
    pub exam: String,
    /// The variant's seed: `--variant SEED` sets the same exam again.
    pub seed: String,
    /// The labs, in task order.
    pub labs: Vec<String>,
    pub tasks: Vec<AttemptTask>,
    pub score: u32,
    pub max_score: u32,
    /// `score` of `max_score` in percent, to one decimal.
    pub percent: f64,
    pub pass_mark: u8,
    pub passed: bool,
    /// Graded after the deadline.
    pub late: bool,
}

/// One task of an [`Attempt`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptTask {
    pub task: usize,
    pub lab: String,
    pub score: u32,
    pub max_score: u32,
    /// Every check of the task passed.
    pub passed: bool,
    /// The ids (`step/check`) of the checks that failed: the learner's mistakes, not
    /// the environment's.
    #[serde(default)]
    pub failed_checks: Vec<String>,
}

impl Attempt {
    /// The attempt of `exam` as its report has it.
    pub fn new(exam: &Exam, graded: jiff::Timestamp, tasks: &[TaskReport], passed: bool) -> Self {
        let score = tasks.iter().map(|t| t.score).sum();
        let max_score = tasks.iter().map(|t| t.max_score).sum();
        Attempt {
            date: graded.to_string(),
            exam: exam.id.clone(),
            seed: exam.variant.clone(),
            labs: exam.tasks.iter().map(|t| t.lab.clone()).collect(),
            tasks: tasks
                .iter()
                .map(|t| AttemptTask {
                    task: t.task,
                    lab: t.lab.clone(),
                    score: t.score,
                    max_score: t.max_score,
                    passed: t.passed,
                    failed_checks: t
                        .result
                        .iter()
                        .flat_map(|r| &r.steps)
                        .flat_map(|s| {
                            s.checks
                                .iter()
                                .filter(|c| c.verdict == Verdict::Fail)
                                .map(move |c| format!("{}/{}", s.id, c.id))
                        })
                        .collect(),
                })
                .collect(),
            score,
            max_score,
            percent: super::percent(score, max_score),
            pass_mark: exam.pass_mark,
            passed,
            late: exam.late_by(graded).is_some(),
        }
    }
}

/// Appends `attempt` to the history at `path`, making its directory.
///
/// Errors: the file cannot be written.
pub fn append(path: &Path, attempt: &Attempt) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_string(attempt).map_err(std::io::Error::other)?;
    line.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(line.as_bytes())
}

/// The history: its attempts in the order they were made, and how many lines could not
/// be read.
#[derive(Debug, Default)]
pub struct History {
    pub attempts: Vec<Attempt>,
    pub unreadable: usize,
}

/// How often a topic (a lab, or a lab's check) failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// A lab id, or `lab/step/check`.
    pub topic: String,
    /// Attempts in which it failed.
    pub failed: usize,
    /// Attempts in which it was set.
    pub attempts: usize,
}

impl History {
    /// Reads the history at `path`; a missing file is an empty history.
    ///
    /// Errors: the file exists but cannot be read.
    pub fn read(path: &Path) -> std::io::Result<History> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
            Err(e) => return Err(e),
        };
        Ok(Self::parse(&text))
    }

    /// The history of the lines of `text`.
    pub fn parse(text: &str) -> History {
        let mut history = History::default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str(line) {
                Ok(attempt) => history.attempts.push(attempt),
                Err(_) => history.unreadable += 1,
            }
        }
        history
    }

    /// The best attempt: the highest percentage, the earliest of equals.
    pub fn best(&self) -> Option<&Attempt> {
        self.attempts
            .iter()
            .rev()
            .max_by(|a, b| a.percent.total_cmp(&b.percent))
    }

    /// The last attempt.
    pub fn last(&self) -> Option<&Attempt> {
        self.attempts.last()
    }

    /// The labs and the checks that failed at least once, the most often failed first
    /// (by count, then by failure rate, then by name).
    pub fn weakest(&self) -> Vec<Topic> {
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for attempt in &self.attempts {
            for task in &attempt.tasks {
                let lab = counts.entry(task.lab.clone()).or_default();
                lab.1 += 1;
                if !task.passed {
                    lab.0 += 1;
                }
                for check in &task.failed_checks {
                    let entry = counts.entry(format!("{}/{check}", task.lab)).or_default();
                    entry.0 += 1;
                }
            }
        }
        // A check is set whenever its lab is.
        let lab_attempts: BTreeMap<String, usize> = counts
            .iter()
            .filter(|(topic, _)| !topic.contains('/'))
            .map(|(topic, (_, n))| (topic.clone(), *n))
            .collect();
        let mut topics: Vec<Topic> = counts
            .into_iter()
            .filter(|(_, (failed, _))| *failed > 0)
            .map(|(topic, (failed, attempts))| {
                let attempts = match topic.split_once('/') {
                    Some((lab, _)) => lab_attempts.get(lab).copied().unwrap_or(failed),
                    None => attempts,
                };
                Topic {
                    topic,
                    failed,
                    attempts,
                }
            })
            .collect();
        topics.sort_by(|a, b| {
            b.failed
                .cmp(&a.failed)
                .then((b.failed * a.attempts).cmp(&(a.failed * b.attempts)))
                .then(a.topic.cmp(&b.topic))
        });
        topics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(date: &str, percent_tasks: &[(&str, u32, u32, &[&str])], mark: u8) -> Attempt {
        let tasks: Vec<AttemptTask> = percent_tasks
            .iter()
            .enumerate()
            .map(|(i, (lab, score, max, failed))| AttemptTask {
                task: i + 1,
                lab: lab.to_string(),
                score: *score,
                max_score: *max,
                passed: score == max,
                failed_checks: failed.iter().map(|c| c.to_string()).collect(),
            })
            .collect();
        let score = tasks.iter().map(|t| t.score).sum();
        let max_score = tasks.iter().map(|t| t.max_score).sum();
        Attempt {
            date: date.into(),
            exam: "abcd1234".into(),
            seed: "han".into(),
            labs: tasks.iter().map(|t| t.lab.clone()).collect(),
            tasks,
            score,
            max_score,
            percent: crate::exam::percent(score, max_score),
            pass_mark: mark,
            passed: crate::exam::reaches(score, max_score, mark),
            late: false,
        }
    }

    #[test]
    fn three_attempts_give_the_best_the_last_and_the_weakest_topics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/er").join(FILE_NAME);
        let attempts = [
            attempt(
                "2026-12-01T10:00:00Z",
                &[
                    (
                        "network-policy",
                        2,
                        8,
                        &["allow-api/api-allowed", "deny-all/x"],
                    ),
                    ("security-context", 6, 6, &[]),
                ],
                67,
            ),
            attempt(
                "2026-12-02T10:00:00Z",
                &[
                    ("network-policy", 8, 8, &[]),
                    ("security-context", 5, 6, &["secure/run-as"]),
                ],
                67,
            ),
            attempt(
                "2026-12-03T10:00:00Z",
                &[
                    ("network-policy", 2, 8, &["allow-api/api-allowed"]),
                    ("security-context", 6, 6, &[]),
                ],
                67,
            ),
        ];
        for a in &attempts {
            append(&path, a).unwrap();
        }
        // A line a person broke is skipped and counted.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{not json\n").unwrap();
        let history = History::read(&path).unwrap();
        assert_eq!(history.attempts, attempts);
        assert_eq!(history.unreadable, 1);
        // 13/14 is the best, the second; the last, 8/14, is not passed.
        assert_eq!(history.best().unwrap().date, "2026-12-02T10:00:00Z");
        assert!(history.best().unwrap().passed);
        assert_eq!(history.last().unwrap().date, "2026-12-03T10:00:00Z");
        assert!(!history.last().unwrap().passed);
        let weakest = history.weakest();
        assert_eq!(
            weakest[0],
            Topic {
                topic: "network-policy".into(),
                failed: 2,
                attempts: 3
            }
        );
        assert_eq!(weakest[1].topic, "network-policy/allow-api/api-allowed");
        assert_eq!((weakest[1].failed, weakest[1].attempts), (2, 3));
        assert!(weakest.iter().all(|t| t.failed > 0));
        assert_eq!(weakest.len(), 5);
        // No file yet: no attempts.
        let none = History::read(&dir.path().join("none.jsonl")).unwrap();
        assert!(none.attempts.is_empty() && none.best().is_none());
    }
}
