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
    let shown = format!(
        "`{}` exited {}: {}",
        spec.command.join(" "),
        out.code,
        out.combined()
    );
    let output_ok = spec
        .output
        .as_ref()
        .is_none_or(|text| out.combined().contains(text.as_str()));
    if out.code == spec.exit && output_ok {
        Outcome::pass(shown)
    } else {
        let wanted = match &spec.output {
            Some(text) => format!("exit {} and output containing {text:?}", spec.exit),
            None => format!("exit {}", spec.exit),
        };
        Outcome::fail(format!("{shown}; expected {wanted}"), None)
    }
}
