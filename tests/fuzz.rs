//! A structure-aware mutation fuzzer of `kubelab grade LAB DIR --offline`, bounded in
//! time, seeded and reproducible; `tests/run` runs it for 60 s.
//!
//! Each case takes a submission of the corpus (`labs/*/corpus/*/submission`, the reference
//! solutions), parses one of its files into values, mutates the tree (nulls, wrong types,
//! unknown and look-alike keys, wide lists, deep nesting, long and hostile strings —
//! control characters, U+FFFE/U+FFFF, escapes — other kinds, `List` wrapping, null map
//! values), writes it back as block YAML, flow YAML or JSON, mutates the text (anchors
//! and aliases, merge keys, complex keys, document markers, CRLF, tabs, a BOM,
//! truncation, byte flips), and grades it with the real binary. Every case must:
//! exit 0, 1 or 2 (never 3 offline, never a signal), print no panic, stay within the time
//! and memory bounds (GNU time's peak RSS of the child), print valid output in the chosen
//! format, and — graded in-process too — render valid JSON, well-formed JUnit XML and a
//! table without control characters.
//!
//! `KUBELAB_FUZZ_SECONDS` (default 60) bounds the run; `KUBELAB_FUZZ_SEED` (default 14)
//! seeds it; case `i` depends only on the seed and `i`, so `KUBELAB_FUZZ_CASE=i` replays
//! one case. A failing case is saved under `target/fuzz-findings/` with how to replay it;
//! once fixed, it becomes a regression test (tests/bounded.rs) or a corpus case.

#[path = "support/inputs.rs"]
mod inputs;
#[path = "support/measure.rs"]
mod measure;

use kubelab::check::Verdict;
use kubelab::grade::Grader;
use kubelab::lab::{Catalog, Lang};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RSS_LIMIT_MIB: f64 = 200.0;
/// Mutations that copy nodes stop at about this many nodes (a 4 MiB file holds at most
/// about two million): the case is generated in this process.
const MAX_NODES: usize = 2_000_000;
const OUTPUTS: [&str; 3] = ["table", "json", "junit"];

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

/// Per input: generous under a debug build, the acceptance bound under release.
fn time_limit() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(20)
    } else {
        Duration::from_secs(5)
    }
}

/// One submission of the corpus: its lab and its files (name, text).
#[derive(Clone)]
struct Seed {
    lab: String,
    files: Vec<(String, String)>,
}

fn seeds() -> Vec<Seed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    let read_dir = |dir: &Path| -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let path = e.unwrap().path();
                let text = std::fs::read_to_string(&path).ok()?;
                Some((path.file_name()?.to_str()?.to_string(), text))
            })
            .collect();
        files.sort();
        files
    };
    for lab in [
        "network-policy",
        "private-registry",
        "security-context",
        "pod-security",
        "allowed-registries",
        "minimal-image",
        "egress",
    ] {
        seeds.push(Seed {
            lab: lab.to_string(),
            files: read_dir(&root.join("labs").join(lab).join("solution")),
        });
        let cases = root.join("labs").join(lab).join("corpus");
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
            .unwrap()
            .map(|e| e.unwrap().path().join("submission"))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            seeds.push(Seed {
                lab: lab.to_string(),
                files: read_dir(&dir),
            });
        }
    }
    seeds
}

// ---- mutations of values ----

/// Keys that Kubernetes objects have, to make look-alike and misplaced fields.
const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "labels",
    "annotations",
    "spec",
    "containers",
    "image",
    "securityContext",
    "runAsUser",
    "runAsGroup",
    "fsGroup",
    "allowPrivilegeEscalation",
    "readOnlyRootFilesystem",
    "capabilities",
    "drop",
    "add",
    "privileged",
    "podSelector",
    "matchLabels",
    "matchExpressions",
    "policyTypes",
    "ingress",
    "egress",
    "from",
    "to",
    "ports",
    "port",
    "endPort",
    "protocol",
    "namespaceSelector",
    "ipBlock",
    "cidr",
    "imagePullSecrets",
    "data",
    "stringData",
    "type",
    "items",
    "serviceAccountName",
    "initContainers",
    "command",
    "args",
    "runAsNonRoot",
    "selector",
    "targetPort",
    "containerPort",
    "<<",
    "",
];

