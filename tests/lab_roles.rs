//! A scenario with a second namespace by role (issue 24), graded offline by the real
//! binary: the test lab `tests/labs/cross-namespace` (`namespaces: {monitoring: …}`, a
//! prometheus and a scraper pod there, the DB in the lab's own namespace) passes its own
//! `kubelab lab test`; a wrong answer fails at the learner's line with the role's pods
//! named `<role>/<pod>`; an object written into the other namespace is found there; and a
//! lab whose fixture names a namespace it does not declare does not load (exit 2).

use assert_cmd::Command;
use std::path::PathBuf;

mod common;
use common::fs::copy_dir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("kubelab")
        .unwrap()
        .current_dir(repo())
        .env("LANG", "C")
        .env("COLUMNS", "120")
        .env("NO_COLOR", "1")
        .env_remove("KUBELAB_LABS")
        .env_remove("KUBECONFIG")
        .env("HOME", "/nonexistent")
        .args(args)
        .output()
        .unwrap()
}

fn case(name: &str) -> String {
    format!("tests/labs/cross-namespace/corpus/{name}/submission")
}

fn graded(case_name: &str, lang: &str) -> serde_json::Value {
    let out = run(&[
        "--labs",
        "tests/labs",
        "grade",
        "--offline",
        "--lang",
        lang,
        "--output",
        "json",
        "cross-namespace",
        &case(case_name),
    ]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn check<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}: {report:#}"))
}

#[test]
fn the_role_lab_passes_its_own_test_offline() {
    let out = run(&["lab", "test", "tests/labs/cross-namespace"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with(": 12 as stated, 0 mismatches, 0 environment errors"),
        "{stdout}"
    );
}

#[test]
fn two_peers_let_every_pod_of_the_role_in_at_the_learners_line() {
    let report = graded("02-two-peers-or", "en");
    assert_eq!(report["passed"], false);
    let scraper = check(&report, "scraper-to-db");
    assert_eq!(scraper["verdict"], "fail");
    let message = scraper["message"].as_str().unwrap();
    assert!(
        message.starts_with("monitoring/scraper → db-pod.default:6379 is open, expected blocked"),
        "{message}"
    );
    assert!(
        message.contains("allows all pods in namespaces purpose=monitoring"),
        "{message}"
    );
    assert_eq!(scraper["location"]["line"], 13);
    assert_eq!(scraper["location"]["column"], 7);
    // The role's own pod gets in; the lab's own api-pod does not.
    assert_eq!(check(&report, "prometheus-to-db")["verdict"], "pass");
    assert_eq!(check(&report, "api-to-db")["verdict"], "pass");
}

#[test]
fn a_policy_written_into_the_roles_namespace_is_found_there_in_both_languages() {
    for (lang, says) in [
        (
            "en",
            "NetworkPolicy db-allow-monitoring not found in namespace `default`; found it in namespace `monitoring` — the task asks for it in `default`",
        ),
        (
            "ko",
            "`db-allow-monitoring` 네트워크 정책이 `default` 네임스페이스에 없습니다. `monitoring` 네임스페이스에 있습니다. 과제에서 요구하는 네임스페이스는 `default`입니다",
        ),
    ] {
        let report = graded("07-policy-in-the-monitoring-namespace", lang);
        let first = check(&report, "prometheus-to-db");
        assert_eq!(first["verdict"], "fail");
        assert_eq!(first["message"], says, "{lang}");
        assert_eq!(first["location"]["line"], 5);
    }
}

#[test]
fn a_namespace_the_lab_does_not_declare_is_refused_at_the_learners_line() {
    let report = graded("08-undeclared-namespace", "en");
    let refused = report["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{report:#}");
    assert_eq!(refused[0]["location"]["line"], 5);
}

#[test]
fn a_fixture_in_an_undeclared_namespace_does_not_load() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cross-namespace");
    copy_dir(&repo().join("tests/labs/cross-namespace"), &dir);
    let lab = std::fs::read_to_string(dir.join("lab.yaml")).unwrap();
    let without = lab.replace(
        "namespaces:\n  monitoring:\n    labels: {purpose: monitoring}\n",
        "",
    );
    assert_ne!(lab, without);
    std::fs::write(dir.join("lab.yaml"), without).unwrap();
    let out = run(&["lab", "test", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "fixture `fixtures/monitoring.yaml`: Pod `prometheus` is in namespace `monitoring`, which the lab does not declare (the lab's namespace is `default`)"
        ),
        "{stderr}"
    );
}

/// A learner's policy that selects the lab's namespace by the task's name for it
/// (`kubernetes.io/metadata.name: default`) gets the same verdict when the simulation runs
/// under a live run's namespace name (live, kubelab renames the selector to it): the
/// verdicts `kubelab grade --offline` gives, which the live corpus compares with.
#[test]
fn selecting_the_labs_namespace_by_its_task_name_is_graded_alike_under_a_run_name() {
    use kubelab::grade::Grader;
    use kubelab::lab::{Catalog, Lang};
    let catalog = Catalog::embedded().unwrap();
    let lab = catalog.get("network-policy").unwrap();
    for (case, passes) in [
        ("11-namespace-and-pod-selector-one-peer", true),
        ("12-namespace-and-pod-selector-two-peers", false),
    ] {
        let path = repo()
            .join("labs/network-policy/corpus")
            .join(case)
            .join("submission");
        let submission = kubelab::manifest::load_paths(std::slice::from_ref(&path)).unwrap();
        let seed = Grader::new(lab).grade(&submission, Lang::En);
        let renamed = Grader::new(lab)
            .with_namespace("kubelab-network-policy-abc123")
            .grade(&submission, Lang::En);
        assert_eq!(seed.passed, passes, "{case}");
        assert_eq!(renamed.passed, passes, "{case}");
        let verdicts = |r: &kubelab::grade::LabResult| -> Vec<String> {
            r.checks()
                .map(|(_, c)| format!("{:?}", c.verdict))
                .collect()
        };
        assert_eq!(verdicts(&seed), verdicts(&renamed), "{case}");
    }
}
