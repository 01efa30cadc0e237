//! The Korean a learner reads is written Korean: no machine-made particle pair (`이(가)`,
//! `을(를)`, …: a particle goes after a Korean noun, or after a number whose reading
//! decides it) and no English of the parsers (the YAML parser's `while parsing a block
//! mapping, …`, the base64 decoder's `Invalid symbol 32, offset 76.`, serde_json's
//! `trailing comma at line 1 column 79`).
//!
//! Graded offline in Korean, through the library, and rendered as the terminal shows
//! them: every case of `labs/<id>/corpus` and `tests/hostile` (the input errors of a case that
//! cannot be read), every lab's untouched scenario (an empty submission) and reference
//! solution, and the seed's solution graded against a variant. A set of malformed files
//! (`MALFORMED`) is read in both languages: neither says the parser's English, and each
//! mistake is located at its line with the learner's lines shown.

use kubelab::grade::Grader;
use kubelab::i18n::Lang;
use kubelab::lab::Catalog;
use kubelab::manifest::{self, Submission};
use kubelab::report::failure::InputReport;
use std::path::{Path, PathBuf};

/// The particle pairs that only a machine writes.
const MACHINE_PARTICLES: &[&str] = &[
    "이(가)",
    "을(를)",
    "은(는)",
    "(으)로",
    "와(과)",
    "과(와)",
    "를(을)",
    "가(이)",
    "는(은)",
    "로(으로)",
    "(이)라는",
    "(이)어야",
];

/// Words of the base64 decoder and of serde_json (the YAML parser's are read from its
/// sources: [`parser_words`]).
const DECODER_WORDS: &[&str] = &[
    "Invalid symbol",
    "Invalid last symbol",
    "Invalid input length",
    "Invalid padding",
    "EOF while parsing",
    "trailing comma",
    "trailing characters",
    "expected value",
    "expected ident",
    "key must be a string",
    "at line ",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// Every message of the vendored YAML parser (`ScanError::new_str(mark, "…")`), as its
/// sources write them: the English that must never reach a learner.
fn parser_words() -> Vec<String> {
    let mut words = Vec::new();
    for file in ["scanner.rs", "parser.rs", "input.rs", "input/str.rs"] {
        let path = repo().join("vendor/saphyr-parser/src").join(file);
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        for marker in ["ScanError::new_str(", "Err(\""] {
            for (at, _) in source.match_indices(marker) {
                let rest = &source[at + marker.len()..];
                // The message is the first string literal of the call.
                let rest = if marker.ends_with('"') {
                    rest
                } else {
                    let Some(open) = rest.find('"') else { continue };
                    if rest[..open].contains(';') {
                        continue;
                    }
                    &rest[open + 1..]
                };
                let Some(close) = rest.find('"') else {
                    continue;
                };
                let literal = rest[..close].trim_end_matches('#');
                if literal.len() >= 12 && !literal.contains('{') {
                    words.push(literal.to_string());
                }
            }
        }
    }
    words.sort();
    words.dedup();
    words
}

/// What is wrong with `text`, a Korean output named `name`.
fn problems(name: &str, text: &str, parser: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        for pair in MACHINE_PARTICLES {
            if line.contains(pair) {
                out.push(format!("{name}: machine-made `{pair}`: {}", line.trim()));
            }
        }
        for words in parser
            .iter()
            .map(String::as_str)
            .chain(DECODER_WORDS.iter().copied())
        {
            if line.contains(words) {
                out.push(format!("{name}: parser English `{words}`: {}", line.trim()));
            }
        }
        if line.contains("?.") {
            out.push(format!("{name}: a period after `?`: {}", line.trim()));
        }
    }
    out
}

/// The Korean text of grading `paths` (the input errors when they cannot be read).
fn graded(grader: &Grader, paths: &[PathBuf]) -> String {
    match manifest::load_paths(paths) {
        Ok(submission) => table(grader, &submission),
        Err(errors) => InputReport::new(&errors, Lang::Ko).render(),
    }
}

fn table(grader: &Grader, submission: &Submission) -> String {
    let result = grader.grade(submission, Lang::Ko);
    kubelab::report::table::render(&result, &submission.files, 200)
}

