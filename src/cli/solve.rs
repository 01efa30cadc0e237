//! `kubelab solve LAB [--write DIR]`: the reference solution, file by file in the order
//! of the lab's steps (the step that first asks for a file's object comes first), each
//! file headed by the step it answers in the chosen language — or written into DIR.

use super::stdout::{out, outln};
use super::{Failure, exit, find_variant, language};
use crate::lab::{Catalog, Lab, Lang};
use crate::msg;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
    /// Write the files into this folder (created if missing) instead of printing them.
    /// A file that exists already is never replaced without `--force`: the learner's own
    /// answer may be in it.
    #[arg(long, value_name = "DIR")]
    write: Option<PathBuf>,
    /// With `--write`: replace files that exist already.
    #[arg(long, requires = "write")]
    force: bool,
    /// The language of the headings, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`). The files themselves are the
    /// seed's, comments included.
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    #[command(flatten)]
    variant: super::VariantArg,
}

/// The index of the first step whose `submit` names `file` (files no step names last).
fn step_of(lab: &Lab, file: &str) -> usize {
    lab.steps
        .iter()
        .position(|step| step.submit.iter().any(|s| s.file == file))
        .unwrap_or(lab.steps.len())
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let lab = &find_variant(catalog, &args.lab, args.variant.as_deref(), lang)?;
    let mut files = lab.solution_files();
    if files.is_empty() {
        return Err(Failure::bad_input_said(
            msg!("cli-solve-no-solution", lab = lab.id.as_str()),
            Some(msg!("cli-solve-no-solution-help")),
            lang,
        ));
    }
    files.sort_by_key(|(name, _)| (step_of(lab, name), name.clone()));
    if let Some(dir) = &args.write {
        let cannot = |path: &std::path::Path, e: std::io::Error| {
            let message = msg!(
                "cli-solve-cannot-write",
                path = path.display().to_string(),
                reason = e.to_string()
            );
            Failure::environment_said(message, None, lang)
        };
        // Refuse before writing anything: either every file is written or none is.
        let existing: Vec<String> = files
            .iter()
            .filter(|(name, _)| dir.join(name).symlink_metadata().is_ok())
            .map(|(name, _)| name.clone())
            .collect();
        if !args.force && !existing.is_empty() {
            return Err(Failure::bad_input_said(
                msg!(
                    "cli-solve-would-overwrite",
                    dir = dir.display().to_string(),
                    files = existing.join(", ")
                ),
                Some(msg!("cli-solve-would-overwrite-help")),
                lang,
            ));
        }
        std::fs::create_dir_all(dir).map_err(|e| cannot(dir, e))?;
        for (name, text) in &files {
            let path = dir.join(name);
            let written = if args.force {
                std::fs::write(&path, text)
            } else {
                // `create_new`: a file that appeared since the check above is not replaced.
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            };
            written.map_err(|e| cannot(&path, e))?;
            outln!("{}", path.display());
        }
        return Ok(exit::PASSED);
    }
    for (i, (name, text)) in files.iter().enumerate() {
        if i > 0 {
            outln!("---");
        }
        outln!(
            "# {}",
            msg!("cli-solve-file", file = name.as_str()).render(lang)
        );
        if let Some(step) = lab.steps.get(step_of(lab, name)) {
            let index = step_of(lab, name) + 1;
            let heading = msg!(
                "cli-solve-step",
                index = index,
                title = step.title.get(lang)
            );
            outln!("# {}", heading.render(lang));
        }
        // The seed's files start with their own name as a comment; the heading above
        // already says it.
        let own_name = format!("# {name}\n");
        out!("{}", text.strip_prefix(own_name.as_str()).unwrap_or(text));
    }
    Ok(exit::PASSED)
}
