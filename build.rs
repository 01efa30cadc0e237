//! Embeds every file under `labs/` so that the binary carries its labs wherever it is
//! installed; `--labs DIR` still loads a folder (for lab authors).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut out = String::new();
    embed(&manifest_dir.join("labs"), "EMBEDDED_LAB_FILES", &mut out);
    embed(
        &manifest_dir.join("solutions"),
        "EMBEDDED_SOLUTION_FILES",
        &mut out,
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_labs.rs");
    std::fs::write(dest, out).unwrap();
    let mut i18n = String::new();
    embed(&manifest_dir.join("i18n"), "EMBEDDED_I18N_FILES", &mut i18n);
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_i18n.rs");
    std::fs::write(dest, i18n).unwrap();
}

/// A static array of (path relative to `root`, contents) for every file under `root`.
fn embed(root: &Path, name: &str, out: &mut String) {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, files);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json" | "md" | "ftl")
        ) {
            files.push(path);
        }
    }
}
