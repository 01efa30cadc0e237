//! A scenario with a second namespace by role (issue 24), on the real test cluster as
//! the RBAC-bound kubelab ServiceAccount: the test lab `tests/labs/cross-namespace`
//! graded live comes out as its cases state (the same verdicts as offline, the role's
//! namespace created beside each run's and deleted with it), and a learner's `start` +
//! `check` grade both namespaces — with the learner's policy selecting the role's
//! namespace by its label or by the run's real name for it.

mod common;

use common::{kubectl, rbac_kubeconfig, require_cluster};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_as(owner: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .current_dir(repo())
        .env("LANG", "C")
        .env("COLUMNS", "120")
        .env_remove("KUBECONFIG")
        .env("KUBELAB_OWNER", owner)
        .args(args)
        .arg("--kubeconfig")
        .arg(rbac_kubeconfig())
        .output()
        .unwrap()
}

/// The namespaces of one owner (its `kubelab.dev/owner` label), with a label's value.
fn namespaces_of(owner: &str) -> Vec<String> {
    kubectl(&[
        "get",
        "namespaces",
        "-l",
        &format!(
            "app.kubernetes.io/managed-by=kubelab,kubelab.dev/owner={owner},kubelab.dev/lab=cross-namespace"
        ),
        "-o",
        "name",
    ])
    .lines()
    .map(|l| l.trim_start_matches("namespace/").to_string())
    .collect()
}

/// Waits ([`common::GONE_WITHIN`] at most) until `owner` has no namespace of the lab
/// left, asking once for the ones it has now.
fn all_gone(owner: &str) {
    common::wait_gone(&namespaces_of(owner));
    assert_eq!(namespaces_of(owner), Vec::<String>::new());
}

#[test]
fn the_role_lab_comes_out_as_stated_live() {
    require_cluster();
    let owner = format!("test-roles-{}", std::process::id());
    let out = run_as(
        &owner,
        &["lab", "test", "--live", "tests/labs/cross-namespace"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout
            .trim_end()
            .ends_with(": 11 as stated, 0 mismatches, 0 environment errors"),
        "{stdout}"
    );
    all_gone(&owner);
}

#[test]
fn start_and_check_grade_both_namespaces_of_the_scenario() {
    require_cluster();
    let owner = format!("test-roles-start-{}", std::process::id());
    let started = run_as(
        &owner,
        &[
            "--labs",
            "tests/labs",
            "start",
            "cross-namespace",
            "--lang",
            "en",
        ],
    );
    let sheet = String::from_utf8_lossy(&started.stdout).into_owned();
    assert!(
        started.status.success(),
        "{sheet}{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let mut namespaces = namespaces_of(&owner);
    namespaces.sort();
    let [own, monitoring] = namespaces.as_slice() else {
        panic!("two namespaces: {namespaces:?}");
    };
    assert_eq!(monitoring, &format!("{own}-monitoring"));
    assert!(
        sheet.contains(&format!(
            "The task's namespace `monitoring` is `{monitoring}` in this run"
        )),
        "{sheet}"
    );
    // The role's labels, and the run's identity on both.
    let labels = kubectl(&[
        "get",
        "namespace",
        monitoring,
        "-o",
        "jsonpath={.metadata.labels}",
    ]);
    let labels: serde_json::Value = serde_json::from_str(&labels).unwrap();
    assert_eq!(labels["purpose"], "monitoring", "{labels}");
    assert_eq!(labels["kubelab.dev/role"], "monitoring", "{labels}");
    assert_eq!(labels["kubelab.dev/sandbox"], own.as_str(), "{labels}");
    assert_eq!(labels["kubelab.dev/owner"], owner.as_str(), "{labels}");
    // The role's fixtures run in its namespace.
    let pods = kubectl(&["-n", monitoring, "get", "pods", "-o", "name"]);
    assert!(
        pods.contains("pod/prometheus") && pods.contains("pod/scraper"),
        "{pods}"
    );
    let check = || {
        let out = run_as(
            &owner,
            &[
                "--labs",
                "tests/labs",
                "check",
                "cross-namespace",
                "--output",
                "json",
                "--lang",
                "en",
            ],
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    };
    // Nothing applied yet: the policy is missing, in the run's namespace.
    let before = check();
    assert_eq!(before["passed"], false, "{before:#}");
    // The learner's answer, applied with kubectl; then the same answer selecting the
    // role's namespace by the run's name for it.
    let solution = std::fs::read_to_string(
        repo().join("tests/labs/cross-namespace/solution/db-allow-monitoring.yaml"),
    )
    .unwrap();
    let by_name = solution.replace(
        "purpose: monitoring",
        &format!("kubernetes.io/metadata.name: {monitoring}"),
    );
    let dir = tempfile::tempdir().unwrap();
    for (answer, what) in [(&solution, "by label"), (&by_name, "by name")] {
        let file = dir.path().join("db-allow-monitoring.yaml");
        std::fs::write(&file, answer).unwrap();
        kubectl(&["-n", own, "apply", "-f", file.to_str().unwrap()]);
        // A policy takes effect a moment after it is written: check until it does.
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut report = check();
        while report["passed"] != true && Instant::now() < deadline {
            std::thread::sleep(Duration::from_secs(2));
            report = check();
        }
        assert_eq!(report["passed"], true, "{what}: {report:#}");
    }
    let cleaned = run_as(&owner, &["clean"]);
    assert!(
        cleaned.status.success(),
        "{}",
        String::from_utf8_lossy(&cleaned.stderr)
    );
    all_gone(&owner);
}
