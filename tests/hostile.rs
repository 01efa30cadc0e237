//! The hostile corpus (issue 9): submissions that try to escape a lab sandbox — every
//! field the Pod Security Standard `baseline` forbids, in every pod-bearing kind; huge
//! replica counts; more objects than a sandbox takes; other namespaces; cluster-scoped
//! and permission-granting kinds; a container above the sandbox's LimitRange.
//!
//! Each case of `tests/hostile/<lab>/<case>/` (a `submission/` folder and a `case.yaml`)
//! is graded offline through the library, and this test proves that:
//! - the submission does not pass, unless the case is `held`: a pod that every Pod
//!   Security level admits and that tries to starve the node (a fork bomb, a disk or
//!   memory fill, issue 22) is graded as the reference solution is (it passes, nothing
//!   refused), and `tests/live_hostile.rs` proves that the cluster holds it;
//! - kubelab refuses exactly the objects `case.yaml` lists, in order, each located at the
//!   stated file, line and column, with the stated words in its message (or, with
//!   `refused_count`, that many refusals among which the listed ones, in order);
//! - exactly the checks `case.yaml` lists fail (at the stated place, when it says one);
//! - no check passes that needs a refused object: every check of a step that submits a
//!   refused object fails, at the refusal's location, saying kubelab refused it;
//! - the CLI binary grades a few of them (`--offline --output json`) with exit code 1
//!   (a graded fail, never 2) and valid JSON whose `refused` equals the library's.
//!
//! `tests/live_hostile.rs` grades the same cases on the test cluster.

use kubelab::check::Verdict;
use kubelab::grade::{Grader, LabResult, RefusedResult as Refused};
use kubelab::lab::{Catalog, Lab, Lang};
use kubelab::manifest::{self, Location};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A string or a list of strings in `case.yaml`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Texts {
    One(String),
    Many(Vec<String>),
}

