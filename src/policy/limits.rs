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

/// `default` (limits) of the sandbox's `Container` limit item: resource → quantity.
///
/// `ephemeral-storage` is what a container may write to the node's disk (its writable
/// layer, its logs and its disk-backed `emptyDir` volumes, summed per pod) before the
/// kubelet evicts its pod (`pkg/kubelet/eviction/eviction_manager.go`,
/// `localStorageEviction`: "Pod ephemeral local storage usage exceeds the total limit of
/// containers 256Mi"). A lab pod writes a few KiB (a `touch`, redis's empty dump, a
/// registry holding one small image of a few MiB); 256 MiB is far above that and small
/// beside a node's disk.
pub const DEFAULT_LIMIT: [(&str, &str); 3] = [
    ("cpu", "500m"),
    ("memory", "256Mi"),
    ("ephemeral-storage", "256Mi"),
];
/// `defaultRequest` of the sandbox's `Container` limit item: resource → quantity.
/// `ephemeral-storage` 16 MiB: what the scheduler reserves on the node's disk per
/// container, about what a lab pod's logs and files could ever take.
pub const DEFAULT_REQUEST: [(&str, &str); 3] = [
    ("cpu", "10m"),
    ("memory", "16Mi"),
    ("ephemeral-storage", "16Mi"),
];
/// `max` of the sandbox's `Container` limit item: resource → quantity. A learner may
/// raise a container's `ephemeral-storage` limit to 1 GiB, no further.
pub const MAX: [(&str, &str); 3] = [
    ("cpu", "1"),
    ("memory", "512Mi"),
    ("ephemeral-storage", "1Gi"),
];

