//! `exec` offline: only what the image's facts decide (`check::image_facts`). A shell
//! started in an image that has none cannot start (`executable file not found`, exit
//! 127 as [`crate::cluster::exec`] reports it live); a bare `sh` in an image that has one
//! reads no terminal and exits 0. Any other command is `skip`: offline does not run it.

use super::security::resolve;
use crate::check::image_facts::is_shell;
use crate::check::outcome::Outcome;
use crate::check::world::World;
use crate::lab::Exec;

/// The exit code `executable file not found` is reported with, live and offline.
pub use crate::cluster::exec::NOT_FOUND;

pub fn evaluate(spec: &Exec, world: &World<'_>) -> Outcome {
    if !is_shell(&spec.command) {
        return Outcome::skip(crate::msg!("check-exec-offline"));
    }
    // The pod must run for any exec (a startup failure fails the check, as live).
    let (object, eff) = match resolve(&spec.target, world, false) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let Some(facts) = eff.facts() else {
        return Outcome::skip(crate::msg!(
            "check-exec-image-unknown",
            image = eff.image.as_str()
        ));
    };
    let command = spec.command.join(" ");
    let (code, shown) = if !facts.shell {
        (
            NOT_FOUND,
            crate::msg!(
                "check-exec-no-shell",
                command = command.as_str(),
                image = eff.image.as_str()
            ),
        )
    } else if spec.command.len() == 1 {
        (
            0,
            crate::msg!(
                "check-exec-shell-exits",
                command = command.as_str(),
                image = eff.image.as_str()
            ),
        )
    } else {
        return Outcome::skip(crate::msg!("check-exec-offline"));
    };
    if spec.output.is_some() {
        return Outcome::skip(crate::msg!("check-exec-offline"));
    }
    if spec.exit.accepts(code) {
        Outcome::pass(shown)
    } else {
        let wanted = wanted(spec);
        // The image decides: point at the container's `image`.
        let at = object.locate(&eff.container_path.key("image"));
        Outcome::fail(
            crate::msg!("check-exec-expected", shown = shown, wanted = wanted),
            Some(at),
        )
    }
}

/// "exit 0", "a non-zero exit", "exit 0 and output containing …".
pub fn wanted(spec: &Exec) -> crate::i18n::Message {
    match (&spec.output, spec.exit) {
        (Some(text), exit) => crate::msg!(
            "check-exec-wanted-output",
            code = exit.to_string(),
            output = format!("{text:?}")
        ),
        (None, crate::lab::ExitExpect::NonZero) => crate::msg!("check-exec-wanted-nonzero"),
        (None, exit) => crate::msg!("check-exec-wanted-exit", code = exit.to_string()),
    }
}