fn hostile_string(rng: &mut StdRng) -> String {
    let pieces = [
        "\u{ffff}",
        "\u{fffe}",
        "\u{1b}[2J",
        "\u{0}",
        "\u{1}",
        "\u{7f}",
        "\u{9b}",
        "\n",
        "\r",
        "\t",
        "\u{202e}",
        "<",
        "&",
        "]]>",
        "\"",
        "'",
        "\\",
        "파드",
        "😀",
        "\u{d7ff}",
        "%",
        "*",
        "&a",
        "!!str",
        "#",
        ": ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "null",
        "~",
        "0x1F",
        "1e400",
        "-0",
        "ALL",
        "role=db",
        "app: api",
    ];
    let mut s = String::new();
    for _ in 0..rng.random_range(1..6) {
        s.push_str(pieces[rng.random_range(0..pieces.len())]);
    }
    s
}

fn random_scalar(rng: &mut StdRng) -> Value {
    match rng.random_range(0..12) {
        0 => Value::Null,
        1 => Value::Bool(rng.random_bool(0.5)),
        2 => Value::from(rng.random_range(-5..70_000)),
        3 => Value::from(i64::MAX),
        4 => Value::from(-2.5e300),
        5 => Value::from(u64::MAX),
        6 => Value::String(hostile_string(rng)),
        7 => Value::String("x".repeat(rng.random_range(0..100_000))),
        8 => Value::String(KEYS[rng.random_range(0..KEYS.len())].to_string()),
        9 => Value::String("1000".into()),
        10 => Value::String(String::new()),
        _ => Value::from(rng.random_range(0..3000)),
    }
}

fn random_key(rng: &mut StdRng, siblings: &Map<String, Value>) -> String {
    match rng.random_range(0..6) {
        0 => hostile_string(rng),
        1 => format!("k{}", rng.random_range(0..1_000_000)),
        2 => {
            // a look-alike of a sibling: case or one letter changed
            let Some(key) = siblings
                .keys()
                .nth(rng.random_range(0..siblings.len().max(1)))
            else {
                return "lables".into();
            };
            let mut chars: Vec<char> = key.chars().collect();
            if !chars.is_empty() {
                let i = rng.random_range(0..chars.len());
                chars[i] = if chars[i].is_uppercase() {
                    chars[i].to_ascii_lowercase()
                } else {
                    chars[i].to_ascii_uppercase()
                };
            }
            chars.into_iter().collect()
        }
        _ => KEYS[rng.random_range(0..KEYS.len())].to_string(),
    }
}

/// The paths of all nodes of `value` (as indexes into maps and lists).
fn node_count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(node_count).sum(),
        Value::Object(map) => map.values().map(node_count).sum(),
        _ => 0,
    }
}

/// The `n`th node of `value` in pre-order.
fn nth_node(value: &mut Value, n: &mut usize) -> Option<*mut Value> {
    if *n == 0 {
        return Some(value as *mut Value);
    }
    *n -= 1;
    match value {
        Value::Array(items) => items.iter_mut().find_map(|v| nth_node(v, n)),
        Value::Object(map) => map.values_mut().find_map(|v| nth_node(v, n)),
        _ => None,
    }
}

fn pick<'v>(rng: &mut StdRng, value: &'v mut Value) -> &'v mut Value {
    let mut n = rng.random_range(0..node_count(value));
    let node = nth_node(value, &mut n).expect("a node in range");
    // SAFETY: the pointer comes from a unique borrow of `value` that ended; it points
    // into `value`, which is borrowed mutably for 'v.
    unsafe { &mut *node }
}

fn nest(rng: &mut StdRng, inner: Value, depth: usize) -> Value {
    let mut value = inner;
    let lists = rng.random_bool(0.5);
    for _ in 0..depth {
        value = if lists {
            Value::Array(vec![value])
        } else {
            let mut map = Map::new();
            map.insert("n".into(), value);
            Value::Object(map)
        };
    }
    value
}

