//! An exam without a cluster (`kubelab exam start --offline`): the sheet and one folder
//! per task (`<dir>/task-1/`, …), the exam's state in a local file with the deadline,
//! and `kubelab exam end` grading every folder by simulation as one exam — one report,
//! one verdict, lateness stated as the live exam states it.
//!
//! The state file is `offline-exam.json` in kubelab's data directory
//! ([`super::history::data_dir`]): `{"exam", "variant", "labs": [ids in task order],
//! "started", "deadline" (RFC 3339), "pass_mark", "dir", "flagged": [task numbers]}`. One offline exam at a time;
//! `exam end` deletes the file and keeps the folders (the candidate's work).

use super::{Event, Exam, TaskResult};
use crate::grade::Grader;
use crate::lab::{Catalog, Lang};
use crate::msg;
use std::path::{Path, PathBuf};

const STATE_FILE: &str = "offline-exam.json";

/// The state file's path; `None` without a data directory.
pub fn state_path() -> Option<PathBuf> {
    Some(super::history::data_dir()?.join(STATE_FILE))
}

/// The folder of task `number` of an exam whose folders are under `dir`.
pub fn task_dir(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("task-{number}"))
}

/// Saves `exam` (its tasks' labs, time and pass mark; `exam.folders` is the folder).
pub fn save(path: &Path, exam: &Exam) -> std::io::Result<()> {
    let doc = serde_json::json!({
        "exam": exam.id,
        "variant": exam.variant,
        "labs": exam.tasks.iter().map(|t| t.lab.as_str()).collect::<Vec<_>>(),
        "started": exam.started.to_string(),
        "deadline": exam.deadline.to_string(),
        "pass_mark": exam.pass_mark,
        "dir": exam.folders.as_ref().map(|d| d.display().to_string()),
        "flagged": exam.tasks.iter().filter(|t| t.flagged).map(|t| t.number).collect::<Vec<_>>(),
    });
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(
        path,
        serde_json::to_string_pretty(&doc).expect("JSON") + "\n",
    )
}

/// The running offline exam, if there is one: planned again from the catalog with the
/// saved labs, seed and time. Errors: the file cannot be read or names a lab this
/// kubelab does not have (the message says which).
pub fn load(path: &Path, catalog: &Catalog) -> Result<Option<Exam>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let bad = |what: &str| format!("{}: {what}", path.display());
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(&e.to_string()))?;
    let field = |key: &str| doc[key].as_str().ok_or_else(|| bad(&format!("no `{key}`")));
    let labs: Vec<String> = doc["labs"]
        .as_array()
        .ok_or_else(|| bad("no `labs`"))?
        .iter()
        .filter_map(|l| l.as_str().map(str::to_string))
        .collect();
    let started: jiff::Timestamp = field("started")?.parse().map_err(|_| bad("`started`"))?;
    let deadline: jiff::Timestamp = field("deadline")?.parse().map_err(|_| bad("`deadline`"))?;
    let duration = deadline
        .duration_since(started)
        .try_into()
        .map_err(|_| bad("`deadline` before `started`"))?;
    let (mut exam, _) = Exam::plan(catalog, &labs, field("variant")?, Some(duration), started)
        .map_err(|e| bad(&format!("{e:?}")))?;
    exam.id = field("exam")?.to_string();
    exam.pass_mark = doc["pass_mark"]
        .as_u64()
        .and_then(|m| u8::try_from(m).ok())
        .unwrap_or(super::DEFAULT_PASS_MARK);
    exam.folders = Some(PathBuf::from(field("dir")?));
    let flagged: Vec<u64> = doc["flagged"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
        .unwrap_or_default();
    for task in &mut exam.tasks {
        task.flagged = flagged.contains(&(task.number as u64));
    }
    Ok(Some(exam))
}

/// `exam flag N` / `unflag N` on the offline exam saved at `path`: marks task `number`
/// and saves. Errors: no such task (the usage error the live exam gives), or the file
/// cannot be written.
pub fn flag(
    path: &Path,
    exam: &mut Exam,
    number: usize,
    flagged: bool,
) -> Result<(), super::ExamError> {
    let tasks = exam.tasks.len();
    let Some(task) = exam.tasks.iter_mut().find(|t| t.number == number) else {
        return Err(super::ExamError::Usage {
            message: msg!("exam-no-such-task", number = number, tasks = tasks),
            help: msg!("exam-no-such-task-help", tasks = tasks),
        });
    };
    task.flagged = flagged;
    save(path, exam).map_err(|e| super::ExamError::Usage {
        message: msg!(
            "exam-offline-unreadable",
            reason = format!("{}: {e}", path.display())
        ),
        help: msg!(
            "exam-offline-unreadable-help",
            path = path.display().to_string()
        ),
    })
}

/// Creates the task folders of `exam` under `dir` and writes the sheet there as
/// `SHEET.md`. Errors: `dir` exists and is not empty (never overwritten), or cannot be
/// written.
pub fn create_folders(dir: &Path, exam: &Exam, sheet: &str) -> Result<(), String> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(format!(
            "{}: the folder exists and is not empty",
            dir.display()
        ));
    }
    let made = (|| {
        for task in &exam.tasks {
            std::fs::create_dir_all(task_dir(dir, task.number))?;
        }
        std::fs::write(dir.join("SHEET.md"), sheet)
    })();
    made.map_err(|e| format!("{}: {e}", dir.display()))
}

/// Whether task `number`'s folder holds anything (the offline `exam status`: changed
/// or untouched, never right or wrong).
pub fn changed(dir: &Path, number: usize) -> bool {
    std::fs::read_dir(task_dir(dir, number)).is_ok_and(|mut entries| entries.next().is_some())
}

/// Grades every task folder of `exam` by simulation as of `graded_at` and reports
/// through `on_event` as the live [`super::end`] does (no namespace to delete). A
/// folder that cannot be read is that task's result: 0 points and why.
pub fn end(
    catalog: &Catalog,
    exam: &Exam,
    graded_at: jiff::Timestamp,
    lang: Lang,
    on_event: &dyn Fn(Event),
) {
    on_event(Event::Started {
        exam,
        now: graded_at,
    });
    let dir = exam.folders.clone().unwrap_or_default();
    for task in &exam.tasks {
        let lab = match catalog
            .get(&task.lab)
            .map(|l| l.variant(Some(&exam.variant)))
        {
            None => Err(msg!("cli-unknown-lab", lab = task.lab.as_str()).render(lang)),
            Some(loaded) => loaded.map_err(|e| e.to_string()),
        };
        let folder = task_dir(&dir, task.number);
        let result = match &lab {
            Err(e) => Err(e.clone()),
            Ok(lab) => match crate::manifest::load_paths(std::slice::from_ref(&folder)) {
                Ok(submission) => Ok(Grader::new(lab).grade(&submission, lang)),
                Err(errors) => Err(errors
                    .iter()
                    .map(|e| e.message().render(lang))
                    .collect::<Vec<_>>()
                    .join("\n")),
            },
        };
        let graded = TaskResult {
            task: task.clone(),
            lab: lab.ok(),
            result,
        };
        on_event(Event::TaskGraded(&graded));
    }
    on_event(Event::Finished { deleted: &[] });
}
