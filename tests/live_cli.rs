//! The real CLI binary on the real test cluster, as the `kubelab` ServiceAccount of
//! deploy/rbac.yaml: the reference solutions pass live, the untouched scenarios fail
//! live (`start`, then `check`), Ctrl-C cleans up, and `clean` removes what a killed run
//! left. Needs the test cluster (`tests/cluster/up`); fails loudly without it.

use std::path::PathBuf;
use std::process::{Child, Command, Output};
use std::sync::RwLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::fs::copy_dir_keeping;

mod common;
use common::{kubectl, rbac_kubeconfig};

/// The timing-sensitive tests (a kill, an interrupt, `clean`) run alone; the others share.
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
            &format!("labs/{lab}/solution"),
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
        .args([
            "grade",
            "security-context",
            "labs/security-context/solution",
        ])
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
    let out = wait_with_timeout(&mut child, ONE_GRADE);
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
        // The test cluster bounds a pod's processes (podPidsLimit 1024): no warning.
        let stderr = String::from_utf8_lossy(&start.stderr);
        assert!(
            !stderr.contains("a pod's processes"),
            "{lab}: start warns about PIDs on the test cluster: {stderr}"
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
            "labs/network-policy/solution",
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

/// The binary with the RBAC-bound kubeconfig and `KUBELAB_OWNER`, its output piped.
fn spawn_as(owner: &str, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .current_dir(repo())
        .env_remove("KUBECONFIG")
        .env("KUBELAB_OWNER", owner)
        .args(args)
        .arg("--kubeconfig")
        .arg(rbac_kubeconfig())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// The kubelab namespaces of an owner (its `kubelab.dev/owner` label).
fn namespaces_of(owner: &str) -> Vec<String> {
    kubectl(&[
        "get",
        "namespaces",
        "-l",
        &format!("app.kubernetes.io/managed-by=kubelab,kubelab.dev/owner={owner}"),
        "-o",
        "name",
    ])
    .lines()
    .map(|l| l.trim_start_matches("namespace/").to_string())
    .collect()
}

#[test]
fn clean_removes_a_killed_runs_namespaces_and_spares_a_concurrent_run() {
    let _alone = CLUSTER.write().unwrap_or_else(|e| e.into_inner());
    let tag = format!(
        "{}-{}",
        std::process::id(),
        Instant::now().elapsed().subsec_nanos() % 10_000
    );
    let (dead_owner, live_owner) = (format!("test-dead-{tag}"), format!("test-live-{tag}"));
    // Run A: a live grade, killed (SIGKILL: no chance to clean up) once its namespace
    // holds its Lease.
    let mut dead = spawn_as(
        &dead_owner,
        &[
            "grade",
            "network-policy",
            "labs/network-policy/solution",
            "--live",
            "--output",
            "json",
        ],
    );
    let mut dead_namespace = String::new();
    wait_for(
        "run A's namespace and Lease",
        Duration::from_secs(60),
        || match namespaces_of(&dead_owner).first() {
            Some(ns) => {
                dead_namespace = ns.clone();
                !kubectl(&[
                    "get",
                    "lease",
                    "-n",
                    ns,
                    "kubelab-run",
                    "-o",
                    "name",
                    "--ignore-not-found",
                ])
                .trim()
                .is_empty()
            }
            None => false,
        },
    );
    signal(&dead, "KILL");
    let killed = Instant::now();
    let _ = dead.wait();
    // Run B: a class of twelve right answers graded live one at a time (a minute or more).
    let class = tempfile::tempdir().unwrap();
    let learners = [
        "ahn", "baek", "cho", "choi", "han", "jang", "jung", "kang", "kim", "lee", "park", "yoon",
    ];
    for learner in learners {
        let dir = class.path().join(learner);
        std::fs::create_dir(&dir).unwrap();
        for file in std::fs::read_dir(repo().join("labs/network-policy/solution")).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, dir.join(file.file_name().unwrap())).unwrap();
        }
    }
    let class_dir = class.path().to_str().unwrap().to_string();
    let mut live = spawn_as(
        &live_owner,
        &[
            "class",
            "network-policy",
            &class_dir,
            "--live",
            "--jobs",
            "1",
            "--output",
            "json",
        ],
    );
    wait_for("run B's first namespace", Duration::from_secs(60), || {
        !namespaces_of(&live_owner).is_empty()
    });
    // A's Lease lasts 30 s after its last renewal, which was before the kill.
    let expired = Duration::from_secs(31);
    if killed.elapsed() < expired {
        std::thread::sleep(expired - killed.elapsed());
    }
    assert!(
        live.try_wait().unwrap().is_none(),
        "run B finished before `clean` ran: the class is too short for this test"
    );
    let clean = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .env_remove("KUBECONFIG")
        .env("KUBELAB_OWNER", format!("test-cleaner-{tag}"))
        .args(["clean", "--kubeconfig"])
        .arg(rbac_kubeconfig())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&clean.stdout).into_owned();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(
        text.lines().any(
            |l| l.starts_with(&format!("deleted namespace {dead_namespace}: "))
                && l.contains("stopped renewing its Lease")
        ),
        "{text}"
    );
    // Run B is live: each of its namespaces is kept for a live reason (its Lease is
    // renewed, or it is still being set up: a class creates one namespace per learner, so
    // the newest may be seconds old), or it is one B itself is already deleting. Which of
    // these `clean` sees depends on where B is in its class, so any of them passes.
    for line in text.lines().filter(|l| l.contains(&live_owner)) {
        let kept_alive = line.starts_with("kept namespace ")
            && (line.contains(" is alive (") || line.contains(" is being set up ("));
        assert!(
            kept_alive || line.contains("already being deleted"),
            "clean did not keep the live run's namespace for a live reason: {line}\n{text}"
        );
    }
    wait_for(
        "run A's namespace to be gone",
        Duration::from_secs(60),
        || namespaces_of(&dead_owner).is_empty(),
    );
    // B finishes and every learner passes.
    // Twelve learners one at a time take two minutes on an idle machine and many more on
    // a busy one: the deadline is per learner (a new namespace of the run, or its end,
    // within ONE_GRADE), not for the whole class.
    let out = wait_while_progressing(&mut live, &live_owner);
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["learners"].as_array().unwrap().len(), learners.len());
    for learner in report["learners"].as_array().unwrap() {
        assert_eq!(learner["passed"], true, "{learner:#}");
    }
}