fn mutate_value(rng: &mut StdRng, root: &mut Value) {
    let kind = rng.random_range(0..14);
    let node = pick(rng, root);
    match kind {
        0 => *node = Value::Null,
        1 => *node = random_scalar(rng),
        2 => *node = Value::Array(vec![random_scalar(rng)]),
        3 => *node = Value::Object(Map::new()),
        4 | 5 => {
            if let Value::Object(map) = node {
                let key = random_key(rng, map);
                let value = if rng.random_bool(0.3) {
                    Value::Null
                } else {
                    random_scalar(rng)
                };
                map.insert(key, value);
            } else {
                *node = random_scalar(rng);
            }
        }
        6 => match node {
            Value::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(rng.random_range(0..map.len())).cloned();
                if let Some(key) = key {
                    map.remove(&key);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(rng.random_range(0..items.len()));
            }
            _ => *node = Value::Null,
        },
        7 => {
            // a wide list or mapping (copies of the node bounded in total size)
            let n = [10, 1_000, 20_000, 100_000][rng.random_range(0..4)];
            let copies = n.min(MAX_NODES / node_count(node)).min(2_000);
            *node = if rng.random_bool(0.5) {
                Value::Array(
                    vec![node.clone(); copies]
                        .into_iter()
                        .chain(std::iter::repeat_n(Value::from(1), n))
                        .collect(),
                )
            } else {
                Value::Object((0..n).map(|i| (format!("f{i}"), Value::Null)).collect())
            };
        }
        8 => {
            let depth = [5, 100, 250, 400][rng.random_range(0..4)];
            *node = nest(rng, node.clone(), depth);
        }
        9 => {
            // null map values where maps of strings live
            if let Value::Object(map) = node {
                for key in ["labels", "matchLabels", "data", "stringData", "annotations"] {
                    if let Some(Value::Object(m)) = map.get_mut(key) {
                        let k = m.keys().next().cloned().unwrap_or_else(|| "a".into());
                        m.insert(k, Value::Null);
                    }
                }
                map.insert("labels".into(), serde_json::json!({"a": null}));
            }
        }
        10 => {
            if let Value::Object(map) = node {
                let kinds = [
                    "Pod",
                    "List",
                    "PodList",
                    "Secret",
                    "NetworkPolicy",
                    "Deployment",
                    "ConfigMap",
                    "Service",
                    "Namespace",
                    "Widget",
                    "",
                ];
                map.insert(
                    "kind".into(),
                    Value::from(kinds[rng.random_range(0..kinds.len())]),
                );
            }
        }
        11 => {
            // a List of copies of the whole object
            let n = [1, 3, 1_000, 20_000][rng.random_range(0..4)];
            let n = n.min(MAX_NODES / node_count(root)).max(1);
            let item = root.clone();
            *root = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": vec![item; n]});
        }
        12 => {
            if let Value::Object(map) = node {
                map.insert("name".into(), Value::String(hostile_string(rng)));
            }
        }
        _ => {
            if let Value::String(s) = node {
                s.push_str(&hostile_string(rng));
            } else {
                *node = Value::String(hostile_string(rng));
            }
        }
    }
}

// ---- writing values back as text ----

fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                out.push_str(&format!("{pad}{}:", quoted(k)));
                match v {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        block(v, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        block(v, indent, out);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&serde_json::to_string(v).unwrap());
                        out.push('\n');
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        block(item, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        block(item, indent + 2, out);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&serde_json::to_string(item).unwrap());
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&serde_json::to_string(other).unwrap());
            out.push('\n');
        }
    }
}

fn write_values(rng: &mut StdRng, values: &[Value]) -> String {
    let style = rng.random_range(0..4);
    let mut out = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        match style {
            0 => out.push_str(&serde_json::to_string(value).unwrap()),
            1 => out.push_str(&serde_json::to_string_pretty(value).unwrap()),
            _ => block(value, 0, &mut out),
        }
        out.push('\n');
    }
    out
}

// ---- mutations of text ----

