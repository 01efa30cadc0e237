//! The ValidatingAdmissionPolicy model (`kubelab::policy::vap`) against the API server
//! itself: generated (policies, bindings, object) cases are created on the test cluster
//! and each object is sent through server-side dry run; the model's decision must be the
//! server's: admitted or refused, and on refusal the server's whole message must be one
//! of the model's candidates. Zero differences allowed; the model may not answer
//! `Unsupported` for any generated case.
//!
//! On a shared cluster: every binding is confined to the test's own namespace (a
//! `namespaceSelector` on `kubernetes.io/metadata.name`, ANDed with any generated one)
//! and to its case's objects (`vaptest-case: "<i>"`), every object carries the run's
//! label and name prefix, and a guard deletes them all, also when the test fails.
//! Policies take effect asynchronously: a marker policy is created last and the test
//! waits until it refuses its marker pod. Needs the test cluster; fails loudly without it.

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, PostParams};
use kubelab::cluster::{ConnectOptions, connect};
use kubelab::policy::vap::{self, Bound, Decision, Operation, RequestInfo};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

mod common;

const REGISTRY: &str = "127.0.0.1:30500";
const DIGEST: &str = "sha256:4c7e1f4bd8a9d4d1ae6e3b58c3a9b5e2f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5";
const CASES: usize = 240;

/// Deletes everything the run created, by its label and name, when dropped (also on a
/// panic): the policies and bindings first, then the namespace.
struct Cleanup {
    run: String,
    namespace: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let selector = format!("kubelab-vaptest={}", self.run);
        let kubectl = |args: &[&str]| {
            let _ = std::process::Command::new("timeout")
                .arg("120")
                .arg("kubectl")
                .arg("--kubeconfig")
                .arg(common::admin_kubeconfig())
                .args(args)
                .output();
        };
        kubectl(&[
            "delete",
            "validatingadmissionpolicybindings,validatingadmissionpolicies",
            "-l",
            &selector,
            "--ignore-not-found",
        ]);
        kubectl(&[
            "delete",
            "namespace",
            &self.namespace,
            "--ignore-not-found",
            "--wait=false",
        ]);
    }
}

