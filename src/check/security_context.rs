//! The effective security settings of a container, as the kubelet and containerd would
//! apply them: container `securityContext` overrides the pod's where both exist; some
//! fields exist at one level only; unset values fall back to the image and the runtime.

use crate::i18n::Message;
use crate::manifest::FieldPath;
use k8s_openapi::api::core::v1::{Container, Pod, PodSecurityContext, SecurityContext};
use std::collections::BTreeSet;

/// containerd's default capability set (`oci.defaultUnixCaps`).
pub const RUNTIME_DEFAULT_CAPS: [&str; 14] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FSETID",
    "FOWNER",
    "MKNOD",
    "NET_RAW",
    "SETGID",
    "SETUID",
    "SETFCAP",
    "SETPCAP",
    "NET_BIND_SERVICE",
    "SYS_CHROOT",
    "KILL",
    "AUDIT_WRITE",
];

/// Every capability the kernel knows (what `privileged` or `add: [ALL]` grants), in bit
/// order (`CAP_CHOWN` is bit 0), as `CapBnd` in `/proc/<pid>/status` encodes them.
pub const ALL_CAPS: [&str; 41] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// A value and the field that decided it (`None`: an image or runtime default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided<T> {
    pub value: T,
    pub from: Option<FieldPath>,
}

impl<T> Decided<T> {
    fn default(value: T) -> Self {
        Self { value, from: None }
    }
}

#[derive(Clone, Debug)]
pub struct Effective {
    pub container_path: FieldPath,
    pub uid: Decided<i64>,
    pub gid: Decided<i64>,
    /// Supplementary groups: `fsGroup` and `supplementalGroups` (pod level only).
    pub groups: BTreeSet<i64>,
    pub groups_from: Option<FieldPath>,
    pub privileged: Decided<bool>,
    pub allow_privilege_escalation: Decided<bool>,
    pub read_only_root: Decided<bool>,
    /// The capability bounding set, names without `CAP_`.
    pub capabilities: Decided<BTreeSet<String>>,
    pub run_as_non_root: Decided<bool>,
    /// A pod-level `runAsGroup` without a pod-level `runAsUser`: containerd cannot make
    /// the pod's sandbox from it ("user group is specified without user").
    pub sandbox_group_without_user: Option<FieldPath>,
}

/// The container by name (the first one when `name` is `None`) and its index.
pub fn find_container<'p>(pod: &'p Pod, name: Option<&str>) -> Option<(usize, &'p Container)> {
    let containers = &pod.spec.as_ref()?.containers;
    match name {
        Some(name) => containers.iter().enumerate().find(|(_, c)| c.name == name),
        None => containers.first().map(|c| (0, c)),
    }
}

pub fn effective(pod: &Pod, index: usize, container: &Container) -> Effective {
    let pod_sc = pod
        .spec
        .as_ref()
        .and_then(|s| s.security_context.clone())
        .unwrap_or_default();
    let sc = container.security_context.clone().unwrap_or_default();
    let pod_path = FieldPath::parse("spec.securityContext");
    let container_path = FieldPath::parse("spec.containers").index(index);
    let sc_path = container_path.key("securityContext");

    // Overridable at container level: runAsUser, runAsGroup, runAsNonRoot.
    let pick = |c: Option<i64>, p: Option<i64>, field: &str, default: i64| match (c, p) {
        (Some(v), _) => Decided {
            value: v,
            from: Some(sc_path.key(field)),
        },
        (None, Some(v)) => Decided {
            value: v,
            from: Some(pod_path.key(field)),
        },
        // The lab images run as root (uid 0, gid 0) and have no passwd entry for 1000.
        (None, None) => Decided::default(default),
    };
    let uid = pick(sc.run_as_user, pod_sc.run_as_user, "runAsUser", 0);
    let gid = pick(sc.run_as_group, pod_sc.run_as_group, "runAsGroup", 0);
    let run_as_non_root = match (sc.run_as_non_root, pod_sc.run_as_non_root) {
        (Some(v), _) => Decided {
            value: v,
            from: Some(sc_path.key("runAsNonRoot")),
        },
        (None, Some(v)) => Decided {
            value: v,
            from: Some(pod_path.key("runAsNonRoot")),
        },
        (None, None) => Decided::default(false),
    };

    let (groups, groups_from) = supplementary_groups(&pod_sc, &pod_path);
    let privileged = container_bool(&sc.privileged, &sc_path, "privileged", false);
    let capabilities = bounding_set(&sc, privileged.value, &sc_path);
    let allow_privilege_escalation = match sc.allow_privilege_escalation {
        // privileged or CAP_SYS_ADMIN force it on (the API refuses an explicit false then).
        _ if privileged.value => privileged.clone(),
        Some(v) => Decided {
            value: v,
            from: Some(sc_path.key("allowPrivilegeEscalation")),
        },
        None => Decided::default(true),
    };
    let read_only_root = container_bool(
        &sc.read_only_root_filesystem,
        &sc_path,
        "readOnlyRootFilesystem",
        false,
    );

    let sandbox_group_without_user = (pod_sc.run_as_group.is_some()
        && pod_sc.run_as_user.is_none())
    .then(|| pod_path.key("runAsGroup"));

    Effective {
        sandbox_group_without_user,
        container_path,
        uid,
        gid,
        groups,
        groups_from,
        privileged,
        allow_privilege_escalation,
        read_only_root,
        capabilities,
        run_as_non_root,
    }
}

