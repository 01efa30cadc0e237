//! `kubelab clean`: deletes every namespace kubelab created (label
//! `app.kubernetes.io/managed-by=kubelab`) and nothing else, waiting until they are gone.

use super::{Failure, exit};
use crate::cluster::{ClusterError, ConnectOptions, connect, sandbox};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    connect: ConnectOptions,
    /// How long to wait for the namespaces to be gone, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    timeout: u64,
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
    let cluster = connect(&args.connect).await.map_err(environment)?;
    let removed = sandbox::clean(&cluster.client, Duration::from_secs(args.timeout))
        .await
        .map_err(environment)?;
    if removed.is_empty() {
        println!(
            "nothing to clean: no namespace carries {}={}",
            sandbox::MANAGED_BY_LABEL,
            sandbox::MANAGED_BY
        );
    } else {
        for namespace in &removed {
            println!("deleted namespace {namespace}");
        }
        println!("{} namespace(s) removed", removed.len());
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
