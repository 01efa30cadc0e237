//! A field path inside an object, e.g. `spec.containers[0].securityContext.runAsUser`.
//!
//! The same path names a field in the learner's YAML (to find its line), in a typed
//! round trip (to name an unknown field) and in a finding (to explain it).

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// Parses `a.b[0].c`; keys may not contain `.` or `[` (Kubernetes field names never do).
    pub fn parse(text: &str) -> Self {
        let mut segments = Vec::new();
        for part in text
            .trim_start_matches('.')
            .split('.')
            .filter(|p| !p.is_empty())
        {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !key.is_empty() {
                segments.push(Segment::Key(key.to_string()));
            }
            while let Some(end) = rest.find(']') {
                if let Ok(i) = rest[1..end].parse() {
                    segments.push(Segment::Index(i));
                }
                rest = &rest[end + 1..];
            }
        }
        Self(segments)
    }

    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.into()));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    pub fn parent(&self) -> Option<Self> {
        let mut parent = self.clone();
        parent.0.pop().map(|_| parent)
    }

    pub fn last_key(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) => None,
        })
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl serde::Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl From<&str> for FieldPath {
    fn from(text: &str) -> Self {
        Self::parse(text)
    }
}

/// The value at `path` inside `value` (an object's JSON form), or `None` when a key or
/// index along the way is missing or the value there is `null` (the API server treats an
/// explicit `null` like an absent field).
pub fn lookup<'v>(value: &'v serde_json::Value, path: &FieldPath) -> Option<&'v serde_json::Value> {
    path.0
        .iter()
        .try_fold(value, |v, segment| match segment {
            Segment::Key(k) => v.get(k),
            Segment::Index(i) => v.get(i),
        })
        .filter(|v| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        for text in [
            "spec.containers[0].securityContext.runAsUser",
            "spec.ingress[1].from[0].podSelector.matchLabels",
            "metadata",
            "items[3]",
        ] {
            assert_eq!(FieldPath::parse(text).to_string(), text);
        }
    }

    #[test]
    fn parse_accepts_a_leading_dot_like_server_errors() {
        assert_eq!(
            FieldPath::parse(".spec.containers[0].image"),
            FieldPath::root()
                .key("spec")
                .key("containers")
                .index(0)
                .key("image")
        );
    }

    #[test]
    fn parent_walks_up() {
        let p = FieldPath::parse("spec.containers[0]");
        assert_eq!(p.parent().unwrap().to_string(), "spec.containers");
        assert_eq!(FieldPath::root().parent(), None);
    }
}