impl Texts {
    fn all(&self) -> Vec<&str> {
        match self {
            Texts::One(s) => vec![s.as_str()],
            Texts::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the submission tries, in a sentence.
    about: String,
    /// The refusals, in submission order (all of them, unless `refused_count` is given).
    refused: Vec<ExpectedRefusal>,
    /// When given: the number of refusals, of which `refused` lists some, in order.
    #[serde(default)]
    refused_count: Option<usize>,
    /// Exactly the checks that fail (the others pass, or skip offline).
    failing: Vec<ExpectedFailure>,
    /// An admitted pod that tries to starve the node, and how the cluster holds it.
    #[serde(default)]
    held: Option<Held>,
}

/// A pod every Pod Security level admits that uses up a node's resource; the live test
/// watches that resource while the case is graded.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by tests/live_hostile.rs; here only checked to be well formed
struct Held {
    /// The pod's name.
    pod: String,
    /// What it uses up: `processes` (bounded by the kubelet's `podPidsLimit`), `disk`
    /// (the sandbox's `ephemeral-storage` limit, enforced by eviction) or `memory`
    /// (a memory-backed emptyDir, charged to the container's memory limit).
    resource: String,
    /// The words of the kubelet's eviction message, when it evicts the pod.
    #[serde(default)]
    evicted: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedRefusal {
    kind: String,
    name: String,
    file: String,
    line: usize,
    column: usize,
    /// Words of the refusal's message.
    contains: Texts,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ExpectedFailure {
    /// A check id: it fails (a refused object's checks are located by the general rule).
    Id(String),
    /// A check that fails at this place with these words.
    At {
        check: String,
        file: String,
        line: usize,
        column: usize,
        contains: Texts,
    },
}

impl ExpectedFailure {
    fn id(&self) -> &str {
        match self {
            ExpectedFailure::Id(id) | ExpectedFailure::At { check: id, .. } => id,
        }
    }
}

fn hostile() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// `file` is the location's file, compared by path components (`rc.yaml` does not
/// match `legacy-rc.yaml`).
fn at(location: &Location, file: &str, line: usize, column: usize) -> bool {
    Path::new(&location.file).ends_with(file) && location.line == line && location.column == column
}

fn show(location: &Option<Location>) -> String {
    match location {
        Some(l) => format!("{}:{}:{}", l.file, l.line, l.column),
        None => "nowhere".into(),
    }
}

fn refusal_problems(expected: &ExpectedRefusal, actual: &Refused) -> Vec<String> {
    let mut problems = Vec::new();
    if actual.kind != expected.kind || actual.name != expected.name {
        problems.push(format!(
            "expected the refusal of {} {}, got {} {}",
            expected.kind, expected.name, actual.kind, actual.name
        ));
    }
    if !at(
        &actual.location,
        &expected.file,
        expected.line,
        expected.column,
    ) {
        problems.push(format!(
            "{} {}: expected the refusal at {}:{}:{}, got {}",
            expected.kind,
            expected.name,
            expected.file,
            expected.line,
            expected.column,
            show(&Some(actual.location.clone()))
        ));
    }
    for text in expected.contains.all() {
        if !actual.message.contains(text) {
            problems.push(format!(
                "{} {}: the refusal does not say {text:?}: {}",
                expected.kind, expected.name, actual.message
            ));
        }
    }
    if actual.help.is_empty() {
        problems.push(format!(
            "{} {}: the refusal has no help",
            actual.kind, actual.name
        ));
    }
    problems
}

/// Everything wrong with one case's result, empty when it is as stated.
fn disagreements(lab: &Lab, case: &Case, result: &LabResult) -> Vec<String> {
    let mut problems = Vec::new();
    match (&case.held, result.passed) {
        (None, true) => problems.push("passed".into()),
        (Some(_), false) => problems.push(
            "did not pass: a held case is graded as the reference solution (the live test holds its pod)"
                .into(),
        ),
        _ => {}
    }
    // The refusals.
    match case.refused_count {
        None => {
            if result.refused.len() != case.refused.len() {
                let got: Vec<String> = result
                    .refused
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} at {}",
                            r.kind,
                            r.name,
                            show(&Some(r.location.clone()))
                        )
                    })
                    .collect();
                problems.push(format!(
                    "expected {} refusals, got {}: {got:?}",
                    case.refused.len(),
                    result.refused.len()
                ));
            } else {
                for (expected, actual) in case.refused.iter().zip(&result.refused) {
                    problems.extend(refusal_problems(expected, actual));
                }
            }
        }
        Some(count) => {
            if result.refused.len() != count {
                problems.push(format!(
                    "expected {count} refusals, got {}",
                    result.refused.len()
                ));
            }
            // The listed ones, in order, among them.
            let mut rest = result.refused.iter();
            for expected in &case.refused {
                match rest.find(|r| r.kind == expected.kind && r.name == expected.name) {
                    Some(actual) => problems.extend(refusal_problems(expected, actual)),
                    None => problems.push(format!(
                        "no refusal of {} {} (in this order)",
                        expected.kind, expected.name
                    )),
                }
            }
        }
    }
    // The failing checks: exactly the stated ones.
    let failing: Vec<&kubelab::grade::CheckResult> = result
        .checks()
        .filter(|(_, c)| matches!(c.verdict, Verdict::Fail | Verdict::Error))
        .map(|(_, c)| c)
        .collect();
    let mut actual_ids: Vec<&str> = failing.iter().map(|c| c.id.as_str()).collect();
    let mut expected_ids: Vec<&str> = case.failing.iter().map(ExpectedFailure::id).collect();
    actual_ids.sort();
    expected_ids.sort();
    if actual_ids != expected_ids {
        problems.push(format!(
            "expected exactly {expected_ids:?} to fail, got {actual_ids:?}"
        ));
    }
    for expected in &case.failing {
        let ExpectedFailure::At {
            check,
            file,
            line,
            column,
            contains,
        } = expected
        else {
            continue;
        };
        let Some(actual) = failing.iter().find(|c| &c.id == check) else {
            continue;
        };
        if !actual
            .location
            .as_ref()
            .is_some_and(|l| at(l, file, *line, *column))
        {
            problems.push(format!(
                "{check}: expected the failure at {file}:{line}:{column}, got {}",
                show(&actual.location)
            ));
        }
        for text in contains.all() {
            if !actual.message.contains(text) {
                problems.push(format!(
                    "{check}: does not say {text:?}: {}",
                    actual.message
                ));
            }
        }
    }
    // No check passes that needs a refused object: a step that submits one fails whole,
    // at the refusal, saying so.
    for (step, step_result) in lab.steps.iter().zip(&result.steps) {
        let refusal = step.submit.iter().find_map(|s| {
            result
                .refused
                .iter()
                .find(|r| r.kind == s.kind && r.name == s.name)
        });
        let Some(refusal) = refusal else { continue };
        for check in &step_result.checks {
            if check.verdict != Verdict::Fail {
                problems.push(format!(
                    "{}/{} needs the refused {} {} but is {}: {}",
                    step.id,
                    check.id,
                    refusal.kind,
                    refusal.name,
                    check.verdict.as_str(),
                    check.message
                ));
                continue;
            }
            if check.location.as_ref() != Some(&refusal.location) {
                problems.push(format!(
                    "{}/{}: fails at {}, not at the refusal ({})",
                    step.id,
                    check.id,
                    show(&check.location),
                    show(&Some(refusal.location.clone()))
                ));
            }
            if !(check.message.contains("kubelab refuses it")
                && check.message.contains(&refusal.message))
            {
                problems.push(format!(
                    "{}/{}: does not give the refusal as the reason: {}",
                    step.id, check.id, check.message
                ));
            }
        }
    }
    problems
}