#[test]
fn every_korean_grade_has_written_particles_and_no_parser_english() {
    let parser = parser_words();
    assert!(
        parser
            .iter()
            .any(|w| w.contains("did not find expected key")),
        "the parser's messages were not found in vendor/saphyr-parser: {parser:?}"
    );
    let catalog = Catalog::embedded().unwrap();
    let mut found = Vec::new();
    let mut graded_count = 0;
    for lab in catalog.labs() {
        let grader = Grader::new(lab);
        let untouched = table(&grader, &Submission::default());
        found.extend(problems(
            &format!("{}/untouched", lab.id),
            &untouched,
            &parser,
        ));
        let solution = repo().join("labs").join(&lab.id).join("solution");
        let text = graded(&grader, std::slice::from_ref(&solution));
        found.extend(problems(&format!("{}/solution", lab.id), &text, &parser));
        // The seed's answer to a variant: notes on the values that differ, objects of
        // other names.
        let variant = lab.variant(Some("han@example.com")).unwrap();
        let text = graded(&Grader::new(&variant), std::slice::from_ref(&solution));
        found.extend(problems(&format!("{}/variant", lab.id), &text, &parser));
        graded_count += 3;
        let own_corpus = format!("labs/{}/corpus", lab.id);
        let hostile = format!("tests/hostile/{}", lab.id);
        for corpus in [own_corpus, hostile] {
            let cases = repo().join(&corpus);
            if !cases.is_dir() {
                continue;
            }
            for case in dirs(&cases) {
                let name = format!("{corpus}/{}", case.file_name().unwrap().to_string_lossy());
                let text = graded(&grader, &[case.join("submission")]);
                found.extend(problems(&name, &text, &parser));
                graded_count += 1;
            }
        }
    }
    assert!(graded_count > 100, "only {graded_count} submissions graded");
    assert!(
        found.is_empty(),
        "{} problems in the Korean output:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// A malformed file: (name, text, the line its error must point at, words the English
/// message must have).
const MALFORMED: &[(&str, &str, usize, &str)] = &[
    (
        "missing-colon-in-a-list-item",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: secure-pod\nspec:\n  containers:\n  - name secure-container\n    image: busybox:1.28\n",
        7,
        "`name` has no `:`",
    ),
    (
        "missing-colon-after-a-bare-key",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec\n  containers:\n  - name: a\n",
        5,
        "`spec` has no `:`",
    ),
    (
        "unclosed-list-at-the-end",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: secure-pod\nspec:\n  containers:\n  - name: secure-container\n    image: busybox:1.28\n    command: [\"sh\", \"-c\", \"sleep 1h\"\n",
        9,
        "a `]` is missing",
    ),
    (
        "unclosed-list-over-two-lines",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    command: [\"sh\", \"-c\",\n      \"sleep 1h\"\n  restartPolicy: Never\n",
        9,
        "a `]` is missing",
    ),
    (
        "unclosed-mapping",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",
        3,
        "a `}` is missing",
    ),
    (
        "over-indented-key",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n     image: busybox\n",
        8,
        "cannot start a key",
    ),
    (
        "colon-in-a-value",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: app: x\n",
        5,
        "cannot start a key",
    ),
    (
        "unclosed-quote",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\nspec:\n  containers: []\n",
        4,
        "never closed",
    ),
    (
        "unclosed-quote-at-the-end",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\n",
        4,
        "never closed",
    ),
    (
        "dedented-key",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n spec:\n  containers: []\n",
        5,
        "does not continue the mapping",
    ),
    (
        "list-under-a-deeper-key",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n    containers:\n  - name: c\n",
        7,
        "does not continue the mapping",
    ),
    (
        "tab-indent",
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n",
        4,
        "tab",
    ),
    (
        "reserved-character",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: @p\n",
        4,
        "cannot start with `@`",
    ),
    (
        "unknown-escape",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\\q\"\n",
        4,
        "unknown escape",
    ),
    (
        "text-after-a-quote",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\" q\n",
        4,
        "closing quote",
    ),
    (
        "list-item-after-a-key",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  - x\n",
        5,
        "",
    ),
    (
        "unknown-alias",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: *nowhere\n",
        4,
        "alias",
    ),
    (
        "anchor-without-a-name",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: & p\n",
        4,
        "",
    ),
];

#[test]
fn malformed_yaml_is_said_in_our_words_at_the_line_of_the_mistake() {
    let parser = parser_words();
    let dir = tempfile::tempdir().unwrap();
    let mut found = Vec::new();
    for (name, text, line, words) in MALFORMED {
        let case = dir.path().join(name);
        std::fs::create_dir_all(&case).unwrap();
        std::fs::write(case.join("pod.yaml"), text).unwrap();
        let Err(errors) = manifest::load_paths(std::slice::from_ref(&case)) else {
            found.push(format!("{name}: read without an error"));
            continue;
        };
        for lang in Lang::ALL {
            let report = InputReport::new(&errors, lang);
            let rendered = report.render();
            let entry = &report.entries()[0];
            found.extend(problems(
                &format!("{name} ({})", lang.code()),
                &rendered,
                &parser,
            ));
            if entry.line != Some(*line) {
                found.push(format!(
                    "{name} ({}): at line {:?}, not {line}:\n{rendered}",
                    lang.code(),
                    entry.line
                ));
            }
            let marked = rendered
                .lines()
                .any(|l| l.trim_start().starts_with('>') && l.contains(&format!(" {line} |")));
            if !marked {
                found.push(format!(
                    "{name} ({}): no snippet of line {line}:\n{rendered}",
                    lang.code()
                ));
            }
            if lang == Lang::En && !entry.message.contains(words) {
                found.push(format!("{name}: expected {words:?} in {:?}", entry.message));
            }
            if lang == Lang::Ko && entry.message.contains("malformed") {
                found.push(format!("{name}: English in Korean: {}", entry.message));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// A base64 value broken into lines the way `base64` prints it, in a Secret's `data`: the
/// learner reads to encode it with `base64 -w0`, in both languages.
#[test]
fn base64_wrapped_at_76_columns_says_to_use_base64_w0() {
    let dir = tempfile::tempdir().unwrap();
    let encoded = "eyJhdXRocyI6IHsiMTI3LjAuMC4xOjMwMDUwIjogeyJ1c2VybmFtZSI6ICJrdWJlbGFiIiwgInBh\n    c3N3b3JkIjogImt1YmVsYWItc2VjcmV0In19fQ==";
    std::fs::write(
        dir.path().join("secret.yaml"),
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: private-reg-cred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {encoded}\n"
        ),
    )
    .unwrap();
    let catalog = Catalog::embedded().unwrap();
    let lab = catalog.get("private-registry").unwrap();
    let submission = manifest::load_paths(&[dir.path().to_path_buf()]).unwrap();
    let parser = parser_words();
    for lang in Lang::ALL {
        let result = Grader::new(lab).grade(&submission, lang);
        let text = kubelab::report::table::render(&result, &submission.files, 200);
        assert!(text.contains("base64 -w0"), "{text}");
        let found = problems(lang.code(), &text, &parser);
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}

/// A variant's reference solution: a Korean particle after a value that the variant
/// changes follows the new value (`UID 1637로`, never `UID 1637으로`).
#[test]
fn variant_solutions_put_the_right_particle_after_a_changed_number() {
    let catalog = Catalog::embedded().unwrap();
    let mut found = Vec::new();
    for lab in catalog.labs() {
        for seed in [
            "han@example.com",
            "lee",
            "park-7",
            "s1",
            "s2",
            "s3",
            "s4",
            "s5",
        ] {
            let variant = lab.variant(Some(seed)).unwrap();
            for (file, text) in variant.solution_files() {
                for (i, _) in text.match_indices("로") {
                    let before = &text[..i];
                    let stem = before.strip_suffix('으').unwrap_or(before);
                    let digits: String = stem
                        .chars()
                        .rev()
                        .take_while(char::is_ascii_digit)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    if digits.is_empty() {
                        continue;
                    }
                    let written = &text[stem.len()..i + "로".len()];
                    let right = kubelab::i18n::josa::resolve(&format!("{digits}(으)로"))
                        [digits.len()..]
                        .to_string();
                    if written != right {
                        found.push(format!(
                            "{}/{file} ({seed}): `{digits}{written}`, not `{digits}{right}`",
                            lab.id
                        ));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
