//! `kubelab class` on the real binary: every corpus case of a lab laid out as one class
//! folder (plus learners whose files cannot be read), graded in one offline run, gets
//! for every learner exactly the verdicts `kubelab grade` gives that learner's folder,
//! check by check; the reports (JSON, CSV, JUnit, table, `--report DIR`) come from that
//! one run; the exit code and the run's usage errors are the documented ones.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("kubelab")
        .unwrap()
        .current_dir(dir)
        .env("COLUMNS", "120")
        .env("LANG", "C")
        .env_remove("KUBELAB_LABS")
        .env_remove("KUBECONFIG")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A class folder `class/` in a temp dir: one learner per corpus case of `lab`, plus a
/// learner with malformed YAML and one with an empty folder.
fn class_of(lab: &str) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    let mut learners = Vec::new();
    for case in std::fs::read_dir(repo().join("labs").join(lab).join("corpus")).unwrap() {
        let case = case.unwrap().path();
        let id = case.file_name().unwrap().to_string_lossy().into_owned();
        copy_dir(&case.join("submission"), &class.join(&id));
        learners.push(id);
    }
    std::fs::create_dir_all(class.join("zz-malformed")).unwrap();
    std::fs::write(
        class.join("zz-malformed/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",
    )
    .unwrap();
    std::fs::create_dir_all(class.join("zz-nothing")).unwrap();
    learners.push("zz-malformed".into());
    learners.push("zz-nothing".into());
    learners.sort();
    (dir, learners)
}