/// The hard limits of the sandbox's `ResourceQuota`: what a lab needs (its scenario,
/// kubelab's probe pods, the registry, the learner's objects) with room to spare, and
/// far below what would hurt a shared cluster. Resource → quantity (or count).
///
/// `services.nodeports` 0: a port opened on every node is no lab's business. Where
/// kubelab runs a lab's private registry in the sandbox (its Service is a NodePort the
/// node's container runtime pulls through), [`resource_quota`] admits that one.
///
/// `limits.ephemeral-storage` 5 GiB: twenty containers at the default 256 MiB (as many
/// as the `pods` count allows for one-container pods), or five at the 1 GiB maximum: the
/// most one sandbox may write to the node's disk before the kubelet evicts. With
/// `requests.ephemeral-storage` 1 GiB (64 containers at the default 16 MiB).
pub const QUOTA: [(&str, &str); 22] = [
    ("pods", "20"),
    ("requests.cpu", "2"),
    ("requests.memory", "2Gi"),
    ("limits.cpu", "12"),
    ("limits.memory", "6Gi"),
    ("requests.ephemeral-storage", "1Gi"),
    ("limits.ephemeral-storage", "5Gi"),
    ("requests.storage", "0"),
    ("persistentvolumeclaims", "0"),
    ("services", "10"),
    ("services.nodeports", "0"),
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

/// The sandbox's `ResourceQuota` (JSON, without namespace): [`QUOTA`], with
/// `services.nodeports` set to `node_ports`, the NodePort Services kubelab itself runs
/// there (1 for a private registry, else 0). The quota admission plugin counts a
/// `NodePort` or `LoadBalancer` Service's node ports against it
/// (`pkg/quota/v1/evaluator/core/services.go`).
pub fn resource_quota(node_ports: u32) -> Value {
    let mut hard = list(&QUOTA);
    hard["services.nodeports"] = Value::String(node_ports.to_string());
    json!({
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": NAME},
        "spec": {"hard": hard}
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
    /// `pods "<pod>" is forbidden: <error>`, or with several distinct errors
    /// `pods "<pod>" is forbidden: [<error>, <error>]` (`utilerrors.NewAggregate`'s
    /// `Error()`: brackets only around more than one message; checked word for word
    /// against the API server by tests/live_admission.rs).
    pub fn message(&self, pod: &str) -> Message {
        match self {
            Refusal::Invalid(message) => message.clone(),
            Refusal::Forbidden(errors) => {
                // `utilerrors.NewAggregate(...).Error()` writes each distinct message once
                // (two containers over the same maximum by the same value: one message).
                let mut distinct: Vec<&Message> = Vec::new();
                for error in errors {
                    if !distinct.contains(&error) {
                        distinct.push(error);
                    }
                }
                let several = distinct.len() > 1;
                let mut errors = distinct.into_iter().rev().cloned();
                let last = errors.next().expect("at least one error");
                let mut errors = errors.fold(last, |rest, first| {
                    msg!("policy-list-comma", first = first, rest = rest)
                });
                if several {
                    errors = msg!("policy-limits-several", errors = errors);
                }
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
            // LimitRanger (validating): max, resource by resource (the plugin walks a Go
            // map, so a container above two maxima gets its errors in either order; ours
            // follow MAX). Every resource of MAX has a default limit, so "No limit is
            // specified" cannot happen here.
            for (k, max) in MAX {
                let enforced = quantity::parse(max).unwrap_or(0);
                let limit = limits.get(k).and_then(value_of);
                let request = requests.get(k).and_then(value_of);
                let (request_value, limit_value, enforced_value) =
                    enforced_values(request, limit, enforced);
                if limit.is_some() && limit_value > enforced_value {
                    maximum_errors.push(msg!(
                        "policy-limits-above-max",
                        resource = k,
                        max = canonical_of(max),
                        which = "limit",
                        value = canonical_of(&text_of(&limits[k]))
                    ));
                    first_path.get_or_insert_with(|| path.key("limits").key(k));
                } else if request.is_some() && request_value > enforced_value {
                    maximum_errors.push(msg!(
                        "policy-limits-above-max",
                        resource = k,
                        max = canonical_of(max),
                        which = "request",
                        value = canonical_of(&text_of(&requests[k]))
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

/// `resource.MaxMilliValue`: the largest value whose milli-value fits an `int64`.
const MAX_MILLI_VALUE: Nanos = (i64::MAX / 1000) as Nanos;

/// `requestLimitEnforcedValues`: the request, limit and enforced values compared, all
/// in milli-units when each one's value (in units) is at most `MaxMilliValue`, else all
/// in units; each rounded up (away from zero) as `Quantity.Value` and `MilliValue` do,
/// for every resource alike. A missing request or limit is the zero `Quantity`.
fn enforced_values(
    request: Option<Nanos>,
    limit: Option<Nanos>,
    enforced: Nanos,
) -> (Nanos, Nanos, Nanos) {
    let scale = |nanos: Nanos, unit: Nanos| {
        let whole = nanos / unit;
        let rest = nanos % unit;
        whole + Nanos::from(rest > 0) - Nanos::from(rest < 0)
    };
    let values = [request.unwrap_or(0), limit.unwrap_or(0), enforced];
    let unit = if values
        .iter()
        .all(|v| scale(*v, 1_000_000_000) <= MAX_MILLI_VALUE)
    {
        1_000_000
    } else {
        1_000_000_000
    };
    (
        scale(values[0], unit),
        scale(values[1], unit),
        scale(values[2], unit),
    )
}

fn value_of(value: &Value) -> Option<Nanos> {
    match value {
        Value::String(s) => quantity::parse(s),
        Value::Number(n) => quantity::parse(&n.to_string()),
        _ => None,
    }
}

/// A quantity as the server writes it in its errors (`Quantity.String()`).
fn canonical_of(text: &str) -> String {
    quantity::canonical(text).unwrap_or_else(|| text.to_string())
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
    fn the_quota_admits_node_ports_only_when_asked() {
        let hard = |n| resource_quota(n)["spec"]["hard"]["services.nodeports"].clone();
        assert_eq!(hard(0), "0");
        assert_eq!(hard(1), "1");
        assert_eq!(
            resource_quota(1)["spec"]["hard"]["services.loadbalancers"],
            "0"
        );
        assert_eq!(
            resource_quota(0)["spec"]["hard"].as_object().unwrap().len(),
            QUOTA.len()
        );
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
            "pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2"
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

    /// As `utilerrors.NewAggregate(errs).Error()` writes them: one distinct message bare,
    /// several in brackets, each once.
    #[test]
    fn refusals_are_worded_as_the_aggregate_error_is() {
        let (_, message) = admit(json!([
            {"name": "a", "resources": {"limits": {"cpu": "2"}}},
            {"name": "b", "resources": {"limits": {"cpu": "2"}}}
        ]))
        .unwrap_err();
        assert_eq!(
            message,
            "pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2"
        );
        let (_, message) = admit(json!([
            {"name": "a", "resources": {"limits": {"cpu": "2", "memory": "1024Mi"}}}
        ]))
        .unwrap_err();
        assert_eq!(
            message,
            "pods \"p\" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 512Mi, but limit is 1Gi]"
        );
    }

    #[test]
    fn ephemeral_storage_is_defaulted_and_bounded_like_cpu_and_memory() {
        let r = admit(json!([{"name": "c"}])).unwrap();
        assert_eq!(r[0].0["ephemeral-storage"], "16Mi");
        assert_eq!(r[0].1["ephemeral-storage"], "256Mi");
        // A limit alone becomes the request too (SetDefaults_Pod), at most the max.
        let r =
            admit(json!([{"name": "c", "resources": {"limits": {"ephemeral-storage": "1Gi"}}}]))
                .unwrap();
        assert_eq!(r[0].0["ephemeral-storage"], "1Gi");
        let (path, message) = admit(json!([{"name": "c", "resources":
            {"limits": {"ephemeral-storage": "2Gi"}}}]))
        .unwrap_err();
        assert_eq!(
            path.to_string(),
            "spec.containers[0].resources.limits.ephemeral-storage"
        );
        assert_eq!(
            message,
            "pods \"p\" is forbidden: maximum ephemeral-storage usage per Container is 1Gi, but limit is 2Gi"
        );
        // A request alone above the default limit: validation, before LimitRanger's max.
        let (path, message) = admit(json!([{"name": "c", "resources":
            {"requests": {"ephemeral-storage": "512Mi"}}}]))
        .unwrap_err();
        assert_eq!(
            path.to_string(),
            "spec.containers[0].resources.requests.ephemeral-storage"
        );
        assert_eq!(
            message,
            "spec.containers[0].resources.requests.ephemeral-storage: Invalid value: 512Mi: must be less than or equal to ephemeral-storage limit of 256Mi"
        );
        // One byte over the maximum is over it; a fraction of a byte rounds up.
        assert!(
            admit(json!([{"name": "c", "resources":
            {"limits": {"ephemeral-storage": "1073741825"}}}]))
            .is_err()
        );
        assert!(
            admit(json!([{"name": "c", "resources":
            {"limits": {"ephemeral-storage": "1073741824.001"}}}]))
            .is_err()
        );
        assert!(
            admit(json!([{"name": "c", "resources":
            {"limits": {"ephemeral-storage": "1073741824"}}}]))
            .is_ok()
        );
    }

    #[test]
    fn enforced_values_compare_in_milli_units_unless_one_is_too_large() {
        let giga = 1_000_000_000;
        // 1.0001 vs 1: milli-units round the request up to 1001 > 1000.
        assert_eq!(
            enforced_values(Some(1_000_100_000), None, giga),
            (1001, 0, 1000)
        );
        // A value above MaxMilliValue makes all three compare in units, rounded up.
        let huge = (MAX_MILLI_VALUE + 1) * giga;
        assert_eq!(
            enforced_values(Some(1_000_100_000), Some(huge), giga),
            (2, MAX_MILLI_VALUE + 1, 1)
        );
    }
}
