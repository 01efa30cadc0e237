//! The Pod Security Standards as the built-in Pod Security admission evaluates them, on a
//! pod's metadata and spec as written (JSON), with the path of every offending field.
//!
//! Modelled from `k8s.io/pod-security-admission` v0.34 (`policy/check_*.go`, the checks
//! the `baseline` and `restricted` levels run at version `v1.34`), with the same reason
//! and detail texts, so that a refusal offline reads like the API server's
//! `violates PodSecurity "baseline:v1.34": privileged (container "c" must not set
//! securityContext.privileged=true)`. Containers are visited as `visitContainers` does:
//! init containers, containers, ephemeral containers. Checks run in the API server's
//! order (`policy/registry.go`: the baseline check IDs sorted, then the restricted ones,
//! a restricted check replacing the baseline check it overrides), so that a message with
//! several violations lists them as the API server does.
//!
//! The pod is judged as Pod Security admission sees it, after the API server's defaulting:
//! with `hostNetwork: true`, a container port without `hostPort` gets its `containerPort`
//! as `hostPort` (`SetDefaults_Pod` in `pkg/apis/core/v1/defaults.go`); a deprecated
//! AppArmor annotation becomes the field of the container it names (`PrepareForCreate`,
//! see `as_created`). Both are what the pod a controller creates from a template gets
//! too, so templates are judged the same way.
//!
//! The relaxation for user-namespace pods (`hostUsers: false`) is off by default in the
//! API server (`RelaxPolicyForUserNamespacePods`) and is not modelled.

use crate::i18n::Message;
use crate::manifest::FieldPath;
use crate::msg;
use serde_json::Value;

/// The Pod Security level a sandbox enforces.
pub const ENFORCE: &str = "baseline";
/// The level a sandbox warns at.
pub const WARN: &str = "restricted";
/// The policy version the sandbox pins (the labels `…-version`).
pub const VERSION: &str = "v1.34";

/// One check that did not pass: the reason (the check's name as Pod Security admission
/// reports it, not translated) and the detail (in English as Pod Security admission words
/// it, or in Korean), and the first field that made it fail (relative to the object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// e.g. `privileged`, `non-default capabilities`, `hostPath volumes`.
    pub reason: String,
    /// e.g. `container "c" must not set securityContext.privileged=true`.
    pub detail: Message,
    pub path: FieldPath,
}

/// `violates PodSecurity "<level>:v1.34": r1 (d1), r2 (d2)`, as the API server says it
/// (the reasons and details stay in the API server's words, as a live refusal shows them).
pub fn message(level: &str, violations: &[Violation]) -> Message {
    let items: Vec<Message> = violations
        .iter()
        .map(|v| {
            msg!(
                "policy-pod-security-violation",
                reason = v.reason.as_str(),
                detail = v.detail.clone()
            )
        })
        .collect();
    msg!(
        "policy-pod-security-violates",
        level = level,
        version = VERSION,
        violations = join(items, |first, rest| msg!(
            "policy-list-comma",
            first = first,
            rest = rest
        ))
    )
}

/// `items` joined by the separator message `join` (`first`, `rest`); `items` is not empty.
fn join(items: Vec<Message>, join: fn(Message, Message) -> Message) -> Message {
    let mut items = items.into_iter().rev();
    let last = items.next().expect("at least one item");
    items.fold(last, |rest, first| join(first, rest))
}

/// Who must (not) set something: `pod`, `container "c"`, `annotations`, joined with `and`.
fn and(items: Vec<Message>) -> Message {
    join(items, |first, rest| {
        msg!("policy-list-and", first = first, rest = rest)
    })
}

/// `a; b` (`parts` is not empty).
fn parts(parts: Vec<Message>) -> Message {
    if parts.len() == 1 {
        return parts.into_iter().next().expect("one part");
    }
    msg!("policy-ps-parts", parts = parts)
}

fn must_not_set(who: Message, setting: &str) -> Message {
    msg!("policy-ps-must-not-set", who = who, setting = setting)
}

fn must_set(who: Message, setting: &str) -> Message {
    msg!("policy-ps-must-set", who = who, setting = setting)
}

fn must_not_set_to(who: Message, field: &str, values: String) -> Message {
    msg!(
        "policy-ps-must-not-set-to",
        who = who,
        field = field,
        values = values
    )
}

/// Where a pod's metadata and spec are inside an object of a pod-bearing kind:
/// `Pod` itself, every workload's `spec.template`, a CronJob's
/// `spec.jobTemplate.spec.template`, a `PodTemplate`'s `template`. `None` for other kinds.
pub fn template_path(kind: &str) -> Option<FieldPath> {
    let base = match kind {
        "Pod" => return Some(FieldPath::root()),
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => "spec.template",
        "CronJob" => "spec.jobTemplate.spec.template",
        "PodTemplate" => "template",
        _ => return None,
    };
    Some(FieldPath::parse(base))
}

/// A pod as written: its metadata and spec, and where they are in the object.
struct PodView<'v> {
    metadata: &'v Value,
    spec: &'v Value,
    spec_path: FieldPath,
    metadata_path: FieldPath,
    /// Containers (by path) whose AppArmor field the API server copies from an
    /// annotation (see [`as_created`]), with the annotation's key: a finding about the
    /// field points at the annotation the learner wrote.
    from_annotation: Vec<(FieldPath, String)>,
}

/// One container with its path (`spec.containers[0]`) and its list
/// (`initContainers`, `containers`, `ephemeralContainers`).
struct ContainerView<'v> {
    name: String,
    value: &'v Value,
    path: FieldPath,
    list: &'static str,
}

static NULL: Value = Value::Null;

fn get<'v>(value: &'v Value, key: &str) -> &'v Value {
    value.get(key).unwrap_or(&NULL)
}

impl<'v> PodView<'v> {
    fn new(object: &'v Value, base: &FieldPath) -> Self {
        let mut at = object;
        for segment in &base.0 {
            at = match segment {
                crate::manifest::Segment::Key(k) => get(at, k),
                crate::manifest::Segment::Index(i) => at.get(i).unwrap_or(&NULL),
            };
        }
        PodView {
            metadata: get(at, "metadata"),
            spec: get(at, "spec"),
            spec_path: base.key("spec"),
            metadata_path: base.key("metadata"),
            from_annotation: Vec::new(),
        }
    }

