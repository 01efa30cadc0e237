//! `kubelab completions SHELL` and `kubelab man`: shell completions (clap_complete) and
//! the man page kubelab(1) in roff (clap_mangen), both generated from the same command
//! definition as `--help`, printed to stdout.

use super::stdout::out;
use super::{Cli, exit};
use clap::CommandFactory;

#[derive(clap::Args, Debug)]
pub struct CompletionArgs {
    /// The shell: bash, zsh, fish, elvish or powershell. Install, e.g. for bash:
    /// `kubelab completions bash > ~/.local/share/bash-completion/completions/kubelab`.
    shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {}

pub fn completions(args: CompletionArgs) -> u8 {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut command, "kubelab", &mut buffer);
    out!("{}", String::from_utf8_lossy(&buffer));
    exit::PASSED
}

/// The man page of kubelab and of each command, one after the other (`kubelab man |
/// man -l -`).
pub fn man(_: ManArgs) -> u8 {
    let command = Cli::command();
    let mut buffer = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = clap_mangen::Man::new(command.clone()).render(&mut buffer);
    for sub in command.get_subcommands() {
        let name = format!("kubelab-{}", sub.get_name());
        let page = clap_mangen::Man::new(sub.clone().name(name));
        let _ = page.render(&mut buffer);
    }
    out!("{}", String::from_utf8_lossy(&buffer));
    exit::PASSED
}
