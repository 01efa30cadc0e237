//! Applying learner objects and fixtures with server-side apply: first a dry run with
//! strict field validation (so a typo is refused before anything changes), then for
//! real; server errors are mapped back to the learner's file, line and column.

use super::{ClusterError, Sandbox};
use crate::manifest::{Location, Object};
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use kube::core::Status;
use std::time::Duration;

/// The field manager kubelab applies with.
pub const FIELD_MANAGER: &str = "kubelab";

/// How long one apply (or dry run) may take.
pub const APPLY_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The API server refused the object: the learner's mistake, located.
    #[error("{message}")]
    Rejected { location: Location, message: String },
    #[error(transparent)]
    Cluster(#[from] ClusterError),
}

/// Server-side dry run (`dryRun=All`, `fieldValidation=Strict`) in the sandbox namespace.
pub async fn dry_run(sandbox: &Sandbox, object: &Object) -> Result<(), ApplyError> {
    let params = PatchParams::apply(FIELD_MANAGER)
        .force()
        .dry_run()
        .validation_strict();
    patch(sandbox, object, &params).await
}

/// Server-side apply (field manager `kubelab`, forced) in the sandbox namespace.
pub async fn apply(sandbox: &Sandbox, object: &Object) -> Result<(), ApplyError> {
    let params = PatchParams::apply(FIELD_MANAGER)
        .force()
        .validation_strict();
    patch(sandbox, object, &params).await
}

/// `apps/v1` → (`apps`, `v1`); `v1` → (``, `v1`).
fn group_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((group, version)) => (group, version),
        None => ("", api_version),
    }
}

/// The API resource of `apiVersion` + `kind` (every lab kind is namespaced).
pub fn resource(api_version: &str, kind: &str) -> ApiResource {
    let (group, version) = group_version(api_version);
    ApiResource::from_gvk(&GroupVersionKind::gvk(group, version, kind))
}

/// The object as sent: in the sandbox namespace, whatever the file said (confining
/// objects to the lab namespace is checked before anything is applied).
fn to_dynamic(
    sandbox: &Sandbox,
    object: &Object,
) -> Result<(ApiResource, DynamicObject), ApplyError> {
    let resource = resource(&object.api_version, &object.kind);
    let mut value = object.value.clone();
    let Some(map) = value.as_object_mut() else {
        return Err(rejected(object, "", "an object must be a mapping".into()));
    };
    let metadata = map
        .entry("metadata")
        .or_insert_with(|| serde_json::json!({}));
    if let Some(metadata) = metadata.as_object_mut() {
        metadata.insert(
            "namespace".into(),
            serde_json::Value::String(sandbox.namespace.clone()),
        );
    }
    let dynamic: DynamicObject = serde_json::from_value(value)
        .map_err(|e| rejected(object, "metadata", format!("not a Kubernetes object: {e}")))?;
    Ok((resource, dynamic))
}

async fn patch(sandbox: &Sandbox, object: &Object, params: &PatchParams) -> Result<(), ApplyError> {
    if object.name.is_empty() {
        return Err(rejected(
            object,
            "metadata",
            "metadata.name is required".into(),
        ));
    }
    let (resource, dynamic) = to_dynamic(sandbox, object)?;
    let api: Api<DynamicObject> =
        Api::namespaced_with(sandbox.client.clone(), &sandbox.namespace, &resource);
    let what = format!(
        "{} {} {}/{}",
        if params.dry_run {
            "dry-run apply"
        } else {
            "apply"
        },
        object.kind,
        sandbox.namespace,
        object.name
    );
    let patch = Patch::Apply(&dynamic);
    send(object, &what, || api.patch(&object.name, params, &patch)).await
}

/// Runs one write of `object` within [`APPLY_TIMEOUT`] (quota conflicts retried by
/// [`retry_quota_conflicts`]): the API server refusing the object is the learner's
/// [`ApplyError::Rejected`], located; any other error is the cluster's.
pub(super) async fn send<T, F>(
    object: &Object,
    what: &str,
    request: impl FnMut() -> F,
) -> Result<(), ApplyError>
where
    F: Future<Output = Result<T, kube::Error>>,
{
    let result = tokio::time::timeout(APPLY_TIMEOUT, retry_quota_conflicts(request))
        .await
        .map_err(|_| ClusterError::Timeout {
            what: what.to_string(),
            after: APPLY_TIMEOUT,
        })?;
    match result {
        Ok(_) => Ok(()),
        // Admission (Pod Security, policies, webhooks) refusing the object says 403 too,
        // but it is about the object, not about kubelab's permissions.
        Err(kube::Error::Api(status)) if status.code == 403 && !is_rbac_denial(&status) => {
            Err(rejected(object, "", status.message.clone()))
        }
        Err(kube::Error::Api(status)) if is_rejection(&status) => {
            let (path, message) = rejection(&status);
            Err(rejected(object, &path, message))
        }
        Err(e) => Err(ClusterError::api(what, e).into()),
    }
}

