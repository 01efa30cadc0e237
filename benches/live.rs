//! Live benchmark (issue 3), on the test cluster: kubelab against kubectl.
//!
//! 1. One exec check: 50 × `id -u` in a busybox pod the way kubelab's checks run it
//!    (`Sandbox::exec`: through the exec API, in the shell kept open in the container,
//!    one client, one process) against 50 × the process `kubectl exec <pod> -n <ns> --
//!    id -u`; p50 and p90 of each. Target: kubelab's p50 ≤ 1/4 of kubectl's. Also shown:
//!    one exec stream per command (`kubelab::cluster::exec::exec`), what a container's
//!    first command costs (opening its shell) and what a container without `sh` gets.
//! 2. Grading: `kubelab grade <lab> labs/<lab>/solution --live --output json` for the three
//!    labs, three processes started together (wall time until the last one exits), against
//!    `bash benches/kubectl-verify.sh`, which does the same checks with kubectl one after
//!    another (see the script for what it times). Target: ≤ 1/3.
//! 3. Per lab: each lab's `kubelab grade` alone, one after another, against the script's
//!    time for that lab, with the test cluster's enforcer (`cni-enforcer` beside the
//!    admin kubeconfig: kube-router rejects, Cilium drops). Target for network-policy,
//!    whose blocked probes cost a timeout each on a dropping enforcer: ≤ 1/2.
//!
//! Both sides use the test cluster's admin kubeconfig (`KUBELAB_ADMIN_KUBECONFIG`, default
//! `/var/lib/kubelab-testbed/admin.kubeconfig`). kubectl: `KUBECTL`, else the testbed's
//! (`tests/cluster/lib.sh` `K8S_BIN`), else `kubectl` on PATH. kubelab: `KUBELAB_BIN`, else
//! `$CARGO_TARGET_DIR/release/kubelab`, else `target/release/kubelab`.
//!
//! Run with `cargo build --release && cargo bench --bench live`. Panics when the cluster
//! is not reachable.

use k8s_openapi::api::core::v1::Pod;
use kube::api::PostParams;
use kubelab::cluster::exec::exec;
use kubelab::cluster::wait::PodState;
use kubelab::cluster::{ConnectOptions, Sandbox};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXECS: usize = 50;
const LABS: [&str; 3] = ["network-policy", "security-context", "private-registry"];
const POD: &str = "bench-exec";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn admin_kubeconfig() -> PathBuf {
    std::env::var_os("KUBELAB_ADMIN_KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/kubelab-testbed/admin.kubeconfig"))
}

fn kubectl() -> PathBuf {
    if let Some(path) = std::env::var_os("KUBECTL") {
        return PathBuf::from(path);
    }
    let lib = root().join("tests/cluster/lib.sh");
    let found = Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && K8S_BIN", lib.display()))
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join("kubectl"))
        .filter(|p| p.is_file());
    found.unwrap_or_else(|| PathBuf::from("kubectl"))
}

fn kubelab_bin() -> PathBuf {
    let bin = std::env::var_os("KUBELAB_BIN")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(|dir| PathBuf::from(dir).join("release/kubelab"))
        })
        .unwrap_or_else(|| root().join("target/release/kubelab"));
    assert!(
        bin.is_file(),
        "no kubelab binary at {} (run `cargo build --release`, or set KUBELAB_BIN)",
        bin.display()
    );
    bin
}

/// Nearest-rank percentile.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct ExecFigures {
    kubelab: Vec<Duration>,
    direct: Vec<Duration>,
    kubectl: Vec<Duration>,
}

