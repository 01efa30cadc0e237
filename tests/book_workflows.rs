//! The GitHub Classroom workflow of the instructor's guide (both editions), run as
//! GitHub Classroom would: each `autograding-command-grader` test's command in a shell,
//! in a checkout of a learner's repository, with `kubelab` on PATH; the test earns its
//! `max-score` when the command exits 0. The reference solution earns every point of
//! the lab; a wrong answer loses exactly the step it gets wrong. The reporter lists
//! every test, with its `<ID>_RESULTS` variable.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::fs::copy_dir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `yaml` block of `book` that starts with `name: Autograding Tests`, parsed.
fn workflow(book: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(book)).unwrap();
    let start = text
        .find("```yaml\nname: Autograding Tests")
        .unwrap_or_else(|| panic!("{book}: no GitHub Classroom workflow"));
    let body = &text[start + "```yaml\n".len()..];
    let body = &body[..body.find("```").unwrap()];
    serde_saphyr::from_str(body).unwrap_or_else(|e| panic!("{book}: the workflow: {e}"))
}

/// (test id, command, max-score) of every command-grader step.
fn tests_of(workflow: &Value) -> Vec<(String, String, u64)> {
    workflow["jobs"]["run-autograding-tests"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("classroom-resources/autograding-command-grader@"))
        })
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["with"]["command"].as_str().unwrap().to_string(),
                s["with"]["max-score"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The points the learner's repository `checkout` earns from each test, run as the
/// command grader runs it (`sh -c`, the repository as the working directory).
fn earned(tests: &[(String, String, u64)], checkout: &Path) -> Vec<(String, u64)> {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_kubelab"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    tests
        .iter()
        .map(|(id, command, max)| {
            let out = Command::new("sh")
                .args(["-c", command])
                .current_dir(checkout)
                .env("PATH", &path)
                .env("KUBECONFIG", "/nonexistent")
                .output()
                .unwrap();
            let code = out.status.code().unwrap();
            assert!(
                code == 0 || code == 1,
                "{id}: `{command}` exited {code}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            (id.clone(), if code == 0 { *max } else { 0 })
        })
        .collect()
}

#[test]
fn the_github_classroom_workflow_gives_each_step_its_points() {
    for book in ["book/en/src/instructor.md", "book/ko/src/instructor.md"] {
        let workflow = workflow(book);
        let tests = tests_of(&workflow);
        assert!(tests.len() >= 2, "{book}: {tests:?}");
        // The reporter reads every test's result.
        let reporter = workflow["jobs"]["run-autograding-tests"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["uses"].as_str().is_some_and(|u| {
                    u.starts_with("classroom-resources/autograding-grading-reporter@")
                })
            })
            .unwrap_or_else(|| panic!("{book}: no reporter"));
        let ids: Vec<&str> = tests.iter().map(|(id, ..)| id.as_str()).collect();
        assert_eq!(reporter["with"]["runners"], ids.join(","), "{book}");
        for id in &ids {
            assert_eq!(
                reporter["env"][format!("{}_RESULTS", id.to_uppercase())],
                format!("${{{{steps.{id}.outputs.result}}}}"),
                "{book}"
            );
        }

        let dir = tempfile::tempdir().unwrap();
        let right = dir.path().join("right");
        copy_dir(&repo().join("labs/network-policy/solution"), &right);
        let points = earned(&tests, &right);
        let total: u64 = points.iter().map(|(_, p)| p).sum();
        assert_eq!(
            total, 8,
            "{book}: the solution earns the lab's 8 points: {points:?}"
        );

        // `namespaceSelector: {}` alone lets every pod in: allow-api loses its points,
        // deny-all keeps them.
        let wrong = dir.path().join("wrong");
        copy_dir(
            &repo().join("labs/network-policy/corpus/10-namespace-selector-empty-alone/submission"),
            &wrong,
        );
        let points = earned(&tests, &wrong);
        assert_eq!(
            points,
            [("deny-all".to_string(), 3), ("allow-api".to_string(), 0)],
            "{book}"
        );
    }
}
