//! How much memory the learner's input may take once parsed: an estimate in bytes,
//! charged as values are built (a scalar, a mapping entry, a list item, an alias's
//! expansion, an object) and refused past [`MAX_PARSED_BYTES`] at the place in the file
//! where it ran out, so that no input of any shape — a list of two million items, a
//! hundred thousand small mappings, a `PodList` of empty items — takes more than a
//! bounded amount of memory. The costs are measured sizes on 64-bit Linux: a
//! `serde_json::Value` is 32 bytes, a heap string at least 32, a B-tree leaf of a
//! mapping about 640, a position-index entry 12 (list item) or about 64 (mapping key);
//! an [`crate::manifest::Object`] with its bookkeeping about 2 KiB.

use serde_json::Value;

/// The most memory (estimated) the parsed input of one submission may take. The
/// process's peak stays under 200 MB with it (about 35 MB of program and labs, typed
/// copies of one object while checks run).
pub const MAX_PARSED_BYTES: usize = 96 << 20;

/// A list item or a number, boolean or null: its `Value` and its index entry.
const NODE: usize = 44;
/// A string's heap block beyond its characters, and the typed copy checks make of it.
const STRING: usize = 64;
/// A mapping entry: its key `String` and value slot in the B-tree, its index entry (a
/// hash-map entry with its own copy of the key), and a typed copy while checks run.
const ENTRY: usize = 240;
/// The B-tree leaf that a mapping's first entry allocates.
const MAP: usize = 640;
/// One node of an alias's expansion (a copy, with no index entries of its own).
const EXPANDED: usize = 300;
/// One object: its fields, its copies of apiVersion, kind and name, its schema problems.
const OBJECT: usize = 2048;

/// The memory charged so far to one submission.
#[derive(Debug, Default)]
pub struct Budget {
    used: usize,
}

impl Budget {
    /// Charges `bytes`; `false` once the total is past [`MAX_PARSED_BYTES`].
    fn charge(&mut self, bytes: usize) -> bool {
        self.used = self.used.saturating_add(bytes);
        self.used <= MAX_PARSED_BYTES
    }

    /// A file's text, kept for snippets.
    pub fn text(&mut self, text: &str) -> bool {
        self.charge(text.len())
    }

    /// A scalar or a collection as a value (a collection's content is charged as it is
    /// built).
    pub fn node(&mut self, value: &Value) -> bool {
        let extra = match value {
            Value::String(s) => STRING + s.len(),
            _ => 0,
        };
        self.charge(NODE + extra)
    }

    /// A mapping entry with key `key`; `first` for the mapping's first entry.
    pub fn entry(&mut self, key: &str, first: bool) -> bool {
        self.charge(ENTRY + key.len() + if first { MAP } else { 0 })
    }

    /// An alias expanding to `nodes` nodes.
    pub fn expansion(&mut self, nodes: usize) -> bool {
        self.charge(nodes.saturating_mul(EXPANDED))
    }

    /// One object.
    pub fn object(&mut self) -> bool {
        self.charge(OBJECT)
    }
}