fn mutate_text(rng: &mut StdRng, text: &mut String) {
    let lines: Vec<&str> = text.lines().collect();
    let at_line = |rng: &mut StdRng| rng.random_range(0..lines.len().max(1));
    match rng.random_range(0..12) {
        0 => {
            // an anchor on a line's value and aliases to it
            let i = at_line(rng);
            let mut new: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            if let Some(line) = new.get_mut(i)
                && let Some(p) = line.find(": ")
            {
                line.insert_str(p + 2, "&fz ");
                new.push("zz: [*fz, *fz, *fz]".into());
            }
            *text = new.join("\n");
        }
        1 => {
            let depth = rng.random_range(1..300);
            let n = [10, 10_000, 200_000][rng.random_range(0..3)];
            let anchors: String = (0..depth).map(|i| format!("&n{i} [")).collect();
            let ones = vec!["1"; n].join(",");
            let alias = if rng.random_bool(0.3) {
                "\nzy: *n0"
            } else {
                ""
            };
            text.push_str(&format!(
                "\nzx: {anchors}[{ones}]{}{alias}\n",
                "]".repeat(depth)
            ));
        }
        2 => text.push_str("\nmerged:\n  <<: [{a: 1}, {b: 2}]\n  <<: {c: 3}\n"),
        3 => text.push_str("\n? [a, {b: c}]\n: 1\n"),
        4 => *text = text.replace('\n', "\r\n"),
        5 => *text = format!("\u{feff}{text}"),
        6 => {
            let cut = rng.random_range(0..text.len().max(1));
            let cut = (0..=cut)
                .rev()
                .find(|&c| text.is_char_boundary(c))
                .unwrap_or(0);
            text.truncate(cut);
        }
        7 => {
            // a byte replaced by a YAML indicator
            if !text.is_empty() {
                let i = rng.random_range(0..text.len());
                if text.is_char_boundary(i) && text.is_char_boundary(i + 1) {
                    let c = [
                        "{", "}", "[", "]", ":", "-", "\t", "&", "*", "!", "|", ">", "'", "\"",
                        "%", "@", "`", "#",
                    ][rng.random_range(0..18)];
                    text.replace_range(i..i + 1, c);
                }
            }
        }
        8 => text.push_str("\n---\n--- !!map\n...\n"),
        9 => {
            let i = at_line(rng);
            let mut new: Vec<&str> = lines.clone();
            if let Some(line) = lines.get(i) {
                for _ in 0..rng.random_range(1..50) {
                    new.insert(i, line);
                }
            }
            *text = new.join("\n");
        }
        10 => text.push_str(&format!("\n{}: 1\n", quoted(&hostile_string(rng)))),
        _ => text.push_str("\nstr: !!str 1\nint: !!int \"1\"\nbin: !!binary aGk=\n"),
    }
}

// ---- one case ----

struct Case {
    lab: String,
    files: Vec<(String, Vec<u8>)>,
    about: String,
}

fn make_case(seeds: &[Seed], seed: u64, index: u64) -> Case {
    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(index));
    let base = &seeds[rng.random_range(0..seeds.len())];
    let target = rng.random_range(0..base.files.len());
    let mut files = Vec::new();
    let mut about = String::new();
    for (i, (name, text)) in base.files.iter().enumerate() {
        if i != target {
            files.push((name.clone(), text.as_bytes().to_vec()));
            continue;
        }
        let values: Vec<Value> = kubelab::manifest::load_text(name, text)
            .map(|objects| objects.into_iter().map(|o| o.value).collect())
            .unwrap_or_default();
        let mut text = if values.is_empty() || rng.random_bool(0.2) {
            text.clone()
        } else {
            let mut values = values;
            let mutations = rng.random_range(1..4);
            for _ in 0..mutations {
                let v = rng.random_range(0..values.len());
                mutate_value(&mut rng, &mut values[v]);
            }
            about.push_str(&format!("{mutations} value mutations; "));
            write_values(&mut rng, &values)
        };
        let text_mutations = rng.random_range(0..3);
        for _ in 0..text_mutations {
            mutate_text(&mut rng, &mut text);
        }
        about.push_str(&format!("{text_mutations} text mutations of {name}"));
        let mut bytes = text.into_bytes();
        if rng.random_bool(0.03) && !bytes.is_empty() {
            let i = rng.random_range(0..bytes.len());
            bytes[i] = [0xff, 0x00, 0xc3, 0x80][rng.random_range(0..4)];
            about.push_str(", a raw byte");
        }
        let name = if rng.random_bool(0.05) {
            format!("\u{1b}[2J{}\n.yaml", i)
        } else {
            name.clone()
        };
        files.push((name, bytes));
    }
    Case {
        lab: base.lab.clone(),
        files,
        about,
    }
}

