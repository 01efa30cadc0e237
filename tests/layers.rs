//! The top-level modules under `src/` form layers without back edges: no two of them
//! import each other, directly or through others, and every import points down the order
//! the design notes give (issue 20):
//!
//! ```text
//! cli → class/exam → report → grade → check → cluster/policy → lab → manifest/netpol → i18n/text
//! ```
//!
//! The test reads the sources themselves: every `crate::module` path (also inside
//! `use crate::{a::…, b::…}` groups), every `super::` that climbs to the crate root, and
//! every `crate::macro!` whose `#[macro_export]` definition lives in a module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers from the top; a module imports modules of lower layers, or of its own layer in
/// one direction only (the cycle test holds that), never one above it.
const LAYERS: &[&[&str]] = &[
    &["cli"],
    &["class", "exam"],
    &["report"],
    &["grade"],
    &["check"],
    &["cluster", "policy"],
    &["lab"],
    &["manifest", "netpol"],
    &["i18n", "text"],
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file relative to `src/`: `check/offline/field.rs` is
/// `[check, offline, field]`, `check/mod.rs` and `check.rs` are `[check]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// The source without `//` comments (doc links are not imports).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut in_string = false;
            let bytes = line.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' if i == 0 || bytes[i - 1] != b'\\' => in_string = !in_string,
                    b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                        return &line[..i];
                    }
                    _ => {}
                }
                i += 1;
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first identifiers of the items of a `{a::b, c, d::{e, f}}` group (`text` starts
/// after the `{`).
fn group_heads(text: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expecting = true;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expecting = true,
            c if expecting && depth == 0 && (c.is_ascii_alphabetic() || c == '_') => {
                heads.push(ident_at(&text[i..]));
                expecting = false;
            }
            _ => {}
        }
    }
    heads
}

/// The crate-root names one file refers to.
fn root_names(file: &Path, text: &str) -> Vec<String> {
    let code = code(text);
    let mut names = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        // `$crate::` inside a macro names the macro's own crate: the same thing.
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            names.extend(group_heads(group).into_iter().map(String::from));
        } else {
            names.push(ident_at(rest).to_string());
        }
    }
    // `super::` chains that climb above the file's top-level module.
    let depth = module_path(file).len();
    for (i, _) in code.match_indices("super::") {
        if i >= 7 && &code[i - 7..i] == "super::" {
            continue; // counted from the first `super::` of the chain
        }
        let mut rest = &code[i..];
        let mut up = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            up += 1;
            rest = r;
        }
        // A `mod.rs` file's `super` is its module's parent.
        let own = if file.file_name().is_some_and(|n| n == "mod.rs") {
            depth
        } else {
            depth - 1
        };
        if up > own {
            if let Some(group) = rest.strip_prefix('{') {
                names.extend(group_heads(group).into_iter().map(String::from));
            } else {
                names.push(ident_at(rest).to_string());
            }
        }
    }
    names
}

/// `#[macro_export]` macros by name → the top-level module that defines them.
fn exported_macros(files: &[(PathBuf, String)]) -> BTreeMap<String, String> {
    let mut macros = BTreeMap::new();
    for (file, text) in files {
        let Some(top) = module_path(file).first().cloned() else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if line.trim() == "#[macro_export]"
                && let Some(def) = lines[n + 1..]
                    .iter()
                    .find_map(|l| l.trim().strip_prefix("macro_rules!"))
            {
                macros.insert(ident_at(def.trim()).to_string(), top.clone());
            }
        }
    }
    macros
}

