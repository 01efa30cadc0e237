//! The real CLI binary: exit codes, the three outputs (snapshots), and a clear error for
//! every kind of bad input.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn kubelab(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kubelab").unwrap();
    cmd.current_dir(dir)
        .env("COLUMNS", "120")
        .env("LANG", "C")
        .env_remove("KUBELAB_LABS");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = kubelab(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A folder holding a copy of a lab's reference solution, with `edit` applied.
fn solution_copy(lab: &str, edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo().join("labs").join(lab).join("solution")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(dir.path().join(&name), edit(&name, text)).unwrap();
    }
    dir
}

#[test]
fn list_shows_every_lab() {
    let out = run(&repo(), &["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("list", out.stdout);
}

#[test]
fn show_prints_the_seed_commands_in_korean() {
    let out = run(&repo(), &["show", "network-policy", "--lang", "ko"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("kubectl run db-pod --image=redis --labels=role=db --expose --port=6379")
    );
    assert!(
        out.stdout
            .contains("kubectl exec external-pod -- nc -zv db-pod 6379")
    );
    insta::assert_snapshot!("show-network-policy-ko", out.stdout);
}

#[test]
fn show_fills_in_the_lab_parameters() {
    let out = run(&repo(), &["show", "private-registry", "--lang", "en"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("--docker-server=127.0.0.1:30050 --docker-username=kubelab")
    );
    assert!(!out.stdout.contains("{{"), "{}", out.stdout);
}

#[test]
fn the_reference_solutions_pass_offline() {
    for lab in [
        "network-policy",
        "security-context",
        "private-registry",
        "pod-security",
        "allowed-registries",
        "minimal-image",
        "egress",
    ] {
        let out = run(
            &repo(),
            &[
                "grade",
                lab,
                &format!("labs/{lab}/solution"),
                "--offline",
                "--output",
                "json",
            ],
        );
        assert_eq!(out.code, 0, "{lab}: {}{}", out.stdout, out.stderr);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(json["passed"], true);
        assert_eq!(json["mode"], "offline");
        assert_eq!(json["score"], json["max_score"]);
    }
}

#[test]
fn json_output_of_a_passing_grade() {
    let out = run(
        &repo(),
        &[
            "grade",
            "network-policy",
            "labs/network-policy/solution",
            "--offline",
            "--output",
            "json",
        ],
    );
    insta::assert_snapshot!("grade-network-policy-json", out.stdout);
}

#[test]
fn the_seed_typo_is_reported_at_its_line_and_column() {
    let dir = solution_copy("security-context", |_, t| {
        t.replace("readOnlyRootFilesystem", "readOnlyRootFileSystem")
    });
    let out = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            "secure-pod.yaml",
            "--offline",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let check = &json["steps"][0]["checks"][0];
    assert_eq!(check["verdict"], "fail");
    assert_eq!(
        check["location"],
        serde_json::json!({"file": "secure-pod.yaml", "line": 17, "column": 7})
    );
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("readOnlyRootFilesystem"),
        "{check}"
    );

    let table = run(
        dir.path(),
        &["grade", "security-context", "secure-pod.yaml", "--offline"],
    );
    assert_eq!(table.code, 1);
    assert!(
        table.stdout.contains("--> secure-pod.yaml:17:7"),
        "{}",
        table.stdout
    );
    insta::assert_snapshot!("grade-typo-table", table.stdout);
    // The same report in Korean (the Korean book shows it).
    let ko = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            "secure-pod.yaml",
            "--offline",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(ko.code, 1);
    insta::assert_snapshot!("grade-typo-table-ko", ko.stdout);
}

#[test]
fn junit_output_of_a_failing_grade() {
    let dir = solution_copy("network-policy", |_, t| {
        t.replace("app: api #", "app: apii #")
    });
    let out = run(
        dir.path(),
        &[
            "grade",
            "network-policy",
            ".",
            "--offline",
            "--output",
            "junit",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("grade-network-policy-junit", out.stdout);
}

#[test]
fn a_failing_network_policy_points_at_the_rule() {
    let dir = solution_copy("network-policy", |_, t| {
        t.replace("app: api #", "app: apii #")
    });
    let out = run(dir.path(), &["grade", "network-policy", ".", "--offline"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("grade-network-policy-table", out.stdout);
    let ko = run(
        dir.path(),
        &["grade", "network-policy", ".", "--offline", "--lang", "ko"],
    );
    assert_eq!(ko.code, 1, "{}", ko.stderr);
    insta::assert_snapshot!("grade-network-policy-table-ko", ko.stdout);
}

#[test]
fn grade_without_offline_says_it_graded_offline() {
    let out = run(
        &repo(),
        &["grade", "network-policy", "labs/network-policy/solution"],
    );
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("graded offline"), "{}", out.stdout);
}

/// Checks offline cannot decide are left out of the score, and the report says so in
/// both languages, with their number and points: `PASSED 0/0` is never the whole story.
#[test]
fn an_offline_grade_names_the_checks_it_could_not_decide() {
    // `cel.bind`, which the model does not evaluate: every admission check is `skip`
    // offline.
    let dir = solution_copy("allowed-registries", |_, text| {
        text.replace(
            "object.spec.containers.all(c, c.image.split('/')[0] == '127.0.0.1:30050') &&",
            "cel.bind(r, '127.0.0.1:30050', object.spec.containers.all(c, c.image.split('/')[0] == r)) &&",
        )
    });
    let folder = dir.path().to_str().unwrap();
    let en = run(
        &repo(),
        &[
            "grade",
            "allowed-registries",
            folder,
            "--offline",
            "--lang",
            "en",
        ],
    );
    assert_eq!(en.code, 0, "{}{}", en.stdout, en.stderr);
    assert!(
        en.stdout.contains(
            "note: 5 checks worth 7 points could not be decided offline (each says why) and \
             are left out of the score: only a cluster decides them (`kubelab grade --live`)"
        ),
        "{}",
        en.stdout
    );
    let ko = run(
        &repo(),
        &[
            "grade",
            "allowed-registries",
            folder,
            "--offline",
            "--lang",
            "ko",
        ],
    );
    assert!(
        ko.stdout
            .contains("검사 5개(7점)는 오프라인에서 판정할 수 없어 점수에서 뺐습니다"),
        "{}",
        ko.stdout
    );
    // A grade that decided everything has no such note.
    let solution = run(
        &repo(),
        &[
            "grade",
            "allowed-registries",
            "labs/allowed-registries/solution",
            "--offline",
        ],
    );
    assert!(!solution.stdout.contains("could not be decided offline"));
}

#[test]
fn solve_prints_the_reference_solution_in_step_order() {
    let out = run(&repo(), &["solve", "network-policy", "--lang", "en"]);
    assert_eq!(out.code, 0);
    // The deny policy (step 2) before the allow policy (step 3), though `api-…` sorts
    // first; each file headed by its step in the chosen language.
    let deny = out.stdout.find("name: db-deny-ingress").unwrap();
    let allow = out.stdout.find("name: api-allow-to-db").unwrap();
    assert!(deny < allow, "{}", out.stdout);
    let headings: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("# file:") || l.starts_with("# step"))
        .collect();
    assert_eq!(headings.len(), 4, "{}", out.stdout);
    assert_eq!(headings[0], "# file: db-deny-policy.yaml");
    assert!(headings[1].starts_with("# step 2: "), "{headings:?}");
    assert_eq!(headings[2], "# file: api-allow-policy.yaml");
    assert!(headings[3].starts_with("# step 3: "), "{headings:?}");
    // The file's name is said once, not again by the seed's own `# name` comment.
    assert!(
        !out.stdout.lines().any(|l| l == "# db-deny-policy.yaml"),
        "{}",
        out.stdout
    );
    let ko = run(&repo(), &["solve", "network-policy", "--lang", "ko"]);
    assert!(ko.stdout.contains("# 2단계: "), "{}", ko.stdout);
    // The printed solution passes as it is.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("all.yaml"), &out.stdout).unwrap();
    let graded = run(
        dir.path(),
        &["grade", "network-policy", "all.yaml", "--offline"],
    );
    assert_eq!(graded.code, 0, "{}", graded.stdout);
}

#[test]
fn solve_write_puts_the_files_in_a_folder_that_grades_as_passed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("answer");
    let out = run(
        &repo(),
        &[
            "solve",
            "private-registry",
            "--write",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut written: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["private-pod.yaml", "private-reg-cred.yaml"]);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    let graded = run(
        &repo(),
        &[
            "grade",
            "private-registry",
            target.to_str().unwrap(),
            "--offline",
        ],
    );
    assert_eq!(graded.code, 0, "{}", graded.stdout);
    // A folder that cannot be made: an environment error naming it.
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, "").unwrap();
    let out = run(
        &repo(),
        &[
            "solve",
            "network-policy",
            "--write",
            blocked.join("sub").to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot write the solution"),
        "{}",
        out.stderr
    );
}

/// `solve --write` never replaces a learner's file without `--force`: it names every
/// file that exists, writes nothing (exit 2), and `--force` replaces them.
#[test]
fn solve_write_refuses_to_overwrite_the_learners_files_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let mine = "# my own answer\n";
    std::fs::write(dir.path().join("private-pod.yaml"), mine).unwrap();
    let target = dir.path().to_str().unwrap();
    for (lang, says, help) in [
        (
            "en",
            "already holds private-pod.yaml: the solution was not written",
            "pass --force to replace them",
        ),
        (
            "ko",
            "폴더에 private-pod.yaml 파일이 이미 있으므로 답안을 쓰지 않았습니다.",
            "--force 옵션을 붙이고",
        ),
    ] {
        let out = run(
            &repo(),
            &[
                "solve",
                "private-registry",
                "--write",
                target,
                "--lang",
                lang,
            ],
        );
        assert_eq!(out.code, 2, "{lang}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains(says), "{lang}: {}", out.stderr);
        assert!(out.stderr.contains(help), "{lang}: {}", out.stderr);
        // Nothing written: not the existing file, not the other one.
        assert_eq!(
            std::fs::read_to_string(dir.path().join("private-pod.yaml")).unwrap(),
            mine
        );
        assert!(!dir.path().join("private-reg-cred.yaml").exists());
    }
    let out = run(
        &repo(),
        &["solve", "private-registry", "--write", target, "--force"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_ne!(
        std::fs::read_to_string(dir.path().join("private-pod.yaml")).unwrap(),
        mine
    );
    assert!(dir.path().join("private-reg-cred.yaml").exists());
    // --force without --write is a usage error.
    let out = run(&repo(), &["solve", "private-registry", "--force"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

/// A variant learner who forgot `--variant`: graded against the seed exercise, the note
/// names their seed when their folder is named by it (a class hand-in), in both languages;
/// the seed exercise's own files get no such note.
#[test]
fn a_forgotten_variant_is_named_in_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let han = dir.path().join("han");
    let out = run(
        &repo(),
        &[
            "solve",
            "network-policy",
            "--variant",
            "han",
            "--write",
            han.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for (lang, says) in [
        (
            "en",
            "these names are variant `han`'s, not the seed exercise's: grade with `--variant han`",
        ),
        (
            "ko",
            "이 이름들은 기본 실습이 아니라 `han` 변형의 이름입니다. `--variant han` 옵션을 붙여 채점하십시오.",
        ),
    ] {
        let out = run(
            &repo(),
            &[
                "grade",
                "network-policy",
                han.to_str().unwrap(),
                "--offline",
                "--lang",
                lang,
            ],
        );
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert!(out.stdout.contains(says), "{lang}: {}", out.stdout);
    }
    // With the seed it asks for, it passes and says nothing of it.
    let out = run(
        &repo(),
        &[
            "grade",
            "network-policy",
            han.to_str().unwrap(),
            "--offline",
            "--variant",
            "han",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("--variant han"), "{}", out.stdout);
    let out = run(
        &repo(),
        &[
            "grade",
            "network-policy",
            "labs/network-policy/solution",
            "--offline",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("--variant"), "{}", out.stdout);
}

#[test]
fn help_describes_every_option_and_version_names_the_kubernetes_api() {
    for command in ["grade", "class", "check", "show", "start", "list", "solve"] {
        let out = run(&repo(), &[command, "--help"]);
        assert_eq!(out.code, 0);
        for option in ["--lang <LANG>", "--output <OUTPUT>"] {
            if let Some(at) = out.stdout.find(option) {
                let line_end = out.stdout[at..].find('\n').unwrap() + at;
                let next = out.stdout[line_end + 1..].lines().next().unwrap_or("");
                assert!(
                    !next.trim().is_empty(),
                    "{command} {option} has no description:\n{}",
                    out.stdout
                );
            }
        }
    }
    for command in ["clean", "doctor"] {
        let out = run(&repo(), &[command, "--help"]);
        assert!(!out.stdout.contains("--labs"), "{command}: {}", out.stdout);
    }
    let out = run(&repo(), &["--version"]);
    assert_eq!(
        out.stdout.trim(),
        format!(
            "kubelab {} (Kubernetes API v1.34)",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn completions_and_man_pages_come_from_the_command_definition() {
    let bash = run(&repo(), &["completions", "bash"]);
    assert_eq!(bash.code, 0);
    assert!(
        bash.stdout.contains("complete -F _kubelab") && bash.stdout.contains("class"),
        "{}",
        bash.stdout
    );
    for shell in ["zsh", "fish"] {
        let out = run(&repo(), &["completions", shell]);
        assert_eq!(out.code, 0);
        assert!(out.stdout.contains("kubeconfig"), "{shell}");
    }
    let bad = run(&repo(), &["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let man = run(&repo(), &["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.starts_with(".ie"), "{}", &man.stdout[..80]);
    assert!(man.stdout.contains(".TH kubelab 1"), "no kubelab(1)");
    assert!(
        man.stdout.contains(".TH kubelab-class 1"),
        "no kubelab-class(1)"
    );
}

// ---- bad input: each a clear error naming the file (and line), exit code 2 ----

fn bad_input(file: &str, content: &[u8], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), content).unwrap();
    let out = run(dir.path(), &["grade", "network-policy", file, "--offline"]);
    assert_eq!(
        out.code, 2,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout.is_empty(),
        "no report on bad input: {}",
        out.stdout
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    for text in expected {
        assert!(
            out.stderr.contains(text),
            "expected {text:?} in:\n{}",
            out.stderr
        );
    }
}

#[test]
fn malformed_yaml() {
    bad_input(
        "bad.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n",
        &["bad.yaml:"],
    );
}

#[test]
fn other_tools_yaml_is_skipped_with_a_note_and_the_rest_is_graded() {
    // The right answer beside a kustomization, Helm files and a Compose file.
    let dir = solution_copy("network-policy", |_, text| text);
    for (name, text) in [
        (
            "kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [api-allow-policy.yaml]\n",
        ),
        (
            "values.yaml",
            "replicaCount: 1\nimage:\n  repository: nginx\n",
        ),
        (
            "Chart.yaml",
            "apiVersion: v2\nname: mychart\nversion: 0.1.0\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  web:\n    image: nginx\n",
        ),
        ("notes.yaml", "todo:\n- finish the allow policy\n"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = run(dir.path(), &["grade", "network-policy", ".", "--offline"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for note in [
        "note: Chart.yaml: skipped: a Helm chart file, not a Kubernetes manifest",
        "note: docker-compose.yml: skipped: a Compose file, not a Kubernetes manifest",
        "note: kustomization.yaml: skipped: a kustomize file, not a Kubernetes manifest",
        "note: notes.yaml: skipped: YAML with neither apiVersion nor kind, not a Kubernetes manifest",
        "note: values.yaml: skipped: Helm values, not a Kubernetes manifest",
    ] {
        assert!(out.stdout.contains(note), "{note}\n{}", out.stdout);
    }
    // Only another tool's file: graded (nothing was submitted), with the note.
    let only = tempfile::tempdir().unwrap();
    std::fs::write(
        only.path().join("compose.yaml"),
        "services:\n  web:\n    image: nginx\n",
    )
    .unwrap();
    let out = run(
        only.path(),
        &["grade", "network-policy", "compose.yaml", "--offline"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("note: compose.yaml: skipped: a Compose file"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_manifest_missing_its_api_version_is_still_an_error() {
    bad_input(
        "pod.yaml",
        b"kind: Pod\nmetadata:\n  name: x\n",
        &[
            "pod.yaml:1",
            "not a Kubernetes object (it has no apiVersion)",
        ],
    );
}

#[test]
fn an_empty_file() {
    bad_input("empty.yaml", b"# nothing here\n", &["empty.yaml", "empty"]);
}

#[test]
fn a_binary_file() {
    bad_input(
        "image.yaml",
        &[0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe],
        &["image.yaml", "binary"],
    );
}

#[test]
fn a_huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let out = run(
        dir.path(),
        &["grade", "network-policy", "huge.yaml", "--offline"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("huge.yaml") && out.stderr.contains("MiB"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_yaml_alias_bomb() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bad_input("bomb.yaml", bomb.as_bytes(), &["bomb.yaml", "alias"]);
}

#[test]
fn an_unknown_kind() {
    bad_input(
        "crd.yaml",
        b"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
        &["crd.yaml:", "Widget"],
    );
}

#[test]
fn a_wrong_api_version() {
    bad_input(
        "np.yaml",
        b"apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: n\nspec:\n  podSelector: {}\n",
        &["np.yaml:1", "networking.k8s.io/v1"],
    );
}

#[test]
fn a_missing_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["grade", "network-policy", "nowhere.yaml", "--offline"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nowhere.yaml"), "{}", out.stderr);
}

// ---- objects the sandbox refuses: a graded fail (exit 1), located, never exit 2 ----

/// Grades `file` offline in every format: exit 1, the table names the refusal at its
/// line, and the JSON lists it in `refused` with its location.
fn refused_graded(lab: &str, file: &str, content: &[u8], at: (usize, usize), expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), content).unwrap();
    let out = run(dir.path(), &["grade", lab, file, "--offline"]);
    assert_eq!(
        out.code, 1,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("✘ refused"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains(&format!("--> {file}:{}:{}", at.0, at.1)),
        "{}",
        out.stdout
    );
    for text in expected {
        assert!(
            out.stdout.contains(text),
            "missing {text:?} in\n{}",
            out.stdout
        );
    }
    let json = run(
        dir.path(),
        &["grade", lab, file, "--offline", "--output", "json"],
    );
    assert_eq!(json.code, 1);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["passed"], false);
    let refused = &value["refused"][0];
    assert_eq!(refused["location"]["file"], file);
    assert_eq!(refused["location"]["line"], at.0);
    assert_eq!(refused["location"]["column"], at.1);
    let junit = run(
        dir.path(),
        &["grade", lab, file, "--offline", "--output", "junit"],
    );
    assert_eq!(junit.code, 1);
    assert!(junit.stdout.contains("refused"), "{}", junit.stdout);
}

#[test]
fn an_object_aimed_at_another_namespace() {
    refused_graded(
        "network-policy",
        "np.yaml",
        b"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db-deny-ingress\n  namespace: kube-system\nspec:\n  podSelector: {}\n",
        (5, 3),
        &["kube-system", "outside the lab namespace"],
    );
}

#[test]
fn a_cluster_scoped_object() {
    refused_graded(
        "network-policy",
        "role.yaml",
        b"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: everything\nrules: []\n",
        (2, 1),
        &["ClusterRole"],
    );
}

#[test]
fn a_privileged_pod_is_graded_fail_at_its_line() {
    let pod =
        std::fs::read_to_string(repo().join("labs/security-context/solution/secure-pod.yaml"))
            .unwrap()
            .replace(
                "allowPrivilegeEscalation: false",
                "allowPrivilegeEscalation: false\n      privileged: true",
            );
    let line = pod
        .lines()
        .position(|l| l.contains("privileged: true"))
        .unwrap()
        + 1;
    refused_graded(
        "security-context",
        "secure-pod.yaml",
        pod.as_bytes(),
        (line, 7),
        &["violates PodSecurity \"baseline:v1.34\": privileged"],
    );
}

#[test]
fn an_unknown_lab() {
    let out = run(
        &repo(),
        &["grade", "no-such-lab", "labs/network-policy/solution"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no-such-lab") && out.stderr.contains("network-policy"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_usage_error() {
    let out = run(&repo(), &["grade", "network-policy"]);
    assert_eq!(out.code, 2);
}

#[test]
fn a_broken_lab_folder_names_the_lab_file() {
    let dir = tempfile::tempdir().unwrap();
    let lab = dir.path().join("broken");
    std::fs::create_dir(&lab).unwrap();
    std::fs::write(lab.join("lab.yaml"), "id: broken\ntitle: {ko: a, en: a}\nscenario: {ko: a, en: a}\nsteps:\n  - id: s\n    title: {ko: a, en: a}\n    text: {ko: a, en: a}\n    checks:\n      - id: c\n        teleport: {pod: x}\n").unwrap();
    let out = run(&repo(), &["--labs", dir.path().to_str().unwrap(), "list"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("broken/lab.yaml:"), "{}", out.stderr);
    assert!(out.stderr.contains("teleport"), "{}", out.stderr);
}

// ---- machine output is one complete document, also when nothing can be graded ----

#[test]
fn unreadable_input_still_prints_one_json_and_junit_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            "bad.yaml",
            "--offline",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["lab"], "security-context");
    assert_eq!(value["passed"], false);
    assert_eq!(value["error"]["kind"], "input");
    assert_eq!(value["error"]["file"], "bad.yaml");
    // The `{` never closed: at the end of its line, where the `}` belongs.
    assert_eq!(value["error"]["line"], 3);
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("malformed YAML"),
        "{value}"
    );
    assert!(out.stderr.contains("malformed YAML"), "{}", out.stderr);

    let out = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            "bad.yaml",
            "--offline",
            "--output",
            "junit",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(out.stdout.starts_with("<?xml"), "{}", out.stdout);
    assert!(out.stdout.contains("errors=\"1\""), "{}", out.stdout);
    assert!(out.stdout.contains("type=\"input\""), "{}", out.stdout);
    assert!(out.stdout.contains("bad.yaml:3:19"), "{}", out.stdout);

    let out = run(
        dir.path(),
        &["grade", "no-such-lab", "bad.yaml", "--output", "json"],
    );
    assert_eq!(out.code, 2);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["error"]["kind"], "usage");
    assert!(value["error"]["file"].is_null());
}

/// Runs the binary with its stdout the write end of a pipe whose read end is already
/// closed (as `kubelab … | head -1` once `head` has quit): every write fails with EPIPE.
fn run_into_closed_pipe(args: &[&str]) -> (i32, String) {
    let mut fds = [0; 2];
    // SAFETY: pipe(2) fills the two descriptors of the array we own.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: the read end is ours, closed once.
    unsafe { libc::close(fds[0]) };
    // SAFETY: the write end is ours; the Stdio takes it over.
    let stdout = unsafe { <std::process::Stdio as std::os::fd::FromRawFd>::from_raw_fd(fds[1]) };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .current_dir(repo())
        .env("LANG", "C")
        .env_remove("KUBECONFIG")
        .env_remove("KUBELAB_LABS")
        .args(args)
        .stdout(stdout)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_its_own_exit_code() {
    let wrong = solution_copy("network-policy", |name, text| {
        if name == "api-allow-policy.yaml" {
            text.replace("6379", "6380")
        } else {
            text
        }
    });
    let wrong = wrong.path().to_str().unwrap().to_string();
    for (args, code) in [
        (vec!["list"], 0),
        (vec!["show", "network-policy"], 0),
        (vec!["solve", "security-context"], 0),
        (
            vec![
                "grade",
                "network-policy",
                "labs/network-policy/solution",
                "--offline",
            ],
            0,
        ),
        (vec!["grade", "network-policy", &wrong, "--offline"], 1),
        (
            vec![
                "grade",
                "network-policy",
                &wrong,
                "--offline",
                "--output",
                "json",
            ],
            1,
        ),
        (
            vec![
                "class",
                "network-policy",
                "labs/network-policy/corpus",
                "--offline",
            ],
            1,
        ),
        (vec!["--help"], 0),
    ] {
        let (got, stderr) = run_into_closed_pipe(&args);
        assert_eq!(got, code, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_unreadable_kubeconfig_given_explicitly_is_an_error_not_an_offline_grade() {
    for args in [
        vec!["grade", "network-policy", "labs/network-policy/solution"],
        vec!["class", "network-policy", "labs/network-policy/corpus"],
        vec!["check", "network-policy"],
        vec!["clean"],
    ] {
        let mut all = args.clone();
        all.extend(["--kubeconfig", "/nonexistent/kubeconfig"]);
        let out = run(&repo(), &all);
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(
                "/nonexistent/kubeconfig: the kubeconfig given with --kubeconfig cannot be used"
            ),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            !out.stdout.contains("graded offline"),
            "{args:?}: {}",
            out.stdout
        );
    }
}

#[test]
fn without_any_cluster_configuration_the_note_is_one_line_and_start_is_not_told_to_use_offline() {
    let home = tempfile::tempdir().unwrap();
    let grade = kubelab(&repo())
        .env_remove("KUBECONFIG")
        .env("HOME", home.path())
        .args(["grade", "network-policy", "labs/network-policy/solution"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&grade.stdout);
    assert_eq!(grade.status.code(), Some(0), "{stdout}");
    let note = stdout
        .lines()
        .find(|l| l.starts_with("note: graded offline"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        note,
        "note: graded offline: no cluster configuration: no kubeconfig (KUBECONFIG, ~/.kube/config) and not running in a cluster"
    );
    let start = kubelab(&repo())
        .env_remove("KUBECONFIG")
        .env("HOME", home.path())
        .args(["start", "network-policy"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&start.stderr);
    assert_eq!(start.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(
            "`kubelab grade --offline` grades without a cluster (start, check and clean need one)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_missing_colon_shows_the_learners_line_with_a_caret() {
    bad_input(
        "pod.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: secure-pod\nspec\n  containers:\n  - name: a\n",
        &[
            "pod.yaml:5:5: malformed YAML: `spec` has no `:` after it",
            "help: write `spec:` — every key is followed by a colon",
            "  > 5 | spec\n      |     ^",
        ],
    );
}

#[test]
fn a_tab_says_replace_the_tab_with_spaces() {
    bad_input(
        "pod.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n\tname: secure-pod\n",
        &[
            "pod.yaml:4:1: malformed YAML: a tab indents this line",
            "help: replace the tab with spaces: YAML indents with spaces only",
            "> 4 | \\tname: secure-pod",
        ],
    );
}

#[test]
fn kubelab_runs_as_the_kubectl_plugin_kubectl_lab() {
    // kubectl's plugin convention: an executable `kubectl-lab` on PATH is `kubectl lab`.
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_kubelab"),
        bin.path().join("kubectl-lab"),
    )
    .unwrap();
    let help = std::process::Command::new(bin.path().join("kubectl-lab"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Usage: kubectl lab [OPTIONS] <COMMAND>"),
        "{help}"
    );
    // Through the real kubectl (the test cluster's, on PATH in tests/run).
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let listed = std::process::Command::new("kubectl")
        .args(["lab", "list"])
        .env("PATH", &path)
        .env("LANG", "C")
        .current_dir(repo())
        .output()
        .expect("kubectl is on PATH (tests/run puts the test cluster's there)");
    assert_eq!(
        listed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let listed = String::from_utf8_lossy(&listed.stdout);
    for lab in ["network-policy", "security-context", "private-registry"] {
        assert!(listed.contains(lab), "{listed}");
    }
}

// ---- every broken file of a submission in one run, in the command's language ----

/// A folder with two broken files (a tab in the indentation, a manifest without
/// apiVersion) beside a good one.
fn two_broken_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a-tab.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b-no-api-version.yaml"),
        "kind: Pod\nmetadata:\n  name: y\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("c-good.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n",
    )
    .unwrap();
    dir
}

#[test]
fn two_broken_files_in_one_folder_are_both_reported_in_one_run() {
    let dir = two_broken_files();
    let out = run(dir.path(), &["grade", "security-context", ".", "--offline"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    for text in [
        "× a-tab.yaml:4:1: malformed YAML: a tab indents this line",
        "help: replace the tab with spaces: YAML indents with spaces only",
        "  > 4 | \\tname: x",
        "× b-no-api-version.yaml:1:1: not a Kubernetes object (it has no apiVersion)",
        "help: a Kubernetes manifest starts with `apiVersion:` and `kind:`",
        "  > 1 | kind: Pod",
    ] {
        assert!(out.stderr.contains(text), "{text:?} in:\n{}", out.stderr);
    }
    // In file order, each error followed by its lines.
    let tab = out.stderr.find("a-tab.yaml:4:1").unwrap();
    let tab_lines = out.stderr.find("> 4 |").unwrap();
    let missing = out.stderr.find("b-no-api-version.yaml:1:1").unwrap();
    assert!(tab < tab_lines && tab_lines < missing, "{}", out.stderr);

    let out = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            ".",
            "--offline",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let error = &value["error"];
    assert_eq!(error["kind"], "input");
    // The first error as before, and every error in `errors`.
    assert_eq!(error["file"], "a-tab.yaml");
    assert_eq!(error["line"], 4);
    assert_eq!(
        error["message"],
        "a-tab.yaml:4:1: malformed YAML: a tab indents this line"
    );
    let errors = error["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{value}");
    assert_eq!(errors[0]["message"], error["message"]);
    assert_eq!(
        errors[0]["help"],
        "replace the tab with spaces: YAML indents with spaces only"
    );
    assert_eq!(errors[1]["file"], "b-no-api-version.yaml");
    assert_eq!(errors[1]["line"], 1);
    assert_eq!(errors[1]["column"], 1);
    assert_eq!(
        errors[1]["message"],
        "b-no-api-version.yaml:1:1: not a Kubernetes object (it has no apiVersion)"
    );

    let out = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            ".",
            "--offline",
            "--output",
            "junit",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("errors=\"2\""), "{}", out.stdout);
}

#[test]
fn two_broken_files_are_reported_in_korean_with_lang_ko() {
    let dir = two_broken_files();
    let out = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            ".",
            "--offline",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    for text in [
        "× a-tab.yaml:4:1: 잘못된 YAML입니다. 이 줄을 탭으로 들여 썼습니다.",
        "도움말: 탭을 공백으로 바꾸십시오. YAML은 공백으로만 들여 씁니다.",
        "  > 4 | \\tname: x",
        "× b-no-api-version.yaml:1:1: Kubernetes 객체가 아닙니다(apiVersion이 없습니다).",
        "도움말: Kubernetes 매니페스트는 `apiVersion:`과 `kind:`로 시작합니다.",
    ] {
        assert!(out.stderr.contains(text), "{text:?} in:\n{}", out.stderr);
    }
    assert!(!out.stderr.contains("malformed"), "{}", out.stderr);
    assert!(!out.stderr.contains("help:"), "{}", out.stderr);

    // The locale chooses Korean too, and JSON carries the same Korean texts.
    let out = kubelab(dir.path())
        .env("LANG", "ko_KR.UTF-8")
        .args([
            "grade",
            "security-context",
            ".",
            "--offline",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = value["error"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{value}");
    assert_eq!(
        errors[1]["message"],
        "b-no-api-version.yaml:1:1: Kubernetes 객체가 아닙니다(apiVersion이 없습니다)."
    );
    assert_eq!(value["error"]["message"], errors[0]["message"]);
}

#[test]
fn schema_problems_are_graded_in_korean_with_lang_ko() {
    let dir = solution_copy("security-context", |_, text| {
        text.replace("readOnlyRootFilesystem", "readOnlyRootFileSystem")
    });
    let out = run(
        dir.path(),
        &[
            "grade",
            "security-context",
            ".",
            "--offline",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "\"readOnlyRootFileSystem\" 필드는 알 수 없는 필드입니다. 혹시 \"readOnlyRootFilesystem\"의 오타입니까?"
        ),
        "{}",
        out.stdout
    );
}

/// Usage errors in the command's language, label included, and a misspelt lab gets the
/// closest lab's name.
#[test]
fn usage_errors_follow_lang_and_name_the_closest_lab() {
    let out = run(
        &repo(),
        &["grade", "network-polcy", "x", "--offline", "--lang", "ko"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("혹시 `network-policy`의 오타입니까?"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("도움말: 실습 목록:"), "{}", out.stderr);
    assert!(!out.stderr.contains("help:"), "{}", out.stderr);
    let en = run(&repo(), &["grade", "network-polcy", "x", "--offline"]);
    assert!(
        en.stderr.contains("did you mean `network-policy`?"),
        "{}",
        en.stderr
    );
    let class = run(
        &repo(),
        &[
            "class",
            "network-policy",
            "/nonexistent-class",
            "--offline",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(class.code, 2);
    assert!(
        class.stderr.contains("반 폴더로 읽을 수 없습니다"),
        "{}",
        class.stderr
    );
    assert!(
        class.stderr.contains("도움말: 학습자마다"),
        "{}",
        class.stderr
    );
}

/// `kubelab grade . --output json > out.json` inside the graded folder: the shell creates
/// the empty out.json first; it is this run's output, skipped with a note, not an error.
#[test]
fn output_redirected_into_the_graded_folder_is_not_graded() {
    let dir = solution_copy("security-context", |_, t| t.to_string());
    let out_file = std::fs::File::create(dir.path().join("out.json")).unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("kubelab"))
        .current_dir(dir.path())
        .env_remove("KUBECONFIG")
        .args([
            "grade",
            "security-context",
            ".",
            "--offline",
            "--output",
            "json",
        ])
        .stdout(out_file)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    assert_eq!(report["passed"], true, "{report:#}");
    assert!(
        report["notes"][0]
            .as_str()
            .unwrap()
            .contains("out.json: skipped: this run's own output"),
        "{report:#}"
    );
}

/// A variant (`--variant SEED`): `show`, `solve` and `grade` agree — the variant's
/// solution passes, and the seed material's answer fails with a located note for each
/// value it still has (snapshots in both languages, shown in the book).
#[test]
fn a_variant_is_solved_and_graded_and_the_seed_answer_gets_located_notes() {
    let seed = "han@example.com";
    let show = run(
        &repo(),
        &["show", "network-policy", "--variant", seed, "--lang", "en"],
    );
    assert_eq!(show.code, 0, "{}", show.stderr);
    let dir = tempfile::tempdir().unwrap();
    let written = run(
        &repo(),
        &[
            "solve",
            "network-policy",
            "--variant",
            seed,
            "--write",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    let policy = std::fs::read_to_string(dir.path().join("api-allow-policy.yaml")).unwrap();
    // The variant's values, the same ones the task text gives.
    let port = policy
        .lines()
        .find_map(|l| l.trim().strip_prefix("port: "))
        .and_then(|p| p.split_whitespace().next())
        .unwrap()
        .to_string();
    assert_ne!(port, "6379");
    assert!(
        show.stdout.contains(&format!("TCP {port}")),
        "{}",
        show.stdout
    );
    let graded = run(
        dir.path(),
        &[
            "grade",
            "network-policy",
            ".",
            "--offline",
            "--variant",
            seed,
        ],
    );
    assert_eq!(graded.code, 0, "{}{}", graded.stdout, graded.stderr);
    // The seed's own answer against the variant: a graded fail, with notes.
    for lang in ["en", "ko"] {
        let out = run(
            &repo(),
            &[
                "grade",
                "network-policy",
                "labs/network-policy/solution",
                "--offline",
                "--variant",
                seed,
                "--lang",
                lang,
            ],
        );
        assert_eq!(out.code, 1, "{}", out.stderr);
        insta::assert_snapshot!(format!("grade-seed-answer-to-a-variant-{lang}"), out.stdout);
    }
    let en = run(
        &repo(),
        &[
            "grade",
            "network-policy",
            "labs/network-policy/solution",
            "--offline",
            "--variant",
            seed,
        ],
    );
    assert!(
        en.stdout.contains(&format!(
            "labs/network-policy/solution/api-allow-policy.yaml:19: in your variant (`{seed}`) the DB's (Redis) port is `{port}`, not `6379` as in the seed exercise"
        )),
        "{}",
        en.stdout
    );
}

#[test]
fn an_empty_variant_is_a_usage_error() {
    let out = run(&repo(), &["show", "network-policy", "--variant", " "]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("The variant seed is empty."),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--variant han@example.com"),
        "{}",
        out.stderr
    );
    let ko = run(
        &repo(),
        &[
            "grade",
            "network-policy",
            ".",
            "--offline",
            "--variant",
            "",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(ko.code, 2);
    assert!(
        ko.stderr.contains("변형(variant) 시드가 비어 있습니다."),
        "{}",
        ko.stderr
    );
    // The exam takes the same check.
    let exam = run(&repo(), &["exam", "sheet", "--variant", ""]);
    assert_eq!(exam.code, 2);
    assert!(
        exam.stderr.contains("The variant seed is empty."),
        "{}",
        exam.stderr
    );
}

/// The offline exam sheet: every task of the variant, no hint; the commands that grade
/// the answers (snapshots in both languages, shown in the book).
#[test]
fn the_offline_exam_sheet_names_every_task_and_how_to_grade_it() {
    for lang in ["en", "ko"] {
        let out = run(
            &repo(),
            &[
                "exam",
                "sheet",
                "--variant",
                "han",
                "--duration",
                "45m",
                "--lang",
                lang,
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout
                .contains("kubelab grade private-registry task-6/ --offline --variant 'han'")
        );
        insta::assert_snapshot!(format!("exam-sheet-{lang}"), out.stdout);
    }
}

#[test]
fn exam_usage_errors_say_what_to_do() {
    let twice = run(
        &repo(),
        &["exam", "sheet", "--labs", "network-policy,network-policy"],
    );
    assert_eq!(twice.code, 2);
    assert!(
        twice
            .stderr
            .contains("The lab `network-policy` is named twice in `--labs`."),
        "{}",
        twice.stderr
    );
    let long = run(&repo(), &["exam", "sheet", "--duration", "5h"]);
    assert_eq!(long.code, 2);
    assert!(
        long.stderr.contains("An exam of 5h is not possible."),
        "{}",
        long.stderr
    );
    assert!(long.stderr.contains("at most 4 hours"), "{}", long.stderr);
    let ko = run(
        &repo(),
        &[
            "exam",
            "sheet",
            "--labs",
            "network-policy,network-policy",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(ko.code, 2);
    assert!(
        ko.stderr
            .contains("`--labs`에 `network-policy` 실습이 두 번 있습니다."),
        "{}",
        ko.stderr
    );
    let ko = run(
        &repo(),
        &["exam", "sheet", "--duration", "5h", "--lang", "ko"],
    );
    assert_eq!(ko.code, 2);
    assert!(
        ko.stderr.contains("5h 동안의 시험은 만들 수 없습니다."),
        "{}",
        ko.stderr
    );
    let unknown = run(&repo(), &["exam", "sheet", "--labs", "network-polcy"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown lab `network-polcy`"),
        "{}",
        unknown.stderr
    );
    let bad = run(&repo(), &["exam", "sheet", "--duration", "soon"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("`soon` is not a duration such as 30m, 1h30m or 90s"),
        "{}",
        bad.stderr
    );
    // Without a cluster, start/status/end say so (exit 3), never a panic.
    for args in [["exam", "status"], ["exam", "end"]] {
        let out = kubelab(&repo())
            .args(args)
            .env("KUBECONFIG", "/nonexistent/kubeconfig")
            .env("HOME", "/nonexistent")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The README's sample failure is what kubelab prints for that mistake (the corpus case
/// `security-context/02`), not an older wording.
#[test]
fn the_readme_sample_failure_is_what_kubelab_prints() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let after = readme
        .split("failing check shows the learner's lines")
        .nth(1)
        .expect("the README introduces its sample failure");
    let sample = after
        .split("```text\n")
        .nth(1)
        .and_then(|block| block.split("```").next())
        .expect("a ```text block follows");
    let case =
        repo().join("labs/security-context/corpus/02-typo-read-only-root-file-system/submission");
    let out = run(
        &case,
        &["grade", "security-context", "secure-pod.yaml", "--offline"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains(sample),
        "README sample:\n{sample}\nprinted:\n{}",
        out.stdout
    );
}

#[test]
fn a_namespace_enforcing_baseline_fails_at_its_label() {
    let dir = solution_copy("pod-security", |_, t| {
        t.replace("enforce: restricted", "enforce: baseline")
    });
    let out = run(dir.path(), &["grade", "pod-security", ".", "--offline"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("namespace.yaml:7"), "{}", out.stdout);
    insta::assert_snapshot!("grade-pod-security-baseline", out.stdout);
    let ko = run(
        dir.path(),
        &["grade", "pod-security", ".", "--offline", "--lang", "ko"],
    );
    assert_eq!(ko.code, 1, "{}", ko.stderr);
    insta::assert_snapshot!("grade-pod-security-baseline-ko", ko.stdout);
}

#[test]
fn a_warn_only_binding_fails_at_its_actions() {
    let dir = solution_copy("allowed-registries", |_, t| {
        t.replace(
            "validationActions: [\"Deny\"]",
            "validationActions: [\"Warn\"]",
        )
    });
    let out = run(
        dir.path(),
        &["grade", "allowed-registries", ".", "--offline"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("validationActions"), "{}", out.stdout);
    insta::assert_snapshot!("grade-allowed-registries-warn-only", out.stdout);
    let ko = run(
        dir.path(),
        &[
            "grade",
            "allowed-registries",
            ".",
            "--offline",
            "--lang",
            "ko",
        ],
    );
    assert_eq!(ko.code, 1, "{}", ko.stderr);
    insta::assert_snapshot!("grade-allowed-registries-warn-only-ko", ko.stdout);
}

/// Issue 25: `--output gradescope` is the `results.json` of Gradescope's autograder
/// specification: `score`, and `tests[]` with `name`, `score`, `max_score`, `status`
/// (`passed` / `failed`) and `output`; the tests' points add up to the score. Unreadable
/// files still give a results.json (0 points, the error as the output).
#[test]
fn gradescope_results_json() {
    let fields = |test: &serde_json::Value| {
        let mut keys: Vec<&str> = test
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        keys.join(",")
    };
    let solution = repo().join("labs/network-policy/solution");
    let out = run(
        &repo(),
        &[
            "grade",
            "network-policy",
            solution.to_str().unwrap(),
            "--offline",
            "--output",
            "gradescope",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    // The score `--output json` gives, one test per check.
    let json = run(
        &repo(),
        &[
            "grade",
            "network-policy",
            solution.to_str().unwrap(),
            "--offline",
            "--output",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["score"], json["score"], "{doc:#}");
    let checks: usize = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["checks"].as_array().unwrap().len())
        .sum();
    let tests = doc["tests"].as_array().unwrap();
    assert_eq!(tests.len(), checks);
    for test in tests {
        assert_eq!(
            fields(test),
            "max_score,name,output,score,status",
            "{test:#}"
        );
        assert_eq!(test["status"], "passed");
        assert_eq!(test["score"], test["max_score"]);
    }
    assert!(
        tests[0]["name"].as_str().unwrap().starts_with("baseline/"),
        "{doc:#}"
    );
    let sum: u64 = tests.iter().map(|t| t["score"].as_u64().unwrap()).sum();
    assert_eq!(Some(sum), doc["score"].as_u64());
    assert!(sum > 0);

    // A wrong answer: failed tests, with the line to fix in their output.
    let wrong = solution_copy("network-policy", |name, text| {
        if name.starts_with("api-allow") {
            text.replace("app: api", "app: apix")
        } else {
            text
        }
    });
    let out = run(
        wrong.path(),
        &[
            "grade",
            "network-policy",
            ".",
            "--offline",
            "--output",
            "gradescope",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let failed: Vec<&serde_json::Value> = doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "failed")
        .collect();
    assert!(!failed.is_empty(), "{doc:#}");
    assert!(doc["score"].as_u64() < json["score"].as_u64());
    assert!(
        failed.iter().all(|t| t["score"] == 0
            && t["output"]
                .as_str()
                .unwrap()
                .contains("api-allow-policy.yaml:")),
        "{doc:#}"
    );

    // Unreadable files: still a results.json, 0 points, the error as the output.
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("pod.yaml"), "kind: [\n").unwrap();
    let out = run(
        broken.path(),
        &[
            "grade",
            "network-policy",
            ".",
            "--offline",
            "--output",
            "gradescope",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["score"], 0);
    assert_eq!(doc["tests"], serde_json::json!([]));
    assert!(
        doc["output"].as_str().unwrap().contains("pod.yaml"),
        "{doc:#}"
    );
}

/// A pass mark that is not a percentage is a usage error that says so.
#[test]
fn a_pass_mark_out_of_range_is_refused() {
    let out = run(&repo(), &["exam", "sheet", "--pass-mark", "101"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`101` is not a percentage from 0 to 100"),
        "{}",
        out.stderr
    );
    // A pass mark given shows on the sheet, with each task's weight.
    let sheet = run(
        &repo(),
        &[
            "exam",
            "sheet",
            "--variant",
            "han",
            "--labs",
            "network-policy,security-context",
            "--pass-mark",
            "80%",
        ],
    );
    assert_eq!(sheet.code, 0, "{}", sheet.stderr);
    assert!(sheet.stdout.contains("pass mark 80%"), "{}", sheet.stdout);
    assert!(sheet.stdout.contains("points, weight "), "{}", sheet.stdout);
}

/// One attempt of the exam history, as `exam end` appends it.
fn attempt_line(date: &str, np: u32, sc: u32, failed: &[&str]) -> String {
    let percent = ((np + sc) as f64 * 1000.0 / 14.0).round() / 10.0;
    serde_json::json!({
        "date": date, "exam": "abcd1234", "seed": "han",
        "labs": ["network-policy", "security-context"],
        "tasks": [
            {"task": 1, "lab": "network-policy", "score": np, "max_score": 8,
             "passed": np == 8, "failed_checks": failed},
            {"task": 2, "lab": "security-context", "score": sc, "max_score": 6,
             "passed": sc == 6, "failed_checks": []},
        ],
        "score": np + sc, "max_score": 14, "percent": percent, "pass_mark": 67,
        "passed": (np + sc) * 100 >= 67 * 14, "late": false,
    })
    .to_string()
}

/// `exam history` over three attempts: the attempts, the best, the last and the topics
/// failed most often, in both languages and as JSON; an empty history says how one
/// starts.
#[test]
fn the_exam_history_shows_attempts_best_last_and_weakest_topics() {
    let data = tempfile::tempdir().unwrap();
    let history = |args: &[&str]| {
        let out = kubelab(&repo())
            .args(args)
            .env("KUBELAB_DATA_DIR", data.path())
            .output()
            .unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        let path = data.path().display().to_string();
        Run {
            code: out.status.code().unwrap(),
            stdout: text(out.stdout).replace(&path, "[DATA]"),
            stderr: text(out.stderr),
        }
    };
    let empty = history(&["exam", "history"]);
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    insta::assert_snapshot!("exam-history-empty", empty.stdout);
    let lines = [
        attempt_line("2026-12-01T10:00:00Z", 2, 6, &["allow-api/allow-api-to-db"]),
        attempt_line("2026-12-02T10:00:00Z", 8, 5, &[]),
        attempt_line("2026-12-03T10:00:00Z", 4, 6, &["allow-api/allow-api-to-db"]),
    ];
    std::fs::write(
        data.path().join("exam-history.jsonl"),
        lines.join("\n") + "\n",
    )
    .unwrap();
    for lang in ["en", "ko"] {
        let out = history(&["exam", "history", "--lang", lang]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        insta::assert_snapshot!(format!("exam-history-{lang}"), out.stdout);
    }
    let json: serde_json::Value =
        serde_json::from_str(&history(&["exam", "history", "--output", "json"]).stdout).unwrap();
    assert_eq!(json["attempts"].as_array().unwrap().len(), 3);
    assert_eq!(json["best"]["date"], "2026-12-02T10:00:00Z");
    assert_eq!(json["last"]["date"], "2026-12-03T10:00:00Z");
    assert_eq!(json["weakest"][0]["topic"], "network-policy");
    assert_eq!(json["weakest"][0]["failed"], 2);
    assert_eq!(
        json["weakest"][1]["topic"],
        "network-policy/allow-api/allow-api-to-db"
    );
}

/// The history's usage errors: no data directory at all, a history that is not a file.
#[test]
fn the_exam_history_errors_say_what_to_do() {
    let out = kubelab(&repo())
        .args(["exam", "history"])
        .env_remove("KUBELAB_DATA_DIR")
        .env_remove("XDG_DATA_HOME")
        .env_remove("HOME")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("There is no data directory for the exam history"),
        "{stderr}"
    );
    assert!(stderr.contains("export KUBELAB_DATA_DIR="), "{stderr}");
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir(data.path().join("exam-history.jsonl")).unwrap();
    let out = kubelab(&repo())
        .args(["exam", "history", "--lang", "ko"])
        .env("KUBELAB_DATA_DIR", data.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("읽을 수 없습니다"), "{stderr}");
    assert!(stderr.contains("KUBELAB_DATA_DIR"), "{stderr}");
}

/// An image kubelab does not know: offline does not guess its user, whether its default
/// command keeps running, or whether it has a shell — those checks are `skip` with the
/// reason; what the pod spec alone decides (the image reference) is still graded.
#[test]
fn an_unknown_image_is_said_not_guessed() {
    let grade = |image: &str, command: &str| {
        let dir = solution_copy("minimal-image", |_, t| {
            t.replace("kubelab/app:1.0-minimal", image)
                .replace("    ports:\n", &format!("{command}    ports:\n"))
        });
        let out = run(
            dir.path(),
            &[
                "grade",
                "minimal-image",
                ".",
                "--offline",
                "--output",
                "json",
            ],
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let checks: Vec<(String, String, String)> = json["steps"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["verdict"].as_str().unwrap().to_string(),
                    c["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (out.code, checks)
    };
    // No command: whether it keeps running is unknown, so every check that needs it runs.
    let (code, checks) = grade("nginx:1.27", "");
    assert_eq!(code, 1, "the image check fails: {checks:?}");
    assert_eq!(checks[0].1, "fail");
    for (id, verdict, message) in &checks[1..] {
        assert_eq!(verdict, "skip", "{id}: {message}");
        assert!(
            message.contains("kubelab does not know image nginx:1.27"),
            "{id}: {message}"
        );
    }
    // With a command but runAsNonRoot and no runAsUser: whether the kubelet lets it
    // start at all depends on the unknown user, so every check that needs it is `skip`.
    let (_, checks) = grade("nginx:1.27", "    command: [nginx]\n");
    let verdicts: Vec<&str> = checks.iter().map(|c| c.1.as_str()).collect();
    assert_eq!(verdicts, ["fail", "skip", "skip", "skip"], "{checks:?}");
    assert!(checks[3].2.contains("the user it runs as"), "{checks:?}");
    // Without runAsNonRoot it starts: the read-only root is the pod's own field, while
    // the user and the shell stay unknown.
    let dir = solution_copy("minimal-image", |_, t| {
        t.replace("kubelab/app:1.0-minimal", "nginx:1.27")
            .replace("  securityContext:\n    runAsNonRoot: true\n", "")
            .replace("    ports:\n", "    command: [nginx]\n    ports:\n")
    });
    let out = run(
        dir.path(),
        &[
            "grade",
            "minimal-image",
            ".",
            "--offline",
            "--output",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let checks = json["steps"][0]["checks"].as_array().unwrap();
    let verdicts: Vec<&str> = checks
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["fail", "skip", "skip", "pass"], "{checks:?}");
    assert!(
        checks[2]["message"]
            .as_str()
            .unwrap()
            .contains("whether it has a shell"),
        "{checks:?}"
    );
}

/// `grade --step` reports and exits by the named steps only; an id the lab does not
/// have is a usage error (exit 2) that lists the lab's steps.
#[test]
fn grade_step_reports_one_step_and_names_the_steps_of_a_wrong_id() {
    let dir = repo();
    let wrong = "labs/network-policy/corpus/10-namespace-selector-empty-alone/submission";
    let out = run(
        &dir,
        &[
            "grade",
            "network-policy",
            wrong,
            "--offline",
            "--step",
            "deny-all",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["steps"].as_array().unwrap().len(), 1, "{report:#}");
    assert_eq!(report["steps"][0]["id"], "deny-all");
    assert_eq!(report["max_score"], 3);
    let out = run(
        &dir,
        &[
            "grade",
            "network-policy",
            wrong,
            "--offline",
            "--step",
            "allow-api",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let out = run(
        &dir,
        &[
            "grade",
            "network-policy",
            wrong,
            "--offline",
            "--step",
            "deny",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "the lab `network-policy` has no step `deny`; its steps are baseline, deny-all, allow-api"
        ),
        "{}",
        out.stderr
    );
}

/// Issue 25, item 9: a Helm chart folder is skipped with "render it with `helm
/// template`", `node_modules/` gives one note (not one per file), `x.yaml.txt` is named
/// with the name it was meant to have, and a UTF-16 file with a byte-order mark (little-
/// and big-endian, CRLF) is read as `kubectl apply` reads it: the submission passes.
#[test]
fn hand_in_oddities_are_named_and_utf16_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir_all(sub.join("node_modules/left-pad")).unwrap();
    for i in 0..300 {
        std::fs::write(sub.join(format!("node_modules/left-pad/p{i}.json")), "{}").unwrap();
    }
    std::fs::create_dir_all(sub.join("chart/templates")).unwrap();
    std::fs::write(
        sub.join("chart/Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        sub.join("chart/templates/pod.yaml"),
        "kind: Pod\nmetadata:\n  name: {{ .Values.name }}\n",
    )
    .unwrap();
    let solution = repo().join("labs/network-policy/solution");
    let deny = std::fs::read_to_string(solution.join("db-deny-policy.yaml")).unwrap();
    let allow = std::fs::read_to_string(solution.join("api-allow-policy.yaml")).unwrap();
    std::fs::write(sub.join("notes.yaml.txt"), &deny).unwrap();
    let utf16 = |text: &str, big: bool| -> Vec<u8> {
        let mut bytes = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.replace('\n', "\r\n").encode_utf16() {
            bytes.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    std::fs::write(sub.join("db-deny-policy.yaml"), utf16(&deny, false)).unwrap();
    std::fs::write(sub.join("api-allow-policy.yaml"), utf16(&allow, true)).unwrap();
    let out = run(dir.path(), &["grade", "network-policy", "sub", "--offline"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    for note in [
        "note: sub/chart: skipped: a Helm chart (its templates are not manifests); render it with `helm template sub/chart` and hand in the output",
        "note: sub/node_modules: skipped: another tool's dependencies (300 files), not manifests",
        "note: sub/notes.yaml.txt: not read: its name does not end in .yaml, .yml or .json; rename it to notes.yaml",
    ] {
        assert!(
            out.stdout.contains(note),
            "missing {note:?} in\n{}",
            out.stdout
        );
    }
    assert_eq!(
        out.stdout.matches("node_modules").count(),
        1,
        "{}",
        out.stdout
    );
    let ko = run(
        dir.path(),
        &[
            "grade",
            "network-policy",
            "sub",
            "--offline",
            "--lang",
            "ko",
        ],
    );
    assert!(
        ko.stdout.contains("sub/notes.yaml.txt: 읽지 않았습니다. 이름이 .yaml, .yml, .json으로 끝나지 않습니다. 파일 이름을 notes.yaml처럼 바꾸십시오."),
        "{}",
        ko.stdout
    );
}

/// Issue 26, item 7: `--tasks N` draws N labs by the seed — the same seed the same
/// tasks, other seeds other exams — and N outside 1..=labs is a usage error (exit 2).
#[test]
fn exam_tasks_draws_labs_by_the_seed() {
    let tasks = |seed: &str| -> Vec<String> {
        let out = run(
            &repo(),
            &[
                "exam",
                "sheet",
                "--tasks",
                "2",
                "--variant",
                seed,
                "--lang",
                "en",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
            .lines()
            .filter_map(|l| l.strip_prefix("kubelab grade "))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect()
    };
    let han = tasks("han");
    assert_eq!(han.len(), 2, "{han:?}");
    assert_eq!(han, tasks("han"));
    let drawn: std::collections::BTreeSet<Vec<String>> =
        (0..12).map(|i| tasks(&format!("candidate-{i}"))).collect();
    assert!(drawn.len() > 2, "twelve seeds drew {drawn:?}");
    let out = run(&repo(), &["exam", "sheet", "--tasks", "0"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--tasks 0: an exam draws 1 to "),
        "{}",
        out.stderr
    );
}

/// Issue 26, item 3: an exam without a cluster. `exam start --offline` writes the sheet
/// and a folder per task and keeps the exam on this machine; `exam status` shows the
/// folders as untouched or changed; `exam end` grades every folder as one exam with one
/// report and one verdict (percent, pass mark, lateness), appends to the history and
/// forgets the exam (the folders stay). A passing and a failing candidate; a second
/// start while one runs, and a folder that is not empty, are usage errors (exit 2).
#[test]
fn an_offline_exam_is_graded_as_one_exam_with_its_lateness() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let exam = |args: &[&str]| {
        let out = kubelab(work.path())
            .env("KUBELAB_DATA_DIR", data.path())
            .env("KUBECONFIG", "/nonexistent")
            .arg("exam")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let start = |dir: &str, duration: &str| {
        exam(&[
            "start",
            "--offline",
            "--dir",
            dir,
            "--labs",
            "network-policy,security-context",
            "--variant",
            "han",
            "--duration",
            duration,
            "--lang",
            "en",
        ])
    };
    // The passing candidate: each task's variant solution in its folder, on time.
    let (code, sheet, stderr) = start("pass", "30m");
    assert_eq!(code, 0, "{stderr}");
    assert!(sheet.contains("Offline exam `"), "{sheet}");
    assert!(sheet.contains("Folder `pass/task-2/`"), "{sheet}");
    assert!(work.path().join("pass/SHEET.md").is_file());
    let (code, _, stderr) = start("other", "30m");
    assert_eq!(code, 2, "one offline exam at a time");
    assert!(stderr.contains("is still running"), "{stderr}");
    for (number, lab) in [(1, "network-policy"), (2, "security-context")] {
        let solved = kubelab(work.path())
            .args(["solve", lab, "--variant", "han", "--write"])
            .arg(work.path().join(format!("pass/task-{number}")))
            .output()
            .unwrap();
        assert!(
            solved.status.success(),
            "{}",
            String::from_utf8_lossy(&solved.stderr)
        );
    }
    // Flags without a cluster: kept in the exam's state file, shown by status.
    let (code, said, stderr) = exam(&["flag", "2", "--lang", "en"]);
    assert_eq!(
        (code, said.trim()),
        (0, "Task 2 is flagged: `kubelab exam status` lists it."),
        "{stderr}"
    );
    let (code, _, stderr) = exam(&["flag", "9", "--lang", "en"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("The exam has no task 9"), "{stderr}");
    let (code, status, _) = exam(&["status", "--output", "json"]);
    assert_eq!(code, 0);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["tasks"][0]["state"], "changed");
    assert_eq!(status["flagged"], serde_json::json!([2]), "{status:#}");
    assert_eq!(status["tasks"][1]["flagged"], true);
    assert_eq!(status["late"], false);
    let (code, _, _) = exam(&["unflag", "2"]);
    assert_eq!(code, 0);
    let (_, status, _) = exam(&["status", "--output", "json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["flagged"], serde_json::json!([]), "{status:#}");
    let (code, report, stderr) = exam(&["end", "--lang", "en"]);
    assert_eq!(code, 0, "{report}{stderr}");
    assert!(report.contains("16/16 points, 100%"), "{report}");
    assert!(report.contains("Graded before the deadline."), "{report}");
    assert!(work.path().join("pass/task-1").is_dir(), "the folders stay");

    // The failing candidate: one task untouched, ended after the deadline.
    let (code, _, stderr) = start("fail", "1s");
    assert_eq!(code, 0, "{stderr}");
    let solved = kubelab(work.path())
        .args([
            "solve",
            "security-context",
            "--variant",
            "han",
            "--write",
            "fail/task-2",
        ])
        .output()
        .unwrap();
    assert!(solved.status.success());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let (code, status, _) = exam(&["status", "--output", "json"]);
    assert_eq!(code, 0);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["tasks"][0]["state"], "untouched");
    assert_eq!(status["late"], true);
    let (code, report, _) = exam(&["end", "--lang", "en", "--output", "json"]);
    assert_eq!(code, 1, "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["passed"], false, "{report:#}");
    assert_eq!(report["percent"], 50.0, "{report:#}");
    assert_eq!(report["late"], true, "{report:#}");
    assert!(
        report["late_by_seconds"].as_u64().unwrap() >= 1,
        "{report:#}"
    );
    // Ended: status and end have no exam now (and no cluster here).
    let (code, _, _) = exam(&["end"]);
    assert_ne!(code, 0);
    let history = std::fs::read_to_string(data.path().join("exam-history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 2, "{history}");

    // A folder that is not empty is never written into.
    std::fs::create_dir_all(work.path().join("busy")).unwrap();
    std::fs::write(work.path().join("busy/mine.yaml"), "x: 1\n").unwrap();
    let (code, _, stderr) = start("busy", "30m");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("busy: the folder exists and is not empty"),
        "{stderr}"
    );
}
