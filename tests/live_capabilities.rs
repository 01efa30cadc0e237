//! The capability model against containerd and runc themselves: generated `add`/`drop`
//! lists (every case of ALL, `CAP_` prefixes, `ALL` mixed with single names, unknown
//! names, duplicates, the characters Go upper-cases to ASCII) run as containers on the
//! test cluster, and each container's bounding set (`CapBnd` of `/proc/1/status`) must be
//! the one `check::security_context::cri_bounding_set` predicts; its effective and
//! permitted sets too (the process runs as root, so containerd gives it the same three).
//! Zero differences allowed.
//!
//! The containers run in the test's own namespace (`kubelab-live-caps-<random>`), without
//! Pod Security labels, which would refuse most of the adds; it carries kubelab's labels,
//! this run's identity and a renewed Lease, so `kubelab clean` leaves it alone while the
//! test runs and removes it if the test dies; the test deletes it at the end.
//!
//! `add: [ALL]` gives what containerd itself holds, which on a normal node is every
//! capability, but not on every machine (the test cluster's host lacks `SYS_RESOURCE`):
//! a first container with `add: [ALL]` measures it, and the model is given that set. A
//! case that asks for a capability beyond it by name must not start (runc's `capset`
//! cannot raise a capability its own process lacks).
//!
//! `KUBELAB_CAPS_SEED` replays a seed (printed), `KUBELAB_CAPS_CASES` sets how many cases
//! (default 150). Needs the test cluster (`tests/cluster/up`); fails loudly without it.

use k8s_openapi::api::core::v1::{Namespace, Pod, ServiceAccount};
use kube::api::{Api, ObjectMeta, PostParams};
use kubelab::check::security_context::{ALL_CAPS, cri_bounding_set};
use kubelab::cluster::exec::exec;
use kubelab::cluster::run::{self, Hold};
use kubelab::cluster::sandbox::{LAB_LABEL, MANAGED_BY, MANAGED_BY_LABEL};
use kubelab::cluster::{ConnectOptions, Sandbox, connect};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

mod common;

/// Containers per pod: the kubelet starts them one after the other, pods in parallel.
const PER_POD: usize = 10;
/// How long every container may take to start or to fail for good.
const SETTLE: Duration = Duration::from_secs(600);
/// Execs at once.
const PARALLEL: usize = 8;

/// One container's `capabilities`: `None` leaves the list out.
#[derive(Clone, Debug)]
struct Case {
    add: Option<Vec<String>>,
    drop: Option<Vec<String>>,
}

impl Case {
    fn new(add: &[&str], drop: &[&str]) -> Case {
        let list = |l: &[&str]| Some(l.iter().map(|s| s.to_string()).collect());
        Case {
            add: list(add),
            drop: list(drop),
        }
    }

    fn capabilities(&self) -> Value {
        let mut caps = serde_json::Map::new();
        if let Some(add) = &self.add {
            caps.insert("add".into(), json!(add));
        }
        if let Some(drop) = &self.drop {
            caps.insert("drop".into(), json!(drop));
        }
        Value::Object(caps)
    }
}

impl std::fmt::Display for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.capabilities())
    }
}

/// What a container became.
#[derive(Clone, Debug, PartialEq)]
enum Seen {
    /// Running: its bounding, effective and permitted sets.
    Runs {
        bounding: BTreeSet<String>,
        effective: BTreeSet<String>,
        permitted: BTreeSet<String>,
    },
    /// It did not start (the kubelet's reason and message).
    NotStarted(String),
}

/// The cases of the issue, then generated ones.
fn fixed_cases() -> Vec<Case> {
    vec![
        Case::new(&[], &["CAP_ALL"]),
        Case::new(&[], &["CAP_CHOWN"]),
        Case::new(&[], &["all"]),
        Case::new(&[], &["All"]),
        Case::new(&[], &["ALL"]),
        Case::new(&["all"], &["chown"]),
        Case::new(&["ALL"], &[]),
        Case::new(&["NET_ADMIN"], &["ALL"]),
        Case::new(&["CAP_NET_ADMIN"], &["ALL"]),
        Case::new(&["NOT_A_CAPABILITY", ""], &["ALSO_NOT_ONE", "CAP_"]),
        Case::new(&[], &[" CHOWN", "NET_RAW "]),
        Case::new(&["ſys_chroot", "kıll", "net_broadcaﬆ"], &["all"]),
        Case::new(&[], &[]),
        Case {
            add: None,
            drop: None,
        },
    ]
}