#[test]
fn ctrl_c_mid_class_run_deletes_every_namespace_of_the_run() {
    let _alone = CLUSTER.write().unwrap_or_else(|e| e.into_inner());
    let owner = format!("test-interrupted-class-{}", std::process::id());
    // A private-registry class: the shared registry's namespace and the learners'.
    let class = tempfile::tempdir().unwrap();
    for learner in ["a", "b", "c", "d"] {
        let dir = class.path().join(learner);
        std::fs::create_dir(&dir).unwrap();
        for file in std::fs::read_dir(repo().join("labs/private-registry/solution")).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, dir.join(file.file_name().unwrap())).unwrap();
        }
    }
    let class_dir = class.path().to_str().unwrap().to_string();
    let mut child = spawn_as(
        &owner,
        &[
            "class",
            "private-registry",
            &class_dir,
            "--live",
            "--jobs",
            "2",
            "--output",
            "json",
        ],
    );
    // The registry's namespace and at least one learner's (the run's PIDs probe has a
    // namespace of its own too, `kubelab-pids-…`, while it runs).
    wait_for(
        "the registry's and a learner's namespace of the run",
        Duration::from_secs(120),
        || {
            namespaces_of(&owner)
                .iter()
                .filter(|n| !n.starts_with("kubelab-pids-"))
                .count()
                >= 2
        },
    );
    signal(&child, "INT");
    let out = wait_with_timeout(&mut child, ONE_GRADE);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let deleted = stderr
        .lines()
        .find_map(|l| l.strip_prefix("interrupted: deleted "))
        .unwrap_or_else(|| panic!("no `interrupted: deleted` line: {stderr}"));
    assert!(
        deleted
            .split(", ")
            .any(|n| n.starts_with("kubelab-private-registry-")),
        "{stderr}"
    );
    wait_for(
        "every namespace of the run to be gone",
        Duration::from_secs(60),
        || namespaces_of(&owner).is_empty(),
    );
}

/// The longest one live grade may take before kubelab itself gives up: its pods' Ready
/// timeout (90 s, `grade::live`'s `pod_timeout`) for the scenario, again for the
/// learner's pods, and the namespace's deletion after it. A wait on a grade that passes
/// this is a hang, not a slow machine.
const ONE_GRADE: Duration = Duration::from_secs(3 * 90);

/// Waits for a class run of `owner` to exit while it makes progress: a namespace it has
/// not had before (the next learner) or its exit, each within [`ONE_GRADE`].
fn wait_while_progressing(child: &mut Child, owner: &str) -> Output {
    let mut seen: std::collections::HashSet<String> = Default::default();
    let mut progress = Instant::now();
    wait_checking(child, Duration::from_secs(1), || {
        for namespace in namespaces_of(owner) {
            if seen.insert(namespace) {
                progress = Instant::now();
            }
        }
        assert!(
            progress.elapsed() < ONE_GRADE,
            "kubelab's class made no progress (no new learner namespace, no exit) for {}s",
            ONE_GRADE.as_secs()
        );
    })
}

fn wait_with_timeout(child: &mut Child, bound: Duration) -> Output {
    let start = Instant::now();
    wait_checking(child, Duration::from_millis(200), || {
        assert!(
            start.elapsed() < bound,
            "kubelab did not exit within {}s",
            bound.as_secs()
        );
    })
}

