//! Generators of the pathological inputs of issue 14 (none is committed as a file), each
//! a variation of a reference solution of growing size `n`. Shared by
//! `tests/bounded.rs` and `benches/bounded.rs` (included with `#[path]`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The reference solution's secure-pod.yaml (security-context lab).
pub fn secure_pod() -> String {
    solution("security-context", "secure-pod.yaml")
}

/// A reference solution file.
pub fn solution(lab: &str, file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("labs")
        .join(lab)
        .join("solution")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// secure-pod.yaml with an extra top-level field `x:` (written before `spec:`).
pub fn pod_with_x(x: &str) -> String {
    secure_pod().replacen("spec:\n", &format!("x: {x}\nspec:\n"), 1)
}

/// `[1,1,…]` with `n` items.
fn ones(n: usize) -> String {
    let mut list = String::with_capacity(2 * n + 2);
    list.push('[');
    for i in 0..n {
        if i > 0 {
            list.push(',');
        }
        list.push('1');
    }
    list.push(']');
    list
}

/// Item 1: `x:` is `depth` nested anchored flow lists around `n` ones:
/// `&a0 [&a1 [ … [1,1,…] … ]]`, no alias. 250 × 30,000 is the fuzzer's 62 KB file.
pub fn nested_anchors(depth: usize, n: usize) -> String {
    let mut x = String::new();
    for i in 0..depth {
        x.push_str(&format!("&a{i} ["));
    }
    x.push_str(&ones(n));
    x.push_str(&"]".repeat(depth));
    pod_with_x(&x)
}

/// Item 1 with aliases: the same nesting, and `y:` refers to every anchor once.
pub fn nested_anchors_aliased(depth: usize, n: usize) -> String {
    let aliases: Vec<String> = (0..depth).map(|i| format!("*a{i}")).collect();
    nested_anchors(depth, n).replacen(
        "spec:\n",
        &format!("y: [{}]\nspec:\n", aliases.join(", ")),
        1,
    )
}

/// Item 2: `x: [1,1,…]` with `n` items (2,000,000 is a 4 MB file).
pub fn wide_list(n: usize) -> String {
    pod_with_x(&ones(n))
}

/// Item 3: a Pod with `n` distinct unknown fields in `spec`.
pub fn unknown_fields(n: usize) -> String {
    let mut fields = String::with_capacity(12 * n);
    for i in 0..n {
        fields.push_str(&format!("  unknown{i}: 1\n"));
    }
    secure_pod().replacen("spec:\n", &format!("spec:\n{fields}"), 1)
}

/// Item 3: a `PodList` with `n` empty items, in flow style (40,000 is 120 KB).
pub fn pod_list(n: usize) -> String {
    let items = vec!["{}"; n].join(",");
    format!("apiVersion: v1\nkind: PodList\nitems: [{items}]\n")
}

/// Item 3: secure-pod with a `metadata.name` of `n` characters and no spaces.
pub fn long_name(n: usize) -> String {
    secure_pod().replacen("name: secure-pod", &format!("name: {}", "a".repeat(n)), 1)
}

/// Item 4: `labels: {a: null}` in the metadata of the object named `name` in `text`.
pub fn null_label(text: &str, name: &str) -> String {
    let from = format!("  name: {name}\n");
    assert!(text.contains(&from), "{name} not in {text}");
    text.replacen(&from, &format!("{from}  labels: {{a: null}}\n"), 1)
}

/// A temporary folder holding `files` (name, content).
pub fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).expect("writing an input");
    }
    dir
}

/// The kubelab binary that cargo built for this test or bench.
pub fn kubelab_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kubelab"))
}
