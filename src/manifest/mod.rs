//! Learner input: every `.yaml`/`.yml`/`.json` in the given files and folders, split into
//! Kubernetes objects that remember where each of their fields was written.
//!
//! OWNED BY the manifest work package: the public API below is relied on by `check/`,
//! `grade/` and `report/`; the bodies are filled in by that package.

mod budget;
pub mod decode;
mod error;
mod index;
mod kinds;
mod load;
mod path;
mod problems;
mod scalar;
mod schema;
mod server_path;
mod source;
mod suggest;
mod yaml;

pub use budget::MAX_PARSED_BYTES;
pub use error::{InputError, InputErrors};
pub use kinds::{CLUSTER_SCOPED_SUBMITS, REFUSED_KINDS, unresolvable, why_refused};
pub use path::{FieldPath, FieldPattern, PathError, Resolved, Segment, Step, lookup};
pub use source::MAX_FILE_SIZE;
pub use yaml::{MAX_DEPTH, MAX_EXPANDED};

use index::{NodeId, Pos, PosIndex};

use serde::Serialize;
use std::path::PathBuf;
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
    pub message: crate::i18n::Message,
}

/// One Kubernetes object from the learner's input.
#[derive(Clone, Debug)]
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
    /// Positions of the document this object came from (shared by a `List`'s items).
    index: Arc<PosIndex>,
    /// This object's node in `index` (`items[i]` for a `List` item).
    root: NodeId,
    /// Where the object starts.
    pos: Pos,
}

impl Object {
    /// Where `path` was written; falls back to the nearest ancestor that exists in the
    /// file, and to the object itself when nothing on the path was written.
    pub fn locate(&self, path: &FieldPath) -> Location {
        let pos = self.index.locate(self.root, self.pos, path);
        self.location_of(pos)
    }

    /// Where `path` was written, or `None` when it is not in the file (also when only an
    /// ancestor is).
    pub fn written_at(&self, path: &FieldPath) -> Option<Location> {
        if path.is_root() {
            return Some(self.location_of(self.pos));
        }
        self.index
            .exact(self.root, path)
            .map(|pos| self.location_of(pos))
    }

    /// A path as the API server reports it (`.spec.containers[name="app"].foo`), with
    /// selectors resolved to indexes of this object's lists.
    pub fn server_path(&self, text: &str) -> FieldPath {
        server_path::resolve(&self.value, text)
    }

    /// Where a path reported by the API server was written (see [`Object::locate`]).
    pub fn locate_server_path(&self, text: &str) -> Location {
        self.locate(&self.server_path(text))
    }

    fn location_of(&self, pos: Pos) -> Location {
        Location {
            file: self.source.display.clone(),
            line: pos.line as usize,
            column: pos.column as usize,
        }
    }

    /// Where the object starts (its first key).
    pub fn location(&self) -> Location {
        self.locate(&FieldPath::root())
    }

    /// The object as a k8s-openapi type; `None` when it does not deserialize
    /// (then `problems` explains why). Reads `value` in place (no copy of it).
    pub fn typed<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(&self.value).ok()
    }
}

/// All objects of one submission, in the order of files (sorted within folders) and
/// documents.
#[derive(Debug, Default)]
pub struct Submission {
    pub files: Vec<Arc<SourceFile>>,
    pub objects: Vec<Object>,
    /// Files skipped as another tool's YAML (kustomize, Helm, Compose, or a document
    /// with neither apiVersion nor kind), as `file: skipped: why` (`manifest-skipped-…`);
    /// shown with the result.
    pub notes: Vec<crate::i18n::Message>,
}