fn read_case(dir: &Path, name: &str) -> Case {
    let text = std::fs::read_to_string(dir.join("case.yaml"))
        .unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
    let case: Case =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
    assert!(
        !case.refused.is_empty() || !case.failing.is_empty() || case.held.is_some(),
        "{name}/case.yaml: a hostile case is refused, fails, or is held"
    );
    if let Some(held) = &case.held {
        assert!(
            ["processes", "disk", "memory"].contains(&held.resource.as_str()),
            "{name}/case.yaml: held.resource is processes, disk or memory, not {}",
            held.resource
        );
        assert!(
            case.refused.is_empty(),
            "{name}/case.yaml: a held case has nothing refused"
        );
    }
    case
}

#[test]
fn every_hostile_case_is_refused_or_fails_at_the_right_line() {
    let catalog = Catalog::embedded().unwrap();
    let mut report = Vec::new();
    let mut graded = 0;
    let mut refused_cases = 0;
    let mut held = std::collections::BTreeSet::new();
    for lab_dir in sorted_dirs(&hostile()) {
        let lab_id = lab_dir.file_name().unwrap().to_str().unwrap().to_string();
        let lab = catalog
            .get(&lab_id)
            .unwrap_or_else(|| panic!("tests/hostile/{lab_id}: no such lab"));
        let grader = Grader::new(lab);
        let cases = sorted_dirs(&lab_dir);
        assert!(
            cases.len() >= 10,
            "tests/hostile/{lab_id} has {} cases; at least 10 are needed",
            cases.len()
        );
        for case_dir in cases {
            let name = format!(
                "{lab_id}/{}",
                case_dir.file_name().unwrap().to_str().unwrap()
            );
            let case = read_case(&case_dir, &name);
            let submission = match manifest::load_paths(&[case_dir.join("submission")]) {
                Ok(s) => s,
                Err(e) => {
                    report.push(format!(
                        "{name} ({}): not graded, the submission is an input error: {e}",
                        case.about
                    ));
                    continue;
                }
            };
            let result = grader.grade(&submission, Lang::En);
            graded += 1;
            if let Some(h) = &case.held {
                held.insert((h.resource.clone(), h.evicted.is_some()));
            }
            refused_cases += usize::from(!result.refused.is_empty());
            for problem in disagreements(lab, &case, &result) {
                report.push(format!("{name} ({}): {problem}", case.about));
            }
        }
    }
    println!("{graded} hostile cases graded offline, {refused_cases} with refusals");
    assert!(
        report.is_empty(),
        "{} disagreements:\n{}",
        report.len(),
        report.join("\n")
    );
    assert!(graded >= 45, "only {graded} hostile cases graded");
    // Issue 22: a fork bomb, a memory fill, and disk fills the kubelet evicts.
    for needed in [("processes", false), ("memory", false), ("disk", true)] {
        assert!(
            held.contains(&(needed.0.to_string(), needed.1)),
            "no held case of {needed:?}: {held:?}"
        );
    }
    assert!(
        refused_cases >= 40,
        "only {refused_cases} cases with refusals"
    );
}

