//! `kubelab class` on the real binary: every corpus case of a lab laid out as one class
//! folder (plus learners whose files cannot be read), graded in one offline run, gets
//! for every learner exactly the verdicts `kubelab grade` gives that learner's folder,
//! check by check; the reports (JSON, CSV, JUnit, table, `--report DIR`) come from that
//! one run; the exit code and the run's usage errors are the documented ones.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::fs::copy_dir;

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
        "minimal-image",
        "egress",
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
            "variant",
            "same_as",
            "reference_solution"
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
        "minimal-image",
        "egress",
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
        // The CSV's column after `error`: the variant.
        let csv = std::fs::read_to_string(dir.path().join("grades.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().nth_back(2),
            Some("variant")
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let statuses: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (&r[0], &r[r.len() - 5], &r[r.len() - 3]))
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
            .contains("the formats are table, json, csv, junit, html, moodle-csv and canvas-csv"),
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
    assert_eq!(
        header[header.len() - 5..header.len() - 2],
        ["student_id", "name", "email"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let park = rows.iter().find(|r| r[0] == "park").unwrap();
    assert_eq!(park[park.len() - 8], "no-submission");
    let sky = rows.iter().find(|r| r[0] == "하늘").unwrap();
    assert_eq!(sky[sky.len() - 4], "'=HYPERLINK(\"x\")");

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

/// Issue 25, item 4: `--output moodle-csv` and `canvas-csv` write the columns those
/// importers expect, one row per roster student: the points (per lab, or per step with
/// `--gradebook-columns steps`), empty for a student with no submission, 0 with the
/// reason in Moodle's feedback for unreadable input; Canvas's `Points Possible` row; a
/// learner not in the roster is left out and named on stderr. Without `--roster` the
/// formats are a usage error (exit 2).
#[test]
fn lms_gradebook_imports_have_the_importers_columns() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    copy_dir(
        &repo().join("labs/network-policy/solution"),
        &class.join("kim"),
    );
    copy_dir(
        &repo().join("labs/network-policy/corpus/10-namespace-selector-empty-alone/submission"),
        &class.join("lee"),
    );
    std::fs::create_dir_all(class.join("choi")).unwrap();
    std::fs::write(class.join("choi/policy.yaml"), "kind: [unclosed\n").unwrap();
    copy_dir(
        &repo().join("labs/network-policy/solution"),
        &class.join("stranger"),
    );
    std::fs::write(
        dir.path().join("roster.csv"),
        "submission,student_id,name,email\n\
         kim,1001,김민준,kim@example.kr\n\
         lee,1002,이서준,lee@example.kr\n\
         choi,1003,=최지우,choi@example.kr\n\
         park,1004,박서연,park@example.kr\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--roster",
            "roster.csv",
            "--output",
            "moodle-csv:moodle.csv",
            "--output",
            "canvas-csv",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("1 learner is not in the roster and is left out of the LMS import: stranger")
            || out
                .stderr
                .contains("stranger is not in the roster and is left out of the LMS import"),
        "{}",
        out.stderr
    );
    let read = |text: &str| -> Vec<Vec<String>> {
        assert!(text.starts_with('\u{feff}'), "no BOM: {text:?}");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    };
    let moodle = read(&std::fs::read_to_string(dir.path().join("moodle.csv")).unwrap());
    assert_eq!(
        moodle[0],
        [
            "ID number",
            "Email address",
            "Full name",
            "kubelab: network-policy",
            "Feedback"
        ]
    );
    let by_id = |rows: &[Vec<String>], column: usize, id: &str| {
        rows.iter()
            .find(|r| r[column] == id)
            .unwrap_or_else(|| panic!("no {id} in {rows:?}"))
            .clone()
    };
    assert_eq!(by_id(&moodle, 0, "1001")[3], "8");
    let lee = by_id(&moodle, 0, "1002");
    assert!(lee[3].parse::<u32>().unwrap() < 8, "{lee:?}");
    assert!(
        lee[4].contains("allow-api/allow-blocks-external"),
        "{lee:?}"
    );
    let choi = by_id(&moodle, 0, "1003");
    assert_eq!(choi[2], "'=최지우");
    assert_eq!(choi[3], "0");
    assert!(choi[4].starts_with("unreadable"), "{choi:?}");
    assert_eq!(by_id(&moodle, 0, "1004")[3], "");
    assert_eq!(
        moodle.len(),
        5,
        "the header and the four roster students: {moodle:?}"
    );
    assert!(
        !moodle
            .iter()
            .any(|r| r.iter().any(|c| c.contains("stranger")))
    );

    let canvas = read(&out.stdout);
    assert_eq!(
        canvas[0],
        [
            "Student",
            "ID",
            "SIS User ID",
            "SIS Login ID",
            "Section",
            "kubelab: network-policy"
        ]
    );
    assert_eq!(canvas[1], ["    Points Possible", "", "", "", "", "8"]);
    assert_eq!(
        by_id(&canvas, 2, "1001"),
        ["김민준", "", "1001", "kim@example.kr", "", "8"]
    );
    assert_eq!(by_id(&canvas, 2, "1004")[5], "");

    // One column per step: each step's points, and the steps' maxima add up to the lab's.
    let steps = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--roster",
            "roster.csv",
            "--gradebook-columns",
            "steps",
            "--csv-bom=false",
            "--output",
            "canvas-csv",
        ],
    );
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(steps.stdout.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(
        rows[0][5..],
        [
            "kubelab: network-policy/baseline",
            "kubelab: network-policy/deny-all",
            "kubelab: network-policy/allow-api"
        ]
    );
    let max: u32 = rows[1][5..].iter().map(|c| c.parse::<u32>().unwrap()).sum();
    assert_eq!(max, 8);
    let kim: u32 = by_id(&rows, 2, "1001")[5..]
        .iter()
        .map(|c| c.parse::<u32>().unwrap())
        .sum();
    assert_eq!(kim, 8);

    // Without a roster: the usage error, saying what to give.
    let out = run(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--output",
            "moodle-csv",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`moodle-csv` writes the LMS's grade import, which identifies each student by the gradebook's id: give the roster with --roster FILE"),
        "{}",
        out.stderr
    );
}

/// Issue 25, item 5: an unreadable learner's row keeps what `kubelab grade` gives: every
/// error with its `help` and the learner's lines (JSON `errors[]`, and the HTML page),
/// the archive's name in place of the folder it was unpacked to.
#[test]
fn an_unreadable_learner_keeps_every_error_with_its_help_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    std::fs::create_dir_all(class.join("choi")).unwrap();
    std::fs::write(class.join("choi/deny.yaml"), "kind: [unclosed\n").unwrap();
    std::fs::write(
        class.join("choi/allow.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",
    )
    .unwrap();
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
            "html:class.html",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let errors = report["learners"][0]["error"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for error in errors {
        assert!(
            error["help"].as_str().is_some_and(|h| !h.is_empty()),
            "{error:#}"
        );
        let snippet = error["snippet"]
            .as_str()
            .unwrap_or_else(|| panic!("{error:#}"));
        assert!(snippet.contains("  > "), "{snippet}");
    }
    assert!(
        errors[1]["snippet"]
            .as_str()
            .unwrap()
            .contains("kind: [unclosed")
    );
    let html = std::fs::read_to_string(dir.path().join("class.html")).unwrap();
    for error in errors {
        let help = error["help"].as_str().unwrap();
        let escaped = help
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(html.contains(&escaped), "the page lacks the help {help:?}");
    }
    assert!(
        html.contains("kind: [unclosed</span>"),
        "the page lacks the lines"
    );
}
