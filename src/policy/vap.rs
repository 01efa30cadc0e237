//! ValidatingAdmissionPolicy offline: what the API server's `ValidatingAdmissionPolicy`
//! admission plugin decides for one request, given the policies and bindings as written
//! (JSON of the manifests), the object, its namespace and the request's resource.
//!
//! Modelled from `k8s.io/apiserver` v0.34 (Kubernetes v1.34):
//! `pkg/admission/plugin/policy/validating/{dispatcher,validator}.go` (bindings, actions,
//! messages, failure policy), `…/policy/matching/matching.go` and
//! `…/webhook/predicates/{rules,namespace,object}` (`matchConstraints` and a binding's
//! `matchResources`), `…/plugin/cel/{activation,condition,composition,compile}.go` (the CEL
//! variables and how an evaluation error is worded) and `…/webhook/matchconditions` (how
//! `matchConditions` combine). CEL is evaluated by the `cel` interpreter with the Kubernetes
//! libraries of `kube-cel`; field selection (`a.b`, `has(a.b)`, and the optional types'
//! `a.?b` and `a[?k]`) is kubelab's own so that it fails as cel-go does on a value that
//! is not a map, and gives `optional.none()` on an absent key as cel-go does.
//!
//! What it cannot evaluate faithfully is [`Decision::Unsupported`], never a guess:
//! `paramKind`/`paramRef`, `auditAnnotations`, `authorizer`, `params`, `cel.bind`,
//! optional values built by hand (`optional.of`, optional list elements and map entries),
//! two-variable comprehensions, parse errors and functions the
//! interpreter lacks, requests other than `CREATE`, evaluation errors whose cel-go wording
//! or handling is not known (an error inside a comprehension: cel-go may absorb it), a
//! variable that fails to evaluate, and reading a field the API server sets or changes
//! before validating admission (defaults, the ServiceAccount plugin, `status`,
//! `metadata.uid`, …) or the request's `userInfo`. The runtime cost budget is not
//! modelled (a policy that exhausts it on a lab object is not a lab policy).
//!
//! When several bindings deny, the API server reports the first denial of whichever
//! binding it evaluated first, and it iterates a Go map (`policySource.calculatePolicyData`)
//! and an informer's cache: the order is unspecified. [`Decision::Refused`] therefore
//! carries every candidate.

use crate::i18n::Message;
use crate::msg;
use cel::common::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, LiteralValue, operators,
};
use cel::objects::{Key, Map, OptionalValue};
use cel::{Context, ExecutionError, FunctionContext, ResolveResult, Value as Cel};
use kube_cel::KubeCelExt;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One policy and one of its bindings, as submitted: the JSON of a
/// `admissionregistration.k8s.io/v1` `ValidatingAdmissionPolicy` and of a
/// `ValidatingAdmissionPolicyBinding` (whose `spec.policyName` names the policy; a pair
/// whose names differ binds nothing and is ignored).
#[derive(Clone, Copy, Debug)]
pub struct Bound<'a> {
    pub policy: &'a Value,
    pub binding: &'a Value,
}

/// The request's operation (`admission.Operation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Connect,
}

impl Operation {
    /// `CREATE`, `UPDATE`, `DELETE`, `CONNECT`: as in rules and `request.operation`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        }
    }
}

/// What the API server knows of the request besides the object: its resource and kind
/// (`group` empty for the core group, e.g. `""`, `v1`, `pods`, `Pod`), the object's name
/// and namespace (empty for a cluster-scoped object), and whether it is a dry run
/// (`request.dryRun`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestInfo {
    pub group: String,
    pub version: String,
    pub resource: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub dry_run: bool,
}

impl RequestInfo {
    /// A `CREATE` of the Pod `name` in `namespace` (`""/v1`, `pods`, `Pod`).
    pub fn pod(name: &str, namespace: &str) -> Self {
        RequestInfo {
            group: String::new(),
            version: "v1".into(),
            resource: "pods".into(),
            kind: "Pod".into(),
            name: name.into(),
            namespace: namespace.into(),
            dry_run: false,
        }
    }

    /// `pods`, `deployments.apps`: `schema.GroupResource.String()`, as a refusal names it.
    fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// What failed in one binding's evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// `spec.validations[i]` evaluated to false (or failed with `failurePolicy: Fail`).
    Validation(usize),
    /// `spec.matchConditions` failed to evaluate with `failurePolicy: Fail`.
    MatchConditions,
    /// The policy or binding cannot be used (`failed to configure …`).
    Configuration,
}

/// One binding's denial, as the API server would report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub policy: String,
    pub binding: String,
    /// The API server's whole sentence, e.g. `pods "web" is forbidden:
    /// ValidatingAdmissionPolicy 'p' with binding 'b' denied request: <message>`.
    pub message: String,
    /// The status reason: a validation's `reason`, else `Invalid` (HTTP 422).
    pub reason: String,
    pub cause: Cause,
}

/// The plugin's decision for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Admitted; `warnings` are those of `Warn` bindings, worded as the API server words
    /// them (`Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': <msg>`).
    Admitted { warnings: Vec<String> },
    /// Refused. One denial per denying binding, in the order given: the API server
    /// reports one of them (its order is unspecified when there are several).
    Refused { denials: Vec<Denial> },
    /// Something kubelab cannot evaluate faithfully: the caller grades `skip`.
    Unsupported { reason: Message },
}

/// What the API server decides for `object` (as written) under `bound`: matching
/// (`matchConstraints`, the binding's `matchResources`, both with `namespaceSelector`
/// on `namespace`'s labels and `objectSelector` on the object's), then per matching
/// binding `matchConditions`, `variables`, `validations`, and the binding's
/// `validationActions`. `namespace` is the Namespace object (`Value::Null` for a
/// cluster-scoped object); `object.metadata.namespace` is filled in from
/// `request.namespace` as the API server does.
pub fn admit(
    bound: &[Bound],
    object: &Value,
    namespace: &Value,
    operation: Operation,
    request: &RequestInfo,
) -> Decision {
    let mut denials = Vec::new();
    let mut warnings = Vec::new();
    for pair in bound {
        match evaluate_pair(*pair, object, namespace, operation, request) {
            Err(reason) => return Decision::Unsupported { reason },
            Ok(None) => {}
            Ok(Some(outcome)) => {
                if let Some(denial) = outcome.denials.into_iter().next() {
                    denials.push(denial);
                }
                for warning in outcome.warnings {
                    if !warnings.contains(&warning) {
                        warnings.push(warning);
                    }
                }
            }
        }
    }
    if denials.is_empty() {
        Decision::Admitted { warnings }
    } else {
        Decision::Refused { denials }
    }
}

/// One binding's result: its denials in order, and its warnings.
struct Outcome {
    denials: Vec<Denial>,
    warnings: Vec<String>,
}

type Unsupported = Message;

