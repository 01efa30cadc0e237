//! The admission model against the API server itself: a generated set of pod,
//! ServiceAccount and Secret combinations is sent through server-side dry run in a
//! sandbox namespace (Pod Security `baseline`, the sandbox's LimitRange and
//! ResourceQuota, real ServiceAccounts), and the offline model's answer is compared with
//! the server's: accepted or refused, the pod's pull secrets after the ServiceAccount
//! plugin, and every container's requests and limits after defaulting and LimitRanger
//! (cpu, memory and ephemeral-storage), and LimitRanger's words when it refuses a pod
//! for one reason.
//! Zero differences allowed. Needs the test cluster (`tests/cluster/up`); fails loudly
//! without it.

use k8s_openapi::api::core::v1::{Pod, Secret, ServiceAccount};
use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use kubelab::check::World;
use kubelab::check::admission;
use kubelab::cluster::{ConnectOptions, Sandbox, connect};
use kubelab::manifest::{self, Object};
use kubelab::policy::{self, quantity};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::BTreeMap;

mod common;

/// What an API server (or the model) made of a pod.
#[derive(Debug, PartialEq)]
enum Admission {
    Refused,
    /// Pull secret names, and per container `(requests, limits)` in nano-units.
    Accepted(Vec<String>, Vec<Resources>),
}

type Resources = (BTreeMap<String, i128>, BTreeMap<String, i128>);

fn quantities(section: Option<&Value>) -> BTreeMap<String, i128> {
    section
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), quantity::parse(&text).unwrap_or(i128::MIN))
        })
        .collect()
}

fn resources_of(spec: &Value) -> Vec<Resources> {
    ["initContainers", "containers"]
        .iter()
        .flat_map(|list| {
            spec.get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .map(|c| {
            let r = c.get("resources");
            (
                quantities(r.and_then(|r| r.get("requests"))),
                quantities(r.and_then(|r| r.get("limits"))),
            )
        })
        .collect()
}

/// The accounts the namespace really holds (the model applies the same objects).
fn accounts() -> Vec<Value> {
    vec![
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"},
               "imagePullSecrets": [{"name": "from-default"}]}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa-none"}}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa-one"},
               "imagePullSecrets": [{"name": "from-one"}]}),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa-two"},
               "imagePullSecrets": [{"name": "from-two-a"}, {"name": "from-two-b"}]}),
    ]
}

