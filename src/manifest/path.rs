//! Paths inside an object: a concrete [`FieldPath`] such as
//! `spec.containers[0].securityContext.runAsUser`, and the [`FieldPattern`] a lab's
//! `field` check writes, which may also quote a key (`metadata.labels["app.kubernetes.io/name"]`)
//! and name every element of a list (`spec.containers[*].image`).
//!
//! The same path names a field in the learner's YAML (to find its line), in a typed
//! round trip (to name an unknown field) and in a finding (to explain it).

use std::fmt;

/// One step of a [`FieldPath`]: a map key or a list index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A concrete path to one field, e.g. `spec.containers[0].securityContext.runAsUser`:
/// what `Object::locate` finds a line for. Its text form is [`FieldPattern`]'s syntax
/// without `[*]`; a key that needs it is quoted (`metadata.labels["a.b/c"]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// Parses `a.b[0].c`, `.a.b` (a leading dot, as in the API server's errors) and
    /// `metadata.labels["app.kubernetes.io/name"]`: the syntax of [`FieldPattern::parse`].
    /// Lenient, for paths kubelab writes itself: a malformed path, or one with `[*]`,
    /// yields the segments before the first problem (a lab's paths are checked strictly
    /// with [`FieldPattern::parse`] when the lab is loaded).
    pub fn parse(text: &str) -> Self {
        let (steps, _) = scan(text);
        Self(
            steps
                .into_iter()
                .map_while(|step| match step {
                    Step::Key(k) => Some(Segment::Key(k)),
                    Step::Index(i) => Some(Segment::Index(i)),
                    Step::Every => None,
                })
                .collect(),
        )
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
                Segment::Key(k) => write_key(f, i == 0, k)?,
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

/// Whether `key` can be written bare (`.key`): not empty, and no dot, bracket, quote,
/// backslash or white space in it.
fn is_bare(key: &str) -> bool {
    !key.is_empty()
        && !key
            .chars()
            .any(|c| matches!(c, '.' | '[' | ']' | '"' | '\'' | '\\') || c.is_whitespace())
}

/// A key as the syntax writes it: bare (`.key`, without the dot at the start) or quoted
/// (`["pod-security.kubernetes.io/enforce"]`, `"` and `\` escaped with `\`).
fn write_key(f: &mut fmt::Formatter<'_>, first: bool, key: &str) -> fmt::Result {
    if is_bare(key) {
        return if first {
            f.write_str(key)
        } else {
            write!(f, ".{key}")
        };
    }
    f.write_str("[\"")?;
    for c in key.chars() {
        if matches!(c, '"' | '\\') {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"]")
}

/// One step of a [`FieldPattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// `.key`, `["key"]` or `['key']`.
    Key(String),
    /// `[3]`.
    Index(usize),
    /// `[*]`: every element of a list.
    Every,
}

/// The path a lab's `field` check names, e.g. `spec.containers[*].image` or
/// `metadata.labels["pod-security.kubernetes.io/enforce"]`. The syntax is the part of
/// kubectl's JSONPath (`k8s.io/client-go/util/jsonpath`, as in
/// `kubectl get -o jsonpath='{.metadata.labels.app}'`) that names fields:
///
/// - `key` or `.key`: a map key without `.`, `[`, `]`, quotes or white space (a leading
///   `.` is allowed, as in `.spec.containers`);
/// - `["key"]` or `['key']`: any key, such as a label key with dots and slashes; `\`
///   escapes a quote or a backslash inside;
/// - `[N]`: the list element at index `N` (from 0);
/// - `[*]`: every element of the list (see [`FieldPattern::resolve`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldPattern(pub Vec<Step>);

/// What a [`FieldPattern`] names at one concrete place of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved<'v> {
    /// The concrete path (`spec.containers[1].image`); for `no_elements`, the list's.
    pub path: FieldPath,
    /// The value there; `None` when the field is not set (absent or `null`).
    pub value: Option<&'v serde_json::Value>,
    /// A `[*]` met a list that is absent, `null`, empty or not a list: there is no
    /// element to look at, so the field counts as not set.
    pub no_elements: bool,
}

impl FieldPattern {
    /// Parses a pattern.
    ///
    /// Errors: a [`PathError`] naming the problem and its column (from 1): an empty
    /// path; an empty segment (`a..b`, `a.`, `a.[0]`, `[""]`); an unclosed `[` or quote;
    /// brackets holding neither a number, `*` nor a quoted key (`[x]`, `[-1]`, `[]`); a
    /// character that cannot stand where it is (`a[0]b`, `["a"x]`, `a b`, `a]`).
    pub fn parse(text: &str) -> Result<Self, PathError> {
        match scan(text) {
            (steps, None) => Ok(Self(steps)),
            (_, Some(error)) => Err(error),
        }
    }

