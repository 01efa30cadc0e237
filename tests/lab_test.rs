//! `kubelab lab test DIR`, the real binary: every built-in lab folder passes its own test
//! offline (this is CI's run of `kubelab lab test` over every `labs/*`), a case that does
//! not come out as stated is a mismatch (exit 1) saying why, and every unreadable lab or
//! case is exit 2 with its message in English and Korean. A lab folder is
//! self-contained: `--labs` finds its solution beside it.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

mod common;
use common::fs::copy_dir_keeping;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::cargo_bin("kubelab")
        .unwrap()
        .current_dir(repo())
        .env("LANG", "C")
        .env("COLUMNS", "120")
        .env("NO_COLOR", "1")
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

/// A copy of the built-in lab `lab` in `<tmp>/<lab>`, with only the corpus cases named.
fn lab_copy(lab: &str, cases: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(lab);
    let corpus = repo().join("labs").join(lab).join("corpus");
    copy_dir_keeping(&repo().join("labs").join(lab), &dir, &|path| {
        path.parent() != Some(corpus.as_path())
            || cases.iter().any(|c| path.file_name().unwrap() == *c)
    });
    (tmp, dir)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn every_built_in_lab_passes_its_own_test() {
    let mut labs: Vec<PathBuf> = std::fs::read_dir(repo().join("labs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("lab.yaml").is_file())
        .collect();
    labs.sort();
    assert!(labs.len() >= 5, "{labs:?}");
    for dir in labs {
        let id = dir.file_name().unwrap().to_str().unwrap().to_string();
        let rel = format!("labs/{id}");
        let out = run(&["lab", "test", &rel]);
        assert_eq!(out.code, 0, "{rel}: {}{}", out.stdout, out.stderr);
        let cases = std::fs::read_dir(dir.join("corpus")).unwrap().count();
        let lines: Vec<&str> = out.stdout.lines().collect();
        // The solution, the untouched scenario, every case, the summary.
        assert_eq!(lines.len(), cases + 3, "{}", out.stdout);
        assert!(lines[0].starts_with("ok") && lines[0].contains("solution"));
        assert!(lines[1].starts_with("ok") && lines[1].contains("untouched"));
        assert!(
            lines
                .last()
                .unwrap()
                .starts_with(&format!("{id}: {} tested offline in ", cases + 2)),
            "{}",
            out.stdout
        );
        assert!(
            lines.last().unwrap().ends_with(&format!(
                ": {} as stated, 0 mismatches, 0 environment errors",
                cases + 2
            )),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn a_case_that_does_not_come_out_as_stated_is_a_mismatch_saying_why() {
    let (_tmp, dir) = lab_copy(
        "security-context",
        &["01-seed-verbatim", "02-typo-read-only-root-file-system"],
    );
    // The typo case claims another first failure and location.
    let case = dir.join("corpus/02-typo-read-only-root-file-system/case.yaml");
    let text = std::fs::read_to_string(&case).unwrap().replace(
        "fails_at: {step: secure-pod, check: runs-as-uid-1000}",
        "fails_at: {step: secure-pod, check: read-only-root}",
    );
    std::fs::write(&case, text).unwrap();
    let out = run(&["lab", "test", s(&dir)]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[2].starts_with("ok ") && lines[2].contains("01-seed-verbatim"));
    assert!(
        lines[3].starts_with("mismatch  02-typo-read-only-root-file-system  expects fail"),
        "{}",
        out.stdout
    );
    assert!(
        lines[4].trim_start().starts_with(
            "expected the first failure at secure-pod/read-only-root, got secure-pod/runs-as-uid-1000: "
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with(": 3 as stated, 1 mismatch, 0 environment errors\n"),
        "{}",
        out.stdout
    );
    // The same in Korean, and as JSON.
    let ko = run(&["lab", "test", s(&dir), "--lang", "ko"]);
    assert_eq!(ko.code, 1);
    assert!(
        ko.stdout
            .contains("어긋남  02-typo-read-only-root-file-system  실패 기대"),
        "{}",
        ko.stdout
    );
    assert!(
        ko.stdout.contains(
            "첫 실패가 secure-pod/read-only-root이어야 하는데 secure-pod/runs-as-uid-1000입니다: "
        ),
        "{}",
        ko.stdout
    );
    assert!(
        ko.stdout
            .contains("기대대로 3건, 어긋남 1건, 환경 오류 0건입니다."),
        "{}",
        ko.stdout
    );
    let json = run(&["lab", "test", s(&dir), "--output", "json"]);
    assert_eq!(json.code, 1);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["lab"], "security-context");
    assert_eq!(value["mode"], "offline");
    assert_eq!(value["passed"], false);
    assert_eq!(
        value["summary"],
        serde_json::json!({"cases": 4, "ok": 3, "mismatch": 1, "error": 0})
    );
    assert_eq!(
        value["cases"][3]["case"],
        "02-typo-read-only-root-file-system"
    );
    assert_eq!(value["cases"][3]["expect"], "fail");
    assert_eq!(value["cases"][3]["result"], "mismatch");
    assert_eq!(value["cases"][3]["problems"].as_array().unwrap().len(), 1);
}

#[test]
fn a_solution_that_fails_is_a_mismatch() {
    let (_tmp, dir) = lab_copy("security-context", &["01-seed-verbatim"]);
    let pod = dir.join("solution/secure-pod.yaml");
    let text = std::fs::read_to_string(&pod)
        .unwrap()
        .replace("runAsUser: 1000", "runAsUser: 1001");
    std::fs::write(&pod, text).unwrap();
    let out = run(&["lab", "test", s(&dir)]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("mismatch  solution"), "{}", out.stdout);
    assert!(
        lines[1]
            .trim_start()
            .starts_with("secure-pod/runs-as-uid-1000 is fail with the solution: "),
        "{}",
        out.stdout
    );
}

#[test]
fn a_lab_folder_keeps_its_solution_for_solve_with_labs() {
    let (tmp, _dir) = lab_copy("security-context", &[]);
    let out = run(&["--labs", s(tmp.path()), "solve", "security-context"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("runAsUser: 1000"), "{}", out.stdout);
}

/// Exit 2 and the message (English, then Korean) of each lab or case that cannot be
/// read.
#[test]
fn unreadable_labs_and_cases_are_usage_errors_with_their_messages() {
    let check = |dir: &Path, en: &str, ko: &str| {
        let out = run(&["lab", "test", s(dir)]);
        assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert!(
            out.stderr.contains(en),
            "expected {en:?} in:\n{}",
            out.stderr
        );
        let out = run(&["lab", "test", s(dir), "--lang", "ko"]);
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains(ko),
            "expected {ko:?} in:\n{}",
            out.stderr
        );
    };
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nothing-here");
    check(
        &missing,
        "nothing-here: cannot read the lab folder: No such file or directory",
        "nothing-here: 실습 폴더를 읽을 수 없습니다: No such file or directory",
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    check(
        &empty,
        "empty: not a lab folder: it holds no lab.yaml",
        "empty: lab.yaml이 없으므로 실습 폴더가 아닙니다.",
    );

    // No solution/.
    let (_a, dir) = lab_copy("security-context", &[]);
    std::fs::remove_dir_all(dir.join("solution")).unwrap();
    check(
        &dir,
        "solution does not exist: a lab's reference solution goes there, one file per object the steps ask for",
        "solution 폴더가 없습니다. 실습의 모범 답안은 이 폴더에 단계가 요구하는 객체마다 파일 하나로 둡니다.",
    );

    // A case.yaml with a field it does not know.
    let (_b, dir) = lab_copy("security-context", &["01-seed-verbatim"]);
    let case = dir.join("corpus/01-seed-verbatim/case.yaml");
    let text = std::fs::read_to_string(&case).unwrap();
    std::fs::write(&case, format!("{text}expected: pass\n")).unwrap();
    check(
        &dir,
        "01-seed-verbatim/case.yaml: not a valid case: ",
        "01-seed-verbatim/case.yaml: 올바른 사례가 아닙니다: ",
    );
    // A failing case that does not say where it fails.
    std::fs::write(&case, "about: x\nexpect: fail\n").unwrap();
    check(
        &dir,
        "01-seed-verbatim/case.yaml: a failing case names its first failure with `fails_at: {step: …, check: …}`",
        "01-seed-verbatim/case.yaml: 실패하는 사례는 첫 실패를 `fails_at: {step: …, check: …}`로 적어야 합니다.",
    );
    // A case without its submission.
    std::fs::write(&case, "about: x\nexpect: pass\n").unwrap();
    std::fs::remove_dir_all(dir.join("corpus/01-seed-verbatim/submission")).unwrap();
    check(
        &dir,
        "01-seed-verbatim: the case has no `submission/` folder",
        "01-seed-verbatim: 사례에 `submission/` 폴더가 없습니다.",
    );

    // A lab that does not load: a fixture in a namespace the lab does not declare.
    let (_c, dir) = lab_copy("network-policy", &[]);
    let fixture = dir.join("fixtures/db-pod.yaml");
    let text = std::fs::read_to_string(&fixture).unwrap().replacen(
        "  name: {{db_pod}}\n",
        "  name: {{db_pod}}\n  namespace: prod\n",
        1,
    );
    std::fs::write(&fixture, text).unwrap();
    check(
        &dir,
        "network-policy/lab.yaml:",
        "fixture 파일 `fixtures/db-pod.yaml`: `db-pod` 파드가 실습이 선언하지 않은 `prod` 네임스페이스에 있습니다",
    );
    let out = run(&["lab", "test", s(&dir)]);
    assert!(
        out.stderr.contains(
            "fixture `fixtures/db-pod.yaml`: Pod `db-pod` is in namespace `prod`, which the lab does not declare (the lab's namespace is `default`)"
        ),
        "{}",
        out.stderr
    );
    // The same lab through --labs: the error names it too (exit 2).
    let out = run(&["--labs", s(dir.parent().unwrap()), "list"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is in namespace `prod`"),
        "{}",
        out.stderr
    );
}

#[test]
fn lab_test_without_a_folder_is_a_usage_error() {
    let out = run(&["lab", "test"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("<DIR>"), "{}", out.stderr);
    let out = run(&["lab"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("test"), "{}", out.stderr);
}
