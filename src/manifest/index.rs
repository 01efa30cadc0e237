//! Where each field of a document was written: a tree of nodes whose edges (a key of a
//! mapping, an index of a sequence) carry the position of the key or of the item.
//!
//! Aliases share the anchored node (the tree is a DAG), so expanding `*x` costs nothing
//! here; the edge that leads to the alias still carries the alias's own position.
//!
//! Memory is linear in what was written, with a small constant: a sequence item costs
//! one 12-byte [`Child`] in its sequence's vector (a list of two million scalars, the
//! most a 4 MiB file can hold, needs 24 MB here), a mapping entry one hash-map entry
//! keyed by its parent and key; empty collections cost nothing.

use super::path::{FieldPath, Segment};
use std::collections::HashMap;

/// A line and column, both 1-based.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Self {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

/// A node id; `LEAF` for scalars (they have no children).
pub type NodeId = u32;
pub const LEAF: NodeId = u32::MAX;

/// Where a child was written and which node it is (`LEAF` for a scalar).
#[derive(Clone, Copy, Debug)]
struct Child {
    node: NodeId,
    pos: Pos,
}

/// Positions of one YAML document.
#[derive(Debug, Default)]
pub struct PosIndex {
    nodes: u32,
    /// Mapping entries: (mapping, key) → the value's node and the key's position.
    keys: HashMap<(NodeId, String), Child>,
    /// Sequence items, by sequence: item `i` at `[i]`.
    items: HashMap<NodeId, Vec<Child>>,
}

impl PosIndex {
    /// A new collection node.
    pub fn node(&mut self) -> NodeId {
        let id = self.nodes;
        self.nodes = self.nodes.saturating_add(1);
        id
    }

    /// Records that `parent`'s `segment` was written at `pos` and holds `child`. Items of
    /// a sequence are recorded in order (item `i` after item `i - 1`); an index past the
    /// end is ignored.
    pub fn edge(&mut self, parent: NodeId, segment: Segment, child: NodeId, pos: Pos) {
        if parent == LEAF {
            return;
        }
        let entry = Child { node: child, pos };
        match segment {
            Segment::Key(key) => {
                self.keys.insert((parent, key), entry);
            }
            Segment::Index(i) => {
                let items = self.items.entry(parent).or_default();
                match i.cmp(&items.len()) {
                    std::cmp::Ordering::Less => items[i] = entry,
                    std::cmp::Ordering::Equal => items.push(entry),
                    std::cmp::Ordering::Greater => {}
                }
            }
        }
    }

    /// A sequence is complete: its items take no more room than they need.
    pub fn close_sequence(&mut self, node: NodeId) {
        if let Some(items) = self.items.get_mut(&node) {
            items.shrink_to_fit();
        }
    }

    /// The child and position of `parent`'s `segment`.
    pub fn get(&self, parent: NodeId, segment: &Segment) -> Option<(NodeId, Pos)> {
        if parent == LEAF {
            return None;
        }
        let child = match segment {
            // A borrowed lookup would need a second key type; keys are short.
            Segment::Key(key) => self.keys.get(&(parent, key.clone())).copied(),
            Segment::Index(i) => self.items.get(&parent).and_then(|v| v.get(*i)).copied(),
        };
        child.map(|c| (c.node, c.pos))
    }

    /// Walks `path` from `root` (written at `root_pos`); the position of the deepest
    /// segment that exists.
    pub fn locate(&self, root: NodeId, root_pos: Pos, path: &FieldPath) -> Pos {
        let (mut node, mut pos) = (root, root_pos);
        for segment in &path.0 {
            match self.get(node, segment) {
                Some((child, at)) => {
                    node = child;
                    pos = at;
                }
                None => break,
            }
        }
        pos
    }

    /// Like `locate`, but `None` unless the whole path exists.
    pub fn exact(&self, root: NodeId, path: &FieldPath) -> Option<Pos> {
        let mut node = root;
        let mut pos = None;
        for segment in &path.0 {
            let (child, at) = self.get(node, segment)?;
            node = child;
            pos = Some(at);
        }
        pos
    }

    /// The node `path` leads to from `root`.
    pub fn node_at(&self, root: NodeId, path: &FieldPath) -> Option<(NodeId, Pos)> {
        let mut node = root;
        let mut pos = Pos::default();
        for segment in &path.0 {
            let (child, at) = self.get(node, segment)?;
            node = child;
            pos = at;
        }
        Some((node, pos))
    }
}