/// Reads files and folders (every `.yaml`/`.yml`/`.json`, recursively, in sorted order).
/// An explicitly named file is read whatever its extension. A file that cannot be read or
/// parsed does not stop the others: the error is every input error of the submission, in
/// the order of its files, so that a learner fixes them all in one round.
///
/// Bounded: each file is at most [`MAX_FILE_SIZE`]; the whole submission, parsed, at most
/// [`MAX_PARSED_BYTES`] of memory (estimated, see `budget`), else
/// [`InputError::TooMuchData`] at the line where it ran out (and no file after it is
/// read); time is linear in the text.
pub fn load_paths(paths: &[PathBuf]) -> Result<Submission, InputErrors> {
    let mut submission = Submission::default();
    let mut budget = budget::Budget::default();
    let (files, mut errors, notes) = source::collect(paths);
    submission.notes.extend(notes);
    let own_output = source::stdout_file();
    for path in files {
        // `kubelab grade . --output json > out.json` creates out.json in the folder
        // being graded before kubelab starts: it is this run's output, not a manifest.
        if own_output.is_some() && source::identity(&path) == own_output {
            submission.notes.push(crate::msg!(
                "manifest-skipped-own-output",
                file = source::shown(&path)
            ));
            continue;
        }
        let text = match source::read(&path) {
            Ok(text) => text,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let file = Arc::new(SourceFile {
            display: source::shown(&path),
            text,
        });
        match load::objects(&file, &mut budget) {
            Ok(objects) => submission.objects.extend(objects),
            Err(file_errors) => match other_tool(&path, &file_errors[0]) {
                Some(what) => {
                    submission.notes.push(crate::msg!(
                        "manifest-skipped-other-tool",
                        file = file.display.clone(),
                        what = what
                    ));
                    continue;
                }
                None => {
                    let out_of_memory = file_errors
                        .iter()
                        .any(|e| matches!(e, InputError::TooMuchData { .. }));
                    errors.extend(file_errors);
                    if out_of_memory {
                        // Every file after this one would run out too.
                        break;
                    }
                    continue;
                }
            },
        }
        submission.files.push(file);
    }
    match InputErrors::new(errors) {
        Some(errors) => Err(errors),
        None => Ok(submission),
    }
}

/// What another tool's YAML file is, when a file that does not read as Kubernetes
/// manifests is one: by its name (`kustomization.yaml`, Helm's `Chart.yaml` and
/// `values*.yaml`, Compose's `compose.yaml` and `docker-compose*.yml`, `skaffold.yaml`),
/// or by a document with neither `apiVersion` nor `kind`. A file that reads as
/// manifests is never skipped, whatever its name.
fn other_tool(path: &std::path::Path, error: &InputError) -> Option<crate::i18n::Message> {
    use crate::msg;
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(&name);
    let by_name = match stem {
        "kustomization" => Some(msg!("manifest-tool-kustomize")),
        "chart" => Some(msg!("manifest-tool-helm-chart")),
        s if s == "values" || s.starts_with("values-") || s.starts_with("values.") => {
            Some(msg!("manifest-tool-helm-values"))
        }
        s if s == "compose" || s.starts_with("docker-compose") => {
            Some(msg!("manifest-tool-compose"))
        }
        "skaffold" => Some(msg!("manifest-tool-skaffold")),
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    match error {
        InputError::NotKubernetes { missing, .. } if error::missing::is_both(missing) => {
            Some(msg!("manifest-tool-no-api-version-nor-kind"))
        }
        _ => None,
    }
}

/// Parses one file's text (used for lab fixtures and tests); the error is the file's
/// first.
pub fn load_text(display: &str, text: &str) -> Result<Vec<Object>, InputError> {
    source::check_text(display, text)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = Arc::new(SourceFile {
        display: display.to_string(),
        text: text.to_string(),
    });
    load::objects(&file, &mut budget::Budget::default()).map_err(|mut errors| errors.remove(0))
}

/// The lines around `line` (1-based), with their numbers, for reports.
pub fn snippet(source: &SourceFile, line: usize, context: usize) -> Vec<(usize, &str)> {
    let first = line.saturating_sub(context).max(1);
    let last = line.saturating_add(context);
    source
        .text
        .lines()
        .enumerate()
        .map(|(i, text)| (i + 1, text))
        .skip(first - 1)
        .take_while(|(n, _)| *n <= last)
        .collect()
}

#[cfg(test)]
mod tests;

/// The apiVersion under which kubelab knows `kind` (e.g. `networking.k8s.io/v1`).
pub fn api_version_of(kind: &str) -> Option<&'static str> {
    kinds::KINDS
        .iter()
        .find(|k| k.kind == kind)
        .map(|k| k.api_version)
}
