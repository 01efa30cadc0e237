//! Learner input: every `.yaml`/`.yml`/`.json` in the given files and folders, split into
//! Kubernetes objects that remember where each of their fields was written.
//!
//! OWNED BY the manifest work package: the public API below is relied on by `check/`,
//! `grade/` and `report/`; the bodies are filled in by that package.

mod path;

pub use path::{FieldPath, Segment};

use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A place in a learner's file; lines and columns count from 1.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A file as read, kept for snippets in reports.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user wrote it (or as found under a folder they named).
    pub display: String,
    pub text: String,
}

/// Why an object would be rejected by the API server (strict field validation,
/// type errors, required fields), located at the offending field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchemaProblem {
    pub path: FieldPath,
    pub location: Location,
    pub message: String,
}

/// One Kubernetes object from the learner's input.
#[derive(Debug)]
pub struct Object {
    pub source: Arc<SourceFile>,
    pub api_version: String,
    pub kind: String,
    /// `metadata.name`; empty when missing (then `problems` says so).
    pub name: String,
    pub namespace: Option<String>,
    /// The object as JSON (YAML converted; `List` items are separate objects).
    pub value: serde_json::Value,
    /// Unknown fields, wrong types and missing required fields, in document order.
    pub problems: Vec<SchemaProblem>,
}

impl Object {
    /// Where `path` was written; falls back to the nearest ancestor that exists in the
    /// file, and to the object itself when nothing on the path was written.
    pub fn locate(&self, _path: &FieldPath) -> Location {
        todo!("manifest package")
    }

    /// Where the object starts (its first key).
    pub fn location(&self) -> Location {
        self.locate(&FieldPath::root())
    }

    /// The object as a k8s-openapi type; `None` when it does not deserialize
    /// (then `problems` explains why).
    pub fn typed<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(self.value.clone()).ok()
    }
}

/// All objects of one submission, in the order of files (sorted within folders) and
/// documents.
#[derive(Debug, Default)]
pub struct Submission {
    pub files: Vec<Arc<SourceFile>>,
    pub objects: Vec<Object>,
}

/// Input that cannot be graded at all (exit code 2). Each names the file, and the line
/// where there is one, and says what to do.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    #[error("{path}: no such file or directory")]
    #[diagnostic(help(
        "check the path; kubelab grades files and folders of .yaml, .yml and .json"
    ))]
    NotFound { path: PathBuf },
}

/// Reads files and folders (every `.yaml`/`.yml`/`.json`, recursively, in sorted order).
pub fn load_paths(_paths: &[PathBuf]) -> Result<Submission, InputError> {
    todo!("manifest package")
}

/// Parses one file's text (used for lab fixtures and tests).
pub fn load_text(_display: &str, _text: &str) -> Result<Vec<Object>, InputError> {
    todo!("manifest package")
}

#[allow(dead_code)]
fn _assert_path_is_used(_: &Path) {}
