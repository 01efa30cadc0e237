//! The kinds kubelab knows: apiVersion + kind → the k8s-openapi type that checks them.

use super::path::FieldPath;
use super::schema::{self, Outcome};
use k8s_openapi::api::{apps::v1 as apps, batch::v1 as batch, core::v1 as core};
use k8s_openapi::api::{networking::v1 as networking, rbac::v1 as rbac};
use serde_json::Value;

/// One known kind.
pub struct Kind {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Unknown fields, type errors and zeroed null map values (see [`schema::check`]).
    pub check: fn(&Value) -> Outcome,
    /// The first error of the plain typed deserialization that [`crate::manifest::Object::typed`]
    /// does, with its path; `None` when it succeeds (see [`schema::typed_error`]).
    pub typed_error: fn(&Value) -> Option<(FieldPath, crate::i18n::Message)>,
}

macro_rules! kinds {
    ($($api:literal $kind:literal => $ty:ty,)*) => {
        /// Every kind kubelab grades.
        pub static KINDS: &[Kind] = &[
            $(Kind {
                api_version: $api,
                kind: $kind,
                check: schema::check::<$ty>,
                typed_error: schema::typed_error::<$ty>,
            },)*
        ];
    };
}

kinds! {
    "v1" "Pod" => core::Pod,
    "v1" "Service" => core::Service,
    "v1" "Secret" => core::Secret,
    "v1" "ConfigMap" => core::ConfigMap,
    "v1" "ServiceAccount" => core::ServiceAccount,
    "v1" "Namespace" => core::Namespace,
    "v1" "PersistentVolumeClaim" => core::PersistentVolumeClaim,
    "v1" "ResourceQuota" => core::ResourceQuota,
    "v1" "LimitRange" => core::LimitRange,
    "v1" "ReplicationController" => core::ReplicationController,
    "v1" "PodTemplate" => core::PodTemplate,
    "v1" "PersistentVolume" => core::PersistentVolume,
    "v1" "Node" => core::Node,
    "storage.k8s.io/v1" "StorageClass" => k8s_openapi::api::storage::v1::StorageClass,
    "scheduling.k8s.io/v1" "PriorityClass" => k8s_openapi::api::scheduling::v1::PriorityClass,
    "node.k8s.io/v1" "RuntimeClass" => k8s_openapi::api::node::v1::RuntimeClass,
    "admissionregistration.k8s.io/v1" "ValidatingWebhookConfiguration" => k8s_openapi::api::admissionregistration::v1::ValidatingWebhookConfiguration,
    "admissionregistration.k8s.io/v1" "MutatingWebhookConfiguration" => k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration,
    "admissionregistration.k8s.io/v1" "ValidatingAdmissionPolicy" => k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicy,
    "apiextensions.k8s.io/v1" "CustomResourceDefinition" => k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
    "admissionregistration.k8s.io/v1" "ValidatingAdmissionPolicyBinding" => k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicyBinding,
    "networking.k8s.io/v1" "NetworkPolicy" => networking::NetworkPolicy,
    "networking.k8s.io/v1" "Ingress" => networking::Ingress,
    "apps/v1" "Deployment" => apps::Deployment,
    "apps/v1" "ReplicaSet" => apps::ReplicaSet,
    "apps/v1" "StatefulSet" => apps::StatefulSet,
    "apps/v1" "DaemonSet" => apps::DaemonSet,
    "batch/v1" "Job" => batch::Job,
    "batch/v1" "CronJob" => batch::CronJob,
    "rbac.authorization.k8s.io/v1" "Role" => rbac::Role,
    "rbac.authorization.k8s.io/v1" "RoleBinding" => rbac::RoleBinding,
    "rbac.authorization.k8s.io/v1" "ClusterRole" => rbac::ClusterRole,
    "rbac.authorization.k8s.io/v1" "ClusterRoleBinding" => rbac::ClusterRoleBinding,
}