/// What one case exercises, counted to prove the generator's variety.
#[derive(Default)]
struct Features(BTreeMap<&'static str, usize>);

impl Features {
    fn add(&mut self, name: &'static str) {
        *self.0.entry(name).or_default() += 1;
    }
}

/// One generated case: its policies and bindings, the object, the request.
struct Case {
    pairs: Vec<(Value, Value)>,
    object: Value,
    request: RequestInfo,
    features: Vec<&'static str>,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn image(rng: &mut StdRng, features: &mut Vec<&'static str>) -> String {
    let name = pick(rng, &["app", "team/app", "x"]);
    let tail = match rng.random_range(0..4) {
        0 => String::new(),
        1 => ":1.0".to_string(),
        2 => {
            features.push("digest");
            format!("@{DIGEST}")
        }
        _ => {
            features.push("digest");
            format!(":2.1@{DIGEST}")
        }
    };
    match rng.random_range(0..10) {
        0..=3 => format!("{REGISTRY}/{name}{tail}"),
        4..=7 => {
            features.push("look-alike registry");
            let host = pick(
                rng,
                &[
                    "127.0.0.1:305001",
                    "127.0.0.10:30500",
                    "127.0.0.1:30500.evil.com",
                    "docker.io/127.0.0.1:30500",
                    "evil.com/127.0.0.1:30500",
                    "127.0.0.1",
                ],
            );
            format!("{host}/{name}{tail}")
        }
        _ => pick(
            rng,
            &[
                "busybox:1.28",
                "docker.io/library/nginx:1.25",
                "registry.local/app",
                "registry.local.evil.io/app",
            ],
        )
        .to_string(),
    }
}

fn container(rng: &mut StdRng, name: String, features: &mut Vec<&'static str>) -> Value {
    let mut c = json!({"name": name, "image": image(rng, features)});
    if rng.random_bool(0.3) {
        features.push("ports");
        c["ports"] = json!([{"containerPort": *pick(rng, &[80, 443, 6379, 8080])}]);
    }
    c
}

fn pod(i: usize, rng: &mut StdRng, features: &mut Vec<&'static str>) -> Value {
    let containers: Vec<Value> = (0..rng.random_range(1..=3))
        .map(|n| container(rng, format!("c{n}"), features))
        .collect();
    let mut labels = json!({"vaptest-case": i.to_string()});
    if rng.random_bool(0.6) {
        labels["tier"] = json!(pick(rng, &["web", "db"]));
    }
    if rng.random_bool(0.4) {
        labels["team"] = json!(pick(rng, &["a", "b"]));
    }
    let suffix = pick(rng, &["ok", "web", "x"]);
    let mut spec = json!({"containers": containers});
    if rng.random_bool(0.35) {
        features.push("initContainers");
        spec["initContainers"] = json!([container(rng, "init".into(), features)]);
    }
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": format!("gen-{i}-{suffix}"), "labels": labels}, "spec": spec})
}

/// The containers an expression looks at: `containers` only (the common mistake), or
/// with `initContainers`, directly or through a variable.
fn containers_expr(rng: &mut StdRng, features: &mut Vec<&'static str>) -> (String, bool) {
    match rng.random_range(0..4) {
        0 => ("object.spec.containers".into(), false),
        1 => (
            "(object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : []))"
                .into(),
            false,
        ),
        2 => {
            features.push("optional types");
            (
                "(object.spec.containers + object.spec.?initContainers.orValue([]))".into(),
                false,
            )
        }
        _ => {
            features.push("variables");
            ("variables.all".into(), true)
        }
    }
}

/// One validation: `(expression, needs the `all` variable)`.
fn validation(rng: &mut StdRng, ns: &str, features: &mut Vec<&'static str>) -> (String, bool) {
    let (list, var) = containers_expr(rng, features);
    let registry = REGISTRY.replace('.', "\\\\.");
    let expression = match rng.random_range(0..14) {
        13 => {
            features.push("all");
            features.push("list of lists");
            format!(
                "[object.spec.containers, object.spec.?initContainers.orValue([])]\
                 .all(l, l.all(c, c.image.startsWith('{REGISTRY}/')))"
            )
        }
        0 | 1 => {
            features.push("all");
            features.push("startsWith");
            format!("{list}.all(c, c.image.startsWith('{REGISTRY}/'))")
        }
        2 => {
            features.push("exists");
            features.push("startsWith");
            format!("!{list}.exists(c, !c.image.startsWith('{REGISTRY}/'))")
        }
        3 => {
            features.push("all");
            features.push("matches");
            format!("{list}.all(c, c.image.matches('^{registry}/'))")
        }
        4 => {
            features.push("all");
            features.push("split");
            format!("{list}.all(c, c.image.split('/')[0] == '{REGISTRY}')")
        }
        5 => {
            features.push("all");
            features.push("digest rule");
            format!("{list}.all(c, c.image.contains('@sha256:'))")
        }
        6 => {
            features.push("all");
            features.push("ports rule");
            format!("{list}.all(c, !has(c.ports) || c.ports.all(p, p.containerPort < 1024))")
        }
        7 => {
            features.push("labels");
            match rng.random_range(0..5) {
                0 => "has(object.metadata.labels.team)".to_string(),
                3 => {
                    features.push("optional types");
                    "object.metadata.?labels.?tier.orValue('web') == 'web'".to_string()
                }
                4 => {
                    features.push("optional types");
                    "object.metadata.labels[?'team'].hasValue() || object.spec.containers[?1].hasValue()"
                        .to_string()
                }
                1 => "'tier' in object.metadata.labels && object.metadata.labels.tier == 'web'"
                    .to_string(),
                // Fails to evaluate without the label: the failure policy decides.
                _ => {
                    features.push("evaluation error");
                    "object.metadata.labels.tier == 'web'".to_string()
                }
            }
        }
        8 => {
            features.push("namespace");
            match rng.random_range(0..3) {
                0 => format!("object.metadata.namespace == '{ns}'"),
                1 => "namespaceObject.metadata.labels['vaptest-env'] == 'prod'".to_string(),
                _ => "request.namespace == object.metadata.namespace && request.operation == 'CREATE'"
                    .to_string(),
            }
        }
        9 => {
            features.push("name");
            "object.metadata.name.endsWith('-ok')".to_string()
        }
        10 => {
            features.push("exists");
            format!("{list}.exists(c, c.name == 'init')")
        }
        11 => {
            features.push("size");
            format!("size({list}) <= 2")
        }
        _ => {
            // Fails to evaluate with one container: `index out of bounds: 1`.
            features.push("evaluation error");
            "object.spec.containers[1].name == 'c1'".to_string()
        }
    };
    (expression, var)
}

fn confined(ns: &str, extra: Option<Value>) -> Value {
    let mut expressions = vec![
        json!({"key": "kubernetes.io/metadata.name", "operator": "In",
        "values": [ns]}),
    ];
    let mut selector = json!({});
    if let Some(extra) = extra {
        if let Some(e) = extra.get("matchExpressions").and_then(Value::as_array) {
            expressions.extend(e.iter().cloned());
        }
        if let Some(l) = extra.get("matchLabels") {
            selector["matchLabels"] = l.clone();
        }
    }
    selector["matchExpressions"] = json!(expressions);
    selector
}

fn pod_rules(rng: &mut StdRng, features: &mut Vec<&'static str>) -> Value {
    match rng.random_range(0..12) {
        0 => {
            features.push("other resource");
            json!({"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
                "operations": ["CREATE"], "resources": ["deployments"]}]})
        }
        1 => {
            features.push("other operation");
            json!({"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                "operations": ["UPDATE", "DELETE"], "resources": ["pods"]}]})
        }
        2 => {
            features.push("excludeResourceRules");
            json!({"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"],
                "operations": ["*"], "resources": ["*"]}],
                "excludeResourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                "operations": ["CREATE"], "resources": ["pods"]}]})
        }
        3 => {
            features.push("wildcard rule");
            json!({"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"],
                "operations": ["*"], "resources": ["pods", "configmaps"]}]})
        }
        4 => {
            features.push("resourceNames");
            json!({"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                "operations": ["CREATE"], "resources": ["pods"],
                "resourceNames": ["nobody", "gen-0-ok"]}]})
        }
        _ => json!({"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
            "operations": ["CREATE", "UPDATE"], "resources": ["pods"]}]}),
    }
}

