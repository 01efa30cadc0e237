//! Live: learners' sandboxes are isolated from each other where the enforcer can do it
//! without changing NetworkPolicy semantics (Cilium: a `CiliumNetworkPolicy` of deny
//! rules per sandbox, `kubelab::cluster::isolation`), and `kubelab doctor` says so; on
//! kube-router it says that they are not. Never skips: fails loudly without the cluster.
//!
//! Runs as the `kubelab` ServiceAccount of deploy/rbac.yaml, so the grant is proven too.

use kubelab::cluster::apply;
use kubelab::cluster::doctor;
use kubelab::cluster::isolation::{Isolation, POLICY_NAME};
use kubelab::cluster::probe::{Reach, probe_until};
use kubelab::cluster::wait::{PodState, wait_ready};
use kubelab::cluster::{ConnectOptions, Sandbox, connect};
use kubelab::manifest::load_text;
use std::time::Duration;

mod common;
use common::{kubectl, rbac_kubeconfig, require_cluster, testbed_enforcer};

const READY: Duration = Duration::from_secs(90);
const DELETE: Duration = Duration::from_secs(60);
/// Cilium applies a policy within a few hundred milliseconds; kube-router within ~1 s.
const BOUND: Duration = Duration::from_secs(15);

/// What `kubectl run db-pod --image=redis --labels=role=db --expose --port=6379` and
/// `kubectl run api-pod --image=busybox:1.28 --labels=app=api -- sleep 3600` create.
const PODS: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: db-pod, labels: {role: db}}
spec:
  containers:
  - {name: db-pod, image: redis, ports: [{containerPort: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: db-pod}
spec:
  selector: {role: db}
  ports: [{port: 6379, protocol: TCP, targetPort: 6379}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-pod, labels: {app: api}}
spec:
  containers:
  - {name: api-pod, image: busybox:1.28, args: [sleep, \"3600\"]}
";

async fn client() -> kube::Client {
    require_cluster();
    connect(&ConnectOptions {
        kubeconfig: Some(rbac_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting as the kubelab ServiceAccount")
    .client
}

async fn fixtures(sandbox: &Sandbox) -> String {
    for object in load_text("pods.yaml", PODS).expect("test manifests load") {
        apply::apply(sandbox, &object).await.unwrap();
    }
    let (db, api) = tokio::join!(
        wait_ready(sandbox, "db-pod", READY),
        wait_ready(sandbox, "api-pod", READY)
    );
    assert_eq!(db.unwrap(), PodState::Ready, "{}", sandbox.namespace);
    assert_eq!(api.unwrap(), PodState::Ready, "{}", sandbox.namespace);
    let pod = sandbox.pods().get("db-pod").await.unwrap();
    pod.status.and_then(|s| s.pod_ip).expect("db-pod has an IP")
}

/// `api-pod` of `from` → `host:6379`, probed until it is `want` or [`BOUND`] passes.
async fn reach(from: &Sandbox, host: &str, want: Reach) -> Reach {
    let seen = probe_until(from, "api-pod", None, host, 6379, |r| *r == want, BOUND)
        .await
        .unwrap();
    eprintln!(
        "{} api-pod → {host}:6379: {} ({} attempts, {:.1}s) {}",
        from.namespace,
        seen.value.describe(),
        seen.attempts,
        seen.elapsed.as_secs_f64(),
        seen.output.combined().trim()
    );
    seen.value
}

#[tokio::test]
async fn sandboxes_cannot_reach_each_other_where_the_enforcer_can_isolate_them() {
    let client = client().await;
    let enforcer = testbed_enforcer();
    let a = Sandbox::create(&client, "isolation-a").await.unwrap();
    let b = match Sandbox::create(&client, "isolation-b").await {
        Ok(b) => b,
        Err(e) => {
            a.delete(DELETE).await.unwrap();
            panic!("{e:?}");
        }
    };
    let check = {
        let (a, b) = (a.clone(), b.clone());
        async move {
            let row = |s: &Sandbox| doctor::isolation_row(s.isolation()).detail.to_string();
            let (ip_a, ip_b) = tokio::join!(fixtures(&a), fixtures(&b));
            // Each learner reaches their own pods: by IP and by Service name (DNS, so
            // egress to kube-system is not denied either).
            assert_eq!(reach(&a, &ip_a, Reach::Open).await, Reach::Open);
            assert_eq!(reach(&b, "db-pod", Reach::Open).await, Reach::Open);
            let b_service = format!("db-pod.{}.svc.cluster.local", b.namespace);
            match enforcer.as_str() {
                "cilium" => {
                    assert_eq!(a.isolation(), Some(&Isolation::Isolated));
                    assert_eq!(b.isolation(), Some(&Isolation::Isolated));
                    assert!(row(&a).starts_with("isolated (Cilium)"), "{}", row(&a));
                    // A → B and B → A are dropped, by pod IP and through B's Service;
                    // B's redis listens (B's own client reached it above).
                    assert_eq!(reach(&a, &ip_b, Reach::Timeout).await, Reach::Timeout);
                    assert_eq!(reach(&a, &b_service, Reach::Timeout).await, Reach::Timeout);
                    assert_eq!(reach(&b, &ip_a, Reach::Timeout).await, Reach::Timeout);
                    // Still dropped a moment later (not a policy being set up).
                    assert_eq!(reach(&a, &ip_b, Reach::Open).await, Reach::Timeout);
                    // The control: without the two policies A reaches B, so it was
                    // they that denied (removed with the admin kubeconfig: kubelab
                    // itself may only create them).
                    for ns in [&a.namespace, &b.namespace] {
                        kubectl(&["-n", ns, "delete", "ciliumnetworkpolicy", POLICY_NAME]);
                    }
                    assert_eq!(reach(&a, &ip_b, Reach::Open).await, Reach::Open);
                    assert_eq!(reach(&b, &ip_a, Reach::Open).await, Reach::Open);
                }
                _ => {
                    // kube-router: no mechanism, and doctor says so; A reaches B.
                    assert_eq!(a.isolation(), Some(&Isolation::Unsupported));
                    assert!(row(&a).starts_with("not isolated:"), "{}", row(&a));
                    assert_eq!(reach(&a, &ip_b, Reach::Open).await, Reach::Open);
                }
            }
        }
    };
    let outcome = tokio::spawn(check).await;
    let (da, db) = tokio::join!(a.delete(DELETE), b.delete(DELETE));
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
    da.unwrap();
    db.unwrap();
}

/// The isolation policy selects every pod of the sandbox but puts none into default
/// deny: a pod with no NetworkPolicy still accepts its own namespace's connections, and
/// a lab's deny-all ingress policy then blocks them (the network-policy lab's verdicts
/// are the live corpus's: `KUBELAB_LIVE_CORPUS_LABS=network-policy`).
#[tokio::test]
async fn the_isolation_policy_leaves_network_policy_semantics_alone() {
    let client = client().await;
    let sandbox = Sandbox::create(&client, "isolation-netpol").await.unwrap();
    let check = {
        let sandbox = sandbox.clone();
        async move {
            fixtures(&sandbox).await;
            assert_eq!(reach(&sandbox, "db-pod", Reach::Open).await, Reach::Open);
            let deny = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-deny}
spec: {podSelector: {matchLabels: {role: db}}, policyTypes: [Ingress]}
";
            for object in load_text("deny.yaml", deny).unwrap() {
                apply::apply(&sandbox, &object).await.unwrap();
            }
            let blocked = reach(&sandbox, "db-pod", Reach::Timeout).await;
            assert_ne!(blocked, Reach::Open);
            kubectl(&[
                "-n",
                &sandbox.namespace,
                "delete",
                "networkpolicy",
                "db-deny",
            ]);
            assert_eq!(reach(&sandbox, "db-pod", Reach::Open).await, Reach::Open);
        }
    };
    let outcome = tokio::spawn(check).await;
    let deleted = sandbox.delete(DELETE).await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
    deleted.unwrap();
}