/// Makes a write in a sandbox namespace (a namespace with a ResourceQuota), and makes it
/// again while the API server answers [`is_quota_conflict`]: at most
/// [`QUOTA_CONFLICT_ATTEMPTS`] times in all, 250 ms × attempt apart (2.5 s at most).
/// Every other answer, and the last one, is returned as it is.
pub async fn retry_quota_conflicts<T, F>(mut request: impl FnMut() -> F) -> Result<T, kube::Error>
where
    F: Future<Output = Result<T, kube::Error>>,
{
    let mut attempt = 1;
    loop {
        match request().await {
            Err(kube::Error::Api(status))
                if is_quota_conflict(&status) && attempt < QUOTA_CONFLICT_ATTEMPTS =>
            {
                tokio::time::sleep(Duration::from_millis(250) * attempt).await;
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// How many times [`retry_quota_conflicts`] makes a write that meets a quota conflict.
pub const QUOTA_CONFLICT_ATTEMPTS: u32 = 5;

/// 409 Conflict on the `resourcequotas` kind: the ResourceQuota admission plugin could
/// not update the quota's `status.used` because another write (or the quota controller)
/// changed it first. The plugin retries internally a few times and then gives up with
/// this status; the write itself is fine and is made again. Source:
/// `staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go`
/// (`checkQuotas`); the behaviour is kubernetes/kubernetes#67761 (clients are to retry).
pub fn is_quota_conflict(status: &Status) -> bool {
    status.code == 409
        && (status
            .details
            .as_ref()
            .is_some_and(|d| d.kind == "resourcequotas")
            || status.message.contains("on resourcequotas"))
}

/// 400 Bad Request and 422 Invalid are about the object; so is a 500 whose message is
/// the apply machinery's "failed to create typed patch object" (the API server reports
/// strict field validation of an apply patch with code 500) or its "failed to convert new
/// object" (a value that does not decode, e.g. invalid base64 in a Secret's `data`).
fn is_rejection(status: &Status) -> bool {
    matches!(status.code, 400 | 422)
        || (status.code == 500
            && (status.message.starts_with(TYPED_PATCH) || status.message.starts_with(CONVERT)))
}

const CONVERT: &str = "failed to convert new object";

/// RBAC says `User "x" cannot patch resource "pods" in API group "" ...`.
fn is_rbac_denial(status: &Status) -> bool {
    status.message.contains(" cannot ") && status.message.contains("resource")
}

const TYPED_PATCH: &str = "failed to create typed patch object";

fn rejected(object: &Object, server_path: &str, message: String) -> ApplyError {
    let location = if server_path.is_empty() {
        object.location()
    } else {
        object.locate_server_path(server_path)
    };
    ApplyError::Rejected { location, message }
}

/// The field path the server blames and a concise message, from a 400/422 status.
///
/// - 422 Invalid: `details.causes[].field` (`spec.containers[0].securityContext`) with
///   the cause's message; the status message is `Pod "x" is invalid: <field>: <message>`.
/// - 400 from strict field validation of an apply patch: `failed to create typed patch
///   object (ns/name; /v1, Kind=Pod): .spec.containers[name="c"].foo: field not declared
///   in schema`, or several of them joined.
/// - 400 from strict decoding: `strict decoding error: unknown field "spec.x"`.
pub fn rejection(status: &Status) -> (String, String) {
    let causes: Vec<_> = status
        .details
        .as_ref()
        .map(|d| d.causes.iter().collect())
        .unwrap_or_default();
    if let Some(cause) = causes.iter().find(|c| !c.field.is_empty()) {
        let message = causes
            .iter()
            .map(|c| {
                if c.field.is_empty() {
                    c.message.clone()
                } else {
                    format!("{}: {}", c.field, c.message)
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        return (cause.field.clone(), message);
    }
    let message = status.message.trim();
    if let Some(start) = message.find("unknown field \"") {
        let rest = &message[start + "unknown field \"".len()..];
        let path = rest.split('"').next().unwrap_or_default();
        return (path.to_string(), message[start..].to_string());
    }
    // Drop the `failed to create typed patch object (...)` / `Pod "x" is invalid` prefix.
    let concise = match message.find("): ") {
        Some(i) if message.starts_with(TYPED_PATCH) => &message[i + 3..],
        _ => match message.find(" is invalid: ") {
            Some(i) => &message[i + " is invalid: ".len()..],
            None => message,
        },
    };
    let concise = concise.trim_start_matches('[').trim_end_matches(']');
    let path = leading_path(concise).unwrap_or_default();
    (path, concise.to_string())
}

/// `.spec.x[name="a"].y: ...` → `.spec.x[name="a"].y` (a path-looking text before `: `).
fn leading_path(text: &str) -> Option<String> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => {
                let path = &text[..i];
                let looks_like_path = !path.is_empty()
                    && !path.contains(' ')
                    && path
                        .trim_start_matches('.')
                        .starts_with(|c: char| c.is_ascii_alphabetic());
                return looks_like_path.then(|| path.to_string());
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn status(value: serde_json::Value) -> Status {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn strict_validation_errors_name_their_path() {
        let s = status(json!({"code": 500, "status": "Failure",
            "message": "failed to create typed patch object (kubelab-x-abc123/secure-pod; /v1, Kind=Pod): .spec.containers[name=\"secure-container\"].securityContext.readOnlyRootFileSystem: field not declared in schema"}));
        assert!(is_rejection(&s));
        let (path, message) = rejection(&s);
        assert_eq!(
            path,
            ".spec.containers[name=\"secure-container\"].securityContext.readOnlyRootFileSystem"
        );
        assert_eq!(
            message,
            ".spec.containers[name=\"secure-container\"].securityContext.readOnlyRootFileSystem: field not declared in schema"
        );
    }

    #[test]
    fn invalid_objects_name_their_field() {
        let s = status(
            json!({"code": 422, "reason": "Invalid", "status": "Failure",
            "message": "Pod \"p\" is invalid: spec.containers[0].securityContext: Invalid value: true: cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            "details": {"name": "p", "kind": "Pod", "causes": [{"reason": "FieldValueInvalid",
                "message": "Invalid value: true: cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                "field": "spec.containers[0].securityContext"}]}}),
        );
        let (path, message) = rejection(&s);
        assert_eq!(path, "spec.containers[0].securityContext");
        assert!(message.starts_with("spec.containers[0].securityContext: Invalid value"));
        let no_causes = status(json!({"code": 422, "status": "Failure",
            "message": "Pod \"p\" is invalid: spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647"}));
        assert_eq!(rejection(&no_causes).0, "spec.securityContext.runAsUser");
        let unknown = status(json!({"code": 400, "status": "Failure",
            "message": "strict decoding error: unknown field \"spec.x\""}));
        assert_eq!(rejection(&unknown).0, "spec.x");
        let rbac = status(
            json!({"code": 403, "status": "Failure", "reason": "Forbidden",
            "message": "pods \"p\" is forbidden: User \"system:serviceaccount:x:y\" cannot patch resource \"pods\" in API group \"\" in the namespace \"n\""}),
        );
        assert!(is_rbac_denial(&rbac));
        let psa = status(
            json!({"code": 403, "status": "Failure", "reason": "Forbidden",
            "message": "pods \"p\" is forbidden: violates PodSecurity \"restricted:latest\": privileged (container \"c\" must not set securityContext.privileged=true)"}),
        );
        assert!(!is_rbac_denial(&psa));
        let other = status(
            json!({"code": 400, "status": "Failure", "message": "the body of the request was in an unknown format"}),
        );
        assert_eq!(rejection(&other).0, "");
    }

    /// The status the API server answered in CI (stop 31) when a variant's pod met the
    /// quota controller's write of `kubelab-sandbox`.
    fn quota_conflict() -> Status {
        status(
            json!({"code": 409, "status": "Failure", "reason": "Conflict",
            "message": "Operation cannot be fulfilled on resourcequotas \"kubelab-sandbox\": the object has been modified; please apply your changes to the latest version and try again",
            "details": {"name": "kubelab-sandbox", "kind": "resourcequotas"}}),
        )
    }

    #[test]
    fn quota_conflicts_are_told_from_other_conflicts() {
        assert!(is_quota_conflict(&quota_conflict()));
        let taken = status(
            json!({"code": 409, "status": "Failure", "reason": "AlreadyExists",
            "message": "pods \"vault-pod\" already exists",
            "details": {"name": "vault-pod", "kind": "pods"}}),
        );
        assert!(!is_quota_conflict(&taken));
        // Not a rejection of the learner's object either.
        assert!(!is_rejection(&quota_conflict()));
    }

    #[tokio::test]
    async fn a_write_meeting_quota_conflicts_is_made_again_until_it_lands_or_attempts_run_out() {
        use std::cell::Cell;
        let calls = Cell::new(0u32);
        let twice_then_ok = retry_quota_conflicts(|| {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move {
                if n <= 2 {
                    Err(kube::Error::Api(Box::new(quota_conflict())))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(twice_then_ok.unwrap(), 3);
        calls.set(0);
        let always: Result<(), _> = retry_quota_conflicts(|| {
            calls.set(calls.get() + 1);
            async { Err(kube::Error::Api(Box::new(quota_conflict()))) }
        })
        .await;
        assert!(matches!(always, Err(kube::Error::Api(s)) if s.code == 409));
        assert_eq!(calls.get(), QUOTA_CONFLICT_ATTEMPTS);
        calls.set(0);
        let other: Result<(), _> = retry_quota_conflicts(|| {
            calls.set(calls.get() + 1);
            async {
                Err(kube::Error::Api(Box::new(status(
                    json!({"code": 422, "message": "invalid"}),
                ))))
            }
        })
        .await;
        assert!(other.is_err());
        assert_eq!(calls.get(), 1, "only quota conflicts are retried");
    }
}
