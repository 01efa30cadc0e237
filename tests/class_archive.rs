//! `kubelab class` with learners handed in as archives (`.zip`, `.tar.gz`, `.tgz`): each
//! is graded exactly as its unpacked folder, and a hostile archive (zip slip, absolute
//! path, link, zip bomb, too many entries, corrupt bytes, two submissions under one id)
//! is that learner's `input` error while the others are graded — nothing is written
//! outside the temporary folder, and nothing is left behind after the run.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;

mod common;
use common::archive::{files, tar_bytes, tar_bz2_of, tar_gz_of, tar_xz_of, zip_of};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A raw tar entry with any name (tar::Builder refuses `..`, as it should).
fn raw_tar_gz(path: &Path, name: &str, kind: tar::EntryType, link: Option<&str>, bytes: &[u8]) {
    let mut header = tar::Header::new_old();
    {
        let raw = header.as_old_mut();
        raw.name[..name.len()].copy_from_slice(name.as_bytes());
    }
    header.set_entry_type(kind);
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    if let Some(link) = link {
        header.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
    }
    header.set_cksum();
    let mut data = header.as_bytes().to_vec();
    data.extend_from_slice(bytes);
    data.resize(data.len().div_ceil(512) * 512 + 1024, 0);
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(&data).unwrap();
    gz.finish().unwrap();
}

fn class(dir: &Path, tmp: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = Command::cargo_bin("kubelab")
        .unwrap()
        .env("TMPDIR", tmp)
        .env("LANG", "C")
        .env_remove("KUBECONFIG")
        .env_remove("KUBELAB_LABS")
        .args(["class", "network-policy"])
        .arg(dir)
        .args(["--offline", "--output", "json"])
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn learner<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["learner"] == id)
        .unwrap_or_else(|| panic!("no learner {id} in {report:#}"))
}

