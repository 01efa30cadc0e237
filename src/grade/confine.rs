//! What kubelab refuses to grade at all, before anything is evaluated or applied: objects
//! aimed outside the lab namespace, cluster-scoped kinds and RBAC.

use crate::manifest::{FieldPath, Location, Object};

/// Kinds that are cluster-scoped or change who may do what: never part of a lab.
const REFUSED_KINDS: [&str; 14] = [
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
    "PriorityClass",
    "RuntimeClass",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{}:{}: {message}", location.file, location.line, location.column)]
pub struct Refused {
    pub location: Location,
    pub message: String,
    pub help: String,
}

impl miette::Diagnostic for Refused {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
}

/// The namespace the learner's objects may name: none, or `default` (what a learner's
/// kubectl context usually uses); both mean the lab's namespace.
pub fn check(object: &Object) -> Result<(), Refused> {
    if REFUSED_KINDS.contains(&object.kind.as_str()) {
        return Err(Refused {
            location: object.locate(&FieldPath::parse("kind")),
            message: format!(
                "{} `{}` is cluster-scoped or grants permissions; kubelab keeps lab objects inside the lab namespace",
                object.kind, object.name
            ),
            help: "remove this object from the submission; the lab does not need it".into(),
        });
    }
    if let Some(namespace) = object.namespace.as_deref()
        && namespace != "default"
    {
        return Err(Refused {
            location: object.locate(&FieldPath::parse("metadata.namespace")),
            message: format!(
                "{} `{}` is aimed at namespace `{namespace}`, outside the lab namespace",
                object.kind, object.name
            ),
            help: "remove `metadata.namespace`: kubelab applies lab objects in the lab's own namespace".into(),
        });
    }
    Ok(())
}
