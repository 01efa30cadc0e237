//! Live tests against the real test cluster (`tests/cluster/up`). They never skip: when
//! the cluster is not reachable they fail, saying so.
//!
//! Every test talks to the cluster as the `kubelab` ServiceAccount of deploy/rbac.yaml
//! (see [`rbac_kubeconfig`]), so passing tests also prove that the role is sufficient.
//! The admin kubeconfig (`KUBELAB_ADMIN_KUBECONFIG`, default
//! /var/lib/kubelab-testbed/admin.kubeconfig) is used only for setup and for checks
//! from outside.

use k8s_openapi::api::core::v1::{Namespace, Node};
use kube::api::{Api, DeleteParams, PostParams};
use kubelab::check::Verdict;
use kubelab::check::live::{self, LiveContext};
use kubelab::cluster::apply::{self, ApplyError};
use kubelab::cluster::exec::exec;
use kubelab::cluster::sandbox::{self, LAB_LABEL, MANAGED_BY, MANAGED_BY_LABEL};
use kubelab::cluster::wait::{self, PodState};
use kubelab::cluster::{ClusterError, ConnectOptions, Sandbox, connect, doctor};
use kubelab::lab::CheckKind;
use kubelab::manifest::{Object, load_text};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

mod common;
use common::{admin_kubeconfig, kubectl, rbac_kubeconfig};

/// `clean --run` deletes this process's namespaces: it runs alone, the others share.
static CLUSTER: RwLock<()> = RwLock::const_new(());

const DELETE: Duration = Duration::from_secs(60);
const READY: Duration = Duration::from_secs(90);

fn options() -> ConnectOptions {
    ConnectOptions {
        kubeconfig: Some(rbac_kubeconfig()),
        context: None,
    }
}

async fn client() -> kube::Client {
    connect(&options())
        .await
        .expect("connecting as the kubelab ServiceAccount")
        .client
}

async fn admin() -> kube::Client {
    connect(&ConnectOptions {
        kubeconfig: Some(admin_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting as admin")
    .client
}

fn objects(file: &str, text: &str) -> Vec<Object> {
    load_text(file, text).expect("test manifests load")
}

/// 1-based line and column where `needle` first appears in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        if let Some(column) = line.find(needle) {
            return (i + 1, column + 1);
        }
    }
    panic!("{needle} not in the text");
}

async fn namespace_exists(name: &str) -> bool {
    let namespaces: Api<Namespace> = Api::all(admin().await);
    namespaces.get_opt(name).await.unwrap().is_some()
}

const DB_POD: &str = "\
# What `kubectl run db-pod --image=redis --labels=role=db --expose --port=6379` creates.
apiVersion: v1
kind: Pod
metadata:
  name: db-pod
  labels:
    role: db
spec:
  containers:
  - name: db-pod
    image: redis
    ports:
    - containerPort: 6379
  restartPolicy: Always
---
apiVersion: v1
kind: Service
metadata:
  name: db-pod
spec:
  selector:
    role: db
  ports:
  - port: 6379
    protocol: TCP
";

const API_POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: api-pod
  labels:
    app: api
spec:
  containers:
  - name: api-pod
    image: busybox:1.28
    args:
    - sleep
    - \"3600\"
";

