//! `kubelab grade LAB PATH...`: grade a learner's manifests — live when a cluster is
//! reachable (or `--live`), else offline, saying which.

use super::stdout::out;
use super::{Failure, exit, find_variant, language, runtime, say_interrupted};
use crate::check::Verdict;
use crate::cluster::janitor::{Janitor, interrupted};
use crate::cluster::{ClusterError, ConnectOptions, connect};
use crate::grade::live::{self, LiveOptions};
use crate::grade::{Grader, LabResult};
use crate::lab::{Catalog, Lang};
use crate::manifest::{self, Submission};
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
    #[arg(long, conflicts_with = "live")]
    offline: bool,
    /// Grade on the cluster; an unreachable cluster is an error (exit 3) instead of a
    /// fallback to offline grading.
    #[arg(long)]
    live: bool,
    /// The report: `table` for a terminal, `json` (the JSON contract: the book's
    /// Reference → JSON output), `junit` (JUnit XML for CI) or `gradescope` (the
    /// `results.json` of a Gradescope autograder).
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// The language of the learner-facing text, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Report (and exit by) only this step (an id of `kubelab show LAB`); may be given
    /// several times. The whole lab is still graded, as a later step builds on an
    /// earlier one: one command per step gives per-step points to an autograder that
    /// scores a command by its exit code (GitHub Classroom's command grader).
    #[arg(long, value_name = "STEP")]
    step: Vec<String>,
    #[command(flatten)]
    variant: super::VariantArg,
    #[command(flatten)]
    connect: ConnectOptions,
}

/// Grades; when no result can be produced and the output is for a machine (JSON,
/// JUnit, Gradescope), stdout still gets one complete document naming the error
/// ([`report::failure`]), and stderr the diagnostic.
pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let output = args.output;
    let lab_id = args.lab.clone();
    let lang = language(args.lang);
    grade(catalog, args).inspect_err(|failure| {
        let doc = failure.doc(&lab_id, catalog.get(&lab_id).map(|lab| lab.title.get(lang)));
        match output {
            Output::Table => {}
            Output::Json => out!("{}", doc.json()),
            Output::Junit => out!("{}", doc.junit()),
            Output::Gradescope => out!("{}", report::gradescope::failure(&doc)),
        }
    })
}

fn grade(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let lab = &find_variant(catalog, &args.lab, args.variant.as_deref(), lang)?;
    if let Some(unknown) = args
        .step
        .iter()
        .find(|id| !lab.steps.iter().any(|s| &s.id == *id))
    {
        let steps: Vec<&str> = lab.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(Failure::bad_input_said(
            crate::msg!(
                "cli-grade-unknown-step",
                lab = lab.id.as_str(),
                step = unknown.as_str(),
                steps = steps.join(", ")
            ),
            None,
            lang,
        ));
    }
    let submission = manifest::load_paths(&args.paths).map_err(|e| Failure::input(e, lang))?;
    let mut result = if args.offline {
        Grader::new(lab).grade(&submission, lang)
    } else {
        runtime(lang)?.block_on(grade_on_cluster(lab, &submission, lang, &args))?
    };
    if !args.step.is_empty() {
        result.only_steps(&args.step);
    }
    out!("{}", render(&result, &submission, args.output));
    Ok(exit_code(&result))
}

async fn grade_on_cluster(
    lab: &crate::lab::Lab,
    submission: &Submission,
    lang: Lang,
    args: &Args,
) -> Result<LabResult, Failure> {
    let cluster = match connect(&args.connect).await {
        Ok(cluster) => cluster,
        Err(e) if args.live || matches!(e, ClusterError::KubeconfigUnreadable { .. }) => {
            return Err(Failure::connect(e, lang));
        }
        Err(e) => {
            let mut result = Grader::new(lab).grade(submission, lang);
            result.notes.insert(
                0,
                crate::msg!("grade-offline-because", reason = e.message()).render(lang),
            );
            return Ok(result);
        }
    };
    let janitor = Janitor::default();
    let progress = super::progress::for_output(args.output == Output::Table);
    let options = LiveOptions::default();
    tokio::select! {
        result = live::grade(&cluster.client, &janitor, lab, submission, lang, &options, progress.as_ref()) => {
            result.map_err(Failure::environment)
        }
        _ = interrupted() => {
            drop(progress);
            let deleted = janitor.cleanup().await;
            say_interrupted(&deleted, lang);
            Err(Failure::interrupted(lang))
        }
    }
}

pub fn render(result: &LabResult, submission: &Submission, output: Output) -> String {
    let width = super::width();
    match output {
        Output::Table => report::table::render(result, &submission.files, width),
        Output::Json => report::json::render(result),
        Output::Junit => report::junit::render(result),
        Output::Gradescope => report::gradescope::render(result),
    }
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