/// Everything wrong with one case (empty when it behaved), and the exit code.
fn check_case(case: &Case, output: &str) -> (Vec<String>, Option<i32>) {
    let mut code = None;
    let problems = check_case_into(case, output, &mut code);
    (problems, code)
}

fn check_case_into(case: &Case, output: &str, code: &mut Option<i32>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &case.files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let mut command = Command::new(inputs::kubelab_binary());
    command
        .current_dir(dir.path())
        .env("COLUMNS", "100")
        .env("LANG", "C")
        .env_remove("KUBELAB_LABS")
        .args(["grade", &case.lab, ".", "--offline", "--output", output]);
    // The bound is on CPU time, which other work on a busy machine does not inflate; the
    // wall-clock kill, well past it, only ends a hang.
    let run = measure::run(command, time_limit() * 4 + Duration::from_secs(5));
    *code = run.code;
    let mut problems = Vec::new();
    let stderr = run.stderr_text();
    if run.timed_out {
        problems.push(format!("still running after {:?} (killed)", run.elapsed));
    } else if run.cpu > time_limit() {
        problems.push(format!(
            "took {:?} of CPU (bound {:?})",
            run.cpu,
            time_limit()
        ));
    }
    if run.peak_rss_mib() >= RSS_LIMIT_MIB {
        problems.push(format!("peak RSS {:.1} MiB", run.peak_rss_mib()));
    }
    if !matches!(run.code, Some(0..=2)) {
        problems.push(format!(
            "exit {:?} (signal {:?}): {}",
            run.code,
            run.signal,
            &stderr[..stderr.len().min(500)]
        ));
    }
    if stderr.contains("panicked") {
        problems.push(format!("panic: {stderr}"));
    }
    if stderr.chars().any(|c| c.is_control() && c != '\n') {
        problems.push(format!("control characters on stderr: {stderr:?}"));
    }
    let Ok(stdout) = std::str::from_utf8(&run.stdout) else {
        problems.push("stdout is not UTF-8".into());
        return problems;
    };
    if run.code == Some(2) {
        // Unreadable input: no table, but JSON and JUnit still print one document that
        // names the error.
        match output {
            "json" => match serde_json::from_str::<Value>(stdout) {
                Ok(doc) if doc["error"]["message"].is_string() => {}
                Ok(doc) => problems.push(format!("exit 2 without an error document: {doc}")),
                Err(e) => problems.push(format!("invalid JSON on bad input: {e}")),
            },
            "junit" => problems.extend(invalid_output("junit", stdout)),
            _ if !stdout.is_empty() => problems.push("a table on bad input".into()),
            _ => {}
        }
        return problems;
    }
    if !problems.is_empty() {
        return problems;
    }
    problems.extend(invalid_output(output, stdout));
    // The other formats, in-process (the child showed the case ends in time), on a
    // thread watched with the same bound.
    let (sender, receiver) = std::sync::mpsc::channel();
    let path = dir.path().to_path_buf();
    let lab_id = case.lab.clone();
    std::thread::spawn(move || {
        let catalog = Catalog::embedded().expect("the embedded labs");
        sender.send(in_process(&catalog, &lab_id, &path)).ok();
    });
    match receiver.recv_timeout(time_limit() + Duration::from_secs(5)) {
        Ok(found) => problems.extend(
            found
                .into_iter()
                .map(|p| format!("{p} (exit {:?} from the CLI)", run.code)),
        ),
        Err(_) => problems.push(format!(
            "in-process grading still running after {:?}",
            time_limit()
        )),
    }
    problems
}

