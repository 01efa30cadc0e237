//! Input that cannot be graded at all: every variant names the file (and the line and
//! column where there is one) and says what to do, as [`Message`]s in both languages
//! (`i18n/*/manifest.ftl`, ids `input-…`); `Display` and the miette help are English.

use super::Location;
use crate::i18n::{Lang, Message};
use crate::msg;
use crate::text::escape_control;
use std::fmt;
use std::path::{Path, PathBuf};

/// Input that cannot be graded at all (exit code 2). Each names the file, and the line
/// where there is one, and says what to do.
#[derive(Debug)]
pub enum InputError {
    NotFound {
        path: PathBuf,
    },

    /// The operating system's reason (its words, shown as written).
    Unreadable {
        path: PathBuf,
        reason: String,
    },

    /// A path that is neither a file nor a folder (a FIFO, a device).
    NotRegular {
        path: PathBuf,
    },

    EmptyFolder {
        path: PathBuf,
    },

    EmptyFile {
        file: String,
    },

    Binary {
        file: String,
        line: usize,
        column: usize,
        /// Why: not UTF-8, or NUL bytes.
        what: Message,
    },

    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    /// A tab in the indentation: YAML indents with spaces only.
    Tab {
        file: String,
        line: usize,
        column: usize,
    },

    /// A key without its `:` (the parser notices only at the next line).
    MissingColon {
        file: String,
        line: usize,
        column: usize,
        key: String,
    },

    /// A syntax error: `message` is the YAML parser's words (English), which the
    /// learner reads in kubelab's words ([`super::yaml::reason`]).
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// A `[` or `{` never closed: located at the end of the line where its `close`
    /// (`]` or `}`) is missing (the parser notices only on a later line or at the end).
    Unclosed {
        file: String,
        line: usize,
        column: usize,
        close: char,
    },

    /// YAML that parses but that Kubernetes' YAML reader refuses (a list as a mapping
    /// key, a bad merge key, an alias without its anchor), said by kubelab.
    Malformed {
        file: String,
        line: usize,
        column: usize,
        what: Message,
    },

    AliasBomb {
        file: String,
        line: usize,
        column: usize,
        limit: usize,
    },

    TooMuchData {
        file: String,
        line: usize,
        column: usize,
        limit_mib: usize,
    },

    TooDeep {
        file: String,
        line: usize,
        column: usize,
        limit: usize,
    },

    NotAMapping {
        file: String,
        line: usize,
        column: usize,
        /// What the document is instead (`empty`, `a list`).
        found: Message,
    },

    NotKubernetes {
        file: String,
        line: usize,
        column: usize,
        /// What is missing (see [`missing`]).
        missing: Message,
    },

    UnknownKind {
        file: String,
        line: usize,
        column: usize,
        api_version: String,
        kind: String,
        /// The closest known kind, when one is close.
        suggestion: Option<&'static str>,
        /// The known kinds, comma-separated.
        known: &'static str,
    },

    WrongApiVersion {
        file: String,
        line: usize,
        column: usize,
        kind: String,
        api_version: String,
        expected: &'static str,
    },
}

/// What a document that is not a Kubernetes object lacks.
pub mod missing {
    use crate::i18n::Message;
    use crate::msg;

    /// Neither apiVersion nor kind (another tool's YAML, likely).
    pub fn both() -> Message {
        msg!("input-missing-both")
    }
    pub fn api_version() -> Message {
        msg!("input-missing-api-version")
    }
    pub fn kind() -> Message {
        msg!("input-missing-kind")
    }
    pub fn empty() -> Message {
        msg!("input-missing-empty")
    }
    /// Whether `missing` says that both are missing.
    pub fn is_both(missing: &Message) -> bool {
        missing.id() == "input-missing-both"
    }
}

/// A path as messages show it (see [`super::source::shown`]: control characters escaped).
fn shown(path: &Path) -> String {
    super::source::shown(path)
}

/// `50.0 MiB; the limit is 4 MiB`, or in bytes when the two would read the same in MiB:
/// `4,194,305 bytes; the limit is 4,194,304 bytes (4 MiB)`.
fn sizes(size: u64, limit: u64) -> Message {
    const MIB: f64 = 1_048_576.0;
    let (size_mib, limit_mib) = (size as f64 / MIB, limit as f64 / MIB);
    if format!("{size_mib:.1}") != format!("{limit_mib:.1}") {
        return msg!(
            "input-sizes-mib",
            size = format!("{size_mib:.1}"),
            limit = format!("{limit_mib}")
        );
    }
    msg!(
        "input-sizes-bytes",
        size = grouped(size),
        limit = grouped(limit),
        limit_mib = format!("{limit_mib}")
    )
}

