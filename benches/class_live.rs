//! A class of 30 learners graded live on the test cluster in one `kubelab class` run,
//! against 30 sequential `kubelab grade --live` runs of the same folders (the shell
//! loop an instructor had before), in the same bench run: wall time of both, their
//! ratio, and the class run's peak RSS (`getrusage(RUSAGE_CHILDREN)`, read before the
//! loop runs). The learners are the first 30 cases of the network-policy corpus, right
//! and wrong answers mixed; both sides must give every learner the same verdicts.
//!
//! Needs the test cluster (`tests/cluster/up`) and the release binary:
//! `cargo build --release && cargo bench --bench class_live`. Kubeconfig:
//! `KUBELAB_ADMIN_KUBECONFIG`, default `/var/lib/kubelab-testbed/admin.kubeconfig`;
//! learners at once: `KUBELAB_BENCH_JOBS` (default: the class command's default, 8).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const LEARNERS: usize = 30;

fn binary() -> PathBuf {
    let release = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/kubelab");
    assert!(
        release.exists(),
        "build the release binary first: cargo build --release"
    );
    release
}

fn kubeconfig() -> PathBuf {
    std::env::var_os("KUBELAB_ADMIN_KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/kubelab-testbed/admin.kubeconfig"))
}

fn generate(root: &Path) -> Vec<String> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("labs/network-policy/corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= LEARNERS,
        "the corpus has {} cases",
        cases.len()
    );
    let mut ids = Vec::new();
    for case in &cases[..LEARNERS] {
        let id = case.file_name().unwrap().to_string_lossy().into_owned();
        let to = root.join(&id);
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(case.join("submission")).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
        }
        ids.push(id);
    }
    ids
}

fn children_peak_rss_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `struct rusage` into the buffer we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    // SAFETY: zeroed, then written by getrusage.
    unsafe { usage.assume_init() }.ru_maxrss
}

/// Every check's (step, check, verdict) of one learner's grade.
fn verdicts(result: &Value) -> Vec<(String, String, String)> {
    result["steps"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .flat_map(|s| {
                    s["checks"].as_array().unwrap().iter().map(move |c| {
                        (
                            s["id"].to_string(),
                            c["id"].to_string(),
                            c["verdict"].to_string(),
                        )
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn main() {
    let bin = binary();
    let kubeconfig = kubeconfig();
    let dir = tempfile::tempdir().unwrap();
    let ids = generate(dir.path());
    let jobs = std::env::var("KUBELAB_BENCH_JOBS").ok();
    let class = Instant::now();
    let mut command = Command::new(&bin);
    command
        .args(["class", "network-policy"])
        .arg(dir.path())
        .args(["--live", "--output", "json", "--kubeconfig"])
        .arg(&kubeconfig);
    if let Some(jobs) = &jobs {
        command.args(["--jobs", jobs]);
    }
    let out = command.output().unwrap();
    let class_time = class.elapsed();
    let peak = children_peak_rss_kib();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["learners"], LEARNERS);

    let looped = Instant::now();
    let mut differences = 0;
    for id in &ids {
        let out = Command::new(&bin)
            .args(["grade", "network-policy"])
            .arg(dir.path().join(id))
            .args(["--live", "--output", "json", "--kubeconfig"])
            .arg(&kubeconfig)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{id}: {out:?}");
        let alone: Value = serde_json::from_slice(&out.stdout).unwrap();
        let in_class = report["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["learner"] == id.as_str())
            .unwrap();
        if verdicts(&alone) != verdicts(in_class) {
            differences += 1;
            eprintln!("{id}: the class run and kubelab grade differ");
        }
    }
    let loop_time = looped.elapsed();
    println!(
        "{LEARNERS} learners live (network-policy corpus, --jobs {}): kubelab class {:.1} s (peak RSS {:.1} MiB), {LEARNERS} sequential kubelab grade --live {:.1} s; ratio {:.3}; {differences} learners with different verdicts",
        jobs.as_deref().unwrap_or("default"),
        class_time.as_secs_f64(),
        peak as f64 / 1024.0,
        loop_time.as_secs_f64(),
        class_time.as_secs_f64() / loop_time.as_secs_f64()
    );
    assert_eq!(differences, 0);
}
