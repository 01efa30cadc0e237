//! The labs' learner-facing text: every Korean text is Korean and written in one
//! register, 합니다체 (a Korean instructor's voice), and no English text is left
//! untranslated in the Korean.

use kubelab::i18n::style::not_hapnida;
use kubelab::lab::{Catalog, Text};

fn texts(lab: &kubelab::lab::Lab) -> Vec<(String, &Text)> {
    let mut out = vec![
        ("title".to_string(), &lab.title),
        ("scenario".to_string(), &lab.scenario),
    ];
    for (name, param) in &lab.params {
        out.push((format!("params.{name}.about"), &param.about));
    }
    for step in &lab.steps {
        out.push((format!("{}.title", step.id), &step.title));
        out.push((format!("{}.text", step.id), &step.text));
        if let Some(hint) = &step.hint {
            out.push((format!("{}.hint", step.id), hint));
        }
        for check in &step.checks {
            if let Some(title) = &check.title {
                out.push((format!("{}/{}.title", step.id, check.id), title));
            }
            if let Some(hint) = &check.hint {
                out.push((format!("{}/{}.hint", step.id, check.id), hint));
            }
        }
    }
    out
}

#[test]
fn every_korean_lab_text_is_in_hapnida_style() {
    let catalog = Catalog::embedded().unwrap();
    let mut problems = Vec::new();
    let mut seen = 0;
    for lab in catalog.labs() {
        for (place, text) in texts(lab) {
            seen += 1;
            for ending in not_hapnida(&text.ko) {
                problems.push(format!("{}: {place}: …{ending}", lab.id));
            }
            let hangul = text
                .ko
                .chars()
                .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
            let english_words = text
                .en
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| ["the", "and", "with", "must", "from", "into"].contains(w))
                .count();
            if english_words > 0 && !hangul {
                problems.push(format!("{}: {place}: not translated: {}", lab.id, text.ko));
            }
        }
    }
    assert!(seen > 40, "only {seen} texts found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself catches the registers the labs used to mix.
#[test]
fn the_checker_flags_handa_style() {
    assert_eq!(not_hapnida("Pod `secure-pod`를 작성한다.").len(), 1);
    assert!(not_hapnida("Pod `secure-pod`를 작성합니다.").is_empty());
}
