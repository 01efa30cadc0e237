//! The hostile corpus (`tests/hostile`, see tests/hostile.rs) graded live on the test
//! cluster, as the `kubelab` ServiceAccount of deploy/rbac.yaml. Proves that:
//! - every case gets the same refusals live as offline (kind, name, location, message)
//!   and the same verdict check by check (a check that only a cluster can grade, skipped
//!   offline, is not compared; but when the step submitting the lab's own objects fails
//!   whole, such a check must not pass live either), every failing check is located
//!   live where it is offline, and no case passes;
//! - nothing forbidden ever runs: while the cases run, a watch on the pods of every
//!   namespace (admin client) checks each pod that appears in a `kubelab-` namespace —
//!   it passes the Pod Security `baseline` checks, and neither its name nor its owner
//!   belongs to an object refused in that namespace's run; the watch must have seen the
//!   fixture pods of every network-policy case (it did watch);
//! - nothing outlives the run: every namespace the run created (label
//!   `app.kubernetes.io/managed-by=kubelab`) is gone within 120 s.
//!
//! Needs the test cluster (`tests/cluster/up`); fails loudly without it. Run it alone:
//! a kubelab namespace created meanwhile by another run counts as this run's, and the
//! private-registry lab's fixed NodePort is shared with other live runs.
//! `KUBELAB_HOSTILE_LABS=lab,lab` grades only those labs' cases (to rerun a part).

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{Api, ListParams};
use kube::runtime::{WatchStreamExt, watcher};
use kubelab::check::Verdict;
use kubelab::cluster::janitor::Janitor;
use kubelab::cluster::{ConnectOptions, connect};
use kubelab::grade::live::{self, LiveOptions, Quiet};
use kubelab::grade::{Grader, LabResult, RefusedResult as Refused};
use kubelab::lab::{Catalog, Lab, Lang};
use kubelab::manifest;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

/// Cases graded at once (the private-registry lab serializes: one registry NodePort).
const PARALLEL: usize = 4;
/// How long the namespaces of the run may take to disappear after it.
const GONE_WITHIN: Duration = Duration::from_secs(120);
const MANAGED: &str = "app.kubernetes.io/managed-by=kubelab";

