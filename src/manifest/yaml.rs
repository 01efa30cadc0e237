//! Marked YAML: drives `saphyr_parser` events into `serde_json::Value`s plus a position
//! index, resolving anchors, aliases and merge keys (`<<`) while counting what aliases
//! expand to, so an alias bomb is refused instead of exhausting memory.
//!
//! Work and memory are linear in the text: an anchored node is copied (to be expanded
//! later) only when an alias refers to it — a first pass over the events finds which —
//! and that copy is charged to the same budget as the expansions ([`MAX_EXPANDED`]), so
//! nested anchors without aliases cost nothing and nested anchors with aliases are an
//! alias bomb. Keys written twice are recorded up to [`MAX_DUPLICATES`] per document.

use super::budget::{Budget, MAX_PARSED_BYTES};
use super::error::InputError;
use super::index::{LEAF, NodeId, Pos, PosIndex};
use super::path::{FieldPath, Segment};
use super::scalar::{self, CoreTag, Style};
use crate::i18n::Message;
use crate::msg;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Deeper nesting than this is refused (a manifest is never this deep).
pub const MAX_DEPTH: usize = 256;
/// Nodes that aliases and merge keys may add to one file (copies of anchored nodes that
/// an alias refers to count too).
pub const MAX_EXPANDED: usize = 100_000;
/// Keys written twice that one document records (the first ones; a learner fixes them
/// one at a time, and a generated file must not make a list per key).
pub const MAX_DUPLICATES: usize = 100;

/// One YAML document with the positions of its fields.
#[derive(Debug)]
pub struct Document {
    pub value: Value,
    pub root: NodeId,
    /// Where the document's root node starts.
    pub pos: Pos,
    pub index: PosIndex,
    /// Keys written twice in one mapping (the last one wins, like kubectl's parser would
    /// not: it refuses them), with the message to report.
    pub duplicates: Vec<(FieldPath, Message)>,
}

struct PendingKey {
    text: String,
    pos: Pos,
    merge: bool,
}

enum Kind {
    Map {
        map: Map<String, Value>,
        key: Option<PendingKey>,
        merges: Vec<(Value, NodeId, Pos)>,
    },
    Seq {
        items: Vec<Value>,
    },
}

struct Frame {
    node: NodeId,
    pos: Pos,
    anchor: usize,
    start_nodes: usize,
    kind: Kind,
}

struct Anchored {
    value: Value,
    node: NodeId,
    count: usize,
}

struct Builder<'f> {
    file: &'f str,
    /// The memory estimate of the submission, charged for every node built.
    budget: &'f mut Budget,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    index: PosIndex,
    duplicates: Vec<(FieldPath, Message)>,
    root: Option<(Value, NodeId, Pos)>,
    /// Nodes built in this document, aliases counted at their expanded size.
    nodes: usize,
    /// Nodes added by aliases in this file, and copied for them.
    expanded: usize,
    /// Anchor ids some alias refers to (anchor ids are unique in a stream).
    aliased: HashSet<usize>,
}

