//! The real cluster is the oracle: every case of `labs/<id>/corpus` graded live on the test
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
use kubelab::lab::{Catalog, Lab, Lang};
use kubelab::manifest;
use std::path::{Path, PathBuf};

mod common;

/// Cases graded at once (the private-registry lab serializes: one registry NodePort).
const PARALLEL: usize = 4;

/// Random variant seeds per lab, new every run.
const SEEDS: usize = 3;

/// What a learner's grade must be, besides agreeing with offline.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// A corpus case: whatever offline says.
    Agree,
    Pass,
    Fail,
}

/// A learner of the class run: who, their variant, what they must get.
struct Case {
    learner: Learner,
    expect: Expect,
}

fn random_seed() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn write_files(dir: &Path, files: &[(String, String)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// The base64 `.dockerconfigjson` kubectl writes for these credentials.
fn docker_config_json(server: &str, user: &str, password: &str, email: &str) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let auth = b64.encode(format!("{user}:{password}"));
    b64.encode(format!(
        r#"{{"auths":{{"{server}":{{"username":"{user}","password":"{password}","email":"{email}","auth":"{auth}"}}}}}}"#
    ))
}

/// The variant's reference solution with one value wrong, and what was changed: the
/// allowed port (network-policy, egress), the UID (security-context), the password in the pull
/// secret (private-registry), the enforced level (pod-security), the binding's action
/// (allowed-registries).
fn wrong_answer(variant: &Lab) -> (&'static str, Vec<(String, String)>) {
    let values = variant.param_values();
    let files = variant.solution_files();
    let rewrite = |name: &str, from: &str, to: &str| -> Vec<(String, String)> {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(file, text)| {
                (
                    file.clone(),
                    kubelab::lab::variant::rewrite(text, &[(from, to)]),
                )
            })
            .collect();
        assert_ne!(files, variant.solution_files(), "{name}: nothing rewritten");
        files
    };
    match variant.id.as_str() {
        "network-policy" | "egress" => ("wrong-port", rewrite("port", &values["db_port"], "7000")),
        "security-context" => ("wrong-uid", rewrite("uid", &values["uid"], "4321")),
        "private-registry" => {
            let config = |password: &str| {
                docker_config_json(
                    &values["registry"],
                    &values["username"],
                    password,
                    &values["email"],
                )
            };
            let wrong = format!("{}x", values["password"]);
            (
                "wrong-password",
                rewrite("password", &config(&values["password"]), &config(&wrong)),
            )
        }
        "pod-security" => (
            "baseline",
            rewrite(
                "enforce",
                "pod-security.kubernetes.io/enforce: restricted",
                "pod-security.kubernetes.io/enforce: baseline",
            ),
        ),
        "allowed-registries" => (
            "warn-only",
            rewrite(
                "validationActions",
                "validationActions: [\"Deny\"]",
                "validationActions: [\"Warn\"]",
            ),
        ),
        "minimal-image" => (
            "fat-image",
            rewrite("image", "kubelab/app:1.0-minimal", "kubelab/app:1.0"),
        ),
        other => panic!("no wrong answer for {other}"),
    }
}

/// For `SEEDS` random seeds: the variant's solution, the seed's answer and a wrong
/// answer, written under `dir`, as learners graded against that variant.
fn variant_cases(lab: &Lab, dir: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for _ in 0..SEEDS {
        let seed = random_seed();
        let variant = lab.variant(Some(&seed)).unwrap();
        let changed: Vec<String> = variant
            .changed_values()
            .iter()
            .filter(|(name, _, _)| name != "dockerconfigjson")
            .map(|(name, _, value)| format!("{name}={value}"))
            .collect();
        println!("{}: variant {seed}: {}", lab.id, changed.join(" "));
        let (wrong, wrong_files) = wrong_answer(&variant);
        let answers = [
            ("solution", Expect::Pass, variant.solution_files()),
            ("seed-answer", Expect::Fail, lab.solution.clone()),
            (wrong, Expect::Fail, wrong_files),
        ];
        for (what, expect, files) in answers {
            let id = format!("variant-{seed}-{what}");
            let path = dir.join(&id);
            write_files(&path, &files);
            cases.push(Case {
                learner: Learner {
                    id,
                    path,
                    variant: Some(seed.clone()),
                    ..Learner::default()
                },
                expect,
            });
        }
    }
    cases
}