/// The pod is created, Ready, and both sides run `id -u` EXECS times (after one untimed
/// call each). Synchronous (`block_on` per call), so that the file also parses as the
/// edition-2015 Rust that a bare `rustfmt` reads.
fn measure_exec(
    runtime: &tokio::runtime::Runtime,
    sandbox: &Sandbox,
    kubeconfig: &Path,
    kubectl: &Path,
) -> Result<ExecFigures, String> {
    let pods = sandbox.pods();
    let pod: Pod = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": POD},
        "spec": {
            "containers": [{"name": POD, "image": "busybox:1.28", "command": ["sleep", "3600"]}],
            "terminationGracePeriodSeconds": 0
        }
    }))
    .map_err(|e| e.to_string())?;
    runtime
        .block_on(pods.create(&PostParams::default(), &pod))
        .map_err(|e| format!("create pod {POD}: {e}"))?;
    match runtime.block_on(kubelab::cluster::wait::wait_ready(
        sandbox,
        POD,
        Duration::from_secs(120),
    )) {
        Ok(PodState::Ready) => {}
        other => return Err(format!("pod {POD} is not Ready: {other:?}")),
    }
    let check = |code: i32, stdout: &str| -> Result<(), String> {
        if code == 0 && stdout.trim() == "0" {
            Ok(())
        } else {
            Err(format!("`id -u` gave exit {code}, output {stdout:?}"))
        }
    };
    let kubelab_exec = || {
        let out = runtime
            .block_on(sandbox.exec(POD, None, &["id", "-u"], Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((out.code, out.stdout))
    };
    let direct_exec = || {
        let out = runtime
            .block_on(exec(
                &pods,
                POD,
                None,
                &["id", "-u"],
                Duration::from_secs(10),
            ))
            .map_err(|e| e.to_string())?;
        Ok::<_, String>((out.code, out.stdout))
    };
    let kubectl_exec = || {
        let out = Command::new(kubectl)
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .args(["exec", POD, "-n", &sandbox.namespace, "--", "id", "-u"])
            .output()
            .map_err(|e| format!("running {}: {e}", kubectl.display()))?;
        Ok::<_, String>((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ))
    };
    // Untimed: the first call of each (the client's connection, the disk cache; for
    // kubelab's checks also opening the container's shell, timed below as `direct`).
    for run in [
        &kubelab_exec as &dyn Fn() -> Result<(i32, String), String>,
        &direct_exec,
        &kubectl_exec,
    ] {
        let (code, stdout) = run()?;
        check(code, &stdout)?;
    }
    let mut figures = ExecFigures {
        kubelab: Vec::with_capacity(EXECS),
        direct: Vec::with_capacity(EXECS),
        kubectl: Vec::with_capacity(EXECS),
    };
    for (run, into) in [
        (
            &kubelab_exec as &dyn Fn() -> Result<(i32, String), String>,
            &mut figures.kubelab,
        ),
        (&direct_exec, &mut figures.direct),
        (&kubectl_exec, &mut figures.kubectl),
    ] {
        for _ in 0..EXECS {
            let start = Instant::now();
            let (code, stdout) = run()?;
            into.push(start.elapsed());
            check(code, &stdout)?;
        }
        into.sort();
    }
    Ok(figures)
}

struct Graded {
    lab: &'static str,
    wall: Duration,
    code: Option<i32>,
    summary: String,
}

/// The three `kubelab grade --live` processes, started together.
fn grade_concurrently(kubelab: &Path, kubeconfig: &Path) -> (Duration, Vec<Graded>) {
    grade(kubelab, kubeconfig, &LABS)
}

/// Each lab's `kubelab grade --live` alone, one after another: the per-lab figure that
/// compares with the script's per-lab time (which runs its labs in sequence too).
fn grade_each_alone(kubelab: &Path, kubeconfig: &Path) -> Vec<Graded> {
    LABS.iter()
        .flat_map(|lab| grade(kubelab, kubeconfig, std::slice::from_ref(lab)).1)
        .collect()
}

/// `kubelab grade --live` of `labs`, one process each, started together.
fn grade(kubelab: &Path, kubeconfig: &Path, labs: &[&'static str]) -> (Duration, Vec<Graded>) {
    let start = Instant::now();
    let children: Vec<_> = labs
        .iter()
        .map(|&lab| {
            let spawned = Instant::now();
            let child = Command::new(kubelab)
                .arg("grade")
                .arg(lab)
                .arg(root().join("labs").join(lab).join("solution"))
                .args(["--live", "--output", "json", "--kubeconfig"])
                .arg(kubeconfig)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("running {}: {e}", kubelab.display()));
            std::thread::spawn(move || {
                let output = child.wait_with_output().expect("waiting for kubelab");
                let wall = spawned.elapsed();
                let summary = match serde_json::from_slice::<serde_json::Value>(&output.stdout) {
                    Ok(json) => format!(
                        "mode {} passed {} score {}/{}",
                        json["mode"], json["passed"], json["score"], json["max_score"]
                    ),
                    Err(_) => format!(
                        "no JSON: {}",
                        String::from_utf8_lossy(&output.stderr).trim()
                    ),
                };
                Graded {
                    lab,
                    wall,
                    code: output.status.code(),
                    summary,
                }
            })
        })
        .collect();
    let graded: Vec<Graded> = children
        .into_iter()
        .map(|t| t.join().expect("a grading thread"))
        .collect();
    (start.elapsed(), graded)
}

struct Script {
    /// The script's timed part: the sum of its three `lab` lines.
    timed: Duration,
    labs: Vec<(String, Duration)>,
    /// The whole process, with the untimed registry helper.
    wall: Duration,
}

fn run_script(kubelab: &Path, kubeconfig: &Path, kubectl: &Path) -> Script {
    let start = Instant::now();
    let output = Command::new("bash")
        .arg(root().join("benches/kubectl-verify.sh"))
        .env("KUBECONFIG", kubeconfig)
        .env("KUBECTL", kubectl)
        .env("KUBELAB_BIN", kubelab)
        .stderr(Stdio::inherit())
        .output()
        .expect("running bash benches/kubectl-verify.sh");
    let wall = start.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "benches/kubectl-verify.sh failed ({}): {stdout}",
        output.status
    );
    let mut labs = Vec::new();
    let mut timed = None;
    for line in stdout.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let secs = |s: &str| Duration::from_secs_f64(s.parse().expect("seconds"));
        match words.as_slice() {
            ["lab", lab, s] => labs.push((lab.to_string(), secs(s))),
            ["total", s] => timed = Some(secs(s)),
            _ => {}
        }
    }
    Script {
        timed: timed.unwrap_or_else(|| panic!("no total line from the script: {stdout}")),
        labs,
        wall,
    }
}

