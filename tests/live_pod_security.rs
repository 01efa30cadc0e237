//! Pod Security admission's `baseline` and `restricted` levels, as
//! `kubelab::policy::pod_security` models them (k8s.io/pod-security-admission v0.34),
//! against the API server itself. Two sandbox namespaces enforce `baseline` and
//! `restricted` at `v1.34`; a seeded generator makes pods that exercise every check the
//! test cluster can admit a pod through (privileged, host namespaces, hostPath and the
//! other volume types, hostPorts, capabilities, allowPrivilegeEscalation, runAsNonRoot,
//! runAsUser, seccomp, sysctls, procMount, AppArmor, SELinux, probe hosts, init
//! containers), and each goes through server-side dry run in both namespaces. The model
//! must agree on every pod: admitted or refused, and on a refusal, the text after
//! `violates PodSecurity "<level>:v1.34": ` word for word.
//!
//! Not generated: `windowsOptions.hostProcess` (a Windows pod, which validation ties to
//! host networking and every container) and ephemeral containers (a pod cannot be
//! created with them); the unit tests of `pod_security` cover both.
//!
//! Needs the test cluster (`tests/cluster/up`); fails loudly without it.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use kubelab::cluster::{ConnectOptions, Sandbox, connect};
use kubelab::i18n::Lang;
use kubelab::policy::pod_security::{self, Level};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

mod common;

/// How many pods are generated (each is sent to both namespaces).
const PODS: usize = 320;

/// The generator's seed.
const SEED: u64 = 20261206;

/// What the API server (or the model) made of a pod.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Admitted,
    /// The `violates PodSecurity …` sentence.
    Refused(String),
}

/// The container lists a pod may have, and the names in them.
const INIT: &str = "init";
const CONTAINERS: [&str; 2] = ["app", "side"];

fn container(name: &str) -> Value {
    json!({"name": name, "image": "busybox:1.28", "command": ["sleep", "3600"]})
}

/// Every container of `spec` (init containers first), mutably.
fn containers_mut(spec: &mut Value) -> Vec<&mut Value> {
    let Some(map) = spec.as_object_mut() else {
        return Vec::new();
    };
    let mut lists: Vec<(bool, &mut Vec<Value>)> = map
        .iter_mut()
        .filter_map(|(key, list)| match key.as_str() {
            "initContainers" => Some((false, list.as_array_mut()?)),
            "containers" => Some((true, list.as_array_mut()?)),
            _ => None,
        })
        .collect();
    lists.sort_by_key(|(regular, _)| *regular);
    lists
        .into_iter()
        .flat_map(|(_, list)| list.iter_mut())
        .collect()
}

fn context(c: &mut Value) -> &mut Map<String, Value> {
    if !c.get("securityContext").is_some_and(Value::is_object) {
        c["securityContext"] = json!({});
    }
    c["securityContext"].as_object_mut().unwrap()
}

fn pod_context(spec: &mut Value) -> &mut Map<String, Value> {
    context(spec)
}

/// A random container of `spec` (init or regular).
fn any_container<'s>(spec: &'s mut Value, rng: &mut StdRng) -> &'s mut Value {
    let mut all = containers_mut(spec);
    let i = rng.random_range(0..all.len());
    all.swap_remove(i)
}

/// A random regular container (probes and lifecycle hooks are not allowed on init
/// containers).
fn regular_container<'s>(spec: &'s mut Value, rng: &mut StdRng) -> &'s mut Value {
    let list = spec["containers"].as_array_mut().unwrap();
    let i = rng.random_range(0..list.len());
    &mut list[i]
}

fn seccomp(rng: &mut StdRng, valid_only: bool) -> Value {
    let choices: &[&str] = if valid_only {
        &["RuntimeDefault", "Localhost"]
    } else {
        &["RuntimeDefault", "Localhost", "Unconfined"]
    };
    match *choices.choose(rng).unwrap() {
        "Localhost" => json!({"type": "Localhost", "localhostProfile": "profiles/audit.json"}),
        t => json!({"type": t}),
    }
}