fn cases(lab: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(lab);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// One pod as the watch saw it appear (or change).
struct SeenPod {
    namespace: String,
    name: String,
    /// `(kind, name)` of its owners.
    owners: Vec<(String, String)>,
    /// What Pod Security `baseline` says about it (empty: allowed).
    violations: Vec<String>,
}

fn seen(pod: &Pod) -> SeenPod {
    let value = serde_json::to_value(pod).expect("a pod serializes");
    let violations = kubelab::policy::pod_security::baseline("Pod", &value)
        .into_iter()
        .map(|v| format!("{} ({}) at {}", v.reason, v.detail, v.path))
        .collect();
    SeenPod {
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        owners: pod
            .metadata
            .owner_references
            .iter()
            .flatten()
            .map(|o| (o.kind.clone(), o.name.clone()))
            .collect(),
        violations,
    }
}

/// Watches the pods of all namespaces until `stop`, recording those of `kubelab-`
/// namespaces; resolves its handle once the initial listing is done.
async fn watch_pods(
    admin: kube::Client,
    pods: Arc<Mutex<Vec<SeenPod>>>,
    errors: Arc<Mutex<Vec<String>>>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let handle = tokio::spawn(async move {
        let api: Api<Pod> = Api::all(admin);
        let mut stream = watcher(api, watcher::Config::default())
            .default_backoff()
            .boxed();
        let mut ready = Some(ready_tx);
        let mut stop = stop;
        loop {
            let event = tokio::select! {
                _ = stop.changed() => break,
                event = stream.next() => event,
            };
            match event {
                Some(Ok(watcher::Event::Apply(pod) | watcher::Event::InitApply(pod))) => {
                    if pod
                        .metadata
                        .namespace
                        .as_deref()
                        .is_some_and(|n| n.starts_with("kubelab-"))
                    {
                        pods.lock().unwrap().push(seen(&pod));
                    }
                }
                Some(Ok(watcher::Event::InitDone)) => {
                    if let Some(tx) = ready.take() {
                        let _ = tx.send(());
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => errors.lock().unwrap().push(e.to_string()),
                None => {
                    errors
                        .lock()
                        .unwrap()
                        .push("the pod watch ended early".into());
                    break;
                }
            }
        }
    });
    tokio::time::timeout(Duration::from_secs(60), ready_rx)
        .await
        .expect("the pod watch lists the cluster's pods within 60 s")
        .expect("the pod watch started");
    handle
}

fn show(location: &Option<kubelab::manifest::Location>) -> String {
    match location {
        Some(l) => format!("{}:{}:{}", l.file, l.line, l.column),
        None => "nowhere".into(),
    }
}

/// The namespace a live result was graded in (its first note says so).
fn namespace_of(result: &LabResult) -> Option<String> {
    result.notes.iter().find_map(|n| {
        n.strip_prefix("graded live in namespace ")
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_string)
    })
}

/// The step that submits the lab's own objects fails whole offline (its object refused,
/// or rejected by admission).
fn submitted_step_fails_whole(lab: &Lab, offline: &LabResult) -> bool {
    lab.steps.iter().zip(&offline.steps).any(|(step, result)| {
        !step.submit.is_empty() && result.checks.iter().all(|c| c.verdict == Verdict::Fail)
    })
}

fn compare(name: &str, lab: &Lab, offline: &LabResult, live: &LabResult) -> Vec<String> {
    let mut out = Vec::new();
    if live.passed {
        out.push(format!("{name}: passed live"));
    }
    if offline.refused != live.refused {
        out.push(format!(
            "{name}: refused offline {:?}, live {:?}",
            offline.refused, live.refused
        ));
    }
    let whole_step_fails = submitted_step_fails_whole(lab, offline);
    for ((step, off), (_, on)) in offline.checks().zip(live.checks()) {
        if off.verdict == Verdict::Skip {
            if whole_step_fails && on.verdict == Verdict::Pass {
                out.push(format!(
                    "{name}: {}/{} passes live although the lab's own objects were refused or rejected: {}",
                    step.id, on.id, on.message
                ));
            }
            continue;
        }
        if off.verdict != on.verdict {
            out.push(format!(
                "{name}: {}/{}: offline {} ({}) but live {} ({}{})",
                step.id,
                off.id,
                off.verdict.as_str(),
                off.message,
                on.verdict.as_str(),
                on.message,
                on.details
                    .first()
                    .map(|d| format!("; {d}"))
                    .unwrap_or_default()
            ));
        } else if off.verdict == Verdict::Fail && off.location != on.location {
            // Located at the learner's line live too.
            out.push(format!(
                "{name}: {}/{} fails offline at {} but live at {}",
                step.id,
                off.id,
                show(&off.location),
                show(&on.location)
            ));
        }
    }
    out
}

struct Graded {
    name: String,
    namespace: Option<String>,
    refused: Vec<Refused>,
    problems: Vec<String>,
}

async fn grade_case(
    client: &kube::Client,
    catalog: &Catalog,
    lab_id: &str,
    case: PathBuf,
) -> Graded {
    let lab = catalog.get(lab_id).unwrap();
    let name = format!("{lab_id}/{}", case.file_name().unwrap().to_string_lossy());
    let submission = manifest::load_paths(&[case.join("submission")]);
    let submission = match submission {
        Ok(s) => s,
        Err(e) => {
            return Graded {
                problems: vec![format!("{name}: not graded, an input error: {e}")],
                name,
                namespace: None,
                refused: Vec::new(),
            };
        }
    };
    let offline = Grader::new(lab)
        .with_namespace("kubelab-sandbox")
        .grade(&submission, Lang::En);
    let janitor = Janitor::default();
    let options = LiveOptions::default();
    let started = Instant::now();
    let result = live::grade(
        client,
        &janitor,
        lab,
        &submission,
        Lang::En,
        &options,
        &Quiet,
    )
    .await;
    println!(
        "{name}: graded live in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    match result {
        Ok(live) => Graded {
            problems: compare(&name, lab, &offline, &live),
            namespace: namespace_of(&live),
            refused: offline.refused,
            name,
        },
        Err(e) => Graded {
            problems: vec![format!("{name}: live grading failed: {e}")],
            name,
            namespace: None,
            refused: offline.refused,
        },
    }
}

/// Why a pod of a run belongs to one of the run's refused objects, if it does.
fn belongs_to_refused(pod: &SeenPod, refused: &[Refused]) -> Option<String> {
    const WORKLOADS: [&str; 7] = [
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicationController",
    ];
    for r in refused {
        if r.kind == "Pod" && pod.name == r.name {
            return Some(format!("it is the refused Pod {}", r.name));
        }
        for (kind, name) in &pod.owners {
            if *kind == r.kind && *name == r.name {
                return Some(format!("its owner is the refused {kind} {name}"));
            }
            // A Deployment's ReplicaSet, a CronJob's Job.
            if ["Deployment", "CronJob"].contains(&r.kind.as_str())
                && name.starts_with(&format!("{}-", r.name))
            {
                return Some(format!(
                    "its owner {kind} {name} is one of the refused {} {}",
                    r.kind, r.name
                ));
            }
        }
        if WORKLOADS.contains(&r.kind.as_str()) && pod.name.starts_with(&format!("{}-", r.name)) {
            return Some(format!(
                "its name is that of a pod of the refused {} {}",
                r.kind, r.name
            ));
        }
    }
    None
}

async fn labelled_namespaces(admin: &kube::Client) -> BTreeSet<String> {
    let api: Api<Namespace> = Api::all(admin.clone());
    api.list(&ListParams::default().labels(MANAGED))
        .await
        .expect("listing the kubelab namespaces as admin")
        .items
        .into_iter()
        .filter_map(|n| n.metadata.name)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_hostile_case_is_refused_live_as_offline_and_nothing_forbidden_runs() {
    // Panics loudly when the cluster is not reachable.
    let kubeconfig = common::rbac_kubeconfig();
    let client = connect(&ConnectOptions {
        kubeconfig: Some(kubeconfig),
        context: None,
    })
    .await
    .expect("connecting to the test cluster as the kubelab ServiceAccount")
    .client;
    let admin = connect(&ConnectOptions {
        kubeconfig: Some(common::admin_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting to the test cluster as admin")
    .client;
    let before = labelled_namespaces(&admin).await;

    let pods = Arc::new(Mutex::new(Vec::new()));
    let watch_errors = Arc::new(Mutex::new(Vec::new()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let watch = watch_pods(admin.clone(), pods.clone(), watch_errors.clone(), stop_rx).await;

    let catalog = Catalog::embedded().unwrap();
    let started = Instant::now();
    let only = std::env::var("KUBELAB_HOSTILE_LABS").ok();
    let mut results: Vec<Graded> = Vec::new();
    for (lab, parallel) in [
        ("network-policy", PARALLEL),
        ("security-context", PARALLEL),
        ("private-registry", 1),
    ] {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|l| l == lab))
        {
            continue;
        }
        let graded: Vec<Graded> = futures::stream::iter(cases(lab))
            .map(|case| grade_case(&client, &catalog, lab, case))
            .buffer_unordered(parallel)
            .collect()
            .await;
        results.extend(graded);
    }
    results.sort_by(|a, b| a.name.cmp(&b.name));
    let mut created: BTreeSet<String> = labelled_namespaces(&admin)
        .await
        .difference(&before)
        .cloned()
        .collect();
    created.extend(results.iter().filter_map(|g| g.namespace.clone()));
    // Pods of the last runs still being deleted may show up changed: keep watching a bit.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let _ = stop_tx.send(true);
    watch.await.expect("the pod watch task");

    let mut problems: Vec<String> = results.iter().flat_map(|g| g.problems.clone()).collect();
    for e in watch_errors.lock().unwrap().iter() {
        problems.push(format!("pod watch: {e}"));
    }

    // Nothing forbidden ran.
    let by_namespace: BTreeMap<&str, &Graded> = results
        .iter()
        .filter_map(|g| g.namespace.as_deref().map(|n| (n, g)))
        .collect();
    let pods = std::mem::take(&mut *pods.lock().unwrap());
    let mut forbidden = BTreeSet::new();
    for pod in &pods {
        if !pod.violations.is_empty() {
            forbidden.insert(format!(
                "pod {}/{} breaks Pod Security baseline: {}",
                pod.namespace,
                pod.name,
                pod.violations.join("; ")
            ));
        }
        if let Some(run) = by_namespace.get(pod.namespace.as_str())
            && let Some(why) = belongs_to_refused(pod, &run.refused)
        {
            forbidden.insert(format!(
                "pod {}/{} ran in {}: {why}",
                pod.namespace, pod.name, run.name
            ));
        }
    }
    problems.extend(forbidden);
    // The watch did watch: every network-policy run's fixture pods were seen.
    for run in results
        .iter()
        .filter(|g| g.name.starts_with("network-policy/"))
    {
        let Some(namespace) = &run.namespace else {
            continue;
        };
        for fixture in ["db-pod", "api-pod", "external-pod"] {
            if !pods
                .iter()
                .any(|p| &p.namespace == namespace && p.name == fixture)
            {
                problems.push(format!(
                    "{}: the pod watch never saw {namespace}/{fixture}",
                    run.name
                ));
            }
        }
    }

    // Nothing outlives the run.
    let namespaces: Api<Namespace> = Api::all(admin.clone());
    let deadline = Instant::now() + GONE_WITHIN;
    let leftovers = loop {
        let mut left = Vec::new();
        for name in &created {
            match namespaces.get_opt(name).await {
                Ok(None) => {}
                Ok(Some(_)) => left.push(name.clone()),
                Err(e) => left.push(format!("{name} (could not look: {e})")),
            }
        }
        if left.is_empty() || Instant::now() > deadline {
            break left;
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
    };
    if !leftovers.is_empty() {
        problems.push(format!(
            "{} namespaces of the run still exist {}s after it: {leftovers:?}",
            leftovers.len(),
            GONE_WITHIN.as_secs()
        ));
    }

    println!(
        "{} hostile cases graded live in {:.0}s; the watch saw {} pods in kubelab namespaces; {} namespaces created, {} left; {} problems",
        results.len(),
        started.elapsed().as_secs_f64(),
        pods.len(),
        created.len(),
        leftovers.len(),
        problems.len()
    );
    for line in &problems {
        println!("PROBLEM: {line}");
    }
    if only.is_none() {
        assert!(results.len() >= 45, "only {} cases", results.len());
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
