//! What the API server would refuse beyond the schema, and what its admission plugins do
//! to an object on creation in a sandbox namespace: the validation rules of the kinds the
//! labs use, the ServiceAccount plugin and LimitRanger. An object refused here never
//! reaches the simulated namespace.

use super::registry::{DOCKER_CFG, DOCKER_CONFIG_JSON};
use super::world::World;
use crate::manifest::{FieldPath, Object, SchemaProblem};
use crate::netpol;
use crate::policy::limits;
use k8s_openapi::api::core::v1::{Pod, Secret, SecurityContext, ServiceAccount};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use std::collections::HashSet;

const MAX_ID: i64 = 2_147_483_647;

/// The ServiceAccount every namespace has (the ServiceAccount controller creates it).
pub const DEFAULT_SERVICE_ACCOUNT: &str = "default";

/// A pull secret a pod got on creation: the Secret's name, and the object and field that
/// named it (the pod's `spec.imagePullSecrets[i].name`, or its service account's
/// `imagePullSecrets[i].name` when the ServiceAccount plugin copied them).
#[derive(Clone, Debug)]
pub struct PullSecret<'a> {
    pub name: String,
    pub named_by: &'a Object,
    pub path: FieldPath,
}

/// What admission did to an accepted object.
#[derive(Default)]
pub struct Admitted<'a> {
    /// For a pod: its pull secrets after the ServiceAccount plugin.
    pub pull_secrets: Option<Vec<PullSecret<'a>>>,
}

/// Creates `object` in `world` as the API server would: validation ([`rejection`]),
/// then, for a Pod, the ServiceAccount admission plugin and LimitRanger in the sandbox's
/// `LimitRange` ([`limits::admit_pod`]). Pod Security is enforced before anything is
/// applied ([`crate::policy::confine`]).
///
/// The ServiceAccount plugin (`plugin/pkg/admission/serviceaccount/admission.go`,
/// v1.34, `Admit`): a pod without `serviceAccountName` gets `default` (the deprecated
/// `serviceAccount` field is its alias when `serviceAccountName` is empty:
/// `pkg/apis/core/v1/conversion.go`); a pod whose account does not exist is refused
/// (Forbidden, "error looking up service account <ns>/<name>: serviceaccount "<name>"
/// not found"); a pod that lists no `imagePullSecrets` gets its account's, and one that
/// lists some keeps only its own. Token automounting does not change any grade and is
/// not modelled; nor is the `kubernetes.io/enforce-mountable-secrets` annotation.
pub fn admit<'a>(object: &'a Object, world: &World<'a>) -> Result<Admitted<'a>, SchemaProblem> {
    if let Some(problem) = rejection(object) {
        return Err(problem);
    }
    if object.kind != "Pod" {
        return Ok(Admitted::default());
    }
    let spec = object.value.get("spec");
    let text = |key: &str| {
        spec.and_then(|s| s.get(key))
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    let (account, account_field) = match (text("serviceAccountName"), text("serviceAccount")) {
        (Some(name), _) => (name, "spec.serviceAccountName"),
        (None, Some(name)) => (name, "spec.serviceAccount"),
        (None, None) => (DEFAULT_SERVICE_ACCOUNT, "spec"),
    };
    let sa_object = world.get("ServiceAccount", account);
    if sa_object.is_none() && account != DEFAULT_SERVICE_ACCOUNT {
        let path = FieldPath::parse(account_field);
        return Err(SchemaProblem {
            location: object.locate(&path),
            message: format!(
                "pods \"{}\" is forbidden: error looking up service account {}/{account}: serviceaccount \"{account}\" not found",
                object.name, world.namespace
            )
            .into(),
            path,
        });
    }
    let own: Vec<PullSecret> = spec
        .and_then(|s| s.get("imagePullSecrets"))
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, r)| PullSecret {
            name: r
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .to_string(),
            named_by: object,
            path: FieldPath::parse("spec.imagePullSecrets")
                .index(i)
                .key("name"),
        })
        .collect();
    let pull_secrets = if !own.is_empty() {
        own
    } else {
        sa_object
            .and_then(|o| o.typed::<ServiceAccount>().map(|sa| (o, sa)))
            .map(|(o, sa)| {
                sa.image_pull_secrets
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, r)| PullSecret {
                        name: r.name.clone(),
                        named_by: o,
                        path: FieldPath::parse("imagePullSecrets").index(i).key("name"),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(spec) = spec
        && let Err((path, refusal)) = limits::admit_pod(spec, &FieldPath::parse("spec"))
    {
        let message = refusal.message(&object.name).to_string();
        return Err(SchemaProblem {
            location: object.locate(&path),
            message: message.into(),
            path,
        });
    }
    Ok(Admitted {
        pull_secrets: Some(pull_secrets),
    })
}

/// The reason the API server would reject `object`, located at the first offending
/// field. Field problems are reported together, as strict field validation reports every
/// unknown field of an object in one error: the first located, the others named with
/// their lines.
pub fn rejection(object: &Object) -> Option<SchemaProblem> {
    if let Some(first) = object.problems.first() {
        let mut problem = first.clone();
        let others: Vec<String> = object.problems[1..]
            .iter()
            .map(|p| format!("{} (line {})", p.message, p.location.line))
            .collect();
        if !others.is_empty() {
            problem.message = format!("{}; also {}", problem.message, others.join("; ")).into();
        }
        return Some(problem);
    }
    let found = match object.kind.as_str() {
        "Pod" => object.typed::<Pod>().and_then(|pod| pod_problem(&pod)),
        "NetworkPolicy" => object
            .typed::<NetworkPolicy>()
            .and_then(|np| np.spec)
            .and_then(|spec| netpol::validate(&spec).into_iter().next())
            .map(|(path, message)| (FieldPath::parse(&path), message.to_string())),
        "Secret" => object
            .typed::<Secret>()
            .and_then(|secret| secret_problem(&secret)),
        _ => None,
    };
    found.map(|(path, message)| SchemaProblem {
        location: object.locate(&path),
        message: format!("{path}: {message}").into(),
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
