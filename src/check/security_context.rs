//! The effective security settings of a container, as the kubelet and containerd would
//! apply them: container `securityContext` overrides the pod's where both exist; some
//! fields exist at one level only; unset values fall back to the image and the runtime.

use crate::check::image_facts::{ImageFacts, Lookup, lookup};
use crate::i18n::Message;
use crate::manifest::FieldPath;
use k8s_openapi::api::core::v1::{Container, Pod, PodSecurityContext, SecurityContext};
use std::collections::BTreeSet;

/// containerd's default capability set (`oci/spec.go`, `defaultUnixCaps`, v1.6.20): the
/// bounding, effective and permitted sets of a container whose `capabilities` change
/// nothing.
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
    /// The container's `image` as written, and what kubelab knows of it: the defaults
    /// of `uid`/`gid` come from it when known (root otherwise, marked unknown here).
    pub image: String,
    pub image_facts: Lookup,
    /// Whether the container sets `command` or `args` (else the image's default runs).
    pub sets_command: bool,
    /// The program the pod names for the container to start: `command[0]`, or
    /// `args[0]` when there is no `command` (it runs only if the image has no
    /// `Entrypoint`).
    pub program: Option<Program>,
}

impl Effective {
    /// The facts of the container's image, when kubelab knows it.
    pub fn facts(&self) -> Option<&'static ImageFacts> {
        match self.image_facts {
            Lookup::Known(facts) => Some(facts),
            _ => None,
        }
    }
}

