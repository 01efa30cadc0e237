//! The grader inside the cluster: the kubelab image (`deploy/image/build`, from the
//! release binary) loaded into the test cluster's containerd (`tests/cluster/load-image`,
//! as `kind load` or `k3s ctr images import` would), the files of `deploy/` applied as
//! they are shipped (`rbac.yaml`, `class-volumes.yaml`, `class-job.yaml`: the Job grades
//! the lab `security-context`, its default), a class of every `security-context` corpus
//! case plus an unreadable learner copied in with `kubectl cp`, the Job run to its end,
//! and its reports copied out: every learner has, check by check, the verdicts
//! `kubelab class --offline` gives the same folder; the JUnit report parses; the Job
//! ended as documented (exit 1: some learners failed); no sandbox namespace is left.
//!
//! The two volumes are hostPath PersistentVolumes made by the test and bound to the
//! claims of `class-volumes.yaml` (the test cluster has no StorageClass): a single-node
//! test cluster's stand-in for the default StorageClass of kind, k3s or a cloud. The
//! shipped pods keep to Pod Security `restricted` (claims are an allowed volume type; a
//! PersistentVolume's hostPath is not the pod's), so this works in a namespace enforcing
//! it too; `kubelab-system` enforces no level, and the sandboxes, where learners' pods
//! run, enforce `baseline` as always.
//! Needs the test cluster (`tests/cluster/up`, run as root: `ctr` and hostPath), fails
//! loudly without it; builds the image when it is missing or stale, but expects the
//! release binary (`cargo build --release --locked`).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use common::fs::copy_dir;

mod common;
use common::{kubectl, rbac_kubeconfig};

const NAMESPACE: &str = "kubelab-system";
/// The lab deploy/class-job.yaml grades as shipped.
const LAB: &str = "security-context";
/// Labels what this test makes outside the shipped files (the PersistentVolumes).
const TEST_LABEL: &str = "kubelab-test=live-class-job";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The target directory this test was built in (`<target>/debug/kubelab` is the binary).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_kubelab"))
        .ancestors()
        .nth(2)
        .expect("the target directory")
        .to_path_buf()
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .current_dir(repo())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {} failed: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn newest_mtime(path: &Path) -> SystemTime {
    let meta = std::fs::metadata(path).unwrap();
    let mut newest = meta.modified().unwrap();
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            newest = newest.max(newest_mtime(&entry.unwrap().path()));
        }
    }
    newest
}

/// The target directory of the release build: `KUBELAB_RELEASE_TARGET` when set
/// (tests/run builds the release beside the live tests in a directory of its own, so that
/// it never holds the lock of the test build's), else this test's own.
fn release_target_dir() -> PathBuf {
    std::env::var_os("KUBELAB_RELEASE_TARGET")
        .map(|dir| repo().join(dir))
        .unwrap_or_else(target_dir)
}

/// The release binary, loudly refused when missing or older than the sources.
fn release_binary() -> PathBuf {
    let binary = release_target_dir().join("release/kubelab");
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| {
            panic!(
                "\n\nNO RELEASE BINARY at {}: {e}\nThe kubelab image is built from it: run \
                 `cargo build --release --locked` first (tests/run does).\n",
                binary.display()
            )
        });
    let sources = [
        "src",
        "labs",
        "vendor",
        "build.rs",
        "Cargo.toml",
        "Cargo.lock",
    ]
    .iter()
    .map(|p| newest_mtime(&repo().join(p)))
    .max()
    .unwrap();
    assert!(
        built >= sources,
        "\n\nTHE RELEASE BINARY {} IS OLDER THAN THE SOURCES: the image would not be this \
         code. Run `cargo build --release --locked` first (tests/run does).\n",
        binary.display()
    );
    binary
}

