//! Embeds every lab under `labs/` so that the binary carries its labs wherever it is
//! installed; `--labs DIR` still loads a folder (for lab authors). A lab folder's
//! `solution/` is embedded apart (`kubelab solve`); its `corpus/` (the lab's test cases,
//! read by `kubelab lab test` and the tests from the folder) is never embedded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut out = String::new();
    let labs = manifest_dir.join("labs");
    // labs/<id>/… without labs/<id>/solution/ and labs/<id>/corpus/.
    embed(
        &labs,
        "EMBEDDED_LAB_FILES",
        &mut out,
        &|relative: &str, _| {
            let mut parts = relative.split('/');
            parts.next();
            !matches!(parts.next(), Some("solution" | "corpus"))
        },
    );
    // labs/<id>/solution/<file>, named `<id>/<file>`.
    embed(
        &labs,
        "EMBEDDED_SOLUTION_FILES",
        &mut out,
        &|relative: &str, dir| {
            let mut parts = relative.split('/');
            parts.next();
            match parts.next() {
                None => dir,
                Some(second) => second == "solution",
            }
        },
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_labs.rs");
    std::fs::write(dest, out).unwrap();
    let mut i18n = String::new();
    embed(
        &manifest_dir.join("i18n"),
        "EMBEDDED_I18N_FILES",
        &mut i18n,
        &|_: &str, _| true,
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_i18n.rs");
    std::fs::write(dest, i18n).unwrap();
}

/// A static array of (path relative to `root`, contents) for every file under `root`
/// and folder whose relative path `keep` accepts (given whether it is a folder); a
/// `solution/` folder is left out of the name (`network-policy/db-deny-policy.yaml`).
fn embed(root: &Path, name: &str, out: &mut String, keep: &dyn Fn(&str, bool) -> bool) {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, root, keep, &mut files);
    files.sort();
    writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = relative(root, file).replacen("/solution/", "/", 1);
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

fn collect(root: &Path, dir: &Path, keep: &dyn Fn(&str, bool) -> bool, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !keep(&relative(root, &path), path.is_dir()) {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, keep, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json" | "md" | "ftl")
        ) {
            files.push(path);
        }
    }
}