/// Every check's (step, check, verdict).
fn verdicts(result: &Value) -> Vec<(String, String, String)> {
    result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|step| {
            step["checks"].as_array().unwrap().iter().map(move |c| {
                (
                    step["id"].as_str().unwrap().to_string(),
                    c["id"].as_str().unwrap().to_string(),
                    c["verdict"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

#[test]
fn archives_are_graded_as_their_folders_and_hostile_ones_are_refused() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("class");
    let tmp = work.path().join("tmp");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let right = files(&repo().join("labs/network-policy/solution"));
    let wrong: Vec<(String, Vec<u8>)> = right.iter().take(1).cloned().collect();
    // Right and wrong answers as folders, zips and tarballs (one nested in a folder, as
    // zipping a folder gives).
    for (id, entries) in [("folder-right", &right), ("folder-wrong", &wrong)] {
        std::fs::create_dir(dir.join(id)).unwrap();
        for (name, bytes) in entries.iter() {
            std::fs::write(dir.join(id).join(name), bytes).unwrap();
        }
    }
    let nested: Vec<(String, Vec<u8>)> = right
        .iter()
        .map(|(n, b)| (format!("my-answers/{n}"), b.clone()))
        .collect();
    zip_of(&dir.join("zip-right.zip"), &nested);
    zip_of(&dir.join("zip-wrong.zip"), &wrong);
    tar_gz_of(&dir.join("tar-right.tar.gz"), &right);
    let misplaced: Vec<(String, Vec<u8>)> = right
        .iter()
        .map(|(n, b)| {
            let text = String::from_utf8(b.clone()).unwrap();
            (
                n.clone(),
                text.replace("role: db", "role: dbx").into_bytes(),
            )
        })
        .collect();
    zip_of(&dir.join("zip-located.zip"), &misplaced);
    tar_gz_of(&dir.join("tgz-wrong.tgz"), &wrong);
    // Hostile archives.
    zip_of(
        &dir.join("slip.zip"),
        &[("../../escaped.yaml".into(), b"kind: Pod".to_vec())],
    );
    zip_of(
        &dir.join("absolute.zip"),
        &[("/tmp/escaped-abs.yaml".into(), b"x: 1".to_vec())],
    );
    raw_tar_gz(
        &dir.join("tarslip.tar.gz"),
        "../escaped-tar.yaml",
        tar::EntryType::Regular,
        None,
        b"x: 1\n",
    );
    raw_tar_gz(
        &dir.join("link.tar.gz"),
        "passwd.yaml",
        tar::EntryType::Symlink,
        Some("/etc/passwd"),
        b"",
    );
    // 64 MiB of zeros compress to ~64 KiB: refused on the bytes really decompressed.
    zip_of(
        &dir.join("bomb.zip"),
        &[("bomb.yaml".into(), vec![b' '; 64 << 20])],
    );
    let many: Vec<(String, Vec<u8>)> = (0..1_001)
        .map(|i| (format!("f{i}.txt"), Vec::new()))
        .collect();
    zip_of(&dir.join("many.zip"), &many);
    std::fs::write(dir.join("corrupt.zip"), b"PK\x03\x04 not really a zip").unwrap();
    std::fs::write(dir.join("corrupt-tar.tgz"), b"\x1f\x8b\x08 broken gzip").unwrap();
    // Two submissions under one id; a stray file that is no archive.
    std::fs::create_dir(dir.join("twice")).unwrap();
    zip_of(&dir.join("twice.zip"), &right);
    std::fs::write(dir.join("README.txt"), "not a learner").unwrap();

    let (code, report, stderr) = class(&dir, &tmp, &[]);
    assert_eq!(code, 1, "{stderr}{report:#}");
    // The stray file is a row too: no entry of the class folder vanishes.
    let message = learner(&report, "README.txt")["error"]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("neither a folder nor an archive"),
        "{message}"
    );
    let ids: Vec<&str> = report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["learner"].as_str().unwrap())
        .filter(|id| *id != "README.txt")
        .collect();
    assert_eq!(
        ids,
        [
            "absolute",
            "bomb",
            "corrupt",
            "corrupt-tar",
            "folder-right",
            "folder-wrong",
            "link",
            "many",
            "slip",
            "tar-right",
            "tarslip",
            "tgz-wrong",
            "twice",
            "zip-located",
            "zip-right",
            "zip-wrong"
        ]
    );
    // Archives are graded as the folders with the same files.
    assert_eq!(learner(&report, "folder-right")["passed"], true);
    for id in ["zip-right", "tar-right"] {
        assert_eq!(learner(&report, id)["passed"], true, "{id}");
        assert_eq!(
            verdicts(learner(&report, id)),
            verdicts(learner(&report, "folder-right"))
        );
    }
    for id in ["zip-wrong", "tgz-wrong"] {
        assert_eq!(learner(&report, id)["passed"], false, "{id}");
        assert_eq!(
            verdicts(learner(&report, id)),
            verdicts(learner(&report, "folder-wrong"))
        );
    }
    // A file in an archive is shown as `<archive>:<path in it>`, never by the temporary
    // folder it was unpacked to.
    let text = report.to_string();
    assert!(
        !text.contains("kubelab-learner-"),
        "a temporary path shows: {report:#}"
    );
    let located: Vec<&str> = learner(&report, "zip-located")["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .filter_map(|c| c["location"]["file"].as_str())
        .collect();
    assert!(
        !located.is_empty()
            && located
                .iter()
                .all(|f| f.contains("class/zip-located.zip:") && f.ends_with("-policy.yaml")),
        "{located:?}"
    );
    // Each hostile archive: an input error saying what and where.
    for (id, says) in [
        ("slip", "climbs out of the archive"),
        ("absolute", "absolute path"),
        ("tarslip", "climbs out of the archive"),
        ("link", "is a link; only files are read"),
        ("bomb", "is larger than 4194304 bytes"),
        ("many", "more than 1000 entries"),
        ("corrupt", "not a readable ZIP archive"),
        ("corrupt-tar", "not a readable .tar.gz archive"),
        ("twice", "two submissions for learner `twice`"),
    ] {
        let row = learner(&report, id);
        assert_eq!(row["passed"], false, "{id}");
        assert_eq!(row["error"]["kind"], "input", "{id}: {row:#}");
        let message = row["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{id}: {message}");
    }
    // The same problems in Korean with `--lang ko`.
    let (_, ko, _) = class(&dir, &tmp, &["--lang", "ko"]);
    for (id, says) in [
        ("slip", "압축 파일 밖을 가리킵니다"),
        ("link", "링크입니다"),
        ("twice", "제출물이 두 개입니다"),
    ] {
        let message = learner(&ko, id)["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{id}: {message}");
    }
    // Nothing escaped, and every unpacked folder is gone after the run.
    for escaped in ["escaped.yaml", "escaped-tar.yaml"] {
        assert!(!work.path().join(escaped).exists());
        assert!(!dir.join(escaped).exists());
        assert!(!tmp.join(escaped).exists());
    }
    assert!(!Path::new("/tmp/escaped-abs.yaml").exists());
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left behind in TMPDIR: {left:?}");
}

fn ids(report: &Value) -> Vec<String> {
    report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["learner"].as_str().unwrap().to_string())
        .collect()
}

/// Issue 25: every entry of the class folder is a row (dotfiles, `__MACOSX` and the
/// run's own reports aside): tars of every compression are graded, RAR and 7z and stray
/// files are error rows saying what to hand in, links are followed only inside the class
/// folder, and Moodle's folder-per-student holding one zip is that zip.
#[test]
fn no_learner_vanishes_from_the_class() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("class");
    let tmp = work.path().join("tmp");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let right = files(&repo().join("labs/network-policy/solution"));
    let wrong: Vec<(String, Vec<u8>)> = right.iter().take(1).cloned().collect();
    let folder = |id: &str, entries: &[(String, Vec<u8>)]| {
        std::fs::create_dir_all(dir.join(id)).unwrap();
        for (name, bytes) in entries {
            std::fs::write(dir.join(id).join(name), bytes).unwrap();
        }
    };
    folder("folder-right", &right);
    std::fs::write(dir.join("plain.tar"), tar_bytes(&right)).unwrap();
    tar_xz_of(&dir.join("xz.tar.xz"), &right);
    tar_bz2_of(&dir.join("bz.tar.bz2"), &right);
    tar_xz_of(&dir.join("xz-wrong.txz"), &wrong);
    std::fs::write(dir.join("rar.rar"), b"Rar!\x1a\x07\x01\x00 not read").unwrap();
    std::fs::write(dir.join("seven.7z"), b"7z\xbc\xaf\x27\x1c not read").unwrap();
    std::fs::write(dir.join("notes.txt"), "a stray file").unwrap();
    std::fs::write(dir.join("corrupt.tar.xz"), b"\xfd7zXZ\x00 broken").unwrap();
    // Not learners: a dotfile, macOS's metadata folder, the run's own reports (a file
    // and a `--report` folder).
    std::fs::write(dir.join(".DS_Store"), b"\x00\x00").unwrap();
    std::fs::create_dir(dir.join("__MACOSX")).unwrap();
    std::fs::write(dir.join("__MACOSX/._plain.tar"), b"\x00").unwrap();
    std::fs::write(dir.join("class.csv"), "learner\n").unwrap();
    // Links: inside the class folder (to a folder, to an archive) followed; outside
    // it, or nowhere, an error row.
    let outside = work.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    for (name, bytes) in &right {
        std::fs::write(outside.join(name), bytes).unwrap();
    }
    std::os::unix::fs::symlink("folder-right", dir.join("linked")).unwrap();
    std::os::unix::fs::symlink("xz.tar.xz", dir.join("linked-archive")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("escaped")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd.zip")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.join("broken")).unwrap();
    // Moodle: a folder per student holding their one zip.
    let moodle = "김하늘_1234567_assignsubmission_file_";
    std::fs::create_dir(dir.join(moodle)).unwrap();
    zip_of(&dir.join(moodle).join("week3.zip"), &right);
    let moodle_rar = "박민수_7654321_assignsubmission_file_";
    std::fs::create_dir(dir.join(moodle_rar)).unwrap();
    std::fs::write(dir.join(moodle_rar).join("week3.rar"), b"Rar!").unwrap();
    // A name macOS wrote decomposed (NFD) is the learner's composed (NFC) id.
    let nfd = "\u{1112}\u{1161}\u{1102}\u{1173}\u{11af}"; // 하늘, decomposed
    folder(nfd, &right);

    std::fs::create_dir(dir.join("reports")).unwrap();
    std::fs::write(dir.join("reports/class.txt"), "an earlier run").unwrap();
    let csv = format!("csv:{}", dir.join("class.csv").display());
    let reports = dir.join("reports").display().to_string();
    let (code, report, stderr) = class(&dir, &tmp, &["--output", &csv, "--report", &reports]);
    assert_eq!(code, 1, "{stderr}{report:#}");
    let mut expected = vec![
        "broken",
        "bz",
        "corrupt",
        "escaped",
        "folder-right",
        "linked",
        "linked-archive",
        "notes.txt",
        "passwd",
        "plain",
        "rar",
        "seven",
        "xz",
        "xz-wrong",
        "김하늘_1234567_assignsubmission_file_",
        "박민수_7654321_assignsubmission_file_",
        "하늘",
    ];
    expected.sort();
    assert_eq!(ids(&report), expected);
    for id in [
        "folder-right",
        "plain",
        "xz",
        "bz",
        "linked",
        "linked-archive",
        moodle,
        "하늘",
    ] {
        assert_eq!(learner(&report, id)["passed"], true, "{id}: {report:#}");
        assert_eq!(
            verdicts(learner(&report, id)),
            verdicts(learner(&report, "folder-right"))
        );
    }
    assert_eq!(learner(&report, "xz-wrong")["passed"], false);
    assert!(learner(&report, "xz-wrong")["error"].is_null());
    for (id, says) in [
        ("rar", "RAR and 7z archives are not read: hand in a .zip"),
        ("seven", "hand in a .zip"),
        (moodle_rar, "hand in a .zip"),
        ("notes.txt", "neither a folder nor an archive"),
        ("corrupt", "not a readable .tar.xz archive"),
        ("escaped", "outside the class folder"),
        ("passwd", "outside the class folder"),
        ("broken", "a link that leads nowhere"),
    ] {
        let row = learner(&report, id);
        assert_eq!(row["passed"], false, "{id}");
        assert_eq!(row["error"]["kind"], "input", "{id}: {row:#}");
        let message = row["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{id}: {message}");
    }
    let (_, ko, _) = class(&dir, &tmp, &["--lang", "ko", "--output", &csv]);
    for (id, says) in [
        ("rar", ".zip 파일로 제출하십시오"),
        ("notes.txt", "폴더도 아니고"),
        ("escaped", "반 폴더 밖(`"),
    ] {
        let message = learner(&ko, id)["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{id}: {message}");
    }
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left behind in TMPDIR: {left:?}");
}