/// The corpus covers what issue 9 asks for: every pod-bearing kind at least twice among
/// the refused objects, and each `baseline` check at least once.
#[test]
fn the_hostile_corpus_covers_every_kind_and_every_baseline_check() {
    let catalog = Catalog::embedded().unwrap();
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    let mut messages = String::new();
    for lab_dir in sorted_dirs(&hostile()) {
        let lab_id = lab_dir.file_name().unwrap().to_str().unwrap().to_string();
        let lab = catalog.get(&lab_id).unwrap();
        let grader = Grader::new(lab);
        for case_dir in sorted_dirs(&lab_dir) {
            let Ok(submission) = manifest::load_paths(&[case_dir.join("submission")]) else {
                continue; // reported by the test above
            };
            for refused in grader.grade(&submission, Lang::En).refused {
                *kinds.entry(refused.kind.clone()).or_default() += 1;
                messages.push_str(&refused.message);
                messages.push('\n');
            }
        }
    }
    for kind in [
        "Pod",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicaSet",
        "ReplicationController",
        "Namespace",
        "ClusterRoleBinding",
        "PersistentVolume",
        "ValidatingWebhookConfiguration",
        "ResourceQuota",
        "LimitRange",
    ] {
        let needed = if kind.ends_with("Set")
            || [
                "Pod",
                "Deployment",
                "Job",
                "CronJob",
                "ReplicationController",
            ]
            .contains(&kind)
        {
            2
        } else {
            1
        };
        let n = kinds.get(kind).copied().unwrap_or(0);
        assert!(
            n >= needed,
            "{kind} is refused in {n} cases, at least {needed} needed (refused kinds: {kinds:?})"
        );
    }
    for words in [
        "hostNetwork=true",
        "hostPID=true",
        "hostIPC=true",
        "privileged (container",
        "non-default capabilities",
        "\"SYS_ADMIN\"",
        "\"NET_ADMIN\"",
        "\"CAP_SYS_ADMIN\"",
        "\"ALL\"",
        "hostPath volumes",
        "hostPort (container",
        "forbidden AppArmor profile (pod",
        "forbidden AppArmor profile (container",
        "and annotation must not set AppArmor profile type",
        "type \"spc_t\"",
        "user may not be set",
        "role may not be set",
        "procMount",
        "seccompProfile (pod",
        "seccompProfile (container",
        "forbidden sysctls (kernel.msgmax)",
        "hostProcess (pod",
        "hostProcess (container",
        "probe or lifecycle host",
        "asks for 10000 (spec.replicas)",
        "asks for 500 (spec.parallelism)",
        "asks for 100 (spec.jobTemplate.spec.completions)",
        "of the submission) are refused; a lab sandbox takes at most 40",
        "outside the lab namespace",
    ] {
        assert!(
            messages.contains(words),
            "no refusal in the hostile corpus says {words:?}"
        );
    }
}

// ---- the CLI binary ----

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::Command::cargo_bin("kubelab")
        .unwrap()
        .current_dir(dir)
        .env("COLUMNS", "120")
        .env("LANG", "C")
        .env_remove("KUBELAB_LABS")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A few cases through the binary: exit 1 (graded fail), valid JSON, and the same
/// refusals (kind, name, location, message) as the library gives.
#[test]
fn the_cli_grades_hostile_cases_with_exit_1_and_json_refusals() {
    let catalog = Catalog::embedded().unwrap();
    for name in [
        "security-context/01-second-pod-adds-sys-admin-ptrace-module",
        "security-context/19-sixty-configmaps-after-the-pod",
        "network-policy/09-cluster-role-binding-cluster-admin",
        "network-policy/14-deny-policy-in-kube-system",
        "private-registry/01-pull-secret-in-other-namespace",
        "private-registry/12-private-pod-cpu-limit-8",
    ] {
        let (lab_id, _) = name.split_once('/').unwrap();
        let dir = hostile().join(name);
        let submission = dir.join("submission");
        let out = run(
            &submission,
            &["grade", lab_id, ".", "--offline", "--output", "json"],
        );
        assert_eq!(
            out.code, 1,
            "{name}: exit {}\nstdout: {}\nstderr: {}",
            out.code, out.stdout, out.stderr
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}", out.stdout));
        assert_eq!(json["passed"], false, "{name}");
        let lab = catalog.get(lab_id).unwrap();
        let library = Grader::new(lab).grade(
            &manifest::load_paths(std::slice::from_ref(&submission)).unwrap(),
            Lang::En,
        );
        let refused = json["refused"].as_array().expect("`refused` is a list");
        assert_eq!(refused.len(), library.refused.len(), "{name}: {refused:?}");
        for (cli, lib) in refused.iter().zip(&library.refused) {
            assert_eq!(cli["kind"], lib.kind.as_str(), "{name}");
            assert_eq!(cli["name"], lib.name.as_str(), "{name}");
            assert_eq!(cli["message"], lib.message.as_str(), "{name}");
            assert_eq!(cli["help"], lib.help.as_str(), "{name}");
            let file = cli["location"]["file"].as_str().unwrap();
            assert!(
                Path::new(&lib.location.file).ends_with(file.trim_start_matches("./")),
                "{name}: the CLI says {file}, the library {}",
                lib.location.file
            );
            assert_eq!(cli["location"]["line"], lib.location.line, "{name}");
            assert_eq!(cli["location"]["column"], lib.location.column, "{name}");
        }
        // The checks' verdicts too.
        let verdicts: Vec<&str> = json["steps"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["checks"].as_array().unwrap())
            .map(|c| c["verdict"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = library.checks().map(|(_, c)| c.verdict.as_str()).collect();
        assert_eq!(verdicts, expected, "{name}");
    }
}
