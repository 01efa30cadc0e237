//! The check kinds a lab can use, as written in `lab.yaml`. Each kind is semantic, so
//! that both an offline and a live evaluator exist (see `check/`).

use serde::{Deserialize, Serialize};

/// Which container of a pod a check looks at; the first one when not named.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub pod: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Reachability {
    Open,
    Blocked,
}

/// `nc -zv -w 1 <to> <port>` from `from`. `to` is what the learner types: a Service of
/// the lab namespace (`db-pod`), a DNS name of a Service (`kube-dns.kube-system`,
/// `db-pod.<ns>.svc.cluster.local`) — both resolved by the cluster DNS first, so an
/// egress policy that blocks DNS blocks them — or the name of a pod with no Service of
/// that name, reached at its pod IP without DNS (as `nc <pod IP>` would).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Connect {
    pub from: String,
    pub to: String,
    pub port: u16,
    #[serde(default = "tcp")]
    pub protocol: String,
    pub expect: Reachability,
}

/// What a name lookup must give.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// The cluster DNS answers with an address.
    Resolves,
    /// No answer comes (an egress policy of `from` blocks the cluster DNS).
    Fails,
}

/// `nslookup <name>` from `from` through the cluster DNS (CoreDNS in `kube-system`, pods
/// `k8s-app: kube-dns`, UDP 53 behind the `kube-dns` Service): `name` is a Service of
/// the lab namespace or a Service's DNS name (`kubernetes.default.svc.cluster.local`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Dns {
    pub from: String,
    pub name: String,
    pub expect: Resolution,
}

fn tcp() -> String {
    "TCP".to_string()
}

/// The effective user and groups of a container's process (`id -u`, `id -g`, `id -G`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RunAs {
    #[serde(flatten)]
    pub target: Target,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<i64>,
    /// Supplementary groups that must be present (e.g. the pod's `fsGroup`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<i64>,
}

/// The capability bounding set of the container's process must be a subset of `allowed`
/// (`[]`: no capabilities at all, as with `drop: [ALL]`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    #[serde(flatten)]
    pub target: Target,
    #[serde(default)]
    pub allowed: Vec<String>,
}

/// A private image pulls with the credentials of a Secret (`secret`) or through a pod's
/// `imagePullSecrets` (`pod`), from the lab's registry.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ImagePull {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub kind: String,
    pub name: String,
}

/// An assertion on one field of an object, e.g. `spec.securityContext.fsGroup == 2000`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub object: ObjectRef,
    pub path: String,
    /// The value the field must have; absent: the field must merely exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<serde_json::Value>,
}

/// A command run in a container (live only); passes on exit code `exit` and, when given,
/// when stdout+stderr contains `output`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Exec {
    #[serde(flatten)]
    pub target: Target,
    pub command: Vec<String>,
    #[serde(default)]
    pub exit: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// A NetworkPolicy's `spec.podSelector` selects exactly `pods` among the pods of the
/// lab's namespace: no pod the task names is left out, and no other pod is isolated by
/// accident (an empty `podSelector: {}` selects every pod of the namespace). Matching is
/// `metav1.LabelSelector`'s (see `netpol::selector_matches`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Selects {
    /// The NetworkPolicy's name.
    pub policy: String,
    /// The pods (by name) it must select, and no others.
    pub pods: Vec<String>,
}

/// What admission makes of an object: created, or refused by the API server.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Admit {
    Admitted,
    Refused,
}

/// Who refuses an object: Pod Security admission enforcing a level (`baseline`,
/// `restricted`), or a `ValidatingAdmissionPolicy` by the name the learner gave it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum RefusedBy {
    PodSecurity(String),
    Policy(String),
}

/// "This object is admitted / refused in the lab's namespace": `object` is one the
/// learner submits, or a *probe* the lab carries (`probes:` in `lab.yaml`, never
/// created: a server-side dry run live, the admission model offline). For a refusal,
/// `by` names who must refuse it and `message` a text the refusal must contain.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Admission {
    pub object: ObjectRef,
    pub expect: Admit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<RefusedBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    Connect(Connect),
    RunAs(RunAs),
    RootfsReadonly(Target),
    NoPrivilegeEscalation(Target),
    Capabilities(Capabilities),
    ImagePull(ImagePull),
    Field(Field),
    Exec(Exec),
    Selects(Selects),
    Admission(Admission),
    Dns(Dns),
}

impl CheckKind {
    pub const NAMES: [&'static str; 11] = [
        "connect",
        "run-as",
        "rootfs-readonly",
        "no-privilege-escalation",
        "capabilities",
        "image-pull",
        "field",
        "exec",
        "selects",
        "admission",
        "dns",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Self::Connect(_) => "connect",
            Self::RunAs(_) => "run-as",
            Self::RootfsReadonly(_) => "rootfs-readonly",
            Self::NoPrivilegeEscalation(_) => "no-privilege-escalation",
            Self::Capabilities(_) => "capabilities",
            Self::ImagePull(_) => "image-pull",
            Self::Field(_) => "field",
            Self::Exec(_) => "exec",
            Self::Selects(_) => "selects",
            Self::Admission(_) => "admission",
            Self::Dns(_) => "dns",
        }
    }

    /// The pods this check needs to exist, for lab validation.
    pub fn pods(&self) -> Vec<&str> {
        match self {
            Self::Connect(c) => vec![c.from.as_str()],
            Self::Dns(d) => vec![d.from.as_str()],
            Self::RunAs(RunAs { target, .. })
            | Self::RootfsReadonly(target)
            | Self::NoPrivilegeEscalation(target)
            | Self::Capabilities(Capabilities { target, .. })
            | Self::Exec(Exec { target, .. }) => vec![target.pod.as_str()],
            Self::ImagePull(p) => p.pod.iter().map(String::as_str).collect(),
            Self::Field(f) if f.object.kind == "Pod" => vec![f.object.name.as_str()],
            Self::Field(_) => vec![],
            Self::Selects(s) => s.pods.iter().map(String::as_str).collect(),
            Self::Admission(_) => vec![],
        }
    }
}