fn text<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    path.iter()
        .try_fold(value, |v, key| v.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn evaluate_pair(
    pair: Bound,
    object: &Value,
    namespace: &Value,
    operation: Operation,
    request: &RequestInfo,
) -> Result<Option<Outcome>, Unsupported> {
    let policy_name = text(pair.policy, &["metadata", "name"]).to_string();
    let binding_name = text(pair.binding, &["metadata", "name"]).to_string();
    if text(pair.binding, &["spec", "policyName"]) != policy_name {
        return Ok(None);
    }
    let spec = pair.policy.get("spec").unwrap_or(&Value::Null);
    let failure_policy = spec
        .get("failurePolicy")
        .and_then(Value::as_str)
        .unwrap_or("Fail");
    let denial = |message: String, reason: &str, cause: Cause| Denial {
        policy: policy_name.clone(),
        binding: binding_name.clone(),
        message: format!(
            "{} {:?} is forbidden: ValidatingAdmissionPolicy '{policy_name}' with binding \
             '{binding_name}' denied request: {message}",
            request.group_resource(),
            request.name
        ),
        reason: reason.to_string(),
        cause,
    };
    let Some(constraints) = spec.get("matchConstraints") else {
        // The API server requires the field; without it the definition is a
        // configuration error (`DefinitionMatches`), worded without the binding.
        if failure_policy == "Ignore" {
            return Ok(None);
        }
        let mut d = denial(String::new(), "Invalid", Cause::Configuration);
        d.message = format!(
            "{} {:?} is forbidden: ValidatingAdmissionPolicy '{policy_name}' denied request: \
             failed to configure policy: policy contained no match constraints, a required field",
            request.group_resource(),
            request.name
        );
        return Ok(Some(Outcome {
            denials: vec![d],
            warnings: Vec::new(),
        }));
    };
    if !matches(constraints, object, namespace, operation, request)? {
        return Ok(None);
    }
    let binding_spec = pair.binding.get("spec").unwrap_or(&Value::Null);
    if let Some(resources) = binding_spec.get("matchResources")
        && !matches(resources, object, namespace, operation, request)?
    {
        return Ok(None);
    }
    if spec.get("paramKind").is_some() || binding_spec.get("paramRef").is_some() {
        return Err(msg!("policy-vap-params", policy = policy_name.as_str()));
    }
    if spec
        .get("auditAnnotations")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        return Err(msg!(
            "policy-vap-audit-annotations",
            policy = policy_name.as_str()
        ));
    }
    if operation != Operation::Create {
        return Err(msg!(
            "policy-vap-operation",
            policy = policy_name.as_str(),
            operation = operation.as_str()
        ));
    }
    if request.name.is_empty() {
        return Err(msg!("policy-vap-no-name", policy = policy_name.as_str()));
    }
    let actions: Vec<&str> = binding_spec
        .get("validationActions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();

    let inputs = Inputs::new(object, namespace, request);
    let mut decisions: Vec<(Result<String, Unsupported>, String, Cause)> = Vec::new();

    // matchConditions: any false, no match; else errors follow the failure policy.
    let conditions: Vec<(&str, &str)> = spec
        .get("matchConditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| (text(c, &["name"]), text(c, &["expression"])))
        .collect();
    let mut condition_errors: Vec<Result<String, Unsupported>> = Vec::new();
    let mut matched = true;
    for (_, expression) in &conditions {
        let program = Compiled::new(expression, &inputs, Scope::MatchCondition, &[], false)?;
        match program.run(&inputs.context(Scope::MatchCondition, &BTreeMap::new()))? {
            Eval::Value(Cel::Bool(false)) => {
                matched = false;
                break;
            }
            Eval::Value(_) => {}
            Eval::Error(error) => condition_errors.push(error.map(|e| wrap(expression, &e))),
        }
    }
    if !matched {
        return Ok(None);
    }
    if !condition_errors.is_empty() {
        if failure_policy == "Ignore" {
            return Ok(None);
        }
        // `utilerrors.NewAggregate`: one error as itself, several as `[e1, e2]`.
        let message = if condition_errors.len() == 1 {
            condition_errors.remove(0)
        } else {
            condition_errors
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
                .map(|all| format!("[{}]", all.join(", ")))
        };
        decisions.push((message, "Invalid".into(), Cause::MatchConditions));
    } else {
        // variables, in order; each sees the ones before it.
        let mut variables: BTreeMap<String, Result<Cel, Unsupported>> = BTreeMap::new();
        let mut variable_paths: Vec<(String, Option<Vec<Path>>)> = Vec::new();
        for variable in spec
            .get("variables")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = text(variable, &["name"]).to_string();
            let expression = text(variable, &["expression"]);
            let program = Compiled::new(
                expression,
                &inputs,
                Scope::Validation,
                &variable_paths,
                true,
            )?;
            let ok: BTreeMap<String, Cel> = variables
                .iter()
                .filter_map(|(k, v)| v.as_ref().ok().map(|v| (k.clone(), v.clone())))
                .collect();
            let value = match program.run(&inputs.context(Scope::Validation, &ok))? {
                Eval::Value(v) => Ok(v),
                Eval::Error(_) => Err(msg!(
                    "policy-vap-variable-error",
                    policy = policy_name.as_str(),
                    variable = name.as_str()
                )),
            };
            variable_paths.push((name.clone(), program.paths.clone()));
            variables.insert(name, value);
        }
        let ok: BTreeMap<String, Cel> = variables
            .iter()
            .filter_map(|(k, v)| v.as_ref().ok().map(|v| (k.clone(), v.clone())))
            .collect();
        let context = inputs.context(Scope::Validation, &ok);
        let uses_failed_variable = |program: &Compiled| -> Result<(), Unsupported> {
            for name in &program.variables {
                if let Some(Err(reason)) = variables.get(name) {
                    return Err(reason.clone());
                }
            }
            Ok(())
        };
        for (index, validation) in spec
            .get("validations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let expression = text(validation, &["expression"]);
            let program = Compiled::new(
                expression,
                &inputs,
                Scope::Validation,
                &variable_paths,
                false,
            )?;
            uses_failed_variable(&program)?;
            let reason = validation
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or("Invalid")
                .to_string();
            match program.run(&context)? {
                Eval::Value(Cel::Bool(true)) => {}
                Eval::Error(error) => {
                    if failure_policy != "Ignore" {
                        decisions.push((
                            error.map(|e| wrap(expression, &e)),
                            "Invalid".into(),
                            Cause::Validation(index),
                        ));
                    }
                }
                Eval::Value(_) => {
                    let mut message = String::new();
                    if let Some(source) =
                        validation.get("messageExpression").and_then(Value::as_str)
                    {
                        let program = Compiled::new(
                            source,
                            &inputs,
                            Scope::Validation,
                            &variable_paths,
                            false,
                        )?;
                        uses_failed_variable(&program)?;
                        if let Eval::Value(Cel::String(s)) = program.run(&context)? {
                            let trimmed = s.trim();
                            // `celconfig.MaxEvaluatedMessageExpressionSizeBytes`, no newline.
                            if trimmed.len() <= 5 * 1024 && !trimmed.contains('\n') {
                                message = trimmed.to_string();
                            }
                        }
                    }
                    if message.is_empty() {
                        message = text(validation, &["message"]).trim().to_string();
                    }
                    if message.is_empty() {
                        message = format!("failed expression: {}", expression.trim());
                    }
                    decisions.push((Ok(message), reason, Cause::Validation(index)));
                }
            }
        }
    }

    let mut outcome = Outcome {
        denials: Vec::new(),
        warnings: Vec::new(),
    };
    for (message, reason, cause) in decisions {
        for action in &actions {
            match *action {
                "Deny" => outcome
                    .denials
                    .push(denial(message.clone()?, &reason, cause.clone())),
                "Warn" => outcome.warnings.push(format!(
                    "Validation failed for ValidatingAdmissionPolicy '{policy_name}' with \
                     binding '{binding_name}': {}",
                    message.clone()?
                )),
                _ => {}
            }
        }
    }
    Ok(Some(outcome))
}

/// `expression '<e>' resulted in error: <error>` (`activation.Evaluate`).
fn wrap(expression: &str, error: &str) -> String {
    format!("expression '{expression}' resulted in error: {error}")
}

// ---------------------------------------------------------------------------------------
// Matching: `matching.Matcher.Matches`.

/// Resources the API server serves in one group and version only (v1.34), so that
/// `matchPolicy: Equivalent` adds nothing to `Exact` for them.
const SINGLE_VERSION: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "services"),
    ("", "configmaps"),
    ("", "secrets"),
    ("", "serviceaccounts"),
    ("", "namespaces"),
    ("", "persistentvolumeclaims"),
    ("", "limitranges"),
    ("", "resourcequotas"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("networking.k8s.io", "networkpolicies"),
    ("networking.k8s.io", "ingresses"),
    ("rbac.authorization.k8s.io", "roles"),
    ("rbac.authorization.k8s.io", "rolebindings"),
    ("policy", "poddisruptionbudgets"),
];

fn strings(value: Option<&Value>) -> Vec<&str> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn labels(object: &Value) -> BTreeMap<String, String> {
    object
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
        .collect()
}

/// A `metav1.LabelSelector` as JSON against `labels`; absent is `{}` (the API server
/// defaults both selectors of a VAP and a binding to `{}`: everything).
fn selector_matches(selector: Option<&Value>, labels: &BTreeMap<String, String>) -> bool {
    let Some(selector) = selector else {
        return true;
    };
    match serde_json::from_value(selector.clone()) {
        Ok(selector) => crate::netpol::selector_matches(&selector, labels),
        Err(_) => false,
    }
}

