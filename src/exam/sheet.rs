//! The exam's task sheet (Markdown, in Korean or English): the variant, the time, the
//! points, and each task's namespace and text — no hints and no solution.

use super::{Exam, format_duration_in};
use crate::lab::task_body;
use crate::lab::{Lab, Lang};
use crate::msg;
use std::fmt::Write as _;

/// The sheet of `exam`, whose tasks are `labs` (in the exam's variant, in task order).
/// A task without a namespace is an offline sheet's: it says how to grade the answers
/// with `kubelab grade … --variant`.
pub fn render(exam: &Exam, labs: &[Lab], lang: Lang) -> String {
    let offline = exam.tasks.iter().all(|t| t.namespace.is_none());
    let mut out = String::new();
    writeln!(out, "# {}\n", msg!("exam-sheet-title").render(lang)).unwrap();
    let duration = exam
        .deadline
        .duration_since(exam.started)
        .try_into()
        .unwrap_or_default();
    let summary = if offline {
        msg!(
            "exam-sheet-summary-offline",
            variant = exam.variant.as_str(),
            tasks = exam.tasks.len(),
            points = exam.points(),
            duration = format_duration_in(duration, lang),
            mark = exam.pass_mark
        )
    } else {
        msg!(
            "exam-sheet-summary",
            exam = exam.id.as_str(),
            variant = exam.variant.as_str(),
            tasks = exam.tasks.len(),
            points = exam.points(),
            duration = format_duration_in(duration, lang),
            deadline = exam.deadline.to_string(),
            mark = exam.pass_mark
        )
    };
    writeln!(out, "{}\n", summary.render(lang)).unwrap();
    let rules = if let Some(dir) = &exam.folders {
        msg!(
            "exam-sheet-rules-offline-exam",
            exam = exam.id.as_str(),
            dir = dir.display().to_string(),
            deadline = exam.deadline.to_string()
        )
    } else if offline {
        msg!("exam-sheet-rules-offline", variant = exam.variant.as_str())
    } else {
        msg!("exam-sheet-rules")
    };
    writeln!(out, "{}\n", rules.render(lang)).unwrap();
    if let (Some(path), true) = (&exam.kubeconfig, exam.merged) {
        let path = path.display().to_string();
        writeln!(
            out,
            "{}\n",
            msg!("exam-sheet-kubeconfig-merged", path = path.as_str()).render(lang)
        )
        .unwrap();
    } else if let Some(path) = &exam.kubeconfig {
        let path = path.display().to_string();
        writeln!(
            out,
            "{}\n\n```bash\nexport KUBECONFIG='{}'\n```\n",
            msg!("exam-sheet-kubeconfig", path = path.as_str()).render(lang),
            path.replace('\'', "'\\''")
        )
        .unwrap();
    }
    for (task, lab) in exam.tasks.iter().zip(labs) {
        writeln!(
            out,
            "## {}\n",
            msg!(
                "exam-sheet-task",
                number = task.number,
                title = lab.title.get(lang),
                points = task.points,
                weight = exam.weight(task).to_string()
            )
            .render(lang)
        )
        .unwrap();
        match &task.namespace {
            Some(ns) if exam.kubeconfig.is_some() => writeln!(
                out,
                "{}\n\n```bash\nkubectl config use-context {context}\n```\n",
                msg!(
                    "exam-sheet-context",
                    context = super::contexts::name(task.number),
                    namespace = ns.as_str()
                )
                .render(lang),
                context = super::contexts::name(task.number)
            )
            .unwrap(),
            Some(ns) => writeln!(
                out,
                "{}\n\n```bash\nkubectl config set-context --current --namespace={ns}\n```\n",
                msg!("exam-sheet-namespace", namespace = ns.as_str()).render(lang)
            )
            .unwrap(),
            None if exam.folders.is_some() => writeln!(
                out,
                "{}\n",
                msg!(
                    "exam-sheet-folder",
                    folder = super::offline::task_dir(
                        exam.folders.as_deref().unwrap_or(std::path::Path::new(".")),
                        task.number
                    )
                    .display()
                    .to_string()
                )
                .render(lang)
            )
            .unwrap(),
            None => writeln!(
                out,
                "```bash\nkubelab grade {} task-{}/ --offline --variant '{}'\n```\n",
                lab.id,
                task.number,
                exam.variant.replace('\'', "'\\''")
            )
            .unwrap(),
        }
        out.push_str(&task_body(lab, lang, &lab.param_values(), 3));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Catalog;

    #[test]
    fn the_sheet_has_every_task_and_no_hint_in_both_languages() {
        let catalog = Catalog::embedded().unwrap();
        let now: jiff::Timestamp = "2026-11-30T10:00:00Z".parse().unwrap();
        let (exam, labs) = Exam::plan(&catalog, &[], "han", None, now).unwrap();
        for lang in Lang::ALL {
            let sheet = render(&exam, &labs, lang);
            for lab in &labs {
                assert!(sheet.contains(lab.title.get(lang)), "{sheet}");
                for step in &lab.steps {
                    if let Some(hint) = &step.hint {
                        assert!(!sheet.contains(hint.get(lang)), "a hint on the sheet");
                    }
                }
            }
            assert!(sheet.contains("--offline --variant 'han'"), "{sheet}");
            assert!(!sheet.contains('⟦'), "{sheet}");
        }
    }
}