/// `4194305` → `4,194,305`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `bracket` for a `]`, `brace` for a `}`: the selector of `input-unclosed`.
fn bracket(close: char) -> &'static str {
    match close {
        '}' => "brace",
        _ => "bracket",
    }
}

impl InputError {
    /// Where the problem is, when it is inside a file.
    pub fn location(&self) -> Option<Location> {
        use InputError::*;
        match self {
            NotFound { .. }
            | Unreadable { .. }
            | NotRegular { .. }
            | EmptyFolder { .. }
            | TooLarge { .. } => None,
            EmptyFile { file } => Some(Location {
                file: file.clone(),
                line: 1,
                column: 1,
            }),
            Binary {
                file, line, column, ..
            }
            | Tab {
                file, line, column, ..
            }
            | MissingColon {
                file, line, column, ..
            }
            | Syntax {
                file, line, column, ..
            }
            | Unclosed {
                file, line, column, ..
            }
            | Malformed {
                file, line, column, ..
            }
            | AliasBomb {
                file, line, column, ..
            }
            | TooMuchData {
                file, line, column, ..
            }
            | TooDeep {
                file, line, column, ..
            }
            | NotAMapping {
                file, line, column, ..
            }
            | NotKubernetes {
                file, line, column, ..
            }
            | UnknownKind {
                file, line, column, ..
            }
            | WrongApiVersion {
                file, line, column, ..
            } => Some(Location {
                file: file.clone(),
                line: *line,
                column: *column,
            }),
        }
    }

    /// `file:line:column`, or the path when the problem is not at a place in a file.
    fn at(&self) -> String {
        use InputError::*;
        match self {
            NotFound { path }
            | Unreadable { path, .. }
            | NotRegular { path }
            | EmptyFolder { path }
            | TooLarge { path, .. } => shown(path),
            EmptyFile { file } => file.clone(),
            _ => match self.location() {
                Some(at) => format!("{}:{}:{}", at.file, at.line, at.column),
                None => String::new(),
            },
        }
    }

    /// What is wrong, where: `file:line:column: message`.
    pub fn message(&self) -> Message {
        use InputError::*;
        let at = self.at();
        match self {
            NotFound { .. } => msg!("input-not-found", at = at),
            Unreadable { reason, .. } => {
                msg!("input-unreadable", at = at, reason = escape_control(reason))
            }
            NotRegular { .. } => msg!("input-not-regular", at = at),
            EmptyFolder { .. } => msg!("input-empty-folder", at = at),
            EmptyFile { .. } => msg!("input-empty-file", at = at),
            Binary { what, .. } => msg!("input-binary", at = at, what = what.clone()),
            TooLarge { size, limit, .. } => {
                msg!("input-too-large", at = at, sizes = sizes(*size, *limit))
            }
            Tab { .. } => msg!("input-tab", at = at),
            MissingColon { key, .. } => msg!("input-missing-colon", at = at, key = key),
            Syntax { message, .. } => {
                msg!(
                    "input-syntax",
                    at = at,
                    reason = super::yaml::reason(message)
                )
            }
            Unclosed { close, .. } => msg!("input-unclosed", at = at, bracket = bracket(*close)),
            Malformed { what, .. } => msg!("input-syntax", at = at, reason = what.clone()),
            AliasBomb { limit, .. } => {
                msg!("input-alias-bomb", at = at, limit = limit.to_string())
            }
            TooMuchData { limit_mib, .. } => {
                msg!(
                    "input-too-much-data",
                    at = at,
                    limit = limit_mib.to_string()
                )
            }
            TooDeep { limit, .. } => msg!("input-too-deep", at = at, limit = limit.to_string()),
            NotAMapping { found, .. } => {
                msg!("input-not-a-mapping", at = at, found = found.clone())
            }
            NotKubernetes { missing, .. } => {
                msg!("input-not-kubernetes", at = at, missing = missing.clone())
            }
            UnknownKind {
                api_version,
                kind,
                suggestion: Some(suggestion),
                ..
            } => msg!(
                "input-unknown-kind-did-you-mean",
                at = at,
                kind = escape_control(kind),
                api_version = escape_control(api_version),
                suggestion = *suggestion
            ),
            UnknownKind {
                api_version, kind, ..
            } => msg!(
                "input-unknown-kind",
                at = at,
                kind = escape_control(kind),
                api_version = escape_control(api_version)
            ),
            WrongApiVersion {
                kind,
                api_version,
                expected,
                ..
            } => msg!(
                "input-wrong-api-version",
                at = at,
                kind = kind,
                api_version = escape_control(api_version),
                expected = *expected
            ),
        }
    }

