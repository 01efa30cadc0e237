//! `kubelab show LAB`: the task text, with the lab's parameter values filled in.

use super::stdout::out;
use super::{Failure, exit, find_lab, language};
use crate::lab::{Catalog, Lab, Lang};
use crate::msg;
use std::fmt::Write as _;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
    /// The language of the learner-facing text, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let lab = find_lab(catalog, &args.lab, lang)?;
    out!("{}", task_text(lab, lang));
    Ok(exit::PASSED)
}

/// The task as Markdown; the book renders the same text.
pub fn task_text(lab: &Lab, lang: Lang) -> String {
    task_text_with(lab, lang, &lab.default_params())
}

/// The task with a live run's parameter values (`kubelab start`).
pub fn task_text_with(
    lab: &Lab,
    lang: Lang,
    params: &std::collections::BTreeMap<String, String>,
) -> String {
    let params = params.clone();
    let [scenario, setup, values, files] = [
        msg!("cli-show-scenario"),
        msg!("cli-show-setup"),
        msg!("cli-show-values"),
        msg!("cli-show-submit"),
    ]
    .map(|m| m.render(lang));
    let mut out = String::new();
    writeln!(out, "# {}\n", lab.title.get(lang)).unwrap();
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
                param.default,
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
            "## {}. {} ({})\n",
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
