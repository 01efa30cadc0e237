//! The terminal report's chrome in both languages: the table report of a passing grade
//! (the reference solution) and of a few interesting failing ones (a duplicate object, a
//! Deployment instead of a Pod, a refused pod, misplaced fields, a namespace selected by
//! a `name` label) of each lab, graded offline, in Korean and in English.

use kubelab::grade::Grader;
use kubelab::lab::{Catalog, Lang};
use kubelab::manifest;
use std::path::{Path, PathBuf};

/// Wide enough that no cell wraps in the middle of a word on most rows.
const WIDTH: u16 = 120;

/// The repository as a relative path: cargo runs integration tests in the package root,
/// and a relative path keeps every wrapped cell independent of where the checkout is
/// (an absolute path of another length wraps at another character).
fn repo() -> PathBuf {
    assert!(
        Path::new("labs").is_dir(),
        "the tests run in the package root"
    );
    PathBuf::new()
}

/// The table report of `lab` graded on the files of `folder` (relative to the
/// repository), in `lang`.
fn report(lab: &str, folder: &Path, lang: Lang) -> String {
    let catalog = Catalog::embedded().unwrap();
    let lab = catalog.get(lab).unwrap();
    let submission = manifest::load_paths(&[folder.to_path_buf()])
        .unwrap_or_else(|e| panic!("{}: {e:?}", folder.display()));
    let result = Grader::new(lab).grade(&submission, lang);
    kubelab::report::table::render(&result, &submission.files, WIDTH)
}

fn case(lab: &str, case: &str) -> PathBuf {
    repo()
        .join("labs")
        .join(lab)
        .join("corpus")
        .join(case)
        .join("submission")
}

/// One snapshot per language: `<name>-ko` and `<name>-en`.
fn snapshots(name: &str, lab: &str, folder: &Path) {
    for lang in Lang::ALL {
        let text = report(lab, folder, lang);
        insta::assert_snapshot!(format!("{name}-{}", lang.code()), text);
    }
}

#[test]
fn network_policy_passing() {
    let folder = repo().join("labs/network-policy/solution");
    snapshots("network-policy-solution", "network-policy", &folder);
}

#[test]
fn network_policy_duplicate_object() {
    let folder = case("network-policy", "32-stale-copy-in-a-subfolder");
    snapshots("network-policy-duplicate", "network-policy", &folder);
}

#[test]
fn network_policy_ports_under_the_peer() {
    let folder = case("network-policy", "34-ports-under-the-from-peer");
    snapshots("network-policy-misplaced-ports", "network-policy", &folder);
}

#[test]
fn network_policy_namespace_name_label() {
    let folder = case("network-policy", "35-namespace-selected-by-name-label");
    snapshots("network-policy-name-label", "network-policy", &folder);
}

#[test]
fn security_context_passing() {
    let folder = repo().join("labs/security-context/solution");
    snapshots("security-context-solution", "security-context", &folder);
}

#[test]
fn security_context_deployment_instead_of_pod() {
    let folder = case("security-context", "15-deployment-instead-of-pod");
    snapshots("security-context-deployment", "security-context", &folder);
}

#[test]
fn security_context_refused_pod() {
    let folder = case("security-context", "20-privileged-escalation-omitted");
    snapshots("security-context-refused", "security-context", &folder);
}

#[test]
fn private_registry_passing() {
    let folder = repo().join("labs/private-registry/solution");
    snapshots("private-registry-solution", "private-registry", &folder);
}

#[test]
fn private_registry_pull_secrets_under_the_container() {
    let folder = case("private-registry", "12-pull-secrets-under-container");
    snapshots(
        "private-registry-misplaced-field",
        "private-registry",
        &folder,
    );
}

/// The class table of three learners (one passing, two failing) and one whose files
/// could not be read, in both languages.
#[test]
fn class_table() {
    use kubelab::class::report::ClassReport;
    use kubelab::class::{Event, LearnerResult, Outcome};
    use kubelab::grade::Mode;
    use std::time::Duration;
    let catalog = Catalog::embedded().unwrap();
    let lab = catalog.get("network-policy").unwrap();
    let learners = [
        ("ana", repo().join("labs/network-policy/solution")),
        ("bo", case("network-policy", "32-stale-copy-in-a-subfolder")),
        (
            "cy",
            case("network-policy", "35-namespace-selected-by-name-label"),
        ),
    ];
    for lang in Lang::ALL {
        let report = ClassReport::new(lab, lang);
        report.on_event(&Event::Started {
            learners: learners.len() + 1,
            mode: Mode::Offline,
        });
        for (learner, folder) in &learners {
            let submission = manifest::load_paths(std::slice::from_ref(folder)).unwrap();
            let result = Grader::new(lab).grade(&submission, lang);
            report.on_event(&Event::LearnerFinished(LearnerResult {
                learner: learner.to_string(),
                variant: None,
                outcome: Outcome::Graded(Box::new(result)),
                duration: Duration::ZERO,
                submission: None,
            }));
        }
        report.on_event(&Event::LearnerFinished(LearnerResult {
            learner: "dee".into(),
            variant: None,
            outcome: Outcome::Failed {
                kind: "input",
                message: "dee/policy.yaml:3:1: not YAML".into(),
                location: None,
                errors: Vec::new(),
            },
            duration: Duration::ZERO,
            submission: None,
        }));
        report.on_event(&Event::Finished {
            duration: Duration::ZERO,
        });
        let text = report.table(WIDTH);
        insta::assert_snapshot!(format!("class-table-{}", lang.code()), text);
    }
}

