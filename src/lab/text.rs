//! Bilingual text: every learner-facing string of a lab exists in Korean and English.

pub use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub ko: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    /// The text with `{{name}}` placeholders replaced by lab parameter values.
    pub fn render(&self, lang: Lang, params: &BTreeMap<String, String>) -> String {
        substitute(self.get(lang), params)
    }
}

impl From<&Text> for crate::i18n::Arg {
    fn from(text: &Text) -> Self {
        crate::i18n::Arg::Translated(Box::new([text.ko.clone(), text.en.clone()]))
    }
}

/// Replaces `{{name}}` with `params[name]`; unknown names stay as written (lab
/// validation reports them).
pub fn substitute(text: &str, params: &BTreeMap<String, String>) -> String {
    substitute_with(text, |name| params.get(name).cloned())
}

/// Replaces each `{{name}}` with `value(name)`, keeping it as written when that is
/// `None`.
pub fn substitute_with(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match value(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{{name}}` placeholders a text uses.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        names.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_known_placeholders_and_keeps_unknown_ones() {
        let params = BTreeMap::from([("registry".to_string(), "r.example:5000".to_string())]);
        assert_eq!(
            substitute("--docker-server={{registry}} {{ nope }}", &params),
            "--docker-server=r.example:5000 {{ nope }}"
        );
        assert_eq!(placeholders("a {{x}} b {{ y }}"), vec!["x", "y"]);
    }
}
