//! The private registry on the real test cluster (tests/cluster/up): provisioned with
//! random credentials, it is pulled from by the node's runtime only with the right
//! `kubernetes.io/dockerconfigjson` Secret, and the private image runs.
//!
//! These tests need the cluster: without one they fail, they never skip.
//! KUBECONFIG, else /var/lib/kubelab-testbed/admin.kubeconfig.

use base64::Engine;
use k8s_openapi::api::core::v1::{Event, Namespace, Secret, ServiceAccount};
use kube::Client;
use kube::api::{Api, DeleteParams, ListParams, PostParams};
use kubelab::cluster::exec::exec;
use kubelab::cluster::registry::{Registry, RegistrySpec, provision};
use kubelab::cluster::sandbox::{LAB_LABEL, MANAGED_BY, MANAGED_BY_LABEL};
use kubelab::cluster::{ConnectOptions, Sandbox, connect};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const LAB: &str = "private-registry";
const PROVISION_TIMEOUT: Duration = Duration::from_secs(120);
const POD_TIMEOUT: Duration = Duration::from_secs(90);

async fn client() -> Client {
    let kubeconfig = std::env::var_os("KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/kubelab-testbed/admin.kubeconfig"));
    let options = ConnectOptions {
        kubeconfig: Some(kubeconfig.clone()),
        context: None,
    };
    match connect(&options).await {
        Ok(cluster) => cluster.client,
        Err(e) => panic!(
            "no test cluster at {} ({e}): bring it up with tests/cluster/up",
            kubeconfig.display()
        ),
    }
}

/// 2n random lowercase hex digits.
fn random_hex(n: usize) -> String {
    use std::io::Read;
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("/dev/urandom");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A namespace labelled like the ones kubelab creates, with its default ServiceAccount.
/// With `enforce`, the namespace enforces that Pod Security level.
async fn sandbox(client: &Client, enforce: Option<&str>) -> Sandbox {
    let name = format!("kubelab-{LAB}-{}", random_hex(3));
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let mut ns = json!({
        "metadata": {"name": name, "labels": {MANAGED_BY_LABEL: MANAGED_BY, LAB_LABEL: LAB}},
    });
    if let Some(level) = enforce {
        ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] = json!(level);
    }
    let ns: Namespace = serde_json::from_value(ns).unwrap();
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .expect("create namespace");
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), &name);
    let deadline = Instant::now() + Duration::from_secs(60);
    while accounts.get_opt("default").await.unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "no default ServiceAccount in {name}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Sandbox::new(client, &name, LAB)
}