    fn containers(&self) -> Vec<ContainerView<'v>> {
        let mut all = Vec::new();
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            if let Some(items) = get(self.spec, list).as_array() {
                for (i, c) in items.iter().enumerate() {
                    all.push(ContainerView {
                        name: get(c, "name").as_str().unwrap_or_default().to_string(),
                        value: c,
                        path: self.spec_path.key(list).index(i),
                        list,
                    });
                }
            }
        }
        all
    }

    fn pod_security_context(&self) -> &'v Value {
        get(self.spec, "securityContext")
    }

    fn annotations(&self) -> Vec<(&'v str, &'v str)> {
        get(self.metadata, "annotations")
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// `"a", "b"`: Pod Security admission's `joinQuote` (quotes around, nothing escaped).
fn quote(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn containers_phrase(names: &[String]) -> Message {
    msg!(
        "policy-ps-containers",
        count = names.len(),
        names = quote(names)
    )
}

fn pod_setter() -> Message {
    msg!("policy-ps-pod")
}

fn sorted_unique(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items
}

fn is_true(value: &Value) -> bool {
    value.as_bool() == Some(true)
}

/// A Pod Security level that refuses pods (`privileged` refuses nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Baseline,
    Restricted,
}

impl Level {
    /// The level a namespace label names (`privileged`, which checks nothing, is `None`).
    pub fn parse(name: &str) -> Option<Level> {
        match name {
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    /// `baseline` or `restricted`, as the namespace label and the message write it.
    pub fn name(self) -> &'static str {
        match self {
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

type CheckFn = fn(&PodView, &[ContainerView]) -> Option<Violation>;

/// One check of Pod Security admission: its ID, its level, the baseline check it
/// replaces at `restricted` (`OverrideCheckIDs`), and its evaluation.
struct Check {
    id: &'static str,
    level: Level,
    overrides: Option<&'static str>,
    run: CheckFn,
}

/// The checks of v1.34 in the API server's order: the baseline IDs sorted (byte order),
/// then the restricted IDs sorted (`policy/registry.go` `populate`).
const CHECKS: [Check; 18] = [
    check("appArmorProfile", Level::Baseline, None, app_armor),
    check(
        "capabilities_baseline",
        Level::Baseline,
        None,
        capabilities_baseline,
    ),
    check("hostNamespaces", Level::Baseline, None, host_namespaces),
    check("hostPathVolumes", Level::Baseline, None, host_path_volumes),
    check("hostPorts", Level::Baseline, None, host_ports),
    check(
        "hostProbesAndHostLifecycle",
        Level::Baseline,
        None,
        host_probes,
    ),
    check("privileged", Level::Baseline, None, privileged),
    check("procMount", Level::Baseline, None, proc_mount),
    check("seLinuxOptions", Level::Baseline, None, se_linux),
    check(
        "seccompProfile_baseline",
        Level::Baseline,
        None,
        seccomp_baseline,
    ),
    check("sysctls", Level::Baseline, None, sysctls),
    check(
        "windowsHostProcess",
        Level::Baseline,
        None,
        windows_host_process,
    ),
    check(
        "allowPrivilegeEscalation",
        Level::Restricted,
        None,
        allow_privilege_escalation,
    ),
    check(
        "capabilities_restricted",
        Level::Restricted,
        Some("capabilities_baseline"),
        capabilities_restricted,
    ),
    check(
        "restrictedVolumes",
        Level::Restricted,
        Some("hostPathVolumes"),
        restricted_volumes,
    ),
    check("runAsNonRoot", Level::Restricted, None, run_as_non_root),
    check("runAsUser", Level::Restricted, None, run_as_user),
    check(
        "seccompProfile_restricted",
        Level::Restricted,
        Some("seccompProfile_baseline"),
        seccomp_restricted,
    ),
];

const fn check(
    id: &'static str,
    level: Level,
    overrides: Option<&'static str>,
    run: CheckFn,
) -> Check {
    Check {
        id,
        level,
        overrides,
        run,
    }
}

/// The IDs of the checks `level` runs, in order (for tests and reports).
pub fn check_ids(level: Level) -> Vec<&'static str> {
    checks_of(level).map(|c| c.id).collect()
}

fn checks_of(level: Level) -> impl Iterator<Item = &'static Check> {
    let overridden: Vec<&str> = match level {
        Level::Baseline => Vec::new(),
        Level::Restricted => CHECKS.iter().filter_map(|c| c.overrides).collect(),
    };
    CHECKS.iter().filter(move |c| {
        (c.level == Level::Baseline || level == Level::Restricted) && !overridden.contains(&c.id)
    })
}

fn run(
    checks: impl Iterator<Item = &'static Check>,
    kind: &str,
    object: &Value,
) -> Vec<(&'static str, Violation)> {
    let Some(base) = template_path(kind) else {
        return Vec::new();
    };
    let (admitted, from_annotation) = as_created(object, &base);
    let mut pod = PodView::new(&admitted, &base);
    pod.from_annotation = from_annotation;
    let containers = pod.containers();
    checks
        .filter_map(|c| (c.run)(&pod, &containers).map(|v| (c.id, v)))
        .collect()
}

/// The deprecated AppArmor annotation of a container (`…/<container name>`).
const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

/// The pod at `base` as Pod Security admission sees it on creation: the API server's
/// `PrepareForCreate` (`applyAppArmorVersionSkew` in `pkg/registry/core/pod/strategy.go`,
/// v1.34) first copies each deprecated AppArmor annotation into the field of a container
/// that sets none — `unconfined`, `runtime/default`, `localhost/<profile>` — unless the
/// pod-level profile is the same (not for Windows pods). The object is borrowed when
/// nothing changes; the containers changed come with the annotation's key.
fn as_created<'v>(
    object: &'v Value,
    base: &FieldPath,
) -> (std::borrow::Cow<'v, Value>, Vec<(FieldPath, String)>) {
    let unchanged = || (std::borrow::Cow::Borrowed(object), Vec::new());
    let pod = PodView::new(object, base);
    let annotations = pod.annotations();
    let windows = get(get(pod.spec, "os"), "name").as_str() == Some("windows");
    if windows
        || !annotations
            .iter()
            .any(|(k, _)| k.starts_with(APPARMOR_ANNOTATION))
    {
        return unchanged();
    }
    let profile_of = |value: &str| -> Option<Value> {
        match value {
            "unconfined" => Some(serde_json::json!({"type": "Unconfined"})),
            "runtime/default" => Some(serde_json::json!({"type": "RuntimeDefault"})),
            _ => value
                .strip_prefix("localhost/")
                .filter(|p| !p.is_empty())
                .map(|p| serde_json::json!({"type": "Localhost", "localhostProfile": p})),
        }
    };
    // The pod-level profile, compared by its type and Localhost profile name.
    let key = |profile: &Value| {
        (
            get(profile, "type").as_str().unwrap_or("").to_string(),
            get(profile, "localhostProfile")
                .as_str()
                .map(str::to_string),
        )
    };
    let pod_profile = get(pod.pod_security_context(), "appArmorProfile");
    let pod_key = (!pod_profile.is_null()).then(|| key(pod_profile));
    let changes: Vec<(FieldPath, Value, String)> = pod
        .containers()
        .into_iter()
        .filter(|c| get(get(c.value, "securityContext"), "appArmorProfile").is_null())
        .filter_map(|c| {
            let (annotation, value) = annotations
                .iter()
                .find(|(k, _)| k.strip_prefix(APPARMOR_ANNOTATION) == Some(c.name.as_str()))?;
            let profile = profile_of(value)?;
            (pod_key.as_ref() != Some(&key(&profile)))
                .then(|| (c.path.clone(), profile, annotation.to_string()))
        })
        .collect();
    if changes.is_empty() {
        return unchanged();
    }
    let mut created = object.clone();
    let mut changed = Vec::new();
    for (path, profile, annotation) in changes {
        let mut at = &mut created;
        for segment in &path.0 {
            at = match segment {
                crate::manifest::Segment::Key(k) => &mut at[k.as_str()],
                crate::manifest::Segment::Index(i) => &mut at[*i],
            };
        }
        if !at.get("securityContext").is_some_and(Value::is_object) {
            at["securityContext"] = serde_json::json!({});
        }
        at["securityContext"]["appArmorProfile"] = profile;
        changed.push((path, annotation));
    }
    (std::borrow::Cow::Owned(created), changed)
}

/// What Pod Security admission at `level` (version v1.34) refuses in `object` (of
/// `kind`): the violations in the API server's order, as [`message`] words them. Empty
/// for kinds without a pod template and for pods that pass.
pub fn violations(level: Level, kind: &str, object: &Value) -> Vec<Violation> {
    run(checks_of(level), kind, object)
        .into_iter()
        .map(|(_, v)| v)
        .collect()
}

/// [`violations`], each with the ID of the check that found it (`runAsNonRoot`,
/// `seccompProfile_restricted`; see [`check_ids`]).
pub fn violations_by_check(
    level: Level,
    kind: &str,
    object: &Value,
) -> Vec<(&'static str, Violation)> {
    run(checks_of(level), kind, object)
}

/// The `baseline` checks of Pod Security admission v1.34 that `object` (of `kind`) fails.
/// Empty for kinds without a pod template and for pods that pass.
pub fn baseline(kind: &str, object: &Value) -> Vec<Violation> {
    violations(Level::Baseline, kind, object)
}

/// The checks `restricted` adds to `baseline` (v1.34) that `object` fails; the whole
/// `restricted` level is [`violations`] with [`Level::Restricted`].
pub fn restricted(kind: &str, object: &Value) -> Vec<Violation> {
    run(
        CHECKS.iter().filter(|c| c.level == Level::Restricted),
        kind,
        object,
    )
    .into_iter()
    .map(|(_, v)| v)
    .collect()
}

// check_hostNamespaces.go
fn host_namespaces(pod: &PodView, _: &[ContainerView]) -> Option<Violation> {
    let mut set = Vec::new();
    let mut first = None;
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if is_true(get(pod.spec, key)) {
            set.push(format!("{key}=true"));
            first.get_or_insert_with(|| pod.spec_path.key(key));
        }
    }
    first.map(|path| Violation {
        reason: "host namespaces".into(),
        detail: msg!("policy-ps-host-namespaces", fields = set.join(", ")),
        path,
    })
}

// check_privileged.go
fn privileged(_: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let bad: Vec<&ContainerView> = containers
        .iter()
        .filter(|c| is_true(get(get(c.value, "securityContext"), "privileged")))
        .collect();
    let first = bad.first()?;
    let names: Vec<String> = bad.iter().map(|c| c.name.clone()).collect();
    Some(Violation {
        reason: "privileged".into(),
        detail: must_not_set(containers_phrase(&names), "securityContext.privileged=true"),
        path: first.path.key("securityContext").key("privileged"),
    })
}

/// Capabilities a `baseline` container may add (check_capabilities_baseline.go).
pub const BASELINE_CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn added(c: &ContainerView) -> Vec<(usize, String)> {
    get(get(get(c.value, "securityContext"), "capabilities"), "add")
        .as_array()
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, v)| (i, v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn capability_path(c: &ContainerView, list: &str, i: usize) -> FieldPath {
    c.path
        .key("securityContext")
        .key("capabilities")
        .key(list)
        .index(i)
}

// check_capabilities_baseline.go
fn capabilities_baseline(_: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let mut names = Vec::new();
    let mut caps = Vec::new();
    let mut first = None;
    for c in containers {
        let bad: Vec<(usize, String)> = added(c)
            .into_iter()
            .filter(|(_, cap)| !BASELINE_CAPABILITIES.contains(&cap.as_str()))
            .collect();
        if let Some((i, _)) = bad.first() {
            first.get_or_insert_with(|| capability_path(c, "add", *i));
            names.push(c.name.clone());
            caps.extend(bad.into_iter().map(|(_, cap)| cap));
        }
    }
    first.map(|path| Violation {
        reason: "non-default capabilities".into(),
        detail: msg!(
            "policy-ps-must-not-add",
            who = containers_phrase(&names),
            capabilities = quote(&sorted_unique(caps))
        ),
        path,
    })
}

// check_hostPathVolumes.go
fn host_path_volumes(pod: &PodView, _: &[ContainerView]) -> Option<Violation> {
    let volumes = get(pod.spec, "volumes").as_array()?;
    let bad: Vec<(usize, String)> = volumes
        .iter()
        .enumerate()
        .filter(|(_, v)| v.get("hostPath").is_some_and(|h| !h.is_null()))
        .map(|(i, v)| (i, get(v, "name").as_str().unwrap_or_default().to_string()))
        .collect();
    let (i, _) = bad.first()?;
    let names: Vec<String> = bad.iter().map(|(_, n)| n.clone()).collect();
    Some(Violation {
        reason: "hostPath volumes".into(),
        detail: msg!(
            "policy-ps-volumes",
            count = names.len(),
            names = quote(&names)
        ),
        path: pod.spec_path.key("volumes").index(*i).key("hostPath"),
    })
}

// check_hostPorts.go, on the ports after defaulting: with `hostNetwork: true` a port of
// an init or regular container without `hostPort` gets its `containerPort`
// (`defaultHostNetworkPorts`; ephemeral containers have no ports).
fn host_ports(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let host_network = is_true(get(pod.spec, "hostNetwork"));
    let mut names = Vec::new();
    let mut ports = Vec::new();
    let mut first = None;
    for c in containers {
        let mut bad = false;
        for (i, p) in get(c.value, "ports")
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut host_port = get(p, "hostPort").as_i64().unwrap_or(0);
            if host_port == 0 && host_network && c.list != "ephemeralContainers" {
                host_port = get(p, "containerPort").as_i64().unwrap_or(0);
            }
            if host_port != 0 {
                bad = true;
                ports.push(host_port.to_string());
                first.get_or_insert_with(|| c.path.key("ports").index(i).key("hostPort"));
            }
        }
        if bad {
            names.push(c.name.clone());
        }
    }
    let ports = sorted_unique(ports);
    first.map(|path| Violation {
        reason: "hostPort".into(),
        detail: msg!(
            "policy-ps-host-ports",
            who = containers_phrase(&names),
            count = names.len(),
            ports_count = ports.len(),
            ports = ports.join(", ")
        ),
        path,
    })
}

// check_appArmorProfile.go
fn app_armor(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let allowed = |t: &Value| matches!(t.as_str(), Some("RuntimeDefault" | "Localhost"));
    let mut setters = Vec::new();
    let mut values = Vec::new();
    let mut first = None;
    let pod_profile = get(pod.pod_security_context(), "appArmorProfile");
    if !pod_profile.is_null() && !allowed(get(pod_profile, "type")) {
        setters.push(pod_setter());
        values.push(get(pod_profile, "type").as_str().unwrap_or("").to_string());
        first = Some(
            pod.spec_path
                .key("securityContext")
                .key("appArmorProfile")
                .key("type"),
        );
    }
    let mut names = Vec::new();
    for c in containers {
        let profile = get(get(c.value, "securityContext"), "appArmorProfile");
        if !profile.is_null() && !allowed(get(profile, "type")) {
            names.push(c.name.clone());
            values.push(get(profile, "type").as_str().unwrap_or("").to_string());
            first.get_or_insert_with(|| {
                match pod.from_annotation.iter().find(|(path, _)| *path == c.path) {
                    Some((_, annotation)) => pod.metadata_path.key("annotations").key(annotation),
                    None => c
                        .path
                        .key("securityContext")
                        .key("appArmorProfile")
                        .key("type"),
                }
            });
        }
    }
    let mut values = sorted_unique(values);
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    let mut annotations = Vec::new();
    for (k, v) in pod.annotations() {
        let ok = v.is_empty() || v == "runtime/default" || v.starts_with("localhost/");
        if k.starts_with("container.apparmor.security.beta.kubernetes.io/") && !ok {
            annotations.push(format!("{k}={v:?}"));
            first.get_or_insert_with(|| pod.metadata_path.key("annotations").key(k));
        }
    }
    if !annotations.is_empty() {
        annotations.sort();
        setters.push(msg!("policy-ps-annotations", count = annotations.len()));
        values.extend(annotations);
    }
    first.map(|path| Violation {
        reason: if values.len() == 1 {
            "forbidden AppArmor profile"
        } else {
            "forbidden AppArmor profiles"
        }
        .into(),
        detail: msg!(
            "policy-ps-app-armor",
            who = and(setters),
            values = quote(&values)
        ),
        path,
    })
}

// check_seLinuxOptions.go (the 1.31 type list)
fn se_linux(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    const TYPES: [&str; 5] = [
        "",
        "container_t",
        "container_init_t",
        "container_kvm_t",
        "container_engine_t",
    ];
    let mut bad_types = Vec::new();
    let (mut set_user, mut set_role) = (false, false);
    let mut check = |opts: &Value| -> Option<&'static str> {
        if opts.is_null() {
            return None;
        }
        let mut field = None;
        let t = get(opts, "type").as_str().unwrap_or("");
        if !TYPES.contains(&t) {
            bad_types.push(t.to_string());
            field = Some("type");
        }
        if !get(opts, "user").as_str().unwrap_or("").is_empty() {
            set_user = true;
            field = field.or(Some("user"));
        }
        if !get(opts, "role").as_str().unwrap_or("").is_empty() {
            set_role = true;
            field = field.or(Some("role"));
        }
        field
    };
    let mut setters = Vec::new();
    let mut first = None;
    if let Some(field) = check(get(pod.pod_security_context(), "seLinuxOptions")) {
        setters.push(pod_setter());
        first = Some(
            pod.spec_path
                .key("securityContext")
                .key("seLinuxOptions")
                .key(field),
        );
    }
    let mut names = Vec::new();
    for c in containers {
        if let Some(field) = check(get(get(c.value, "securityContext"), "seLinuxOptions")) {
            names.push(c.name.clone());
            first.get_or_insert_with(|| {
                c.path
                    .key("securityContext")
                    .key("seLinuxOptions")
                    .key(field)
            });
        }
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    let path = first?;
    let bad_types = sorted_unique(bad_types);
    let mut data = Vec::new();
    if !bad_types.is_empty() {
        data.push(msg!(
            "policy-ps-se-linux-types",
            count = bad_types.len(),
            types = quote(&bad_types)
        ));
    }
    if set_user {
        data.push(msg!("policy-ps-se-linux-user"));
    }
    if set_role {
        data.push(msg!("policy-ps-se-linux-role"));
    }
    Some(Violation {
        reason: "seLinuxOptions".into(),
        detail: msg!("policy-ps-se-linux", who = and(setters), data = data),
        path,
    })
}

// check_procMount.go
fn proc_mount(_: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut first = None;
    for c in containers {
        let value = get(get(c.value, "securityContext"), "procMount");
        if let Some(t) = value.as_str()
            && t != "Default"
        {
            names.push(c.name.clone());
            types.push(t.to_string());
            first.get_or_insert_with(|| c.path.key("securityContext").key("procMount"));
        }
    }
    first.map(|path| Violation {
        reason: "procMount".into(),
        detail: must_not_set_to(
            containers_phrase(&names),
            "securityContext.procMount",
            quote(&sorted_unique(types)),
        ),
        path,
    })
}

fn seccomp_type(context: &Value) -> Option<&str> {
    let profile = get(context, "seccompProfile");
    (!profile.is_null()).then(|| get(profile, "type").as_str().unwrap_or(""))
}

// check_seccompProfile_baseline.go (1.19+: the fields; annotations are not checked)
fn seccomp_baseline(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let valid = |t: &str| matches!(t, "RuntimeDefault" | "Localhost");
    let mut setters = Vec::new();
    let mut values = Vec::new();
    let mut first = None;
    if let Some(t) = seccomp_type(pod.pod_security_context())
        && !valid(t)
    {
        setters.push(pod_setter());
        values.push(t.to_string());
        first = Some(
            pod.spec_path
                .key("securityContext")
                .key("seccompProfile")
                .key("type"),
        );
    }
    let mut names = Vec::new();
    for c in containers {
        if let Some(t) = seccomp_type(get(c.value, "securityContext"))
            && !valid(t)
        {
            names.push(c.name.clone());
            values.push(t.to_string());
            first.get_or_insert_with(|| {
                c.path
                    .key("securityContext")
                    .key("seccompProfile")
                    .key("type")
            });
        }
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    first.map(|path| Violation {
        reason: "seccompProfile".into(),
        detail: must_not_set_to(
            and(setters),
            "securityContext.seccompProfile.type",
            quote(&sorted_unique(values)),
        ),
        path,
    })
}

/// Sysctls a `baseline` pod may set (check_sysctls.go, the 1.32 list).
pub const SAFE_SYSCTLS: [&str; 12] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

// check_sysctls.go
fn sysctls(pod: &PodView, _: &[ContainerView]) -> Option<Violation> {
    let list = get(pod.pod_security_context(), "sysctls").as_array()?;
    let bad: Vec<(usize, String)> = list
        .iter()
        .enumerate()
        .map(|(i, s)| (i, get(s, "name").as_str().unwrap_or("").to_string()))
        .filter(|(_, n)| !SAFE_SYSCTLS.contains(&n.as_str()))
        .collect();
    let (i, _) = bad.first()?;
    let names: Vec<String> = bad.iter().map(|(_, n)| n.clone()).collect();
    Some(Violation {
        reason: "forbidden sysctls".into(),
        detail: msg!("policy-ps-sysctls", names = names.join(", ")),
        path: pod
            .spec_path
            .key("securityContext")
            .key("sysctls")
            .index(*i)
            .key("name"),
    })
}

// check_windowsHostProcess.go
fn windows_host_process(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let host_process =
        |context: &Value| is_true(get(get(context, "windowsOptions"), "hostProcess"));
    let mut first = None;
    let mut pod_set = false;
    if host_process(pod.pod_security_context()) {
        pod_set = true;
        first = Some(
            pod.spec_path
                .key("securityContext")
                .key("windowsOptions")
                .key("hostProcess"),
        );
    }
    let mut names = Vec::new();
    for c in containers {
        if host_process(get(c.value, "securityContext")) {
            names.push(c.name.clone());
            first.get_or_insert_with(|| {
                c.path
                    .key("securityContext")
                    .key("windowsOptions")
                    .key("hostProcess")
            });
        }
    }
    let path = first?;
    let mut setters = Vec::new();
    if pod_set {
        setters.push(pod_setter());
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    Some(Violation {
        reason: "hostProcess".into(),
        detail: must_not_set(
            and(setters),
            "securityContext.windowsOptions.hostProcess=true",
        ),
        path,
    })
}

// check_hostProbesAndhostLifecycle.go (new in 1.34)
fn host_probes(_: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let mut names = Vec::new();
    let mut hosts = Vec::new();
    let mut first = None;
    for c in containers {
        let mut bad = false;
        let handlers = [
            ("livenessProbe", None),
            ("readinessProbe", None),
            ("startupProbe", None),
            ("lifecycle", Some("postStart")),
            ("lifecycle", Some("preStop")),
        ];
        for (field, sub) in handlers {
            let (handler, path) = match sub {
                None => (get(c.value, field), c.path.key(field)),
                Some(s) => (get(get(c.value, field), s), c.path.key(field).key(s)),
            };
            for action in ["httpGet", "tcpSocket"] {
                let host = get(get(handler, action), "host").as_str().unwrap_or("");
                if !host.is_empty() {
                    bad = true;
                    hosts.push(host.to_string());
                    first.get_or_insert_with(|| path.key(action).key("host"));
                }
            }
        }
        if bad {
            names.push(c.name.clone());
        }
    }
    let names = sorted_unique(names);
    let hosts = sorted_unique(hosts);
    first.map(|path| Violation {
        reason: "probe or lifecycle host".into(),
        detail: msg!(
            "policy-ps-probe-hosts",
            who = containers_phrase(&names),
            count = names.len(),
            hosts_count = hosts.len(),
            hosts = quote(&hosts)
        ),
        path,
    })
}

// check_restrictedVolumes.go: a volume with any allowed source passes; otherwise it is
// named with the first restricted source in the order the check tests them (`unknown`
// when none is known).
fn restricted_volumes(pod: &PodView, _: &[ContainerView]) -> Option<Violation> {
    const ALLOWED: [&str; 9] = [
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "image",
        "persistentVolumeClaim",
        "projected",
        "secret",
    ];
    const RESTRICTED: [&str; 21] = [
        "hostPath",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "gitRepo",
        "nfs",
        "iscsi",
        "glusterfs",
        "rbd",
        "flexVolume",
        "cinder",
        "cephfs",
        "flocker",
        "fc",
        "azureFile",
        "vsphereVolume",
        "quobyte",
        "azureDisk",
        "photonPersistentDisk",
        "portworxVolume",
        "scaleIO",
        "storageos",
    ];
    let volumes = get(pod.spec, "volumes").as_array()?;
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut first = None;
    for (i, v) in volumes.iter().enumerate() {
        let set = |key: &str| !get(v, key).is_null();
        if ALLOWED.iter().any(|key| set(key)) {
            continue;
        }
        names.push(get(v, "name").as_str().unwrap_or("").to_string());
        let kind = RESTRICTED.iter().find(|key| set(key));
        types.push(kind.map_or("unknown", |k| k).to_string());
        let path = pod.spec_path.key("volumes").index(i);
        first.get_or_insert_with(|| match kind {
            Some(key) => path.key(*key),
            None => path,
        });
    }
    let types = sorted_unique(types);
    first.map(|path| Violation {
        reason: "restricted volume types".into(),
        detail: msg!(
            "policy-ps-restricted-volumes",
            count = names.len(),
            names = quote(&names),
            types_count = types.len(),
            types = quote(&types)
        ),
        path,
    })
}

// check_allowPrivilegeEscalation.go
fn allow_privilege_escalation(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    if get(get(pod.spec, "os"), "name").as_str() == Some("windows") {
        return None;
    }
    let bad: Vec<&ContainerView> = containers
        .iter()
        .filter(|c| {
            get(get(c.value, "securityContext"), "allowPrivilegeEscalation").as_bool()
                != Some(false)
        })
        .collect();
    let first = bad.first()?;
    let names: Vec<String> = bad.iter().map(|c| c.name.clone()).collect();
    Some(Violation {
        reason: "allowPrivilegeEscalation != false".into(),
        detail: must_set(
            containers_phrase(&names),
            "securityContext.allowPrivilegeEscalation=false",
        ),
        path: first
            .path
            .key("securityContext")
            .key("allowPrivilegeEscalation"),
    })
}

// check_runAsNonRoot.go: setters of `false` (the pod, then the containers) first; only
// when there is none, the containers that set nothing where the pod sets nothing either.
fn run_as_non_root(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let pod_value = get(pod.pod_security_context(), "runAsNonRoot").as_bool();
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    let (mut first_explicit, mut first_implicit) = (None, None);
    if pod_value == Some(false) {
        first_explicit = Some(pod.spec_path.key("securityContext").key("runAsNonRoot"));
    }
    for c in containers {
        match get(get(c.value, "securityContext"), "runAsNonRoot").as_bool() {
            Some(false) => {
                explicit.push(c.name.clone());
                first_explicit
                    .get_or_insert_with(|| c.path.key("securityContext").key("runAsNonRoot"));
            }
            None if pod_value != Some(true) => {
                implicit.push(c.name.clone());
                first_implicit.get_or_insert_with(|| c.path.key("securityContext"));
            }
            _ => {}
        }
    }
    if let Some(path) = first_explicit {
        let mut setters = Vec::new();
        if pod_value == Some(false) {
            setters.push(pod_setter());
        }
        if !explicit.is_empty() {
            setters.push(containers_phrase(&explicit));
        }
        return Some(Violation {
            reason: "runAsNonRoot != true".into(),
            detail: must_not_set(and(setters), "securityContext.runAsNonRoot=false"),
            path,
        });
    }
    first_implicit.map(|path| Violation {
        reason: "runAsNonRoot != true".into(),
        detail: must_set(
            msg!(
                "policy-ps-pod-or",
                containers = containers_phrase(&implicit)
            ),
            "securityContext.runAsNonRoot=true",
        ),
        path,
    })
}

// check_runAsUser.go
fn run_as_user(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let mut setters = Vec::new();
    let mut first = None;
    if get(pod.pod_security_context(), "runAsUser").as_i64() == Some(0) {
        setters.push(pod_setter());
        first = Some(pod.spec_path.key("securityContext").key("runAsUser"));
    }
    let mut names = Vec::new();
    for c in containers {
        if get(get(c.value, "securityContext"), "runAsUser").as_i64() == Some(0) {
            names.push(c.name.clone());
            first.get_or_insert_with(|| c.path.key("securityContext").key("runAsUser"));
        }
    }
    if !names.is_empty() {
        setters.push(containers_phrase(&names));
    }
    first.map(|path| Violation {
        reason: "runAsUser=0".into(),
        detail: must_not_set(and(setters), "runAsUser=0"),
        path,
    })
}

// check_seccompProfile_restricted.go: setters of a type other than `RuntimeDefault` or
// `Localhost` (the pod, then the containers) first, with the types they set; only when
// there is none, the containers that set no profile where the pod sets no valid one.
fn seccomp_restricted(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let valid = |t: &str| matches!(t, "RuntimeDefault" | "Localhost");
    let pod_type = seccomp_type(pod.pod_security_context());
    let pod_valid = pod_type.is_some_and(valid);
    let mut setters = Vec::new();
    let mut values = Vec::new();
    let (mut first_bad, mut first_unset) = (None, None);
    if let Some(t) = pod_type
        && !valid(t)
    {
        setters.push(pod_setter());
        values.push(t.to_string());
        first_bad = Some(pod.spec_path.key("securityContext").key("seccompProfile"));
    }
    let mut bad = Vec::new();
    let mut unset = Vec::new();
    for c in containers {
        match seccomp_type(get(c.value, "securityContext")) {
            Some(t) if !valid(t) => {
                bad.push(c.name.clone());
                values.push(t.to_string());
                first_bad
                    .get_or_insert_with(|| c.path.key("securityContext").key("seccompProfile"));
            }
            None if !pod_valid => {
                unset.push(c.name.clone());
                first_unset.get_or_insert_with(|| c.path.key("securityContext"));
            }
            _ => {}
        }
    }
    if let Some(path) = first_bad {
        if !bad.is_empty() {
            setters.push(containers_phrase(&bad));
        }
        return Some(Violation {
            reason: "seccompProfile".into(),
            detail: must_not_set_to(
                and(setters),
                "securityContext.seccompProfile.type",
                quote(&sorted_unique(values)),
            ),
            path,
        });
    }
    first_unset.map(|path| Violation {
        reason: "seccompProfile".into(),
        detail: msg!(
            "policy-ps-seccomp-must-set",
            who = msg!("policy-ps-pod-or", containers = containers_phrase(&unset))
        ),
        path,
    })
}

// check_capabilities_restricted.go
fn capabilities_restricted(_: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let mut no_drop = Vec::new();
    let mut bad_add = Vec::new();
    let mut caps = Vec::new();
    let mut first = None;
    for c in containers {
        let drops_all = get(get(get(c.value, "securityContext"), "capabilities"), "drop")
            .as_array()
            .is_some_and(|d| d.iter().any(|v| v.as_str() == Some("ALL")));
        if !drops_all {
            no_drop.push(c.name.clone());
            first.get_or_insert_with(|| {
                c.path
                    .key("securityContext")
                    .key("capabilities")
                    .key("drop")
            });
        }
        let extra: Vec<(usize, String)> = added(c)
            .into_iter()
            .filter(|(_, cap)| cap != "NET_BIND_SERVICE")
            .collect();
        if let Some((i, _)) = extra.first() {
            bad_add.push(c.name.clone());
            first.get_or_insert_with(|| capability_path(c, "add", *i));
            caps.extend(extra.into_iter().map(|(_, cap)| cap));
        }
    }
    let path = first?;
    let mut found = Vec::new();
    if !no_drop.is_empty() {
        found.push(must_set(
            containers_phrase(&no_drop),
            "securityContext.capabilities.drop=[\"ALL\"]",
        ));
    }
    if !bad_add.is_empty() {
        found.push(msg!(
            "policy-ps-must-not-add",
            who = containers_phrase(&bad_add),
            capabilities = quote(&sorted_unique(caps))
        ));
    }
    Some(Violation {
        reason: "unrestricted capabilities".into(),
        detail: parts(found),
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(spec: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
    }

    fn container(extra: Value) -> Value {
        let mut c = json!({"name": "c", "image": "busybox:1.28"});
        c.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        c
    }

    /// (reason, path) of the first violation.
    fn first(kind: &str, object: &Value) -> Option<(String, String)> {
        baseline(kind, object)
            .first()
            .map(|v| (v.reason.clone(), v.path.to_string()))
    }

    #[test]
    fn every_baseline_check_finds_its_field() {
        let cases = [
            (
                json!({"hostPID": true, "containers": [container(json!({}))]}),
                "host namespaces",
                "spec.hostPID",
            ),
            (
                json!({"containers": [container(json!({"securityContext": {"privileged": true}}))]}),
                "privileged",
                "spec.containers[0].securityContext.privileged",
            ),
            (
                json!({"initContainers": [container(json!({"securityContext": {"capabilities": {"add": ["CHOWN", "SYS_ADMIN"]}}}))], "containers": [container(json!({}))]}),
                "non-default capabilities",
                "spec.initContainers[0].securityContext.capabilities.add[1]",
            ),
            (
                json!({"containers": [container(json!({}))], "volumes": [{"name": "e", "emptyDir": {}}, {"name": "h", "hostPath": {"path": "/"}}]}),
                "hostPath volumes",
                "spec.volumes[1].hostPath",
            ),
            (
                json!({"containers": [container(json!({"ports": [{"containerPort": 80, "hostPort": 8080}]}))]}),
                "hostPort",
                "spec.containers[0].ports[0].hostPort",
            ),
            (
                json!({"securityContext": {"appArmorProfile": {"type": "Unconfined"}}, "containers": [container(json!({}))]}),
                "forbidden AppArmor profile",
                "spec.securityContext.appArmorProfile.type",
            ),
            (
                json!({"containers": [container(json!({"securityContext": {"seLinuxOptions": {"type": "spc_t"}}}))]}),
                "seLinuxOptions",
                "spec.containers[0].securityContext.seLinuxOptions.type",
            ),
            (
                json!({"containers": [container(json!({"securityContext": {"procMount": "Unmasked"}}))]}),
                "procMount",
                "spec.containers[0].securityContext.procMount",
            ),
            (
                json!({"containers": [container(json!({"securityContext": {"seccompProfile": {"type": "Unconfined"}}}))]}),
                "seccompProfile",
                "spec.containers[0].securityContext.seccompProfile.type",
            ),
            (
                json!({"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}, {"name": "kernel.msgmax", "value": "1"}]}, "containers": [container(json!({}))]}),
                "forbidden sysctls",
                "spec.securityContext.sysctls[1].name",
            ),
            (
                json!({"containers": [container(json!({"securityContext": {"windowsOptions": {"hostProcess": true}}}))]}),
                "hostProcess",
                "spec.containers[0].securityContext.windowsOptions.hostProcess",
            ),
            (
                json!({"containers": [container(json!({"livenessProbe": {"tcpSocket": {"port": 80, "host": "10.0.0.1"}}}))]}),
                "probe or lifecycle host",
                "spec.containers[0].livenessProbe.tcpSocket.host",
            ),
        ];
        for (spec, reason, path) in cases {
            assert_eq!(
                first("Pod", &pod(spec.clone())),
                Some((reason.to_string(), path.to_string())),
                "{spec}"
            );
        }
    }

    #[test]
    fn baseline_allows_the_default_capabilities_and_safe_settings() {
        let spec = json!({
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"},
                "sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]},
            "containers": [container(json!({"securityContext": {
                "capabilities": {"add": ["NET_BIND_SERVICE", "CHOWN"], "drop": ["ALL"]},
                "procMount": "Default", "privileged": false,
                "seLinuxOptions": {"type": "container_t"}}}))]
        });
        assert_eq!(baseline("Pod", &pod(spec)), Vec::new());
    }

    #[test]
    fn every_pod_template_kind_is_checked_at_its_template() {
        let template = json!({"metadata": {}, "spec": {"hostNetwork": true, "containers": [container(json!({}))]}});
        for (kind, object, path) in [
            (
                "Deployment",
                json!({"spec": {"template": template}}),
                "spec.template.spec.hostNetwork",
            ),
            (
                "CronJob",
                json!({"spec": {"jobTemplate": {"spec": {"template": template}}}}),
                "spec.jobTemplate.spec.template.spec.hostNetwork",
            ),
            (
                "PodTemplate",
                json!({"template": template}),
                "template.spec.hostNetwork",
            ),
            (
                "ReplicationController",
                json!({"spec": {"template": template}}),
                "spec.template.spec.hostNetwork",
            ),
        ] {
            assert_eq!(
                first(kind, &object).map(|(_, p)| p),
                Some(path.to_string()),
                "{kind}"
            );
        }
        assert!(baseline("ConfigMap", &json!({"spec": template})).is_empty());
    }

    #[test]
    fn the_message_reads_like_the_api_servers() {
        let object = pod(
            json!({"containers": [container(json!({"securityContext": {"privileged": true}}))]}),
        );
        assert_eq!(
            message(ENFORCE, &baseline("Pod", &object)).to_string(),
            "violates PodSecurity \"baseline:v1.34\": privileged (container \"c\" must not set securityContext.privileged=true)"
        );
    }

    /// check_capabilities_baseline.go and check_capabilities_restricted.go
    /// (k8s.io/pod-security-admission v0.34.4) compare the names exactly: no case folding
    /// and no `CAP_` prefix stripped, unlike containerd (see
    /// `check::security_context::cri_bounding_set`).
    #[test]
    fn capability_names_are_compared_exactly() {
        let with = |caps: Value| {
            pod(json!({"securityContext": {"runAsNonRoot": true,
                "seccompProfile": {"type": "RuntimeDefault"}},
                "containers": [container(json!({"securityContext": {
                    "allowPrivilegeEscalation": false, "capabilities": caps}}))]}))
        };
        let reasons = |violations: Vec<Violation>| -> Vec<String> {
            violations.into_iter().map(|v| v.reason).collect()
        };
        // baseline: `CHOWN` may be added; `chown` and `CAP_CHOWN` may not.
        assert!(baseline("Pod", &with(json!({"add": ["CHOWN"]}))).is_empty());
        for name in ["chown", "CAP_CHOWN", "Chown"] {
            assert_eq!(
                reasons(baseline("Pod", &with(json!({"add": [name]})))),
                ["non-default capabilities"],
                "{name}"
            );
        }
        // restricted: only the exact `ALL` counts as dropping all, and only the exact
        // `NET_BIND_SERVICE` may be added.
        let ok = json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]});
        assert_eq!(restricted("Pod", &with(ok)), Vec::new());
        for caps in [
            json!({"drop": ["all"]}),
            json!({"drop": ["CAP_ALL"]}),
            json!({"drop": ["ALL"], "add": ["net_bind_service"]}),
            json!({"drop": ["ALL"], "add": ["CAP_NET_BIND_SERVICE"]}),
        ] {
            assert_eq!(
                reasons(restricted("Pod", &with(caps.clone()))),
                ["unrestricted capabilities"],
                "{caps}"
            );
        }
    }

    #[test]
    fn restricted_asks_more_of_the_seeds_secure_pod() {
        let object = pod(json!({"securityContext": {"runAsUser": 1000},
            "containers": [container(json!({"securityContext": {
                "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}))]}));
        let reasons: Vec<String> = restricted("Pod", &object)
            .into_iter()
            .map(|v| v.reason)
            .collect();
        assert_eq!(reasons, ["runAsNonRoot != true", "seccompProfile"]);
    }

    /// The restricted level's message, in English.
    fn restricted_message(spec: Value) -> String {
        let object = pod(spec);
        message(
            Level::Restricted.name(),
            &violations(Level::Restricted, "Pod", &object),
        )
        .to_string()
    }

    /// A container that passes every restricted check.
    fn secure(name: &str) -> Value {
        json!({"name": name, "image": "busybox:1.28", "securityContext": {
            "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]},
            "runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}})
    }

    /// policy/registry.go: baseline check IDs sorted, then restricted ones, and a
    /// restricted check replaces the baseline check it overrides.
    #[test]
    fn checks_run_in_the_api_servers_order() {
        assert_eq!(
            check_ids(Level::Baseline),
            [
                "appArmorProfile",
                "capabilities_baseline",
                "hostNamespaces",
                "hostPathVolumes",
                "hostPorts",
                "hostProbesAndHostLifecycle",
                "privileged",
                "procMount",
                "seLinuxOptions",
                "seccompProfile_baseline",
                "sysctls",
                "windowsHostProcess"
            ]
        );
        assert_eq!(
            check_ids(Level::Restricted),
            [
                "appArmorProfile",
                "hostNamespaces",
                "hostPorts",
                "hostProbesAndHostLifecycle",
                "privileged",
                "procMount",
                "seLinuxOptions",
                "sysctls",
                "windowsHostProcess",
                "allowPrivilegeEscalation",
                "capabilities_restricted",
                "restrictedVolumes",
                "runAsNonRoot",
                "runAsUser",
                "seccompProfile_restricted"
            ]
        );
        let object = pod(json!({"hostNetwork": true,
            "securityContext": {"appArmorProfile": {"type": "Unconfined"}},
            "containers": [container(json!({"securityContext": {"privileged": true}}))]}));
        assert_eq!(
            message(ENFORCE, &baseline("Pod", &object)).to_string(),
            "violates PodSecurity \"baseline:v1.34\": forbidden AppArmor profile (pod must not set AppArmor profile type to \"Unconfined\"), host namespaces (hostNetwork=true), privileged (container \"c\" must not set securityContext.privileged=true)"
        );
    }

    #[test]
    fn restricted_replaces_the_baseline_checks_it_overrides() {
        let mut c = secure("c");
        c["securityContext"]["capabilities"]["add"] = json!(["SYS_ADMIN"]);
        assert_eq!(
            restricted_message(json!({"containers": [c],
                "volumes": [{"name": "h", "hostPath": {"path": "/"}}]})),
            "violates PodSecurity \"restricted:v1.34\": unrestricted capabilities (container \"c\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add), restricted volume types (volume \"h\" uses restricted volume type \"hostPath\")"
        );
    }

    /// check_restrictedVolumes.go: any allowed source passes (`image` included); each
    /// other volume is named once, with its source.
    #[test]
    fn restricted_volumes_name_each_volume_once_with_its_type() {
        let volumes = json!([
            {"name": "a", "hostPath": {"path": "/"}},
            {"name": "b", "image": {"reference": "busybox:1.28"}},
            {"name": "c", "nfs": {"server": "s", "path": "/"}},
            {"name": "d", "emptyDir": {}}
        ]);
        assert_eq!(
            restricted_message(json!({"containers": [secure("c")], "volumes": volumes})),
            "violates PodSecurity \"restricted:v1.34\": restricted volume types (volumes \"a\", \"c\" use restricted volume types \"hostPath\", \"nfs\")"
        );
    }

    /// check_runAsNonRoot.go: the setters of `false` (pod first) are reported alone; the
    /// containers that set nothing only when nobody sets `false`.
    #[test]
    fn run_as_non_root_reports_false_setters_before_unset_containers() {
        let mut no = secure("no");
        no["securityContext"]["runAsNonRoot"] = json!(false);
        let mut unset = secure("unset");
        unset["securityContext"]
            .as_object_mut()
            .unwrap()
            .remove("runAsNonRoot");
        assert_eq!(
            restricted_message(json!({"securityContext": {"runAsNonRoot": false},
                "containers": [no.clone(), unset.clone()]})),
            "violates PodSecurity \"restricted:v1.34\": runAsNonRoot != true (pod and container \"no\" must not set securityContext.runAsNonRoot=false)"
        );
        assert_eq!(
            restricted_message(json!({"containers": [no, unset.clone()]})),
            "violates PodSecurity \"restricted:v1.34\": runAsNonRoot != true (container \"no\" must not set securityContext.runAsNonRoot=false)"
        );
        assert_eq!(
            restricted_message(json!({"containers": [unset]})),
            "violates PodSecurity \"restricted:v1.34\": runAsNonRoot != true (pod or container \"unset\" must set securityContext.runAsNonRoot=true)"
        );
    }

    /// check_seccompProfile_restricted.go: the setters of a forbidden type, with the types
    /// they set, are reported alone.
    #[test]
    fn seccomp_reports_forbidden_setters_before_unset_containers() {
        let mut bad = secure("bad");
        bad["securityContext"]["seccompProfile"] = json!({"type": "Unconfined"});
        let mut unset = secure("unset");
        unset["securityContext"]
            .as_object_mut()
            .unwrap()
            .remove("seccompProfile");
        assert_eq!(
            restricted_message(json!({"containers": [bad, unset.clone()]})),
            "violates PodSecurity \"restricted:v1.34\": seccompProfile (container \"bad\" must not set securityContext.seccompProfile.type to \"Unconfined\")"
        );
        // A valid pod-level profile covers the containers that set none.
        let covered = pod(
            json!({"securityContext": {"seccompProfile": {"type": "Localhost",
            "localhostProfile": "p.json"}}, "containers": [unset]}),
        );
        assert_eq!(violations(Level::Restricted, "Pod", &covered), Vec::new());
    }

    /// `SetDefaults_PodSpec`: with hostNetwork, a port without hostPort gets its
    /// containerPort as hostPort, which Pod Security admission then sees.
    #[test]
    fn host_network_ports_are_host_ports_after_defaulting() {
        let object = pod(json!({"hostNetwork": true,
            "containers": [container(json!({"ports": [{"containerPort": 8080}]}))]}));
        assert_eq!(
            message(ENFORCE, &baseline("Pod", &object)).to_string(),
            "violates PodSecurity \"baseline:v1.34\": host namespaces (hostNetwork=true), hostPort (container \"c\" uses hostPort 8080)"
        );
    }

    /// `joinQuote` puts quotes around each item and escapes nothing, so an annotation's
    /// `%q` value keeps its own quotes inside.
    #[test]
    fn quoted_items_are_not_escaped() {
        // An annotation for a container that does not exist stays an annotation.
        let object = json!({"metadata": {"name": "p", "annotations": {
            "container.apparmor.security.beta.kubernetes.io/gone": "unconfined"}},
            "spec": {"containers": [container(json!({}))]}});
        assert_eq!(
            message(ENFORCE, &baseline("Pod", &object)).to_string(),
            "violates PodSecurity \"baseline:v1.34\": forbidden AppArmor profile (annotation must not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/gone=\"unconfined\"\")"
        );
    }

    /// `applyAppArmorVersionSkew` (v1.34): an annotation becomes the field of a container
    /// that sets none, so both are reported; not when the pod-level profile is the same.
    #[test]
    fn an_apparmor_annotation_becomes_the_containers_field() {
        let with = |pod_profile: Value| {
            json!({"metadata": {"name": "p", "annotations": {
                "container.apparmor.security.beta.kubernetes.io/c": "unconfined"}},
                "spec": {"securityContext": pod_profile, "containers": [container(json!({}))]}})
        };
        let found = baseline("Pod", &with(json!({})));
        assert_eq!(
            found[0].path.to_string(),
            "metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/c\"]",
            "the learner wrote the annotation, not the field"
        );
        assert_eq!(
            message(ENFORCE, &found).to_string(),
            "violates PodSecurity \"baseline:v1.34\": forbidden AppArmor profiles (container \"c\" and annotation must not set AppArmor profile type to \"Unconfined\", \"container.apparmor.security.beta.kubernetes.io/c=\"unconfined\"\")"
        );
        let same = with(json!({"appArmorProfile": {"type": "Unconfined"}}));
        assert_eq!(
            message(ENFORCE, &baseline("Pod", &same)).to_string(),
            "violates PodSecurity \"baseline:v1.34\": forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to \"Unconfined\", \"container.apparmor.security.beta.kubernetes.io/c=\"unconfined\"\")"
        );
        // `runtime/default` is allowed either way, and a pod that only annotates stays
        // borrowed where nothing changes.
        let mut fine = with(json!({}));
        fine["metadata"]["annotations"]["container.apparmor.security.beta.kubernetes.io/c"] =
            json!("runtime/default");
        assert_eq!(baseline("Pod", &fine), Vec::new());
    }
}