    /// What to do about it.
    pub fn help_message(&self) -> Message {
        use InputError::*;
        match self {
            NotFound { .. } => msg!("input-not-found-help"),
            Unreadable { .. } | NotRegular { .. } => msg!("input-unreadable-help"),
            EmptyFolder { .. } => msg!("input-empty-folder-help"),
            EmptyFile { .. } => msg!("input-empty-file-help"),
            Binary { .. } => msg!("input-binary-help"),
            TooLarge { .. } => msg!("input-too-large-help"),
            Tab { .. } => msg!("input-tab-help"),
            MissingColon { key, .. } => msg!("input-missing-colon-help", key = key),
            Syntax { .. } | Malformed { .. } => msg!("input-syntax-help"),
            Unclosed { close, .. } => msg!("input-unclosed-help", bracket = bracket(*close)),
            AliasBomb { .. } => msg!("input-alias-bomb-help"),
            TooMuchData { .. } => msg!("input-too-much-data-help"),
            TooDeep { .. } => msg!("input-too-deep-help"),
            NotAMapping { .. } => msg!("input-not-a-mapping-help"),
            NotKubernetes { .. } => msg!("input-not-kubernetes-help"),
            UnknownKind { known, .. } => msg!("input-unknown-kind-help", known = *known),
            WrongApiVersion { kind, expected, .. } => {
                msg!(
                    "input-wrong-api-version-help",
                    kind = kind,
                    expected = *expected
                )
            }
        }
    }

    /// `file:line:column: message` and, on the next line, `  help: what to do`, in `lang`.
    pub fn render_in(&self, lang: Lang) -> String {
        format!(
            "{}\n  {}",
            self.message().render(lang),
            msg!("input-help", help = self.help_message()).render(lang)
        )
    }

    /// [`InputError::render_in`] in English.
    pub fn render(&self) -> String {
        self.render_in(Lang::En)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.message(), f)
    }
}

impl std::error::Error for InputError {}

impl miette::Diagnostic for InputError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.help_message()))
    }
}

/// Every input error of a submission (at least one), in the order of its files: what
/// [`super::load_paths`] returns when some file cannot be graded, so that a learner sees
/// all of them in one run. `Display` is the English messages, one a line.
#[derive(Debug)]
pub struct InputErrors(Vec<InputError>);

impl InputErrors {
    /// `None` when there is no error.
    pub fn new(errors: Vec<InputError>) -> Option<Self> {
        (!errors.is_empty()).then_some(Self(errors))
    }

    /// The first error (of the first file that has one).
    pub fn first(&self) -> &InputError {
        &self.0[0]
    }

    /// Where the first error is, when it is in a file.
    pub fn location(&self) -> Option<Location> {
        self.first().location()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, InputError> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true (there is always an error); for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<InputError> {
        self.0
    }
}

impl From<InputError> for InputErrors {
    fn from(error: InputError) -> Self {
        Self(vec![error])
    }
}

impl<'a> IntoIterator for &'a InputErrors {
    type Item = &'a InputError;
    type IntoIter = std::slice::Iter<'a, InputError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            fmt::Display::fmt(error, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_that_differ_by_a_byte_read_differently() {
        let limit = 4 * 1_048_576;
        assert_eq!(
            sizes(limit + 1, limit).to_string(),
            "4,194,305 bytes; the limit is 4,194,304 bytes (4 MiB)"
        );
        assert_eq!(
            sizes(50 * 1_048_576, limit).to_string(),
            "50.0 MiB; the limit is 4 MiB"
        );
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
    }

    #[test]
    fn control_characters_in_file_names_are_escaped() {
        let error = InputError::NotFound {
            path: PathBuf::from("./\u{1b}[2Jx\ny.yaml"),
        };
        assert_eq!(
            error.to_string(),
            "\\u{1b}[2Jx\\ny.yaml: no such file or directory"
        );
    }

    #[test]
    fn errors_render_in_korean_with_their_help() {
        let error = InputError::Tab {
            file: "a.yaml".into(),
            line: 4,
            column: 1,
        };
        assert_eq!(
            error.render(),
            "a.yaml:4:1: malformed YAML: a tab indents this line\n  help: replace the tab with spaces: YAML indents with spaces only"
        );
        let ko = error.render_in(Lang::Ko);
        assert!(ko.starts_with("a.yaml:4:1: "), "{ko}");
        assert!(ko.contains("탭"), "{ko}");
        assert!(!ko.contains("help:"), "{ko}");
    }
}
