//! `kubelab doctor`: is this cluster fit for live grading? One row per check, ✔ or ✘;
//! exit 0 when all pass, 3 (environment error) otherwise.

use super::stdout::outln;
use super::{Failure, exit, language, no_runtime};
use crate::cluster::ConnectOptions;
use crate::cluster::doctor::{self, Check};
use crate::lab::Lang;
use crate::msg;
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

/// The language of the table, its chrome and the checks' names and details: the
/// locale's (`doctor` has no `--lang`).
pub fn run(args: Args) -> Result<u8, Failure> {
    let lang = language(None);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| no_runtime(e, lang))?;
    let start = Instant::now();
    let checks = runtime
        .block_on(async { tokio::time::timeout(TOTAL, doctor::run(&args.connect)).await })
        .unwrap_or_else(|_| {
            vec![Check {
                name: msg!("cluster-doctor-whole"),
                ok: false,
                detail: msg!("cli-doctor-timeout", seconds = TOTAL.as_secs()),
            }]
        });
    outln!("{}", render(&checks, lang));
    let failed = checks.iter().filter(|c| !c.ok).count();
    if failed == 0 {
        let seconds = format!("{:.1}", start.elapsed().as_secs_f64());
        let line = msg!("cli-doctor-passed", count = checks.len(), seconds = seconds);
        outln!("{}", line.render(lang));
        Ok(exit::PASSED)
    } else {
        let line = msg!("cli-doctor-failed", failed = failed, count = checks.len());
        outln!("{}", line.render(lang));
        Ok(exit::ENVIRONMENT)
    }
}

/// The doctor's table, as wide as `COLUMNS` (else the terminal, else 120 columns).
pub fn render(checks: &[Check], lang: Lang) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(super::width())
        .set_header(vec![
            String::new(),
            msg!("cli-doctor-check").render(lang),
            msg!("cli-doctor-detail").render(lang),
        ]);
    for check in checks {
        table.add_row(vec![
            if check.ok { "✔" } else { "✘" }.to_string(),
            check.name.render(lang),
            check.detail.render(lang),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_shows_the_checks_in_the_locale_language() {
        let checks = vec![
            Check {
                name: crate::cluster::doctor::PERMISSIONS[0].label(),
                ok: true,
                detail: msg!("cluster-doctor-allowed"),
            },
            Check {
                name: msg!("cluster-doctor-whole"),
                ok: false,
                detail: msg!("cli-doctor-timeout", seconds = TOTAL.as_secs()),
            },
        ];
        // The cells, not the drawn table: a narrow COLUMNS would wrap them.
        let cells = |lang| {
            render(&checks, lang)
                .row_iter()
                .flat_map(|row| row.cell_iter().map(|c| c.content()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let english = cells(Lang::En);
        assert!(english.contains("permission: create, delete, get, list, patch namespaces"));
        assert!(english.contains("allowed in every namespace"));
        assert!(english.contains("did not finish within 240s"));
        let korean = cells(Lang::Ko);
        assert!(korean.contains("권한: create, delete, get, list, patch namespaces"));
        assert!(korean.contains("모든 네임스페이스에서 허용됩니다."));
        assert!(korean.contains("240초 안에 끝나지 않았습니다."));
        assert!(!korean.contains("allowed"), "{korean}");
    }
}
