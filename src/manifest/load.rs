//! From a file's text to Kubernetes objects: documents split, empty ones skipped, `List`
//! items made separate objects, kinds checked, schema problems attached.

use super::budget::{Budget, MAX_PARSED_BYTES};
use super::error::{InputError, missing};
use super::index::{NodeId, Pos, PosIndex};
use super::kinds::{self, Lookup};
use super::path::FieldPath;
use super::problems;
use super::yaml::{self, Document};
use super::{Object, SourceFile};
use crate::i18n::Message;
use crate::msg;
use serde_json::Value;
use std::sync::Arc;

/// Every object in `source`; an empty file (only blanks, comments or empty documents) is
/// an error. The text, its values and its objects are charged to `budget`. A document
/// that is not a Kubernetes object does not stop the others: the errors are those of
/// every document (a syntax error, which ends the parse, or the budget running out, is
/// the last one).
pub fn objects(
    source: &Arc<SourceFile>,
    budget: &mut Budget,
) -> Result<Vec<Object>, Vec<InputError>> {
    let file = source.display.as_str();
    if !budget.text(&source.text) {
        return Err(vec![InputError::TooMuchData {
            file: file.to_string(),
            line: 1,
            column: 1,
            limit_mib: MAX_PARSED_BYTES >> 20,
        }]);
    }
    let documents =
        yaml::parse(file, &source.text, budget).map_err(|e| vec![yaml::refine(&source.text, e)])?;
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for document in documents {
        if document.value.is_null() {
            continue;
        }
        if let Err(error) = from_document(source, document, budget, &mut objects) {
            let out_of_memory = matches!(error, InputError::TooMuchData { .. });
            errors.push(error);
            if out_of_memory {
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if objects.is_empty() {
        return Err(vec![InputError::EmptyFile {
            file: file.to_string(),
        }]);
    }
    Ok(objects)
}

/// What a document is, when it is not a mapping.
fn describe(value: &Value) -> Message {
    match value {
        Value::Null => msg!("input-found-empty"),
        Value::Bool(_) => msg!("input-found-boolean"),
        Value::Number(_) => msg!("input-found-number"),
        Value::String(_) => msg!("input-found-string"),
        Value::Array(_) => msg!("input-found-list"),
        Value::Object(_) => msg!("input-found-mapping"),
    }
}

/// The document's index, shared by the objects of a `List`.
struct Doc {
    index: Arc<PosIndex>,
    duplicates: Vec<(FieldPath, Message)>,
}

/// Charges one object at `at` to `budget`.
fn charge_object(budget: &mut Budget, file: &str, at: Pos) -> Result<(), InputError> {
    if budget.object() {
        return Ok(());
    }
    Err(InputError::TooMuchData {
        file: file.to_string(),
        line: at.line as usize,
        column: at.column as usize,
        limit_mib: MAX_PARSED_BYTES >> 20,
    })
}

fn from_document(
    source: &Arc<SourceFile>,
    document: Document,
    budget: &mut Budget,
    out: &mut Vec<Object>,
) -> Result<(), InputError> {
    let file = source.display.as_str();
    let Document {
        value,
        root,
        pos,
        index,
        duplicates,
    } = document;
    let doc = Doc {
        index: Arc::new(index),
        duplicates,
    };
    if !value.is_object() {
        return Err(not_a_mapping(file, &value, pos));
    }
    let (api_version, kind) = api_version_and_kind(file, &value, &doc, root, pos)?;
    let is_list = kind == "List" || (kind.len() > 4 && kind.ends_with("List"));
    if !is_list {
        charge_object(budget, file, pos)?;
        let prefix = FieldPath::root();
        out.push(object(
            source,
            &doc,
            value,
            root,
            pos,
            &prefix,
            api_version,
            kind,
        )?);
        return Ok(());
    }
    let item_kind = kind.strip_suffix("List").unwrap_or_default().to_string();
    let Value::Object(mut map) = value else {
        return Ok(());
    };
    let items = match map.remove("items") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => Vec::new(),
        Some(other) => {
            let at = doc.index.locate(root, pos, &FieldPath::root().key("items"));
            return Err(InputError::NotAMapping {
                file: file.to_string(),
                line: at.line as usize,
                column: at.column as usize,
                found: match other {
                    Value::Object(_) => msg!("input-found-list-items-mapping"),
                    _ => msg!("input-found-list-items-not-list"),
                },
            });
        }
    };
    for (i, mut item) in items.into_iter().enumerate() {
        let prefix = FieldPath::root().key("items").index(i);
        let (node, at) = doc
            .index
            .node_at(root, &prefix)
            .unwrap_or((super::index::LEAF, pos));
        charge_object(budget, file, at)?;
        let Value::Object(fields) = &mut item else {
            return Err(not_a_mapping(file, &item, at));
        };
        // Typed lists (`PodList`) may leave apiVersion and kind out of their items.
        if !item_kind.is_empty() {
            fields
                .entry("apiVersion")
                .or_insert_with(|| Value::String(api_version.clone()));
            fields
                .entry("kind")
                .or_insert_with(|| Value::String(item_kind.clone()));
        }
        let (api, k) = api_version_and_kind(file, &item, &doc, node, at)?;
        out.push(object(source, &doc, item, node, at, &prefix, api, k)?);
    }
    Ok(())
}

fn not_a_mapping(file: &str, value: &Value, at: Pos) -> InputError {
    InputError::NotAMapping {
        file: file.to_string(),
        line: at.line as usize,
        column: at.column as usize,
        found: describe(value),
    }
}

fn api_version_and_kind(
    file: &str,
    value: &Value,
    doc: &Doc,
    root: NodeId,
    pos: Pos,
) -> Result<(String, String), InputError> {
    let field = |name: &str| value.get(name).filter(|v| !v.is_null());
    let (api_version, kind) = (field("apiVersion"), field("kind"));
    let missing = match (api_version, kind) {
        (Some(Value::String(a)), Some(Value::String(k))) if !a.is_empty() && !k.is_empty() => {
            return Ok((a.clone(), k.clone()));
        }
        (None, None) => missing::both(),
        (None, _) => missing::api_version(),
        (_, None) => missing::kind(),
        _ => missing::empty(),
    };
    let at = match (api_version, kind) {
        (Some(_), None) => doc
            .index
            .locate(root, pos, &FieldPath::root().key("apiVersion")),
        (_, Some(_)) => doc.index.locate(root, pos, &FieldPath::root().key("kind")),
        _ => pos,
    };
    Err(InputError::NotKubernetes {
        file: file.to_string(),
        line: at.line as usize,
        column: at.column as usize,
        missing,
    })
}

#[allow(clippy::too_many_arguments)]
fn object(
    source: &Arc<SourceFile>,
    doc: &Doc,
    value: Value,
    root: NodeId,
    pos: Pos,
    prefix: &FieldPath,
    api_version: String,
    kind: String,
) -> Result<Object, InputError> {
    let file = source.display.as_str();
    let known = match kinds::lookup(&api_version, &kind) {
        Lookup::Known(known) => known,
        Lookup::WrongApiVersion(known) => {
            let at = doc
                .index
                .locate(root, pos, &FieldPath::root().key("apiVersion"));
            return Err(InputError::WrongApiVersion {
                file: file.to_string(),
                line: at.line as usize,
                column: at.column as usize,
                kind,
                api_version,
                expected: known.api_version,
            });
        }
        Lookup::Unknown(suggestion) => {
            let at = doc.index.locate(root, pos, &FieldPath::root().key("kind"));
            return Err(InputError::UnknownKind {
                file: file.to_string(),
                line: at.line as usize,
                column: at.column as usize,
                api_version,
                kind,
                suggestion,
                known: kinds::known_list(),
            });
        }
    };
    let metadata = value.get("metadata");
    let text = |name: &str| metadata.and_then(|m| m.get(name)).and_then(Value::as_str);
    let name = text("name").unwrap_or_default().to_string();
    let namespace = text("namespace").map(str::to_string);
    let duplicates = doc
        .duplicates
        .iter()
        .filter(|(path, _)| path.0.starts_with(&prefix.0) && path.0.len() > prefix.0.len())
        .map(|(path, message)| {
            (
                FieldPath(path.0[prefix.0.len()..].to_vec()),
                message.clone(),
            )
        })
        .collect::<Vec<_>>();
    let mut object = Object {
        source: Arc::clone(source),
        api_version,
        kind,
        name,
        namespace,
        value,
        problems: Vec::new(),
        index: Arc::clone(&doc.index),
        root,
        pos,
    };
    let mut outcome = (known.check)(&object.value);
    for zeroed in std::mem::take(&mut outcome.zeroed) {
        if let Some(Value::Object(map)) = find_mut(&mut object.value, &zeroed.map) {
            for (key, zero) in zeroed.entries {
                if let Some(value) = map.get_mut(&key) {
                    *value = zero;
                }
            }
        }
    }
    let clean = outcome.errors.is_empty();
    object.problems = problems::collect(&object, outcome, duplicates);
    if clean {
        // What checks see through `Object::typed` must deserialize whenever the schema
        // check found no type error; should the two ever disagree, the object is the
        // learner's problem at that field, not an environment error.
        if let Some((path, message)) = (known.typed_error)(&object.value) {
            object
                .problems
                .insert(0, problems::at(&object, path, message));
        }
    }
    Ok(object)
}

/// The value at `path`, if there is one.
fn find_mut<'v>(value: &'v mut Value, path: &FieldPath) -> Option<&'v mut Value> {
    let mut at = value;
    for segment in &path.0 {
        at = match (segment, at) {
            (super::Segment::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (super::Segment::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(at)
}
