//! `run-as`, `rootfs-readonly`, `no-privilege-escalation`, `capabilities`: the effective
//! security settings of a container (see `check::security_context`).

use crate::check::outcome::Outcome;
use crate::check::security_context::{Effective, effective, find_container, startup_failure};
use crate::check::world::World;
use crate::i18n::Message;
use crate::lab::{Capabilities, RunAs, Target};
use crate::manifest::{FieldPath, Object};
use k8s_openapi::api::core::v1::Pod;
use std::collections::BTreeSet;

/// The container's effective settings, or why there is nothing to check (missing,
/// rejected, or a container that would never start).
fn resolve<'a>(target: &Target, world: &World<'a>) -> Result<(&'a Object, Effective), Outcome> {
    let object = world.require("Pod", &target.pod)?;
    let pod: Pod = object
        .typed()
        .ok_or_else(|| Outcome::error(crate::msg!("check-pod-did-not-deserialize")))?;
    let Some((index, container)) = find_container(&pod, target.container.as_deref()) else {
        let names: Vec<String> = pod
            .spec
            .iter()
            .flat_map(|s| &s.containers)
            .map(|c| format!("`{}`", c.name))
            .collect();
        return Err(Outcome::fail(
            crate::msg!(
                "check-no-such-container",
                pod = &target.pod,
                container = target.container.as_deref().unwrap_or("?"),
                names = names.join(", ")
            ),
            Some(object.locate(&FieldPath::parse("spec.containers[0].name"))),
        ));
    };
    let eff = effective(&pod, index, container);
    if let Some((why, path)) = startup_failure(&eff) {
        let location = object.locate(&path.unwrap_or_else(|| eff.container_path.clone()));
        return Err(Outcome::fail(why, Some(location)));
    }
    Ok((object, eff))
}

/// Where a value comes from: the field that set it, else `default` (the image's).
fn source(from: &Option<FieldPath>, default: Message) -> Message {
    match from {
        Some(path) => crate::msg!("check-source-field", path = path.to_string()),
        None => default,
    }
}

pub fn run_as(spec: &RunAs, world: &World<'_>) -> Outcome {
    let (object, eff) = match resolve(&spec.target, world) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let sc = eff.container_path.key("securityContext");
    let mut seen = Vec::new();
    if let Some(uid) = spec.uid {
        let why = source(&eff.uid.from, crate::msg!("check-source-image-user"));
        if eff.uid.value != uid {
            let path = eff
                .uid
                .from
                .clone()
                .unwrap_or_else(|| FieldPath::parse("spec.securityContext.runAsUser"));
            return Outcome::fail(
                crate::msg!(
                    "check-run-as-uid-wrong",
                    actual = eff.uid.value,
                    why = why,
                    uid = uid,
                    sc = sc.to_string()
                ),
                Some(object.locate(&path)),
            );
        }
        seen.push(crate::msg!("check-run-as-uid", uid = uid, why = why));
    }
    if let Some(gid) = spec.gid {
        let why = source(&eff.gid.from, crate::msg!("check-source-image-group"));
        if eff.gid.value != gid {
            let path = eff
                .gid
                .from
                .clone()
                .unwrap_or_else(|| FieldPath::parse("spec.securityContext.runAsGroup"));
            return Outcome::fail(
                crate::msg!(
                    "check-run-as-gid-wrong",
                    actual = eff.gid.value,
                    why = why,
                    gid = gid
                ),
                Some(object.locate(&path)),
            );
        }
        seen.push(crate::msg!("check-run-as-gid", gid = gid, why = why));
    }
    let missing: Vec<i64> = spec
        .groups
        .iter()
        .copied()
        .filter(|g| !eff.groups.contains(g))
        .collect();
    if !missing.is_empty() {
        let path = eff
            .groups_from
            .clone()
            .unwrap_or_else(|| FieldPath::parse("spec.securityContext.fsGroup"));
        return Outcome::fail(
            crate::msg!(
                "check-run-as-groups-lack",
                groups = format!("{:?}", eff.groups),
                missing = format!("{missing:?}")
            ),
            Some(object.locate(&path)),
        );
    }
    if !spec.groups.is_empty() {
        seen.push(crate::msg!(
            "check-run-as-groups",
            groups = format!("{:?}", spec.groups)
        ));
    }
    // Each is a clause (`runs as UID 1000 (…)`, `UID 1000으로 실행됩니다(…)`): joined
    // with commas in English, as sentences in Korean.
    let seen = seen
        .into_iter()
        .rev()
        .reduce(|tail, head| crate::msg!("check-runs-as-list", head = head, tail = tail));
    Outcome::pass(seen.unwrap_or_else(|| crate::msg!("check-runs")))
}

