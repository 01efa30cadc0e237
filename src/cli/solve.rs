//! `kubelab solve LAB`: the reference solution, file by file.

use super::stdout::{out, outln};
use super::{Failure, exit, find_lab};
use crate::lab::{Catalog, embedded_solution};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("lab `{0}` has no built-in reference solution")]
#[diagnostic(help("labs loaded with --labs keep their solutions in their own repository"))]
struct NoSolution(String);

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lab = find_lab(catalog, &args.lab)?;
    let files = embedded_solution(&lab.id);
    if files.is_empty() {
        return Err(Failure::bad_input(NoSolution(lab.id.clone())));
    }
    for (i, (name, text)) in files.iter().enumerate() {
        if i > 0 {
            outln!("---");
        }
        outln!("# file: {name}");
        out!("{text}");
    }
    Ok(exit::PASSED)
}