/// Edges `from → to` between top-level modules, each with one file that makes it.
fn module_graph() -> BTreeMap<(String, String), PathBuf> {
    let mut paths = Vec::new();
    rust_files(&src(), &mut paths);
    let files: Vec<(PathBuf, String)> = paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    let tops: BTreeSet<String> = LAYERS
        .iter()
        .flat_map(|l| l.iter())
        .map(|s| s.to_string())
        .collect();
    let macros = exported_macros(&files);
    let mut edges = BTreeMap::new();
    for (file, text) in &files {
        let Some(from) = module_path(file).first().cloned() else {
            continue; // lib.rs and main.rs sit above every module
        };
        if !tops.contains(&from) {
            continue;
        }
        for name in root_names(file, text) {
            let to = if tops.contains(&name) {
                name
            } else if let Some(module) = macros.get(&name) {
                module.clone()
            } else {
                continue;
            };
            if to != from {
                edges
                    .entry((from.clone(), to))
                    .or_insert_with(|| file.clone());
            }
        }
    }
    edges
}

/// Every top-level module of `src/` is placed in a layer: a new module must be given one.
#[test]
fn every_top_level_module_has_a_layer() {
    let placed: BTreeSet<&str> = LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
    for entry in std::fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if matches!(name.as_str(), "lib" | "main") {
            continue;
        }
        assert!(
            placed.contains(name.as_str()),
            "src/{name} is in no layer of tests/layers.rs"
        );
    }
}

/// No cycle among the top-level modules: a strongly connected component of more than
/// one module is reported with the imports that close it.
#[test]
fn top_level_modules_import_each_other_in_no_cycle() {
    let edges = module_graph();
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    // A cycle through `a` exists when `a` reaches itself: search from every module.
    let mut cycles = Vec::new();
    for start in next.keys().copied() {
        let mut stack = vec![(start, vec![start])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for &to in next.get(at).map(Vec::as_slice).unwrap_or(&[]) {
                if to == start {
                    let mut cycle = path.clone();
                    cycle.push(to);
                    cycles.push(cycle);
                } else if seen.insert(to) {
                    let mut longer = path.clone();
                    longer.push(to);
                    stack.push((to, longer));
                }
            }
        }
    }
    let explain = |cycle: &Vec<&str>| {
        cycle
            .windows(2)
            .map(|w| {
                let file = &edges[&(w[0].to_string(), w[1].to_string())];
                format!(
                    "  {} → {} ({})",
                    w[0],
                    w[1],
                    file.strip_prefix(src().parent().unwrap())
                        .unwrap()
                        .display()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        cycles.is_empty(),
        "top-level modules import each other:\n{}",
        cycles.iter().map(explain).collect::<Vec<_>>().join("\n\n")
    );
}

/// Every import points down the layers or stays within one: an import of a module of a
/// layer above is a back edge.
#[test]
fn every_import_points_down_the_layers() {
    let layer_of = |module: &str| LAYERS.iter().position(|l| l.contains(&module)).unwrap();
    let back: Vec<String> = module_graph()
        .iter()
        .filter(|((from, to), _)| layer_of(to) < layer_of(from))
        .map(|((from, to), file)| {
            format!(
                "  {from} (layer {}) → {to} (layer {}) in {}",
                layer_of(from),
                layer_of(to),
                file.strip_prefix(src().parent().unwrap())
                    .unwrap()
                    .display()
            )
        })
        .collect();
    assert!(
        back.is_empty(),
        "imports against the order cli → class/exam → report → grade → check → \
         cluster/policy → lab → manifest/netpol → i18n/text:\n{}",
        back.join("\n")
    );
}

/// The reader itself: groups, `super::` climbs and exported macros are seen.
#[test]
fn the_reader_sees_groups_climbs_and_macros() {
    assert_eq!(group_heads("a::b, c, d::{e, f}} rest"), ["a", "c", "d"]);
    let file = src().join("check/offline/field.rs");
    let names = root_names(
        &file,
        "use crate::{grade::x, lab};\nuse super::super::super::report;\n// crate::cli\nlet s = \"//\"; crate::exam::y();",
    );
    assert_eq!(names, ["grade", "lab", "exam", "report"]);
    let edges = module_graph();
    assert!(
        edges.contains_key(&("check".to_string(), "i18n".to_string())),
        "check uses the i18n module's msg! macro: {:?}",
        edges.keys().collect::<Vec<_>>()
    );
}
