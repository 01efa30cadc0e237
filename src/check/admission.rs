//! What the API server would refuse beyond the schema: the validation rules of the
//! kinds the labs use. An object refused here never reaches the simulated namespace.

use super::registry::{DOCKER_CFG, DOCKER_CONFIG_JSON};
use crate::manifest::{FieldPath, Object, SchemaProblem};
use crate::netpol;
use k8s_openapi::api::core::v1::{Pod, Secret, SecurityContext};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use std::collections::HashSet;

const MAX_ID: i64 = 2_147_483_647;

/// The first reason the API server would reject `object`, located at its field.
pub fn rejection(object: &Object) -> Option<SchemaProblem> {
    if let Some(problem) = object.problems.first() {
        return Some(problem.clone());
    }
    let found = match object.kind.as_str() {
        "Pod" => object.typed::<Pod>().and_then(|pod| pod_problem(&pod)),
        "NetworkPolicy" => object
            .typed::<NetworkPolicy>()
            .and_then(|np| np.spec)
            .and_then(|spec| netpol::validate(&spec).into_iter().next())
            .map(|(path, message)| (FieldPath::parse(&path), message)),
        "Secret" => object
            .typed::<Secret>()
            .and_then(|secret| secret_problem(&secret)),
        _ => None,
    };
    found.map(|(path, message)| SchemaProblem {
        location: object.locate(&path),
        message: format!("{path}: {message}"),
        path,
    })
}

fn pod_problem(pod: &Pod) -> Option<(FieldPath, String)> {
    let spec_path = FieldPath::parse("spec");
    let Some(spec) = &pod.spec else {
        return Some((spec_path, "Required value: a Pod needs a spec".into()));
    };
    if spec.containers.is_empty() {
        return Some((
            spec_path.key("containers"),
            "Required value: at least one container".into(),
        ));
    }
    if let Some(sc) = &spec.security_context {
        let base = spec_path.key("securityContext");
        for (field, value) in [
            ("runAsUser", sc.run_as_user),
            ("runAsGroup", sc.run_as_group),
            ("fsGroup", sc.fs_group),
        ] {
            if let Some(problem) = id_problem(&base, field, value) {
                return Some(problem);
            }
        }
    }
    let mut names = HashSet::new();
    for (i, container) in spec.containers.iter().enumerate() {
        let path = spec_path.key("containers").index(i);
        if container.name.is_empty() {
            return Some((
                path.key("name"),
                "Required value: every container needs a name".into(),
            ));
        }
        if !names.insert(container.name.as_str()) {
            return Some((
                path.key("name"),
                format!("Duplicate value: \"{}\"", container.name),
            ));
        }
        if container.image.as_deref().unwrap_or("").trim().is_empty() {
            return Some((
                path.key("image"),
                "Required value: every container needs an image".into(),
            ));
        }
        if let Some(sc) = &container.security_context
            && let Some(problem) = container_security_problem(&path.key("securityContext"), sc)
        {
            return Some(problem);
        }
    }
    None
}

fn id_problem(base: &FieldPath, field: &str, value: Option<i64>) -> Option<(FieldPath, String)> {
    value.filter(|v| !(0..=MAX_ID).contains(v)).map(|v| {
        (
            base.key(field),
            format!("Invalid value: {v}: must be between 0 and {MAX_ID}, inclusive"),
        )
    })
}

fn container_security_problem(
    base: &FieldPath,
    sc: &SecurityContext,
) -> Option<(FieldPath, String)> {
    for (field, value) in [
        ("runAsUser", sc.run_as_user),
        ("runAsGroup", sc.run_as_group),
    ] {
        if let Some(problem) = id_problem(base, field, value) {
            return Some(problem);
        }
    }
    if sc.allow_privilege_escalation == Some(false) {
        if sc.privileged == Some(true) {
            return Some((
                base.key("allowPrivilegeEscalation"),
                "Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true".into(),
            ));
        }
        let adds_sys_admin = sc
            .capabilities
            .as_ref()
            .and_then(|c| c.add.as_ref())
            .is_some_and(|add| add.iter().any(|c| c == "CAP_SYS_ADMIN"));
        if adds_sys_admin {
            return Some((
                base.key("allowPrivilegeEscalation"),
                "Invalid value: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN".into(),
            ));
        }
    }
    None
}

/// Secrets of the docker types must carry their key with valid JSON.
fn secret_problem(secret: &Secret) -> Option<(FieldPath, String)> {
    let key = match secret.type_.as_deref() {
        Some(DOCKER_CONFIG_JSON) => ".dockerconfigjson",
        Some(DOCKER_CFG) => ".dockercfg",
        _ => return None,
    };
    let data = FieldPath::root().key("data");
    let bytes = match (
        secret.string_data.as_ref().and_then(|d| d.get(key)),
        secret.data.as_ref().and_then(|d| d.get(key)),
    ) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (None, Some(bytes)) => bytes.0.clone(),
        (None, None) => {
            return Some((
                data.key(key),
                format!("Required value: a Secret of this type needs `data.{key}`"),
            ));
        }
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .err()
        .map(|e| {
            (
                data.key(key),
                format!("Invalid value: `{key}` is not valid JSON: {e}"),
            )
        })
}