pub fn rootfs_readonly(target: &Target, world: &World<'_>) -> Outcome {
    let (object, eff) = match resolve(target, world) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let path = eff
        .container_path
        .key("securityContext")
        .key("readOnlyRootFilesystem");
    if eff.read_only_root.value {
        Outcome::pass(crate::msg!(
            "check-rootfs-read-only",
            path = path.to_string()
        ))
    } else {
        Outcome::fail(
            crate::msg!(
                "check-rootfs-writable",
                sc = eff.container_path.key("securityContext").to_string()
            ),
            Some(object.locate(&path)),
        )
    }
}

pub fn no_privilege_escalation(target: &Target, world: &World<'_>) -> Outcome {
    let (object, eff) = match resolve(target, world) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let path = eff
        .container_path
        .key("securityContext")
        .key("allowPrivilegeEscalation");
    if !eff.allow_privilege_escalation.value {
        return Outcome::pass(crate::msg!(
            "check-escalation-prevented",
            path = path.to_string()
        ));
    }
    let why = if eff.privileged.value {
        crate::msg!("check-escalation-privileged")
    } else if eff.allow_privilege_escalation.from.is_some() {
        crate::msg!("check-escalation-true")
    } else {
        crate::msg!("check-escalation-default")
    };
    let at = eff.allow_privilege_escalation.from.clone().unwrap_or(path);
    Outcome::fail(
        crate::msg!(
            "check-escalation-allowed",
            why = why,
            sc = eff.container_path.key("securityContext").to_string()
        ),
        Some(object.locate(&at)),
    )
}

pub fn capabilities(spec: &Capabilities, world: &World<'_>) -> Outcome {
    let (object, eff) = match resolve(&spec.target, world) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let allowed: BTreeSet<String> = spec
        .allowed
        .iter()
        .map(|c| c.trim_start_matches("CAP_").to_ascii_uppercase())
        .collect();
    let extra: Vec<&String> = eff.capabilities.value.difference(&allowed).collect();
    if extra.is_empty() {
        return Outcome::pass(crate::check::security_context::bounding_set_message(
            &eff.capabilities.value,
        ));
    }
    let list = extra
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // Point at `add` when it brings one of them back, else at `drop` (too narrow).
    let caps = eff
        .container_path
        .key("securityContext")
        .key("capabilities");
    let added: Vec<String> = super::field::lookup(&object.value, &caps.key("add"))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str())
                .map(|c| c.trim_start_matches("CAP_").to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    let at = if eff.privileged.value {
        eff.container_path.key("securityContext").key("privileged")
    } else if extra
        .iter()
        .any(|c| added.contains(*c) || added.iter().any(|a| a == "ALL"))
    {
        caps.key("add")
    } else if super::field::lookup(&object.value, &caps.key("drop")).is_some() {
        caps.key("drop")
    } else {
        caps
    };
    Outcome::fail(
        crate::msg!(
            "check-caps-kept-drop",
            list = list,
            sc = eff.container_path.key("securityContext").to_string()
        ),
        Some(object.locate(&at)),
    )
}