/// The anchor ids that aliases refer to: a first pass over the events (no values are
/// built). Text without a `*` has no alias.
fn aliased_anchors(text: &str) -> HashSet<usize> {
    let mut aliased = HashSet::new();
    if !text.contains('*') {
        return aliased;
    }
    let mut parser = Parser::new_from_str(text);
    // A syntax error ends the pass; the second pass reports it.
    while let Some(Ok((event, _))) = parser.next_event() {
        match event {
            Event::Alias(id) => {
                aliased.insert(id);
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    aliased
}

fn pos_of(span: &Span) -> Pos {
    Pos::new(span.start.line(), span.start.col() + 1)
}

/// The learner's mistake behind a scanner error, where it is: a tab in the indentation;
/// a key without its `:` — which the scanner reports on a later line, so the nearest
/// bare word at or above that line is the key meant (`spec` alone on its line), or the
/// key and value above a line whose `:` the scanner found out of place (`- name app`
/// above `image: …`); a `[` or `{` never closed, which the scanner reports where the next
/// line starts or at the end of the file, so the end of the last line written is where
/// it belongs; a quote never closed, at the quote; any other mistake reported at the end
/// of the file, at the end of the last line written.
pub fn refine(text: &str, error: InputError) -> InputError {
    let InputError::Syntax {
        file,
        line,
        column,
        message,
    } = error
    else {
        return error;
    };
    let lines: Vec<&str> = text.lines().collect();
    if message.contains("tab") && !message.contains("unprintable") {
        let tab_line = lines
            .get(line.saturating_sub(1))
            .filter(|l| l.contains('\t'))
            .map(|_| line)
            .or_else(|| {
                (1..line).rev().find(|n| {
                    lines
                        .get(n - 1)
                        .is_some_and(|l| l.trim_start_matches(' ').starts_with('\t'))
                })
            });
        if let Some(at) = tab_line {
            let column = lines[at - 1].find('\t').map_or(1, |c| c + 1);
            return InputError::Tab {
                file,
                line: at,
                column,
            };
        }
    }
    if message.contains("expect ':'") || message.contains("expected ':'") {
        let candidates = (1..=line.min(lines.len())).rev().take(3);
        if let Some((at, column, key)) = missing_colon(&lines, candidates) {
            return InputError::MissingColon {
                file,
                line: at,
                column,
                key,
            };
        }
    }
    if message.contains("mapping values are not allowed") && line <= lines.len() {
        // The `:` the scanner stopped at ends a key that began on a line above, which
        // has no `:` of its own: that line is a key whose `:` was left out, and the
        // lines after it were read as the rest of its value.
        let here: String = lines[line - 1]
            .chars()
            .take(column.saturating_sub(1))
            .collect();
        if !here.contains(':') {
            let above: Vec<usize> = (1..line)
                .rev()
                .take(3)
                .take_while(|n| !lines[n - 1].contains(':'))
                .collect();
            if let Some((at, column, key)) = missing_colon(&lines, above.into_iter()) {
                return InputError::MissingColon {
                    file,
                    line: at,
                    column,
                    key,
                };
            }
        }
    }
    let at_line_start = line > lines.len()
        || lines[line - 1]
            .chars()
            .take(column.saturating_sub(1))
            .all(char::is_whitespace);
    let close = if message.contains("flow sequence") {
        Some(']')
    } else if message.contains("flow mapping") {
        Some('}')
    } else if message.starts_with("invalid indentation") && !message.contains("quoted") {
        // A line less indented than the `[…]` or `{…}` it would continue.
        unclosed_flow(&lines[..line.saturating_sub(1).min(lines.len())])
    } else {
        None
    };
    if let (Some(close), true) = (close, at_line_start)
        && let Some((at, column)) = last_written(&lines, line)
    {
        return InputError::Unclosed {
            file,
            line: at,
            column,
            close,
        };
    }
    if message.contains("quoted scalar, found unexpected end of stream")
        && let Some((at, column)) = last_quote(&lines)
    {
        return InputError::Syntax {
            file,
            line: at,
            column,
            message,
        };
    }
    if line > lines.len() || lines[line - 1].trim().is_empty() {
        // At the end of the file: the mistake is in what was written last.
        if let Some((at, column)) = last_written(&lines, line) {
            return InputError::Syntax {
                file,
                line: at,
                column,
                message,
            };
        }
    }
    InputError::Syntax {
        file,
        line,
        column,
        message,
    }
}

/// Among the lines `candidates` (numbers from 1, nearest first), the first that is a key
/// without its `:`: a bare word (`spec`), or a key and its value with the colon left out
/// (`kind NetworkPolicy`, `- name app`): (line, the column where the `:` belongs, key).
fn missing_colon(
    lines: &[&str],
    candidates: impl Iterator<Item = usize> + Clone,
) -> Option<(usize, usize, String)> {
    let bare = |l: &str| {
        let word = l.trim().trim_start_matches("- ").trim();
        !word.is_empty()
            && !word.starts_with('#')
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if let Some(at) = candidates.clone().find(|n| bare(lines[n - 1])) {
        let text = lines[at - 1];
        let key = text.trim().trim_start_matches("- ").trim().to_string();
        let column = text.trim_end().chars().count() + 1;
        return Some((at, column, key));
    }
    let key_value = |l: &str| -> Option<(String, usize)> {
        let indent = l.len() - l.trim_start().len();
        let body = l.trim_start();
        let (dash, body) = match body.strip_prefix("- ") {
            Some(rest) => (2, rest),
            None => (0, body),
        };
        let (key, value) = body.trim_end().split_once(' ')?;
        let value = value.trim();
        let plain = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        };
        (plain(key) && !value.is_empty() && !value.contains(": ") && !value.starts_with('#'))
            .then(|| (key.to_string(), indent + dash + key.len() + 1))
    };
    candidates
        .into_iter()
        .find_map(|n| key_value(lines[n - 1]).map(|(key, column)| (n, column, key)))
}

/// The last line before line `line` (from 1) with something written on it, not only a
/// comment: (its number, the column just after its last character).
fn last_written(lines: &[&str], line: usize) -> Option<(usize, usize)> {
    (1..line.min(lines.len() + 1)).rev().find_map(|n| {
        let text = lines[n - 1].trim_end();
        let written = text.trim_start();
        (!written.is_empty() && !written.starts_with('#')).then(|| (n, text.chars().count() + 1))
    })
}

/// The closing bracket of the innermost `[` or `{` left open at the end of `lines`, if
/// any: brackets in quotes and comments do not count, nor a bracket inside a plain
/// value of block YAML (`a[0]`), which opens nothing.
fn unclosed_flow(lines: &[&str]) -> Option<char> {
    let mut open = Vec::new();
    for line in lines {
        let mut quote = None;
        let mut previous = None;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' if previous.is_none_or(char::is_whitespace) => break,
                    '[' | '{'
                        if !open.is_empty()
                            || previous.is_none_or(|p: char| {
                                p.is_whitespace() || matches!(p, ':' | '-' | ',' | '[' | '{')
                            }) =>
                    {
                        open.push(if c == '[' { ']' } else { '}' });
                    }
                    ']' | '}' if !open.is_empty() => {
                        open.pop();
                    }
                    _ => {}
                },
            }
            previous = Some(c);
        }
    }
    open.pop()
}

