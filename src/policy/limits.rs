//! The resource bounds of a sandbox namespace: the `LimitRange` and `ResourceQuota`
//! kubelab creates in it, and the LimitRanger admission plugin's effect on a pod.
//!
//! LimitRanger is modelled from `plugin/pkg/admission/limitranger/admission.go`
//! (Kubernetes v1.34): a container without a limit (request) for a resource gets the
//! `Container` item's `default` (`defaultRequest`); then every container's limit must be
//! set and at most `max`, and its request at most `max` (`maxConstraint`, errors
//! "maximum cpu usage per Container is 1, but limit is 2"). Before admission the API
//! server's defaulting (`pkg/apis/core/v1/defaults.go`, `SetDefaults_Pod`) has copied a
//! limit into a missing request; after it, validation (`ValidateResourceRequirements`)
//! refuses a request above its limit.

use super::quantity::{self, Nanos};
use crate::i18n::Message;
use crate::manifest::FieldPath;
use crate::msg;
use serde_json::{Map, Value, json};

/// Name of the `LimitRange` and `ResourceQuota` in every sandbox.
pub const NAME: &str = "kubelab-sandbox";

/// `default` (limits) of the sandbox's `Container` limit item.
pub const DEFAULT_LIMIT: [(&str, &str); 2] = [("cpu", "500m"), ("memory", "256Mi")];
/// `defaultRequest` of the sandbox's `Container` limit item.
pub const DEFAULT_REQUEST: [(&str, &str); 2] = [("cpu", "10m"), ("memory", "16Mi")];
/// `max` of the sandbox's `Container` limit item.
pub const MAX: [(&str, &str); 2] = [("cpu", "1"), ("memory", "512Mi")];

/// The hard limits of the sandbox's `ResourceQuota`: what a lab needs (its scenario,
/// kubelab's probe pods, the registry, the learner's objects) with room to spare, and
/// far below what would hurt a shared cluster.
pub const QUOTA: [(&str, &str); 20] = [
    ("pods", "20"),
    ("requests.cpu", "2"),
    ("requests.memory", "2Gi"),
    ("limits.cpu", "12"),
    ("limits.memory", "6Gi"),
    ("requests.storage", "0"),
    ("persistentvolumeclaims", "0"),
    ("services", "10"),
    ("services.nodeports", "1"),
    ("services.loadbalancers", "0"),
    ("secrets", "20"),
    ("configmaps", "20"),
    ("replicationcontrollers", "2"),
    ("count/deployments.apps", "4"),
    ("count/replicasets.apps", "8"),
    ("count/statefulsets.apps", "2"),
    ("count/daemonsets.apps", "2"),
    ("count/jobs.batch", "4"),
    ("count/cronjobs.batch", "2"),
    ("count/networkpolicies.networking.k8s.io", "20"),
];

fn list(items: &[(&str, &str)]) -> Value {
    Value::Object(
        items
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect(),
    )
}

/// The sandbox's `LimitRange` (JSON, without namespace).
pub fn limit_range() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": NAME},
        "spec": {"limits": [{
            "type": "Container",
            "default": list(&DEFAULT_LIMIT),
            "defaultRequest": list(&DEFAULT_REQUEST),
            "max": list(&MAX),
        }]}
    })
}

/// The sandbox's `ResourceQuota` (JSON, without namespace).
pub fn resource_quota() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": NAME},
        "spec": {"hard": list(&QUOTA)}
    })
}

/// A container's resources after defaulting and LimitRanger: resource → quantity text.
pub type Resources = (Map<String, Value>, Map<String, Value>);

/// Why the API server refuses a pod's resources, in its words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Validation: a request above its limit (`<field>: Invalid value: …`).
    Invalid(Message),
    /// LimitRanger: limits or requests above the sandbox's `max`, each as the server
    /// words it (`maximum cpu usage per Container is 1, but limit is 2`).
    Forbidden(Vec<Message>),
}

impl Refusal {
    /// The API server's error for the pod `pod`: `<field>: Invalid value: …` or
    /// `pods "<pod>" is forbidden: […]`.
    pub fn message(&self, pod: &str) -> Message {
        match self {
            Refusal::Invalid(message) => message.clone(),
            Refusal::Forbidden(errors) => {
                let mut errors = errors.iter().rev().cloned();
                let last = errors.next().expect("at least one error");
                let errors = errors.fold(last, |rest, first| {
                    msg!("policy-list-comma", first = first, rest = rest)
                });
                msg!("policy-limits-forbidden", pod = pod, errors = errors)
            }
        }
    }
}