/// Runs `body` in a fresh sandbox, then deletes the namespace, also when `body` panics.
async fn with_sandbox<F, Fut>(enforce: Option<&str>, body: F)
where
    F: FnOnce(Sandbox) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let client = client().await;
    let sandbox = sandbox(&client, enforce).await;
    let name = sandbox.namespace.clone();
    let outcome = tokio::spawn(body(sandbox)).await;
    let namespaces: Api<Namespace> = Api::all(client);
    let _ = namespaces
        .delete(&name, &DeleteParams::default().grace_period(0))
        .await;
    // until it is gone, so that a rerun finds the fixed NodePort free again
    let deadline = Instant::now() + Duration::from_secs(90);
    while matches!(namespaces.get_opt(&name).await, Ok(Some(_))) {
        if Instant::now() >= deadline {
            eprintln!("namespace {name} still terminating after 90s");
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

fn spec(node_port: Option<u16>) -> RegistrySpec {
    RegistrySpec::single(
        format!("u{}", random_hex(4)),
        random_hex(12),
        "kubelab/private-app".into(),
        "1.0".into(),
        node_port,
    )
}

async fn provision_timed(sandbox: &Sandbox, spec: &RegistrySpec) -> Registry {
    let started = Instant::now();
    let registry = provision(sandbox, spec, PROVISION_TIMEOUT)
        .await
        .unwrap_or_else(|e| panic!("provision: {e}"));
    eprintln!(
        "registry {} provisioned in {:.1}s: {}",
        registry.server,
        started.elapsed().as_secs_f64(),
        registry.image
    );
    registry
}

/// A `kubernetes.io/dockerconfigjson` Secret as `kubectl create secret docker-registry`
/// makes it.
async fn pull_secret(sandbox: &Sandbox, name: &str, server: &str, user: &str, password: &str) {
    let b64 = base64::engine::general_purpose::STANDARD;
    let config = json!({"auths": {server: {
        "username": user,
        "password": password,
        "email": "learner@kubelab.test",
        "auth": b64.encode(format!("{user}:{password}")),
    }}});
    let secret: Secret = serde_json::from_value(json!({
        "metadata": {"name": name},
        "type": "kubernetes.io/dockerconfigjson",
        "data": {".dockerconfigjson": b64.encode(config.to_string())},
    }))
    .unwrap();
    Api::<Secret>::namespaced(sandbox.client.clone(), &sandbox.namespace)
        .create(&PostParams::default(), &secret)
        .await
        .expect("create pull secret");
}

/// A pod running the private image (its own command: `sleep 3600`), always pulled.
async fn private_pod(sandbox: &Sandbox, name: &str, image: &str, pull_secret: Option<&str>) {
    let mut pod = json!({
        "metadata": {"name": name},
        "spec": {
            "terminationGracePeriodSeconds": 0,
            "automountServiceAccountToken": false,
            "containers": [{"name": "app", "image": image, "imagePullPolicy": "Always"}],
        },
    });
    if let Some(secret) = pull_secret {
        pod["spec"]["imagePullSecrets"] = json!([{"name": secret}]);
    }
    sandbox
        .pods()
        .create(
            &PostParams::default(),
            &serde_json::from_value(pod).unwrap(),
        )
        .await
        .expect("create pod");
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Ready,
    PullFailed { events: Vec<String> },
}

/// Until the pod is Ready or its image pull failed (with the pod's events).
/// Through kubelab's own wait: Ready, or a pull that failed for good.
async fn outcome(sandbox: &Sandbox, name: &str) -> Outcome {
    match kubelab::cluster::wait::wait_ready(sandbox, name, POD_TIMEOUT)
        .await
        .expect("waiting for the pod")
    {
        kubelab::cluster::wait::PodState::Ready => Outcome::Ready,
        kubelab::cluster::wait::PodState::Failed { .. } => Outcome::PullFailed {
            events: events(sandbox, name).await,
        },
        other => panic!(
            "pod {name} neither Ready nor failed within {POD_TIMEOUT:?}: {other:?}; events: {:?}",
            events(sandbox, name).await
        ),
    }
}

async fn events(sandbox: &Sandbox, pod: &str) -> Vec<String> {
    let events: Api<Event> = Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    let list = events
        .list(&ListParams::default().fields(&format!("involvedObject.name={pod}")))
        .await
        .expect("list events");
    list.items
        .into_iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.reason.unwrap_or_default(),
                e.message.unwrap_or_default()
            )
        })
        .collect()
}