fn case(i: usize, rng: &mut StdRng, run: &str, ns: &str) -> Case {
    let mut features = Vec::new();
    let configmap = rng.random_bool(0.08);
    let object = if configmap {
        features.push("configmap");
        let mut data = json!({"mode": pick(rng, &["dev", "prod"])});
        if rng.random_bool(0.5) {
            data["owner"] = json!("team-a");
        }
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": format!("gen-{i}-cm"), "labels": {"vaptest-case": i.to_string()}},
            "data": data})
    } else {
        pod(i, rng, &mut features)
    };
    let name = object["metadata"]["name"].as_str().unwrap().to_string();
    let request = if configmap {
        RequestInfo {
            resource: "configmaps".into(),
            kind: "ConfigMap".into(),
            dry_run: true,
            ..RequestInfo::pod(&name, ns)
        }
    } else {
        RequestInfo {
            dry_run: true,
            ..RequestInfo::pod(&name, ns)
        }
    };
    let mut pairs = Vec::new();
    let policies = if rng.random_bool(0.15) { 2 } else { 1 };
    for p in 0..policies {
        let policy_name = format!("kubelab-vaptest-{run}-{i}-{p}");
        let mut spec = json!({});
        let mut needs_all = false;
        let mut validations = Vec::new();
        if configmap {
            spec["matchConstraints"] = json!({"resourceRules": [{"apiGroups": [""],
                "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["configmaps"]}]});
            let e = pick(
                rng,
                &[
                    "object.data.mode == 'dev'",
                    "has(object.data.owner)",
                    "object.data.owner.startsWith('team-')",
                ],
            );
            validations.push(json!({"expression": e}));
        } else {
            spec["matchConstraints"] = pod_rules(rng, &mut features);
            for _ in 0..rng.random_range(1..=2) {
                let (expression, var) = validation(rng, ns, &mut features);
                needs_all |= var;
                validations.push(json!({"expression": expression}));
            }
        }
        for v in validations.iter_mut() {
            match rng.random_range(0..5) {
                0 => {}
                1 | 2 => {
                    v["message"] = json!(pick(
                        rng,
                        &[
                            "images must come from the lab registry",
                            "not allowed",
                            "  padded message  "
                        ]
                    ))
                }
                3 => {
                    features.push("messageExpression");
                    v["messageExpression"] = json!(pick(
                        rng,
                        &[
                            "'object ' + object.metadata.name + ' is refused'",
                            "'in ' + request.namespace + ': ' + string(size(object.metadata.labels)) + ' labels'",
                            "''",
                            "string(object.metadata.labels.nolabel)",
                        ]
                    ));
                    if rng.random_bool(0.5) {
                        v["message"] = json!("fallback message");
                    }
                }
                _ => {
                    v["message"] = json!("refused");
                    v["reason"] = json!(pick(rng, &["Forbidden", "Invalid"]));
                }
            }
        }
        spec["validations"] = json!(validations);
        if needs_all {
            spec["variables"] = json!([{"name": "all", "expression":
                "object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])"}]);
        }
        if rng.random_bool(0.3) {
            features.push("matchConditions");
            let conditions = match rng.random_range(0..4) {
                0 => {
                    json!([{"name": "has-tier", "expression": "'tier' in object.metadata.labels"}])
                }
                1 => {
                    json!([{"name": "not-db", "expression": "!('tier' in object.metadata.labels) || object.metadata.labels.tier != 'db'"},
                            {"name": "named", "expression": "object.metadata.name.startsWith('gen-')"}])
                }
                2 => {
                    features.push("matchCondition error");
                    json!([{"name": "team", "expression": "object.metadata.labels.team == 'a'"}])
                }
                _ => json!([{"name": "always", "expression": "true"}]),
            };
            spec["matchConditions"] = conditions;
        }
        if rng.random_bool(0.25) {
            features.push("failurePolicy Ignore");
            spec["failurePolicy"] = json!("Ignore");
        }
        let policy = json!({"apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": policy_name, "labels": {"kubelab-vaptest": run}},
            "spec": spec});
        let bindings = if rng.random_bool(0.15) { 2 } else { 1 };
        for b in 0..bindings {
            let actions: Vec<&str> = match rng.random_range(0..10) {
                0 => {
                    features.push("Warn only");
                    vec!["Warn"]
                }
                1 => {
                    features.push("Audit only");
                    vec!["Audit"]
                }
                2 => {
                    features.push("Warn and Audit");
                    vec!["Warn", "Audit"]
                }
                3 => vec!["Deny", "Audit"],
                _ => vec!["Deny"],
            };
            let object_extra = if rng.random_bool(0.3) {
                features.push("objectSelector");
                Some(match rng.random_range(0..3) {
                    0 => {
                        json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]})
                    }
                    1 => {
                        json!({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]})
                    }
                    _ => json!({"matchExpressions": [{"key": "team", "operator": "Exists"}]}),
                })
            } else {
                None
            };
            let mut object_selector = json!({"matchLabels": {"vaptest-case": i.to_string()}});
            if let Some(extra) = object_extra {
                object_selector["matchExpressions"] = extra["matchExpressions"].clone();
            }
            let ns_extra = if rng.random_bool(0.2) {
                features.push("namespaceSelector");
                Some(json!({"matchLabels": {"vaptest-env": pick(rng, &["lab", "prod"])}}))
            } else {
                None
            };
            let binding = json!({"apiVersion": "admissionregistration.k8s.io/v1",
                "kind": "ValidatingAdmissionPolicyBinding",
                "metadata": {"name": format!("{policy_name}-b{b}"), "labels": {"kubelab-vaptest": run}},
                "spec": {"policyName": policy_name, "validationActions": actions,
                    "matchResources": {"namespaceSelector": confined(ns, ns_extra),
                        "objectSelector": object_selector}}});
            pairs.push((policy.clone(), binding));
        }
    }
    Case {
        pairs,
        object,
        request,
        features,
    }
}

