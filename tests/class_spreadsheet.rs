//! The class CSV opened in a real spreadsheet program: LibreOffice Calc (headless)
//! imports it as UTF-8, converts it to `.xlsx`, and the cells are read back from the
//! workbook's XML. The Korean names are intact, the byte order mark is not in a cell,
//! and no learner-controlled text became a formula. The same import of a CSV that is not
//! neutralised shows the detector working: `=1+2` becomes a formula there.
//!
//! LibreOffice is required: a machine without `/usr/bin/soffice` fails this test
//! (tests/run installs `libreoffice-calc-nogui`).

use std::io::Read as _;
use std::path::{Path, PathBuf};

mod common;
use common::fs::copy_dir;

const SOFFICE: &str = "/usr/bin/soffice";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `csv` imported by LibreOffice Calc as UTF-8 comma-separated text and saved as
/// `.xlsx`: (the first sheet's XML, the shared strings' XML).
fn through_calc(csv: &Path, scratch: &Path) -> (String, String) {
    assert!(
        Path::new(SOFFICE).exists(),
        "{SOFFICE} is missing: this test needs LibreOffice Calc \
         (apt-get install -y --no-install-recommends libreoffice-calc-nogui; tests/run installs it)"
    );
    let profile = tempfile::tempdir_in(scratch).unwrap();
    let out = tempfile::tempdir_in(scratch).unwrap();
    let status = std::process::Command::new(SOFFICE)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
        ])
        .arg("--outdir")
        .arg(out.path())
        .arg(csv)
        .output()
        .unwrap();
    assert!(status.status.success(), "soffice: {status:?}");
    let name = csv.file_stem().unwrap().to_string_lossy();
    let file = std::fs::File::open(out.path().join(format!("{name}.xlsx")))
        .unwrap_or_else(|e| panic!("soffice wrote no {name}.xlsx ({e}): {status:?}"));
    let mut workbook = zip::ZipArchive::new(file).unwrap();
    let mut read = |entry: &str| {
        let mut text = String::new();
        workbook
            .by_name(entry)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    (
        read("xl/worksheets/sheet1.xml"),
        read("xl/sharedStrings.xml"),
    )
}

/// The shared strings, unescaped.
fn strings(shared: &str) -> Vec<String> {
    shared
        .split("<t xml:space=\"preserve\">")
        .skip(1)
        .chain(shared.split("<t>").skip(1))
        .map(|s| {
            s[..s.find("</t>").unwrap()]
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn the_class_csv_opens_in_calc_with_korean_names_and_no_formula() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    let names = ["김하늘", "=1+2", "@SUM(A1)", "+cmd", "-2+3", "박서연"];
    for name in names {
        copy_dir(
            &repo().join("labs/network-policy/solution"),
            &class.join(name),
        );
    }
    let out = assert_cmd::Command::cargo_bin("kubelab")
        .unwrap()
        .current_dir(dir.path())
        .env("LANG", "C")
        .env_remove("KUBECONFIG")
        .args([
            "class",
            "network-policy",
            "class",
            "--offline",
            "--output",
            "csv:class.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (sheet, shared) = through_calc(&dir.path().join("class.csv"), dir.path());
    assert!(!sheet.contains("<f"), "a cell became a formula: {sheet}");
    let cells = strings(&shared);
    assert!(
        cells.contains(&"learner".to_string()),
        "the header (no BOM in it): {cells:?}"
    );
    for name in ["김하늘", "박서연"] {
        assert!(
            cells.contains(&name.to_string()),
            "{name} is not a cell: {cells:?}"
        );
    }
    for name in ["=1+2", "@SUM(A1)", "+cmd", "-2+3"] {
        assert!(
            cells.contains(&format!("'{name}")),
            "{name} is not text: {cells:?}"
        );
    }

    // The detector: the same import of an unneutralised cell makes a formula.
    let raw = dir.path().join("raw.csv");
    std::fs::write(&raw, "\u{feff}learner,score\n=1+2,8\n").unwrap();
    let (sheet, _) = through_calc(&raw, dir.path());
    assert!(
        sheet.contains("<f"),
        "=1+2 should be a formula here: {sheet}"
    );
}