/// `MatchResources` (a policy's `matchConstraints` or a binding's `matchResources`)
/// against the request: namespace selector, object selector, `excludeResourceRules`,
/// `resourceRules` (none: every resource).
fn matches(
    resources: &Value,
    object: &Value,
    namespace: &Value,
    operation: Operation,
    request: &RequestInfo,
) -> Result<bool, Unsupported> {
    let namespace_ok = if request.namespace.is_empty() && request.resource != "namespaces" {
        true
    } else {
        let ns_labels = if request.resource == "namespaces" && request.group.is_empty() {
            labels(object)
        } else {
            labels(namespace)
        };
        selector_matches(resources.get("namespaceSelector"), &ns_labels)
    };
    if !namespace_ok || !selector_matches(resources.get("objectSelector"), &labels(object)) {
        return Ok(false);
    }
    let policy = resources
        .get("matchPolicy")
        .and_then(Value::as_str)
        .unwrap_or("Equivalent");
    let rules = |key: &str| -> Result<bool, Unsupported> {
        let list = resources
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for rule in &list {
            if rule_matches(rule, operation, request) {
                let names = strings(rule.get("resourceNames"));
                if names.is_empty() || names.contains(&request.name.as_str()) {
                    return Ok(true);
                }
            }
        }
        if policy == "Equivalent"
            && !list.is_empty()
            && !SINGLE_VERSION.contains(&(request.group.as_str(), request.resource.as_str()))
        {
            return Err(msg!(
                "policy-vap-match-policy",
                resource = request.group_resource()
            ));
        }
        Ok(false)
    };
    if rules("excludeResourceRules")? {
        return Ok(false);
    }
    let has_rules = resources
        .get("resourceRules")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty());
    if !has_rules {
        return Ok(true);
    }
    rules("resourceRules")
}

/// `rules.Matcher.Matches`: scope, operation, group, version, resource (`res/sub`; the
/// request has no subresource).
fn rule_matches(rule: &Value, operation: Operation, request: &RequestInfo) -> bool {
    let exact_or_wildcard = |key: &str, wanted: &str| {
        strings(rule.get(key))
            .iter()
            .any(|i| *i == "*" || *i == wanted)
    };
    let is_namespace = request.group.is_empty() && request.resource == "namespaces";
    let scope = match rule.get("scope").and_then(Value::as_str).unwrap_or("*") {
        "*" => true,
        "Namespaced" => !is_namespace && !request.namespace.is_empty(),
        "Cluster" => is_namespace || request.namespace.is_empty(),
        _ => false,
    };
    let resource = strings(rule.get("resources")).iter().any(|r| {
        let (res, sub) = r.split_once('/').unwrap_or((r, ""));
        (res == "*" || res == request.resource) && (sub == "*" || sub.is_empty())
    });
    scope
        && exact_or_wildcard("operations", operation.as_str())
        && exact_or_wildcard("apiGroups", &request.group)
        && exact_or_wildcard("apiVersions", &request.version)
        && resource
}

// ---------------------------------------------------------------------------------------
// CEL.

/// Where an expression is evaluated: `matchConditions` see no `namespaceObject` and no
/// `variables`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    MatchCondition,
    Validation,
}

/// The CEL variables' values.
struct Inputs {
    object: Cel,
    namespace: Cel,
    request: Cel,
    kind: String,
}

impl Inputs {
    fn new(object: &Value, namespace: &Value, request: &RequestInfo) -> Self {
        let mut object = object.clone();
        if !request.namespace.is_empty()
            && let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.insert("namespace".into(), Value::String(request.namespace.clone()));
        }
        // `CreateNamespaceObject`: the metadata, spec and status of the namespace.
        let namespace = if request.namespace.is_empty() || namespace.is_null() {
            Value::Null
        } else {
            let mut trimmed = serde_json::Map::new();
            for key in ["metadata", "spec", "status"] {
                if let Some(v) = namespace.get(key) {
                    trimmed.insert(key.into(), v.clone());
                }
            }
            Value::Object(trimmed)
        };
        let gvk = serde_json::json!({"group": request.group, "version": request.version,
            "kind": request.kind});
        let gvr = serde_json::json!({"group": request.group, "version": request.version,
            "resource": request.resource});
        let mut req = serde_json::json!({"kind": gvk, "resource": gvr, "requestKind": gvk,
            "requestResource": gvr, "name": request.name, "operation": "CREATE",
            "dryRun": request.dry_run});
        if !request.namespace.is_empty() {
            req["namespace"] = Value::String(request.namespace.clone());
        }
        Inputs {
            object: to_cel(&object),
            namespace: to_cel(&namespace),
            request: to_cel(&req),
            kind: request.kind.clone(),
        }
    }

    fn context(&self, scope: Scope, variables: &BTreeMap<String, Cel>) -> Context<'static> {
        let mut ctx = Context::default();
        ctx.register_all();
        ctx.add_function(SELECT, kubelab_select);
        ctx.add_function(HAS, kubelab_has);
        ctx.add_function(OPT_SELECT, kubelab_optional_select);
        ctx.add_function(OPT_INDEX, kubelab_optional_index);
        ctx.add_variable_from_value("object", self.object.clone());
        ctx.add_variable_from_value("oldObject", Cel::Null);
        ctx.add_variable_from_value("request", self.request.clone());
        if scope == Scope::Validation {
            ctx.add_variable_from_value("namespaceObject", self.namespace.clone());
            let map: HashMap<Key, Cel> = variables
                .iter()
                .map(|(k, v)| (Key::String(Arc::new(k.clone())), v.clone()))
                .collect();
            ctx.add_variable_from_value("variables", Cel::Map(Map { map: Arc::new(map) }));
        }
        ctx
    }
}

/// JSON as the API server's unstructured objects are seen by cel-go: maps with their
/// keys as written, integers as `int`, other numbers as `double`.
fn to_cel(value: &Value) -> Cel {
    match value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Cel::Int(i),
            None => Cel::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Cel::String(Arc::new(s.clone())),
        Value::Array(items) => Cel::List(Arc::new(items.iter().map(to_cel).collect())),
        Value::Object(map) => Cel::Map(Map {
            map: Arc::new(
                map.iter()
                    .map(|(k, v)| (Key::String(Arc::new(k.clone())), to_cel(v)))
                    .collect(),
            ),
        }),
    }
}

const SELECT: &str = "@kubelab_select";
const HAS: &str = "@kubelab_has";
/// The message of kubelab's select on a value that is not a map (cel-go's wording of
/// that error is not modelled).
const NOT_A_MAP: &str = "field selection on a value that is not a map";

/// `a.f`: the key `f` of the map `a`; cel-go's `no such key: f` when absent.
fn kubelab_select(ftx: &FunctionContext, target: Cel, field: Arc<String>) -> ResolveResult {
    match target {
        Cel::Map(map) => map
            .map
            .get(&Key::String(field.clone()))
            .cloned()
            .ok_or(ExecutionError::NoSuchKey(field)),
        _ => Err(ftx.error(NOT_A_MAP)),
    }
}

/// `has(a.f)`: whether the map `a` has the key `f`.
fn kubelab_has(ftx: &FunctionContext, target: Cel, field: Arc<String>) -> ResolveResult {
    match target {
        Cel::Map(map) => Ok(Cel::Bool(map.map.contains_key(&Key::String(field)))),
        _ => Err(ftx.error(NOT_A_MAP)),
    }
}

const OPT_SELECT: &str = "@kubelab_optional_select";
const OPT_INDEX: &str = "@kubelab_optional_index";

fn optional(value: Option<Cel>) -> Cel {
    Cel::Opaque(Arc::new(match value {
        Some(v) => OptionalValue::of(v),
        None => OptionalValue::none(),
    }))
}

/// An optional's value (`Ok(None)`: `optional.none()`), or the value itself when it is
/// not an optional.
fn unwrap_optional(target: &Cel) -> Result<Option<Cel>, ()> {
    match target {
        Cel::Opaque(_) => match <&OptionalValue>::try_from(target) {
            Ok(opt) => Ok(opt.value().cloned()),
            Err(_) => Err(()),
        },
        other => Ok(Some(other.clone())),
    }
}

