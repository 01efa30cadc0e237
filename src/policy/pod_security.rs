//! The Pod Security Standards as the built-in Pod Security admission evaluates them, on a
//! pod's metadata and spec as written (JSON), with the path of every offending field.
//!
//! Modelled from `k8s.io/pod-security-admission` v0.34 (`policy/check_*.go`, the checks
//! the `baseline` and `restricted` levels run at version `v1.34`), with the same reason
//! and detail texts, so that a refusal offline reads like the API server's
//! `violates PodSecurity "baseline:v1.34": privileged (container "c" must not set
//! securityContext.privileged=true)`. Containers are visited as `visitContainers` does:
//! init containers, containers, ephemeral containers.
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
}

/// One container with its path (`spec.containers[0]`).
struct ContainerView<'v> {
    name: String,
    value: &'v Value,
    path: FieldPath,
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

fn quote(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
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

/// The `baseline` checks of Pod Security admission v1.34 that `object` (of `kind`) fails.
/// Empty for kinds without a pod template and for pods that pass.
pub fn baseline(kind: &str, object: &Value) -> Vec<Violation> {
    let Some(base) = template_path(kind) else {
        return Vec::new();
    };
    let pod = PodView::new(object, &base);
    let containers = pod.containers();
    let mut found = Vec::new();
    found.extend(host_namespaces(&pod));
    found.extend(privileged(&containers));
    found.extend(capabilities_baseline(&containers));
    found.extend(host_path_volumes(&pod));
    found.extend(host_ports(&containers));
    found.extend(app_armor(&pod, &containers));
    found.extend(se_linux(&pod, &containers));
    found.extend(proc_mount(&containers));
    found.extend(seccomp_baseline(&pod, &containers));
    found.extend(sysctls(&pod));
    found.extend(windows_host_process(&pod, &containers));
    found.extend(host_probes(&containers));
    found
}

/// Every check of `level` (`privileged`: none; `baseline`; `restricted`: `baseline`'s
/// and its own) that `object` fails, as Pod Security admission enforces the level.
pub fn violations(level: &str, kind: &str, object: &Value) -> Vec<Violation> {
    match level {
        "baseline" => baseline(kind, object),
        "restricted" => {
            let mut found = baseline(kind, object);
            found.extend(restricted(kind, object));
            found
        }
        _ => Vec::new(),
    }
}

/// The checks `restricted` adds to `baseline` (v1.34) that `object` fails.
pub fn restricted(kind: &str, object: &Value) -> Vec<Violation> {
    let Some(base) = template_path(kind) else {
        return Vec::new();
    };
    let pod = PodView::new(object, &base);
    let containers = pod.containers();
    let mut found = Vec::new();
    found.extend(restricted_volumes(&pod));
    found.extend(allow_privilege_escalation(&pod, &containers));
    found.extend(run_as_non_root(&pod, &containers));
    found.extend(run_as_user(&pod, &containers));
    found.extend(seccomp_restricted(&pod, &containers));
    found.extend(capabilities_restricted(&containers));
    found
}

// check_hostNamespaces.go
fn host_namespaces(pod: &PodView) -> Option<Violation> {
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
fn privileged(containers: &[ContainerView]) -> Option<Violation> {
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
fn capabilities_baseline(containers: &[ContainerView]) -> Option<Violation> {
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
fn host_path_volumes(pod: &PodView) -> Option<Violation> {
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

// check_hostPorts.go
fn host_ports(containers: &[ContainerView]) -> Option<Violation> {
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
            let host_port = get(p, "hostPort").as_i64().unwrap_or(0);
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
                c.path
                    .key("securityContext")
                    .key("appArmorProfile")
                    .key("type")
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
fn proc_mount(containers: &[ContainerView]) -> Option<Violation> {
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
fn sysctls(pod: &PodView) -> Option<Violation> {
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
fn host_probes(containers: &[ContainerView]) -> Option<Violation> {
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

// check_restrictedVolumes.go
fn restricted_volumes(pod: &PodView) -> Option<Violation> {
    const ALLOWED: [&str; 9] = [
        "name",
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "persistentVolumeClaim",
        "projected",
        "secret",
    ];
    let volumes = get(pod.spec, "volumes").as_array()?;
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut first = None;
    for (i, v) in volumes.iter().enumerate() {
        let Some(map) = v.as_object() else { continue };
        for (key, value) in map {
            if !ALLOWED.contains(&key.as_str()) && !value.is_null() {
                names.push(get(v, "name").as_str().unwrap_or("").to_string());
                types.push(key.clone());
                first.get_or_insert_with(|| pod.spec_path.key("volumes").index(i).key(key));
            }
        }
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

// check_runAsNonRoot.go
fn run_as_non_root(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let pod_value = get(pod.pod_security_context(), "runAsNonRoot").as_bool();
    if pod_value == Some(false) {
        return Some(Violation {
            reason: "runAsNonRoot != true".into(),
            detail: must_not_set(pod_setter(), "securityContext.runAsNonRoot=false"),
            path: pod.spec_path.key("securityContext").key("runAsNonRoot"),
        });
    }
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    let mut first = None;
    for c in containers {
        match get(get(c.value, "securityContext"), "runAsNonRoot").as_bool() {
            Some(false) => {
                explicit.push(c.name.clone());
                first.get_or_insert_with(|| c.path.key("securityContext").key("runAsNonRoot"));
            }
            None if pod_value != Some(true) => {
                implicit.push(c.name.clone());
                first.get_or_insert_with(|| c.path.key("securityContext"));
            }
            _ => {}
        }
    }
    let path = first?;
    let mut found = Vec::new();
    if !explicit.is_empty() {
        found.push(must_not_set(
            containers_phrase(&explicit),
            "securityContext.runAsNonRoot=false",
        ));
    }
    if !implicit.is_empty() {
        found.push(must_set(
            msg!(
                "policy-ps-pod-or",
                containers = containers_phrase(&implicit)
            ),
            "securityContext.runAsNonRoot=true",
        ));
    }
    Some(Violation {
        reason: "runAsNonRoot != true".into(),
        detail: parts(found),
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

// check_seccompProfile_restricted.go
fn seccomp_restricted(pod: &PodView, containers: &[ContainerView]) -> Option<Violation> {
    let valid = |t: &str| matches!(t, "RuntimeDefault" | "Localhost");
    let pod_type = seccomp_type(pod.pod_security_context());
    let mut first = None;
    let mut bad_setters = Vec::new();
    if let Some(t) = pod_type
        && !valid(t)
    {
        bad_setters.push(pod_setter());
        first = Some(pod.spec_path.key("securityContext").key("seccompProfile"));
    }
    let mut unset = Vec::new();
    let mut bad = Vec::new();
    for c in containers {
        match seccomp_type(get(c.value, "securityContext")) {
            Some(t) if !valid(t) => {
                bad.push(c.name.clone());
                first.get_or_insert_with(|| c.path.key("securityContext").key("seccompProfile"));
            }
            None if pod_type.is_none() => {
                unset.push(c.name.clone());
                first.get_or_insert_with(|| c.path.key("securityContext"));
            }
            _ => {}
        }
    }
    let path = first?;
    let mut found = Vec::new();
    if !bad.is_empty() {
        bad_setters.push(containers_phrase(&bad));
    }
    if !bad_setters.is_empty() {
        found.push(must_not_set_to(
            and(bad_setters),
            "securityContext.seccompProfile.type",
            "\"Unconfined\"".to_string(),
        ));
    }
    if !unset.is_empty() {
        found.push(msg!(
            "policy-ps-seccomp-must-set",
            who = msg!("policy-ps-pod-or", containers = containers_phrase(&unset))
        ));
    }
    Some(Violation {
        reason: "seccompProfile".into(),
        detail: parts(found),
        path,
    })
}

// check_capabilities_restricted.go
fn capabilities_restricted(containers: &[ContainerView]) -> Option<Violation> {
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
}
