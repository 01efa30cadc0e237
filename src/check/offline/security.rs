//! `run-as`, `rootfs-readonly`, `no-privilege-escalation`, `capabilities`: the effective
//! security settings of a container (see `check::security_context`).

use crate::check::outcome::Outcome;
use crate::check::security_context::{Effective, effective, find_container, startup_failure};
use crate::check::world::World;
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
        .ok_or_else(|| Outcome::error("the pod did not deserialize"))?;
    let Some((index, container)) = find_container(&pod, target.container.as_deref()) else {
        let names: Vec<String> = pod
            .spec
            .iter()
            .flat_map(|s| &s.containers)
            .map(|c| format!("`{}`", c.name))
            .collect();
        return Err(Outcome::fail(
            format!(
                "Pod {} has no container `{}` (it has {})",
                target.pod,
                target.container.as_deref().unwrap_or("?"),
                names.join(", ")
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

fn source(from: &Option<FieldPath>, default: &str) -> String {
    match from {
        Some(path) => format!("from {path}"),
        None => default.to_string(),
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
        let why = source(&eff.uid.from, "the image's default user: root");
        if eff.uid.value != uid {
            let path = eff
                .uid
                .from
                .clone()
                .unwrap_or_else(|| FieldPath::parse("spec.securityContext.runAsUser"));
            return Outcome::fail(
                format!(
                    "runs as UID {} ({why}); it must run as UID {uid}: set runAsUser: {uid} in spec.securityContext or in {sc}",
                    eff.uid.value
                ),
                Some(object.locate(&path)),
            );
        }
        seen.push(format!("UID {uid} ({why})"));
    }
    if let Some(gid) = spec.gid {
        let why = source(&eff.gid.from, "the image's default group: 0");
        if eff.gid.value != gid {
            let path = eff
                .gid
                .from
                .clone()
                .unwrap_or_else(|| FieldPath::parse("spec.securityContext.runAsGroup"));
            return Outcome::fail(
                format!(
                    "runs with GID {} ({why}); it must run as GID {gid}: set runAsGroup: {gid}",
                    eff.gid.value
                ),
                Some(object.locate(&path)),
            );
        }
        seen.push(format!("GID {gid} ({why})"));
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
            format!(
                "supplementary groups {:?} lack {missing:?}: set fsGroup (pod level only)",
                eff.groups
            ),
            Some(object.locate(&path)),
        );
    }
    if !spec.groups.is_empty() {
        seen.push(format!("groups {:?}", spec.groups));
    }
    Outcome::pass(format!("runs as {}", seen.join(", ")))
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
        Outcome::pass(format!(
            "the root filesystem is read-only ({path}); `touch /testfile` fails with \"Read-only file system\""
        ))
    } else {
        Outcome::fail(
            format!(
                "the root filesystem is writable: set readOnlyRootFilesystem: true in {} (a container-level field)",
                eff.container_path.key("securityContext")
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
        return Outcome::pass(format!(
            "privilege escalation is prevented ({path}); the process has NoNewPrivs: 1"
        ));
    }
    let why = if eff.privileged.value {
        "the container is privileged, which always allows escalation".to_string()
    } else if eff.allow_privilege_escalation.from.is_some() {
        "allowPrivilegeEscalation is true".to_string()
    } else {
        "allowPrivilegeEscalation is not set, and it defaults to true".to_string()
    };
    let at = eff.allow_privilege_escalation.from.clone().unwrap_or(path);
    Outcome::fail(
        format!(
            "privilege escalation is allowed: {why}; set allowPrivilegeEscalation: false in {}",
            eff.container_path.key("securityContext")
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
        let set = if eff.capabilities.value.is_empty() {
            "empty".to_string()
        } else {
            format!("{:?}", eff.capabilities.value)
        };
        return Outcome::pass(format!("the capability bounding set is {set}"));
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
        format!(
            "the container keeps capabilities {list}; drop them with capabilities.drop: [\"ALL\"] in {}",
            eff.container_path.key("securityContext")
        ),
        Some(object.locate(&at)),
    )
}
