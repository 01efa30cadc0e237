//! Every learner-facing text a grade produces is translated: each corpus case, each
//! lab's untouched scenario and its reference solution are graded in Korean and in
//! English, and every text of the Korean report (check titles, messages, details, hints,
//! notes, refusals) is Korean wherever the English one is prose. An untranslated message
//! (an English sentence in the Korean report, or a `⟦id⟧` with no text) fails here.

use kubelab::grade::{Grader, LabResult};
use kubelab::lab::{Catalog, Lang};
use kubelab::manifest::{self, Submission};
use std::path::{Path, PathBuf};

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

/// (where, text) for every learner-facing text of a result, in a fixed order.
fn texts(result: &LabResult) -> Vec<(String, String)> {
    let mut out = vec![("title".to_string(), result.title.clone())];
    for (i, note) in result.notes.iter().enumerate() {
        out.push((format!("notes[{i}]"), note.clone()));
    }
    for (i, refused) in result.refused.iter().enumerate() {
        out.push((format!("refused[{i}].message"), refused.message.clone()));
        out.push((format!("refused[{i}].help"), refused.help.clone()));
    }
    for (step, check) in result.checks() {
        let at = format!("{}/{}", step.id, check.id);
        out.push((format!("{at}.title"), check.title.clone()));
        out.push((format!("{at}.message"), check.message.clone()));
        for (i, detail) in check.details.iter().enumerate() {
            out.push((format!("{at}.details[{i}]"), detail.clone()));
        }
        if let Some(hint) = &check.hint {
            out.push((format!("{at}.hint"), hint.clone()));
        }
    }
    out
}

/// Whether `text` reads as English prose: a common English word outside `code spans`,
/// field paths (`spec.ingress[0].from[0]`), quoted values and a parenthesis quoting the
/// server's own English (`(serviceaccount "x" not found)`), which stay as written.
fn english_prose(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "the", "is", "are", "not", "would", "must", "with", "and", "from", "found", "was", "has",
        "have", "this", "that", "into", "does", "for", "no", "selects", "allows", "of", "by",
        "but", "only",
    ];
    let mut outside = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            outside.push_str(part);
            outside.push(' ');
        }
    }
    // Parentheses with no Korean in them quote the server.
    let mut kept = String::new();
    let mut rest = outside.as_str();
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        let inside = &rest[open..open + close + 1];
        kept.push_str(&rest[..open]);
        if hangul(inside) {
            kept.push_str(inside);
        }
        rest = &rest[open + close + 1..];
    }
    kept.push_str(rest);
    kept.split_whitespace()
        .filter(|token| !token.contains(['.', '[', '"', '/', '=', ':']))
        .flat_map(|token| token.split(|c: char| !c.is_ascii_alphabetic()))
        .any(|w| WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

fn hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// What is untranslated in the Korean report of `submission`.
fn untranslated(name: &str, grader: &Grader, submission: &Submission) -> Vec<String> {
    let ko = texts(&grader.grade(submission, Lang::Ko));
    let en = texts(&grader.grade(submission, Lang::En));
    assert_eq!(ko.len(), en.len(), "{name}: the reports differ in shape");
    let mut problems = Vec::new();
    for ((at, ko), (_, en)) in ko.iter().zip(&en) {
        if ko.contains('⟦') || en.contains('⟦') {
            problems.push(format!("{name}: {at}: no such message: {ko}"));
        } else if english_prose(en) && !hangul(ko) {
            problems.push(format!("{name}: {at}: not translated: {ko}"));
        } else if english_prose(ko) {
            problems.push(format!("{name}: {at}: English left in the Korean: {ko}"));
        }
    }
    problems
}

#[test]
fn every_text_of_every_graded_corpus_case_is_translated() {
    let catalog = Catalog::embedded().unwrap();
    let mut problems = Vec::new();
    let mut graded = 0;
    for lab in catalog.labs() {
        let grader = Grader::new(lab);
        problems.extend(untranslated(
            &format!("{}/untouched", lab.id),
            &grader,
            &Submission::default(),
        ));
        let solution =
            manifest::load_paths(&[repo().join("labs").join(&lab.id).join("solution")]).unwrap();
        problems.extend(untranslated(
            &format!("{}/solution", lab.id),
            &grader,
            &solution,
        ));
        graded += 2;
        let cases = repo().join("labs").join(&lab.id).join("corpus");
        for case in dirs(&cases) {
            let Ok(submission) = manifest::load_paths(&[case.join("submission")]) else {
                continue;
            };
            let name = format!("{}/{}", lab.id, case.file_name().unwrap().to_string_lossy());
            problems.extend(untranslated(&name, &grader, &submission));
            graded += 1;
        }
    }
    assert!(graded > 90, "only {graded} submissions graded");
    assert!(
        problems.is_empty(),
        "{} untranslated texts:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_prose_detector_tells_english_from_korean_and_code() {
    assert!(english_prose("NetworkPolicy db not found"));
    assert!(!english_prose("`kubectl apply -f db.yaml`"));
    assert!(!english_prose("`api-allow-to-db` 네트워크 정책이 없습니다"));
    assert!(!english_prose(
        "spec.ingress[0].from[0]: 피어를 지정해야 합니다"
    ));
    assert!(!english_prose(
        "찾을 수 없습니다(serviceaccount \"x\" not found)."
    ));
    assert!(english_prose(
        "연결은 열려 있습니다: allowed: no policy selects db-pod"
    ));
}
