//! Errors in a lab definition, located in the lab's files (for lab authors).

use crate::i18n::{Lang, Message};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabError {
    /// The lab file, e.g. `labs/network-policy/lab.yaml`.
    pub file: String,
    pub line: Option<usize>,
    /// The message in English.
    pub message: String,
    /// The help in English (empty: none).
    pub help: String,
    /// The message and its help as messages, when the error is said in both languages
    /// ([`LabError::render`]); older errors are English only.
    pub said: Option<Box<(Message, Option<Message>)>>,
}

impl LabError {
    /// An error at `file:line` said in both languages.
    pub fn said(file: &str, line: Option<usize>, message: Message, help: Option<Message>) -> Self {
        Self {
            file: file.to_string(),
            line,
            message: message.render(Lang::En),
            help: help
                .as_ref()
                .map(|h| h.render(Lang::En))
                .unwrap_or_default(),
            said: Some(Box::new((message, help))),
        }
    }

    /// The error's message (`file:line: message`) and its help in `lang` (English when
    /// the error is not said in both languages).
    pub fn render(&self, lang: Lang) -> (String, Option<String>) {
        let (message, help) = match self.said.as_deref() {
            Some((message, help)) => (message.render(lang), help.as_ref().map(|h| h.render(lang))),
            None => (
                self.message.clone(),
                (!self.help.is_empty()).then(|| self.help.clone()),
            ),
        };
        let at = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        (format!("{at}: {message}"), help)
    }
}

impl fmt::Display for LabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LabError {}

impl miette::Diagnostic for LabError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
}