/// `deploy/image/build` from the release binary (it rebuilds only when the binary
/// changed); the docker-archive's path.
fn image_archive() -> PathBuf {
    let binary = release_binary();
    let start = Instant::now();
    let out = Command::new(repo().join("deploy/image/build"))
        .current_dir(repo())
        .env("CARGO_TARGET_DIR", release_target_dir())
        .arg(&binary)
        .output()
        .expect("running deploy/image/build");
    assert!(
        out.status.success(),
        "\n\nTHE KUBELAB IMAGE DID NOT BUILD (deploy/image/build {}):\n{}\n",
        binary.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    // relative to the repository when below it
    let archive = repo().join(String::from_utf8(out.stdout).unwrap().trim());
    println!(
        "image: {} ({:.1} s)",
        archive.display(),
        start.elapsed().as_secs_f64()
    );
    assert_eq!(
        archive.file_name().unwrap().to_string_lossy(),
        format!("kubelab-{}.tar", env!("CARGO_PKG_VERSION"))
    );
    archive
}

/// The class: one learner per corpus case of the lab, and one whose file is malformed.
fn class_folder(dir: &Path) -> Vec<String> {
    let mut learners = Vec::new();
    for case in std::fs::read_dir(repo().join("labs").join(LAB).join("corpus")).unwrap() {
        let case = case.unwrap().path();
        let id = case.file_name().unwrap().to_string_lossy().into_owned();
        copy_dir(&case.join("submission"), &dir.join(&id));
        learners.push(id);
    }
    std::fs::create_dir_all(dir.join("zz-malformed")).unwrap();
    std::fs::write(
        dir.join("zz-malformed/secure-pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: secure-pod\n",
    )
    .unwrap();
    learners.push("zz-malformed".into());
    learners.sort();
    learners
}

fn managed_namespaces() -> Vec<String> {
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
    .filter(|n| n.starts_with(&format!("kubelab-{LAB}-")))
    .collect()
}

fn wait_for(what: &str, bound: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < bound,
            "{what} did not happen within {} s",
            bound.as_secs()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    start.elapsed()
}

/// Deletes the Job, the shipped volumes and pod, and the test's PersistentVolumes
/// (left by an earlier run too); also when an assertion fails.
struct Cleanup;

impl Cleanup {
    fn run() {
        let job = repo().join("deploy/class-job.yaml");
        let volumes = repo().join("deploy/class-volumes.yaml");
        for file in [&job, &volumes] {
            kubectl(&[
                "delete",
                "-f",
                file.to_str().unwrap(),
                "--ignore-not-found",
                "--wait=true",
                "--timeout=90s",
            ]);
        }
        kubectl(&[
            "delete",
            "persistentvolumes",
            "-l",
            TEST_LABEL,
            "--ignore-not-found",
            "--wait=true",
            "--timeout=60s",
        ]);
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        Self::run();
    }
}

/// A hostPath PersistentVolume bound in advance to the claim `claim` of
/// class-volumes.yaml.
fn persistent_volume(claim: &str, path: &Path, size: &str) -> String {
    format!(
        r#"{{"apiVersion": "v1", "kind": "PersistentVolume",
  "metadata": {{"name": "kubelab-test-{claim}", "labels": {{"kubelab-test": "live-class-job"}}}},
  "spec": {{"capacity": {{"storage": "{size}"}}, "accessModes": ["ReadWriteOnce"],
    "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "",
    "claimRef": {{"namespace": "{NAMESPACE}", "name": "{claim}"}},
    "hostPath": {{"path": "{}", "type": "Directory"}}}}}}"#,
        path.display()
    )
}