/// A program a container's `command` or `args` names, as written, and where.
#[derive(Clone, Debug)]
pub struct Program {
    pub name: String,
    pub path: FieldPath,
    /// `command[0]` (always what runs); else `args[0]` (what runs only when the image
    /// has no `Entrypoint`).
    pub from_command: bool,
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
        // The image's user (`check::image_facts`); root for an unknown image, which
        // `Effective::image_facts` marks as a guess the checks do not make.
        (None, None) => Decided::default(default),
    };
    let image = container.image.clone().unwrap_or_default();
    let image_facts = lookup(&image);
    let (image_uid, image_gid) = match image_facts {
        Lookup::Known(facts) => (facts.uid, facts.gid),
        _ => (0, 0),
    };
    let uid = pick(sc.run_as_user, pod_sc.run_as_user, "runAsUser", image_uid);
    let gid = pick(
        sc.run_as_group,
        pod_sc.run_as_group,
        "runAsGroup",
        image_gid,
    );
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

    let sets_command = container.command.is_some() || container.args.is_some();
    let first = |list: &Option<Vec<String>>, key: &str| {
        list.as_ref().and_then(|l| l.first()).map(|name| Program {
            name: name.clone(),
            path: container_path.key(key).index(0),
            from_command: key == "command",
        })
    };
    let program = match &container.command {
        Some(_) => first(&container.command, "command"),
        None => first(&container.args, "args"),
    };
    Effective {
        image,
        image_facts,
        sets_command,
        program,
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

/// The bounding set of a container that is not privileged (see [`cri_bounding_set`]),
/// decided by `capabilities` when it lists anything.
fn bounding_set(
    sc: &SecurityContext,
    privileged: bool,
    sc_path: &FieldPath,
) -> Decided<BTreeSet<String>> {
    if privileged {
        return Decided {
            value: ALL_CAPS.iter().map(|c| c.to_string()).collect(),
            from: Some(sc_path.key("privileged")),
        };
    }
    let caps = sc.capabilities.clone().unwrap_or_default();
    let add = caps.add.unwrap_or_default();
    let drop = caps.drop.unwrap_or_default();
    let touched = !add.is_empty() || !drop.is_empty();
    Decided {
        value: cri_bounding_set(&add, &drop, &ALL_CAPS),
        from: touched.then(|| sc_path.key("capabilities")),
    }
}

/// From a container's `capabilities` to the bounding set of its process, as containerd's
/// CRI plugin and runc make it; the reference is the code of the versions the test
/// cluster runs (Debian 12: containerd 1.6.20, runc 1.1.5 with gocapability
/// v0.0.0-20200815063812-42c35b437635):
///
/// 1. The spec starts from containerd's default set, [`RUNTIME_DEFAULT_CAPS`]
///    (containerd `oci/spec.go`, `defaultUnixCaps`).
/// 2. containerd `pkg/cri/opts/spec_linux.go`, `WithCapabilities`: when an entry of
///    `add` is `ALL`, as `util.InStringSlice` compares (`pkg/cri/util/strings.go`:
///    `strings.EqualFold`, so `all` and `All` too, see [`is_all`]), the set becomes
///    `all`, the capabilities containerd itself holds (its `CapEff`, read once at start:
///    `pkg/cap/cap_linux.go` `Current`, called in `pkg/cri/server/service_linux.go`;
///    [`ALL_CAPS`] on a normal node). Then when an entry of `drop` is `ALL`, the set
///    becomes empty (`oci.WithCapabilities(nil)`).
/// 3. Every other entry of `add` (one whose `strings.ToUpper` is not `ALL`) becomes
///    `"CAP_" + strings.ToUpper(entry)` ([`oci_name`]: nothing trimmed, no prefix
///    stripped) and is appended where it is missing; then every other entry of `drop`
///    becomes the same and is removed (`oci/spec_opts.go`: `WithAddedCapabilities`,
///    `WithDroppedCapabilities`; both change the bounding, effective and permitted sets
///    alike; containerd's default spec has no inheritable set, and the CRI plugin
///    clears the ambient one, `WithoutAmbientCaps`). So
///    `CAP_CHOWN` becomes `CAP_CAP_CHOWN` and `CAP_ALL` `CAP_CAP_ALL`: no such
///    capability exists, and dropping them drops nothing.
/// 4. runc (`libcontainer/capabilities/capabilities.go`, `New` and `capSlice`) looks
///    every name up, exactly, in the map of the capabilities it knows up to the kernel's
///    last one (`"CAP_" + strings.ToUpper(name)` of gocapability's list) and ignores the
///    others with a warning ("ignoring unknown or unavailable capabilities"): the
///    container starts all the same ([`known`]).
///
/// `privileged` replaces all of it with every capability (`oci.WithPrivileged`, applied
/// after `WithCapabilities`; [`effective`] handles it). Names in `all` and in the result
/// are those of [`ALL_CAPS`], without `CAP_`.
pub fn cri_bounding_set(add: &[String], drop: &[String], all: &[&str]) -> BTreeSet<String> {
    let prefixed =
        |names: &[&str]| -> Vec<String> { names.iter().map(|c| format!("CAP_{c}")).collect() };
    let mut spec = prefixed(&RUNTIME_DEFAULT_CAPS);
    if add.iter().any(|c| is_all(c)) {
        spec = prefixed(all);
    }
    if drop.iter().any(|c| is_all(c)) {
        spec.clear();
    }
    for c in add.iter().filter(|c| go_to_upper(c) != "ALL") {
        let name = oci_name(c);
        if !spec.contains(&name) {
            spec.push(name);
        }
    }
    for c in drop.iter().filter(|c| go_to_upper(c) != "ALL") {
        let name = oci_name(c);
        spec.retain(|s| *s != name);
    }
    spec.iter()
        .filter_map(|name| known(name))
        .map(str::to_string)
        .collect()
}

/// Whether an entry of `add` or `drop` means every capability: `strings.EqualFold(entry,
/// "ALL")` (containerd `pkg/cri/util/strings.go`, `InStringSlice`). Go's simple case
/// folding puts no character other than `a` and `A` in `A`'s orbit, nor other than `l`
/// and `L` in `L`'s, so this is an ASCII case-insensitive comparison.
pub fn is_all(entry: &str) -> bool {
    entry.eq_ignore_ascii_case("ALL")
}

/// The name containerd writes into the OCI spec for an entry of `add` or `drop`:
/// `"CAP_" + strings.ToUpper(entry)` (`pkg/cri/opts/spec_linux.go`: "Capabilities in CRI
/// doesn't have `CAP_` prefix, so add it"). `"chown"` becomes `CAP_CHOWN`, `"CAP_CHOWN"`
/// becomes `CAP_CAP_CHOWN`, `" CHOWN"` becomes `CAP_ CHOWN`.
pub fn oci_name(entry: &str) -> String {
    format!("CAP_{}", go_to_upper(entry))
}

/// Go's `strings.ToUpper`, as far as it matters here: which entries become a capability
/// name (all ASCII). Go maps each character by its simple upper-case mapping; the only
/// characters outside ASCII whose mapping is ASCII are `ı` (to `I`) and `ſ` (to `S`)
/// (checked over every code point with Go's `unicode.ToUpper`). Rust's `to_uppercase`
/// uses the full mappings instead (`ß` to `SS`, `ﬆ` to `ST`) and would turn names Go
/// leaves unknown into known ones, so every other non-ASCII character is kept as it is:
/// whatever Go makes of it, the name stays unknown.
fn go_to_upper(entry: &str) -> String {
    entry
        .chars()
        .map(|c| match c {
            'ı' => 'I',
            'ſ' => 'S',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The capability runc applies for a name of the OCI spec (`CAP_CHOWN` → `CHOWN`), or
/// `None` for a name it ignores: runc's `capabilityMap` holds `"CAP_" +
/// strings.ToUpper(name)` of every capability gocapability lists up to the kernel's last
/// (41 on Linux 5.9 and later: [`ALL_CAPS`]), and the lookup is exact.
pub fn known(oci: &str) -> Option<&'static str> {
    let bare = oci.strip_prefix("CAP_")?;
    ALL_CAPS.iter().copied().find(|c| *c == bare)
}

/// Why the container would not start (or not keep running) although the API accepted
/// the pod: the sandbox, a digest the registry does not have, `runAsNonRoot` against a
/// root user, an image whose default command exits at once.
pub fn startup_failure(effective: &Effective) -> Option<(Message, Option<FieldPath>)> {
    let image_path = effective.container_path.key("image");
    if let Lookup::UnknownDigest(known) = effective.image_facts {
        return Some((
            crate::msg!(
                "check-image-unknown-digest",
                image = effective.image.as_str(),
                known = known
            ),
            Some(image_path),
        ));
    }
    if let Some(path) = &effective.sandbox_group_without_user {
        return Some((
            crate::msg!("check-sandbox-group-without-user"),
            Some(path.clone()),
        ));
    }
    // With no `runAsUser`, only an image kubelab knows says root ([`unknown_image`]).
    let uid_known = effective.uid.from.is_some() || effective.facts().is_some();
    if effective.run_as_non_root.value && effective.uid.value == 0 && uid_known {
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
    // The program the container starts, when the pod names it: `command[0]`, or
    // `args[0]` for an image without an `Entrypoint`.
    if let Some(facts) = effective.facts()
        && let Some(program) = &effective.program
        && (program.from_command || facts.entrypoint.is_empty())
        && facts.has_program(&program.name) == Some(false)
    {
        return Some((
            crate::msg!(
                "check-image-program-missing",
                image = effective.image.as_str(),
                program = program.name.as_str()
            ),
            Some(program.path.clone()),
        ));
    }
    if let Some(facts) = effective.facts()
        && !facts.keeps_running
        && !effective.sets_command
    {
        let default = facts
            .entrypoint
            .iter()
            .chain(facts.cmd)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        return Some((
            crate::msg!(
                "check-image-exits-at-once",
                image = effective.image.as_str(),
                command = default
            ),
            Some(effective.container_path.clone()),
        ));
    }
    None
}

/// What offline grading cannot predict about the container because kubelab does not
/// know its image (`check::image_facts`): its default user (when `runAsNonRoot` or the
/// check needs it and no `runAsUser` is set), or whether its default command keeps
/// running (no `command`, no `args`). `None` when nothing the check needs is unknown.
pub fn unknown_image(effective: &Effective, needs_user: bool) -> Option<Message> {
    if effective.facts().is_some() || effective.image_facts != Lookup::Unknown {
        return None;
    }
    let image = effective.image.as_str();
    if !effective.sets_command {
        return Some(crate::msg!("check-image-unknown-command", image = image));
    }
    let user_matters = needs_user || effective.run_as_non_root.value;
    (user_matters && effective.uid.from.is_none())
        .then(|| crate::msg!("check-image-unknown-user", image = image))
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

    fn caps(add: serde_json::Value, drop: serde_json::Value) -> BTreeSet<String> {
        eff(json!({"spec": {"containers": [{"name": "c",
            "securityContext": {"capabilities": {"add": add, "drop": drop}}}]}}))
        .capabilities
        .value
    }

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    fn defaults() -> BTreeSet<String> {
        names(&RUNTIME_DEFAULT_CAPS)
    }

    #[test]
    fn all_is_matched_in_any_case_and_nothing_else_is_all() {
        for all in ["ALL", "all", "All", "aLl"] {
            assert!(caps(json!([]), json!([all])).is_empty(), "{all}");
        }
        // `CAP_ALL` becomes `CAP_CAP_ALL`, which runc ignores: the 14 defaults stay.
        for not_all in ["CAP_ALL", "cap_all", " ALL", "ALL ", "ALLL", "*", ""] {
            assert_eq!(caps(json!([]), json!([not_all])), defaults(), "{not_all:?}");
        }
        assert_eq!(caps(json!([]), json!(["CAP_ALL"])).len(), 14);
    }

    #[test]
    fn a_cap_prefix_makes_an_unknown_name() {
        // Dropping `CAP_CHOWN` drops `CAP_CAP_CHOWN`: CHOWN stays.
        assert_eq!(caps(json!([]), json!(["CAP_CHOWN"])), defaults());
        assert_eq!(
            caps(json!([]), json!(["CAP_CHOWN", "NET_RAW"])),
            &defaults() - &names(&["NET_RAW"])
        );
        // Adding `CAP_SYS_ADMIN` adds nothing; `SYS_ADMIN` and `sys_admin` add it.
        assert_eq!(caps(json!(["CAP_SYS_ADMIN"]), json!([])), defaults());
        assert_eq!(
            caps(json!(["CAP_SYS_ADMIN"]), json!(["ALL"])),
            BTreeSet::new()
        );
        assert_eq!(
            caps(json!(["sys_admin"]), json!(["ALL"])),
            names(&["SYS_ADMIN"])
        );
        assert_eq!(oci_name("CAP_CHOWN"), "CAP_CAP_CHOWN");
        assert_eq!(oci_name("chown"), "CAP_CHOWN");
        assert_eq!(known("CAP_CAP_CHOWN"), None);
        assert_eq!(known("CAP_CHOWN"), Some("CHOWN"));
    }

    #[test]
    fn single_names_are_upper_cased_and_never_trimmed() {
        assert_eq!(
            caps(json!([]), json!(["chown", "Net_Raw"])),
            &defaults() - &names(&["CHOWN", "NET_RAW"])
        );
        // containerd trims nothing: ` CHOWN` is `CAP_ CHOWN`, unknown.
        assert_eq!(caps(json!([]), json!([" CHOWN", "CHOWN "])), defaults());
        // Go's ToUpper maps `ı` to `I` and `ſ` to `S` (simple mappings); `ß` stays `ß`
        // (Rust's full mapping would make `SS`).
        assert_eq!(
            caps(json!(["ſyſ_admın"]), json!(["ALL"])),
            names(&["SYS_ADMIN"])
        );
        assert_eq!(
            caps(json!(["net_broadcaﬆ"]), json!(["ALL"])),
            BTreeSet::new()
        );
        assert_eq!(caps(json!([]), json!(["ALſ"])), defaults());
    }

    #[test]
    fn unknown_names_change_nothing() {
        assert_eq!(
            caps(json!(["NOT_A_CAP", "42"]), json!(["TYPO"])),
            defaults()
        );
        assert_eq!(
            caps(json!(["NET_ADMIN", "BOGUS"]), json!(["ALL", "BOGUS"])),
            names(&["NET_ADMIN"])
        );
    }

    #[test]
    fn add_all_then_drop_all_then_single_adds_then_single_drops() {
        let all = names(&ALL_CAPS);
        assert_eq!(caps(json!(["all"]), json!([])), all);
        assert_eq!(
            caps(json!(["all"]), json!(["chown"])),
            &all - &names(&["CHOWN"])
        );
        assert_eq!(
            caps(json!(["NET_ADMIN"]), json!(["ALL"])),
            names(&["NET_ADMIN"])
        );
        // `drop: ALL` comes after `add: ALL`, whatever the order of the lists.
        assert!(caps(json!(["ALL"]), json!(["ALL"])).is_empty());
        assert_eq!(
            caps(json!(["ALL", "KILL"]), json!(["all"])),
            names(&["KILL"])
        );
        // A single drop wins over the same single add.
        assert!(!caps(json!(["NET_ADMIN"]), json!(["net_admin"])).contains("NET_ADMIN"));
        // Duplicates change nothing.
        assert_eq!(
            caps(json!(["KILL", "kill", "KILL"]), json!(["all", "ALL"])),
            names(&["KILL"])
        );
        // `add: ALL` is whatever containerd holds (here without SYS_RESOURCE).
        let held: Vec<&str> = ALL_CAPS
            .iter()
            .copied()
            .filter(|c| *c != "SYS_RESOURCE")
            .collect();
        let add = vec!["all".to_string()];
        assert_eq!(
            cri_bounding_set(&add, &[], &held),
            &all - &names(&["SYS_RESOURCE"])
        );
    }

    #[test]
    fn an_empty_capabilities_keeps_the_default_set_and_no_field_decides_it() {
        let e = eff(json!({"spec": {"containers": [{"name": "c",
            "securityContext": {"capabilities": {}}}]}}));
        assert_eq!(e.capabilities.value, defaults());
        assert_eq!(e.capabilities.from, None);
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
            json!({"spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "c", "image": "busybox:1.28", "command": ["sleep", "9"]}]}}),
        );
        assert!(startup_failure(&e).is_some());
        let e = eff(
            json!({"spec": {"securityContext": {"runAsNonRoot": true, "runAsUser": 1000}, "containers": [{"name": "c", "image": "busybox:1.28", "command": ["sleep", "9"]}]}}),
        );
        assert!(startup_failure(&e).is_none());
        // The minimal image's own user (65532) satisfies runAsNonRoot.
        let e = eff(
            json!({"spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "c", "image": "kubelab/app:1.0-minimal"}]}}),
        );
        assert!(startup_failure(&e).is_none());
        assert_eq!(e.uid.value, 65532);
        assert_eq!(e.uid.from, None);
    }

    #[test]
    fn an_image_decides_what_its_facts_decide_and_an_unknown_one_is_said() {
        // busybox with no command: its `sh` exits at once, located at the container.
        let e = eff(json!({"spec": {"containers": [{"name": "c", "image": "busybox:1.28"}]}}));
        let (why, path) = startup_failure(&e).unwrap();
        assert!(
            why.render(crate::i18n::Lang::En).contains("exits at once"),
            "{why:?}"
        );
        assert_eq!(path.unwrap().to_string(), "spec.containers[0]");
        // args alone replace `Cmd`: it runs.
        let e = eff(
            json!({"spec": {"containers": [{"name": "c", "image": "busybox:1.28", "args": ["sleep", "9"]}]}}),
        );
        assert!(startup_failure(&e).is_none());
        // A digest the repository does not have: the pull fails, at `image`.
        let wrong = format!("kubelab/app@sha256:{}", "1".repeat(64));
        let e = eff(json!({"spec": {"containers": [{"name": "c", "image": wrong}]}}));
        let (_, path) = startup_failure(&e).unwrap();
        assert_eq!(path.unwrap().to_string(), "spec.containers[0].image");
        // Unknown image: no guess about its user or its command.
        let e = eff(json!({"spec": {"securityContext": {"runAsNonRoot": true},
            "containers": [{"name": "c", "image": "nginx:1.27", "command": ["nginx"]}]}}));
        assert!(startup_failure(&e).is_none());
        assert!(unknown_image(&e, false).is_some());
        assert!(unknown_image(&e, false).is_some());
        let e = eff(
            json!({"spec": {"containers": [{"name": "c", "image": "nginx:1.27", "command": ["nginx"]}]}}),
        );
        assert!(unknown_image(&e, false).is_none());
        assert!(unknown_image(&e, true).is_some());
        let e = eff(json!({"spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}));
        assert!(unknown_image(&e, false).is_some());
    }
}
