//! Issue 25's must-show, live: a messy class hand-in — archives of every kind, Moodle's
//! folder per student, a roster with an absent student and a learner it does not list,
//! a decomposed (NFD) Korean name, names that would be spreadsheet formulas, a link out
//! of the class folder, RAR and stray files — graded on the test cluster gives every
//! learner a row, and each row is what offline grading gives (passed, error kind,
//! student, and every check's verdict that offline can grade). Every namespace of the
//! run is gone afterwards.
//!
//! Needs the test cluster (`tests/cluster/up`); fails loudly without it.

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;
use common::archive::{files, tar_bytes, tar_bz2_of, tar_gz_of, tar_xz_of, zip_of};

fn class(dir: &Path, mode: &str) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubelab"))
        .env("LANG", "C")
        .env_remove("KUBECONFIG")
        .env_remove("KUBELAB_LABS")
        .current_dir(dir)
        .args(["class", "network-policy", "class", mode])
        .args(["--roster", "roster.csv", "--jobs", "8", "--output", "json"])
        .arg("--kubeconfig")
        .arg(common::rbac_kubeconfig())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    (out.status.code().unwrap(), json, stderr)
}

/// One learner's row as both modes must agree on it; checks offline skips (they need a
/// cluster) are left out.
fn row(learner: &Value, skipped: &[String]) -> String {
    let checks: Vec<String> = learner["steps"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .flat_map(|s| s["checks"].as_array().unwrap())
                .filter(|c| !skipped.iter().any(|id| c["id"] == id.as_str()))
                .map(|c| {
                    format!(
                        "{}={}",
                        c["id"].as_str().unwrap(),
                        c["verdict"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "passed={} error={} student={} refused={} checks={checks:?}",
        learner["passed"],
        learner["error"]["kind"],
        learner["student"]["id"],
        learner["refused"].as_array().map_or(0, Vec::len)
    )
}

#[test]
fn a_messy_class_is_graded_live_as_offline_and_no_learner_vanishes() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("class");
    std::fs::create_dir_all(&dir).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let right = files(&repo.join("labs/network-policy/solution"));
    let wrong: Vec<(String, Vec<u8>)> = right.iter().take(1).cloned().collect();
    let folder = |id: &str, entries: &[(String, Vec<u8>)]| {
        std::fs::create_dir_all(dir.join(id)).unwrap();
        for (name, bytes) in entries {
            std::fs::write(dir.join(id).join(name), bytes).unwrap();
        }
    };
    folder("folder-right", &right);
    folder("folder-wrong", &wrong);
    zip_of(&dir.join("zipped.zip"), &right);
    tar_gz_of(&dir.join("gzipped.tar.gz"), &right);
    tar_gz_of(&dir.join("short.tgz"), &wrong);
    std::fs::write(dir.join("plain.tar"), tar_bytes(&right)).unwrap();
    tar_xz_of(&dir.join("xz.tar.xz"), &right);
    tar_bz2_of(&dir.join("bz.tar.bz2"), &wrong);
    std::fs::write(dir.join("rar.rar"), b"Rar!\x1a\x07\x01\x00 not read").unwrap();
    std::fs::write(dir.join("notes.txt"), "a stray file").unwrap();
    // Moodle: a folder per student holding their one archive.
    let moodle = "김하늘_1234567_assignsubmission_file_";
    std::fs::create_dir(dir.join(moodle)).unwrap();
    zip_of(&dir.join(moodle).join("week3.zip"), &right);
    let moodle_rar = "박민수_7654321_assignsubmission_file_";
    std::fs::create_dir(dir.join(moodle_rar)).unwrap();
    std::fs::write(dir.join(moodle_rar).join("week3.rar"), b"Rar!").unwrap();
    // A name macOS wrote decomposed (NFD); names a spreadsheet would run.
    folder("\u{1112}\u{1161}\u{1102}\u{1173}\u{11af}", &right); // 하늘
    folder("=1+2", &right);
    folder("@SUM(A1)", &wrong);
    // A link out of the class folder.
    let outside = work.path().join("outside");
    folder("../outside", &right);
    std::os::unix::fs::symlink(&outside, dir.join("escaped")).unwrap();
    std::fs::write(
        work.path().join("roster.csv"),
        "submission,student_id,name,email\n\
         folder-right,1001,김민준,kim@example.kr\n\
         =1+2,1002,=HYPERLINK(\"x\"),formula@example.kr\n\
         하늘,1003,이하늘,sky@example.kr\n\
         김하늘_1234567_assignsubmission_file_,1234567,김하늘,haneul@example.kr\n\
         absent,1005,최지우,absent@example.kr\n",
    )
    .unwrap();

    let (offline_code, offline, offline_err) = class(work.path(), "--offline");
    assert_eq!(offline_code, 1, "{offline_err}");
    let started = Instant::now();
    let (live_code, live, live_err) = class(work.path(), "--live");
    println!(
        "{} learners graded live in {:.0}s",
        live["learners"].as_array().map_or(0, Vec::len),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(live_code, 1, "{live_err}\n{live:#}");
    assert_eq!(live["mode"], "live", "{live:#}");

    let mut expected = vec![
        "absent",
        "bz",
        "escaped",
        "folder-right",
        "folder-wrong",
        "gzipped",
        "notes.txt",
        "plain",
        "rar",
        "short",
        "xz",
        "zipped",
        "=1+2",
        "@SUM(A1)",
        moodle,
        moodle_rar,
        "하늘",
    ];
    expected.sort();
    let ids = |report: &Value| -> Vec<String> {
        let mut ids: Vec<String> = report["learners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["learner"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&offline), expected, "offline: {offline:#}");
    assert_eq!(ids(&live), expected, "live: {live:#}");

    // The network-policy lab's connectivity is simulated offline, so this is likely
    // empty: every check is then compared.
    let skipped: Vec<String> = offline["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["learner"] == "folder-right")
        .unwrap()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .filter(|c| c["verdict"] == "skip")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let rows = |report: &Value| -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = report["learners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["learner"].as_str().unwrap().to_string(), row(l, &skipped)))
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(rows(&offline), rows(&live), "offline and live disagree");

    let learner = |id: &str| {
        live["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["learner"] == id)
            .unwrap()
            .clone()
    };
    // The right hand-ins pass every check live, the ones only a cluster grades too.
    for id in [
        "folder-right",
        "zipped",
        "gzipped",
        "plain",
        "xz",
        "=1+2",
        moodle,
        "하늘",
    ] {
        let l = learner(id);
        assert_eq!(l["passed"], true, "{id}: {l:#}");
        assert_eq!(l["score"], l["max_score"], "{id}");
    }
    for id in ["folder-wrong", "short", "bz", "@SUM(A1)"] {
        let l = learner(id);
        assert_eq!(l["passed"], false, "{id}");
        assert!(l["error"].is_null(), "{id}: {l:#}");
    }
    for id in ["rar", "notes.txt", "escaped", moodle_rar] {
        assert_eq!(learner(id)["error"]["kind"], "input", "{id}");
    }
    assert_eq!(learner("absent")["error"]["kind"], "absent");
    assert_eq!(learner("하늘")["student"]["id"], "1003");
    assert_eq!(learner(moodle)["student"]["id"], "1234567");
    assert_eq!(live["summary"]["no_submission"], 1);

    // Every namespace the run graded in is gone.
    let graded_in: Vec<String> = live["learners"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["notes"].as_array().unwrap())
        .filter_map(|n| {
            n.as_str()?
                .split_whitespace()
                .find(|w| w.starts_with("kubelab-network-policy-"))
                .map(str::to_string)
        })
        .collect();
    assert_eq!(graded_in.len(), 12, "{graded_in:?}");
    common::wait_gone(&graded_in);
}