/// The last quote of the file, where a quoted text that is never closed starts: (line,
/// column).
fn last_quote(lines: &[&str]) -> Option<(usize, usize)> {
    lines.iter().enumerate().rev().find_map(|(i, text)| {
        let quote = text.chars().rev().position(|c| c == '"' || c == '\'')?;
        Some((i + 1, text.chars().count() - quote))
    })
}

/// What the YAML parser's words (`saphyr-parser`'s `ScanError`, English) say is wrong,
/// in kubelab's words in both languages.
pub fn reason(parser: &str) -> Message {
    let has = |words: &str| parser.contains(words);
    if has("unprintable") || has("byte order mark") {
        msg!("yaml-character")
    } else if has("mapping values are not allowed") {
        msg!("yaml-mapping-values")
    } else if has("while parsing a block mapping") {
        msg!("yaml-block-mapping")
    } else if has("while parsing a block collection") {
        msg!("yaml-block-sequence")
    } else if has("block sequence entries are not allowed") || has("is only valid inside a block") {
        msg!("yaml-sequence-not-allowed")
    } else if has("flow sequence") {
        msg!("yaml-flow-sequence")
    } else if has("flow mapping") {
        msg!("yaml-flow-mapping")
    } else if has("quoted scalar, found unexpected") || has("invalid indentation in quoted scalar")
    {
        msg!("yaml-unclosed-quote")
    } else if has("after double-quoted scalar") {
        msg!("yaml-after-quote")
    } else if has("while parsing a quoted scalar") {
        msg!("yaml-escape")
    } else if has("tab") {
        msg!("yaml-tab")
    } else if has("expect ':'") {
        msg!("yaml-missing-colon")
    } else if has("':' must be followed") || has("':' indicator") || has("':' may not precede") {
        msg!("yaml-colon-space")
    } else if has("'-' must be followed") || has("cannot start with '-'") {
        msg!("yaml-dash-space")
    } else if let Some(rest) = parser.strip_prefix("unexpected character: `") {
        let char: String = rest.chars().take(1).collect();
        msg!("yaml-reserved-character", char = char)
    } else if has("did not find expected node content") {
        msg!("yaml-node-content")
    } else if has("misplaced bracket") {
        msg!("yaml-misplaced-bracket")
    } else if has("found unknown anchor") {
        msg!("input-unknown-alias")
    } else if has("anchor") {
        msg!("yaml-anchor-name")
    } else if has("comments must be separated") {
        msg!("yaml-comment-space")
    } else if has("comment intercepting") {
        msg!("yaml-comment-in-text")
    } else if has("block scalar") {
        msg!("yaml-block-scalar")
    } else if has("directive") {
        msg!("yaml-directive")
    } else if has("tag") || has("handle") {
        msg!("yaml-tag")
    } else if has("document") || has("stream-start") {
        msg!("yaml-document")
    } else if has("indent") || has("mapping keys are not allowed") || has("simple key") {
        msg!("yaml-indentation")
    } else {
        msg!("yaml-other")
    }
}