/// The test cluster's NetworkPolicy enforcer, as `tests/cluster/up` recorded it beside
/// the admin kubeconfig (`cni-enforcer`): `kube-router` (absent file) or `cilium`.
fn enforcer(kubeconfig: &Path) -> String {
    std::fs::read_to_string(kubeconfig.with_file_name("cni-enforcer"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "kube-router".to_string())
}

fn verdict(ratio: f64, target: f64) -> &'static str {
    ["NOT MET", "MET"][usize::from(ratio <= target)]
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter.
    let kubeconfig = admin_kubeconfig();
    let kubectl = kubectl();
    let kubelab = kubelab_bin();
    println!(
        "live benchmark: kubeconfig {}, kubectl {}, kubelab {}",
        kubeconfig.display(),
        kubectl.display(),
        kubelab.display()
    );

    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let options = ConnectOptions {
        kubeconfig: Some(kubeconfig.clone()),
        context: None,
    };
    let cluster = runtime
        .block_on(kubelab::cluster::connect(&options))
        .unwrap_or_else(|e| {
            panic!(
                "\n\nTHE LIVE TEST CLUSTER IS NOT REACHABLE with {}: {e}\n\
             Bring it up with `tests/cluster/up` (or set KUBELAB_ADMIN_KUBECONFIG).\n",
                kubeconfig.display()
            )
        });
    println!("cluster {} ({})", cluster.server, cluster.version);

    // 1. One exec check.
    let sandbox = runtime
        .block_on(Sandbox::create(&cluster.client, "bench-exec"))
        .unwrap_or_else(|e| panic!("creating the benchmark namespace: {e}"));
    println!("exec: namespace {}", sandbox.namespace);
    let figures = measure_exec(&runtime, &sandbox, &kubeconfig, &kubectl);
    let deleted = runtime.block_on(sandbox.delete(Duration::from_secs(120)));
    let figures = figures.unwrap_or_else(|e| panic!("exec benchmark: {e}"));
    if let Err(e) = deleted {
        eprintln!("warning: deleting {}: {e}", sandbox.namespace);
    }
    drop(cluster);
    drop(runtime);

    // 2. Grading the three reference solutions.
    let (kubelab_wall, graded) = grade_concurrently(&kubelab, &kubeconfig);
    let alone = grade_each_alone(&kubelab, &kubeconfig);
    let script = run_script(&kubelab, &kubeconfig, &kubectl);

    let (kl50, kl90) = (
        percentile(&figures.kubelab, 50),
        percentile(&figures.kubelab, 90),
    );
    let (kc50, kc90) = (
        percentile(&figures.kubectl, 50),
        percentile(&figures.kubectl, 90),
    );
    println!();
    println!(
        "exec `id -u`, {EXECS} calls each                                          p50        p90"
    );
    println!(
        "  kubelab (its checks: exec API, the container's shell kept open)   {:>8.1} ms {:>8.1} ms",
        ms(kl50),
        ms(kl90)
    );
    println!(
        "  kubelab (one exec stream per command: a first command, no sh)     {:>8.1} ms {:>8.1} ms",
        ms(percentile(&figures.direct, 50)),
        ms(percentile(&figures.direct, 90))
    );
    println!(
        "  kubectl exec (a process each)                                     {:>8.1} ms {:>8.1} ms",
        ms(kc50),
        ms(kc90)
    );
    println!();
    println!("grading the three reference solutions        wall");
    for g in &graded {
        println!(
            "  kubelab grade {:<17} --live   {:>7.1} s   exit {:?}, {}",
            g.lab,
            g.wall.as_secs_f64(),
            g.code,
            g.summary
        );
    }
    println!(
        "  kubelab, three labs concurrently      {:>7.1} s",
        kubelab_wall.as_secs_f64()
    );
    for (lab, wall) in &script.labs {
        println!(
            "  kubectl-verify.sh {:<17}     {:>7.1} s",
            lab,
            wall.as_secs_f64()
        );
    }
    println!(
        "  kubectl-verify.sh, timed part (sum)   {:>7.1} s   (whole process with the untimed registry helper: {:.1} s)",
        script.timed.as_secs_f64(),
        script.wall.as_secs_f64()
    );
    // Per lab: each lab graded alone against the script's same lab (both in sequence,
    // nothing else running). With a dropping enforcer every blocked probe waits for its
    // timeout on both sides; network-policy must stay within half the script's time.
    println!();
    println!(
        "per lab, kubelab grade alone / kubectl-verify.sh (enforcer: {})",
        enforcer(&kubeconfig)
    );
    for g in &alone {
        let Some((_, wall)) = script.labs.iter().find(|(lab, _)| lab == g.lab) else {
            continue;
        };
        let ratio = g.wall.as_secs_f64() / wall.as_secs_f64();
        let target = if g.lab == "network-policy" {
            format!(" (target ≤ 0.500): {}", verdict(ratio, 0.5))
        } else {
            String::new()
        };
        println!(
            "  {:<17} {:>6.1} s / {:>6.1} s = {ratio:.3}{target}",
            g.lab,
            g.wall.as_secs_f64(),
            wall.as_secs_f64()
        );
    }
    let grading = kubelab_wall.as_secs_f64() / script.timed.as_secs_f64();
    let exec_ratio = kl50.as_secs_f64() / kc50.as_secs_f64();
    println!();
    println!(
        "grading ratio kubelab / kubectl script = {grading:.3} (target ≤ 0.333): {}",
        verdict(grading, 1.0 / 3.0)
    );
    println!(
        "exec p50 ratio kubelab / kubectl exec  = {exec_ratio:.3} (target ≤ 0.250): {}",
        verdict(exec_ratio, 0.25)
    );
    let failed: Vec<_> = graded
        .iter()
        .chain(&alone)
        .filter(|g| g.code != Some(0))
        .collect();
    if !failed.is_empty() {
        panic!(
            "kubelab grade did not pass every reference solution: {:?}",
            failed
                .iter()
                .map(|g| format!("{}: exit {:?}, {}", g.lab, g.code, g.summary))
                .collect::<Vec<_>>()
        );
    }
}