/// Loads, grades and renders the three formats in this process.
fn in_process(catalog: &Catalog, lab: &str, dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let submission = match kubelab::manifest::load_paths(&[dir.to_path_buf()]) {
        Ok(submission) => submission,
        Err(e) => {
            problems.push(format!("in-process: {e}"));
            return problems;
        }
    };
    let lab = catalog.get(lab).expect("the lab");
    let result = Grader::new(lab).grade(&submission, Lang::En);
    if result.count(Verdict::Error) > 0 {
        problems.push("an `error` verdict offline (an environment error, exit 3)".into());
    }
    let json = kubelab::report::json::render(&result);
    problems.extend(invalid_output("json", &json));
    let junit = kubelab::report::junit::render(&result);
    problems.extend(invalid_output("junit", &junit));
    let table = kubelab::report::table::render(&result, &submission.files, 100);
    problems.extend(invalid_output("table", &table));
    problems
}

fn invalid_output(output: &str, text: &str) -> Option<String> {
    match output {
        "json" => serde_json::from_str::<Value>(text)
            .err()
            .map(|e| format!("invalid JSON: {e}")),
        "junit" => roxmltree::Document::parse(text)
            .err()
            .map(|e| format!("invalid JUnit XML: {e}")),
        _ => text
            .chars()
            .any(|c| c.is_control() && c != '\n')
            .then(|| "control characters in the table".to_string()),
    }
}

fn save(seed: u64, index: u64, case: &Case, problems: &[String]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/fuzz-findings")
        .join(format!("seed-{seed}-case-{index}"));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, (_, bytes)) in case.files.iter().enumerate() {
        std::fs::write(dir.join(format!("file-{i}.yaml")), bytes).unwrap();
    }
    let names: Vec<String> = case.files.iter().map(|(n, _)| format!("{n:?}")).collect();
    std::fs::write(
        dir.join("README"),
        format!(
            "lab: {}\nfiles (as named in the case): {}\n{}\nproblems:\n{}\nreplay: KUBELAB_FUZZ_SEED={seed} KUBELAB_FUZZ_CASE={index} cargo test --test fuzz -- --nocapture\n",
            case.lab,
            names.join(", "),
            case.about,
            problems.join("\n")
        ),
    )
    .unwrap();
    dir
}

#[test]
fn fuzz_the_offline_grader() {
    let seconds = env_number("KUBELAB_FUZZ_SECONDS", 60);
    let seed = env_number("KUBELAB_FUZZ_SEED", 14);
    let only = std::env::var("KUBELAB_FUZZ_CASE")
        .ok()
        .map(|c| c.parse::<u64>().expect("KUBELAB_FUZZ_CASE is a number"));
    let seeds = seeds();
    assert!(seeds.len() > 50, "the corpus is missing: {}", seeds.len());
    let start = Instant::now();
    let mut findings = Vec::new();
    let mut cases = 0;
    let mut codes = [0usize; 3];
    let mut index = only.unwrap_or(0);
    while start.elapsed() < Duration::from_secs(seconds) || (only.is_some() && cases == 0) {
        let case = make_case(&seeds, seed, index);
        let output = OUTPUTS[(index % 3) as usize];
        let (problems, code) = check_case(&case, output);
        cases += 1;
        if let Some(c @ 0..=2) = code {
            codes[c as usize] += 1;
        }
        if !problems.is_empty() {
            let saved = save(seed, index, &case, &problems);
            eprintln!(
                "fuzz finding: seed {seed} case {index} ({}; --output {output}): {} → {}",
                case.about,
                problems.join("; "),
                saved.display()
            );
            findings.push(index);
        }
        if only.is_some() {
            break;
        }
        index += 1;
    }
    eprintln!(
        "fuzz: seed {seed}, {cases} cases in {:.0?} (exit 0: {}, 1: {}, 2: {}), {} findings",
        start.elapsed(),
        codes[0],
        codes[1],
        codes[2],
        findings.len()
    );
    assert!(
        findings.is_empty(),
        "{} fuzz findings (seed {seed}): cases {findings:?}; see target/fuzz-findings/",
        findings.len()
    );
}