fn resource(kind: &str) -> ApiResource {
    let gvk = GroupVersionKind::gvk("admissionregistration.k8s.io", "v1", kind);
    let plural = match kind {
        "ValidatingAdmissionPolicy" => "validatingadmissionpolicies",
        _ => "validatingadmissionpolicybindings",
    };
    ApiResource::from_gvk_with_plural(&gvk, plural)
}

/// Dry-runs `object` in `ns`: `Ok(())` when admitted, the refusal's message otherwise.
async fn dry_run(client: &kube::Client, ns: &str, object: &Value) -> Result<(), String> {
    let kind = object["kind"].as_str().unwrap();
    let ar = match kind {
        "Pod" => ApiResource::erase::<k8s_openapi::api::core::v1::Pod>(&()),
        _ => ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&()),
    };
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &ar);
    let dynamic: DynamicObject = serde_json::from_value(object.clone()).unwrap();
    let params = PostParams {
        dry_run: true,
        ..Default::default()
    };
    match api.create(&params, &dynamic).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if matches!(status.code, 400 | 403 | 422) => {
            Err(status.message)
        }
        Err(e) => panic!("dry run of {}: {e}", object["metadata"]["name"]),
    }
}

/// The generator's seed: `KUBELAB_VAP_SEED`, else a fixed one (a run is reproducible).
fn seed() -> u64 {
    std::env::var("KUBELAB_VAP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261206)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vap_model_agrees_with_server_side_dry_run() {
    common::require_cluster();
    let client = connect(&ConnectOptions {
        kubeconfig: Some(common::admin_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting to the test cluster with the admin kubeconfig")
    .client;
    let run: String = {
        let mut r = rand::rng();
        (0..6)
            .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[r.random_range(0..36)]))
            .collect()
    };
    let ns = format!("kubelab-vaptest-{run}");
    let cleanup = Cleanup {
        run: run.clone(),
        namespace: ns.clone(),
    };
    common::kubectl(&["create", "namespace", &ns]);
    common::kubectl(&[
        "label",
        "namespace",
        &ns,
        "app.kubernetes.io/managed-by=kubelab",
        "vaptest-env=lab",
    ]);
    // The ServiceAccount admission plugin refuses pods until `default` exists.
    let deadline = Instant::now() + Duration::from_secs(60);
    while common::kubectl(&["get", "serviceaccounts", "-n", &ns, "-o", "name"])
        .trim()
        .is_empty()
    {
        assert!(
            Instant::now() < deadline,
            "no default ServiceAccount in {ns}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let namespace_object: Value =
        serde_json::from_str(&common::kubectl(&["get", "namespace", &ns, "-o", "json"])).unwrap();

    let seed = seed();
    println!("seed {seed} (KUBELAB_VAP_SEED replays another)");
    let mut rng = StdRng::seed_from_u64(seed);
    let cases: Vec<Case> = (0..CASES).map(|i| case(i, &mut rng, &run, &ns)).collect();

    let policies: Api<DynamicObject> =
        Api::all_with(client.clone(), &resource("ValidatingAdmissionPolicy"));
    let bindings: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &resource("ValidatingAdmissionPolicyBinding"),
    );
    let create = |api: &Api<DynamicObject>, value: &Value| {
        let api = api.clone();
        let dynamic: DynamicObject = serde_json::from_value(value.clone()).unwrap();
        async move {
            if let Err(e) = api.create(&PostParams::default(), &dynamic).await {
                panic!(
                    "creating {}: {e}",
                    dynamic.metadata.name.unwrap_or_default()
                );
            }
        }
    };
    // Policies first, then bindings, then the marker (policy, then binding) last.
    let mut created = std::collections::BTreeSet::new();
    for case in &cases {
        for (policy, _) in &case.pairs {
            if created.insert(policy["metadata"]["name"].to_string()) {
                create(&policies, policy).await;
            }
        }
    }
    for case in &cases {
        for (_, binding) in &case.pairs {
            create(&bindings, binding).await;
        }
    }
    let marker_name = format!("kubelab-vaptest-{run}-marker");
    create(
        &policies,
        &json!({"apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicy",
            "metadata": {"name": marker_name, "labels": {"kubelab-vaptest": run}},
            "spec": {"matchConstraints": {"resourceRules": [{"apiGroups": [""],
                "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}]},
                "validations": [{"expression": "false", "message": "marker"}]}}),
    )
    .await;
    create(
        &bindings,
        &json!({"apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingAdmissionPolicyBinding",
            "metadata": {"name": marker_name, "labels": {"kubelab-vaptest": run}},
            "spec": {"policyName": marker_name, "validationActions": ["Deny"],
                "matchResources": {"namespaceSelector": confined(&ns, None),
                    "objectSelector": {"matchLabels": {"vaptest-marker": "yes"}}}}}),
    )
    .await;
    let marker_pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "marker", "labels": {"vaptest-marker": "yes"}},
        "spec": {"containers": [{"name": "c", "image": "busybox:1.28"}]}});
    let started = Instant::now();
    loop {
        match dry_run(&client, &ns, &marker_pod).await {
            Err(message) if message.contains("denied request: marker") => break,
            other => {
                assert!(
                    started.elapsed() < Duration::from_secs(120),
                    "the marker policy never took effect: {other:?}"
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
    println!(
        "{} policies and bindings in effect after {:.1} s",
        cases.iter().map(|c| c.pairs.len()).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );

    let mut differences = Vec::new();
    let mut features = Features::default();
    let (mut refused, mut admitted, mut several) = (0, 0, 0);
    for case in &cases {
        let bound: Vec<Bound> = case
            .pairs
            .iter()
            .map(|(policy, binding)| Bound { policy, binding })
            .collect();
        let model = vap::admit(
            &bound,
            &case.object,
            &namespace_object,
            Operation::Create,
            &case.request,
        );
        let server = dry_run(&client, &ns, &case.object).await;
        let agree = match (&model, &server) {
            (Decision::Admitted { .. }, Ok(())) => true,
            (Decision::Refused { denials }, Err(message)) => {
                if denials.len() > 1 {
                    several += 1;
                }
                denials.iter().any(|d| d.message == *message)
            }
            _ => false,
        };
        match &server {
            Ok(()) => admitted += 1,
            Err(_) => refused += 1,
        }
        let mut seen = case.features.clone();
        seen.sort();
        seen.dedup();
        for f in seen {
            features.add(f);
        }
        if !agree {
            differences.push(format!(
                "DIFFERENCE {}:\n  server: {server:?}\n  model:  {model:?}\n  policies: {}\n  object: {}",
                case.object["metadata"]["name"],
                case.pairs
                    .iter()
                    .map(|(p, b)| format!("{}\n    {}", p["spec"], b["spec"]))
                    .collect::<Vec<_>>()
                    .join("\n  "),
                case.object
            ));
        }
    }
    println!(
        "{} cases compared with server-side dry run: {refused} refused, {admitted} admitted, \
         {several} refused by several bindings, {} differences",
        cases.len(),
        differences.len()
    );
    for (name, n) in &features.0 {
        println!("  {name}: {n}");
    }
    for d in &differences {
        println!("{d}");
    }
    // Everything the run created goes before the assertions (the guard also deletes it
    // on an earlier panic).
    drop(cleanup);
    assert!(differences.is_empty(), "{} differences", differences.len());
    assert!(
        refused >= 50 && admitted >= 50,
        "{refused} refused, {admitted} admitted"
    );
    for name in [
        "initContainers",
        "digest",
        "ports",
        "look-alike registry",
        "all",
        "exists",
        "startsWith",
        "matches",
        "split",
        "matchConditions",
        "variables",
        "messageExpression",
        "Warn only",
        "Audit only",
        "objectSelector",
        "namespaceSelector",
        "other resource",
        "other operation",
        "configmap",
        "evaluation error",
        "failurePolicy Ignore",
        "optional types",
        "list of lists",
    ] {
        let n = features.0.get(name).copied().unwrap_or(0);
        assert!(
            n >= 5,
            "only {n} cases with {name}: the generator lost its variety"
        );
    }
}

/// The generator without the cluster: the model decides every case (none is
/// `Unsupported`), and both outcomes are common.
#[test]
fn the_model_decides_every_generated_case() {
    let mut rng = StdRng::seed_from_u64(seed());
    let ns = "kubelab-vaptest-offline";
    let namespace = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns,
        "labels": {"kubernetes.io/metadata.name": ns, "vaptest-env": "lab"}}});
    let (mut refused, mut admitted) = (0, 0);
    for i in 0..CASES {
        let case = case(i, &mut rng, "offline", ns);
        let bound: Vec<Bound> = case
            .pairs
            .iter()
            .map(|(policy, binding)| Bound { policy, binding })
            .collect();
        match vap::admit(
            &bound,
            &case.object,
            &namespace,
            Operation::Create,
            &case.request,
        ) {
            Decision::Admitted { .. } => admitted += 1,
            Decision::Refused { .. } => refused += 1,
            Decision::Unsupported { reason } => panic!(
                "case {i} unsupported: {reason}\n{:#?}",
                case.pairs
                    .iter()
                    .map(|(p, _)| &p["spec"])
                    .collect::<Vec<_>>()
            ),
        }
    }
    println!("offline: {refused} refused, {admitted} admitted");
    assert!(
        refused >= 50 && admitted >= 50,
        "{refused} refused, {admitted} admitted"
    );
}