    /// Whether the pattern has a `[*]`.
    pub fn has_every(&self) -> bool {
        self.0.contains(&Step::Every)
    }

    /// The concrete places the pattern names in `value` (an object's JSON form), in
    /// document order, each with its value. A pattern without `[*]` names exactly one
    /// place; a `[*]` names one place per element of its list, or a single
    /// `no_elements` place (the list's) when the list is absent, `null`, empty or not a
    /// list.
    pub fn resolve<'v>(&self, value: &'v serde_json::Value) -> Vec<Resolved<'v>> {
        let mut out = Vec::new();
        resolve_from(&self.0, Some(value), FieldPath::root(), &mut out);
        out
    }
}

fn resolve_from<'v>(
    steps: &[Step],
    value: Option<&'v serde_json::Value>,
    path: FieldPath,
    out: &mut Vec<Resolved<'v>>,
) {
    let value = value.filter(|v| !v.is_null());
    let Some((step, rest)) = steps.split_first() else {
        out.push(Resolved {
            path,
            value,
            no_elements: false,
        });
        return;
    };
    match step {
        Step::Key(k) => resolve_from(rest, value.and_then(|v| v.get(k)), path.key(k), out),
        Step::Index(i) => resolve_from(rest, value.and_then(|v| v.get(*i)), path.index(*i), out),
        Step::Every => match value.and_then(|v| v.as_array()).filter(|a| !a.is_empty()) {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    resolve_from(rest, Some(item), path.index(i), out);
                }
            }
            None => out.push(Resolved {
                path,
                value: None,
                no_elements: true,
            }),
        },
    }
}

impl fmt::Display for FieldPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) => write_key(f, i == 0, k)?,
                Step::Index(n) => write!(f, "[{n}]")?,
                Step::Every => f.write_str("[*]")?,
            }
        }
        Ok(())
    }
}

/// Why a path does not parse; `column` counts characters from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// The path is empty.
    Empty,
    /// A segment with no key (`a..b`, `a.`, `a.[0]`, `[""]`); at its dot or `[`.
    EmptySegment { column: usize },
    /// A `[` without its `]`; at the `[`.
    UnclosedBracket { column: usize },
    /// A quote without its closing quote; at the opening quote.
    UnclosedQuote { column: usize },
    /// Brackets holding neither a number, `*` nor a quoted key; at the `[`.
    BadIndex { column: usize, text: String },
    /// A character that cannot stand where it is.
    Unexpected { column: usize, found: char },
}

