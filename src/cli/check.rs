//! `kubelab check LAB [-n NS]`: grade the live state of a namespace made by `kubelab
//! start`, where the learner worked with kubectl.

use super::stdout::out;
use super::{Failure, find_lab, language, runtime};
use crate::cluster::{ClusterError, ConnectOptions, Sandbox, connect};
use crate::grade::live::{self, LiveOptions};
use crate::lab::{Catalog, Lang};
use crate::manifest::Submission;
use crate::msg;
use crate::report::Output;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
    /// The namespace `kubelab start` made (default: the newest one for this lab).
    #[arg(short, long)]
    namespace: Option<String>,
    /// The report: `table` for a terminal, `json` (the JSON contract: the book's
    /// Reference → JSON output) or `junit` (JUnit XML for CI).
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// The language of the learner-facing text, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// The variant `kubelab start` was given (default: the one the namespace saved;
    /// another one is an error).
    #[command(flatten)]
    variant: super::VariantArg,
    #[command(flatten)]
    connect: ConnectOptions,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let lab = find_lab(catalog, &args.lab, lang)?;
    let not_started = || {
        Failure::bad_input_said(
            msg!("cli-check-not-started", lab = lab.id.as_str()),
            Some(msg!("cli-check-not-started-help", lab = lab.id.as_str())),
            lang,
        )
    };
    let result = runtime(lang)?.block_on(async {
        let cluster = connect(&args.connect)
            .await
            .map_err(|e| Failure::connect(e, lang))?;
        let sandbox = match &args.namespace {
            Some(ns) => {
                Sandbox::adopt(&cluster.client, ns, &lab.id)
                    .await
                    .map_err(|e| match e {
                        ClusterError::Api { .. } => {
                            Failure::bad_input_said(e.message(), e.help_message(), lang)
                        }
                        other => Failure::cluster(other, lang),
                    })?
            }
            None => Sandbox::newest(&cluster.client, &lab.id)
                .await
                .map_err(|e| Failure::cluster(e, lang))?
                .ok_or_else(not_started)?,
        };
        // The exam grades nothing until it ends, as the CKS does.
        if let Some(exam) = crate::exam::task_of(&cluster.client, &sandbox.namespace)
            .await
            .map_err(|e| Failure::cluster(e, lang))?
        {
            return Err(Failure::exam_running(
                msg!(
                    "cli-check-exam-running",
                    namespace = sandbox.namespace.as_str(),
                    exam = exam.as_str()
                ),
                msg!("cli-check-exam-running-help"),
                lang,
            ));
        }
        let (lab, params) = live::load_params(&sandbox, lab)
            .await
            .map_err(|e| Failure::cluster(e, lang))?;
        if let Some(seed) = args.variant.as_deref()
            && lab.variant.as_deref() != Some(seed)
        {
            return Err(Failure::bad_input_said(
                msg!(
                    "cli-check-other-variant",
                    namespace = sandbox.namespace.as_str(),
                    variant = lab.variant.as_deref().unwrap_or("-"),
                    asked = seed
                ),
                Some(msg!("cli-check-other-variant-help")),
                lang,
            ));
        }
        live::check_namespace(&sandbox, &lab, &params, lang, &LiveOptions::default())
            .await
            .map_err(Failure::environment)
    })?;
    out!(
        "{}",
        super::grade::render(&result, &Submission::default(), args.output)
    );
    Ok(super::grade::exit_code(&result))
}
