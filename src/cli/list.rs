//! `kubelab list`: the labs with their steps and points.

use super::stdout::outln;
use super::{Failure, exit, language};
use crate::lab::{Catalog, Lang};
use crate::msg;
use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The language of the learner-facing text, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(
        [
            msg!("cli-list-lab"),
            msg!("cli-list-title"),
            msg!("cli-list-steps"),
            msg!("cli-list-points"),
        ]
        .map(|m| m.render(lang)),
    );
    for lab in catalog.labs() {
        let steps: Vec<&str> = lab.steps.iter().map(|s| s.id.as_str()).collect();
        table.add_row(vec![
            lab.id.clone(),
            lab.title.get(lang).to_string(),
            steps.join(" → "),
            lab.max_score().to_string(),
        ]);
    }
    outln!("{table}");
    Ok(exit::PASSED)
}
