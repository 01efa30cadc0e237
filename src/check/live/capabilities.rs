//! `capabilities`: the bounding set of the container's process (`CapBnd` in
//! `/proc/1/status`), decoded to names.

use super::security::run;
use super::{LiveContext, target_ready};
use crate::check::outcome::Outcome;
use crate::check::security_context::{ALL_CAPS, bounding_set_message};
use crate::lab::Capabilities;
use std::collections::BTreeSet;

/// Capability names of a `CapBnd`/`CapEff` hex mask.
pub fn decode(mask: &str) -> Option<BTreeSet<String>> {
    let bits = u64::from_str_radix(mask.trim(), 16).ok()?;
    Some(
        (0..64)
            .filter(|bit| bits & (1 << bit) != 0)
            .map(|bit| {
                ALL_CAPS
                    .get(bit)
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| format!("CAP_{bit}"))
            })
            .collect(),
    )
}

fn field<'s>(status: &'s str, name: &str) -> Option<&'s str> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .map(str::trim)
}

pub async fn evaluate(spec: &Capabilities, ctx: &LiveContext<'_>) -> Outcome {
    if let Err(outcome) = target_ready(&spec.target, ctx).await {
        return outcome;
    }
    let status = match run(&spec.target, ctx, &["cat", "/proc/1/status"]).await {
        Ok(out) => out.stdout,
        Err(outcome) => return outcome,
    };
    let (Some(bounding), Some(effective)) = (field(&status, "CapBnd:"), field(&status, "CapEff:"))
    else {
        return Outcome::error(crate::msg!("check-no-capbnd"));
    };
    let Some(set) = decode(bounding) else {
        return Outcome::error(crate::msg!("check-capbnd-not-hex", mask = bounding));
    };
    let allowed: BTreeSet<String> = spec
        .allowed
        .iter()
        .map(|c| c.trim_start_matches("CAP_").to_ascii_uppercase())
        .collect();
    let extra: Vec<&String> = set.difference(&allowed).collect();
    let detail = crate::msg!(
        "check-capbnd-capeff",
        bounding = bounding,
        effective = effective
    );
    if extra.is_empty() {
        Outcome::pass(bounding_set_message(&set)).with_detail(detail)
    } else {
        let list = extra
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Outcome::fail(crate::msg!("check-caps-kept", list = list), None).with_detail(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_decode_to_names() {
        assert!(decode("0000000000000000").unwrap().is_empty());
        assert_eq!(
            decode("0000000000000400").unwrap(),
            BTreeSet::from(["NET_BIND_SERVICE".to_string()])
        );
        // containerd's default set.
        let default = decode("00000000a80425fb").unwrap();
        assert!(
            default.contains("CHOWN")
                && default.contains("NET_RAW")
                && !default.contains("SYS_ADMIN")
        );
        assert_eq!(default.len(), 14);
    }
}