/// The verdicts of a grade result: (passed, score, refused count, [(step, check, verdict)]).
fn verdicts(result: &Value) -> (bool, u64, usize, Vec<(String, String, String)>) {
    let checks = result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["checks"].as_array().unwrap().iter().map(move |c| {
                (
                    s["id"].as_str().unwrap().to_string(),
                    c["id"].as_str().unwrap().to_string(),
                    c["verdict"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    (
        result["passed"].as_bool().unwrap(),
        result["score"].as_u64().unwrap(),
        result["refused"].as_array().unwrap().len(),
        checks,
    )
}

#[test]
fn every_learner_gets_the_verdicts_grade_gives_them() {
    let mut compared = 0;
    for lab in [
        "network-policy",
        "security-context",
        "private-registry",
        "pod-security",
        "allowed-registries",
    ] {
        let (dir, learners) = class_of(lab);
        let out = run(
            dir.path(),
            &["class", lab, "class", "--offline", "--output", "json"],
        );
        assert_eq!(out.code, 1, "some learners fail: {}", out.stderr);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(report["lab"], lab);
        assert_eq!(report["mode"], "offline");
        let rows = report["learners"].as_array().unwrap();
        let ids: Vec<&str> = rows
            .iter()
            .map(|r| r["learner"].as_str().unwrap())
            .collect();
        assert_eq!(ids, learners, "one row per learner, sorted");
        assert_eq!(report["summary"]["learners"], learners.len());
        for row in rows {
            let id = row["learner"].as_str().unwrap();
            let folder = format!("class/{id}");
            let single = run(
                dir.path(),
                &["grade", lab, &folder, "--offline", "--output", "json"],
            );
            let single: Value = serde_json::from_str(&single.stdout)
                .unwrap_or_else(|e| panic!("{lab}/{id}: grade printed no JSON: {e}"));
            if single["error"].is_object() {
                assert_eq!(row["error"]["kind"], single["error"]["kind"], "{id}");
                assert_eq!(row["error"]["message"], single["error"]["message"], "{id}");
                assert_eq!(row["error"]["line"], single["error"]["line"], "{id}");
                assert_eq!(row["passed"], false);
            } else {
                assert!(row["error"].is_null(), "{id}: {}", row["error"]);
                assert_eq!(verdicts(row), verdicts(&single), "{lab}/{id}");
                // the same locations too
                assert_eq!(row["steps"], single["steps"], "{lab}/{id}");
            }
            compared += 1;
        }
        let malformed = rows
            .iter()
            .find(|r| r["learner"] == "zz-malformed")
            .unwrap();
        assert_eq!(malformed["error"]["file"], "class/zz-malformed/pod.yaml");
        assert_eq!(malformed["error"]["line"], 3);
    }
    assert!(compared >= 80, "only {compared} learners compared");
}

#[test]
fn one_run_writes_every_report() {
    let (dir, learners) = class_of("security-context");
    let out = run(
        dir.path(),
        &[
            "class",
            "security-context",
            "class",
            "--offline",
            "--report",
            "reports",
            "--output",
            "csv",
            "--output",
            "junit:grades.xml",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    // CSV on stdout: a header and one row per learner
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "learner",
            "score",
            "max_score",
            "secure-pod",
            "verify",
            "status",
            "error",
            "variant"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), learners.len());
    let seed = rows.iter().find(|r| &r[0] == "01-seed-verbatim").unwrap();
    assert_eq!((&seed[1], &seed[2], &seed[5]), ("8", "8", "passed"));
    let broken = rows.iter().find(|r| &r[0] == "zz-malformed").unwrap();
    assert_eq!(
        (&broken[1], &broken[2], &broken[5]),
        ("0", "8", "unreadable")
    );
    // Why it was not graded, in the row; nothing for a graded learner.
    assert!(
        broken[6].contains("zz-malformed/pod.yaml:3"),
        "{:?}",
        &broken[6]
    );
    assert_eq!(&seed[6], "");
    // Graded against the seed material's exercise: no variant.
    assert_eq!(&seed[7], "");
    // the other reports, from the same run
    let junit = std::fs::read_to_string(dir.path().join("grades.xml")).unwrap();
    assert!(
        junit.contains("testsuite name=\"01-seed-verbatim/secure-pod\""),
        "{junit}"
    );
    assert!(
        junit.contains("<skipped"),
        "exec checks are skipped offline"
    );
    assert!(junit.contains("testsuite name=\"zz-malformed/error\""));
    // a privileged pod is refused: the learner's refused suite says so
    assert!(
        junit.contains("testsuite name=\"20-privileged-escalation-omitted/refused\""),
        "{junit}"
    );
    for file in ["class.txt", "class.json", "class.csv", "class.junit.xml"] {
        let text = std::fs::read_to_string(dir.path().join("reports").join(file)).unwrap();
        assert!(text.contains("01-seed-verbatim"), "{file}");
    }
    let table = std::fs::read_to_string(dir.path().join("reports/class.txt")).unwrap();
    assert!(
        table.contains("runs-as-uid-1000"),
        "the per-check shares: {table}"
    );
    assert!(table.contains("learners passed"), "{table}");
}

/// `--variant-per-learner`: `han` and `kim` hand in the reference solution of their own
/// variant (`kubelab solve LAB --variant ID`), `lee` the seed exercise's. With the flag
/// each is graded against the variant of their id: the first two pass, `lee` fails with
/// the located note that their files have the seed's values — exactly what `kubelab
/// grade --variant ID` gives each. Without it, everyone is graded against the seed's
/// exercise: only `lee` passes.
#[test]
fn variant_per_learner_grades_each_learner_against_their_own_variant() {
    for lab in [
        "network-policy",
        "security-context",
        "private-registry",
        "pod-security",
        "allowed-registries",
    ] {
        let dir = tempfile::tempdir().unwrap();
        for id in ["han", "kim"] {
            let folder = format!("class/{id}");
            let out = run(
                dir.path(),
                &["solve", lab, "--variant", id, "--write", &folder],
            );
            assert_eq!(out.code, 0, "{lab}: solve --variant {id}: {}", out.stderr);
        }
        copy_dir(
            &repo().join("labs").join(lab).join("solution"),
            &dir.path().join("class/lee"),
        );

        let out = run(
            dir.path(),
            &[
                "class",
                lab,
                "class",
                "--offline",
                "--variant-per-learner",
                "--output",
                "json",
                "--output",
                "csv:grades.csv",
            ],
        );
        assert_eq!(out.code, 1, "{lab}: lee fails: {}", out.stderr);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        assert!(
            report["notes"][0]
                .as_str()
                .unwrap()
                .contains("--variant-per-learner"),
            "{lab}: {}",
            report["notes"]
        );
        let rows = report["learners"].as_array().unwrap();
        let by_id = |id: &str| rows.iter().find(|r| r["learner"] == id).unwrap();
        for id in ["han", "kim", "lee"] {
            let row = by_id(id);
            assert_eq!(row["variant"], id, "{lab}/{id}");
            assert!(row["error"].is_null(), "{lab}/{id}: {}", row["error"]);
            let folder = format!("class/{id}");
            let single = run(
                dir.path(),
                &[
                    "grade",
                    lab,
                    &folder,
                    "--offline",
                    "--variant",
                    id,
                    "--output",
                    "json",
                ],
            );
            let single: Value = serde_json::from_str(&single.stdout).unwrap();
            assert_eq!(row["steps"], single["steps"], "{lab}/{id}");
            assert_eq!(row["notes"], single["notes"], "{lab}/{id}");
        }
        assert_eq!(by_id("han")["passed"], true, "{lab}");
        assert_eq!(by_id("kim")["passed"], true, "{lab}");
        let lee = by_id("lee");
        assert_eq!(lee["passed"], false, "{lab}");
        let notes: Vec<&str> = lee["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("class/lee/") && n.contains("in your variant (`lee`)")),
            "{lab}: the located variant note: {notes:?}"
        );
        // The CSV's last column: the variant.
        let csv = std::fs::read_to_string(dir.path().join("grades.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().next_back(),
            Some("variant")
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let statuses: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (&r[0], &r[r.len() - 3], &r[r.len() - 1]))
            .collect();
        assert_eq!(
            statuses,
            [
                ("han", "passed", "han"),
                ("kim", "passed", "kim"),
                ("lee", "failed", "lee")
            ],
            "{lab}"
        );

        // Without the flag: the seed's exercise for everyone.
        let out = run(
            dir.path(),
            &["class", lab, "class", "--offline", "--output", "json"],
        );
        assert_eq!(out.code, 1, "{lab}: {}", out.stderr);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        let rows = report["learners"].as_array().unwrap();
        let verdicts: Vec<(&str, bool, &Value)> = rows
            .iter()
            .map(|r| {
                (
                    r["learner"].as_str().unwrap(),
                    r["passed"].as_bool().unwrap(),
                    &r["variant"],
                )
            })
            .collect();
        assert_eq!(
            verdicts,
            [
                ("han", false, &Value::Null),
                ("kim", false, &Value::Null),
                ("lee", true, &Value::Null)
            ],
            "{lab}"
        );
    }
}

#[test]
fn an_all_passing_class_exits_0_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for learner in ["ana", "bo"] {
        copy_dir(
            &repo().join("labs/network-policy/solution"),
            &dir.path().join("class").join(learner),
        );
    }
    let out = run(
        dir.path(),
        &["class", "network-policy", "class", "--offline"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("2/2 learners passed"), "{}", out.stdout);

    let out = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--output",
            "json",
            "--output",
            "csv",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("only one report can go to stdout"),
        "{}",
        out.stderr
    );

    assert!(out.stdout.is_empty(), "{}", out.stdout);

    // A run that cannot happen still gives a machine report one complete document.
    let out = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "no-such-class",
            "--offline",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["lab"], "network-policy");
    assert_eq!(doc["learners"], serde_json::json!([]));
    assert!(doc["summary"].is_null());
    assert_eq!(doc["error"]["kind"], "usage");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("no-such-class: cannot be read as a class folder"),
        "{message}"
    );
    assert!(out.stderr.contains("cannot be read as a class folder"));
    let out = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "no-such-class",
            "--offline",
            "--output",
            "junit",
        ],
    );
    assert_eq!(out.code, 2);
    let xml = roxmltree::Document::parse(&out.stdout).unwrap();
    let error = xml
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an <error> element");
    assert!(
        error
            .attribute("message")
            .unwrap()
            .contains("cannot be read as a class folder"),
        "{}",
        out.stdout
    );

    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let out = run(
        dir.path(),
        &["class", "network-policy", "empty", "--offline"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("has no learner subfolder"),
        "{}",
        out.stderr
    );

    let out = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--output",
            "pdf",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("the formats are table, json, csv, junit and html"),
        "{}",
        out.stderr
    );
}

