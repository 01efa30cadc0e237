//! What the API server would refuse beyond the schema, and what its admission plugins do
//! to an object on creation in a sandbox namespace: the validation rules of the kinds the
//! labs use, the ServiceAccount plugin and LimitRanger. An object refused here never
//! reaches the simulated namespace.

use super::registry::{DOCKER_CFG, DOCKER_CONFIG_JSON};
use super::world::World;
use crate::i18n::Message;
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
    /// Why the model cannot be sure admission creates it (a learner's policy that it
    /// does not evaluate), or `None`.
    pub unsure: Option<Message>,
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
    decide(object, world).map_err(|refusal| refusal.problem)
}

/// Who refused an object on creation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refuser {
    /// Validation, or an admission plugin other than the two below (ServiceAccount,
    /// LimitRanger).
    ApiServer,
    /// Pod Security admission, enforcing this level.
    PodSecurity(String),
    /// A `ValidatingAdmissionPolicy`, by the learner's name.
    Policy(String),
}

/// An object the API server refuses: who refused it, and why, located at the field
/// that decided it.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub by: Refuser,
    pub problem: SchemaProblem,
}

/// [`admit`], saying who refuses: validation ([`rejection`]), then for a Pod the
/// ServiceAccount plugin and LimitRanger, then Pod Security admission at the level the
/// namespace enforces (`policy::namespace::enforced`; only pods are enforced, templates
/// only warn: `k8s.io/pod-security-admission/admission/admission.go`), in the API
/// server's order of validating admission plugins.
pub fn decide<'a>(object: &'a Object, world: &World<'a>) -> Result<Admitted<'a>, Box<Refusal>> {
    let api = |problem| {
        Box::new(Refusal {
            by: Refuser::ApiServer,
            problem,
        })
    };
    if let Some(problem) = rejection(object) {
        return Err(api(problem));
    }
    let mut admitted = Admitted::default();
    if object.kind == "Pod" {
        admitted = plugins(object, world).map_err(api)?;
        let (level, _version) = crate::policy::namespace::enforced(&world.namespace_labels());
        let violations = crate::policy::pod_security::Level::parse(&level)
            .map(|l| crate::policy::pod_security::violations(l, &object.kind, &object.value))
            .unwrap_or_default();
        if let Some(first) = violations.first() {
            return Err(Box::new(Refusal {
                by: Refuser::PodSecurity(level.clone()),
                problem: SchemaProblem {
                    location: object.locate(&first.path),
                    message: crate::policy::pod_security::message(&level, &violations),
                    path: first.path.clone(),
                },
            }));
        }
    }
    admitted.unsure = policies(object, world)?;
    Ok(admitted)
}

/// The learner's `ValidatingAdmissionPolicy` objects bound in the namespace, on `object`
/// ([`crate::policy::vap::admit`]): a refusal located at the failing validation of the
/// policy, or why the model cannot tell (`Ok(Some(reason))`).
fn policies(object: &Object, world: &World<'_>) -> Result<Option<Message>, Box<Refusal>> {
    use crate::policy::vap::{self, Bound, Cause, Decision, Operation, RequestInfo};
    let pairs: Vec<(&Object, &Object)> = world
        .of_kind("ValidatingAdmissionPolicyBinding")
        .filter_map(|binding| {
            let name = binding.value.pointer("/spec/policyName")?.as_str()?;
            Some((world.get("ValidatingAdmissionPolicy", name)?, binding))
        })
        .collect();
    if pairs.is_empty() {
        return Ok(None);
    }
    let bound: Vec<Bound> = pairs
        .iter()
        .map(|(policy, binding)| Bound {
            policy: &policy.value,
            binding: &binding.value,
        })
        .collect();
    let namespace = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": world.namespace, "labels": world.namespace_labels()},
    });
    let (group, version) = object
        .api_version
        .split_once('/')
        .unwrap_or(("", object.api_version.as_str()));
    let lower = object.kind.to_ascii_lowercase();
    let resource = match lower.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{lower}s"),
    };
    let request = RequestInfo {
        group: group.to_string(),
        version: version.to_string(),
        resource,
        kind: object.kind.clone(),
        name: object.name.clone(),
        namespace: world.namespace.to_string(),
        dry_run: false,
    };
    match vap::admit(
        &bound,
        &object.value,
        &namespace,
        Operation::Create,
        &request,
    ) {
        Decision::Admitted { .. } => Ok(None),
        Decision::Unsupported { reason } => Ok(Some(reason)),
        Decision::Refused { denials } => {
            let denial = &denials[0];
            let policy = pairs
                .iter()
                .find(|(p, _)| p.name == denial.policy)
                .map(|(p, _)| *p);
            let path = match denial.cause {
                Cause::Validation(i) => FieldPath::parse("spec.validations").index(i),
                Cause::MatchConditions => FieldPath::parse("spec.matchConditions"),
                Cause::Configuration => FieldPath::parse("spec"),
            };
            let location = match policy {
                Some(policy) => policy.locate(&path),
                None => object.location(),
            };
            Err(Box::new(Refusal {
                by: Refuser::Policy(denial.policy.clone()),
                problem: SchemaProblem {
                    location,
                    message: crate::msg!(
                        "check-api-server-said",
                        message = crate::text::escape_control(&denial.message).into_owned()
                    ),
                    path,
                },
            }))
        }
    }
}