/// The restricted-level settings, each at pod or container level, all of them
/// (`full`) or each with an even chance.
fn secure(spec: &mut Value, rng: &mut StdRng, full: bool) {
    let maybe = |rng: &mut StdRng| full || rng.random_bool(0.5);
    if rng.random_bool(0.5) {
        if maybe(rng) {
            pod_context(spec).insert("runAsNonRoot".into(), json!(true));
        }
    } else {
        for c in containers_mut(spec) {
            if maybe(rng) {
                context(c).insert("runAsNonRoot".into(), json!(true));
            }
        }
    }
    if rng.random_bool(0.5) {
        if maybe(rng) {
            let profile = seccomp(rng, true);
            pod_context(spec).insert("seccompProfile".into(), profile);
        }
    } else {
        for c in containers_mut(spec) {
            if maybe(rng) {
                let profile = seccomp(rng, true);
                context(c).insert("seccompProfile".into(), profile);
            }
        }
    }
    for c in containers_mut(spec) {
        if maybe(rng) {
            context(c).insert("allowPrivilegeEscalation".into(), json!(false));
        }
        if maybe(rng) {
            let caps = if rng.random_bool(0.2) {
                json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})
            } else {
                json!({"drop": ["ALL"]})
            };
            context(c).insert("capabilities".into(), caps);
        }
    }
}

