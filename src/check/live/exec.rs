//! `exec`: a command in the container, its exit code and output.

use super::security::run;
use super::{LiveContext, target_ready};
use crate::check::outcome::Outcome;
use crate::lab::Exec;

pub async fn evaluate(spec: &Exec, ctx: &LiveContext<'_>) -> Outcome {
    if let Err(outcome) = target_ready(&spec.target, ctx).await {
        return outcome;
    }
    let command: Vec<&str> = spec.command.iter().map(String::as_str).collect();
    let out = match run(&spec.target, ctx, &command).await {
        Ok(out) => out,
        Err(outcome) => return outcome,
    };
    let shown = crate::msg!(
        "check-exec-exited",
        command = spec.command.join(" "),
        code = out.code.to_string(),
        output = out.combined()
    );
    let output_ok = spec
        .output
        .as_ref()
        .is_none_or(|text| out.combined().contains(text.as_str()));
    if spec.exit.accepts(out.code) && output_ok {
        Outcome::pass(shown)
    } else {
        let wanted = crate::check::offline::wanted(spec);
        Outcome::fail(
            crate::msg!("check-exec-expected", shown = shown, wanted = wanted),
            None,
        )
    }
}
