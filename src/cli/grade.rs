//! `kubelab grade LAB PATH...`: grade a learner's manifests.

use super::{Failure, exit, find_lab, language};
use crate::check::Verdict;
use crate::grade::{Grader, LabResult};
use crate::lab::{Catalog, Lang};
use crate::manifest;
use crate::report::{self, Output};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
    /// Files and folders with the learner's manifests.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Grade by simulation, without a cluster.
    #[arg(long)]
    offline: bool,
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lab = find_lab(catalog, &args.lab)?;
    let submission = manifest::load_paths(&args.paths).map_err(Failure::bad_input)?;
    let mut result = Grader::new(lab)
        .grade(&submission, language(args.lang))
        .map_err(Failure::bad_input)?;
    if !args.offline {
        result.notes.insert(
            0,
            "graded offline: this version of kubelab grades by simulation only".to_string(),
        );
    }
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(120);
    let text = match args.output {
        Output::Table => report::table::render(&result, &submission.files, width),
        Output::Json => report::json::render(&result),
        Output::Junit => report::junit::render(&result),
    };
    print!("{text}");
    Ok(exit_code(&result))
}

/// An environment error makes the verdict unreliable, so it outranks a failure.
pub fn exit_code(result: &LabResult) -> u8 {
    if result.count(Verdict::Error) > 0 {
        exit::ENVIRONMENT
    } else if result.passed {
        exit::PASSED
    } else {
        exit::FAILED
    }
}