/// The volume sources the generator uses: allowed at `restricted` or not, valid for
/// the API server's validation.
fn volume(name: &str, rng: &mut StdRng) -> Value {
    let source = match rng.random_range(0..16) {
        0..=2 => json!({"hostPath": {"path": "/etc"}}),
        3 => json!({"nfs": {"server": "10.0.0.1", "path": "/exports"}}),
        4 => json!({"cephfs": {"monitors": ["10.0.0.1:6789"]}}),
        5 => json!({"flexVolume": {"driver": "example.com/flex"}}),
        6 => json!({"iscsi": {"targetPortal": "10.0.0.1:3260",
            "iqn": "iqn.2001-04.com.example:storage", "lun": 0}}),
        7 => json!({"rbd": {"monitors": ["10.0.0.1:6789"], "image": "img"}}),
        8 => json!({"emptyDir": {}}),
        9 => json!({"configMap": {"name": "cm"}}),
        10 => json!({"secret": {"secretName": "s"}}),
        11 => json!({"projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}),
        12 => json!({"downwardAPI": {"items": [{"path": "labels",
            "fieldRef": {"fieldPath": "metadata.labels"}}]}}),
        13 => json!({"persistentVolumeClaim": {"claimName": "claim"}}),
        14 => json!({"csi": {"driver": "csi.example.com"}}),
        _ => json!({"ephemeral": {"volumeClaimTemplate": {"spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}}),
    };
    let mut v = json!({"name": name});
    v.as_object_mut()
        .unwrap()
        .extend(source.as_object().unwrap().clone());
    v
}

const CAPABILITIES_ADD: [&str; 10] = [
    "NET_BIND_SERVICE",
    "CHOWN",
    "KILL",
    "SYS_ADMIN",
    "NET_RAW",
    "SYS_TIME",
    "CAP_NET_RAW",
    "CAP_NET_BIND_SERVICE",
    "net_bind_service",
    "ALL",
];

fn capabilities(rng: &mut StdRng) -> Value {
    let mut caps = Map::new();
    let drop = [
        json!(["ALL"]),
        json!(["all"]),
        json!(["CAP_ALL"]),
        json!(["NET_RAW"]),
        json!(["NET_RAW", "ALL"]),
        json!([]),
        Value::Null,
    ];
    let d = drop.choose(rng).unwrap().clone();
    if !d.is_null() {
        caps.insert("drop".into(), d);
    }
    if rng.random_bool(0.8) {
        let n = rng.random_range(1..=2);
        let add: Vec<&str> = CAPABILITIES_ADD.choose_multiple(rng, n).copied().collect();
        caps.insert("add".into(), json!(add));
    }
    Value::Object(caps)
}

/// The mutations; each exercises one check, with forbidden and allowed values.
const MUTATIONS: usize = 14;

fn mutate(which: usize, spec: &mut Value, annotations: &mut Map<String, Value>, rng: &mut StdRng) {
    match which {
        // privileged (true refuses, false does not)
        0 => {
            let c = any_container(spec, rng);
            let on = rng.random_bool(0.8);
            context(c).insert("privileged".into(), json!(on));
        }
        // host namespaces
        1 => {
            for key in ["hostNetwork", "hostPID", "hostIPC"] {
                if rng.random_bool(0.45) {
                    spec[key] = json!(rng.random_bool(0.85));
                }
            }
            if rng.random_bool(0.4) {
                // With hostNetwork, defaulting gives these ports a hostPort.
                let c = regular_container(spec, rng);
                c["ports"] = json!([{"containerPort": 8080}]);
            }
        }
        // volumes
        2 => {
            let n = rng.random_range(1..=2);
            let volumes: Vec<Value> = (0..n).map(|i| volume(&format!("v{i}"), rng)).collect();
            spec["volumes"] = json!(volumes);
        }
        // hostPorts
        3 => {
            let c = any_container(spec, rng);
            let host = [0, 8080, 9090][rng.random_range(0..3)];
            c["ports"] = if host == 0 {
                json!([{"containerPort": 8080}])
            } else {
                json!([{"containerPort": 8080, "hostPort": host}])
            };
        }
        // capabilities
        4 => {
            let c = any_container(spec, rng);
            let caps = capabilities(rng);
            context(c).insert("capabilities".into(), caps);
        }
        // allowPrivilegeEscalation, per container
        5 => {
            for c in containers_mut(spec) {
                match rng.random_range(0..3) {
                    0 => {
                        context(c).insert("allowPrivilegeEscalation".into(), json!(true));
                    }
                    1 => {
                        context(c).insert("allowPrivilegeEscalation".into(), json!(false));
                    }
                    _ => {
                        context(c).remove("allowPrivilegeEscalation");
                    }
                }
            }
        }
        // runAsNonRoot at pod and container level
        6 => {
            match rng.random_range(0..3) {
                0 => pod_context(spec).insert("runAsNonRoot".into(), json!(true)),
                1 => pod_context(spec).insert("runAsNonRoot".into(), json!(false)),
                _ => pod_context(spec).remove("runAsNonRoot"),
            };
            for c in containers_mut(spec) {
                match rng.random_range(0..4) {
                    0 => context(c).insert("runAsNonRoot".into(), json!(true)),
                    1 => context(c).insert("runAsNonRoot".into(), json!(false)),
                    2 => context(c).remove("runAsNonRoot"),
                    _ => None,
                };
            }
        }
        // runAsUser
        7 => {
            let user = if rng.random_bool(0.7) { 0 } else { 1000 };
            if rng.random_bool(0.5) {
                pod_context(spec).insert("runAsUser".into(), json!(user));
            } else {
                let c = any_container(spec, rng);
                context(c).insert("runAsUser".into(), json!(user));
            }
        }
        // seccompProfile at pod and container level
        8 => {
            match rng.random_range(0..3) {
                0 => {
                    let profile = seccomp(rng, false);
                    pod_context(spec).insert("seccompProfile".into(), profile);
                }
                1 => {
                    pod_context(spec).remove("seccompProfile");
                }
                _ => {}
            }
            for c in containers_mut(spec) {
                match rng.random_range(0..3) {
                    0 => {
                        let profile = seccomp(rng, false);
                        context(c).insert("seccompProfile".into(), profile);
                    }
                    1 => {
                        context(c).remove("seccompProfile");
                    }
                    _ => {}
                }
            }
        }
        // sysctls
        9 => {
            let names = [
                ("kernel.shm_rmid_forced", "1"),
                ("net.ipv4.tcp_syncookies", "1"),
                ("net.ipv4.ip_unprivileged_port_start", "0"),
                ("net.ipv4.tcp_keepalive_time", "600"),
                ("net.ipv4.tcp_rmem", "4096 87380 6291456"),
                ("kernel.msgmax", "65536"),
                ("net.core.somaxconn", "1024"),
                ("kernel.sem", "250 32000 100 128"),
            ];
            let n = rng.random_range(1..=3);
            let chosen: Vec<Value> = names
                .choose_multiple(rng, n)
                .map(|(name, value)| json!({"name": name, "value": value}))
                .collect();
            pod_context(spec).insert("sysctls".into(), json!(chosen));
        }
        // procMount (Unmasked needs a user namespace: hostUsers false)
        10 => {
            let c = any_container(spec, rng);
            if rng.random_bool(0.7) {
                context(c).insert("procMount".into(), json!("Unmasked"));
                spec["hostUsers"] = json!(false);
            } else {
                context(c).insert("procMount".into(), json!("Default"));
            }
        }
        // AppArmor: fields at pod or container level, or the deprecated annotations
        11 => {
            let profile = match rng.random_range(0..3) {
                0 => json!({"type": "Unconfined"}),
                1 => json!({"type": "RuntimeDefault"}),
                _ => json!({"type": "Localhost", "localhostProfile": "k8s-profile"}),
            };
            match rng.random_range(0..3) {
                0 => {
                    pod_context(spec).insert("appArmorProfile".into(), profile);
                }
                1 => {
                    let c = any_container(spec, rng);
                    context(c).insert("appArmorProfile".into(), profile);
                }
                _ => {
                    let c = any_container(spec, rng);
                    let name = c["name"].as_str().unwrap().to_string();
                    let value = ["unconfined", "runtime/default", "localhost/k8s-profile"]
                        .choose(rng)
                        .unwrap();
                    annotations.insert(
                        format!("container.apparmor.security.beta.kubernetes.io/{name}"),
                        json!(value),
                    );
                }
            }
        }
        // SELinux
        12 => {
            let mut options = Map::new();
            let t = [
                "spc_t",
                "container_t",
                "container_engine_t",
                "unconfined_t",
                "",
            ]
            .choose(rng)
            .unwrap();
            if !t.is_empty() {
                options.insert("type".into(), json!(t));
            }
            if rng.random_bool(0.3) {
                options.insert("user".into(), json!("system_u"));
            }
            if rng.random_bool(0.3) {
                options.insert("role".into(), json!("system_r"));
            }
            if rng.random_bool(0.3) {
                options.insert("level".into(), json!("s0:c123,c456"));
            }
            if rng.random_bool(0.4) {
                pod_context(spec).insert("seLinuxOptions".into(), Value::Object(options));
            } else {
                let c = any_container(spec, rng);
                context(c).insert("seLinuxOptions".into(), Value::Object(options));
            }
        }
        // probe and lifecycle hosts
        _ => {
            let c = regular_container(spec, rng);
            let host = ["10.0.0.1", "example.com", ""].choose(rng).unwrap();
            let mut action = if rng.random_bool(0.5) {
                json!({"tcpSocket": {"port": 8080}})
            } else {
                json!({"httpGet": {"port": 8080, "path": "/"}})
            };
            if !host.is_empty() {
                let (_, inner) = action.as_object_mut().unwrap().iter_mut().next().unwrap();
                inner["host"] = json!(host);
            }
            match rng.random_range(0..4) {
                0 => c["livenessProbe"] = action,
                1 => c["readinessProbe"] = action,
                2 => c["startupProbe"] = action,
                _ => c["lifecycle"] = json!({"preStop": action}),
            }
        }
    }
}

/// Makes a generated pod valid where two mutations would clash in validation.
fn fix_up(spec: &mut Value, annotations: &mut Map<String, Value>) {
    let host_network = spec["hostNetwork"] == json!(true);
    let host_ipc = spec["hostIPC"] == json!(true);
    let host_namespaces = host_network || host_ipc || spec["hostPID"] == json!(true);
    // A user namespace cannot share the host's namespaces: drop it, and Unmasked with it.
    if spec["hostUsers"] == json!(false) && host_namespaces {
        spec.as_object_mut().unwrap().remove("hostUsers");
        for c in containers_mut(spec) {
            if c["securityContext"]["procMount"] == json!("Unmasked") {
                context(c).insert("procMount".into(), json!("Default"));
            }
        }
    }
    // Net sysctls cannot go with hostNetwork, IPC ones with hostIPC.
    if let Some(Value::Array(sysctls)) = spec
        .get_mut("securityContext")
        .and_then(|s| s.get_mut("sysctls"))
    {
        sysctls.retain(|s| {
            let name = s["name"].as_str().unwrap_or("");
            !(host_network && name.starts_with("net."))
                && !(host_ipc
                    && (name.starts_with("kernel.shm")
                        || name.starts_with("kernel.msg")
                        || name == "kernel.sem"))
        });
    }
    for (k, c) in containers_mut(spec).into_iter().enumerate() {
        // Host ports are unique in a pod, and with hostNetwork (where every port is a
        // host port) equal to their containerPort: number each container's ports apart.
        // Without hostNetwork, host ports of 9080, 10090, … also check that the message
        // sorts them as text, as Pod Security admission does.
        if let Some(Value::Array(ports)) = c.get_mut("ports") {
            for (j, p) in ports.iter_mut().enumerate() {
                let port = 8080 + 10 * k + j;
                p["containerPort"] = json!(port);
                if p.get("hostPort").is_some() {
                    p["hostPort"] = json!(if host_network {
                        port
                    } else {
                        port + 1000 * (k + 1)
                    });
                }
            }
        }
        // allowPrivilegeEscalation false cannot go with privileged.
        let sc = &c["securityContext"];
        if sc["allowPrivilegeEscalation"] == json!(false) && sc["privileged"] == json!(true) {
            context(c).insert("allowPrivilegeEscalation".into(), json!(true));
        }
    }
    // An AppArmor annotation must agree with the field it stands for: keep annotations
    // only where no field is set (on the container or the pod).
    let pod_profile = spec["securityContext"]["appArmorProfile"].is_object();
    let with_field: Vec<String> = containers_mut(spec)
        .into_iter()
        .filter(|c| pod_profile || c["securityContext"]["appArmorProfile"].is_object())
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    annotations.retain(|k, _| {
        !with_field
            .iter()
            .any(|name| k == &format!("container.apparmor.security.beta.kubernetes.io/{name}"))
    });
}

/// One generated pod.
fn pod(i: usize, rng: &mut StdRng) -> Value {
    let mut spec = json!({"containers": [container(CONTAINERS[0])]});
    if rng.random_bool(0.4) {
        spec["containers"]
            .as_array_mut()
            .unwrap()
            .push(container(CONTAINERS[1]));
    }
    if rng.random_bool(0.35) {
        let mut init = container(INIT);
        init["command"] = json!(["true"]);
        spec["initContainers"] = json!([init]);
    }
    let full = rng.random_bool(0.55);
    secure(&mut spec, rng, full);
    let mut annotations = Map::new();
    let count = [0, 1, 1, 1, 2, 2, 2, 3][rng.random_range(0..8)];
    for _ in 0..count {
        let which = rng.random_range(0..MUTATIONS);
        mutate(which, &mut spec, &mut annotations, rng);
    }
    fix_up(&mut spec, &mut annotations);
    let mut metadata = json!({"name": format!("gen-{i}")});
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec})
}

/// The model's verdict at `level`, and the checks that refused.
fn model(level: Level, pod: &Value) -> (Verdict, Vec<&'static str>) {
    let found = pod_security::violations_by_check(level, "Pod", pod);
    if found.is_empty() {
        return (Verdict::Admitted, Vec::new());
    }
    let (checks, violations): (Vec<&'static str>, Vec<_>) = found.into_iter().unzip();
    let message = pod_security::message(level.name(), &violations).render(Lang::En);
    (Verdict::Refused(message), checks)
}

/// The server's verdict; `Err` for a refusal that is not Pod Security's (the generator
/// made an invalid pod).
async fn server(api: &Api<DynamicObject>, pod: &Value) -> Result<Verdict, String> {
    let dynamic: DynamicObject = serde_json::from_value(pod.clone()).unwrap();
    let dry_run = PostParams {
        dry_run: true,
        ..Default::default()
    };
    match tokio::time::timeout(Duration::from_secs(30), api.create(&dry_run, &dynamic)).await {
        Err(_) => panic!("dry run of {} timed out", pod["metadata"]["name"]),
        Ok(Ok(_)) => Ok(Verdict::Admitted),
        Ok(Err(kube::Error::Api(status)))
            if status.code == 403 && status.message.contains("violates PodSecurity") =>
        {
            let at = status.message.find("violates PodSecurity").unwrap();
            Ok(Verdict::Refused(status.message[at..].to_string()))
        }
        Ok(Err(kube::Error::Api(status))) => Err(format!("{}: {}", status.code, status.message)),
        Ok(Err(e)) => panic!("dry run of {}: {e}", pod["metadata"]["name"]),
    }
}

/// Waits until the namespace's Pod Security labels are in force: a pod that only
/// `restricted` refuses is refused there (and admitted at `baseline`).
async fn wait_until_enforced(api: &Api<DynamicObject>, level: Level) {
    let probe = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probe"},
        "spec": {"containers": [container("c")]}});
    let start = Instant::now();
    loop {
        let refused = matches!(server(api, &probe).await, Ok(Verdict::Refused(_)));
        if refused == (level == Level::Restricted) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the namespace does not enforce {} after 60 s",
            level.name()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[derive(Default)]
struct Tally {
    admitted: usize,
    refused: usize,
    /// Check ID → pods it refused.
    by_check: BTreeMap<&'static str, usize>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pod_security_model_agrees_with_the_api_server_at_both_levels() {
    common::require_cluster();
    let client = connect(&ConnectOptions {
        kubeconfig: Some(common::rbac_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting to the test cluster as the kubelab ServiceAccount")
    .client;
    let baseline = Sandbox::create(&client, "pss-baseline")
        .await
        .expect("a sandbox namespace");
    let restricted = Sandbox::create(&client, "pss-restricted")
        .await
        .expect("a sandbox namespace");
    // A sandbox enforces baseline (and warns at restricted); make the second one
    // enforce restricted, pinned to the same version.
    common::kubectl(&[
        "label",
        "namespace",
        &restricted.namespace,
        "pod-security.kubernetes.io/enforce=restricted",
        &format!(
            "pod-security.kubernetes.io/enforce-version={}",
            pod_security::VERSION
        ),
        "--overwrite",
    ]);
    let labels = common::kubectl(&[
        "get",
        "namespace",
        &baseline.namespace,
        "-o",
        "jsonpath={.metadata.labels}",
    ]);
    assert!(
        labels.contains(r#""pod-security.kubernetes.io/enforce":"baseline""#)
            && labels.contains(r#""pod-security.kubernetes.io/enforce-version":"v1.34""#),
        "{labels}"
    );
    let result = run(&baseline, &restricted).await;
    for sandbox in [&baseline, &restricted] {
        sandbox
            .delete(Duration::from_secs(60))
            .await
            .expect("deleting the sandbox");
    }
    let (compared, differences, invalid, tallies) = result;

    println!("{compared} pods compared with server-side dry run at baseline and restricted:");
    for (level, tally) in &tallies {
        println!(
            "  {}: {} admitted, {} refused",
            level.name(),
            tally.admitted,
            tally.refused
        );
        for (check, n) in &tally.by_check {
            println!("    {check}: refused {n} pods");
        }
    }
    println!(
        "{} differences, {} pods the server found invalid",
        differences.len(),
        invalid.len()
    );
    for d in &differences {
        println!("DIFFERENCE: {d}");
    }
    for i in &invalid {
        println!("INVALID: {i}");
    }
    assert!(compared >= 300, "only {compared} pods compared");
    assert!(
        invalid.is_empty(),
        "the generator made pods that validation refuses:\n{}",
        invalid.join("\n")
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    assert_variety(&tallies);
}

type RunResult = (usize, Vec<String>, Vec<String>, Vec<(Level, Tally)>);

async fn run(baseline: &Sandbox, restricted: &Sandbox) -> RunResult {
    let api = |sandbox: &Sandbox| -> Api<DynamicObject> {
        Api::namespaced_with(
            sandbox.client.clone(),
            &sandbox.namespace,
            &ApiResource::erase::<Pod>(&()),
        )
    };
    let levels = [
        (Level::Baseline, api(baseline)),
        (Level::Restricted, api(restricted)),
    ];
    for (level, api) in &levels {
        wait_until_enforced(api, *level).await;
    }
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut tallies: Vec<(Level, Tally)> = levels
        .iter()
        .map(|(level, _)| (*level, Tally::default()))
        .collect();
    let (mut differences, mut invalid) = (Vec::new(), Vec::new());
    for i in 0..PODS {
        let value = pod(i, &mut rng);
        for ((level, api), (_, tally)) in levels.iter().zip(tallies.iter_mut()) {
            let (expected, checks) = model(*level, &value);
            let answer = match server(api, &value).await {
                Ok(answer) => answer,
                Err(e) => {
                    invalid.push(format!(
                        "{} at {}: {e}\n  {value}",
                        value["metadata"]["name"],
                        level.name()
                    ));
                    continue;
                }
            };
            match &answer {
                Verdict::Admitted => tally.admitted += 1,
                Verdict::Refused(_) => {
                    tally.refused += 1;
                    for check in &checks {
                        *tally.by_check.entry(check).or_default() += 1;
                    }
                }
            }
            if answer != expected {
                differences.push(format!(
                    "{} at {}:\n  server: {answer:?}\n  model:  {expected:?}\n  pod: {value}",
                    value["metadata"]["name"],
                    level.name()
                ));
            }
        }
    }
    (PODS, differences, invalid, tallies)
}

/// The generator's variety by the model alone (no cluster): every check refuses pods at
/// each level, and both levels admit and refuse many. The live test asserts the same of
/// the server's answers.
#[test]
fn the_generator_exercises_every_check_by_the_model() {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut tallies = [
        (Level::Baseline, Tally::default()),
        (Level::Restricted, Tally::default()),
    ];
    for i in 0..PODS {
        let value = pod(i, &mut rng);
        for (level, tally) in tallies.iter_mut() {
            match model(*level, &value) {
                (Verdict::Admitted, _) => tally.admitted += 1,
                (Verdict::Refused(_), checks) => {
                    tally.refused += 1;
                    for check in checks {
                        *tally.by_check.entry(check).or_default() += 1;
                    }
                }
            }
        }
    }
    for (level, tally) in &tallies {
        println!(
            "{}: {} admitted, {} refused, {:?}",
            level.name(),
            tally.admitted,
            tally.refused,
            tally.by_check
        );
    }
    assert_variety(&tallies);
}

fn assert_variety(tallies: &[(Level, Tally)]) {
    for (level, tally) in tallies {
        for (what, n) in [("admitted", tally.admitted), ("refused", tally.refused)] {
            assert!(
                n >= 40,
                "only {n} pods {what} at {}: the generator lost its variety",
                level.name()
            );
        }
        for check in pod_security::check_ids(*level) {
            let n = tally.by_check.get(check).copied().unwrap_or(0);
            let minimum = if check == "windowsHostProcess" { 0 } else { 5 };
            assert!(
                n >= minimum,
                "check {check} refused only {n} pods at {}: the generator does not exercise it",
                level.name()
            );
        }
    }
}