/// Waits for the child to exit, its pipes read from the start ([`drain`]), calling
/// `check` (which panics when the wait has gone on too long) every `every`.
fn wait_checking(child: &mut Child, every: Duration, mut check: impl FnMut()) -> Output {
    let (stdout, stderr) = drain(child);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Output {
                status,
                stdout: stdout.join().unwrap(),
                stderr: stderr.join().unwrap(),
            };
        }
        check();
        std::thread::sleep(every);
    }
}

/// Readers of the child's stdout and stderr (an empty one for a pipe a test took), each
/// reading to the end in a thread of its own.
fn drain(child: &mut Child) -> (JoinHandle<Vec<u8>>, JoinHandle<Vec<u8>>) {
    fn reader(pipe: Option<impl std::io::Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut bytes).unwrap();
            }
            bytes
        })
    }
    (reader(child.stdout.take()), reader(child.stderr.take()))
}

/// `kubelab lab test DIR --live`: the solution and each case graded on the cluster (one
/// sandbox each, `kubelab class`'s live runner) and judged against its case.yaml. Three
/// cases of network-policy, not its whole corpus: the live corpus test grades every case
/// live already (check by check against offline), so CI time stays flat. Case 11 selects
/// the namespace `default` by name: live, that selector selects the run's namespace (as
/// it selects `default` on the learner's own cluster), so the case comes out as stated
/// with no note.
#[test]
fn lab_test_live_grades_a_lab_folder_on_the_cluster() {
    let _shared = CLUSTER.read().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("network-policy");
    let corpus = repo().join("labs/network-policy/corpus");
    let cases = [
        "01-seed-verbatim",
        "09-port-6380",
        "11-namespace-and-pod-selector-one-peer",
    ];
    copy_dir_keeping(&repo().join("labs/network-policy"), &dir, &|path| {
        path.parent() != Some(corpus.as_path())
            || cases.iter().any(|c| path.file_name().unwrap() == *c)
    });
    let out = run(&[
        "lab",
        "test",
        dir.to_str().unwrap(),
        "--live",
        "--output",
        "json",
    ]);
    let value = json(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{value:#}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(value["mode"], "live");
    assert_eq!(
        value["summary"],
        serde_json::json!({"cases": 4, "ok": 4, "mismatch": 0, "error": 0})
    );
    let names: Vec<&str> = value["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["solution", cases[0], cases[1], cases[2]]);
    assert!(value["cases"][1]["note"].is_null());
    assert!(value["cases"][3]["note"].is_null(), "{value:#}");
    assert_eq!(value["cases"][3]["result"], "ok", "{value:#}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("grading 4 submissions live, each in its own namespace"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // security-context's `exec` checks, skipped offline, run live: the typo case's
    // `failing` (written offline) does not list them, and the case still comes out as
    // stated; the solution passes them.
    let dir = tmp.path().join("security-context");
    let corpus = repo().join("labs/security-context/corpus");
    let cases = ["02-typo-read-only-root-file-system"];
    copy_dir_keeping(&repo().join("labs/security-context"), &dir, &|path| {
        path.parent() != Some(corpus.as_path())
            || cases.iter().any(|c| path.file_name().unwrap() == *c)
    });
    let out = run(&["lab", "test", dir.to_str().unwrap(), "--live"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok        02-typo-read-only-root-file-system  expects fail"),
        "{stdout}"
    );
    assert!(
        stdout.contains("security-context: 2 tested live in "),
        "{stdout}"
    );
}

/// Deletes the learner's cluster-scoped objects of a `start` test, also on a panic.
struct Applied(PathBuf);

impl Drop for Applied {
    fn drop(&mut self) {
        let _ = Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(common::admin_kubeconfig())
            .args(["delete", "--ignore-not-found", "-f"])
            .arg(&self.0)
            .output();
    }
}

/// Issue 23: `kubelab start allowed-registries` runs the lab's registry at an address of
/// its own (a random NodePort, a random user), and its pull secret and probes name that
/// address: the learner's policy for the sheet's registry, applied with kubectl, passes
/// `kubelab check`, and the private-image probe is admitted and runs from it.
#[test]
fn start_and_check_run_the_private_image_from_the_starts_own_registry() {
    let _shared = CLUSTER.read().unwrap_or_else(|e| e.into_inner());
    let owner = format!("test-start-ar-{}", std::process::id());
    let as_owner = |args: &[&str]| {
        let child = spawn_as(&owner, args);
        child.wait_with_output().unwrap()
    };
    let started = as_owner(&["start", "allowed-registries", "--lang", "en"]);
    let sheet = String::from_utf8_lossy(&started.stdout).into_owned();
    assert!(
        started.status.success(),
        "{sheet}{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let registry = sheet
        .split("`registry` = `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("no registry on the sheet: {sheet}"))
        .to_string();
    assert_ne!(
        registry, "127.0.0.1:30050",
        "a start has a registry of its own"
    );
    // (Its PID probe has a namespace of its own, gone by now or soon.)
    let namespace = namespaces_of(&owner)
        .into_iter()
        .find(|n| n.starts_with("kubelab-allowed-registries-"))
        .expect("the start's namespace");
    // The learner's answer for this sheet, bound to the start's namespace only (the
    // test cluster is shared).
    let answer = std::fs::read_to_string(repo().join("labs/allowed-registries/solution/only-private-registry.yaml"))
        .unwrap()
        .replace("127.0.0.1:30050", &registry)
        .replace(
            "kind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: only-private-registry-binding\nspec:\n",
            &format!(
                "kind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: only-private-registry-binding\nspec:\n  matchResources:\n    namespaceSelector:\n      matchLabels:\n        kubernetes.io/metadata.name: {namespace}\n"
            ),
        );
    assert!(answer.contains(&namespace), "{answer}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("only-private-registry.yaml");
    std::fs::write(&file, &answer).unwrap();
    let _applied = Applied(file.clone());
    kubectl(&["apply", "-f", file.to_str().unwrap()]);
    // A policy takes effect a moment after it is written: check until it does.
    let mut report = serde_json::Value::Null;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let checked = as_owner(&[
            "check",
            "allowed-registries",
            "--output",
            "json",
            "--lang",
            "en",
        ]);
        report = json(&checked);
        if report["passed"] == true {
            break;
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    assert_eq!(report["passed"], true, "{report:#}");
    let runs = report["steps"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "private-image-admitted")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        runs.contains("is admitted and runs")
            && runs.contains(&format!("{registry}/kubelab/private-app:1.0")),
        "{runs}"
    );
    let cleaned = as_owner(&["clean"]);
    assert!(cleaned.status.success());
    wait_for(
        "the start's namespace to go",
        Duration::from_secs(120),
        || namespaces_of(&owner).is_empty(),
    );
}

/// `kubelab start pod-security`: the sheet names the run's own namespace as the task's
/// (the learner's `kubectl apply -f namespace.yaml` labels it instead of creating a
/// namespace kubelab never grades), and `kubelab check` grades those labels: the
/// reference solution for the sheet passes 10/10; before the namespace is labelled,
/// `enforces-restricted` fails.
#[test]
fn start_and_check_grade_the_namespace_the_sheet_names() {
    let _shared = CLUSTER.read().unwrap_or_else(|e| e.into_inner());
    let owner = format!("test-start-ps-{}", std::process::id());
    let as_owner = |args: &[&str]| spawn_as(&owner, args).wait_with_output().unwrap();
    let started = as_owner(&["start", "pod-security", "--lang", "en"]);
    let sheet = String::from_utf8_lossy(&started.stdout).into_owned();
    assert!(started.status.success(), "{sheet}");
    let namespace = namespaces_of(&owner)
        .into_iter()
        .find(|n| n.starts_with("kubelab-pod-security-"))
        .expect("the start's namespace");
    assert!(
        sheet.contains(&format!(
            "Write the namespace `{namespace}` in `namespace.yaml`"
        )),
        "{sheet}"
    );
    let dir = tempfile::tempdir().unwrap();
    for file in ["namespace.yaml", "secure-pod.yaml"] {
        let text = std::fs::read_to_string(repo().join("labs/pod-security/solution").join(file))
            .unwrap()
            .replace("secure-ns", &namespace);
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let path = |file: &str| dir.path().join(file).to_str().unwrap().to_string();
    kubectl(&["apply", "-f", &path("secure-pod.yaml")]);
    let checks = |report: &serde_json::Value| -> Vec<(String, String)> {
        report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["checks"].as_array().unwrap())
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["verdict"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let check = || {
        json(&as_owner(&[
            "check",
            "pod-security",
            "--output",
            "json",
            "--lang",
            "en",
        ]))
    };
    let before = check();
    assert!(
        checks(&before).contains(&("enforces-restricted".into(), "fail".into())),
        "{before:#}"
    );
    kubectl(&["apply", "-f", &path("namespace.yaml")]);
    // Pod Security reads namespace labels from an informer: check until it sees them.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut after = check();
    while after["passed"] != true && Instant::now() < deadline {
        std::thread::sleep(Duration::from_secs(2));
        after = check();
    }
    assert_eq!(after["passed"], true, "{after:#}");
    assert_eq!(after["score"], 10, "{after:#}");
    assert!(as_owner(&["clean"]).status.success());
    wait_for(
        "the start's namespace to go",
        Duration::from_secs(120),
        || namespaces_of(&owner).is_empty(),
    );
}
