//! Input that cannot be graded at all: every variant names the file (and the line and
//! column where there is one) and says what to do.

use super::Location;
use std::path::PathBuf;

/// Input that cannot be graded at all (exit code 2). Each names the file, and the line
/// where there is one, and says what to do.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    #[error("{path}: no such file or directory")]
    #[diagnostic(help(
        "check the path; kubelab grades files and folders of .yaml, .yml and .json"
    ))]
    NotFound { path: PathBuf },

    #[error("{path}: cannot be read: {reason}")]
    #[diagnostic(help("check that the file exists, is a regular file and that you may read it"))]
    Unreadable { path: PathBuf, reason: String },

    #[error("{path}: the folder contains no .yaml, .yml or .json file")]
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

    #[error("{path}: the file is too large ({:.1} MiB; the limit is {} MiB)", *size as f64 / 1_048_576.0, limit / 1_048_576)]
    #[diagnostic(help("submit only your manifests; a manifest is a few kilobytes"))]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
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
        "{file}:{line}:{column}: unknown kind \"{kind}\" (apiVersion \"{api_version}\"){}",
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
        "{file}:{line}:{column}: kind \"{kind}\" is not served as apiVersion \"{api_version}\"; use \"{expected}\""
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
            | Syntax {
                file, line, column, ..
            }
            | AliasBomb {
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