/// One generated pod: every dimension drawn independently.
fn pod(i: usize, rng: &mut StdRng) -> Value {
    let mut spec = json!({"containers": [{"name": "c", "image": "busybox:1.28",
        "command": ["sleep", "3600"]}]});
    match rng.random_range(0..8) {
        0 => {}
        1 => spec["serviceAccountName"] = json!(""),
        2 => spec["serviceAccountName"] = json!("default"),
        3 => spec["serviceAccountName"] = json!("sa-none"),
        4 => spec["serviceAccountName"] = json!("sa-one"),
        5 => spec["serviceAccountName"] = json!("sa-two"),
        6 => spec["serviceAccountName"] = json!("sa-missing"),
        _ => spec["serviceAccount"] = json!(["sa-one", "sa-missing"][rng.random_range(0..2)]),
    }
    match rng.random_range(0..4) {
        0 => {}
        1 => spec["imagePullSecrets"] = json!([]),
        2 => spec["imagePullSecrets"] = json!([{"name": "own"}]),
        _ => spec["imagePullSecrets"] = json!([{"name": "own-a"}, {"name": "own-b"}]),
    }
    let container = &mut spec["containers"][0];
    // Each of the next dimensions changes a pod a third of the time, so that accepted
    // pods (whose pull secrets and resources are compared) stay common.
    match if rng.random_bool(0.35) {
        rng.random_range(0..10)
    } else {
        10
    } {
        0 => container["securityContext"] = json!({"privileged": true}),
        1 => container["securityContext"] = json!({"capabilities": {"add": ["SYS_ADMIN"]}}),
        2 => {
            container["securityContext"] =
                json!({"capabilities": {"add": ["NET_BIND_SERVICE", "CHOWN"]}})
        }
        3 => container["securityContext"] = json!({"capabilities": {"add": ["CAP_NET_RAW"]}}),
        4 => container["ports"] = json!([{"containerPort": 80, "hostPort": 8080}]),
        5 => container["securityContext"] = json!({"seccompProfile": {"type": "Unconfined"}}),
        6 => {
            container["securityContext"] =
                json!({"runAsNonRoot": false, "allowPrivilegeEscalation": true})
        }
        7 => spec["hostNetwork"] = json!(rng.random_bool(0.5)),
        8 => {
            spec["volumes"] = json!([{"name": "h", "hostPath": {"path": "/etc"}}]);
        }
        9 => {
            let name = ["kernel.msgmax", "net.ipv4.tcp_syncookies"][rng.random_range(0..2)];
            spec["securityContext"] = json!({"sysctls": [{"name": name, "value": "1"}]});
        }
        _ => {}
    }
    let container = &mut spec["containers"][0];
    match if rng.random_bool(0.5) {
        rng.random_range(0..7)
    } else {
        7
    } {
        0 => container["resources"] = json!({"limits": {"cpu": "2"}}),
        1 => container["resources"] = json!({"limits": {"cpu": "200m"}}),
        2 => container["resources"] = json!({"requests": {"cpu": "800m"}}),
        3 => container["resources"] = json!({"requests": {"memory": "1Gi"}}),
        4 => {
            container["resources"] =
                json!({"limits": {"memory": "100Mi"}, "requests": {"memory": "50Mi"}})
        }
        5 => container["resources"] = json!({"limits": {"cpu": 1, "memory": "512Mi"}}),
        6 => container["resources"] = json!({"requests": {"cpu": "0.5"}, "limits": {"cpu": "1.5"}}),
        _ => {}
    }
    // Ephemeral storage (issue 22): within, at and above the sandbox's maximum (1Gi),
    // a request alone above the default limit (256Mi), a request above its own limit,
    // fractions of a byte; added to whatever the dimension above set.
    let storage = [
        ("limits", "2Gi"),
        ("limits", "1Gi"),
        ("limits", "1073741825"),
        ("limits", "1073741824.5"),
        ("requests", "512Mi"),
        ("requests", "64Mi"),
        ("requests", "256Mi"),
        ("limits", "100Mi"),
    ];
    if rng.random_bool(0.4) {
        let (section, value) = storage[rng.random_range(0..storage.len())];
        let container = &mut spec["containers"][0];
        if !container["resources"].is_object() {
            container["resources"] = json!({});
        }
        if !container["resources"][section].is_object() {
            container["resources"][section] = json!({});
        }
        container["resources"][section]["ephemeral-storage"] = json!(value);
        // Now and then the other side too: a request above its own limit, or both set.
        if rng.random_bool(0.3) {
            let other = if section == "limits" {
                "requests"
            } else {
                "limits"
            };
            if !container["resources"][other].is_object() {
                container["resources"][other] = json!({});
            }
            container["resources"][other]["ephemeral-storage"] =
                json!(["128Mi", "768Mi"][rng.random_range(0..2)]);
        }
    }
    if rng.random_bool(0.15) {
        // An emptyDir bounded by its own sizeLimit: not LimitRanger's business.
        spec["volumes"] = json!([{"name": "scratch", "emptyDir": {"sizeLimit": "64Mi"}}]);
        spec["containers"][0]["volumeMounts"] =
            json!([{"name": "scratch", "mountPath": "/scratch"}]);
    }
    if rng.random_bool(0.25) {
        let memory = ["64Mi", "1Gi"][rng.random_range(0..2)];
        spec["initContainers"] = json!([{"name": "init", "image": "busybox:1.28",
            "command": ["true"], "resources": {"limits": {"memory": memory}}}]);
        if rng.random_bool(0.3) {
            let storage = ["32Mi", "4Gi"][rng.random_range(0..2)];
            spec["initContainers"][0]["resources"]["limits"]["ephemeral-storage"] = json!(storage);
        }
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": format!("gen-{i}")}, "spec": spec})
}

/// One generated Secret: docker types with valid, invalid or missing keys, or Opaque.
fn secret(i: usize, rng: &mut StdRng) -> Value {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let (kind, data) = match rng.random_range(0..6) {
        0 => (
            "kubernetes.io/dockerconfigjson",
            json!({".dockerconfigjson": b64(r#"{"auths":{}}"#)}),
        ),
        1 => (
            "kubernetes.io/dockerconfigjson",
            json!({".dockerconfigjson": b64("{not json")}),
        ),
        2 => ("kubernetes.io/dockerconfigjson", json!({"other": b64("x")})),
        3 => (
            "kubernetes.io/dockercfg",
            json!({".dockercfg": b64(r#"{"r":{}}"#)}),
        ),
        4 => (
            "kubernetes.io/dockercfg",
            json!({".dockerconfigjson": b64("{}")}),
        ),
        _ => ("Opaque", json!({"k": b64("v")})),
    };
    json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": format!("gen-secret-{i}")},
           "type": kind, "data": data})
}

fn object(value: &Value) -> Object {
    manifest::load_text("generated.json", &value.to_string())
        .unwrap()
        .remove(0)
}

/// The model's words for a pod LimitRanger refuses with exactly one error (with more,
/// the plugin's order follows a Go map's and is not compared).
fn limit_range_message(pod: &Object) -> Option<String> {
    let spec = pod.value.get("spec")?;
    let Err((_, refusal)) = policy::limits::admit_pod(spec, &manifest::FieldPath::parse("spec"))
    else {
        return None;
    };
    match &refusal {
        policy::limits::Refusal::Forbidden(errors) if errors.len() == 1 => {
            Some(refusal.message(&pod.name).render(kubelab::lab::Lang::En))
        }
        _ => None,
    }
}

/// The model: kubelab's refusal (Pod Security), then admission in the world.
fn model(pod: &Object, world: &World<'_>) -> Admission {
    if policy::refusal(pod, Default::default()).is_some() {
        return Admission::Refused;
    }
    match admission::admit(pod, world) {
        Err(_) => Admission::Refused,
        Ok(admitted) => {
            let names = admitted
                .pull_secrets
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.name)
                .collect();
            let spec = pod.value.get("spec").cloned().unwrap_or_default();
            let resources = policy::limits::admit_pod(&spec, &manifest::FieldPath::parse("spec"))
                .map(|r| {
                    r.iter()
                        .map(|(req, lim)| {
                            (
                                quantities(Some(&Value::Object(req.clone()))),
                                quantities(Some(&Value::Object(lim.clone()))),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Admission::Accepted(names, resources)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admission_model_agrees_with_server_side_dry_run() {
    let client = connect(&ConnectOptions {
        kubeconfig: Some(common::rbac_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting to the test cluster as the kubelab ServiceAccount")
    .client;
    let sandbox = Sandbox::create(&client, "admission-model")
        .await
        .expect("a sandbox namespace");
    let result = run(&sandbox).await;
    sandbox
        .delete(std::time::Duration::from_secs(60))
        .await
        .expect("deleting the sandbox");
    let (compared, differences) = result;
    println!(
        "{compared} pods and secrets compared with server-side dry run: {} differences",
        differences.len()
    );
    for d in &differences {
        println!("DIFFERENCE: {d}");
    }
    assert!(compared >= 200, "only {compared} combinations compared");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

async fn run(sandbox: &Sandbox) -> (usize, Vec<String>) {
    let ns = &sandbox.namespace;
    let sas: Api<ServiceAccount> = Api::namespaced(sandbox.client.clone(), ns);
    let account_values = accounts();
    for value in &account_values {
        let sa: ServiceAccount = serde_json::from_value(value.clone()).unwrap();
        let name = sa.metadata.name.clone().unwrap();
        if name == "default" {
            sas.replace(
                "default",
                &PostParams::default(),
                &ServiceAccount {
                    metadata: sas.get("default").await.unwrap().metadata,
                    ..sa
                },
            )
            .await
            .expect("giving the default ServiceAccount pull secrets");
        } else {
            sas.create(&PostParams::default(), &sa)
                .await
                .expect("creating a ServiceAccount");
        }
    }
    let account_objects: Vec<Object> = account_values.iter().map(object).collect();
    let params = BTreeMap::new();
    let mut world = World::new(&params, ns);
    for account in &account_objects {
        world.apply(account);
    }

    let pods_api: Api<DynamicObject> =
        Api::namespaced_with(sandbox.client.clone(), ns, &ApiResource::erase::<Pod>(&()));
    let secrets_api: Api<DynamicObject> = Api::namespaced_with(
        sandbox.client.clone(),
        ns,
        &ApiResource::erase::<Secret>(&()),
    );
    let dry_run = PostParams {
        dry_run: true,
        ..Default::default()
    };
    let mut rng = StdRng::seed_from_u64(20261130);
    let mut differences = Vec::new();
    let mut compared = 0;
    // How the server answered, so that a run that only ever refuses (or accepts) fails.
    let (mut refused, mut copied, mut own) = (0, 0, 0);
    // Pods that set ephemeral storage, and LimitRanger refusals whose words were compared.
    let (mut with_storage, mut limit_messages) = (0, 0);
    for i in 0..300 {
        let value = pod(i, &mut rng);
        let pod_object = object(&value);
        let expected = model(&pod_object, &world);
        let dynamic: DynamicObject = serde_json::from_value(value.clone()).unwrap();
        let server = match pods_api.create(&dry_run, &dynamic).await {
            Ok(created) => {
                let spec = created.data.get("spec").cloned().unwrap_or_default();
                let names = spec
                    .get("imagePullSecrets")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_string))
                    .collect();
                Admission::Accepted(names, resources_of(&spec))
            }
            Err(kube::Error::Api(status)) if matches!(status.code, 403 | 422 | 400) => {
                if status.message.contains("usage per Container")
                    && let Some(words) = limit_range_message(&pod_object)
                {
                    limit_messages += 1;
                    if status.message != words {
                        differences.push(format!(
                            "pod {}: the server says {:?}, the model {words:?}",
                            value["spec"], status.message
                        ));
                    }
                }
                Admission::Refused
            }
            Err(e) => panic!("dry run of gen-{i}: {e}"),
        };
        compared += 1;
        if resources_of(&value["spec"]).iter().any(|(r, l)| {
            r.contains_key("ephemeral-storage") || l.contains_key("ephemeral-storage")
        }) {
            with_storage += 1;
        }
        match &server {
            Admission::Refused => refused += 1,
            Admission::Accepted(names, _) if names.iter().any(|n| n.starts_with("from-")) => {
                copied += 1
            }
            Admission::Accepted(names, _) if names.iter().any(|n| n.starts_with("own")) => own += 1,
            Admission::Accepted(..) => {}
        }
        if server != expected {
            differences.push(format!(
                "pod {}: server {server:?}, model {expected:?}",
                value["spec"]
            ));
        }
    }
    println!(
        "pods: {refused} refused, {copied} got their account's pull secrets, {own} kept their own"
    );
    println!(
        "pods: {with_storage} set ephemeral-storage, {limit_messages} LimitRanger refusals compared word for word"
    );
    for (what, n) in [
        ("refused", refused),
        ("copied", copied),
        ("own", own),
        ("with ephemeral-storage", with_storage),
        (
            "refused by LimitRanger, compared word for word",
            limit_messages,
        ),
    ] {
        assert!(
            n >= 10,
            "only {n} pods {what}: the generator lost its variety"
        );
    }
    for i in 0..40 {
        let value = secret(i, &mut rng);
        let secret_object = object(&value);
        let expected = admission::rejection(&secret_object).is_none();
        let dynamic: DynamicObject = serde_json::from_value(value.clone()).unwrap();
        let accepted = match secrets_api.create(&dry_run, &dynamic).await {
            Ok(_) => true,
            Err(kube::Error::Api(status)) if matches!(status.code, 403 | 422 | 400) => false,
            Err(e) => panic!("dry run of gen-secret-{i}: {e}"),
        };
        compared += 1;
        if accepted != expected {
            differences.push(format!(
                "secret {value}: server accepted={accepted}, model accepted={expected}"
            ));
        }
    }
    (compared, differences)
}
