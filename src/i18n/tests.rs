//! The resources are complete and consistent: the same ids and arguments in both
//! languages, every id the sources use is defined, the Korean is Korean and in 합니다체.

use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// id → the variables (`$name`) its value uses, over every resource of `lang`.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (path, source) in resources(lang) {
        let resource = fluent_syntax::parser::parse(source)
            .unwrap_or_else(|(_, errors)| panic!("i18n/{path}: {errors:?}"));
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &message.value {
                    variables(value, &mut vars);
                }
                let id = message.id.name.to_string();
                assert!(
                    out.insert(id.clone(), vars).is_none(),
                    "i18n/{path}: `{id}` is defined twice"
                );
            }
        }
    }
    out
}

fn variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, out);
            }
        }
        _ => {}
    }
}

#[test]
fn both_languages_define_the_same_ids_with_the_same_arguments() {
    let ko = messages(Lang::Ko);
    let en = messages(Lang::En);
    let only_ko: Vec<_> = ko.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !ko.contains_key(*k)).collect();
    assert!(only_ko.is_empty(), "defined in Korean only: {only_ko:?}");
    assert!(only_en.is_empty(), "defined in English only: {only_en:?}");
    for (id, vars) in &en {
        assert_eq!(&ko[id], vars, "`{id}` uses other arguments in Korean");
    }
}

/// Every `msg!("id", ...)` and `Message::new("id")` in `src/` names a defined message.
#[test]
fn every_id_the_sources_use_is_defined() {
    let en = messages(Lang::En);
    let mut missing = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in rust_files(&root) {
        if file.starts_with(root.join("i18n")) || file == root.join("i18n.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        for marker in ["msg!(\"", "Message::new(\""] {
            for (at, _) in source.match_indices(marker) {
                let rest = &source[at + marker.len()..];
                let id = &rest[..rest.find('"').unwrap()];
                if id != "id" && !en.contains_key(id) {
                    missing.push(format!("{}: {id}", file.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "ids used but not defined: {missing:#?}");
}

fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every Korean message has Hangul, and every sentence that
/// ends in a verb ends in 합니다체 (`…니다`, `…니까`), never 한다체 (`…한다.`) or 해요체.
#[test]
fn korean_is_korean_and_in_hapnida_style() {
    let en = messages(Lang::En);
    let mut problems = Vec::new();
    for (path, source) in resources(Lang::Ko) {
        let resource = fluent_syntax::parser::parse(source).unwrap();
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            let id = message.id.name;
            let Some(value) = &message.value else {
                continue;
            };
            let text = literal_text(value);
            let english_has_words = en.contains_key(id) && text_is_words(id, &en);
            if english_has_words && !text.chars().any(is_hangul) {
                problems.push(format!("{path}: `{id}` has no Korean: {text}"));
            }
            for bad in crate::i18n::style::not_hapnida(&text) {
                problems.push(format!("{path}: `{id}` is not in 합니다체: …{bad}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}')
}

/// The literal text of a pattern (placeables left out; select variants all included).
fn literal_text(pattern: &ast::Pattern<&str>) -> String {
    let mut out = String::new();
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => out.push_str(value),
            ast::PatternElement::Placeable {
                expression: ast::Expression::Select { variants, .. },
            } => {
                for variant in variants {
                    out.push_str(&literal_text(&variant.value));
                    out.push('\n');
                }
            }
            ast::PatternElement::Placeable { .. } => out.push_str(" X "),
        }
    }
    out
}

/// Whether the English message of `id` has words to translate (not only placeables and
/// punctuation, like `{ $a }: { $b }`).
fn text_is_words(id: &str, _en: &BTreeMap<String, BTreeSet<String>>) -> bool {
    for (_, source) in resources(Lang::En) {
        let resource = fluent_syntax::parser::parse(source).unwrap();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry
                && message.id.name == id
                && let Some(value) = &message.value
            {
                let text = literal_text(value).replace(" X ", "");
                return text
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w.len() >= 3);
            }
        }
    }
    false
}

#[test]
fn renders_arguments_plurals_and_nested_messages() {
    let inner = Message::new("grade-offline-said").arg("message", "db");
    assert_eq!(inner.render(Lang::En), "offline: db");
    assert_eq!(inner.render(Lang::Ko), "오프라인 판정: db");
    let outer = Message::new("grade-offline-said").arg("message", inner);
    assert_eq!(outer.render(Lang::Ko), "오프라인 판정: 오프라인 판정: db");
    let points = |n: u32| crate::msg!("cli-show-step-points", points = n);
    assert_eq!(points(1).render(Lang::En), "1 point");
    assert_eq!(points(2).render(Lang::En), "2 points");
    assert_eq!(points(0).render(Lang::Ko), "0점");
    let missing = Message::new("no-such-id").arg("n", 3);
    assert_eq!(missing.render(Lang::En), "⟦no-such-id⟧ n=3");
    assert_eq!(missing.to_string(), "⟦no-such-id⟧ n=3");
    assert!(missing.contains("no-such"));
}

#[test]
fn the_style_check_catches_handa_and_haeyo_and_passes_hapnida() {
    use crate::i18n::style::not_hapnida;
    assert!(not_hapnida("정책을 적용합니다.").is_empty());
    assert!(not_hapnida("무엇이 문제입니까?").is_empty());
    assert!(not_hapnida("파드 `db`").is_empty());
    assert_eq!(not_hapnida("정책을 적용한다.").len(), 1);
    assert_eq!(not_hapnida("파드가 없다. 그리고 실패합니다.").len(), 1);
    assert_eq!(not_hapnida("정책을 적용해요.").len(), 1);
    assert_eq!(not_hapnida("확인하세요.").len(), 1);
    assert!(not_hapnida("확인하십시오.").is_empty());
    assert_eq!(
        not_hapnida("파일 생성을 시도한다(실패해야 함: `touch`).").len(),
        1
    );
    assert!(not_hapnida("파일 생성을 시도하십시오(`touch`는 실패해야 합니다).").is_empty());
    assert!(not_hapnida("`kubectl apply -f db.yaml`").is_empty());
}