fn syntax(file: &str, err: &ScanError) -> InputError {
    let (line, column) = (err.marker().line().max(1), err.marker().col() + 1);
    if err.info().contains("recursion limit") {
        return InputError::TooDeep {
            file: file.to_string(),
            line,
            column,
            limit: MAX_DEPTH,
        };
    }
    InputError::Syntax {
        file: file.to_string(),
        line,
        column,
        message: err.info().to_string(),
    }
}

fn core_tag(tag: Option<&Tag>) -> CoreTag {
    match tag {
        Some(t) if t.is_yaml_core_schema() && t.suffix == "str" => CoreTag::Str,
        Some(t) if t.is_yaml_core_schema() => CoreTag::Other,
        _ => CoreTag::None,
    }
}

impl<'f> Builder<'f> {
    fn new(file: &'f str, aliased: HashSet<usize>, budget: &'f mut Budget) -> Self {
        Self {
            aliased,
            budget,
            file,
            stack: Vec::new(),
            anchors: HashMap::new(),
            index: PosIndex::default(),
            duplicates: Vec::new(),
            root: None,
            nodes: 0,
            expanded: 0,
        }
    }

    fn start(&mut self, pos: Pos, anchor: usize, kind: Kind) -> Result<(), InputError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(InputError::TooDeep {
                file: self.file.to_string(),
                line: pos.line as usize,
                column: pos.column as usize,
                limit: MAX_DEPTH,
            });
        }
        self.nodes += 1;
        let node = self.index.node();
        self.stack.push(Frame {
            node,
            pos,
            anchor,
            start_nodes: self.nodes - 1,
            kind,
        });
        Ok(())
    }

    fn bomb(&self, pos: Pos) -> InputError {
        InputError::AliasBomb {
            file: self.file.to_string(),
            line: pos.line as usize,
            column: pos.column as usize,
            limit: MAX_EXPANDED,
        }
    }

    fn too_much(&self, pos: Pos) -> InputError {
        InputError::TooMuchData {
            file: self.file.to_string(),
            line: pos.line as usize,
            column: pos.column as usize,
            limit_mib: MAX_PARSED_BYTES >> 20,
        }
    }

    /// A node is complete: a scalar, an alias or a closed collection.
    fn complete(
        &mut self,
        value: Value,
        node: NodeId,
        pos: Pos,
        merge_key: bool,
    ) -> Result<(), InputError> {
        if !self.budget.node(&value) {
            return Err(self.too_much(pos));
        }
        let Some(top) = self.stack.last_mut() else {
            self.root = Some((value, node, pos));
            return Ok(());
        };
        let parent = top.node;
        match &mut top.kind {
            Kind::Seq { items } => {
                self.index
                    .edge(parent, Segment::Index(items.len()), node, pos);
                items.push(value);
            }
            Kind::Map { key, .. } if key.is_none() => {
                if value.is_array() || value.is_object() {
                    // sigs.k8s.io/yaml (what kubectl parses with) refuses such keys
                    // ("unsupported map key"); stringified, nested ones would double
                    // their escapes at every level.
                    return Err(InputError::Malformed {
                        file: self.file.to_string(),
                        line: pos.line as usize,
                        column: pos.column as usize,
                        what: msg!("input-key-not-scalar"),
                    });
                }
                *key = Some(PendingKey {
                    text: scalar::key_string(value),
                    pos,
                    merge: merge_key,
                });
            }
            Kind::Map { map, key, merges } => {
                let Some(k) = key.take() else { return Ok(()) };
                if k.merge {
                    // Located at the `<<` key: the merged fields are at this level
                    // because of that line.
                    merges.push((value, node, k.pos));
                    return Ok(());
                }
                if !self.budget.entry(&k.text, map.is_empty()) {
                    return Err(InputError::TooMuchData {
                        file: self.file.to_string(),
                        line: k.pos.line as usize,
                        column: k.pos.column as usize,
                        limit_mib: MAX_PARSED_BYTES >> 20,
                    });
                }
                if map.contains_key(&k.text) && self.duplicates.len() >= MAX_DUPLICATES {
                    map.insert(k.text.clone(), value);
                    self.index.edge(parent, Segment::Key(k.text), node, k.pos);
                } else if map.contains_key(&k.text) {
                    let first = self
                        .index
                        .get(parent, &Segment::Key(k.text.clone()))
                        .map(|(_, p)| p.line)
                        .unwrap_or_default();
                    let message = msg!(
                        "manifest-duplicate-field",
                        key = k.text.clone(),
                        line = first
                    );
                    map.insert(k.text.clone(), value);
                    // Re-borrow: the path needs the frames, with this key pending.
                    let mut path = FieldPath::root();
                    for frame in &self.stack[..self.stack.len() - 1] {
                        match &frame.kind {
                            Kind::Map { key: Some(k), .. } => {
                                path.0.push(Segment::Key(k.text.clone()))
                            }
                            Kind::Map { key: None, .. } => {}
                            Kind::Seq { items } => path.0.push(Segment::Index(items.len())),
                        }
                    }
                    self.duplicates.push((path.key(k.text.clone()), message));
                    self.index.edge(parent, Segment::Key(k.text), node, k.pos);
                } else {
                    self.index
                        .edge(parent, Segment::Key(k.text.clone()), node, k.pos);
                    map.insert(k.text, value);
                }
            }
        }
        Ok(())
    }

    /// Keeps a copy of an anchored node for the aliases that refer to it (none is kept
    /// when no alias does); the copy counts towards [`MAX_EXPANDED`].
    fn remember(
        &mut self,
        anchor: usize,
        value: &Value,
        node: NodeId,
        count: usize,
        pos: Pos,
    ) -> Result<(), InputError> {
        if anchor == 0 || !self.aliased.contains(&anchor) {
            return Ok(());
        }
        self.expanded = self.expanded.saturating_add(count);
        if self.expanded > MAX_EXPANDED {
            return Err(self.bomb(pos));
        }
        self.anchors.insert(
            anchor,
            Anchored {
                value: value.clone(),
                node,
                count,
            },
        );
        Ok(())
    }

    fn end(&mut self) -> Result<(), InputError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.kind {
            Kind::Seq { mut items } => {
                items.shrink_to_fit();
                self.index.close_sequence(frame.node);
                Value::Array(items)
            }
            Kind::Map {
                mut map, merges, ..
            } => {
                for (source, source_node, pos) in merges {
                    match source {
                        Value::Object(m) => self.merge(&mut map, frame.node, m, source_node, pos),
                        Value::Array(list) => {
                            for (i, item) in list.into_iter().enumerate() {
                                let Value::Object(m) = item else {
                                    return Err(self.bad_merge(pos));
                                };
                                let item_node = self
                                    .index
                                    .get(source_node, &Segment::Index(i))
                                    .map_or(LEAF, |(n, _)| n);
                                self.merge(&mut map, frame.node, m, item_node, pos);
                            }
                        }
                        _ => return Err(self.bad_merge(pos)),
                    }
                }
                Value::Object(map)
            }
        };
        let count = self.nodes - frame.start_nodes;
        self.remember(frame.anchor, &value, frame.node, count, frame.pos)?;
        self.complete(value, frame.node, frame.pos, false)
    }

    fn bad_merge(&self, pos: Pos) -> InputError {
        InputError::Malformed {
            file: self.file.to_string(),
            line: pos.line as usize,
            column: pos.column as usize,
            what: msg!("input-bad-merge-key"),
        }
    }

    /// Merge-key semantics: keys written in the mapping win, then earlier sources. A
    /// merged key is located at the `<<` key that brought it (`at`), not at the anchor:
    /// a field carried to the wrong level is fixed at that line. Its own children keep
    /// their lines under the anchor.
    fn merge(
        &mut self,
        map: &mut Map<String, Value>,
        node: NodeId,
        source: Map<String, Value>,
        source_node: NodeId,
        at: Pos,
    ) {
        for (k, v) in source {
            if map.contains_key(&k) {
                continue;
            }
            let segment = Segment::Key(k);
            if let Some((child, _)) = self.index.get(source_node, &segment) {
                self.index.edge(node, segment.clone(), child, at);
            }
            let Segment::Key(k) = segment else { continue };
            map.insert(k, v);
        }
    }

    fn alias(&mut self, id: usize, pos: Pos) -> Result<(), InputError> {
        let Some(count) = self.anchors.get(&id).map(|a| a.count) else {
            return Err(InputError::Malformed {
                file: self.file.to_string(),
                line: pos.line as usize,
                column: pos.column as usize,
                what: msg!("input-unknown-alias"),
            });
        };
        self.expanded = self.expanded.saturating_add(count);
        if self.expanded > MAX_EXPANDED {
            return Err(self.bomb(pos));
        }
        if !self.budget.expansion(count) {
            return Err(self.too_much(pos));
        }
        let anchored = &self.anchors[&id];
        let (value, node) = (anchored.value.clone(), anchored.node);
        self.nodes = self.nodes.saturating_add(count);
        self.complete(value, node, pos, false)
    }
}

