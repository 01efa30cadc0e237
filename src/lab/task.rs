//! A lab's task as Markdown (`kubelab show`, `start`, the book, an exam sheet), with
//! the lab's parameter values filled in.

use super::{Lab, Lang};
use crate::i18n::Message;
use crate::msg;
use std::fmt::Write as _;

/// The task as Markdown; the book renders the same text.
pub fn task_text(lab: &Lab, lang: Lang) -> String {
    task_text_with(lab, lang, &lab.param_values())
}

/// The task with a live run's parameter values (`kubelab start`).
pub fn task_text_with(
    lab: &Lab,
    lang: Lang,
    params: &std::collections::BTreeMap<String, String>,
) -> String {
    // A live run's values (its registry, its credentials) written into the lab's
    // templates; the lab as loaded when they cannot be (they are the lab's own).
    let live = lab.with_values(params).ok();
    let lab = live.as_ref().unwrap_or(lab);
    let word = |id: &'static str| Message::new(id).render(lang);
    let mut out = String::new();
    writeln!(out, "# {}\n", lab.title.get(lang)).unwrap();
    out.push_str(&task_body(lab, lang, params, 2));
    let graded: Vec<String> = lab
        .steps
        .iter()
        .flat_map(|s| &s.submit)
        .map(|s| format!("`{}`", s.file))
        .collect();
    writeln!(out, "## {}\n", word("cli-show-grading")).unwrap();
    writeln!(
        out,
        "{}\n",
        crate::msg!("cli-show-grading-text", files = graded.join(", ")).render(lang)
    )
    .unwrap();
    writeln!(
        out,
        "```bash\nkubelab grade {id} my-work/\nkubelab start {id}    # {}\nkubelab check {id}\n```",
        word("cli-show-grading-live"),
        id = lab.id
    )
    .unwrap();
    out
}

/// The task without its title and without how to grade it: the scenario, the values,
/// what the scenario starts with, and each step (headings of level `depth`, e.g. 2 for
/// `## 1. …`) with its text, files and commands. `params` fill in what the lab's text
/// leaves open (a live run's registry). No hints: an exam sheet is this text.
pub fn task_body(
    lab: &Lab,
    lang: Lang,
    params: &std::collections::BTreeMap<String, String>,
    depth: usize,
) -> String {
    let params = params.clone();
    let [scenario, setup, values, files] = [
        msg!("cli-show-scenario"),
        msg!("cli-show-setup"),
        msg!("cli-show-values"),
        msg!("cli-show-submit"),
    ]
    .map(|m| m.render(lang));
    let heading = "#".repeat(depth);
    let mut out = String::new();
    writeln!(
        out,
        "**{scenario}:** {}\n",
        lab.scenario.render(lang, &params)
    )
    .unwrap();
    if !lab.params.is_empty() {
        writeln!(out, "**{values}:**\n").unwrap();
        for (name, param) in &lab.params {
            writeln!(
                out,
                "- `{name}` = `{}` — {}",
                params.get(name).unwrap_or(&param.default),
                param.about.get(lang)
            )
            .unwrap();
        }
        out.push('\n');
    }
    if !lab.fixtures.is_empty() {
        writeln!(out, "**{setup}:**\n\n```bash").unwrap();
        for fixture in &lab.fixtures {
            writeln!(out, "{}", fixture.command).unwrap();
        }
        writeln!(out, "```\n").unwrap();
    }
    for (i, step) in lab.steps.iter().enumerate() {
        let step_points: u32 = step.checks.iter().map(|c| c.points).sum();
        writeln!(
            out,
            "{heading} {}. {} ({})\n",
            i + 1,
            step.title.render(lang, &params),
            msg!("cli-show-step-points", points = step_points).render(lang)
        )
        .unwrap();
        writeln!(out, "{}\n", step.text.render(lang, &params)).unwrap();
        if !step.submit.is_empty() {
            let names: Vec<String> = step
                .submit
                .iter()
                .map(|s| format!("`{}` ({} `{}`)", s.file, s.kind, s.name))
                .collect();
            writeln!(out, "**{files}:** {}\n", names.join(", ")).unwrap();
        }
        if !step.commands.is_empty() {
            writeln!(out, "```bash").unwrap();
            for command in &step.commands {
                writeln!(out, "{}", crate::lab::substitute(command, &params)).unwrap();
            }
            writeln!(out, "```\n").unwrap();
        }
    }
    out
}
