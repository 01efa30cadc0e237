//! Bounded input (issue 14): grades the generated inputs of items 1–3 for growing N with
//! the release binary and prints wall time and peak RSS per N, and the time per item
//! relative to the smallest N (about 1 when the growth is linear; a quadratic stage
//! would double it with every doubling of N). Time is the best of 5 runs, minus the
//! time of grading the unmodified reference solution (process start, labs), measured in
//! the same run. Run with `cargo bench --bench bounded`.

#[path = "../tests/support/inputs.rs"]
mod inputs;
#[path = "../tests/support/measure.rs"]
mod measure;

use inputs::*;
use std::process::Command;
use std::time::Duration;

const RUNS: usize = 5;

/// Best time and highest peak RSS of `RUNS` gradings of `file` (named `name`).
fn measure_input(name: &str, text: &str, output: &str) -> (Duration, f64, Option<i32>) {
    let dir = folder(&[(name, text.as_bytes())]);
    let mut best = Duration::MAX;
    let mut rss: f64 = 0.0;
    let mut code = None;
    for _ in 0..RUNS {
        let mut command = Command::new(kubelab_binary());
        command
            .current_dir(dir.path())
            .env("COLUMNS", "120")
            .env("LANG", "C")
            .env_remove("KUBELAB_LABS")
            .args([
                "grade",
                "security-context",
                name,
                "--offline",
                "--output",
                output,
            ]);
        let run = measure::run(command, Duration::from_secs(120));
        assert!(!run.timed_out, "{name}: timed out");
        best = best.min(run.elapsed);
        rss = rss.max(run.peak_rss_mib());
        code = run.code;
    }
    (best, rss, code)
}

struct Kind {
    name: &'static str,
    /// What N counts.
    unit: &'static str,
    sizes: [usize; 4],
    file: &'static str,
    output: &'static str,
    generate: fn(usize) -> String,
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let kinds = [
        Kind {
            name: "1. nested anchors, 250 levels, no alias",
            unit: "items",
            sizes: [250_000, 500_000, 1_000_000, 2_000_000],
            file: "secure-pod.yaml",
            output: "json",
            generate: |n| nested_anchors(250, n),
        },
        Kind {
            name: "2. wide list x: [1,1,…]",
            unit: "items",
            sizes: [250_000, 500_000, 1_000_000, 2_000_000],
            file: "secure-pod.yaml",
            output: "json",
            generate: wide_list,
        },
        Kind {
            name: "3a. distinct unknown fields in spec",
            unit: "fields",
            sizes: [10_000, 20_000, 40_000, 80_000],
            file: "secure-pod.yaml",
            output: "json",
            generate: unknown_fields,
        },
        Kind {
            name: "3b. PodList of empty items",
            unit: "items",
            sizes: [5_000, 10_000, 20_000, 40_000],
            file: "list.yaml",
            output: "json",
            generate: pod_list,
        },
        Kind {
            name: "3c. metadata.name length, table output",
            unit: "chars",
            sizes: [70_000, 140_000, 280_000, 560_000],
            file: "secure-pod.yaml",
            output: "table",
            generate: long_name,
        },
    ];
    let (baseline, baseline_rss, _) = measure_input("secure-pod.yaml", &secure_pod(), "json");
    println!(
        "baseline (the reference secure-pod.yaml): {:.1} ms, {:.1} MiB peak RSS\n",
        baseline.as_secs_f64() * 1e3,
        baseline_rss
    );
    println!("| input | N | file | exit | time | peak RSS | time per item vs smallest N |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for kind in &kinds {
        let mut first_per_item = None;
        for n in kind.sizes {
            let text = (kind.generate)(n);
            let (time, rss, code) = measure_input(kind.file, &text, kind.output);
            let work = time.saturating_sub(baseline).as_secs_f64();
            let per_item = work / n as f64;
            let first = *first_per_item.get_or_insert(per_item);
            println!(
                "| {} | {n} {} | {:.2} MB | {} | {:.0} ms | {:.1} MiB | {:.2} |",
                kind.name,
                kind.unit,
                text.len() as f64 / 1e6,
                code.map_or("signal".to_string(), |c| c.to_string()),
                time.as_secs_f64() * 1e3,
                rss,
                per_item / first
            );
        }
    }
}