#[tokio::test]
async fn the_rbac_service_account_can_run_a_lab_and_nothing_more() {
    let _shared = CLUSTER.read().await;
    let client = client().await;
    let start = Instant::now();
    let sandbox = Sandbox::create(&client, "rbac").await.unwrap();
    eprintln!("sandbox create: {:.2}s", start.elapsed().as_secs_f64());
    for object in objects("api-pod.yaml", API_POD) {
        apply::dry_run(&sandbox, &object).await.unwrap();
        apply::apply(&sandbox, &object).await.unwrap();
    }
    let state = wait::wait_ready(&sandbox, "api-pod", READY).await.unwrap();
    assert_eq!(state, PodState::Ready);
    let out = exec(
        &sandbox.pods(),
        "api-pod",
        None,
        &["id", "-u"],
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert_eq!((out.code, out.stdout.trim()), (0, "0"), "{out:?}");
    assert!(!wait::events(&sandbox, "api-pod").await.unwrap().is_empty());
    // Outside its grant: nodes are cluster-scoped and not in the role.
    let nodes: Api<Node> = Api::all(client.clone());
    let refused = nodes.list(&Default::default()).await.unwrap_err();
    assert!(matches!(
        ClusterError::api("list nodes", refused),
        ClusterError::Forbidden(_)
    ));
    // The admission policy of deploy/rbac.yaml: no writes outside labelled namespaces,
    // although the ClusterRole alone would allow them.
    let foreign = format!(
        "kubelab-foreign-{}",
        &sandbox.namespace[sandbox.namespace.len() - 6..]
    );
    let admin_namespaces: Api<Namespace> = Api::all(admin().await);
    let ns: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": foreign}})).unwrap();
    admin_namespaces
        .create(&PostParams::default(), &ns)
        .await
        .unwrap();
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let dry = DeleteParams {
        dry_run: true,
        ..Default::default()
    };
    let refused = namespaces.delete(&foreign, &dry).await;
    let foreign_sandbox = Sandbox::new(&client, &foreign, "rbac");
    let api_pod = objects("api-pod.yaml", API_POD).remove(0);
    let refused_pod = apply::dry_run(&foreign_sandbox, &api_pod).await;
    admin_namespaces
        .delete(&foreign, &DeleteParams::default())
        .await
        .unwrap();
    let refused = refused.expect_err("deleting an unlabelled namespace");
    assert!(
        refused.to_string().contains("managed-by=kubelab"),
        "{refused}"
    );
    let refused_pod = refused_pod.expect_err("a pod in an unlabelled namespace");
    assert!(
        refused_pod.to_string().contains("managed-by=kubelab"),
        "{refused_pod}"
    );

    // The cluster side holds even where kubelab's own refusal were bypassed: a
    // privileged pod sent straight to the API in the sandbox is refused by Pod Security
    // admission, a namespace without the Pod Security labels by the admission policy, and
    // the sandbox's LimitRange cannot be deleted by kubelab.
    let privileged = objects(
        "evil.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: evil\nspec:\n  containers:\n  - name: c\n    image: busybox:1.28\n    securityContext:\n      privileged: true\n",
    )
    .remove(0);
    let refused = apply::dry_run(&sandbox, &privileged)
        .await
        .expect_err("a privileged pod in a sandbox");
    assert!(
        refused
            .to_string()
            .contains("violates PodSecurity \"baseline:v1.34\""),
        "{refused}"
    );
    let bare: Namespace = serde_json::from_value(serde_json::json!({"metadata": {
        "name": format!("{foreign}-bare"),
        "labels": {"app.kubernetes.io/managed-by": "kubelab"}}}))
    .unwrap();
    let dry_create = PostParams {
        dry_run: true,
        ..Default::default()
    };
    let refused = namespaces
        .create(&dry_create, &bare)
        .await
        .expect_err("a kubelab namespace without Pod Security labels");
    assert!(
        refused.to_string().contains("Pod Security level"),
        "{refused}"
    );
    let ranges: Api<k8s_openapi::api::core::v1::LimitRange> =
        Api::namespaced(client.clone(), &sandbox.namespace);
    let refused = ranges
        .delete(kubelab::policy::limits::NAME, &dry)
        .await
        .expect_err("deleting the sandbox's LimitRange");
    // RBAC grants no delete, and the admission policy would refuse it too.
    let text = refused.to_string();
    assert!(
        text.contains("cannot delete") || text.contains("never change or delete"),
        "{text}"
    );

    let start = Instant::now();
    sandbox.delete(DELETE).await.unwrap();
    eprintln!(
        "sandbox delete (with a running pod): {:.2}s",
        start.elapsed().as_secs_f64()
    );
    assert!(!namespace_exists(&sandbox.namespace).await);
}

#[tokio::test]
async fn sandboxes_are_labelled_found_again_and_refuse_foreign_namespaces() {
    let _shared = CLUSTER.read().await;
    let client = client().await;
    let start = Instant::now();
    let sandbox = Sandbox::create(&client, "sandbox-test").await.unwrap();
    eprintln!("sandbox create: {:.2}s", start.elapsed().as_secs_f64());
    let ns = &sandbox.namespace;
    let suffix = ns
        .strip_prefix("kubelab-sandbox-test-")
        .unwrap_or_else(|| panic!("{ns}"));
    assert_eq!(suffix.len(), 6);
    assert!(
        suffix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    let namespaces: Api<Namespace> = Api::all(admin().await);
    let labels = namespaces.get(ns).await.unwrap().metadata.labels.unwrap();
    assert_eq!(labels.get(MANAGED_BY_LABEL).unwrap(), MANAGED_BY);
    assert_eq!(labels.get(LAB_LABEL).unwrap(), "sandbox-test");
    // The default ServiceAccount exists: a pod is accepted right away.
    for object in objects("api-pod.yaml", API_POD) {
        apply::apply(&sandbox, &object).await.unwrap();
    }

    let newest = Sandbox::newest(&client, "sandbox-test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&newest.namespace, ns);
    assert!(
        Sandbox::newest(&client, "no-such-lab")
            .await
            .unwrap()
            .is_none()
    );
    Sandbox::adopt(&client, ns, "sandbox-test").await.unwrap();
    for (namespace, lab, why) in [
        ("default", "sandbox-test", "kubelab did not create it"),
        ("kube-system", "sandbox-test", "kubelab did not create it"),
        (ns.as_str(), "other-lab", "belongs to lab `sandbox-test`"),
        (
            "kubelab-no-such-namespace",
            "sandbox-test",
            "no such namespace",
        ),
    ] {
        let error = Sandbox::adopt(&client, namespace, lab)
            .await
            .expect_err(namespace)
            .to_string();
        assert!(error.contains(why), "{namespace}: {error}");
    }

    let start = Instant::now();
    sandbox.delete(DELETE).await.unwrap();
    eprintln!("sandbox delete: {:.2}s", start.elapsed().as_secs_f64());
    assert!(!namespace_exists(ns).await);
    // Deleting again is not an error.
    sandbox.delete(DELETE).await.unwrap();
}

const TYPO: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: secure-pod
spec:
  securityContext:
    runAsUser: 1000
  containers:
  - name: sidecar
    image: busybox:1.28
  - name: secure-container
    image: busybox:1.28
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFileSystem: true
";

const PRIVILEGED: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: escalating
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: [sleep, \"3600\"]
  - name: root
    image: busybox:1.28
    securityContext:
      privileged: true
      allowPrivilegeEscalation: false
";

#[tokio::test]
async fn dry_runs_reject_at_the_learners_line_and_create_nothing() {
    let _shared = CLUSTER.read().await;
    let client = client().await;
    let sandbox = Sandbox::create(&client, "dry-run").await.unwrap();
    let check = {
        let sandbox = sandbox.clone();
        async move {
            // Strict field validation: a typo that k8s-openapi would silently ignore.
            let typo = objects("typo.yaml", TYPO).remove(0);
            match apply::dry_run(&sandbox, &typo).await {
                Err(ApplyError::Rejected { location, message }) => {
                    assert_eq!(location.file, "typo.yaml");
                    assert_eq!(
                        (location.line, location.column),
                        position(TYPO, "readOnlyRootFileSystem"),
                        "{message}"
                    );
                    assert!(message.contains("readOnlyRootFileSystem"), "{message}");
                    assert!(
                        message.contains("field not declared in schema"),
                        "{message}"
                    );
                    assert!(
                        !message.contains(&sandbox.namespace),
                        "not concise: {message}"
                    );
                }
                other => panic!("expected a rejection, got {other:?}"),
            }
            // Server-only validation (422): privileged with allowPrivilegeEscalation false.
            let privileged = objects("privileged.yaml", PRIVILEGED).remove(0);
            match apply::dry_run(&sandbox, &privileged).await {
                Err(ApplyError::Rejected { location, message }) => {
                    assert_eq!(location.file, "privileged.yaml");
                    // spec.containers[1].securityContext: the second container's.
                    assert_eq!(
                        (location.line, location.column),
                        position(PRIVILEGED, "securityContext"),
                        "{message}"
                    );
                    assert!(message.contains("allowPrivilegeEscalation"), "{message}");
                    assert!(
                        message.starts_with("spec.containers[1].securityContext"),
                        "{message}"
                    );
                }
                other => panic!("expected a rejection, got {other:?}"),
            }
            // A dry run changes nothing.
            assert!(
                sandbox
                    .pods()
                    .get_opt("secure-pod")
                    .await
                    .unwrap()
                    .is_none()
            );
            // A valid object passes the dry run and is still not created.
            let ok = objects("api-pod.yaml", API_POD).remove(0);
            apply::dry_run(&sandbox, &ok).await.unwrap();
            assert!(sandbox.pods().get_opt("api-pod").await.unwrap().is_none());
        }
    };
    // Catch the panic so that the namespace is deleted either way.
    let outcome = tokio::spawn(check).await;
    sandbox.delete(DELETE).await.unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}

#[tokio::test]
async fn fixtures_become_ready_and_exec_reports_exit_codes() {
    let _shared = CLUSTER.read().await;
    let client = client().await;
    let sandbox = Sandbox::create(&client, "network-policy").await.unwrap();
    let check = {
        let sandbox = sandbox.clone();
        async move {
            for text in [DB_POD, API_POD] {
                for object in objects("fixture.yaml", text) {
                    apply::apply(&sandbox, &object).await.unwrap();
                    // Applying again is a no-op, not a conflict.
                    apply::apply(&sandbox, &object).await.unwrap();
                }
            }
            let start = Instant::now();
            let (db, api) = tokio::join!(
                wait::wait_ready(&sandbox, "db-pod", READY),
                wait::wait_ready(&sandbox, "api-pod", READY)
            );
            eprintln!(
                "db-pod + api-pod ready: {:.2}s",
                start.elapsed().as_secs_f64()
            );
            assert_eq!(db.unwrap(), PodState::Ready);
            assert_eq!(api.unwrap(), PodState::Ready);
            let pods = sandbox.pods();
            let t = Duration::from_secs(10);
            let id = exec(&pods, "api-pod", None, &["id", "-u"], t)
                .await
                .unwrap();
            assert_eq!((id.code, id.stdout.trim()), (0, "0"), "{id:?}");
            let failed = exec(
                &pods,
                "api-pod",
                Some("api-pod"),
                &["sh", "-c", "echo oops >&2; exit 3"],
                t,
            )
            .await
            .unwrap();
            assert_eq!(
                (failed.code, failed.stderr.trim()),
                (3, "oops"),
                "{failed:?}"
            );
            let touch = exec(&pods, "api-pod", None, &["touch", "/testfile"], t)
                .await
                .unwrap();
            assert_eq!(touch.code, 0, "{touch:?}");
            // The seed's probe, through the Service name.
            let nc = exec(
                &pods,
                "api-pod",
                None,
                &["nc", "-zv", "-w", "2", "db-pod", "6379"],
                t,
            )
            .await
            .unwrap();
            assert_eq!(nc.code, 0, "{nc:?}");
            // The shell kept open in the container (`Sandbox::exec`) runs every command
            // as a direct exec does: same output, streams, exit code, program.
            for command in [
                &["id", "-u"][..],
                &["id", "-G"],
                &["sh", "-c", "echo oops >&2; printf 'no newline'; exit 3"],
                &["sh", "-c", "echo \"$1\"", "sh", "it's a \"quoted\" $HOME"],
                &["touch", "/testfile"],
                &["cat"],
                &["cat", "/proc/self/mounts"],
                // The image's /bin/nc (netcat-openbsd), not busybox's applet.
                &["nc", "-zv", "-w", "2", "db-pod", "6379"],
            ] {
                let direct = exec(&pods, "api-pod", None, command, t).await.unwrap();
                for _ in 0..2 {
                    let shell = sandbox.exec("api-pod", None, command, t).await.unwrap();
                    assert_eq!(shell, direct, "{command:?}");
                }
            }
            let status = |text: &str| -> Vec<String> {
                text.lines()
                    .filter(|l| {
                        ["Uid:", "Gid:", "Groups:", "NoNewPrivs:", "Cap"]
                            .iter()
                            .any(|p| l.starts_with(p))
                    })
                    .map(str::to_string)
                    .collect()
            };
            let direct = exec(&pods, "api-pod", None, &["cat", "/proc/self/status"], t)
                .await
                .unwrap();
            let shell = sandbox
                .exec("api-pod", None, &["cat", "/proc/self/status"], t)
                .await
                .unwrap();
            assert_eq!(status(&shell.stdout), status(&direct.stdout));
            assert!(status(&direct.stdout).len() >= 8, "{direct:?}");
            // A program the image does not have: the exec API's "executable file not
            // found" is exit 127, as a shell says it (an image without a shell can only be
            // asked this way, and `exec sh` failing there is a graded answer); through
            // the pod's shell it is a command that did not run.
            let missing = exec(&pods, "api-pod", None, &["no-such-program"], t)
                .await
                .unwrap();
            assert_eq!(
                missing.code,
                kubelab::cluster::exec::NOT_FOUND,
                "{missing:?}"
            );
            assert!(
                missing.stderr.contains("executable file not found"),
                "{missing:?}"
            );
            let error = sandbox
                .exec("api-pod", None, &["no-such-program"], t)
                .await
                .expect_err("a missing program does not run in the pod's shell");
            assert!(error.to_string().contains("did not run"), "{error}");
            assert_eq!(
                wait::wait_ready(&sandbox, "no-such-pod", READY)
                    .await
                    .unwrap(),
                PodState::Missing
            );
        }
    };
    let outcome = tokio::spawn(check).await;
    sandbox.delete(DELETE).await.unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}

const NON_ROOT: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: non-root
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: app
    image: busybox:1.28
    command: [sleep, \"3600\"]
";

const EXITS: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: exits
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: [sh, -c, \"exit 7\"]
";

#[tokio::test]
async fn unfixable_pods_fail_fast_with_the_kubelets_message() {
    let _shared = CLUSTER.read().await;
    let client = client().await;
    let sandbox = Sandbox::create(&client, "pull").await.unwrap();
    let text = API_POD.replace("busybox:1.28", "busybox:does-not-exist");
    let check = {
        let sandbox = sandbox.clone();
        async move {
            for object in objects("bad-image.yaml", &text) {
                apply::apply(&sandbox, &object).await.unwrap();
            }
            let start = Instant::now();
            let state = wait::wait_ready(&sandbox, "api-pod", READY).await.unwrap();
            let took = start.elapsed();
            eprintln!(
                "image pull failure detected in {:.2}s: {state:?}",
                took.as_secs_f64()
            );
            match state {
                PodState::Failed { reason, message } => {
                    assert!(
                        reason == "ErrImagePull" || reason == "ImagePullBackOff",
                        "{reason}"
                    );
                    assert!(message.contains("does-not-exist"), "{message}");
                }
                other => panic!("expected Failed, got {other:?}"),
            }
            // Early by construction: `wait_ready` ran to its deadline would have answered
            // with a timeout, not the kubelet's reason (a wall-clock bound here would only
            // measure how busy the machine is).
            let events = wait::events(&sandbox, "api-pod").await.unwrap();
            assert!(
                events.iter().any(|e| e.starts_with("Failed:")),
                "{events:?}"
            );
            // runAsNonRoot on an image that runs as root: the kubelet refuses to start it.
            for object in objects("non-root.yaml", NON_ROOT) {
                apply::apply(&sandbox, &object).await.unwrap();
            }
            match wait::wait_ready(&sandbox, "non-root", READY).await.unwrap() {
                PodState::Failed { reason, message } => {
                    assert_eq!(reason, "CreateContainerConfigError");
                    assert!(message.contains("runAsNonRoot"), "{message}");
                }
                other => panic!("expected Failed, got {other:?}"),
            }
            // A container that exits.
            for object in objects("exits.yaml", EXITS) {
                apply::apply(&sandbox, &object).await.unwrap();
            }
            match wait::wait_ready(&sandbox, "exits", READY).await.unwrap() {
                PodState::Failed { reason, message } => {
                    assert!(
                        ["Error", "CrashLoopBackOff"].contains(&reason.as_str()),
                        "{reason}: {message}"
                    );
                    assert!(message.contains("code 7"), "{message}");
                }
                other => panic!("expected Failed, got {other:?}"),
            }
            // A container that exits half a second after it starts may look Ready at
            // first: the checks run at once, and the settle confirmed after them turns
            // their verdict into the reason.
            for object in objects(
                "exits-late.yaml",
                &EXITS
                    .replace("exits", "exits-late")
                    .replace("exit 7", "sleep 0.5; exit 5"),
            ) {
                apply::apply(&sandbox, &object).await.unwrap();
            }
            let params = Default::default();
            let ctx = LiveContext::new(&sandbox, &params, READY);
            let run_as: CheckKind = serde_json::from_value(
                serde_json::json!({"run-as": {"pod": "exits-late", "uid": 0}}),
            )
            .unwrap();
            let outcomes = live::evaluate_step(&[&run_as], &ctx).await;
            assert_eq!(outcomes[0].verdict, Verdict::Fail, "{:?}", outcomes[0]);
            assert!(
                outcomes[0].message.contains("Pod exits-late does not run"),
                "{:?}",
                outcomes[0]
            );
        }
    };
    let outcome = tokio::spawn(check).await;
    sandbox.delete(DELETE).await.unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}

#[tokio::test]
async fn doctor_finds_the_test_cluster_fit() {
    let _shared = CLUSTER.read().await;
    let start = Instant::now();
    let checks = doctor::run(&options()).await;
    let took = start.elapsed();
    for check in &checks {
        eprintln!(
            "{} {:<60} {}",
            if check.ok { "✔" } else { "✘" },
            check.name,
            check.detail
        );
    }
    eprintln!("doctor: {:.2}s", took.as_secs_f64());
    assert!(checks.iter().all(|c| c.ok), "{checks:#?}");
    for wanted in [
        "cluster reachable",
        "NetworkPolicy enforced",
        "image redis pulls",
        "image busybox:1.28 pulls",
        "image registry:2 pulls",
        "permission: get, create pods/exec",
        "processes per pod bounded",
        "sandboxes isolated from each other",
        "temporary namespace",
    ] {
        assert!(
            checks.iter().any(|c| c.name.to_string() == wanted),
            "no {wanted} check"
        );
    }
    // The kubelet's podPidsLimit (tests/cluster/lib.sh: POD_PIDS_LIMIT=1024), found by
    // a probe pod counting the processes it may start (with the shell and pause).
    let pids = checks
        .iter()
        .find(|c| c.name.to_string() == "processes per pod bounded")
        .expect("a processes row");
    assert_eq!(
        pids.detail.to_string(),
        "bounded: a pod may run 1024 processes (the kubelet's podPidsLimit); a probe pod's fork failed there"
    );
    // The cluster's own DNS (CoreDNS in kube-system) answers a pod of the sandbox.
    let dns = checks
        .iter()
        .find(|c| c.name.to_string() == "cluster DNS answers")
        .expect("a cluster DNS row");
    assert!(dns.ok, "{}", dns.detail);
    assert!(
        dns.detail
            .to_string()
            .starts_with("kubernetes.default.svc.cluster.local resolves from a pod ("),
        "{}",
        dns.detail
    );
    // Which enforcer, and how it denied: Cilium by its API group and by dropping;
    // kube-router has no API group and rejects.
    let enforcer = checks
        .iter()
        .find(|c| c.name.to_string() == "NetworkPolicy enforcer")
        .expect("an enforcer row")
        .detail
        .to_string();
    // Sandboxes isolated from each other: on Cilium by a policy per sandbox
    // (tests/live_isolation.rs proves it), on kube-router not at all, and said so.
    let isolation = checks
        .iter()
        .find(|c| c.name.to_string() == "sandboxes isolated from each other")
        .expect("an isolation row")
        .detail
        .to_string();
    match common::testbed_enforcer().as_str() {
        "cilium" => assert!(isolation.starts_with("isolated (Cilium)"), "{isolation}"),
        _ => assert!(isolation.starts_with("not isolated:"), "{isolation}"),
    }
    match common::testbed_enforcer().as_str() {
        "cilium" => assert!(
            enforcer.starts_with("Cilium (API group cilium.io); denies by dropping"),
            "{enforcer}"
        ),
        _ => assert!(
            enforcer.starts_with("not named by an API group")
                && enforcer.contains("denies by rejecting"),
            "{enforcer}"
        ),
    }
}

#[tokio::test]
async fn doctor_reports_missing_permissions() {
    // Not the CLUSTER lock: only SelfSubjectAccessReviews, nothing created.
    let admin_client = admin().await;
    // The default ServiceAccount of `default` has no role at all.
    let token = kubectl(&[
        "create",
        "token",
        "default",
        "-n",
        "default",
        "--duration",
        "10m",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig");
    let rbac = std::fs::read_to_string(rbac_kubeconfig()).unwrap();
    let config: String = rbac
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("token:") {
                format!("    token: {}", token.trim())
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, config).unwrap();
    let weak = connect(&ConnectOptions {
        kubeconfig: Some(path),
        context: None,
    })
    .await
    .unwrap();
    let checks = doctor::permissions(&weak.client).await;
    // Every required permission is denied; the optional grants (the admission-policy labs,
    // isolation on Cilium) are said to be missing without failing doctor.
    let (required, optional) = checks.split_at(doctor::PERMISSIONS.len());
    assert!(required.iter().all(|c| !c.ok), "{checks:#?}");
    assert_eq!(
        optional.len(),
        doctor::ADMISSION_LAB_PERMISSIONS.len() + doctor::ISOLATION_PERMISSIONS.len()
    );
    assert!(
        optional
            .iter()
            .all(|c| c.ok && c.detail.to_string().starts_with("denied: ")),
        "{checks:#?}"
    );
    assert!(
        checks[0].detail.to_string().starts_with("denied: create"),
        "{checks:#?}"
    );
    // The same checks pass for the admin.
    assert!(
        doctor::permissions(&admin_client)
            .await
            .iter()
            .all(|c| c.ok)
    );
}

#[tokio::test]
async fn clean_removes_dead_runs_only_and_nothing_unmanaged() {
    use k8s_openapi::api::coordination::v1::Lease;
    use kubelab::cluster::run;
    let _alone = CLUSTER.write().await;
    let client = client().await;
    let a = Sandbox::create(&client, "clean-a").await.unwrap();
    let b = Sandbox::create(&client, "clean-b").await.unwrap();
    for object in objects("api-pod.yaml", API_POD) {
        apply::apply(&a, &object).await.unwrap();
    }
    let admin_client = admin().await;
    // Both carry the run's identity and a Lease held by this process.
    let namespaces: Api<Namespace> = Api::all(admin_client.clone());
    let labels = namespaces
        .get(&a.namespace)
        .await
        .unwrap()
        .metadata
        .labels
        .unwrap();
    assert_eq!(labels[run::RUN_LABEL], run::current().id);
    assert_eq!(labels[run::OWNER_LABEL], run::current().owner_label());
    let leases: Api<Lease> = Api::namespaced(admin_client.clone(), &a.namespace);
    let lease = leases.get(run::LEASE_NAME).await.unwrap();
    assert_eq!(
        lease.spec.as_ref().unwrap().holder_identity.as_deref(),
        Some(run::current().holder().as_str())
    );
    assert!(matches!(
        run::liveness(Some(&lease), k8s_openapi::jiff::Timestamp::now()),
        run::Liveness::Alive {
            hold: run::Hold::Process,
            ..
        }
    ));
    // `a`'s process dies: nothing renews its Lease any more, last renewed 40 s ago.
    let dead_namespace = a.namespace.clone();
    drop(a);
    let forty_ago =
        k8s_openapi::jiff::Timestamp::now() - k8s_openapi::jiff::SignedDuration::from_secs(40);
    let stale = serde_json::json!({"spec": {"renewTime":
        k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime(forty_ago)}});
    leases
        .patch(
            run::LEASE_NAME,
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&stale),
        )
        .await
        .unwrap();
    // Unmanaged look-alikes: a kubelab-ish name, and the lab label without managed-by.
    let unique = &dead_namespace[dead_namespace.len() - 6..];
    let lookalikes = [
        format!("kubelab-clean-a-x{unique}"),
        format!("kubelab-unmanaged-{unique}"),
    ];
    for (i, name) in lookalikes.iter().enumerate() {
        let mut labels = serde_json::json!({ LAB_LABEL: "clean-a" });
        if i == 1 {
            labels = serde_json::json!({ MANAGED_BY_LABEL: "someone-else" });
        }
        let ns: Namespace = serde_json::from_value(
            serde_json::json!({"metadata": {"name": name, "labels": labels}}),
        )
        .unwrap();
        namespaces
            .create(&PostParams::default(), &ns)
            .await
            .unwrap();
    }
    // A heartbeat of `b` passes meanwhile: `b` stays alive.
    tokio::time::sleep(run::RENEW_EVERY + Duration::from_secs(1)).await;
    let start = Instant::now();
    let cleaned = sandbox::clean(&client, &run::Scope::Dead, DELETE).await;
    eprintln!("clean: {:.2}s", start.elapsed().as_secs_f64());
    let survivors: Vec<bool> = {
        let mut v = Vec::new();
        for name in &lookalikes {
            v.push(namespace_exists(name).await);
            let _ = namespaces.delete(name, &DeleteParams::default()).await;
        }
        v
    };
    let cleaned = cleaned.unwrap();
    let deleted: Vec<&String> = cleaned.deleted.iter().map(|(n, _)| n).collect();
    let kept: Vec<&String> = cleaned.kept.iter().map(|(n, _)| n).collect();
    assert!(deleted.contains(&&dead_namespace), "{cleaned:?}");
    let why = &cleaned
        .deleted
        .iter()
        .find(|(n, _)| *n == dead_namespace)
        .unwrap()
        .1;
    assert!(why.contains("stopped renewing its Lease"), "{why}");
    assert!(kept.contains(&&b.namespace), "{cleaned:?}");
    let why = &cleaned
        .kept
        .iter()
        .find(|(n, _)| *n == b.namespace)
        .unwrap()
        .1;
    assert!(why.contains("is alive (process hold"), "{why}");
    assert!(!namespace_exists(&dead_namespace).await);
    assert!(namespace_exists(&b.namespace).await);
    for name in &deleted {
        assert!(name.starts_with("kubelab-"), "{name}");
    }
    assert_eq!(
        survivors,
        [true, true],
        "clean touched an unmanaged namespace"
    );
    assert!(namespace_exists("default").await && namespace_exists("kubelab-system").await);
    // `--run` removes a live run's namespaces; then nothing of the run is left.
    let mine = run::Scope::Run(run::current().id.clone());
    let cleaned = sandbox::clean(&client, &mine, DELETE).await.unwrap();
    assert!(
        cleaned.deleted.iter().any(|(n, _)| *n == b.namespace),
        "{cleaned:?}"
    );
    assert!(!namespace_exists(&b.namespace).await);
    // Again: nothing of this test's namespaces is left to delete. (Other tests of this
    // process share its run identity and may hold namespaces of the run right now, or be
    // deleting theirs: those are not this test's to count.)
    let cleaned = sandbox::clean(&client, &mine, DELETE).await.unwrap();
    assert!(
        !cleaned
            .deleted
            .iter()
            .chain(&cleaned.kept)
            .any(|(n, _)| *n == b.namespace || *n == dead_namespace),
        "{cleaned:?}"
    );
}

/// A NodePort Service (port auto-allocated) named `name`, as JSON for the API.
fn node_port_service(name: &str) -> k8s_openapi::api::core::v1::Service {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"type": "NodePort", "selector": {"app": name}, "ports": [{"port": 80}]}
    }))
    .unwrap()
}

/// Issue 22: the sandbox's ResourceQuota admits no NodePort unless kubelab runs the lab's
/// private registry there (`SandboxOptions::node_ports`), and then exactly one. This is
/// the API server's own bound, under kubelab's check that refuses a learner's NodePort
/// before it is sent.
#[tokio::test]
async fn a_sandbox_admits_a_node_port_only_where_kubelab_runs_a_registry() {
    use k8s_openapi::api::core::v1::Service;
    use kubelab::cluster::SandboxOptions;
    let _shared = CLUSTER.read().await;
    let client = client().await;
    let none = Sandbox::create(&client, "node-ports").await.unwrap();
    let one = Sandbox::create_with(
        &client,
        "node-ports",
        &SandboxOptions {
            node_ports: 1,
            ..SandboxOptions::default()
        },
        |_| {},
    )
    .await
    .unwrap();
    let post = PostParams::default();
    let refused = |e: kube::Error| match e {
        kube::Error::Api(status) => (status.code, status.message),
        other => panic!("not the API server's refusal: {other}"),
    };
    let services: Api<Service> = Api::namespaced(client.clone(), &none.namespace);
    let (code, message) = refused(
        services
            .create(&post, &node_port_service("first"))
            .await
            .expect_err("a NodePort in a sandbox without a registry"),
    );
    assert_eq!(code, 403, "{message}");
    assert!(
        message.contains("exceeded quota: kubelab-sandbox")
            && message.contains("limited: services.nodeports=0"),
        "{message}"
    );
    let services: Api<Service> = Api::namespaced(client.clone(), &one.namespace);
    services
        .create(&post, &node_port_service("registry"))
        .await
        .expect("the one NodePort of a registry's sandbox");
    let (code, message) = refused(
        services
            .create(&post, &node_port_service("second"))
            .await
            .expect_err("a second NodePort"),
    );
    assert_eq!(code, 403, "{message}");
    assert!(
        message.contains("limited: services.nodeports=1"),
        "{message}"
    );
    none.delete(DELETE).await.unwrap();
    one.delete(DELETE).await.unwrap();
}
