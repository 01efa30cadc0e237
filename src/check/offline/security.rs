//! `run-as`, `rootfs-readonly`, `no-privilege-escalation`, `capabilities`: the effective
//! security settings of a container (see `check::security_context`).

use crate::check::outcome::Outcome;
use crate::check::security_context::{
    self, ALL_CAPS, Effective, effective, find_container, startup_failure,
};
use crate::check::world::World;
use crate::i18n::Message;
use crate::lab::{Capabilities, RunAs, Target};
use crate::manifest::{FieldPath, Object};
use k8s_openapi::api::core::v1::Pod;
use std::collections::BTreeSet;

/// The container's effective settings, or why there is nothing to check (missing,
/// rejected, or a container that would never start).
pub(super) fn resolve<'a>(
    target: &Target,
    world: &World<'a>,
    needs_user: bool,
) -> Result<(&'a Object, Effective), Outcome> {
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
    if let Some(why) = security_context::unknown_image(&eff, needs_user) {
        return Err(Outcome::skip(why));
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
    let (object, eff) = match resolve(&spec.target, world, true) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let sc = eff.container_path.key("securityContext");
    let mut seen = Vec::new();
    // Where the effective UID comes from: a field, or the image's default user.
    let uid_why = || {
        source(
            &eff.uid.from,
            crate::msg!(
                "check-source-image-user",
                image = eff.image.as_str(),
                uid = eff.uid.value
            ),
        )
    };
    if let Some(uid) = spec.uid {
        let why = uid_why();
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
    if spec.non_root {
        let why = uid_why();
        if eff.uid.value == 0 {
            let path = eff
                .uid
                .from
                .clone()
                .unwrap_or_else(|| eff.container_path.key("image"));
            return Outcome::fail(
                crate::msg!("check-run-as-root", why = why, sc = sc.to_string()),
                Some(object.locate(&path)),
            );
        }
        if spec.uid.is_none() {
            seen.push(crate::msg!(
                "check-run-as-uid",
                uid = eff.uid.value,
                why = why
            ));
        }
    }
    if let Some(gid) = spec.gid {
        let why = source(
            &eff.gid.from,
            crate::msg!(
                "check-source-image-group",
                image = eff.image.as_str(),
                gid = eff.gid.value
            ),
        );
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
    let (object, eff) = match resolve(target, world, false) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let path = eff
        .container_path
        .key("securityContext")
        .key("readOnlyRootFilesystem");
    if eff.read_only_root.value {
        // An image known to have no shell has no `touch` to show it with either.
        if eff.facts().is_some_and(|facts| !facts.shell) {
            return Outcome::pass(crate::msg!(
                "check-rootfs-read-only-no-touch",
                path = path.to_string()
            ));
        }
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
    let (object, eff) = match resolve(target, world, false) {
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
    let (object, eff) = match resolve(&spec.target, world, false) {
        Ok(found) => found,
        Err(outcome) => return outcome,
    };
    let allowed: BTreeSet<String> = spec
        .allowed
        .iter()
        .map(|c| c.trim_start_matches("CAP_").to_ascii_uppercase())
        .collect();
    let extra: BTreeSet<&str> = eff
        .capabilities
        .value
        .difference(&allowed)
        .map(String::as_str)
        .collect();
    if extra.is_empty() {
        return Outcome::pass(security_context::bounding_set_message(
            &eff.capabilities.value,
        ));
    }
    let list = extra.iter().copied().collect::<Vec<_>>().join(", ");
    let sc = eff.container_path.key("securityContext");
    let caps = sc.key("capabilities");
    let entries = |list: &str| -> Vec<String> {
        super::field::lookup(&object.value, &caps.key(list))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .map(|c| c.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let kept = || {
        crate::msg!(
            "check-caps-kept-drop",
            list = list.clone(),
            sc = sc.to_string()
        )
    };
    // `privileged` grants everything; else point at `add` when it brings back one of
    // them that `drop` alone would have removed, at a `drop` entry that drops nothing for
    // its `CAP_` prefix, else at `drop` (too narrow).
    if eff.privileged.value {
        return Outcome::fail(kept(), Some(object.locate(&sc.key("privileged"))));
    }
    let dropped = entries("drop");
    let without_add = security_context::cri_bounding_set(&[], &dropped, &ALL_CAPS);
    if extra.iter().any(|c| !without_add.contains(*c)) {
        return Outcome::fail(kept(), Some(object.locate(&caps.key("add"))));
    }
    if let Some((i, mistake)) = dropped
        .iter()
        .enumerate()
        .find_map(|(i, entry)| prefix_mistake(entry, &extra).map(|m| (i, m)))
    {
        let at = caps.key("drop").index(i);
        return Outcome::fail(
            mistake.message(&list, &sc.to_string()),
            Some(object.locate(&at)),
        );
    }
    let at = if super::field::lookup(&object.value, &caps.key("drop")).is_some() {
        caps.key("drop")
    } else {
        caps
    };
    Outcome::fail(kept(), Some(object.locate(&at)))
}

/// A `drop` entry written with the `CAP_` prefix (in any case) that would have dropped one
/// of `kept` without it: containerd writes `CAP_` before it once more and runc ignores
/// the result (see [`security_context::cri_bounding_set`]).
struct PrefixMistake {
    entry: String,
    /// The name containerd made of it (`CAP_CAP_CHOWN`).
    oci: String,
    /// What to write instead: `ALL`, or the capability's name.
    name: String,
}

impl PrefixMistake {
    fn message(&self, list: &str, sc: &str) -> Message {
        if self.name == "ALL" {
            crate::msg!(
                "check-caps-prefixed-all",
                list = list,
                entry = self.entry.as_str(),
                oci = self.oci.as_str(),
                sc = sc
            )
        } else {
            crate::msg!(
                "check-caps-prefixed-name",
                list = list,
                entry = self.entry.as_str(),
                oci = self.oci.as_str(),
                name = self.name.as_str(),
                sc = sc
            )
        }
    }
}

fn prefix_mistake(entry: &str, kept: &BTreeSet<&str>) -> Option<PrefixMistake> {
    use security_context::{is_all, known, oci_name};
    if is_all(entry) || known(&oci_name(entry)).is_some() {
        return None;
    }
    let bare = entry.get(..4).filter(|p| p.eq_ignore_ascii_case("CAP_"))?;
    let bare = &entry[bare.len()..];
    let name = if is_all(bare) {
        "ALL"
    } else {
        known(&oci_name(bare)).filter(|c| kept.contains(c))?
    };
    Some(PrefixMistake {
        entry: entry.to_string(),
        oci: oci_name(entry),
        name: name.to_string(),
    })
}