/// The cluster-scoped kinds a lab may still ask a learner for, each by a declaration of
/// its own: the task's `Namespace` (`namespace:`, mapped to the run's) and the admission
/// policy and its binding (`admission-policies: true`, confined to the run). Every other
/// submitted kind lives in the lab's namespace.
pub const CLUSTER_SCOPED_SUBMITS: [&str; 3] = [
    "Namespace",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
];

/// Kinds that are cluster-scoped, change who may do what, or change the sandbox's own
/// rules: never part of a lab. The sandbox refuses them (`crate::policy::confine`), and a
/// lab whose fixture or step is one does not load.
pub const REFUSED_KINDS: [&str; 18] = [
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "PriorityClass",
    "RuntimeClass",
    "ResourceQuota",
    "LimitRange",
    "PersistentVolumeClaim",
];

/// Why a refused kind is refused: the `$why` of `policy-refused-kind` (`permissions`,
/// `limits`, `storage`, `admission`, `cluster-scoped`).
pub fn why_refused(kind: &str) -> &'static str {
    match kind {
        "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" => "permissions",
        "ResourceQuota" | "LimitRange" => "limits",
        "PersistentVolumeClaim" => "storage",
        "MutatingWebhookConfiguration"
        | "ValidatingWebhookConfiguration"
        | "ValidatingAdmissionPolicy"
        | "ValidatingAdmissionPolicyBinding" => "admission",
        _ => "cluster-scoped",
    }
}

/// What the table says about `apiVersion` + `kind`.
pub enum Lookup {
    Known(&'static Kind),
    /// The kind exists, under another apiVersion.
    WrongApiVersion(&'static Kind),
    /// Not a kind kubelab knows; the closest known kind, if any is close.
    Unknown(Option<&'static str>),
}

pub fn lookup(api_version: &str, kind: &str) -> Lookup {
    if let Some(k) = KINDS
        .iter()
        .find(|k| k.kind == kind && k.api_version == api_version)
    {
        return Lookup::Known(k);
    }
    if let Some(k) = KINDS.iter().find(|k| k.kind == kind) {
        return Lookup::WrongApiVersion(k);
    }
    let names = KINDS.iter().map(|k| k.kind);
    Lookup::Unknown(super::suggest::closest(kind, names))
}

/// `Pod, Service, ...` for help texts.
pub fn known_list() -> &'static str {
    static LIST: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| KINDS.iter().map(|k| k.kind).collect::<Vec<_>>().join(", "));
    LIST.as_str()
}

/// Why `pattern` (a lab's `field` check path) can name no field of a `kind` object, by
/// the kind's schema (its k8s-openapi type): a key the type has no field for (with the
/// closest field name, if one is close), or `[N]`/`[*]` on a field that is not a list
/// and a key on one that is. `None` when the path can resolve, or when kubelab does not
/// know the kind. Map keys (`metadata.labels["a.b/c"]`) are any key.
///
/// The check deserializes the smallest object that has the path written (every list one
/// element long, `{}` at the end) and looks at what [`schema::check`] finds on the way
/// there; the value at the end is not judged (its type is the check's business).
pub fn unresolvable(kind: &str, pattern: &super::FieldPattern) -> Option<crate::i18n::Message> {
    use super::path::Step;
    use crate::msg;
    let known = KINDS.iter().find(|k| k.kind == kind)?;
    // Not `null` at the end: a `null` field counts as not written.
    let mut value = serde_json::json!({});
    for step in pattern.0.iter().rev() {
        value = match step {
            Step::Key(key) => serde_json::json!({ key.as_str(): value }),
            Step::Index(_) | Step::Every => Value::Array(vec![value]),
        };
    }
    let Value::Object(map) = &mut value else {
        return Some(msg!("lab-field-path-not-an-object", kind = kind));
    };
    map.entry("apiVersion")
        .or_insert_with(|| Value::from(known.api_version));
    map.entry("kind").or_insert_with(|| Value::from(known.kind));
    // The concrete path written: every `[N]` and `[*]` is element 0.
    let mut written = FieldPath::root();
    for step in &pattern.0 {
        written = match step {
            Step::Key(key) => written.key(key.as_str()),
            Step::Index(_) | Step::Every => written.index(0),
        };
    }
    let outcome = (known.check)(&value);
    // The pattern's own text up to the step that went wrong.
    let prefix = |len: usize| super::FieldPattern(pattern.0[..len].to_vec()).to_string();
    if let Some(unknown) = outcome.unknown.first() {
        let depth = unknown.path.0.len();
        let key = unknown.path.last_key().unwrap_or_default();
        let message = msg!(
            "lab-field-path-no-such-field",
            kind = kind,
            key = key,
            at = if depth > 1 {
                prefix(depth - 1)
            } else {
                "none".to_string()
            },
            type_name = unknown.type_name
        );
        return Some(
            match super::suggest::closest(key, unknown.valid.iter().copied()) {
                Some(s) => msg!("manifest-did-you-mean", message = message, suggestion = s),
                None => message,
            },
        );
    }
    // A type error on the way (a list where the type has a map or the other way round);
    // one at the end is about the value, not the path.
    outcome
        .errors
        .iter()
        .find(|(path, _)| path.0.len() < written.0.len() && written.0.starts_with(&path.0))
        .map(|(path, problem)| {
            msg!(
                "lab-field-path-wrong-shape",
                kind = kind,
                at = prefix(path.0.len()),
                problem = problem.clone()
            )
        })
}

#[cfg(test)]
mod path_tests {
    use super::unresolvable;
    use crate::i18n::Lang;
    use crate::manifest::FieldPattern;

