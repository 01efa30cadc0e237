//! `kubelab doctor`: is this cluster fit for live grading? One row per check, ✔ or ✘;
//! exit 0 when all pass, 3 (environment error) otherwise.

use super::stdout::outln;
use super::{Failure, exit};
use crate::cluster::doctor::{self, Check};
use crate::cluster::{ClusterError, ConnectOptions};
use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    connect: ConnectOptions,
}

/// The whole doctor run may take this long at most.
const TOTAL: Duration = Duration::from_secs(240);

pub fn run(args: Args) -> Result<u8, Failure> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Failure {
        code: exit::ENVIRONMENT,
        report: miette::Report::new(ClusterError::Protocol(format!(
            "cannot start the async runtime: {e}"
        ))),
        location: None,
        unreadable_input: false,
    })?;
    let start = Instant::now();
    let checks = runtime
        .block_on(async { tokio::time::timeout(TOTAL, doctor::run(&args.connect)).await })
        .unwrap_or_else(|_| {
            vec![Check {
                name: "doctor".into(),
                ok: false,
                detail: format!("did not finish within {}s", TOTAL.as_secs()),
            }]
        });
    outln!("{}", render(&checks));
    let failed = checks.iter().filter(|c| !c.ok).count();
    if failed == 0 {
        outln!(
            "all {} checks passed in {:.1}s",
            checks.len(),
            start.elapsed().as_secs_f64()
        );
        Ok(exit::PASSED)
    } else {
        outln!("{failed} of {} checks failed", checks.len());
        Ok(exit::ENVIRONMENT)
    }
}

/// The doctor's table, as wide as `COLUMNS` (else the terminal, else 120 columns).
pub fn render(checks: &[Check]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(super::width())
        .set_header(vec!["", "check", "detail"]);
    for check in checks {
        table.add_row(vec![
            if check.ok { "✔" } else { "✘" }.to_string(),
            check.name.clone(),
            check.detail.clone(),
        ]);
    }
    table
}
