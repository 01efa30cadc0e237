//! The real cluster is the oracle: every case of `tests/corpus` graded live on the test
//! cluster (as the `kubelab` ServiceAccount of deploy/rbac.yaml) must get the same verdict,
//! check by check, as offline. Prints every disagreement and fails on one. Each lab's
//! corpus runs as one class run (`kubelab class`'s live runner), so this also shows that a
//! learner graded in a class gets the verdicts a single grade gives.
//! Needs the test cluster (`tests/cluster/up`); fails loudly without it.

use kubelab::check::Verdict;
use kubelab::class::{self, Event, Learner, Outcome};
use kubelab::cluster::janitor::Janitor;
use kubelab::cluster::{ConnectOptions, connect};
use kubelab::grade::{Grader, LabResult};
use kubelab::lab::{Catalog, Lang};
use kubelab::manifest;
use std::path::PathBuf;

mod common;

/// Cases graded at once (the private-registry lab serializes: one registry NodePort).
const PARALLEL: usize = 4;

fn cases(lab: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(lab);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    cases
}

fn compare(name: &str, offline: &LabResult, live: &LabResult) -> Vec<String> {
    let mut out = Vec::new();
    // The sandbox refuses the same objects (a lab with any does not pass either way).
    if offline.refused != live.refused {
        out.push(format!(
            "{name}: offline refused {:?}, live refused {:?}",
            offline.refused, live.refused
        ));
    }
    for ((step, off), (_, on)) in offline.checks().zip(live.checks()) {
        // Implementation-defined offline (skip) is not compared; the live verdict stands.
        if off.verdict == Verdict::Skip || (on.verdict == Verdict::Skip && off.kind == "exec") {
            continue;
        }
        if let Some(note) = on
            .details
            .iter()
            .find(|d| d.starts_with("graded by the API"))
        {
            println!("{name}: {}: {note}", off.id);
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
        }
    }
    out
}

/// A lab's corpus graded live as one class run (`kubelab class`'s runner: every case a
/// learner in its own sandbox, `parallel` at once), each compared with its offline grade.
async fn grade_lab(
    client: &kube::Client,
    lab: &kubelab::lab::Lab,
    parallel: usize,
) -> Vec<(String, Vec<String>)> {
    let learners: Vec<Learner> = cases(&lab.id)
        .into_iter()
        .map(|case| Learner {
            id: case.file_name().unwrap().to_string_lossy().into_owned(),
            path: case.join("submission"),
            ..Learner::default()
        })
        .collect();
    let rows = std::sync::Mutex::new(Vec::new());
    let janitor = Janitor::default();
    class::run_live(
        client,
        &janitor,
        lab,
        &learners,
        Lang::En,
        parallel,
        &|event| {
            if let Event::LearnerFinished(row) = event {
                rows.lock().unwrap().push(row);
            }
        },
    )
    .await;
    let rows = rows.into_inner().unwrap();
    assert_eq!(rows.len(), learners.len(), "one row per case");
    rows.into_iter()
        .map(|row| {
            let name = format!("{}/{}", lab.id, row.learner);
            let learner = learners.iter().find(|l| l.id == row.learner).unwrap();
            let submission = manifest::load_paths(std::slice::from_ref(&learner.path)).unwrap();
            // Simulated in a namespace other than `default`, as live grading runs it (a
            // policy may select the namespace by its name).
            let offline = Grader::new(lab)
                .with_namespace("kubelab-sandbox")
                .grade(&submission, Lang::En);
            let problems = match &row.outcome {
                Outcome::Graded(live) => compare(&name, &offline, live),
                Outcome::Failed { message, .. } => {
                    vec![format!("{name}: live grading failed: {message}")]
                }
            };
            (name, problems)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_corpus_case_gets_the_same_verdict_live_as_offline() {
    let kubeconfig = common::rbac_kubeconfig();
    let client = connect(&ConnectOptions {
        kubeconfig: Some(kubeconfig),
        context: None,
    })
    .await
    .expect("connecting to the test cluster as the kubelab ServiceAccount")
    .client;
    let catalog = Catalog::embedded().unwrap();
    let started = std::time::Instant::now();
    let mut results = Vec::new();
    for (lab, parallel) in [
        ("network-policy", PARALLEL),
        ("security-context", PARALLEL),
        ("private-registry", PARALLEL),
    ] {
        results.extend(grade_lab(&client, catalog.get(lab).unwrap(), parallel).await);
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let disagreements: Vec<String> = results.iter().flat_map(|(_, p)| p.clone()).collect();
    let agreeing = results.iter().filter(|(_, p)| p.is_empty()).count();
    println!(
        "{} cases graded live in {:.0}s: {agreeing} agree check by check, {} disagreements",
        results.len(),
        started.elapsed().as_secs_f64(),
        disagreements.len()
    );
    for line in &disagreements {
        println!("DISAGREEMENT: {line}");
    }
    assert!(results.len() >= 45);
    assert!(
        disagreements.is_empty(),
        "{} disagreements between offline and live:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