fn container_bool(
    value: &Option<bool>,
    sc_path: &FieldPath,
    field: &str,
    default: bool,
) -> Decided<bool> {
    match value {
        Some(v) => Decided {
            value: *v,
            from: Some(sc_path.key(field)),
        },
        None => Decided::default(default),
    }
}

fn supplementary_groups(
    pod_sc: &PodSecurityContext,
    pod_path: &FieldPath,
) -> (BTreeSet<i64>, Option<FieldPath>) {
    let mut groups = BTreeSet::new();
    let mut from = None;
    if let Some(fs_group) = pod_sc.fs_group {
        groups.insert(fs_group);
        from = Some(pod_path.key("fsGroup"));
    }
    for g in pod_sc.supplemental_groups.iter().flatten() {
        groups.insert(*g);
        from.get_or_insert_with(|| pod_path.key("supplementalGroups"));
    }
    (groups, from)
}

/// containerd's order: `add: [ALL]`, then `drop: [ALL]`, then single adds, then single
/// drops; names are upper-cased and matched without the `CAP_` prefix.
fn bounding_set(
    sc: &SecurityContext,
    privileged: bool,
    sc_path: &FieldPath,
) -> Decided<BTreeSet<String>> {
    let all = || {
        ALL_CAPS
            .iter()
            .map(|c| c.to_string())
            .collect::<BTreeSet<_>>()
    };
    if privileged {
        return Decided {
            value: all(),
            from: Some(sc_path.key("privileged")),
        };
    }
    let caps = sc.capabilities.clone().unwrap_or_default();
    let add: Vec<String> = caps
        .add
        .unwrap_or_default()
        .iter()
        .map(|c| normalize(c))
        .collect();
    let drop: Vec<String> = caps
        .drop
        .unwrap_or_default()
        .iter()
        .map(|c| normalize(c))
        .collect();
    let mut set: BTreeSet<String> = RUNTIME_DEFAULT_CAPS.iter().map(|c| c.to_string()).collect();
    if add.iter().any(|c| c == "ALL") {
        set = all();
    }
    if drop.iter().any(|c| c == "ALL") {
        set.clear();
    }
    set.extend(add.iter().filter(|c| *c != "ALL").cloned());
    for c in drop.iter().filter(|c| *c != "ALL") {
        set.remove(c);
    }
    let touched = !add.is_empty() || !drop.is_empty();
    Decided {
        value: set,
        from: touched.then(|| sc_path.key("capabilities")),
    }
}

fn normalize(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map(str::to_string)
        .unwrap_or(upper)
}

/// Why the container would not start although the API accepted the pod.
pub fn startup_failure(effective: &Effective) -> Option<(Message, Option<FieldPath>)> {
    if let Some(path) = &effective.sandbox_group_without_user {
        return Some((
            crate::msg!("check-sandbox-group-without-user"),
            Some(path.clone()),
        ));
    }
    if effective.run_as_non_root.value && effective.uid.value == 0 {
        let why = if effective.uid.from.is_some() {
            crate::msg!("check-non-root-but-uid-zero")
        } else {
            crate::msg!("check-non-root-but-image-root")
        };
        // Point at the `runAsUser: 0` that overrides (the thing to change), never at
        // `runAsNonRoot` (removing that safety setting would "fix" it); with no
        // `runAsUser` at all, at `runAsNonRoot`, whose fix is to add one beside it.
        let at = effective
            .uid
            .from
            .clone()
            .or_else(|| effective.run_as_non_root.from.clone());
        return Some((why, at));
    }
    None
}