fn kubectl_apply_stdin(document: &str) {
    use std::io::Write;
    let mut child = Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(common::admin_kubeconfig())
        .args(["apply", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running kubectl");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(document.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "kubectl apply failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// (step, check) → verdict of one learner's result.
fn verdicts(result: &Value) -> BTreeMap<(String, String), String> {
    result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["checks"].as_array().unwrap().iter().map(move |c| {
                (
                    (
                        s["id"].as_str().unwrap().to_string(),
                        c["id"].as_str().unwrap().to_string(),
                    ),
                    c["verdict"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

fn refused(result: &Value) -> Vec<(String, String)> {
    result["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_class_graded_by_the_job_in_the_cluster_gets_the_offline_verdicts() {
    // Loud when the cluster is missing; applies deploy/rbac.yaml.
    rbac_kubeconfig();
    let archive = image_archive();
    let start = Instant::now();
    let imported = run("tests/cluster/load-image", &[archive.to_str().unwrap()]);
    let image = format!("docker.io/library/kubelab:{}", env!("CARGO_PKG_VERSION"));
    assert!(imported.lines().any(|l| l == image), "imported: {imported}");
    println!(
        "loaded {image} into the test cluster's containerd ({:.1} s)",
        start.elapsed().as_secs_f64()
    );

    // The volumes: host folders the pods' UID 65532 may write, as PersistentVolumes bound
    // to the shipped claims (deleted after the cluster's objects: declared first).
    let host = tempfile::Builder::new()
        .prefix("kubelab-class-job-")
        .tempdir()
        .unwrap();
    // A clean slate (an earlier run may have died before its cleanup).
    Cleanup::run();
    let _cleanup = Cleanup;
    std::fs::set_permissions(
        host.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    for (claim, size) in [("kubelab-class", "1Gi"), ("kubelab-reports", "100Mi")] {
        let dir = host.path().join(claim);
        std::fs::create_dir(&dir).unwrap();
        std::os::unix::fs::chown(&dir, Some(65532), Some(65532)).unwrap();
        kubectl_apply_stdin(&persistent_volume(claim, &dir, size));
    }
    let volumes = repo().join("deploy/class-volumes.yaml");
    kubectl(&["apply", "-f", volumes.to_str().unwrap()]);
    kubectl(&[
        "wait",
        "-n",
        NAMESPACE,
        "--for=condition=Ready",
        "pod/kubelab-files",
        "--timeout=120s",
    ]);

    // The class, copied in as the book says.
    let local = tempfile::tempdir().unwrap();
    let class = local.path().join("class");
    let learners = class_folder(&class);
    assert!(learners.len() >= 10, "a class of {}", learners.len());
    kubectl(&[
        "cp",
        &format!("{}/.", class.display()),
        &format!("{NAMESPACE}/kubelab-files:/class"),
    ]);
    let listed = kubectl(&[
        "exec",
        "-n",
        NAMESPACE,
        "kubelab-files",
        "--",
        "ls",
        "/class",
    ]);
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        learners,
        "the class in the volume"
    );

    // The Job, as shipped.
    let job = repo().join("deploy/class-job.yaml");
    kubectl(&["apply", "-f", job.to_str().unwrap()]);
    let mut condition = String::new();
    let took = wait_for("the Job's end", Duration::from_secs(420), || {
        condition = kubectl(&[
            "get",
            "job",
            "-n",
            NAMESPACE,
            "kubelab-class",
            "-o",
            r#"jsonpath={range .status.conditions[?(@.status=="True")]}{.type} {.reason}: {.message}{"\n"}{end}"#,
        ]);
        condition
            .lines()
            .any(|l| l.starts_with("Complete ") || l.starts_with("Failed "))
    });
    let log = kubectl(&["logs", "-n", NAMESPACE, "job/kubelab-class"]);
    println!(
        "the Job graded {} learners in {:.1} s:\n{condition}\n{log}",
        learners.len(),
        took.as_secs_f64()
    );
    // Some learners fail: kubelab exits 1, and the Job says so (deploy/class-job.yaml).
    let exit_code = kubectl(&[
        "get",
        "pods",
        "-n",
        NAMESPACE,
        "-l",
        "job-name=kubelab-class",
        "-o",
        "jsonpath={.items[*].status.containerStatuses[0].state.terminated.exitCode}",
    ]);
    assert_eq!(exit_code.trim(), "1", "{condition}\n{log}");
    assert!(
        condition
            .lines()
            .any(|l| l.starts_with("Failed PodFailurePolicy:") && l.contains("exit code 1")),
        "{condition}"
    );
    assert!(
        log.contains("learners passed"),
        "the table in the log: {log}"
    );

    // The reports, copied out as the book says.
    let reports = local.path().join("reports");
    kubectl(&[
        "cp",
        &format!("{NAMESPACE}/kubelab-files:/reports"),
        reports.to_str().unwrap(),
    ]);
    let read = |file: &str| {
        std::fs::read_to_string(reports.join(file))
            .unwrap_or_else(|e| panic!("{file} in the reports: {e}"))
    };
    let live: Value = serde_json::from_str(&read("class.json")).unwrap();
    assert_eq!(live["lab"], LAB);
    assert_eq!(live["mode"], "live");

    // The same folder offline, with this build's binary.
    let out = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .current_dir(local.path())
        .env_remove("KUBECONFIG")
        .env("LANG", "C")
        .args(["class", LAB, "class", "--offline", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let offline: Value = serde_json::from_slice(&out.stdout).unwrap();

    let rows = |report: &Value| -> Vec<Value> { report["learners"].as_array().unwrap().clone() };
    let (live_rows, offline_rows) = (rows(&live), rows(&offline));
    let ids: Vec<&str> = live_rows
        .iter()
        .map(|r| r["learner"].as_str().unwrap())
        .collect();
    assert_eq!(ids, learners, "one row per learner, sorted");
    let mut compared = 0;
    let mut passed = 0;
    for (on, off) in live_rows.iter().zip(&offline_rows) {
        let id = on["learner"].as_str().unwrap();
        assert_eq!(off["learner"], id);
        if off["error"].is_object() {
            assert_eq!(on["error"]["kind"], off["error"]["kind"], "{id}");
            assert_eq!(on["error"]["line"], off["error"]["line"], "{id}");
            assert_eq!(on["passed"], false, "{id}");
            continue;
        }
        assert!(on["error"].is_null(), "{id}: {}", on["error"]);
        assert_eq!(on["mode"], "live", "{id}");
        assert_eq!(refused(on), refused(off), "{id}: refused objects");
        let (on_verdicts, off_verdicts) = (verdicts(on), verdicts(off));
        assert_eq!(
            on_verdicts.keys().collect::<Vec<_>>(),
            off_verdicts.keys().collect::<Vec<_>>(),
            "{id}: the same checks"
        );
        for (check, verdict) in &off_verdicts {
            // Decided only live (an `exec` check is `skip` offline): the live verdict stands.
            if verdict == "skip" {
                continue;
            }
            assert_eq!(
                &on_verdicts[check], verdict,
                "{id}: {check:?} live vs offline"
            );
            compared += 1;
        }
        assert_eq!(on["score"], off["score"], "{id}: score");
        passed += usize::from(on["passed"] == true);
    }
    println!(
        "{compared} checks of {} learners agree with offline; {passed} passed live",
        learners.len()
    );
    assert!(passed > 0 && passed < learners.len(), "a mixed class");

    // The other reports.
    let junit = read("class.junit.xml");
    let doc = roxmltree::Document::parse(&junit).expect("class.junit.xml is well-formed XML");
    let suites: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    for id in &learners {
        assert!(
            suites.iter().any(|s| s.starts_with(&format!("{id}/"))),
            "no test suite for {id}"
        );
    }
    let csv = read("class.csv");
    assert_eq!(csv.lines().count(), learners.len() + 1, "{csv}");
    assert!(read("class.txt").contains("learners passed"));

    // Every sandbox namespace of the run (each graded learner's note names it; other
    // runs on the shared cluster may have namespaces of their own) is gone.
    let namespaces: Vec<String> = live_rows
        .iter()
        .filter(|r| r["error"].is_null())
        .map(|r| {
            r["notes"]
                .as_array()
                .unwrap()
                .iter()
                .find_map(|n| {
                    n.as_str()?
                        .strip_prefix("graded live in namespace ")?
                        .strip_suffix(" (being deleted)")
                        .map(String::from)
                })
                .unwrap_or_else(|| panic!("no namespace in the notes of {r}"))
        })
        .collect();
    assert_eq!(
        namespaces.len(),
        learners.len() - 1,
        "one per graded learner"
    );
    let gone = wait_for(
        "the deletion of the Job's sandbox namespaces",
        Duration::from_secs(120),
        || {
            let left = managed_namespaces();
            namespaces.iter().all(|n| !left.contains(n))
        },
    );
    println!(
        "none of its {} sandbox namespaces is left ({:.1} s after the reports were read)",
        namespaces.len(),
        gone.as_secs_f64()
    );
}