    fn said(kind: &str, path: &str) -> Option<String> {
        unresolvable(kind, &FieldPattern::parse(path).unwrap()).map(|m| m.render(Lang::En))
    }

    #[test]
    fn paths_that_resolve() {
        for (kind, path) in [
            ("Pod", "spec.containers[*].securityContext.runAsUser"),
            ("Pod", "spec.containers[0].image"),
            (
                "Pod",
                "metadata.labels[\"pod-security.kubernetes.io/enforce\"]",
            ),
            ("Pod", "spec.imagePullSecrets[*].name"),
            ("Pod", "spec.securityContext"),
            ("Namespace", "metadata.labels[\"a/b\"]"),
            (
                "NetworkPolicy",
                "spec.ingress[*].from[*].podSelector.matchLabels.app",
            ),
            ("Secret", "data[\".dockerconfigjson\"]"),
            ("Deployment", "spec.template.spec.containers[*].image"),
            ("Unknown", "whatever.goes"),
        ] {
            assert_eq!(said(kind, path), None, "{kind} {path}");
        }
    }

    #[test]
    fn paths_that_cannot_resolve_say_where_and_why() {
        assert_eq!(
            said("Pod", "spec.containers[*].imag").unwrap(),
            "a Pod has no field `imag` there (`spec.containers[*]` is a Container); did you mean \"image\"?"
        );
        assert_eq!(
            said("Pod", "spec.securityContext.readOnlyRootFilesystem").unwrap(),
            "a Pod has no field `readOnlyRootFilesystem` there (`spec.securityContext` is a PodSecurityContext)"
        );
        assert_eq!(
            said("Pod", "sepc.containers").unwrap(),
            "a Pod has no field `sepc` at the top; did you mean \"spec\"?"
        );
        let shape = said("Pod", "spec.containers.image").unwrap();
        assert_eq!(
            shape,
            "in a Pod, the path does not fit `spec.containers`: expected a list, found a mapping"
        );
        assert_eq!(
            said("Pod", "metadata[0]").unwrap(),
            "in a Pod, the path does not fit `metadata`: expected a mapping (ObjectMeta), found a list"
        );
        assert_eq!(
            said("Pod", "spec.hostNetwork.x").unwrap(),
            "in a Pod, the path does not fit `spec.hostNetwork`: expected a boolean (true or false), found a mapping"
        );
        assert_eq!(
            said("Pod", "[0].a").unwrap(),
            "a Pod is an object: its path starts with a field name, not `[N]` or `[*]`"
        );
    }
}
