//! Exam mode on the real test cluster, through the real binary, as the `kubelab`
//! ServiceAccount of deploy/rbac.yaml: an exam of all three labs in a random variant is
//! started; a second process sees the same exam (`exam status`); a second `exam start`
//! is refused; the learner answers one task right, one wrong and leaves one untouched;
//! `exam end` reports exactly that, with the variant's solutions, and every namespace of
//! the exam is gone afterwards. Needs the test cluster (`tests/cluster/up`); fails
//! loudly without it.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Instant;

mod common;
use common::{kubectl, rbac_kubeconfig};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary as `owner` with the RBAC-bound kubeconfig (unless `offline`).
fn run(owner: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubelab"));
    command
        .current_dir(repo())
        .env("LANG", "C")
        .env("COLUMNS", "120")
        .env("KUBELAB_OWNER", owner)
        .env("KUBELAB_DATA_DIR", data_dir(owner))
        .env_remove("KUBECONFIG")
        .args(args)
        .arg("--kubeconfig")
        .arg(rbac_kubeconfig());
    command.output().unwrap()
}

/// The owner's own data directory (its exam history), fresh for each test process.
fn data_dir(owner: &str) -> PathBuf {
    std::env::temp_dir().join(format!("kubelab-data-{owner}"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(out)))
}

fn namespace_exists(ns: &str) -> bool {
    !kubectl(&["get", "namespace", ns, "--ignore-not-found", "-o", "name"])
        .trim()
        .is_empty()
}

