//! The real CLI binary on the real test cluster, as the `kubelab` ServiceAccount of
//! deploy/rbac.yaml: the reference solutions pass live, the untouched scenarios fail
//! live (`start`, then `check`), Ctrl-C cleans up, and `clean` removes what a killed run
//! left. Needs the test cluster (`tests/cluster/up`); fails loudly without it.

use std::path::PathBuf;
use std::process::{Child, Command, Output};
use std::sync::RwLock;
use std::time::{Duration, Instant};

mod common;
use common::{kubectl, rbac_kubeconfig};

/// `clean` deletes every kubelab namespace: it runs alone, the others share.
static CLUSTER: RwLock<()> = RwLock::new(());

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with the RBAC-bound kubeconfig.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .current_dir(repo())
        .env("LANG", "C")
        .env("COLUMNS", "120")
        .env_remove("KUBECONFIG")
        .args(args)
        .arg("--kubeconfig")
        .arg(rbac_kubeconfig())
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn managed_namespaces(prefix: &str) -> Vec<String> {
    kubectl(&[
        "get",
        "namespaces",
        "-l",
        "app.kubernetes.io/managed-by=kubelab",
        "-o",
        "name",
    ])
    .lines()
    .map(|l| l.trim_start_matches("namespace/").to_string())
    .filter(|n| n.starts_with(prefix))
    .collect()
}

fn wait_for(what: &str, bound: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < bound,
            "{what} did not happen within {}s",
            bound.as_secs()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn the_reference_solutions_pass_live() {
    let _shared = CLUSTER.read().unwrap_or_else(|e| e.into_inner());
    for lab in ["network-policy", "security-context", "private-registry"] {
        let out = run(&[
            "grade",
            lab,
            &format!("solutions/{lab}"),
            "--live",
            "--output",
            "json",
        ]);
        let result = json(&out);
        assert_eq!(result["mode"], "live", "{lab}");
        assert_eq!(result["passed"], true, "{lab}: {result:#}");
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(result["score"], result["max_score"]);
        // `grade` starts deleting its namespace and returns; the cluster finishes.
        let note = result["notes"][0].as_str().unwrap();
        let namespace = note
            .strip_prefix("graded live in namespace ")
            .and_then(|rest| rest.strip_suffix(" (being deleted)"))
            .unwrap_or_else(|| panic!("{lab}: {note}"));
        let exists = || {
            !kubectl(&[
                "get",
                "namespace",
                namespace,
                "--ignore-not-found",
                "-o",
                "name",
            ])
            .is_empty()
        };
        let deleting = !kubectl(&[
            "get",
            "namespace",
            namespace,
            "--ignore-not-found",
            "-o",
            "jsonpath={.metadata.deletionTimestamp}",
        ])
        .is_empty();
        assert!(
            !exists() || deleting,
            "{lab}: namespace {namespace} is not being deleted"
        );
        wait_for("the namespace to be gone", Duration::from_secs(90), || {
            !exists()
        });
    }
}

/// `kubelab grade security-context` live, with `KUBELAB_TRACE=1`.
fn traced_grade() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubelab"));
    command
        .current_dir(repo())
        .env_remove("KUBECONFIG")
        .env("KUBELAB_TRACE", "1")
        .args(["grade", "security-context", "solutions/security-context"])
        .args(["--live", "--output", "json", "--kubeconfig"])
        .arg(rbac_kubeconfig());
    command
}

#[test]
fn kubelab_trace_shows_where_a_live_run_spends_its_time() {
    let _shared = CLUSTER.read().unwrap_or_else(|e| e.into_inner());
    let out = traced_grade().output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stages: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.split_once(" ms] ").map(|(_, stage)| stage))
        .collect();
    for stage in [
        "creating a sandbox namespace",
        "step 1: secure-pod: checking",
        "step 2: verify: checking",
        "deleting the sandbox namespace",
        "done",
    ] {
        assert!(stages.contains(&stage), "no `{stage}` in:\n{stderr}");
    }
    assert_eq!(stages.last(), Some(&"done"), "{stderr}");

    // Read by something that stops reading (`2>&1 | head -3`): the run still finishes
    // and cleans up.
    let before = managed_namespaces("kubelab-security-context-");
    let mut child = traced_grade()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = wait_with_timeout(&mut child, Duration::from_secs(120));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["passed"], true);
    wait_for(
        "the run's namespace to be gone",
        Duration::from_secs(90),
        || {
            managed_namespaces("kubelab-security-context-")
                .iter()
                .all(|n| before.contains(n))
        },
    );
}