impl PathError {
    /// The problem as a sentence (Fluent ids `path-error-*` in `i18n/*/manifest.ftl`).
    pub fn message(&self) -> crate::i18n::Message {
        match self {
            Self::Empty => crate::msg!("path-error-empty"),
            Self::EmptySegment { column } => {
                crate::msg!("path-error-empty-segment", column = *column)
            }
            Self::UnclosedBracket { column } => {
                crate::msg!("path-error-unclosed-bracket", column = *column)
            }
            Self::UnclosedQuote { column } => {
                crate::msg!("path-error-unclosed-quote", column = *column)
            }
            Self::BadIndex { column, text } => crate::msg!(
                "path-error-bad-index",
                column = *column,
                index = text.as_str()
            ),
            Self::Unexpected { column, found } => crate::msg!(
                "path-error-unexpected",
                column = *column,
                found = found.to_string()
            ),
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for PathError {}

/// A scanner over a path's characters; `scan` drives it.
struct Scanner {
    chars: Vec<char>,
    at: usize,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// The column (from 1) of the character at `at`.
    fn column(&self) -> usize {
        self.at + 1
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn unexpected(&self) -> PathError {
        match self.peek() {
            Some(found) => PathError::Unexpected {
                column: self.column(),
                found,
            },
            None => PathError::Empty,
        }
    }

    /// A bare key, up to the next `.`, `[` or the end.
    fn bare_key(&mut self) -> Result<Step, PathError> {
        let mut key = String::new();
        while let Some(c) = self.peek() {
            match c {
                '.' | '[' => break,
                ']' | '"' | '\'' => return Err(self.unexpected()),
                c if c.is_whitespace() => return Err(self.unexpected()),
                c => key.push(c),
            }
            self.at += 1;
        }
        Ok(Step::Key(key))
    }

    /// `[N]`, `[*]`, `["key"]` or `['key']`, from its `[` to its `]`.
    fn bracket(&mut self) -> Result<Step, PathError> {
        let open = self.column();
        let unclosed = PathError::UnclosedBracket { column: open };
        self.at += 1;
        self.skip_space();
        let step = match self.peek() {
            None => return Err(unclosed),
            Some(quote @ ('"' | '\'')) => {
                let opened = self.column();
                self.at += 1;
                let mut key = String::new();
                loop {
                    match self.peek() {
                        None => return Err(PathError::UnclosedQuote { column: opened }),
                        Some(c) if c == quote => break,
                        Some('\\') if self.at + 1 < self.chars.len() => {
                            key.push(self.chars[self.at + 1]);
                            self.at += 1;
                        }
                        Some(c) => key.push(c),
                    }
                    self.at += 1;
                }
                self.at += 1;
                self.skip_space();
                match self.peek() {
                    None => return Err(unclosed),
                    Some(']') if key.is_empty() => {
                        return Err(PathError::EmptySegment { column: open });
                    }
                    Some(']') => Step::Key(key),
                    Some(_) => return Err(self.unexpected()),
                }
            }
            Some(_) => {
                let Some(length) = self.chars[self.at..].iter().position(|&c| c == ']') else {
                    return Err(unclosed);
                };
                let inner: String = self.chars[self.at..self.at + length].iter().collect();
                let inner = inner.trim();
                let bad = || PathError::BadIndex {
                    column: open,
                    text: inner.to_string(),
                };
                self.at += length;
                if inner == "*" {
                    Step::Every
                } else if inner.chars().all(|c| c.is_ascii_digit()) {
                    Step::Index(inner.parse().map_err(|_| bad())?)
                } else {
                    return Err(bad());
                }
            }
        };
        // At the `]`.
        self.at += 1;
        Ok(step)
    }
}

/// The steps of `text` up to its first problem, and the problem.
fn scan(text: &str) -> (Vec<Step>, Option<PathError>) {
    let mut scanner = Scanner {
        chars: text.chars().collect(),
        at: 0,
    };
    let mut steps = Vec::new();
    if scanner.chars.is_empty() {
        return (steps, Some(PathError::Empty));
    }
    // The column of the dot that opened the segment at `at`: a key must follow it. At
    // the start and after a `]`, a `[` may follow instead.
    let mut dot = None;
    if scanner.peek() == Some('.') {
        dot = Some(scanner.column());
        scanner.at += 1;
    }
    loop {
        let step = match (scanner.peek(), dot) {
            (None, None) => return (steps, None),
            (None | Some('.' | '['), Some(column)) => {
                return (steps, Some(PathError::EmptySegment { column }));
            }
            (Some('['), None) => scanner.bracket(),
            (Some(_), _) => scanner.bare_key(),
        };
        match step {
            Ok(step) => steps.push(step),
            Err(error) => return (steps, Some(error)),
        }
        dot = None;
        match scanner.peek() {
            None | Some('[') => {}
            Some('.') => {
                dot = Some(scanner.column());
                scanner.at += 1;
            }
            Some(_) => return (steps, Some(scanner.unexpected())),
        }
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

#[cfg(test)]
mod pattern_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoted_keys_parse_in_either_quote_and_display_double_quoted() {
        let expected = FieldPattern(vec![
            Step::Key("metadata".into()),
            Step::Key("labels".into()),
            Step::Key("pod-security.kubernetes.io/enforce".into()),
        ]);
        for text in [
            "metadata.labels[\"pod-security.kubernetes.io/enforce\"]",
            "metadata.labels['pod-security.kubernetes.io/enforce']",
            ".metadata[ 'labels' ][\"pod-security.kubernetes.io/enforce\"]",
        ] {
            assert_eq!(FieldPattern::parse(text).unwrap(), expected, "{text}");
        }
        assert_eq!(
            expected.to_string(),
            "metadata.labels[\"pod-security.kubernetes.io/enforce\"]"
        );
        let escaped = FieldPattern::parse(r#"a["say \"hi\" \\ o'k"]"#).unwrap();
        assert_eq!(escaped.0[1], Step::Key(r#"say "hi" \ o'k"#.into()));
        assert_eq!(FieldPattern::parse(&escaped.to_string()).unwrap(), escaped);
    }

    #[test]
    fn every_and_indexes_parse_and_round_trip() {
        for text in [
            "spec.containers[*].image",
            "spec.initContainers[*].securityContext.runAsNonRoot",
            "spec.containers[0].securityContext",
            "items[3][*][0]",
            "[2].a",
        ] {
            assert_eq!(FieldPattern::parse(text).unwrap().to_string(), text);
        }
        assert!(
            FieldPattern::parse("spec.containers[*].image")
                .unwrap()
                .has_every()
        );
        assert!(
            !FieldPattern::parse("spec.containers[0]")
                .unwrap()
                .has_every()
        );
    }

    #[test]
    fn field_path_parse_keeps_its_syntax_and_reads_quoted_keys() {
        assert_eq!(
            FieldPath::parse("spec.containers[0].securityContext"),
            FieldPath::root()
                .key("spec")
                .key("containers")
                .index(0)
                .key("securityContext")
        );
        let label = FieldPath::parse("metadata.labels[\"app.kubernetes.io/name\"]");
        assert_eq!(
            label,
            FieldPath::root()
                .key("metadata")
                .key("labels")
                .key("app.kubernetes.io/name")
        );
        assert_eq!(
            label.to_string(),
            "metadata.labels[\"app.kubernetes.io/name\"]"
        );
        // Lenient: what comes before `[*]` or a problem.
        assert_eq!(
            FieldPath::parse("spec.containers[*].image").to_string(),
            "spec.containers"
        );
        assert_eq!(
            FieldPath::parse("spec.containers[x]").to_string(),
            "spec.containers"
        );
    }

    #[test]
    fn errors_name_the_problem_and_its_column() {
        use PathError::*;
        for (text, error) in [
            ("", Empty),
            (".", EmptySegment { column: 1 }),
            ("a..b", EmptySegment { column: 2 }),
            ("a.", EmptySegment { column: 2 }),
            ("a.[0]", EmptySegment { column: 2 }),
            ("a[\"\"]", EmptySegment { column: 2 }),
            ("a[0", UnclosedBracket { column: 2 }),
            ("a[", UnclosedBracket { column: 2 }),
            ("a['b'", UnclosedBracket { column: 2 }),
            ("a['b]", UnclosedQuote { column: 3 }),
            ("a[\"b", UnclosedQuote { column: 3 }),
            (
                "a[x]",
                BadIndex {
                    column: 2,
                    text: "x".into(),
                },
            ),
            (
                "a[-1]",
                BadIndex {
                    column: 2,
                    text: "-1".into(),
                },
            ),
            (
                "a[ ]",
                BadIndex {
                    column: 2,
                    text: "".into(),
                },
            ),
            (
                "a[99999999999999999999999]",
                BadIndex {
                    column: 2,
                    text: "99999999999999999999999".into(),
                },
            ),
            (
                "a[0]b",
                Unexpected {
                    column: 5,
                    found: 'b',
                },
            ),
            (
                "a['b'c]",
                Unexpected {
                    column: 6,
                    found: 'c',
                },
            ),
            (
                "a b",
                Unexpected {
                    column: 2,
                    found: ' ',
                },
            ),
            (
                "a]",
                Unexpected {
                    column: 2,
                    found: ']',
                },
            ),
            (
                "a\"b\"",
                Unexpected {
                    column: 2,
                    found: '"',
                },
            ),
        ] {
            assert_eq!(FieldPattern::parse(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn resolve_names_every_element_in_document_order() {
        let pod = json!({"spec": {
            "containers": [{"name": "a", "image": "x"}, {"name": "b"}],
            "initContainers": [],
            "volumes": null}});
        let pattern = FieldPattern::parse("spec.containers[*].image").unwrap();
        let found = pattern.resolve(&pod);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].path.to_string(), "spec.containers[0].image");
        assert_eq!(found[0].value, Some(&json!("x")));
        assert_eq!(found[1].path.to_string(), "spec.containers[1].image");
        assert_eq!(found[1].value, None);
        assert!(!found[1].no_elements);
        for list in [
            "initContainers",
            "volumes",
            "ephemeralContainers",
            "containers[0].name",
        ] {
            let found = FieldPattern::parse(&format!("spec.{list}[*].name"))
                .unwrap()
                .resolve(&pod);
            assert_eq!(found.len(), 1, "{list}");
            assert!(found[0].no_elements, "{list}");
            assert_eq!(found[0].path.to_string(), format!("spec.{list}"));
        }
        let nested = json!({"a": [{"b": [1, 2]}, {"b": [3]}]});
        let values: Vec<_> = FieldPattern::parse("a[*].b[*]")
            .unwrap()
            .resolve(&nested)
            .into_iter()
            .map(|r| (r.path.to_string(), r.value.cloned()))
            .collect();
        assert_eq!(
            values,
            [
                ("a[0].b[0]".to_string(), Some(json!(1))),
                ("a[0].b[1]".to_string(), Some(json!(2))),
                ("a[1].b[0]".to_string(), Some(json!(3))),
            ]
        );
    }
}