/// "the capability bounding set is …" (or "is empty"), offline and live.
pub fn bounding_set_message(set: &BTreeSet<String>) -> Message {
    if set.is_empty() {
        crate::msg!("check-caps-empty")
    } else {
        crate::msg!("check-caps-set", set = format!("{set:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(value: serde_json::Value) -> Pod {
        serde_json::from_value(value).unwrap()
    }

    fn eff(value: serde_json::Value) -> Effective {
        let p = pod(value);
        let (i, c) = find_container(&p, None).unwrap();
        effective(&p, i, c)
    }

    #[test]
    fn container_overrides_pod_for_user_and_group() {
        let e = eff(json!({"spec": {
            "securityContext": {"runAsUser": 1000, "runAsGroup": 3000},
            "containers": [{"name": "c", "securityContext": {"runAsUser": 2000}}]}}));
        assert_eq!(e.uid.value, 2000);
        assert_eq!(
            e.uid.from.unwrap().to_string(),
            "spec.containers[0].securityContext.runAsUser"
        );
        assert_eq!(e.gid.value, 3000);
        assert_eq!(
            e.gid.from.unwrap().to_string(),
            "spec.securityContext.runAsGroup"
        );
    }

    #[test]
    fn unset_values_fall_back_to_image_and_runtime_defaults() {
        let e = eff(json!({"spec": {"containers": [{"name": "c"}]}}));
        assert_eq!((e.uid.value, e.gid.value), (0, 0));
        assert!(e.allow_privilege_escalation.value);
        assert!(!e.read_only_root.value);
        assert_eq!(e.capabilities.value.len(), RUNTIME_DEFAULT_CAPS.len());
    }

    #[test]
    fn capabilities_follow_containerd_order() {
        let caps = |add: serde_json::Value, drop: serde_json::Value| {
            eff(json!({"spec": {"containers": [{"name": "c",
                "securityContext": {"capabilities": {"add": add, "drop": drop}}}]}}))
            .capabilities
            .value
        };
        assert!(caps(json!([]), json!(["ALL"])).is_empty());
        assert!(caps(json!([]), json!(["all"])).is_empty());
        assert_eq!(
            caps(json!(["NET_ADMIN"]), json!(["ALL"])),
            BTreeSet::from(["NET_ADMIN".to_string()])
        );
        assert!(caps(json!(["ALL"]), json!(["ALL"])).is_empty());
        assert!(!caps(json!(["NET_ADMIN"]), json!(["NET_ADMIN"])).contains("NET_ADMIN"));
        assert!(!caps(json!([]), json!(["CAP_CHOWN"])).contains("CHOWN"));
    }

    #[test]
    fn privileged_grants_everything_and_escalation() {
        let e = eff(
            json!({"spec": {"containers": [{"name": "c", "securityContext": {"privileged": true}}]}}),
        );
        assert_eq!(e.capabilities.value.len(), ALL_CAPS.len());
        assert!(e.allow_privilege_escalation.value);
    }

    #[test]
    fn fs_group_and_supplemental_groups_are_pod_level() {
        let e = eff(
            json!({"spec": {"securityContext": {"fsGroup": 2000, "supplementalGroups": [4000]},
            "containers": [{"name": "c"}]}}),
        );
        assert_eq!(e.groups, BTreeSet::from([2000, 4000]));
    }

    #[test]
    fn a_pod_group_without_a_pod_user_has_no_sandbox() {
        let e = eff(json!({"spec": {"securityContext": {"runAsGroup": 3000},
            "containers": [{"name": "c", "securityContext": {"runAsUser": 1000}}]}}));
        let (why, path) = startup_failure(&e).unwrap();
        assert!(why.contains("sandbox"), "{why}");
        assert_eq!(path.unwrap().to_string(), "spec.securityContext.runAsGroup");
        let e = eff(
            json!({"spec": {"securityContext": {"runAsGroup": 3000, "runAsUser": 1000},
            "containers": [{"name": "c"}]}}),
        );
        assert!(startup_failure(&e).is_none());
    }

    #[test]
    fn run_as_non_root_with_root_user_does_not_start() {
        let e = eff(
            json!({"spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "c"}]}}),
        );
        assert!(startup_failure(&e).is_some());
        let e = eff(
            json!({"spec": {"securityContext": {"runAsNonRoot": true, "runAsUser": 1000}, "containers": [{"name": "c"}]}}),
        );
        assert!(startup_failure(&e).is_none());
    }
}