#[test]
fn the_untouched_scenarios_fail_live() {
    let _shared = CLUSTER.read().unwrap_or_else(|e| e.into_inner());
    for lab in ["network-policy", "security-context", "private-registry"] {
        let start = run(&["start", lab, "--lang", "en"]);
        let text = String::from_utf8_lossy(&start.stdout).into_owned();
        assert_eq!(
            start.status.code(),
            Some(0),
            "{text}{}",
            String::from_utf8_lossy(&start.stderr)
        );
        let namespace = text
            .split('`')
            .find(|s| s.starts_with(&format!("kubelab-{lab}-")))
            .unwrap_or_else(|| panic!("no namespace in: {text}"))
            .to_string();
        let out = run(&["check", lab, "-n", &namespace, "--output", "json"]);
        let result = json(&out);
        kubectl(&["delete", "namespace", &namespace, "--wait=false"]);
        assert_eq!(result["passed"], false, "{lab}: {result:#}");
        assert_eq!(out.status.code(), Some(1), "{lab}: {result:#}");
        for step in result["steps"].as_array().unwrap() {
            for check in step["checks"].as_array().unwrap() {
                if check["max_points"].as_u64().unwrap() > 0 {
                    assert_eq!(
                        check["verdict"], "fail",
                        "{lab}: solved at start? {check:#}"
                    );
                }
            }
        }
    }
}

fn spawn_grade() -> Child {
    Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .current_dir(repo())
        .env_remove("KUBECONFIG")
        .args([
            "grade",
            "network-policy",
            "solutions/network-policy",
            "--live",
            "--output",
            "json",
            "--kubeconfig",
        ])
        .arg(rbac_kubeconfig())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    assert!(
        Command::new("kill")
            .args([&format!("-{name}"), &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn ctrl_c_mid_run_deletes_the_namespace() {
    let _alone = CLUSTER.write().unwrap_or_else(|e| e.into_inner());
    let before = managed_namespaces("kubelab-network-policy-");
    let mut child = spawn_grade();
    let mut created = Vec::new();
    wait_for("the sandbox namespace", Duration::from_secs(60), || {
        created = managed_namespaces("kubelab-network-policy-")
            .into_iter()
            .filter(|n| !before.contains(n))
            .collect();
        !created.is_empty()
    });
    signal(&child, "INT");
    let out = wait_with_timeout(&mut child, Duration::from_secs(90));
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&created[0]),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_for("the namespace to be gone", Duration::from_secs(90), || {
        !managed_namespaces("kubelab-network-policy-").contains(&created[0])
    });
}

#[test]
fn clean_removes_what_a_killed_run_left() {
    let _alone = CLUSTER.write().unwrap_or_else(|e| e.into_inner());
    let mut child = spawn_grade();
    wait_for("the sandbox namespace", Duration::from_secs(60), || {
        !managed_namespaces("kubelab-network-policy-").is_empty()
    });
    signal(&child, "KILL");
    let _ = child.wait();
    assert!(
        !managed_namespaces("kubelab-").is_empty(),
        "a killed run cannot clean up after itself"
    );
    let out = run(&["clean"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        managed_namespaces("kubelab-").is_empty(),
        "clean left namespaces behind"
    );
}

fn wait_with_timeout(child: &mut Child, bound: Duration) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output_ref();
        }
        assert!(
            start.elapsed() < bound,
            "kubelab did not exit within {}s",
            bound.as_secs()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

trait WaitOutput {
    fn wait_with_output_ref(&mut self) -> Output;
}

impl WaitOutput for Child {
    fn wait_with_output_ref(&mut self) -> Output {
        use std::io::Read;
        let status = self.wait().unwrap();
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        self.stdout
            .take()
            .unwrap()
            .read_to_end(&mut stdout)
            .unwrap();
        // Taken already by a test that closes it early.
        if let Some(mut pipe) = self.stderr.take() {
            pipe.read_to_end(&mut stderr).unwrap();
        }
        Output {
            status,
            stdout,
            stderr,
        }
    }
}
