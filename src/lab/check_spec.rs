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
    /// `non-root: true`: the UID must not be 0 (any other UID passes), as
    /// `runAsNonRoot` asks of the kubelet.
    #[serde(
        default,
        rename = "non-root",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub non_root: bool,
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

/// An object of the lab's namespace by kind and name.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub kind: String,
    pub name: String,
}

/// An assertion on one field of an object, e.g. `spec.securityContext.fsGroup == 2000`.
/// At most one matcher (`equals`, `prefix`, `regex`, `one-of`); none: the field must
/// merely exist.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub object: ObjectRef,
    pub path: String,
    /// The value the field must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<serde_json::Value>,
    /// A string the field's (string) value must start with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// A regular expression (the `regex` crate's syntax, unanchored: write `^…$` for the
    /// whole value) the field's (string) value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Values the field may have (any one of them).
    #[serde(default, rename = "one-of", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<serde_json::Value>>,
}

impl Field {
    /// How many matchers the check sets (lab loading allows at most one).
    pub fn matchers(&self) -> usize {
        usize::from(self.equals.is_some())
            + usize::from(self.prefix.is_some())
            + usize::from(self.regex.is_some())
            + usize::from(self.one_of.is_some())
    }
}

/// The exit an `exec` check expects: a code (`exit: 0`, the default) or `exit: nonzero`
/// (the command must fail, also when it cannot start at all: `executable file not
/// found` counts as exit 127, as a shell reports it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitExpect {
    Code(i32),
    NonZero,
}

impl Default for ExitExpect {
    fn default() -> Self {
        Self::Code(0)
    }
}

impl ExitExpect {
    /// Whether an exit `code` is what the check expects.
    pub fn accepts(self, code: i32) -> bool {
        match self {
            Self::Code(expected) => code == expected,
            Self::NonZero => code != 0,
        }
    }
}

impl std::fmt::Display for ExitExpect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Code(code) => write!(f, "{code}"),
            Self::NonZero => f.write_str("nonzero"),
        }
    }
}

impl Serialize for ExitExpect {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Code(code) => s.serialize_i32(*code),
            Self::NonZero => s.serialize_str("nonzero"),
        }
    }
}

impl<'de> Deserialize<'de> for ExitExpect {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Code(i32),
            Word(String),
        }
        match Raw::deserialize(d)? {
            Raw::Code(code) => Ok(Self::Code(code)),
            Raw::Word(word) if word == "nonzero" => Ok(Self::NonZero),
            Raw::Word(word) => Err(serde::de::Error::custom(format!(
                "`exit` is an exit code or `nonzero`, not `{word}`"
            ))),
        }
    }
}

/// A command run in a container; passes on the exit `exit` expects and, when given,
/// when stdout+stderr contains `output`. Offline predicts only what an image's facts
/// decide (`check::image_facts`: a shell that is missing, or a bare `sh` that exits 0);
/// any other command is `skip` offline.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Exec {
    #[serde(flatten)]
    pub target: Target,
    pub command: Vec<String>,
    #[serde(default)]
    pub exit: ExitExpect,
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
/// learner submits, or a *probe* the lab carries (`probes:` in `lab.yaml`: a server-side
/// dry run live, the admission model offline). For a refusal, `by` names who must refuse
/// it and `message` a text the refusal must contain.
///
/// `runs: true` (only with `expect: admitted` and a Pod probe): live, the admitted probe
/// is then created for real in the run's namespace and must start (every container
/// running, pulled by the kubelet) within the run's pod timeout; offline, where nothing
/// runs, the check says the start is seen on a cluster and is graded on admission.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Admission {
    pub object: ObjectRef,
    pub expect: Admit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<RefusedBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub runs: bool,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_is_a_code_or_nonzero() {
        let exec: Exec =
            serde_json::from_str(r#"{"pod": "p", "command": ["sh"], "exit": "nonzero"}"#).unwrap();
        assert_eq!(exec.exit, ExitExpect::NonZero);
        assert!(exec.exit.accepts(127) && exec.exit.accepts(1) && !exec.exit.accepts(0));
        let exec: Exec = serde_json::from_str(r#"{"pod": "p", "command": ["id"]}"#).unwrap();
        assert_eq!(exec.exit, ExitExpect::Code(0));
        let exec: Exec =
            serde_json::from_str(r#"{"pod": "p", "command": ["id"], "exit": 1}"#).unwrap();
        assert!(exec.exit.accepts(1) && !exec.exit.accepts(2));
        let wrong =
            serde_json::from_str::<Exec>(r#"{"pod": "p", "command": ["id"], "exit": "fails"}"#);
        assert!(wrong.unwrap_err().to_string().contains("`nonzero`"));
    }
}