const ALL_SPELLINGS: &[&str] = &[
    "ALL", "all", "All", "aLL", "alL", "CAP_ALL", "cap_all", "Cap_All",
];

/// Names no capability has, whatever containerd makes of them, and names Go's
/// `strings.ToUpper` turns into real ones (`ı` → `I`, `ſ` → `S`) or not (`ß`, `ﬆ`).
const ODD_NAMES: &[&str] = &[
    "NOT_A_CAP",
    "",
    "CAP_",
    " CHOWN",
    "KILL ",
    "SYS-ADMIN",
    "NETRAW",
    "CAP_CAP_KILL",
    "ALLL",
    "*",
    "AL L",
    "42",
    "ſetuid",
    "ſyſ_admin",
    "kıll",
    "net_broadcaﬆ",
    "ßetuid",
    "ﬆ",
];

fn spell(rng: &mut StdRng, name: &str) -> String {
    match rng.random_range(0..4) {
        0 => name.to_string(),
        1 => name.to_ascii_lowercase(),
        2 => {
            let lower = name.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
        _ => name
            .chars()
            .map(|c| {
                if rng.random_bool(0.5) {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect(),
    }
}

fn entry(rng: &mut StdRng) -> String {
    match rng.random_range(0..100) {
        0..12 => ALL_SPELLINGS.choose(rng).unwrap().to_string(),
        12..24 => ODD_NAMES.choose(rng).unwrap().to_string(),
        _ => {
            let cap = *ALL_CAPS.choose(rng).unwrap();
            let name = spell(rng, cap);
            let prefix = match rng.random_range(0..10) {
                0..7 => "",
                7 => "CAP_",
                8 => "cap_",
                _ => "Cap_",
            };
            format!("{prefix}{name}")
        }
    }
}

fn list(rng: &mut StdRng) -> Option<Vec<String>> {
    if rng.random_bool(0.1) {
        return None;
    }
    let mut items: Vec<String> = (0..rng.random_range(0..=4)).map(|_| entry(rng)).collect();
    // Duplicates, as written or in another case.
    if !items.is_empty() && rng.random_bool(0.2) {
        let again = items.choose(rng).unwrap().clone();
        let again = if rng.random_bool(0.5) {
            again
        } else {
            spell(rng, &again)
        };
        items.insert(rng.random_range(0..=items.len()), again);
    }
    Some(items)
}

fn generated(seed: u64, count: usize) -> Vec<Case> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut cases = fixed_cases();
    while cases.len() < count {
        cases.push(Case {
            add: list(&mut rng),
            drop: list(&mut rng),
        });
    }
    cases
}

/// The model's answer, given what containerd holds (`add: [ALL]`'s set on this node).
fn predict(case: &Case, held: &[&str]) -> Result<BTreeSet<String>, BTreeSet<String>> {
    let set = cri_bounding_set(
        case.add.as_deref().unwrap_or_default(),
        case.drop.as_deref().unwrap_or_default(),
        held,
    );
    let beyond: BTreeSet<String> = set
        .iter()
        .filter(|c| !held.contains(&c.as_str()))
        .cloned()
        .collect();
    if beyond.is_empty() {
        Ok(set)
    } else {
        Err(beyond)
    }
}

/// Capability names of a `CapBnd`-style hex mask, decoded as the live `capabilities`
/// check decodes it (bit i is `ALL_CAPS[i]`).
fn decode(mask: &str) -> BTreeSet<String> {
    kubelab::check::live::capabilities::decode(mask)
        .unwrap_or_else(|| panic!("{mask:?} is not a hex mask"))
}

fn status_field<'s>(status: &'s str, name: &str) -> &'s str {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {name} in /proc/1/status:\n{status}"))
}

fn pod_manifest(name: &str, cases: &[(usize, &Case)]) -> Pod {
    let containers: Vec<Value> = cases
        .iter()
        .map(|(i, case)| {
            json!({
                "name": format!("c{i}"),
                "image": "busybox:1.28",
                "imagePullPolicy": "IfNotPresent",
                "command": ["sleep", "3600"],
                "securityContext": {"capabilities": case.capabilities()},
            })
        })
        .collect();
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": containers, "terminationGracePeriodSeconds": 0,
                 "automountServiceAccountToken": false, "enableServiceLinks": false},
    }))
    .expect("a pod")
}

