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