fn assert_unauthorized(outcome: &Outcome, what: &str) {
    match outcome {
        Outcome::PullFailed { events } => assert!(
            events.iter().any(|e| {
                let e = e.to_lowercase();
                e.starts_with("failed:") && (e.contains("401") || e.contains("unauthorized"))
            }),
            "{what}: the pull failed, but not for want of authorization: {events:#?}"
        ),
        Outcome::Ready => panic!("{what}: the private image was pulled"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_right_credentials_pull_the_private_image() {
    with_sandbox(None, |sandbox| async move {
        let spec = spec(None);
        let registry = provision_timed(&sandbox, &spec).await;
        let port: u16 = registry
            .server
            .strip_prefix("127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("server {}", registry.server));
        assert!((30000..=32767).contains(&port), "{port}");
        assert_eq!(
            registry.image,
            format!("{}/kubelab/private-app:1.0", registry.server)
        );

        pull_secret(
            &sandbox,
            "right",
            &registry.server,
            &spec.users[0].0,
            &spec.users[0].1,
        )
        .await;
        let wrong = format!("{}x", spec.users[0].1);
        pull_secret(
            &sandbox,
            "wrong",
            &registry.server,
            &spec.users[0].0,
            &wrong,
        )
        .await;
        private_pod(&sandbox, "no-secret", &registry.image, None).await;
        private_pod(&sandbox, "wrong-secret", &registry.image, Some("wrong")).await;
        private_pod(&sandbox, "right-secret", &registry.image, Some("right")).await;

        let (none, wrong, right) = tokio::join!(
            outcome(&sandbox, "no-secret"),
            outcome(&sandbox, "wrong-secret"),
            outcome(&sandbox, "right-secret"),
        );
        assert_unauthorized(&none, "without imagePullSecrets");
        assert_unauthorized(&wrong, "with a wrong password");
        assert_eq!(right, Outcome::Ready, "with the right Secret");

        let pods = sandbox.pods();
        let ok = exec(
            &pods,
            "right-secret",
            None,
            &["sh", "-c", "echo ok"],
            Duration::from_secs(20),
        )
        .await
        .expect("exec sh");
        assert_eq!((ok.code, ok.stdout.trim()), (0, "ok"), "{ok:?}");
        let slept = exec(
            &pods,
            "right-secret",
            None,
            &["sleep", "0"],
            Duration::from_secs(20),
        )
        .await
        .expect("exec sleep");
        assert_eq!(slept.code, 0, "{slept:?}");
        // the image is the seeded one: busybox alone, its command `sleep 3600`
        let ps = exec(
            &pods,
            "right-secret",
            None,
            &["sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; ls /"],
            Duration::from_secs(20),
        )
        .await
        .expect("exec ps");
        assert!(ps.stdout.starts_with("sleep 3600"), "{ps:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_node_port_names_the_server() {
    with_sandbox(None, |sandbox| async move {
        // in the NodePort range's static band (30000-30085), which the cluster does not
        // hand out to Services that ask for no port
        let spec = spec(Some(30057));
        let registry = provision_timed(&sandbox, &spec).await;
        assert_eq!(registry.server, "127.0.0.1:30057");
        assert_eq!(registry.image, "127.0.0.1:30057/kubelab/private-app:1.0");

        pull_secret(
            &sandbox,
            "cred",
            &registry.server,
            &spec.users[0].0,
            &spec.users[0].1,
        )
        .await;
        private_pod(&sandbox, "app", &registry.image, Some("cred")).await;
        assert_eq!(outcome(&sandbox, "app").await, Outcome::Ready);
    })
    .await;
}

/// Where the namespace enforces the `baseline` Pod Security level, which refuses
/// `hostPort`, the registry runs without it (and is reached through kube-proxy's localhost
/// NodePorts only, which the test cluster does not serve: so no pull here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_baseline_namespace_gets_the_registry_without_host_port() {
    with_sandbox(Some("baseline"), |sandbox| async move {
        let registry = provision_timed(&sandbox, &spec(None)).await;
        assert!(registry.server.starts_with("127.0.0.1:"), "{registry:?}");
        let pod = sandbox
            .pods()
            .get("kubelab-registry")
            .await
            .expect("registry pod");
        let spec = pod.spec.unwrap();
        let registry = spec
            .containers
            .iter()
            .find(|c| c.name == "registry")
            .unwrap();
        let ports = registry.ports.clone().unwrap();
        assert_eq!(ports[0].container_port, 5000);
        assert_eq!(ports[0].host_port, None, "{ports:?}");
    })
    .await;
}

/// A fixed NodePort that another Service holds (another run's registry, or a namespace
/// still being deleted) is waited for; when it stays taken, the error says who may hold
/// it and what to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_node_port_held_elsewhere_is_waited_for_then_named() {
    with_sandbox(None, |sandbox| async move {
        use k8s_openapi::api::core::v1::Service;
        const PORT: u16 = 30058;
        let services: Api<Service> = Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
        let holder: Service = serde_json::from_value(json!({
            "metadata": {"name": "holder"},
            "spec": {"type": "NodePort", "selector": {"app": "none"},
                     "ports": [{"port": 80, "nodePort": PORT}]},
        }))
        .unwrap();
        services
            .create(&PostParams::default(), &holder)
            .await
            .expect("the holder Service");

        let started = Instant::now();
        let error = provision(&sandbox, &spec(Some(PORT)), Duration::from_secs(3))
            .await
            .expect_err("the port is taken");
        let message = error.to_string();
        assert!(message.contains("already allocated"), "{message}");
        assert!(
            message.contains("another `kubelab grade private-registry` is running")
                && message.contains("`kubelab clean`"),
            "{message}"
        );
        assert!(started.elapsed() >= Duration::from_secs(3), "did not wait");

        // Freed while a provision waits for it: the provision takes it.
        let free_later = {
            let services = services.clone();
            async move {
                tokio::time::sleep(Duration::from_secs(2)).await;
                services
                    .delete("holder", &DeleteParams::default())
                    .await
                    .expect("delete the holder");
            }
        };
        let wanted = spec(Some(PORT));
        let (registry, ()) =
            tokio::join!(provision(&sandbox, &wanted, PROVISION_TIMEOUT), free_later);
        let registry = registry.unwrap_or_else(|e| panic!("provision: {e}"));
        assert_eq!(registry.server, format!("127.0.0.1:{PORT}"));
    })
    .await;
}