#[test]
fn an_exam_of_every_lab_is_started_seen_from_another_process_graded_and_cleaned_up() {
    let owner = format!("live-exam-{}", std::process::id());
    let seed = format!("exam-{}", std::process::id());

    // No exam yet: status and end are usage errors with a message.
    let none = run(&owner, &["exam", "status"]);
    assert_eq!(none.status.code(), Some(2), "{}", text(&none));
    assert!(
        text(&none).contains("You have no running exam"),
        "{}",
        text(&none)
    );

    let started = Instant::now();
    let start = run(
        &owner,
        &[
            "exam",
            "start",
            "--labs",
            "network-policy,security-context,private-registry",
            "--duration",
            "20m",
            "--variant",
            &seed,
            "--lang",
            "en",
        ],
    );
    let took = started.elapsed();
    assert_eq!(start.status.code(), Some(0), "{}", text(&start));
    let sheet = String::from_utf8_lossy(&start.stdout).to_string();
    println!("exam start to the sheet in {:.1}s", took.as_secs_f64());
    assert!(sheet.contains("# CKS exam practice"), "{sheet}");
    assert!(sheet.contains(&format!("**variant** `{seed}`")), "{sheet}");
    assert!(
        sheet.contains("Task 3: Use an image from a private registry"),
        "{sheet}"
    );
    // No hints on the sheet.
    assert!(!sheet.contains("An empty `podSelector`"), "{sheet}");

    // A second process (another terminal) sees the same exam.
    let status = run(&owner, &["exam", "status", "--output", "json"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    let status = json(&status);
    assert_eq!(status["variant"], seed.as_str());
    assert!(status["seconds_left"].as_i64().unwrap() > 15 * 60);
    assert_eq!(status["late"], false);
    let tasks = status["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    let namespaces: Vec<String> = tasks
        .iter()
        .map(|t| t["namespace"].as_str().unwrap().to_string())
        .collect();
    for ns in &namespaces {
        assert!(sheet.contains(ns.as_str()), "{ns} not on the sheet");
        assert!(namespace_exists(ns));
    }
    let table = run(&owner, &["exam", "status", "--lang", "ko"]);
    assert!(text(&table).contains("남은 시간"), "{}", text(&table));

    // One context per task, as in the real exam: plain kubectl, `--context task-1`,
    // lands in task 1's namespace (its fixtures' pods); the sheet starts each task with `use-context`.
    let exam_id = status["exam"].as_str().unwrap();
    let contexts = data_dir(&owner)
        .join("exams")
        .join(format!("{exam_id}.kubeconfig"));
    assert!(
        sheet.contains(&format!("export KUBECONFIG='{}'", contexts.display())),
        "{sheet}"
    );
    for number in 1..=3 {
        assert!(
            sheet.contains(&format!("kubectl config use-context task-{number}")),
            "{sheet}"
        );
    }
    let pods = std::process::Command::new("kubectl")
        .args([
            "--context",
            "task-1",
            "get",
            "pods",
            "-o",
            "jsonpath={.items[*].metadata.namespace}",
        ])
        .env("KUBECONFIG", &contexts)
        .output()
        .unwrap();
    assert!(
        pods.status.success(),
        "{}",
        String::from_utf8_lossy(&pods.stderr)
    );
    let seen = String::from_utf8_lossy(&pods.stdout).to_string();
    assert!(
        !seen.is_empty() && seen.split(' ').all(|ns| ns == namespaces[0]),
        "task-1's pods (the network-policy fixtures) are in {}: {seen:?}",
        namespaces[0]
    );

    // One exam at a time.
    let again = run(&owner, &["exam", "start", "--labs", "security-context"]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("is still running"),
        "{}",
        text(&again)
    );
    let again = run(
        &owner,
        &[
            "exam",
            "start",
            "--labs",
            "security-context",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("아직 진행 중입니다"),
        "{}",
        text(&again)
    );

    // No feedback while the exam runs: `check` of a task namespace is refused (exit 4).
    for (lang, said) in [
        ("en", "it is graded at exam end, not before"),
        ("ko", "채점은 시험이 끝날 때 합니다"),
    ] {
        let refused = run(
            &owner,
            &[
                "check",
                "security-context",
                "-n",
                &namespaces[1],
                "--lang",
                lang,
            ],
        );
        assert_eq!(refused.status.code(), Some(4), "{}", text(&refused));
        assert!(text(&refused).contains(said), "{}", text(&refused));
    }

    // Flags: task 3 to return to; a task that is not there is a usage error.
    let flag = run(&owner, &["exam", "flag", "3"]);
    assert_eq!(flag.status.code(), Some(0), "{}", text(&flag));
    let flag = run(&owner, &["exam", "flag", "1"]);
    assert_eq!(flag.status.code(), Some(0), "{}", text(&flag));
    let unflag = run(&owner, &["exam", "unflag", "1"]);
    assert_eq!(unflag.status.code(), Some(0), "{}", text(&unflag));
    let nine = run(&owner, &["exam", "flag", "9"]);
    assert_eq!(nine.status.code(), Some(2), "{}", text(&nine));
    assert!(
        text(&nine).contains("The exam has no task 9 (its tasks are 1 to 3)"),
        "{}",
        text(&nine)
    );
    let nine = run(&owner, &["exam", "flag", "9", "--lang", "ko"]);
    assert!(text(&nine).contains("9번 문제"), "{}", text(&nine));

    // Task 1 right: the variant's reference solution, applied as the learner would.
    let answers = tempfile::tempdir().unwrap();
    let solve = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .args(["solve", "network-policy", "--variant", &seed, "--write"])
        .arg(answers.path().join("np"))
        .output()
        .unwrap();
    assert!(solve.status.success(), "{}", text(&solve));
    kubectl(&[
        "apply",
        "-n",
        &namespaces[0],
        "-f",
        answers.path().join("np").to_str().unwrap(),
    ]);
    // Task 2 wrong: the seed material's answer (the seed's names and IDs).
    kubectl(&[
        "apply",
        "-n",
        &namespaces[1],
        "-f",
        repo()
            .join("labs/security-context/solution")
            .to_str()
            .unwrap(),
    ]);
    // Task 3 untouched.

    // Status says what was changed and what is flagged, never what passed.
    let status = run(&owner, &["exam", "status", "--output", "json"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    let status = json(&status);
    let states: Vec<(&str, bool)> = status["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["state"].as_str().unwrap(),
                t["flagged"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [("changed", false), ("changed", false), ("untouched", true)],
        "{status}"
    );
    assert_eq!(status["flagged"], serde_json::json!([3]));
    assert_eq!(status["pass_mark"], 67);
    let table = text(&run(&owner, &["exam", "status"]));
    assert!(table.contains("untouched · flagged"), "{table}");
    assert!(table.contains("Flagged to return to: 3."), "{table}");
    assert!(!table.contains("passed"), "{table}");

    let history = data_dir(&owner).join("exam-history.jsonl");
    let _ = std::fs::remove_file(&history);
    let end = run(&owner, &["exam", "end", "--output", "json"]);
    assert!(!contexts.exists(), "exam end deletes the exam's kubeconfig");
    assert_eq!(end.status.code(), Some(1), "{}", text(&end));
    let report = json(&end);
    println!(
        "{}",
        serde_json::to_string_pretty(&report["tasks"][1]["result"]["steps"][0]).unwrap()
    );
    assert_eq!(report["variant"], seed.as_str());
    assert_eq!(report["late"], false);
    // The pass mark decides: task 1 alone is under 67%.
    assert_eq!(report["pass_mark"], 67);
    assert_eq!(report["passed"], false);
    let percent = report["percent"].as_f64().unwrap();
    assert!(percent > 0.0 && percent < 67.0, "{percent}");
    let tasks = report["tasks"].as_array().unwrap();
    let weights: f64 = tasks
        .iter()
        .map(|t| t["weight_percent"].as_f64().unwrap())
        .sum();
    assert!((weights - 100.0).abs() < 0.2, "{weights}");
    assert_eq!(tasks[0]["lab"], "network-policy");
    assert_eq!(tasks[0]["passed"], true, "{}", tasks[0]);
    assert_eq!(tasks[0]["score"], tasks[0]["max_score"]);
    assert_eq!(tasks[1]["passed"], false);
    assert_eq!(tasks[1]["score"], 0, "{}", tasks[1]);
    let failing: Vec<&serde_json::Value> = tasks[1]["result"]["steps"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == "fail")
        .collect();
    assert!(!failing.is_empty());
    assert!(
        failing[0]["message"]
            .as_str()
            .unwrap()
            .contains("not found"),
        "{}",
        failing[0]
    );
    assert_eq!(tasks[2]["passed"], false);
    assert_eq!(tasks[2]["score"], 0);
    // Only now the solutions, of the variant.
    for task in tasks {
        assert!(!task["solution"].as_array().unwrap().is_empty());
    }
    let secure = tasks[1]["solution"][0]["text"].as_str().unwrap();
    assert!(!secure.contains("name: secure-pod"), "{secure}");
    assert_eq!(
        report["score"].as_u64().unwrap(),
        tasks
            .iter()
            .map(|t| t["score"].as_u64().unwrap())
            .sum::<u64>()
    );

    // The attempt is in the history, and `exam history` shows it.
    let lines = std::fs::read_to_string(&history).unwrap();
    let attempt: serde_json::Value = serde_json::from_str(lines.trim()).unwrap();
    assert_eq!(attempt["seed"], seed.as_str());
    assert_eq!(attempt["passed"], false);
    assert_eq!(attempt["percent"], report["percent"]);
    assert_eq!(attempt["tasks"][0]["score"], tasks[0]["score"]);
    let shown = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .args(["exam", "history"])
        .env("LANG", "C")
        .env("KUBELAB_DATA_DIR", data_dir(&owner))
        .output()
        .unwrap();
    let shown = text(&shown);
    assert!(shown.contains("1 exams finished"), "{shown}");
    assert!(
        shown.contains("security-context: failed in 1 of 1"),
        "{shown}"
    );

    // Gone, and the exam with them.
    for ns in &namespaces {
        assert!(
            !namespace_exists(ns),
            "{ns} is still there after `exam end`"
        );
    }
    let after = run(&owner, &["exam", "end"]);
    assert_eq!(after.status.code(), Some(2), "{}", text(&after));
}

/// `exam start --wait` stays until the deadline, then grades and reports as `exam end`
/// does — on time — and deletes the namespaces.
#[test]
fn exam_start_wait_grades_at_the_deadline() {
    let owner = format!("live-exam-wait-{}", std::process::id());
    let started = Instant::now();
    let out = run(
        &owner,
        &[
            "exam",
            "start",
            "--labs",
            "security-context",
            "--duration",
            "20s",
            "--variant",
            "wait",
            "--wait",
            "--lang",
            "en",
        ],
    );
    let took = started.elapsed();
    let all = text(&out);
    // Untouched: graded, failed.
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(took.as_secs() >= 20, "returned after {took:?}: {all}");
    assert!(all.contains("# CKS exam practice"), "{all}");
    assert!(
        all.contains("== Task 1: Apply a security context (weight 100%) — 0/8 points"),
        "{all}"
    );
    assert!(all.contains("0/8 points, 0%"), "{all}");
    assert!(all.contains("Not passed: the pass mark is 67%."), "{all}");
    assert!(all.contains("Reference solution (variant `wait`)"), "{all}");
    assert!(all.contains("Deleted: kubelab-security-context-"), "{all}");
    let none = run(&owner, &["exam", "status"]);
    assert_eq!(none.status.code(), Some(2), "{}", text(&none));
}

/// An `exam end` from another terminal ends a waiting `exam start --wait`.
#[test]
fn exam_end_elsewhere_ends_the_wait() {
    let owner = format!("live-exam-elsewhere-{}", std::process::id());
    let mut waiting = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .current_dir(repo())
        .env("LANG", "C")
        .env("KUBELAB_OWNER", &owner)
        .env_remove("KUBECONFIG")
        .args([
            "exam",
            "start",
            "--labs",
            "security-context",
            "--duration",
            "10m",
            "--wait",
            "--kubeconfig",
        ])
        .arg(rbac_kubeconfig())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Until the exam exists.
    let begun = Instant::now();
    loop {
        let status = run(&owner, &["exam", "status", "--output", "json"]);
        if status.status.success() {
            break;
        }
        assert!(
            begun.elapsed().as_secs() < 120,
            "no exam: {}",
            text(&status)
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let end = run(&owner, &["exam", "end"]);
    assert_eq!(end.status.code(), Some(1), "{}", text(&end));
    let ended = Instant::now();
    let out = loop {
        if waiting.try_wait().unwrap().is_some() {
            break waiting.wait_with_output().unwrap();
        }
        assert!(
            ended.elapsed().as_secs() < 30,
            "the waiting start did not stop"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    };
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("The exam was ended from another terminal"),
        "{}",
        text(&out)
    );
}

/// Issue 26: each task is graded in its own namespace, and the report says when a
/// task's objects were applied in another task's. A pod-security task's sheet names the
/// task's own namespace as the one to label (its `kubectl apply -f namespace.yaml` labels
/// it), and the variant's solution written for that sheet passes.
#[test]
fn a_task_solved_in_another_tasks_namespace_is_reported_as_such() {
    let owner = format!("live-exam-ns-{}", std::process::id());
    let seed = format!("ns-{}", std::process::id());
    let start = run(
        &owner,
        &[
            "exam",
            "start",
            "--labs",
            "pod-security,security-context,network-policy",
            "--duration",
            "20m",
            "--variant",
            &seed,
            "--lang",
            "en",
        ],
    );
    assert_eq!(start.status.code(), Some(0), "{}", text(&start));
    let sheet = String::from_utf8_lossy(&start.stdout).to_string();
    let status = json(&run(&owner, &["exam", "status", "--output", "json"]));
    let namespaces: Vec<String> = status["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["namespace"].as_str().unwrap().to_string())
        .collect();
    assert!(
        sheet.contains(&format!("Write the namespace `{}`", namespaces[0])),
        "{sheet}"
    );
    let answers = tempfile::tempdir().unwrap();
    let solve = |lab: &str| {
        let dir = answers.path().join(lab);
        let out = Command::new(env!("CARGO_BIN_EXE_kubelab"))
            .args(["solve", lab, "--variant", &seed, "--write"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        dir
    };
    // Task 1 right, for the sheet: the variant's namespace name is the task's namespace.
    let pod_security = solve("pod-security");
    let namespace_file = pod_security.join("namespace.yaml");
    let written = std::fs::read_to_string(&namespace_file).unwrap();
    let variant_namespace = written
        .lines()
        .find_map(|l| l.trim().strip_prefix("name: "))
        .unwrap()
        .to_string();
    for file in std::fs::read_dir(&pod_security).unwrap() {
        let file = file.unwrap().path();
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace(&variant_namespace, &namespaces[0]);
        std::fs::write(&file, text).unwrap();
    }
    kubectl(&["apply", "-f", namespace_file.to_str().unwrap()]);
    kubectl(&["apply", "-f", pod_security.to_str().unwrap()]);
    // Task 2 right, but in task 3's namespace.
    let security_context = solve("security-context");
    kubectl(&[
        "apply",
        "-n",
        &namespaces[2],
        "-f",
        security_context.to_str().unwrap(),
    ]);
    let end = run(&owner, &["exam", "end", "--output", "json", "--lang", "en"]);
    let report = json(&end);
    let tasks = report["tasks"].as_array().unwrap();
    assert_eq!(tasks[0]["passed"], true, "{:#}", tasks[0]);
    assert_eq!(tasks[1]["passed"], false, "{:#}", tasks[1]);
    let notes: Vec<&str> = tasks[1]["result"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains(&format!(
            "is in namespace `{}` (task 3's namespace), not in the task's namespace `{}`",
            namespaces[2], namespaces[1]
        )) && n.contains("kubectl config use-context task-2")),
        "{notes:#?}"
    );
    // The untouched task's report names nothing misplaced.
    assert!(
        !tasks[2]["result"]["notes"]
            .to_string()
            .contains("is in namespace"),
        "{:#}",
        tasks[2]
    );
    for ns in &namespaces {
        assert!(!namespace_exists(ns), "{ns} outlived the exam");
    }
}

/// Issue 26: `exam start --merge-kubeconfig` puts the task contexts into the user's own
/// kubeconfig (here a copy of the RBAC-bound one), where plain kubectl uses them, keeps
/// what was there, refuses nothing of it; `exam end` takes them out again and puts
/// `current-context` back.
#[test]
fn merged_contexts_work_with_plain_kubectl_and_leave_with_exam_end() {
    let owner = format!("live-exam-merge-{}", std::process::id());
    let home = tempfile::tempdir().unwrap();
    let mine = home.path().join("config");
    std::fs::copy(rbac_kubeconfig(), &mine).unwrap();
    let before = std::fs::read_to_string(&mine).unwrap();
    let kubelab = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kubelab"))
            .current_dir(repo())
            .env("LANG", "C")
            .env("KUBELAB_OWNER", &owner)
            .env("KUBELAB_DATA_DIR", data_dir(&owner))
            .env_remove("KUBECONFIG")
            .args(args)
            .arg("--kubeconfig")
            .arg(&mine)
            .output()
            .unwrap()
    };
    let kubectl_mine = |args: &[&str]| {
        let out = Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&mine)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "kubectl {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let start = kubelab(&[
        "exam",
        "start",
        "--labs",
        "network-policy,security-context",
        "--merge-kubeconfig",
        "--duration",
        "20m",
        "--lang",
        "en",
    ]);
    assert_eq!(start.status.code(), Some(0), "{}", text(&start));
    let sheet = String::from_utf8_lossy(&start.stdout).to_string();
    assert!(
        sheet.contains(&format!(
            "are merged into your kubeconfig `{}`",
            mine.display()
        )),
        "{sheet}"
    );
    assert!(!sheet.contains("export KUBECONFIG"), "{sheet}");
    let contexts = kubectl_mine(&["config", "get-contexts", "-o", "name"]);
    let names: Vec<&str> = contexts.lines().collect();
    assert_eq!(names.len(), 3, "{contexts}");
    for name in ["kubelab", "task-1", "task-2"] {
        assert!(names.contains(&name), "{contexts}");
    }
    assert_eq!(kubectl_mine(&["config", "current-context"]), "kubelab");
    let status = json(&kubelab(&["exam", "status", "--output", "json"]));
    let task_1 = status["tasks"][0]["namespace"]
        .as_str()
        .unwrap()
        .to_string();
    kubectl_mine(&["config", "use-context", "task-1"]);
    let seen = kubectl_mine(&[
        "get",
        "pods",
        "-o",
        "jsonpath={.items[*].metadata.namespace}",
    ]);
    assert!(
        !seen.is_empty() && seen.split(' ').all(|ns| ns == task_1),
        "task-1's pods are in {task_1}: {seen:?}"
    );
    let end = kubelab(&["exam", "end", "--output", "json"]);
    assert_eq!(end.status.code(), Some(1), "{}", text(&end));
    assert_eq!(
        kubectl_mine(&["config", "get-contexts", "-o", "name"]),
        "kubelab",
        "exam end takes the task contexts out"
    );
    assert_eq!(kubectl_mine(&["config", "current-context"]), "kubelab");
    // What was there before is still there, as kubectl reads it (the file's layout may
    // differ: a long token is written as a folded scalar).
    let view = |file: &std::path::Path| {
        let out = Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(file)
            .args(["config", "view", "--raw", "-o", "json"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let original = home.path().join("before");
    std::fs::write(&original, &before).unwrap();
    assert_eq!(view(&mine), view(&original));
}

/// `--merge-kubeconfig` never overwrites a context of a task's name that kubelab did not
/// write: it warns (en, ko), leaves the file as it was, and the exam writes a kubeconfig
/// of its own instead.
#[test]
fn a_merge_that_would_overwrite_a_context_of_your_own_warns_and_falls_back() {
    for (lang, said) in [
        (
            "en",
            "warning: the task contexts were not merged into your kubeconfig",
        ),
        ("ko", "경고: 과제 컨텍스트를 kubeconfig에 합치지 못했습니다"),
    ] {
        let owner = format!("live-exam-clash-{lang}-{}", std::process::id());
        let home = tempfile::tempdir().unwrap();
        let mine = home.path().join("config");
        std::fs::copy(rbac_kubeconfig(), &mine).unwrap();
        let own = Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&mine)
            .args([
                "config",
                "set-context",
                "task-1",
                "--cluster",
                "test",
                "--user",
                "kubelab",
            ])
            .output()
            .unwrap();
        assert!(own.status.success(), "{}", text(&own));
        let before = std::fs::read_to_string(&mine).unwrap();
        let kubelab = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_kubelab"))
                .current_dir(repo())
                .env("KUBELAB_OWNER", &owner)
                .env("KUBELAB_DATA_DIR", data_dir(&owner))
                .env_remove("KUBECONFIG")
                .args(args)
                .arg("--kubeconfig")
                .arg(&mine)
                .output()
                .unwrap()
        };
        let start = kubelab(&[
            "exam",
            "start",
            "--labs",
            "security-context",
            "--merge-kubeconfig",
            "--lang",
            lang,
        ]);
        assert_eq!(start.status.code(), Some(0), "{}", text(&start));
        let stderr = String::from_utf8_lossy(&start.stderr).to_string();
        assert!(
            stderr.contains(said) && stderr.contains("task-1"),
            "{stderr}"
        );
        assert!(
            String::from_utf8_lossy(&start.stdout).contains("export KUBECONFIG="),
            "{}",
            text(&start)
        );
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), before);
        let end = kubelab(&["exam", "end"]);
        assert_eq!(end.status.code(), Some(1), "{}", text(&end));
    }
}
