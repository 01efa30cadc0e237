//! `kubelab clean`: deletes the namespaces kubelab created (label
//! `app.kubernetes.io/managed-by=kubelab`) that nobody uses any more — those whose run
//! is dead, and the caller's own `kubelab start` labs — or one run's (`--run ID`), or
//! all of them (`--all`), waiting until they are gone; nothing else. Safe on a shared
//! cluster: a concurrent run's namespaces are kept (see [`crate::cluster::run`]).

use super::stdout::outln;
use super::{Failure, exit};
use crate::cluster::{ClusterError, ConnectOptions, connect, run, sandbox};
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

pub fn run(args: Args) -> Result<u8, Failure> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| {
        environment(ClusterError::Protocol(format!(
            "cannot start the async runtime: {e}"
        )))
    })?;
    runtime.block_on(clean(args))
}

async fn clean(args: Args) -> Result<u8, Failure> {
    let cluster = connect(&args.connect).await.map_err(Failure::connect)?;
    let scope = match (args.run, args.all) {
        (_, true) => run::Scope::All,
        (Some(id), false) => run::Scope::Run(id),
        (None, false) => run::Scope::Dead,
    };
    let cleaned = sandbox::clean(&cluster.client, &scope, Duration::from_secs(args.timeout))
        .await
        .map_err(environment)?;
    for (namespace, why) in &cleaned.deleted {
        outln!("deleted namespace {namespace}: {why}");
    }
    for (namespace, why) in &cleaned.kept {
        outln!("kept namespace {namespace}: {why}");
    }
    if cleaned.deleted.is_empty() && cleaned.kept.is_empty() {
        outln!(
            "nothing to clean: no namespace carries {}={}",
            sandbox::MANAGED_BY_LABEL,
            sandbox::MANAGED_BY
        );
    } else {
        outln!(
            "{} namespace(s) removed, {} kept",
            cleaned.deleted.len(),
            cleaned.kept.len()
        );
    }
    Ok(exit::PASSED)
}

fn environment(error: ClusterError) -> Failure {
    Failure {
        code: exit::ENVIRONMENT,
        report: miette::Report::new(error),
        location: None,
        unreadable_input: false,
    }
}
