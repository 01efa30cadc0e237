//! Input that cannot be graded at all: every variant names the file (and the line and
//! column where there is one) and says what to do.

use super::Location;
use crate::text::escape_control;
use std::path::{Path, PathBuf};

/// Input that cannot be graded at all (exit code 2). Each names the file, and the line
/// where there is one, and says what to do.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    #[error("{}: no such file or directory", shown(.path))]
    #[diagnostic(help(
        "check the path; kubelab grades files and folders of .yaml, .yml and .json"
    ))]
    NotFound { path: PathBuf },

    #[error("{}: cannot be read: {}", shown(.path), escape_control(.reason))]
    #[diagnostic(help("check that the file exists, is a regular file and that you may read it"))]
    Unreadable { path: PathBuf, reason: String },

    #[error("{}: the folder contains no .yaml, .yml or .json file", shown(.path))]
    #[diagnostic(help(
        "put your manifests in this folder (hidden folders are skipped), or name the files directly"
    ))]
    EmptyFolder { path: PathBuf },

    #[error("{file}: the file is empty (it has no Kubernetes object, only blanks or comments)")]
    #[diagnostic(help("write your manifest into the file and save it before grading"))]
    EmptyFile { file: String },

    #[error("{file}:{line}:{column}: not a text file ({what})")]
    #[diagnostic(help("submit YAML or JSON text saved as UTF-8"))]
    Binary {
        file: String,
        line: usize,
        column: usize,
        what: String,
    },

    #[error("{}: the file is too large ({})", shown(.path), sizes(*.size, *.limit))]
    #[diagnostic(help("submit only your manifests; a manifest is a few kilobytes"))]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    /// A tab in the indentation: YAML indents with spaces only.
    #[error("{file}:{line}:{column}: malformed YAML: a tab indents this line")]
    #[diagnostic(help("replace the tab with spaces: YAML indents with spaces only"))]
    Tab {
        file: String,
        line: usize,
        column: usize,
    },

    /// A key without its `:` (the parser notices only at the next line).
    #[error("{file}:{line}:{column}: malformed YAML: `{key}` has no `:` after it")]
    #[diagnostic(help("write `{key}:` — every key is followed by a colon"))]
    MissingColon {
        file: String,
        line: usize,
        column: usize,
        key: String,
    },

    #[error("{file}:{line}:{column}: malformed YAML: {message}")]
    #[diagnostic(help(
        "fix the YAML syntax at this line (indentation with spaces, a `:` after every key, closed quotes and brackets)"
    ))]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error(
        "{file}:{line}:{column}: aliases expand to more than {limit} nodes (a YAML alias bomb)"
    )]
    #[diagnostic(help("write the repeated parts out, or use fewer nested aliases (`*name`)"))]
    AliasBomb {
        file: String,
        line: usize,
        column: usize,
        limit: usize,
    },

    #[error(
        "{file}:{line}:{column}: too much data to grade: past this point the input would take more than {limit_mib} MiB of memory"
    )]
    #[diagnostic(help(
        "a manifest is a few kilobytes; submit only your manifests (not generated data, not thousands of objects)"
    ))]
    TooMuchData {
        file: String,
        line: usize,
        column: usize,
        limit_mib: usize,
    },

    #[error("{file}:{line}:{column}: the document is nested more than {limit} levels deep")]
    #[diagnostic(help(
        "a Kubernetes manifest is never this deep; check the brackets and indentation"
    ))]
    TooDeep {
        file: String,
        line: usize,
        column: usize,
        limit: usize,
    },

    #[error(
        "{file}:{line}:{column}: the document is {found}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)"
    )]
    #[diagnostic(help(
        "each document (separated by `---`) must be one object such as `kind: Pod`"
    ))]
    NotAMapping {
        file: String,
        line: usize,
        column: usize,
        found: &'static str,
    },

    #[error("{file}:{line}:{column}: not a Kubernetes object ({missing})")]
    #[diagnostic(help(
        "a Kubernetes manifest starts with `apiVersion:` and `kind:`, e.g. `apiVersion: v1` and `kind: Pod`"
    ))]
    NotKubernetes {
        file: String,
        line: usize,
        column: usize,
        missing: String,
    },

    #[error(
        "{file}:{line}:{column}: unknown kind \"{}\" (apiVersion \"{}\"){}",
        escape_control(.kind),
        escape_control(.api_version),
        did_you_mean(*.suggestion)
    )]
    #[diagnostic(help("kubelab knows these kinds: {known}"))]
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

    #[error(
        "{file}:{line}:{column}: kind \"{kind}\" is not served as apiVersion \"{}\"; use \"{expected}\"",
        escape_control(.api_version)
    )]
    #[diagnostic(help("write `apiVersion: {expected}` for kind {kind}"))]
    WrongApiVersion {
        file: String,
        line: usize,
        column: usize,
        kind: String,
        api_version: String,
        expected: &'static str,
    },
}

/// A path as messages show it (see [`super::source::shown`]: control characters escaped).
fn shown(path: &Path) -> String {
    super::source::shown(path)
}

/// `50.0 MiB; the limit is 4 MiB`, or in bytes when the two would read the same in MiB:
/// `4,194,305 bytes; the limit is 4,194,304 bytes (4 MiB)`.
fn sizes(size: u64, limit: u64) -> String {
    const MIB: f64 = 1_048_576.0;
    let (size_mib, limit_mib) = (size as f64 / MIB, limit as f64 / MIB);
    if format!("{size_mib:.1}") != format!("{limit_mib:.1}") {
        return format!("{size_mib:.1} MiB; the limit is {limit_mib} MiB");
    }
    format!(
        "{} bytes; the limit is {} bytes ({limit_mib} MiB)",
        grouped(size),
        grouped(limit)
    )
}

/// `4194305` → `4,194,305`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|s| format!("; did you mean \"{s}\"?"))
        .unwrap_or_default()
}

impl InputError {
    /// Where the problem is, when it is inside a file.
    pub fn location(&self) -> Option<Location> {
        use InputError::*;
        match self {
            NotFound { .. } | Unreadable { .. } | EmptyFolder { .. } | TooLarge { .. } => None,
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

    /// `file:line:column: message` and, on the next line, `  help: what to do`.
    pub fn render(&self) -> String {
        use miette::Diagnostic;
        match self.help() {
            Some(help) => format!("{self}\n  help: {help}"),
            None => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_that_differ_by_a_byte_read_differently() {
        let limit = 4 * 1_048_576;
        assert_eq!(
            sizes(limit + 1, limit),
            "4,194,305 bytes; the limit is 4,194,304 bytes (4 MiB)"
        );
        assert_eq!(sizes(50 * 1_048_576, limit), "50.0 MiB; the limit is 4 MiB");
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
}