async fn admin() -> kube::Client {
    common::require_cluster();
    connect(&ConnectOptions {
        kubeconfig: Some(common::admin_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting as admin")
    .client
}

/// The test's namespace: kubelab's labels and this run's, no Pod Security labels, a Lease
/// renewed every few seconds by a task (ended with the runtime).
async fn create_namespace(client: &kube::Client) -> String {
    let identity = run::current();
    let mut labels = BTreeMap::from([
        (MANAGED_BY_LABEL.to_string(), MANAGED_BY.to_string()),
        (LAB_LABEL.to_string(), "live-capabilities".to_string()),
    ]);
    labels.extend(run::namespace_labels(identity));
    let name = format!("kubelab-live-caps-{}", &identity.id[..6]);
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            labels: Some(labels),
            annotations: Some(run::namespace_annotations(identity)),
            ..Default::default()
        },
        ..Default::default()
    };
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &namespace)
        .await
        .unwrap_or_else(|e| panic!("create namespace {name}: {e}"));
    run::acquire(client, &name, Hold::Process)
        .await
        .unwrap_or_else(|e| panic!("the Lease of {name}: {e}"));
    let (renewer, ns) = (client.clone(), name.clone());
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(run::RENEW_EVERY).await;
            if let Ok(false) = run::renew(&renewer, &ns, Hold::Process).await {
                break;
            }
        }
    });
    // Pods are refused until the namespace has its `default` ServiceAccount.
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), &name);
    let start = Instant::now();
    while accounts.get_opt("default").await.ok().flatten().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "namespace {name} got no default ServiceAccount within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    name
}

