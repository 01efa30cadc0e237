//! Offline grading throughput: 1,000 generated submissions (the three labs, right and
//! wrong) graded in one process on one thread, from files on disk; then the wall time of
//! single `kubelab grade ... --offline` calls. Run with `cargo bench --bench grade`.

use kubelab::grade::Grader;
use kubelab::lab::{Catalog, Lang, embedded_solution};
use kubelab::manifest;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SUBMISSIONS: usize = 1_000;

/// Variations of a reference solution: right, or wrong in a way a learner gets wrong.
fn mutations(lab: &str) -> Vec<(&'static str, &'static str)> {
    match lab {
        "network-policy" => vec![
            ("app: api", "app: apii"),
            ("port: 6379", "port: 6380"),
            ("role: db # 이", "role: dbx # 이"),
        ],
        "security-context" => vec![
            ("readOnlyRootFilesystem", "readOnlyRootFileSystem"),
            ("runAsUser: 1000", "runAsUser: \"1000\""),
            ("drop: [\"ALL\"]", "drop: [\"NET_RAW\"]"),
        ],
        _ => vec![
            ("private-reg-cred\n", "private-reg-creds\n"),
            ("type: kubernetes.io/dockerconfigjson", "type: Opaque"),
        ],
    }
}

fn generate(root: &Path) -> Vec<(String, PathBuf)> {
    let labs = ["network-policy", "security-context", "private-registry"];
    let mut out = Vec::new();
    for i in 0..SUBMISSIONS {
        let lab = labs[i % labs.len()];
        let dir = root.join(format!("{i:04}-{lab}"));
        std::fs::create_dir_all(&dir).unwrap();
        let variants = mutations(lab);
        // Every other submission is right; the rest carry one mistake each.
        let mutation = (i % 2 == 1).then(|| variants[(i / 2) % variants.len()]);
        for (name, text) in embedded_solution(lab) {
            let text = match mutation {
                Some((from, to)) => text.replacen(from, to, 1),
                None => text.to_string(),
            };
            std::fs::write(dir.join(name), text).unwrap();
        }
        out.push((lab.to_string(), dir));
    }
    out
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let catalog = Catalog::embedded().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let submissions = generate(tmp.path());
    let graders: Vec<(String, Grader)> = catalog
        .labs()
        .map(|l| (l.id.clone(), Grader::new(l)))
        .collect();

    let start = Instant::now();
    let mut passed = 0;
    for (lab, dir) in &submissions {
        let grader = &graders.iter().find(|(id, _)| id == lab).unwrap().1;
        let submission = manifest::load_paths(std::slice::from_ref(dir)).unwrap();
        if grader.grade(&submission, Lang::En).passed {
            passed += 1;
        }
    }
    let elapsed = start.elapsed();
    assert_eq!(
        passed,
        SUBMISSIONS / 2,
        "every right submission passes and every wrong one fails"
    );
    println!(
        "offline grading: {SUBMISSIONS} submissions in {:.1} ms = {:.0} submissions/s (one thread); peak RSS {:.1} MiB",
        elapsed.as_secs_f64() * 1e3,
        SUBMISSIONS as f64 / elapsed.as_secs_f64(),
        peak_rss_kib() as f64 / 1024.0
    );

    // One CLI call, as a learner or a script makes it (release binary, warm page cache).
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/kubelab");
    if !binary.exists() {
        println!("single call: build the release binary first (cargo build --release)");
        return;
    }
    let solution = Path::new(env!("CARGO_MANIFEST_DIR")).join("labs/network-policy/solution");
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(&binary)
                .args(["grade", "network-policy", "--offline", "--output", "json"])
                .arg(&solution)
                .output()
                .unwrap()
                .status;
            assert!(status.success());
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "single `kubelab grade network-policy labs/network-policy/solution --offline`: median {:.1} ms, max {:.1} ms (30 runs)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}