/// `a.?f` (cel-go's optional field selection): `optional.of(a.f)` when the map `a` has
/// the key `f`, else `optional.none()`; on an optional `a`, the same on its value (none
/// stays none). The interpreter's own `_?._` fails on an absent key instead.
fn kubelab_optional_select(
    ftx: &FunctionContext,
    target: Cel,
    field: Arc<String>,
) -> ResolveResult {
    match unwrap_optional(&target) {
        Ok(None) => Ok(optional(None)),
        Ok(Some(Cel::Map(map))) => Ok(optional(map.map.get(&Key::String(field)).cloned())),
        _ => Err(ftx.error(NOT_A_MAP)),
    }
}

/// `a[?k]`: `optional.of(a[k])` when the map `a` has the key `k` or the list `a` has the
/// index `k`, else `optional.none()`; on an optional `a`, the same on its value.
fn kubelab_optional_index(ftx: &FunctionContext, target: Cel, key: Cel) -> ResolveResult {
    match (unwrap_optional(&target), key) {
        (Ok(None), _) => Ok(optional(None)),
        (Ok(Some(Cel::Map(map))), Cel::String(k)) => {
            Ok(optional(map.map.get(&Key::String(k)).cloned()))
        }
        (Ok(Some(Cel::List(list))), Cel::Int(i)) => Ok(optional(
            usize::try_from(i).ok().and_then(|i| list.get(i)).cloned(),
        )),
        _ => Err(ftx.error("optional index on a value that is neither a map nor a list")),
    }
}

/// An evaluation: a value, or an error with cel-go's wording when kubelab knows it.
enum Eval {
    Value(Cel),
    Error(Result<String, Unsupported>),
}

/// One expression, parsed, checked and rewritten for evaluation.
struct Compiled {
    source: String,
    expr: IdedExpr,
    /// Whether it has a comprehension (`all`, `exists`, `map`, …): cel-go carries an
    /// error through a comprehension's accumulator and may absorb it, the interpreter
    /// stops at the first.
    comprehension: bool,
    /// The `variables.<name>` it reads.
    variables: Vec<String>,
    /// The object paths its value may be (for a variable).
    paths: Option<Vec<Path>>,
}

impl Compiled {
    fn new(
        source: &str,
        inputs: &Inputs,
        scope: Scope,
        variables: &[(String, Option<Vec<Path>>)],
        variable: bool,
    ) -> Result<Self, Unsupported> {
        // Kubernetes' CEL environment has optional types (`cel.OptionalTypes()` in
        // `k8s.io/apiserver/pkg/cel/environment/base.go`, since 1.28).
        let parser = cel::parser::Parser::new().enable_optional_syntax(true);
        let expr = parser.parse(source).map_err(|e| {
            msg!(
                "policy-vap-parse",
                expression = source,
                error = e.to_string().trim()
            )
        })?;
        let mut analysis = Analysis {
            source,
            kind: &inputs.kind,
            scope,
            variables,
            bound: Vec::new(),
            problem: None,
            comprehension: false,
            used: Vec::new(),
        };
        let paths = analysis.value(&expr);
        let paths_of_variable = paths.clone();
        // A variable's value is used where it is read; any other value is used here.
        if !variable {
            analysis.consume(paths);
        }
        if let Some(problem) = analysis.problem {
            return Err(problem);
        }
        let mut expr = expr;
        rewrite(&mut expr);
        Ok(Compiled {
            source: source.to_string(),
            expr,
            comprehension: analysis.comprehension,
            variables: analysis.used,
            paths: paths_of_variable,
        })
    }

    fn run(&self, ctx: &Context) -> Result<Eval, Unsupported> {
        match Cel::resolve(&self.expr, ctx) {
            Ok(value) => Ok(Eval::Value(value)),
            Err(_) if self.comprehension => Err(msg!(
                "policy-vap-error-in-comprehension",
                expression = self.source.as_str()
            )),
            // cel-go's wording (`resolutionError`, interpreter/attributes.go).
            Err(ExecutionError::NoSuchKey(key)) => {
                Ok(Eval::Error(Ok(format!("no such key: {key}"))))
            }
            Err(ExecutionError::IndexOutOfBounds(Cel::Int(index))) => {
                Ok(Eval::Error(Ok(format!("index out of bounds: {index}"))))
            }
            Err(ExecutionError::UndeclaredReference(name)) => Err(msg!(
                "policy-vap-function",
                expression = self.source.as_str(),
                function = name.as_str()
            )),
            Err(error) => Ok(Eval::Error(Err(msg!(
                "policy-vap-error",
                expression = self.source.as_str(),
                error = error.to_string()
            )))),
        }
    }
}