/// Waits until every container of `pods` runs or has failed for good; `(pod, container)`
/// → what became of it (`None`: running).
async fn settle(
    pods: &Api<Pod>,
    names: &[String],
) -> Result<BTreeMap<(String, String), Option<String>>, String> {
    let start = Instant::now();
    loop {
        let mut states = BTreeMap::new();
        let mut pending = Vec::new();
        for name in names {
            let pod = pods
                .get(name)
                .await
                .map_err(|e| format!("get {name}: {e}"))?;
            let statuses = pod
                .status
                .and_then(|s| s.container_statuses)
                .unwrap_or_default();
            let spec_count = pod.spec.map(|s| s.containers.len()).unwrap_or(0);
            if statuses.len() < spec_count {
                pending.push(format!(
                    "{name}: {} of {spec_count} statuses",
                    statuses.len()
                ));
                continue;
            }
            for status in statuses {
                let state = status.state.unwrap_or_default();
                let key = (name.clone(), status.name.clone());
                if state.running.is_some() {
                    states.insert(key, None);
                } else if let Some(t) = state.terminated {
                    let why = format!(
                        "terminated: {} {}",
                        t.reason.unwrap_or_default(),
                        t.message.unwrap_or_default()
                    );
                    states.insert(key, Some(why));
                } else {
                    let waiting = state.waiting.unwrap_or_default();
                    let reason = waiting.reason.unwrap_or_default();
                    let for_good = [
                        "CreateContainerError",
                        "RunContainerError",
                        "CrashLoopBackOff",
                        "StartError",
                    ];
                    if for_good.contains(&reason.as_str()) {
                        let why = format!("{reason}: {}", waiting.message.unwrap_or_default());
                        states.insert(key, Some(why));
                    } else {
                        pending.push(format!("{name}/{}: {reason}", status.name));
                    }
                }
            }
        }
        if pending.is_empty() {
            return Ok(states);
        }
        if start.elapsed() > SETTLE {
            return Err(format!(
                "not settled after {} s: {}",
                SETTLE.as_secs(),
                pending.join("; ")
            ));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

async fn observe(pods: &Api<Pod>, pod: &str, container: &str) -> Result<Seen, String> {
    let out = exec(
        pods,
        pod,
        Some(container),
        &["cat", "/proc/1/status"],
        Duration::from_secs(60),
    )
    .await
    .map_err(|e| format!("exec in {pod}/{container}: {e}"))?;
    if out.code != 0 {
        return Err(format!(
            "cat /proc/1/status in {pod}/{container} exited {}: {}",
            out.code,
            out.combined()
        ));
    }
    Ok(Seen::Runs {
        bounding: decode(status_field(&out.stdout, "CapBnd:")),
        effective: decode(status_field(&out.stdout, "CapEff:")),
        permitted: decode(status_field(&out.stdout, "CapPrm:")),
    })
}

/// Runs `cases` (index, case) in pods named `<prefix>-<n>`; what each container became,
/// by case index.
async fn run_cases(
    pods: &Api<Pod>,
    prefix: &str,
    cases: &[(usize, &Case)],
) -> Result<BTreeMap<usize, Seen>, String> {
    let mut names = Vec::new();
    for (n, chunk) in cases.chunks(PER_POD).enumerate() {
        let name = format!("{prefix}-{n}");
        pods.create(&PostParams::default(), &pod_manifest(&name, chunk))
            .await
            .map_err(|e| format!("create pod {name}: {e}"))?;
        names.push(name);
    }
    let states = settle(pods, &names).await?;
    let mut work = Vec::new();
    for (n, chunk) in cases.chunks(PER_POD).enumerate() {
        for (i, _) in chunk {
            let pod = names[n].clone();
            let container = format!("c{i}");
            let state = states
                .get(&(pod.clone(), container.clone()))
                .cloned()
                .ok_or_else(|| format!("no status for {pod}/{container}"))?;
            work.push((*i, pod, container, state));
        }
    }
    use futures::stream::{self, StreamExt};
    let seen: Vec<Result<(usize, Seen), String>> = stream::iter(work)
        .map(|(i, pod, container, state)| async move {
            match state {
                Some(why) => Ok((i, Seen::NotStarted(why))),
                None => observe(pods, &pod, &container).await.map(|s| (i, s)),
            }
        })
        .buffer_unordered(PARALLEL)
        .collect()
        .await;
    seen.into_iter().collect()
}

struct Report {
    cases: usize,
    started: usize,
    not_started: usize,
    bounding_differences: usize,
    other_differences: usize,
    held: BTreeSet<String>,
}

async fn differential(
    client: &kube::Client,
    namespace: &str,
    cases: &[Case],
) -> Result<Report, String> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    // What containerd holds: the bounding set of `add: [ALL]`.
    let probe = Case::new(&["ALL"], &[]);
    let held = match run_cases(&pods, "probe", &[(0, &probe)]).await?.remove(&0) {
        Some(Seen::Runs { bounding, .. }) => bounding,
        other => return Err(format!("the probe with add: [ALL] did not run: {other:?}")),
    };
    let lacking: Vec<&str> = ALL_CAPS
        .iter()
        .copied()
        .filter(|c| !held.contains(*c))
        .collect();
    eprintln!(
        "containerd holds {} of {} capabilities{}",
        held.len(),
        ALL_CAPS.len(),
        if lacking.is_empty() {
            String::new()
        } else {
            format!(" (lacks {})", lacking.join(", "))
        }
    );
    let held_names: Vec<&str> = ALL_CAPS
        .iter()
        .copied()
        .filter(|c| held.contains(*c))
        .collect();

    let indexed: Vec<(usize, &Case)> = cases.iter().enumerate().collect();
    let seen = run_cases(&pods, "caps", &indexed).await?;
    let mut report = Report {
        cases: cases.len(),
        started: 0,
        not_started: 0,
        bounding_differences: 0,
        other_differences: 0,
        held,
    };
    for (i, case) in cases.iter().enumerate() {
        let observed = seen
            .get(&i)
            .ok_or_else(|| format!("case {i}: nothing observed"))?;
        match (predict(case, &held_names), observed) {
            (
                Ok(expected),
                Seen::Runs {
                    bounding,
                    effective,
                    permitted,
                },
            ) => {
                report.started += 1;
                if *bounding != expected {
                    report.bounding_differences += 1;
                    eprintln!(
                        "DIFFERENCE case {i} {case}: CapBnd {bounding:?}, predicted {expected:?} \
                         (missing {:?}, extra {:?})",
                        expected.difference(bounding).collect::<Vec<_>>(),
                        bounding.difference(&expected).collect::<Vec<_>>()
                    );
                } else if *effective != expected || *permitted != expected {
                    report.other_differences += 1;
                    eprintln!(
                        "DIFFERENCE case {i} {case}: CapEff {effective:?}, CapPrm {permitted:?}, \
                         predicted {expected:?} for all three"
                    );
                }
            }
            (Err(beyond), Seen::NotStarted(why)) => {
                report.not_started += 1;
                eprintln!(
                    "case {i} {case}: did not start, as predicted (asks for {beyond:?}, which \
                     containerd lacks): {why}"
                );
            }
            (Ok(expected), Seen::NotStarted(why)) => {
                report.bounding_differences += 1;
                eprintln!(
                    "DIFFERENCE case {i} {case}: did not start ({why}), predicted CapBnd {expected:?}"
                );
            }
            (Err(beyond), Seen::Runs { bounding, .. }) => {
                report.bounding_differences += 1;
                eprintln!(
                    "DIFFERENCE case {i} {case}: runs with CapBnd {bounding:?}, predicted not to \
                     start (asks for {beyond:?}, which containerd lacks)"
                );
            }
        }
    }
    Ok(report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn containerd_and_runc_make_the_bounding_set_the_model_predicts() {
    let seed: u64 = std::env::var("KUBELAB_CAPS_SEED")
        .ok()
        .map(|s| s.parse().expect("KUBELAB_CAPS_SEED is a number"))
        .unwrap_or_else(|| rand::rng().random_range(0..1_000_000));
    let count: usize = std::env::var("KUBELAB_CAPS_CASES")
        .ok()
        .map(|s| s.parse().expect("KUBELAB_CAPS_CASES is a number"))
        .unwrap_or(150);
    eprintln!("seed {seed} (replay: KUBELAB_CAPS_SEED={seed}), {count} cases");
    let cases = generated(seed, count);
    let client = admin().await;
    let start = Instant::now();
    let namespace = create_namespace(&client).await;
    eprintln!("namespace {namespace}");
    let result = differential(&client, &namespace, &cases).await;
    let deleted = Sandbox::new(&client, &namespace, "live-capabilities")
        .delete(Duration::from_secs(120))
        .await;
    let elapsed = start.elapsed();
    let report = result.unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!(
        "seed {seed}: {} cases ({} started, {} did not start as predicted), containerd holds \
         {} capabilities; CapBnd differences: {}, CapEff/CapPrm differences: {}; {:.1} s",
        report.cases,
        report.started,
        report.not_started,
        report.held.len(),
        report.bounding_differences,
        report.other_differences,
        elapsed.as_secs_f64()
    );
    deleted.unwrap_or_else(|e| panic!("deleting namespace {namespace}: {e}"));
    assert!(report.cases >= 100, "only {} cases", report.cases);
    assert_eq!(
        (report.bounding_differences, report.other_differences),
        (0, 0),
        "seed {seed}: the model and the cluster differ (see above)"
    );
}

#[test]
fn the_generator_covers_every_kind_of_entry() {
    let cases = generated(1, 150);
    let entries: Vec<&String> = cases
        .iter()
        .flat_map(|c| c.add.iter().chain(c.drop.iter()).flatten())
        .collect();
    let has = |f: &dyn Fn(&str) -> bool| entries.iter().any(|e| f(e));
    assert!(has(&|e| e == "ALL"));
    assert!(has(&|e| e != "ALL" && e.eq_ignore_ascii_case("ALL")));
    assert!(has(&|e| e.eq_ignore_ascii_case("CAP_ALL")));
    assert!(has(&|e| e.starts_with("CAP_") && e.len() > 4));
    assert!(has(&|e| e.chars().any(|c| c.is_ascii_lowercase())));
    assert!(has(&|e| ODD_NAMES.contains(&e)));
    assert!(cases.iter().any(|c| {
        let all = |l: &Option<Vec<String>>| {
            l.iter().flatten().any(|e| e.eq_ignore_ascii_case("ALL"))
                && l.iter().flatten().any(|e| !e.eq_ignore_ascii_case("ALL"))
        };
        all(&c.add) || all(&c.drop)
    }));
    assert!(cases.iter().any(|c| {
        c.add.iter().chain(c.drop.iter()).any(|l| {
            let set: BTreeSet<&String> = l.iter().collect();
            set.len() < l.len()
        })
    }));
    // The same seed, the same cases.
    let again = generated(1, 150);
    assert_eq!(format!("{cases:?}"), format!("{again:?}"));
}