/// What the API server does to a pod's resources in a sandbox: the containers' and
/// init containers' `(requests, limits)` after defaulting and LimitRanger, in
/// init-containers-then-containers order, or the first refusal with the field it is about
/// (a path relative to the pod spec at `spec_path`) and the server's words.
pub fn admit_pod(
    spec: &Value,
    spec_path: &FieldPath,
) -> Result<Vec<Resources>, (FieldPath, Refusal)> {
    let mut all = Vec::new();
    let mut maximum_errors = Vec::new();
    let mut first_path = None;
    for list_name in ["initContainers", "containers"] {
        let Some(items) = spec.get(list_name).and_then(Value::as_array) else {
            continue;
        };
        for (i, container) in items.iter().enumerate() {
            let path = spec_path.key(list_name).index(i).key("resources");
            let resources = container.get("resources");
            let section = |name: &str| {
                resources
                    .and_then(|r| r.get(name))
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
            };
            let mut limits = section("limits");
            let mut requests = section("requests");
            // SetDefaults_Pod: a limit without a request becomes the request.
            for (k, v) in &limits {
                requests.entry(k.clone()).or_insert_with(|| v.clone());
            }
            // LimitRanger (mutating): defaults for what is still missing.
            for (k, v) in DEFAULT_LIMIT {
                limits
                    .entry(k.to_string())
                    .or_insert_with(|| Value::String(v.into()));
            }
            for (k, v) in DEFAULT_REQUEST {
                requests
                    .entry(k.to_string())
                    .or_insert_with(|| Value::String(v.into()));
            }
            // Validation: a request above its limit.
            for (k, request) in &requests {
                if let (Some(r), Some(l)) = (value_of(request), limits.get(k).and_then(value_of))
                    && r > l
                {
                    let field = path.key("requests").key(k);
                    let message = msg!(
                        "policy-limits-request-above-limit",
                        field = field.to_string(),
                        request = text_of(request),
                        resource = k.as_str(),
                        limit = text_of(&limits[k])
                    );
                    return Err((field, Refusal::Invalid(message)));
                }
            }
            // LimitRanger (validating): max.
            for (k, max) in MAX {
                let enforced = quantity::parse(max).unwrap_or(0);
                let limit = limits.get(k).and_then(value_of);
                let request = requests.get(k).and_then(value_of);
                let scaled = |v: Nanos| observed(k, v);
                if let Some(l) = limit
                    && scaled(l) > scaled(enforced)
                {
                    maximum_errors.push(msg!(
                        "policy-limits-above-max",
                        resource = k,
                        max = max,
                        which = "limit",
                        value = text_of(&limits[k])
                    ));
                    first_path.get_or_insert_with(|| path.key("limits").key(k));
                } else if let Some(r) = request
                    && scaled(r) > scaled(enforced)
                {
                    maximum_errors.push(msg!(
                        "policy-limits-above-max",
                        resource = k,
                        max = max,
                        which = "request",
                        value = text_of(&requests[k])
                    ));
                    first_path.get_or_insert_with(|| path.key("requests").key(k));
                }
            }
            all.push((requests, limits));
        }
    }
    if let Some(path) = first_path {
        return Err((path, Refusal::Forbidden(maximum_errors)));
    }
    Ok(all)
}

/// `requestLimitEnforcedValues`: CPU compares in milli-units, everything else in units,
/// each rounded up as `resource.Quantity` does.
fn observed(resource: &str, nanos: Nanos) -> Nanos {
    let unit: Nanos = if resource == "cpu" {
        1_000_000
    } else {
        1_000_000_000
    };
    nanos / unit + Nanos::from(nanos % unit > 0)
}

fn value_of(value: &Value) -> Option<Nanos> {
    match value {
        Value::String(s) => quantity::parse(s),
        Value::Number(n) => quantity::parse(&n.to_string()),
        _ => None,
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admit(containers: Value) -> Result<Vec<Resources>, (FieldPath, String)> {
        admit_pod(
            &json!({"containers": containers}),
            &FieldPath::parse("spec"),
        )
        .map_err(|(path, refusal)| (path, refusal.message("p").to_string()))
    }

    #[test]
    fn defaults_fill_what_is_missing() {
        let r = admit(json!([{"name": "c"}])).unwrap();
        assert_eq!(r[0].0["cpu"], "10m");
        assert_eq!(r[0].1["memory"], "256Mi");
        // a limit becomes the request before the LimitRange's defaultRequest applies
        let r = admit(json!([{"name": "c", "resources": {"limits": {"cpu": "200m"}}}])).unwrap();
        assert_eq!(r[0].0["cpu"], "200m");
        assert_eq!(r[0].0["memory"], "16Mi");
    }

    #[test]
    fn above_max_and_request_above_default_limit_are_refused_at_their_field() {
        let (path, message) =
            admit(json!([{"name": "c", "resources": {"limits": {"cpu": "2"}}}])).unwrap_err();
        assert_eq!(path.to_string(), "spec.containers[0].resources.limits.cpu");
        assert_eq!(
            message,
            "pods \"p\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2]"
        );
        let (path, message) =
            admit(json!([{"name": "c", "resources": {"requests": {"cpu": "800m"}}}])).unwrap_err();
        assert_eq!(
            path.to_string(),
            "spec.containers[0].resources.requests.cpu"
        );
        assert_eq!(
            message,
            "spec.containers[0].resources.requests.cpu: Invalid value: 800m: must be less than or equal to cpu limit of 500m"
        );
    }
}