/// Field selections become calls of kubelab's select and has.
fn rewrite(expr: &mut IdedExpr) {
    let id = expr.id;
    match &mut expr.expr {
        Expr::Select(select) => {
            rewrite(&mut select.operand);
            let operand = std::mem::take(&mut *select.operand);
            let field = IdedExpr {
                id,
                expr: Expr::Literal(LiteralValue::String(select.field.as_str().into())),
            };
            let func_name = if select.test { HAS } else { SELECT };
            expr.expr = Expr::Call(CallExpr {
                func_name: func_name.to_string(),
                target: None,
                args: vec![operand, field],
            });
        }
        Expr::Call(call) => {
            if let Some(target) = call.target.as_mut() {
                rewrite(target);
            }
            call.args.iter_mut().for_each(rewrite);
            if call.func_name == operators::OPT_SELECT {
                call.func_name = OPT_SELECT.to_string();
            } else if call.func_name == operators::OPT_INDEX {
                call.func_name = OPT_INDEX.to_string();
            }
        }
        Expr::Comprehension(c) => {
            let c: &mut ComprehensionExpr = c;
            for e in [
                &mut c.iter_range,
                &mut c.accu_init,
                &mut c.loop_cond,
                &mut c.loop_step,
                &mut c.result,
            ] {
                rewrite(e);
            }
        }
        Expr::List(list) => list.elements.iter_mut().for_each(rewrite),
        Expr::Map(map) => {
            for entry in map.entries.iter_mut() {
                if let EntryExpr::MapEntry(e) = &mut entry.expr {
                    rewrite(&mut e.key);
                    rewrite(&mut e.value);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Struct(_) | Expr::Unspecified => {}
    }
}

// ---------------------------------------------------------------------------------------
// What an expression reads, checked against what the API server sets before validating
// admission.

/// A path into a CEL variable: its root (`object`, `request`, …) and keys; `*` for any
/// list element or map key.
type Path = Vec<String>;

/// Lists in Kubernetes objects: iterating one yields its elements (a path with `*`).
const LISTS: &[&str] = &[
    "containers",
    "initContainers",
    "ephemeralContainers",
    "ports",
    "env",
    "envFrom",
    "volumes",
    "volumeMounts",
    "imagePullSecrets",
    "tolerations",
    "args",
    "command",
    "finalizers",
    "hostAliases",
    "items",
];

/// The fields of a Pod that the API server sets or changes on create before validating
/// admission (`pkg/apis/core/v1/defaults.go`, the ServiceAccount, Priority and
/// DefaultTolerationSeconds admission plugins, `rest.BeforeCreate`), as patterns with
/// `*` for any list element. A read of one of them, or of a map holding one as a whole,
/// is unsupported.
const POD_SERVER_SET: &[&str] = &[
    "spec.restartPolicy",
    "spec.dnsPolicy",
    "spec.schedulerName",
    "spec.securityContext",
    "spec.terminationGracePeriodSeconds",
    "spec.enableServiceLinks",
    "spec.serviceAccountName",
    "spec.serviceAccount",
    "spec.priority",
    "spec.preemptionPolicy",
    "spec.tolerations",
    "spec.volumes",
    "spec.*.*.imagePullPolicy",
    "spec.*.*.terminationMessagePath",
    "spec.*.*.terminationMessagePolicy",
    "spec.*.*.resources",
    "spec.*.*.volumeMounts",
    "spec.*.*.livenessProbe",
    "spec.*.*.readinessProbe",
    "spec.*.*.startupProbe",
    "spec.*.*.env",
    "spec.*.*.ports.*.protocol",
    "spec.*.*.ports.*.hostPort",
    "status",
];

/// Set on every object by `rest.BeforeCreate` and the field manager.
const META_SERVER_SET: &[&str] = &[
    "metadata.uid",
    "metadata.creationTimestamp",
    "metadata.resourceVersion",
    "metadata.generation",
    "metadata.managedFields",
];

/// Paths of `request` kubelab knows (`CreateAdmissionRequest`).
const REQUEST_KNOWN: &[&str] = &[
    "kind",
    "resource",
    "requestKind",
    "requestResource",
    "name",
    "namespace",
    "operation",
    "dryRun",
];

/// How a path compares with a pattern: the path is the field or inside it, or the path
/// holds the field as a whole.
fn under(path: &[String], pattern: &[&str]) -> bool {
    path.len() >= pattern.len()
        && pattern
            .iter()
            .zip(path)
            .all(|(p, s)| *p == "*" || s == "*" || p == s)
}

fn holds(path: &[String], pattern: &[&str]) -> bool {
    path.len() < pattern.len()
        && pattern
            .iter()
            .zip(path)
            .all(|(p, s)| *p == "*" || s == "*" || p == s)
}

struct Analysis<'a> {
    source: &'a str,
    kind: &'a str,
    scope: Scope,
    variables: &'a [(String, Option<Vec<Path>>)],
    /// Comprehension variables in scope and the paths they stand for.
    bound: Vec<(String, Option<Vec<Path>>)>,
    problem: Option<Unsupported>,
    comprehension: bool,
    used: Vec<String>,
}

impl Analysis<'_> {
    fn fail(&mut self, problem: Unsupported) {
        if self.problem.is_none() {
            self.problem = Some(problem);
        }
    }

    fn construct(&mut self, construct: &str) {
        let problem = msg!(
            "policy-vap-construct",
            expression = self.source,
            construct = construct
        );
        self.fail(problem);
    }

    /// A value read at `path`: unsupported when the API server sets it, or when it is
    /// outside what kubelab models of `request` and `namespaceObject`.
    fn read(&mut self, path: &Path) {
        let (root, rest) = (path[0].as_str(), &path[1..]);
        let unknown = match root {
            "object" => {
                let generic = META_SERVER_SET
                    .iter()
                    .chain(if self.kind == "Pod" {
                        POD_SERVER_SET
                    } else {
                        &[]
                    })
                    .any(|p| under(rest, &p.split('.').collect::<Vec<_>>()));
                let other_kind = self.kind != "Pod"
                    && !matches!(self.kind, "ConfigMap")
                    && rest.first().is_some_and(|k| k != "metadata" && k != "*");
                generic || other_kind
            }
            "request" => rest
                .first()
                .is_some_and(|k| !REQUEST_KNOWN.contains(&k.as_str())),
            "namespaceObject" => {
                rest.len() >= 2
                    && !(rest[0] == "metadata"
                        && matches!(rest[1].as_str(), "name" | "labels" | "annotations"))
                    || rest.len() == 1 && rest[0] != "metadata"
            }
            _ => false,
        };
        if unknown {
            let problem = msg!(
                "policy-vap-field",
                expression = self.source,
                field = path.join(".")
            );
            self.fail(problem);
        }
    }

    /// A value used as a whole (compared, converted, passed to a function): unsupported
    /// when it holds a field the API server sets.
    fn consume(&mut self, paths: Option<Vec<Path>>) {
        for path in paths.into_iter().flatten() {
            let (root, rest) = (path[0].as_str(), &path[1..]);
            let holds_unknown = match root {
                "object" => {
                    META_SERVER_SET
                        .iter()
                        .chain(if self.kind == "Pod" {
                            POD_SERVER_SET
                        } else {
                            &[]
                        })
                        .any(|p| holds(rest, &p.split('.').collect::<Vec<_>>()))
                        || self.kind != "Pod" && self.kind != "ConfigMap" && rest.is_empty()
                }
                // `request` holds `userInfo`, `uid` and `options`; a namespace's
                // metadata holds its uid and timestamps.
                "request" => rest.is_empty(),
                "namespaceObject" => rest.is_empty() || rest.len() == 1 && rest[0] == "metadata",
                _ => false,
            };
            if holds_unknown {
                let problem = msg!(
                    "policy-vap-whole",
                    expression = self.source,
                    field = path.join(".")
                );
                self.fail(problem);
            }
        }
    }

    /// The paths of a value that is one of two (`c ? a : b`, `a.orValue(b)`): both.
    fn either(a: Option<Vec<Path>>, b: Option<Vec<Path>>) -> Option<Vec<Path>> {
        match (a, b) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                Some(a)
            }
            (Some(a), None) | (None, Some(a)) => Some(a),
            (None, None) => None,
        }
    }

    /// `operand.key` (or `operand[key]`): the paths it may be, each read.
    fn read_at(&mut self, operand: &Option<Vec<Path>>, key: &str) -> Option<Vec<Path>> {
        let paths = Self::extend(operand, key);
        for path in paths.iter().flatten() {
            self.read(path);
        }
        paths
    }

    fn extend(paths: &Option<Vec<Path>>, key: &str) -> Option<Vec<Path>> {
        paths.as_ref().map(|ps| {
            ps.iter()
                .map(|p| {
                    let mut p = p.clone();
                    p.push(key.to_string());
                    p
                })
                .collect()
        })
    }

    /// The paths `expr`'s value may be (`None`: a computed value), checking every read.
    fn value(&mut self, expr: &IdedExpr) -> Option<Vec<Path>> {
        match &expr.expr {
            Expr::Ident(name) => {
                if let Some((_, paths)) = self.bound.iter().rev().find(|(n, _)| n == name) {
                    return paths.clone();
                }
                match name.as_str() {
                    "object" | "oldObject" | "request" => Some(vec![vec![name.clone()]]),
                    "namespaceObject" if self.scope == Scope::Validation => {
                        Some(vec![vec![name.clone()]])
                    }
                    "namespaceObject" => {
                        self.construct("namespaceObject in matchConditions");
                        None
                    }
                    "variables" if self.scope == Scope::Validation => {
                        Some(vec![vec![name.clone()]])
                    }
                    "params" | "authorizer" | "variables" => {
                        self.construct(name);
                        None
                    }
                    _ => None,
                }
            }
            Expr::Select(select) => {
                let operand = self.value(&select.operand);
                if operand == Some(vec![vec!["variables".to_string()]]) {
                    if !self.used.contains(&select.field) {
                        self.used.push(select.field.clone());
                    }
                    let found = self.variables.iter().find(|(n, _)| *n == select.field);
                    return match found {
                        Some((_, paths)) if !select.test => paths.clone(),
                        _ => None,
                    };
                }
                let paths = self.read_at(&operand, &select.field);
                if select.test { None } else { paths }
            }
            Expr::Call(call) => self.call(call),
            Expr::Comprehension(c) => self.comprehension(c),
            Expr::List(list) => {
                for e in &list.elements {
                    let v = self.value(e);
                    self.consume(v);
                }
                if !list.optional_indices.is_empty() {
                    self.construct("optional list element");
                }
                None
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(e) => {
                            if e.optional {
                                self.construct("optional map entry");
                            }
                            let k = self.value(&e.key);
                            self.consume(k);
                            let v = self.value(&e.value);
                            self.consume(v);
                        }
                        EntryExpr::StructField(_) => self.construct("message construction"),
                    }
                }
                None
            }
            Expr::Struct(_) => {
                self.construct("message construction");
                None
            }
            Expr::Literal(_) | Expr::Unspecified => None,
        }
    }

    fn call(&mut self, call: &CallExpr) -> Option<Vec<Path>> {
        let name = call.func_name.as_str();
        if let Some(target) = &call.target
            && let Expr::Ident(ns) = &target.expr
            && matches!(ns.as_str(), "cel" | "optional")
        {
            self.construct(&format!("{ns}.{name}"));
            return None;
        }
        if name.starts_with("optional.") {
            self.construct("optional types");
            return None;
        }
        // Optional values keep the paths they stand for: `a.?f` is `a.f` when present.
        if let Some(target) = &call.target {
            match (name, call.args.as_slice()) {
                ("value", []) => return self.value(target),
                ("hasValue", []) => {
                    self.value(target);
                    return None;
                }
                ("orValue" | "or", [other]) => {
                    let (a, b) = (self.value(target), self.value(other));
                    return Self::either(a, b);
                }
                _ => {}
            }
        }
        if matches!(
            name,
            "all"
                | "exists"
                | "existsOne"
                | "exists_one"
                | "transformList"
                | "transformMap"
                | "transformMapEntry"
        ) && call.args.len() >= 3
            || matches!(name, "transformList" | "transformMap" | "transformMapEntry")
        {
            self.construct("two-variable comprehension");
            return None;
        }
        match (name, call.args.as_slice()) {
            (operators::OPT_SELECT, [operand, field]) => {
                let operand = self.value(operand);
                let Expr::Literal(LiteralValue::String(field)) = &field.expr else {
                    self.construct("optional selection of a computed field");
                    return None;
                };
                self.read_at(&operand, field.inner())
            }
            (operators::INDEX | operators::OPT_INDEX, [operand, key]) => {
                let operand = self.value(operand);
                let key_name = match &key.expr {
                    Expr::Literal(LiteralValue::String(s)) => s.inner().to_string(),
                    _ => {
                        let k = self.value(key);
                        self.consume(k);
                        "*".to_string()
                    }
                };
                self.read_at(&operand, &key_name)
            }
            (operators::ADD, [a, b]) => {
                // List concatenation keeps the elements' origin.
                let (a, b) = (self.value(a), self.value(b));
                match (a, b) {
                    (Some(mut a), Some(b)) => {
                        a.extend(b);
                        Some(a)
                    }
                    (a, b) => {
                        self.consume(a);
                        self.consume(b);
                        None
                    }
                }
            }
            (operators::CONDITIONAL, [c, a, b]) => {
                let c = self.value(c);
                self.consume(c);
                let (a, b) = (self.value(a), self.value(b));
                Self::either(a, b)
            }
            ("size", _) => {
                let args: Vec<&IdedExpr> =
                    call.target.iter().map(|t| &**t).chain(&call.args).collect();
                for arg in args {
                    let v = self.value(arg);
                    if !Self::is_list(&v) {
                        self.consume(v);
                    }
                }
                None
            }
            _ => {
                if let Some(target) = &call.target {
                    let v = self.value(target);
                    self.consume(v);
                }
                for arg in &call.args {
                    let v = self.value(arg);
                    self.consume(v);
                }
                None
            }
        }
    }

    fn is_list(paths: &Option<Vec<Path>>) -> bool {
        paths.as_ref().is_some_and(|ps| {
            ps.iter()
                .all(|p| p.last().is_some_and(|k| LISTS.contains(&k.as_str())))
        })
    }

    fn comprehension(&mut self, c: &ComprehensionExpr) -> Option<Vec<Path>> {
        self.comprehension = true;
        if c.iter_var2.is_some() {
            self.construct("two-variable comprehension");
            return None;
        }
        // `filter` (and `map(x, p, x)`): `p ? @result + [x] : @result`, the range's elements.
        let filtered = match &c.loop_step.expr {
            Expr::Call(step)
                if step.func_name == operators::CONDITIONAL && step.args.len() == 3 =>
            {
                match &step.args[1].expr {
                    Expr::Call(add) if add.func_name == operators::ADD && add.args.len() == 2 => {
                        match &add.args[1].expr {
                            Expr::List(l)
                                if l.elements.len() == 1
                                    && matches!(&l.elements[0].expr, Expr::Ident(v) if *v == c.iter_var) =>
                            {
                                Some(&step.args[0])
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        // A list written out (`[object.spec.containers, object.spec.initContainers]`)
        // ranged over by `all`/`exists`: each element stands for its own paths.
        let (range, element) = match &c.iter_range.expr {
            Expr::List(list) if list.optional_indices.is_empty() && filtered.is_none() => {
                let elements: Vec<Option<Vec<Path>>> =
                    list.elements.iter().map(|e| self.value(e)).collect();
                let element = if elements.iter().all(Option::is_some) {
                    let paths: Vec<Path> = elements.into_iter().flatten().flatten().collect();
                    (!paths.is_empty()).then_some(paths)
                } else {
                    elements.into_iter().for_each(|e| self.consume(e));
                    None
                };
                (None, element)
            }
            _ => {
                let range = self.value(&c.iter_range);
                let element = if Self::is_list(&range) {
                    Self::extend(&range, "*")
                } else {
                    // A map: its keys (strings); the map as a whole is used.
                    self.consume(range.clone());
                    None
                };
                (range, element)
            }
        };
        self.bound.push((c.iter_var.clone(), element));
        self.bound.push((c.accu_var.clone(), None));
        let result = if let Some(condition) = filtered {
            let v = self.value(condition);
            self.consume(v);
            range
        } else {
            for e in [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result] {
                let v = self.value(e);
                self.consume(v);
            }
            None
        };
        self.bound.pop();
        self.bound.pop();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NS: &str = "lab";

    fn namespace() -> Value {
        json!({"apiVersion": "v1", "kind": "Namespace",
               "metadata": {"name": NS, "labels": {"kubernetes.io/metadata.name": NS, "env": "dev"}}})
    }

    fn pod(name: &str, images: &[&str]) -> Value {
        let containers: Vec<Value> = images
            .iter()
            .enumerate()
            .map(|(i, image)| json!({"name": format!("c{i}"), "image": image}))
            .collect();
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "labels": {"app": "web"}},
               "spec": {"containers": containers}})
    }

    fn policy(name: &str, spec: Value) -> Value {
        let mut spec = spec;
        if spec.get("matchConstraints").is_none() {
            spec["matchConstraints"] = json!({"resourceRules": [{"apiGroups": [""],
                "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"], "resources": ["pods"]}]});
        }
        json!({"apiVersion": "admissionregistration.k8s.io/v1",
               "kind": "ValidatingAdmissionPolicy", "metadata": {"name": name}, "spec": spec})
    }

    fn binding(name: &str, policy: &str, actions: &[&str], extra: Value) -> Value {
        let mut spec = json!({"policyName": policy, "validationActions": actions});
        if let Value::Object(extra) = extra {
            for (k, v) in extra {
                spec[k] = v;
            }
        }
        json!({"apiVersion": "admissionregistration.k8s.io/v1",
               "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": name}, "spec": spec})
    }

    fn decide(policies: &[(Value, Value)], object: &Value) -> Decision {
        let bound: Vec<Bound> = policies
            .iter()
            .map(|(p, b)| Bound {
                policy: p,
                binding: b,
            })
            .collect();
        let name = object["metadata"]["name"].as_str().unwrap();
        admit(
            &bound,
            object,
            &namespace(),
            Operation::Create,
            &RequestInfo::pod(name, NS),
        )
    }

    fn refused(decision: &Decision) -> Vec<String> {
        match decision {
            Decision::Refused { denials } => denials.iter().map(|d| d.message.clone()).collect(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn unsupported(decision: &Decision) -> String {
        match decision {
            Decision::Unsupported { reason } => reason.to_string(),
            other => panic!("expected unsupported, got {other:?}"),
        }
    }

    fn registry_policy() -> Value {
        policy(
            "registry",
            json!({"validations": [{"expression":
                "object.spec.containers.all(c, c.image.startsWith('127.0.0.1:30500/'))",
                "message": "images must come from the lab registry"}]}),
        )
    }

    #[test]
    fn denies_with_the_api_servers_sentence() {
        let p = registry_policy();
        let b = binding("registry-b", "registry", &["Deny"], json!({}));
        let d = decide(&[(p.clone(), b.clone())], &pod("web", &["docker.io/nginx"]));
        assert_eq!(
            refused(&d),
            [
                "pods \"web\" is forbidden: ValidatingAdmissionPolicy 'registry' with binding \
              'registry-b' denied request: images must come from the lab registry"
            ]
        );
        let Decision::Refused { denials } = &d else {
            unreachable!()
        };
        assert_eq!(denials[0].cause, Cause::Validation(0));
        assert_eq!(denials[0].reason, "Invalid");
        assert_eq!(
            decide(&[(p, b)], &pod("web", &["127.0.0.1:30500/nginx"])),
            Decision::Admitted { warnings: vec![] }
        );
    }

    #[test]
    fn without_a_message_the_expression_is_the_message() {
        let p = policy(
            "p",
            json!({"validations": [{"expression": "  object.metadata.name != 'web'  "}]}),
        );
        let b = binding("b", "p", &["Deny"], json!({}));
        assert_eq!(
            refused(&decide(&[(p, b)], &pod("web", &["x"]))),
            [
                "pods \"web\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied \
              request: failed expression: object.metadata.name != 'web'"
            ]
        );
    }

    #[test]
    fn message_expression_wins_unless_empty_or_multiline() {
        let with = |me: &str| {
            policy(
                "p",
                json!({"validations": [{"expression": "false", "message": "static",
                    "messageExpression": me, "reason": "Forbidden"}]}),
            )
        };
        let b = binding("b", "p", &["Deny"], json!({}));
        let message = |me: &str| {
            let d = decide(&[(with(me), b.clone())], &pod("web", &["x"]));
            let Decision::Refused { denials } = d else {
                panic!("{d:?}")
            };
            assert_eq!(denials[0].reason, "Forbidden");
            denials[0].message.rsplit(": ").next().unwrap().to_string()
        };
        assert_eq!(message("'name ' + object.metadata.name + ' '"), "name web");
        assert_eq!(message("'   '"), "static");
        assert_eq!(message("'a\\nb'"), "static");
        assert_eq!(message("object.metadata.missing"), "static");
        assert_eq!(message("1"), "static");
    }

    #[test]
    fn warn_and_audit_bindings_admit() {
        let p = registry_policy();
        let object = pod("web", &["docker.io/nginx"]);
        let warn = binding("w", "registry", &["Warn"], json!({}));
        assert_eq!(
            decide(&[(p.clone(), warn)], &object),
            Decision::Admitted {
                warnings: vec![
                    "Validation failed for ValidatingAdmissionPolicy 'registry' with binding \
                     'w': images must come from the lab registry"
                        .into()
                ]
            }
        );
        let audit = binding("a", "registry", &["Audit"], json!({}));
        assert_eq!(
            decide(&[(p, audit)], &object),
            Decision::Admitted { warnings: vec![] }
        );
    }

    #[test]
    fn several_denying_bindings_are_all_candidates() {
        let p = registry_policy();
        let b1 = binding("b1", "registry", &["Deny"], json!({}));
        let b2 = binding("b2", "registry", &["Deny", "Audit"], json!({}));
        let d = decide(&[(p.clone(), b1), (p, b2)], &pod("web", &["evil/x"]));
        let messages = refused(&d);
        assert_eq!(messages.len(), 2);
        assert!(messages[1].contains("binding 'b2'"));
    }

    #[test]
    fn a_binding_for_another_policy_binds_nothing() {
        let b = binding("b", "other", &["Deny"], json!({}));
        assert_eq!(
            decide(&[(registry_policy(), b)], &pod("web", &["evil/x"])),
            Decision::Admitted { warnings: vec![] }
        );
    }

    #[test]
    fn resource_rules_operations_names_and_exclusions() {
        let object = pod("web", &["evil/x"]);
        let deny = |constraints: Value| {
            let p = policy(
                "p",
                json!({"matchConstraints": constraints, "validations": [{"expression": "false"}]}),
            );
            matches!(
                decide(&[(p, binding("b", "p", &["Deny"], json!({})))], &object),
                Decision::Refused { .. }
            )
        };
        let rule = |groups: Value, resources: Value, ops: Value| json!({"apiGroups": groups, "apiVersions": ["*"], "operations": ops, "resources": resources});
        assert!(deny(
            json!({"resourceRules": [rule(json!([""]), json!(["pods"]), json!(["CREATE"]))]})
        ));
        assert!(deny(
            json!({"resourceRules": [rule(json!(["*"]), json!(["*"]), json!(["*"]))]})
        ));
        assert!(!deny(
            json!({"resourceRules": [rule(json!(["apps"]), json!(["deployments"]), json!(["CREATE"]))]})
        ));
        assert!(!deny(
            json!({"resourceRules": [rule(json!([""]), json!(["pods"]), json!(["UPDATE", "DELETE"]))]})
        ));
        assert!(!deny(
            json!({"resourceRules": [rule(json!([""]), json!(["pods/status"]), json!(["*"]))]})
        ));
        assert!(deny(
            json!({"resourceRules": [rule(json!([""]), json!(["pods/*"]), json!(["*"]))]})
        ));
        let mut named = rule(json!([""]), json!(["pods"]), json!(["*"]));
        named["resourceNames"] = json!(["other"]);
        assert!(!deny(json!({"resourceRules": [named.clone()]})));
        named["resourceNames"] = json!(["other", "web"]);
        assert!(deny(json!({"resourceRules": [named]})));
        assert!(!deny(
            json!({"resourceRules": [rule(json!(["*"]), json!(["*"]), json!(["*"]))],
            "excludeResourceRules": [rule(json!([""]), json!(["pods"]), json!(["CREATE"]))]})
        ));
        let mut cluster = rule(json!(["*"]), json!(["*"]), json!(["*"]));
        cluster["scope"] = json!("Cluster");
        assert!(!deny(json!({"resourceRules": [cluster]})));
    }

    #[test]
    fn selectors_of_policy_and_binding() {
        let p = registry_policy();
        let object = pod("web", &["evil/x"]);
        let with = |extra: Value| {
            matches!(
                decide(
                    &[(p.clone(), binding("b", "registry", &["Deny"], extra))],
                    &object
                ),
                Decision::Refused { .. }
            )
        };
        assert!(with(
            json!({"matchResources": {"objectSelector": {"matchLabels": {"app": "web"}}}})
        ));
        assert!(!with(
            json!({"matchResources": {"objectSelector": {"matchLabels": {"app": "db"}}}})
        ));
        assert!(with(
            json!({"matchResources": {"namespaceSelector": {"matchExpressions": [
            {"key": "kubernetes.io/metadata.name", "operator": "In", "values": [NS]}]}}})
        ));
        assert!(!with(
            json!({"matchResources": {"namespaceSelector": {"matchLabels": {"env": "prod"}}}})
        ));
        assert!(with(
            json!({"matchResources": {"objectSelector": {"matchExpressions": [
            {"key": "tier", "operator": "NotIn", "values": ["x"]}]}}})
        ));
    }

    #[test]
    fn match_conditions_all_must_hold_and_errors_follow_the_failure_policy() {
        let with = |conditions: Value, failure: &str| {
            let p = policy(
                "p",
                json!({"failurePolicy": failure, "matchConditions": conditions,
                    "validations": [{"expression": "false", "message": "no"}]}),
            );
            decide(
                &[(p, binding("b", "p", &["Deny"], json!({})))],
                &pod("web", &["x"]),
            )
        };
        let t = json!({"name": "t", "expression": "true"});
        let f = json!({"name": "f", "expression": "object.metadata.name == 'db'"});
        let e = json!({"name": "e", "expression": "object.metadata.labels.tier == 'x'"});
        assert!(matches!(with(json!([t]), "Fail"), Decision::Refused { .. }));
        assert_eq!(
            with(json!([t, f]), "Fail"),
            Decision::Admitted { warnings: vec![] }
        );
        // A false condition wins over an error.
        assert_eq!(
            with(json!([e, f]), "Fail"),
            Decision::Admitted { warnings: vec![] }
        );
        assert_eq!(
            refused(&with(json!([e]), "Fail")),
            [
                "pods \"web\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied \
              request: expression 'object.metadata.labels.tier == 'x'' resulted in error: no such \
              key: tier"
            ]
        );
        assert_eq!(
            with(json!([e]), "Ignore"),
            Decision::Admitted { warnings: vec![] }
        );
    }

    #[test]
    fn variables_and_namespace_object() {
        let p = policy(
            "p",
            json!({"variables": [
                {"name": "images", "expression": "object.spec.containers.map(c, c.image)"},
                {"name": "bad", "expression": "variables.images.filter(i, !i.startsWith('127.0.0.1:30500/'))"}],
              "validations": [
                {"expression": "size(variables.bad) == 0",
                 "messageExpression": "'bad images: ' + variables.bad.join(', ')"},
                {"expression": "namespaceObject.metadata.labels.env == 'prod'"}]}),
        );
        let b = binding("b", "p", &["Deny"], json!({}));
        assert!(
            refused(&decide(
                &[(p.clone(), b.clone())],
                &pod("web", &["a/x", "b/y"])
            ))[0]
                .ends_with("denied request: bad images: a/x, b/y")
        );
        assert!(
            refused(&decide(&[(p, b)], &pod("web", &["127.0.0.1:30500/x"])))[0]
                .ends_with("failed expression: namespaceObject.metadata.labels.env == 'prod'")
        );
    }

    #[test]
    fn the_namespace_field_and_request() {
        let p = policy(
            "p",
            json!({"validations": [
                {"expression": "object.metadata.namespace == request.namespace && request.operation == 'CREATE' && request.resource.resource == 'pods'",
                 "message": "same"},
                {"expression": "object.metadata.namespace != 'lab'", "message": "in lab"}]}),
        );
        let d = decide(
            &[(p, binding("b", "p", &["Deny"], json!({})))],
            &pod("web", &["x"]),
        );
        assert!(refused(&d)[0].ends_with("denied request: in lab"));
    }

    #[test]
    fn evaluation_errors_follow_the_failure_policy() {
        let with = |failure: &str| {
            let p = policy(
                "p",
                json!({"failurePolicy": failure,
                    "validations": [{"expression": "object.metadata.labels.team == 'a'"}]}),
            );
            decide(
                &[(p, binding("b", "p", &["Deny"], json!({})))],
                &pod("web", &["x"]),
            )
        };
        assert_eq!(
            refused(&with("Fail")),
            [
                "pods \"web\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied \
              request: expression 'object.metadata.labels.team == 'a'' resulted in error: no \
              such key: team"
            ]
        );
        assert_eq!(with("Ignore"), Decision::Admitted { warnings: vec![] });
        let p = policy(
            "p",
            json!({"validations": [{"expression": "object.spec.containers[1].name == 'x'"}]}),
        );
        assert!(
            refused(&decide(
                &[(p, binding("b", "p", &["Deny"], json!({})))],
                &pod("web", &["x"])
            ))[0]
                .ends_with("resulted in error: index out of bounds: 1")
        );
    }

    /// cel-go's optional types (Kubernetes' CEL environment has them since 1.28): `.?f`
    /// and `[?k]` give `optional.none()` where `.f` and `[k]` fail, and `orValue`,
    /// `value`, `hasValue` and `or` read them.
    #[test]
    fn optional_fields_and_indexes() {
        let with = |expression: &str, object: &Value| {
            let p = policy(
                "p",
                json!({"validations": [{"expression": expression, "message": "no"}]}),
            );
            decide(&[(p, binding("b", "p", &["Deny"], json!({})))], object)
        };
        let private = pod("web", &["127.0.0.1:30500/a"]);
        let mut public_init = private.clone();
        public_init["spec"]["initContainers"] = json!([{"name": "i", "image": "nginx"}]);
        let all = "(object.spec.containers + object.spec.?initContainers.orValue([]))\
                   .all(c, c.image.startsWith('127.0.0.1:30500/'))";
        assert_eq!(with(all, &private), Decision::Admitted { warnings: vec![] });
        assert!(refused(&with(all, &public_init))[0].ends_with("denied request: no"));
        // A list of the container lists, written out: each element is read for its own.
        let lists = "[object.spec.containers, object.spec.?initContainers.orValue([])]\
                     .all(l, l.all(c, c.image.startsWith('127.0.0.1:30500/')))";
        assert_eq!(
            with(lists, &private),
            Decision::Admitted { warnings: vec![] }
        );
        assert!(refused(&with(lists, &public_init))[0].ends_with("denied request: no"));
        // Compared as a whole, a container list holds fields the server fills in.
        let whole = "[object.spec.containers].all(l, l == [])";
        assert!(unsupported(&with(whole, &private)).contains("as a whole"));
        for (expression, admitted) in [
            (
                "object.metadata.?labels.?team.orValue('none') == 'none'",
                true,
            ),
            (
                "object.metadata.?labels.?app.orValue('none') == 'web'",
                true,
            ),
            ("object.metadata.labels[?'app'].value() == 'web'", true),
            ("!object.spec.?initContainers.hasValue()", true),
            ("object.spec.containers[?1].hasValue()", false),
            ("object.spec.containers[?0].?name.orValue('') == 'c0'", true),
            (
                "object.metadata.?annotations.?x.or(object.metadata.?labels.?app).orValue('') == 'web'",
                true,
            ),
        ] {
            let decision = with(expression, &private);
            assert_eq!(
                decision == (Decision::Admitted { warnings: vec![] }),
                admitted,
                "{expression}: {decision:?}"
            );
        }
    }

    #[test]
    fn unsupported_constructs() {
        let with = |expression: &str| {
            let p = policy("p", json!({"validations": [{"expression": expression}]}));
            decide(
                &[(p, binding("b", "p", &["Deny"], json!({})))],
                &pod("web", &["x"]),
            )
        };
        for (expression, says) in [
            ("cel.bind(x, 1, x == 1)", "cel.bind"),
            (
                "object.spec.?securityContext.hasValue()",
                "spec.securityContext",
            ),
            ("optional.of(1).hasValue()", "optional.of"),
            ("object.metadata.labels.all(k, v, v != '')", "two-variable"),
            (
                "authorizer.group('').resource('pods').check('get').allowed()",
                "authorizer",
            ),
            ("params.x == 1", "params"),
            (
                "object.spec.containers.all(c, c.imagePullPolicy == 'Always')",
                "imagePullPolicy",
            ),
            ("has(object.spec.securityContext)", "spec.securityContext"),
            (
                "object.spec.serviceAccountName == 'default'",
                "serviceAccountName",
            ),
            ("object.metadata.uid != ''", "metadata.uid"),
            (
                "object.spec.containers.all(c, c.exists(k, k == 'x'))",
                "containers",
            ),
            ("request.userInfo.username == 'x'", "userInfo"),
            (
                "object.spec.containers.all(c, c.ports[0].containerPort == 80)",
                "comprehension",
            ),
            ("object.spec.nosuchfunction()", "nosuchfunction"),
        ] {
            let reason = unsupported(&with(expression));
            assert!(reason.contains(says), "{expression}: {reason}");
        }
        let p = policy(
            "p",
            json!({"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
            "validations": [{"expression": "true"}]}),
        );
        let b = binding("b", "p", &["Deny"], json!({"paramRef": {"name": "x"}}));
        assert!(unsupported(&decide(&[(p, b)], &pod("web", &["x"]))).contains("param"));
    }

    #[test]
    fn container_level_security_context_is_the_learners() {
        let p = policy(
            "p",
            json!({"validations": [{"expression":
                "object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)",
                "message": "no privileged"}]}),
        );
        let mut object = pod("web", &["x"]);
        let b = binding("b", "p", &["Deny"], json!({}));
        assert_eq!(
            decide(&[(p.clone(), b.clone())], &object),
            Decision::Admitted { warnings: vec![] }
        );
        object["spec"]["containers"][0]["securityContext"] = json!({"privileged": true});
        assert!(refused(&decide(&[(p, b)], &object))[0].ends_with("no privileged"));
    }

    #[test]
    fn string_functions_of_the_kubernetes_library() {
        let p = policy(
            "p",
            json!({"validations": [{"expression":
                "(object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])).all(c, c.image.split('/')[0] == '127.0.0.1:30500' && !c.image.matches('^.*@sha256:[0-9a-f]{3}$'))"}]}),
        );
        let b = binding("b", "p", &["Deny"], json!({}));
        let ok = decide(
            &[(p.clone(), b.clone())],
            &pod("web", &["127.0.0.1:30500/x:1"]),
        );
        assert_eq!(ok, Decision::Admitted { warnings: vec![] });
        for image in [
            "127.0.0.1:305001/x",
            "127.0.0.1:30500.evil.com/x",
            "docker.io/127.0.0.1:30500/x",
        ] {
            assert!(
                matches!(
                    decide(&[(p.clone(), b.clone())], &pod("web", &[image])),
                    Decision::Refused { .. }
                ),
                "{image}"
            );
        }
        let mut init = pod("web", &["127.0.0.1:30500/x"]);
        init["spec"]["initContainers"] = json!([{"name": "i", "image": "evil/x"}]);
        assert!(matches!(decide(&[(p, b)], &init), Decision::Refused { .. }));
    }
}