/// Issue 25: the CSV opens in Korean Excel as UTF-8 (a byte order mark, unless
/// `--csv-bom=false`) and runs no formula a learner's name carries (OWASP's leading
/// `'`), in the CSV only: the JSON keeps the name as it is.
#[test]
fn csv_has_a_bom_and_runs_no_formula() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    let solution = repo().join("labs/network-policy/solution");
    let names = ["=1+2", "+cmd", "-2", "@SUM(A1)", "김하늘", "plain"];
    for name in names {
        copy_dir(&solution, &class.join(name));
    }
    let args = |extra: &[&'static str]| {
        let mut args = vec!["class", "network-policy", "class", "--offline"];
        args.extend_from_slice(extra);
        args
    };
    let out = run(dir.path(), &args(&["--output", "csv"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("\u{feff}learner,"),
        "{:?}",
        out.stdout
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let learners: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(
        learners,
        ["'+cmd", "'-2", "'=1+2", "'@SUM(A1)", "plain", "김하늘"]
    );
    // `--csv-bom=false`: the same CSV without the mark.
    let plain = run(dir.path(), &args(&["--output", "csv", "--csv-bom=false"]));
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(plain.stdout.starts_with("learner,"), "{:?}", plain.stdout);
    assert_eq!(plain.stdout, out.stdout.trim_start_matches('\u{feff}'));
    // The JSON is not a spreadsheet: names as they are.
    let json = run(dir.path(), &args(&["--output", "json"]));
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["learners"][2]["learner"], "=1+2");
}

/// Issue 25: `--roster` gives each learner the gradebook's student (names compared in
/// NFC: a folder macOS named decomposed is the roster's composed name), a student with
/// no submission is a row "no submission", a learner not in the roster is named in a
/// note; a roster without its columns is the run's usage error (exit 2).
#[test]
fn roster_maps_learners_and_names_the_absent() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    let solution = repo().join("labs/network-policy/solution");
    let nfd = "\u{1112}\u{1161}\u{1102}\u{1173}\u{11af}"; // 하늘, decomposed
    for name in ["kim", nfd, "stranger"] {
        copy_dir(&solution, &class.join(name));
    }
    std::fs::write(
        dir.path().join("roster.csv"),
        "\u{feff}submission,student_id,name,email\n\
         kim/,1001,김민준,kim@example.kr\n\
         하늘.zip,1003,=HYPERLINK(\"x\"),sky@example.kr\n\
         park,1004,박서연,park@example.kr\n",
    )
    .unwrap();
    let args = [
        "class",
        "network-policy",
        "class",
        "--offline",
        "--roster",
        "roster.csv",
        "--output",
        "json",
        "--output",
        "csv:grades.csv",
    ];
    let out = run(dir.path(), &args);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let row = |id: &str| {
        report["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["learner"] == id)
            .unwrap_or_else(|| panic!("no {id}: {report:#}"))
            .clone()
    };
    assert_eq!(row("kim")["student"]["id"], "1001");
    assert_eq!(row("kim")["passed"], true);
    assert_eq!(row("하늘")["student"]["id"], "1003");
    assert_eq!(row("하늘")["passed"], true);
    assert!(row("stranger")["student"].is_null());
    assert_eq!(row("park")["student"]["email"], "park@example.kr");
    assert_eq!(row("park")["error"]["kind"], "absent");
    assert!(
        row("park")["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("no submission"),
        "{:#}",
        row("park")
    );
    assert_eq!(report["summary"]["no_submission"], 1);
    assert_eq!(report["learners"].as_array().unwrap().len(), 4);
    assert!(
        report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "1 learner is not in the roster: stranger"),
        "{:#}",
        report["notes"]
    );
    let csv = std::fs::read_to_string(dir.path().join("grades.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[header.len() - 3..], ["student_id", "name", "email"]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let park = rows.iter().find(|r| r[0] == "park").unwrap();
    assert_eq!(park[park.len() - 6], "no-submission");
    let sky = rows.iter().find(|r| r[0] == "하늘").unwrap();
    assert_eq!(sky[sky.len() - 2], "'=HYPERLINK(\"x\")");

    // A roster without its columns: exit 2, saying which.
    std::fs::write(dir.path().join("bad.csv"), "name,email\n").unwrap();
    let mut bad = args;
    bad[5] = "bad.csv";
    let out = run(dir.path(), &bad[..6]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "bad.csv: the roster needs a header row with the columns `submission` (the folder or archive name) and `student_id`"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("submission,student_id,name,email"),
        "{}",
        out.stderr
    );
}

/// Issue 25, item 8: one report path that cannot be written does not lose the others:
/// `ok.json` is written, then the run fails (exit 3) naming the path that failed.
#[test]
fn one_bad_report_path_does_not_lose_the_others() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("labs/network-policy/solution"),
        &dir.path().join("class/kim"),
    );
    let out = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--output",
            "csv:no-such-folder/x.csv",
            "--output",
            "json:ok.json",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no-such-folder/x.csv: cannot write the report:"),
        "{}",
        out.stderr
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("ok.json")).unwrap())
            .unwrap();
    assert_eq!(json["learners"][0]["learner"], "kim");
}
