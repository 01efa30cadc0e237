//! Exam benchmark (issues 11 and 26), on the test cluster: `kubelab exam start --tasks 5`
//! — five labs drawn by the round's seed, every task's namespace, scenario, private
//! registry and pods at once, then the sheet — against what a learner would do without
//! exam mode, `kubelab start` of the same five labs one after another, in the same run.
//! Also timed: `exam status` from a second process and `exam end` (grading the five
//! untouched tasks live and deleting the namespaces). Target: `exam start` to the sheet
//! under 60 s.
//!
//! kubelab: `KUBELAB_BIN`, else `$CARGO_TARGET_DIR/release/kubelab`, else
//! `target/release/kubelab`; the test cluster's admin kubeconfig
//! (`KUBELAB_ADMIN_KUBECONFIG`, default `/var/lib/kubelab-testbed/admin.kubeconfig`).
//! Run with `cargo build --release && cargo bench --bench exam_live`. Panics when the
//! cluster is not reachable or a command fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const TASKS: usize = 5;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn kubelab() -> PathBuf {
    if let Some(path) = std::env::var_os("KUBELAB_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let path = target.join("release/kubelab");
    assert!(
        path.is_file(),
        "{} is missing: cargo build --release",
        path.display()
    );
    path
}

fn admin_kubeconfig() -> PathBuf {
    std::env::var_os("KUBELAB_ADMIN_KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/kubelab-testbed/admin.kubeconfig"))
}

/// Runs kubelab as `owner`; panics on an exit code other than `expect`.
fn run(owner: &str, args: &[&str], expect: i32) -> (Duration, Output) {
    let started = Instant::now();
    let out = Command::new(kubelab())
        .current_dir(root())
        .env("LANG", "C")
        .env("KUBELAB_OWNER", owner)
        .env_remove("KUBECONFIG")
        .args(args)
        .arg("--kubeconfig")
        .arg(admin_kubeconfig())
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(
        out.status.code(),
        Some(expect),
        "kubelab {}: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (took, out)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let mut exam_start = Vec::new();
    let mut status = Vec::new();
    let mut exam_end = Vec::new();
    let mut sequential = Vec::new();
    for round in 0..ROUNDS {
        let owner = format!("bench-exam-{}-{round}", std::process::id());
        let seed = format!("bench-{round}");
        let (took, out) = run(
            &owner,
            &[
                "exam",
                "start",
                "--variant",
                &seed,
                "--tasks",
                &TASKS.to_string(),
                "--duration",
                "30m",
            ],
            0,
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("Task {TASKS}")));
        exam_start.push(took.as_secs_f64());
        let (took, _) = run(&owner, &["exam", "status", "--output", "json"], 0);
        status.push(took.as_secs_f64());
        // Untouched tasks: the exam fails (exit 1).
        let (took, out) = run(&owner, &["exam", "end", "--output", "json"], 1);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let labs: Vec<String> = report["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["lab"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(labs.len(), TASKS, "{report:#}");
        exam_end.push(took.as_secs_f64());

        let owner = format!("bench-start-{}-{round}", std::process::id());
        let started = Instant::now();
        for lab in &labs {
            run(&owner, &["start", lab, "--variant", &seed], 0);
        }
        sequential.push(started.elapsed().as_secs_f64());
        run(&owner, &["clean"], 0);
        println!(
            "round {}: exam start {:.1}s, status {:.2}s, exam end {:.1}s; {TASKS} × start {:.1}s ({})",
            round + 1,
            exam_start[round],
            status[round],
            exam_end[round],
            sequential[round],
            labs.join(", ")
        );
    }
    let (exam, seq) = (median(exam_start.clone()), median(sequential.clone()));
    println!(
        "median of {ROUNDS}: exam start ({TASKS} tasks) {exam:.1}s (target < 60 s), {TASKS} × kubelab start {seq:.1}s, ratio {:.2}; exam status {:.2}s; exam end {:.1}s",
        exam / seq,
        median(status),
        median(exam_end)
    );
    assert!(exam < 60.0, "exam start took {exam:.1}s");
}
