//! A class of 1,000 learners graded offline in one `kubelab class` run, against the
//! alternative an instructor had before: one `kubelab grade` process per learner (the
//! shell loop). Wall time of both, their ratio, and the class run's peak RSS
//! (`getrusage(RUSAGE_CHILDREN)`).
//! Run with `cargo build --release && cargo bench --bench class`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const LEARNERS: usize = 1_000;
/// The per-learner loop is timed on this many learners and scaled (1,000 processes
/// would take long on a shared 2-core machine; each process is independent).
const LOOP_SAMPLE: usize = 100;

fn binary() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let release = root.join("target/release/kubelab");
    assert!(
        release.exists(),
        "build the release binary first: cargo build --release"
    );
    release
}

/// Learner folders cycling through the network-policy corpus (right and wrong answers).
fn generate(root: &Path) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("labs/network-policy/corpus");
    let mut cases: Vec<_> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path().join("submission"))
        .collect();
    cases.sort();
    for i in 0..LEARNERS {
        let from = &cases[i % cases.len()];
        let to = root.join(format!("learner-{i:04}"));
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(from).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
        }
    }
}

/// The peak RSS of the largest child process waited for so far (`getrusage`).
fn children_peak_rss_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a `struct rusage` into the buffer we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    // SAFETY: zeroed, then written by getrusage.
    unsafe { usage.assume_init() }.ru_maxrss
}

fn main() {
    let bin = binary();
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path());
    let class = Instant::now();
    let out = Command::new(&bin)
        .args(["class", "network-policy"])
        .arg(dir.path())
        .args(["--offline", "--output", "json"])
        .output()
        .unwrap();
    let class_time = class.elapsed();
    let peak = children_peak_rss_kib();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["learners"], LEARNERS);

    let looped = Instant::now();
    for i in 0..LOOP_SAMPLE {
        let status = Command::new(&bin)
            .args(["grade", "network-policy"])
            .arg(dir.path().join(format!("learner-{i:04}")))
            .args(["--offline", "--output", "json"])
            .output()
            .unwrap()
            .status;
        assert!(matches!(status.code(), Some(0 | 1)));
    }
    let loop_time = looped.elapsed() * (LEARNERS / LOOP_SAMPLE) as u32;
    println!(
        "{LEARNERS} learners offline: kubelab class {:.2} s (peak RSS {:.1} MiB), one kubelab grade per learner {:.2} s (scaled from {LOOP_SAMPLE}); ratio {:.3}",
        class_time.as_secs_f64(),
        peak as f64 / 1024.0,
        loop_time.as_secs_f64(),
        class_time.as_secs_f64() / loop_time.as_secs_f64()
    );
}