fn cases(lab: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("labs")
        .join(lab)
        .join("corpus");
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
            // A known deviation is one enforcer's (the note names it): on another
            // enforcer the probe itself must agree with the API.
            let enforcer = common::testbed_enforcer();
            if !note.to_lowercase().contains(&enforcer.to_lowercase()) {
                out.push(format!(
                    "{name}: {}: another enforcer's deviation was needed on {enforcer}: {note}",
                    off.id
                ));
            }
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
/// learner in its own sandbox, `parallel` at once), with [`variant_cases`] beside it,
/// each compared with its offline grade (against the learner's variant).
async fn grade_lab(
    client: &kube::Client,
    lab: &Lab,
    parallel: usize,
) -> Vec<(String, Vec<String>)> {
    let variants_dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<Case> = cases(&lab.id)
        .into_iter()
        .map(|case| Case {
            learner: Learner {
                id: case.file_name().unwrap().to_string_lossy().into_owned(),
                path: case.join("submission"),
                ..Learner::default()
            },
            expect: Expect::Agree,
        })
        .collect();
    cases.extend(variant_cases(lab, variants_dir.path()));
    let learners: Vec<Learner> = cases.iter().map(|c| c.learner.clone()).collect();
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
            let case = cases.iter().find(|c| c.learner.id == row.learner).unwrap();
            let learner = &case.learner;
            assert_eq!(row.variant, learner.variant, "{name}");
            let submission = manifest::load_paths(std::slice::from_ref(&learner.path)).unwrap();
            let variant = lab.variant(learner.variant.as_deref()).unwrap();
            // Simulated in a namespace other than `default`, as live grading runs it (a
            // policy may select the namespace by its name).
            let offline = Grader::new(&variant)
                .with_namespace("kubelab-sandbox")
                .grade(&submission, Lang::En);
            let mut problems = match &row.outcome {
                Outcome::Graded(live) => compare(&name, &offline, live),
                Outcome::Failed { message, .. } => {
                    vec![format!("{name}: live grading failed: {message}")]
                }
            };
            let passed = row.passed();
            match case.expect {
                Expect::Agree => {}
                Expect::Pass if !passed || !offline.passed => problems.push(format!(
                    "{name}: the variant's solution must pass (live {passed}, offline {})",
                    offline.passed
                )),
                Expect::Fail if passed || offline.passed => problems.push(format!(
                    "{name}: must fail (live passed: {passed}, offline: {})",
                    offline.passed
                )),
                Expect::Pass | Expect::Fail => {}
            }
            if case.expect != Expect::Agree {
                println!("{name}: live {}", if passed { "passed" } else { "failed" });
            }
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
    // `KUBELAB_LIVE_CORPUS_LABS=a,b` grades only those labs (while working on one);
    // CI grades every lab.
    let only = std::env::var("KUBELAB_LIVE_CORPUS_LABS").ok();
    let chosen = |lab: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|l| l == lab))
    };
    for (lab, parallel) in [
        ("network-policy", PARALLEL),
        ("egress", PARALLEL),
        ("security-context", PARALLEL),
        ("private-registry", PARALLEL),
        ("pod-security", PARALLEL),
        ("allowed-registries", PARALLEL),
        ("minimal-image", PARALLEL),
    ] {
        if chosen(lab) {
            results.extend(grade_lab(&client, catalog.get(lab).unwrap(), parallel).await);
        }
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
    if only.is_none() {
        assert!(results.len() >= 85 + 5 * 3 * SEEDS);
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements between offline and live:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
