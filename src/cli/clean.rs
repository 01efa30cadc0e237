//! `kubelab clean`: deletes the namespaces kubelab created (label
//! `app.kubernetes.io/managed-by=kubelab`) that nobody uses any more — those whose run
//! is dead, and the caller's own `kubelab start` labs — or one run's (`--run ID`), or
//! all of them (`--all`), waiting until they are gone; nothing else. Safe on a shared
//! cluster: a concurrent run's namespaces are kept (see [`crate::cluster::run`]).

use super::stdout::outln;
use super::{Failure, exit, language, no_runtime};
use crate::cluster::{ConnectOptions, connect, run, sandbox};
use crate::lab::Lang;
use crate::msg;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    connect: ConnectOptions,
    /// How long to wait for the namespaces to be gone, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    timeout: u64,
    /// Delete every namespace of this run (the `kubelab.dev/run` label), alive or not.
    #[arg(long, value_name = "ID", conflicts_with = "all")]
    run: Option<String>,
    /// Delete every kubelab namespace, including those of runs still alive (other
    /// learners' labs on a shared cluster too).
    #[arg(long)]
    all: bool,
}

/// The language of what `clean` prints: the locale's (it has no `--lang`).
pub fn run(args: Args) -> Result<u8, Failure> {
    let lang = language(None);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| no_runtime(e, lang))?;
    runtime.block_on(clean(args, lang))
}

async fn clean(args: Args, lang: Lang) -> Result<u8, Failure> {
    let cluster = connect(&args.connect)
        .await
        .map_err(|e| Failure::connect(e, lang))?;
    let scope = match (args.run, args.all) {
        (_, true) => run::Scope::All,
        (Some(id), false) => run::Scope::Run(id),
        (None, false) => run::Scope::Dead,
    };
    let cleaned = sandbox::clean(&cluster.client, &scope, Duration::from_secs(args.timeout))
        .await
        .map_err(|e| Failure::cluster(e, lang))?;
    for (namespace, why) in &cleaned.deleted {
        let line = msg!(
            "cli-clean-deleted",
            namespace = namespace,
            why = why.clone()
        );
        outln!("{}", line.render(lang));
    }
    for (namespace, why) in &cleaned.kept {
        let line = msg!("cli-clean-kept", namespace = namespace, why = why.clone());
        outln!("{}", line.render(lang));
    }
    let summary = if cleaned.deleted.is_empty() && cleaned.kept.is_empty() {
        let label = format!("{}={}", sandbox::MANAGED_BY_LABEL, sandbox::MANAGED_BY);
        msg!("cli-clean-nothing", label = label)
    } else {
        msg!(
            "cli-clean-summary",
            deleted = cleaned.deleted.len(),
            kept = cleaned.kept.len()
        )
    };
    outln!("{}", summary.render(lang));
    Ok(exit::PASSED)
}