/// Parses every document of `text`; `file` names it in errors. Every node built is
/// charged to `budget`; past its limit the parse stops with [`InputError::TooMuchData`].
pub fn parse(file: &str, text: &str, budget: &mut Budget) -> Result<Vec<Document>, InputError> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::new(file, aliased_anchors(text), budget);
    let mut documents = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| syntax(file, &e))?;
        let pos = pos_of(&span);
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                builder.anchors.clear();
                builder.index = PosIndex::default();
                builder.duplicates.clear();
                builder.root = None;
                builder.nodes = 0;
            }
            Event::DocumentEnd => {
                if let Some((value, root, pos)) = builder.root.take() {
                    documents.push(Document {
                        value,
                        root,
                        pos,
                        index: std::mem::take(&mut builder.index),
                        duplicates: std::mem::take(&mut builder.duplicates),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let plain = matches!(style, ScalarStyle::Plain);
                let style = if plain { Style::Plain } else { Style::Quoted };
                let value = scalar::resolve(&text, style, core_tag(tag.as_deref()));
                builder.nodes += 1;
                builder.remember(anchor, &value, LEAF, 1, pos)?;
                let merge = plain && text == "<<";
                builder.complete(value, LEAF, pos, merge)?;
            }
            Event::Alias(id) => builder.alias(id, pos)?,
            Event::SequenceStart(anchor, _) => {
                builder.start(pos, anchor, Kind::Seq { items: Vec::new() })?
            }
            Event::MappingStart(anchor, _) => builder.start(
                pos,
                anchor,
                Kind::Map {
                    map: Map::new(),
                    key: None,
                    merges: Vec::new(),
                },
            )?,
            Event::SequenceEnd | Event::MappingEnd => builder.end()?,
            Event::StreamStart | Event::Nothing => {}
        }
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse_alone(file: &str, text: &str) -> Result<Vec<Document>, InputError> {
        parse(file, text, &mut Budget::default())
    }

    fn one(text: &str) -> Document {
        let mut docs = parse("t.yaml", text, &mut Budget::default()).unwrap();
        assert_eq!(docs.len(), 1, "{docs:?}");
        docs.remove(0)
    }

    fn at(doc: &Document, path: &str) -> (u32, u32) {
        let p = doc
            .index
            .exact(doc.root, &FieldPath::parse(path))
            .unwrap_or_else(|| panic!("{path} not indexed"));
        (p.line, p.column)
    }

    #[test]
    fn block_style_positions() {
        let doc = one("a: 1\nb:\n  c: [x, y]\n  d:\n  - e: 1\n    f: 2\n  - g\n");
        assert_eq!(
            doc.value,
            json!({"a": 1, "b": {"c": ["x", "y"], "d": [{"e": 1, "f": 2}, "g"]}})
        );
        assert_eq!(at(&doc, "a"), (1, 1));
        assert_eq!(at(&doc, "b.c"), (3, 3));
        assert_eq!(at(&doc, "b.c[1]"), (3, 10));
        assert_eq!(at(&doc, "b.d[0]"), (5, 5));
        assert_eq!(at(&doc, "b.d[0].f"), (6, 5));
        assert_eq!(at(&doc, "b.d[1]"), (7, 5));
        assert_eq!((doc.pos.line, doc.pos.column), (1, 1));
    }

    #[test]
    fn flow_style_positions() {
        let doc = one("{a: {b: [1, {c: 2}]}, d: x}");
        assert_eq!(at(&doc, "a.b"), (1, 6));
        assert_eq!(at(&doc, "a.b[1].c"), (1, 14));
        assert_eq!(at(&doc, "d"), (1, 23));
    }

    #[test]
    fn json_positions_and_types() {
        let doc = one("{\n  \"a\": {\"b\": \"1000\"},\n  \"c\": [1, 2.5, true, null]\n}\n");
        assert_eq!(
            doc.value,
            json!({"a": {"b": "1000"}, "c": [1, 2.5, true, null]})
        );
        assert_eq!(at(&doc, "a.b"), (2, 9));
        assert_eq!(at(&doc, "c[3]"), (3, 23));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let doc = one(
            "base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\ncopy: *b\nlist:\n  <<: [{p: 1}, {p: 2, q: 3}]\n",
        );
        assert_eq!(doc.value["use"], json!({"x": 1, "y": 3}));
        assert_eq!(doc.value["copy"], json!({"x": 1, "y": 2}));
        assert_eq!(doc.value["list"], json!({"p": 1, "q": 3}));
        assert_eq!(at(&doc, "use.y"), (6, 3));
        // a merged field points at the `<<` that brought it to this level; an aliased
        // one at where it was written
        assert_eq!(at(&doc, "use.x"), (5, 3));
        assert_eq!(at(&doc, "copy"), (7, 1));
        assert_eq!(at(&doc, "copy.y"), (3, 3));
    }

    #[test]
    fn quoted_merge_key_is_a_plain_key() {
        let doc = one("\"<<\": 1\n");
        assert_eq!(doc.value, json!({"<<": 1}));
    }

    #[test]
    fn non_string_keys_are_stringified() {
        let doc = one("80: a\ntrue: b\n0x10: c\n");
        assert_eq!(doc.value, json!({"80": "a", "true": "b", "16": "c"}));
    }

    #[test]
    fn duplicates_are_reported() {
        let doc = one("a:\n  b: 1\n  b: 2\n");
        assert_eq!(doc.value, json!({"a": {"b": 2}}));
        assert_eq!(doc.duplicates.len(), 1);
        assert_eq!(doc.duplicates[0].0.to_string(), "a.b");
        assert!(
            doc.duplicates[0].1.contains("line 2"),
            "{:?}",
            doc.duplicates
        );
        assert_eq!(at(&doc, "a.b"), (3, 3));
    }

    #[test]
    fn multi_document_and_comments() {
        let docs = parse_alone(
            "t.yaml",
            "# c\na: 1 # x\n---\n---\n# only\n---\nb: 2\n...\n",
        )
        .unwrap();
        let values: Vec<_> = docs.iter().map(|d| d.value.clone()).collect();
        assert!(values.contains(&json!({"a": 1})));
        assert!(values.contains(&json!({"b": 2})));
        let b = docs.iter().find(|d| d.value == json!({"b": 2})).unwrap();
        assert_eq!(at(b, "b"), (7, 1));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse("bomb.yaml", &text, &mut Budget::default()).unwrap_err();
        assert!(matches!(err, InputError::AliasBomb { .. }), "{err}");
        assert!(err.to_string().starts_with("bomb.yaml:5:"), "{err}");
        assert!(err.to_string().contains("alias bomb"));
    }

    #[test]
    fn too_deep_is_refused() {
        let text = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        let err = parse("deep.yaml", &text, &mut Budget::default()).unwrap_err();
        assert!(matches!(err, InputError::TooDeep { line: 1, .. }), "{err}");
        let mut block = String::new();
        for i in 0..300 {
            block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        let err = parse("deep.yaml", &block, &mut Budget::default()).unwrap_err();
        assert!(err.to_string().starts_with("deep.yaml:257:"), "{err}");
        assert!(err.to_string().contains("nested more than 256 levels"));
    }

    #[test]
    fn malformed_yaml_has_a_line() {
        let err = parse_alone("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(matches!(err, InputError::Syntax { .. }), "{err}");
        assert!(err.to_string().starts_with("bad.yaml:"), "{err}");
        let err = parse_alone("bad.yaml", "a: 1\n  b: 2\n").unwrap_err();
        assert!(err.to_string().starts_with("bad.yaml:2:"), "{err}");
        assert!(err.to_string().contains("malformed YAML"), "{err}");
    }
}