#[test]
fn network_policy_only_the_allow_policy_names_the_file_to_write() {
    let folder = case("network-policy", "05-allow-policy-only");
    snapshots("network-policy-allow-only", "network-policy", &folder);
}

#[test]
fn private_registry_credential_store_config() {
    let folder = case("private-registry", "29-credential-store-config");
    snapshots("private-registry-creds-store", "private-registry", &folder);
}

#[test]
fn private_registry_auth_with_a_trailing_newline() {
    let folder = case("private-registry", "30-auth-with-trailing-newline");
    snapshots("private-registry-auth-newline", "private-registry", &folder);
}

/// What the real binary prints (exit 2) for YAML it cannot read: a key with no colon
/// and a tab, both files reported in one run, each with its lines and a caret.
#[test]
fn syntax_errors_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("db-deny-policy.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind NetworkPolicy\nmetadata:\n  name: db-deny-ingress\nspec:\n  podSelector: {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tab.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
    )
    .unwrap();
    for lang in Lang::ALL {
        let out = assert_cmd::Command::cargo_bin("kubelab")
            .unwrap()
            .env_remove("KUBECONFIG")
            .env("NO_COLOR", "1")
            .args([
                "grade",
                "network-policy",
                "--offline",
                "--lang",
                lang.code(),
            ])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr =
            String::from_utf8_lossy(&out.stderr).replace(&format!("{}/", dir.path().display()), "");
        insta::assert_snapshot!(format!("syntax-errors-{}", lang.code()), stderr);
    }
}

/// At any terminal width, the report fits and no word of a check's message is cut in
/// two (a table cell wraps at spaces; a narrow terminal gets a list instead of a table).
#[test]
fn words_are_never_cut_and_lines_fit_the_terminal() {
    let catalog = Catalog::embedded().unwrap();
    for (lab, case_name) in [
        ("network-policy", "05-allow-policy-only"),
        ("network-policy", "34-ports-under-the-from-peer"),
        ("private-registry", "29-credential-store-config"),
        ("security-context", "15-deployment-instead-of-pod"),
    ] {
        let lab = catalog.get(lab).unwrap();
        let submission = manifest::load_paths(&[case(&lab.id, case_name)]).unwrap();
        for lang in Lang::ALL {
            let result = Grader::new(lab).grade(&submission, lang);
            for width in [50u16, 72, 80, 100, 140] {
                let text = kubelab::report::table::render(&result, &submission.files, width);
                // The table (or the narrow list), after the title and the notes.
                let table = text.split("\n\n").next().unwrap();
                for line in table.lines().skip(1 + result.notes.len()) {
                    assert!(
                        textwrap::core::display_width(line) <= usize::from(width),
                        "{case_name} {lang:?} at {width}: too wide: {line}"
                    );
                }
                for (_, check) in result.checks() {
                    if check.verdict != kubelab::check::Verdict::Pass {
                        continue;
                    }
                    // A cell holds at most CELL_CHARS characters; its last word may be cut
                    // by that.
                    let cell =
                        kubelab::text::truncate(&check.message, kubelab::report::table::CELL_CHARS);
                    let words: Vec<&str> = cell.split_whitespace().collect();
                    let whole = if cell.len() < check.message.len() {
                        &words[..words.len().saturating_sub(4)]
                    } else {
                        &words[..]
                    };
                    for word in whole {
                        if textwrap::core::display_width(word) < 20 {
                            assert!(
                                table.contains(word),
                                "{case_name} {lang:?} at {width}: `{word}` is cut:\n{table}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Another tool's YAML beside the manifests (a kustomization and Helm values) is skipped
/// with a note, and the rest is graded in the same run.
#[test]
fn other_tools_yaml_is_a_note() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo().join("labs/network-policy/solution")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "resources:\n- db-deny-policy.yaml\n- api-allow-policy.yaml\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("values.yaml"), "replicaCount: 1\n").unwrap();
    for lang in Lang::ALL {
        let text = report("network-policy", dir.path(), lang)
            .replace(&format!("{}/", dir.path().display()), "");
        insta::assert_snapshot!(format!("other-tools-yaml-{}", lang.code()), text);
    }
}