/// The ServiceAccount plugin and LimitRanger on a pod (see [`admit`]).
fn plugins<'a>(object: &'a Object, world: &World<'a>) -> Result<Admitted<'a>, SchemaProblem> {
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
    let sa_object = world.get(
        "ServiceAccount",
        &crate::lab::qualified(world.role_of(object), account),
    );
    if sa_object.is_none() && account != DEFAULT_SERVICE_ACCOUNT {
        let path = FieldPath::parse(account_field);
        return Err(SchemaProblem {
            location: object.locate(&path),
            message: crate::msg!(
                "check-api-service-account-not-found",
                pod = &object.name,
                namespace = world.namespace_of(object),
                account = account
            ),
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
        return Err(SchemaProblem {
            location: object.locate(&path),
            message: refusal.message(&object.name),
            path,
        });
    }
    Ok(Admitted {
        pull_secrets: Some(pull_secrets),
        unsure: None,
    })
}

/// The reason the API server would reject `object`, located at the first offending
/// field. Field problems are reported together, as strict field validation reports every
/// unknown field of an object in one error: the first located, the others named with
/// their lines.
pub fn rejection(object: &Object) -> Option<SchemaProblem> {
    if !object.problems.is_empty() {
        return together(object.problems.iter().cloned());
    }
    // Validation reports every invalid field of an object in one error (the API
    // server aggregates its `field.ErrorList`): the first located, the others named with
    // their lines, so that one run shows them all.
    let found: Vec<(FieldPath, Message)> = match object.kind.as_str() {
        "Pod" => object
            .typed::<Pod>()
            .and_then(|pod| pod_problem(&pod))
            .into_iter()
            .collect(),
        "NetworkPolicy" => object
            .typed::<NetworkPolicy>()
            .and_then(|np| np.spec)
            .map(|spec| netpol::validate(&spec))
            .unwrap_or_default()
            .into_iter()
            .map(|(path, message)| (FieldPath::parse(&path), message))
            .collect(),
        "Secret" => object
            .typed::<Secret>()
            .and_then(|secret| secret_problem(&secret))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    together(found.into_iter().map(|(path, message)| SchemaProblem {
        location: object.locate(&path),
        message: crate::msg!(
            "check-api-field-problem",
            path = path.to_string(),
            problem = message
        ),
        path,
    }))
}

/// Problems of one object as the API server reports them, in one error: the first
/// located, its message followed by the others with their lines. `None` for none.
fn together(mut problems: impl Iterator<Item = SchemaProblem>) -> Option<SchemaProblem> {
    let mut problem = problems.next()?;
    let others: Vec<Message> = problems
        .map(|p| {
            crate::msg!(
                "check-api-problem-at-line",
                problem = p.message,
                line = p.location.line
            )
        })
        .collect();
    if !others.is_empty() {
        problem.message = crate::msg!(
            "check-api-problems-also",
            first = problem.message,
            others = others
        );
    }
    Some(problem)
}

fn pod_problem(pod: &Pod) -> Option<(FieldPath, Message)> {
    let spec_path = FieldPath::parse("spec");
    let Some(spec) = &pod.spec else {
        return Some((spec_path, crate::msg!("check-api-pod-needs-spec")));
    };
    if spec.containers.is_empty() {
        return Some((
            spec_path.key("containers"),
            crate::msg!("check-api-at-least-one-container"),
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
                crate::msg!("check-api-container-needs-name"),
            ));
        }
        if !names.insert(container.name.as_str()) {
            return Some((
                path.key("name"),
                crate::msg!("check-api-duplicate-container", name = &container.name),
            ));
        }
        if container.image.as_deref().unwrap_or("").trim().is_empty() {
            return Some((
                path.key("image"),
                crate::msg!("check-api-container-needs-image"),
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

fn id_problem(base: &FieldPath, field: &str, value: Option<i64>) -> Option<(FieldPath, Message)> {
    value.filter(|v| !(0..=MAX_ID).contains(v)).map(|v| {
        (
            base.key(field),
            crate::msg!("check-api-id-out-of-range", value = v, max = MAX_ID),
        )
    })
}

fn container_security_problem(
    base: &FieldPath,
    sc: &SecurityContext,
) -> Option<(FieldPath, Message)> {
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
                crate::msg!("check-api-ape-and-privileged"),
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
                crate::msg!("check-api-ape-and-sys-admin"),
            ));
        }
    }
    None
}

/// Secrets of the docker types must carry their key with valid JSON.
fn secret_problem(secret: &Secret) -> Option<(FieldPath, Message)> {
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
                crate::msg!("check-api-secret-needs-key", key = key),
            ));
        }
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .err()
        .map(|e| {
            (
                data.key(key),
                crate::msg!(
                    "check-api-secret-not-json",
                    key = key,
                    reason = crate::manifest::decode::json_problem(&e)
                ),
            )
        })
}
