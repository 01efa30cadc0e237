//! `field`: one field of one object has a value (or exists); with `[*]` in the path,
//! in every element of a list. The path syntax is [`FieldPattern`]'s.
//!
//! Offline and live share [`assess`]: offline hands it the learner's object, live the
//! object the API server holds (as JSON, defaults applied), so both say the same thing
//! about the same value.

use crate::check::outcome::Outcome;
use crate::check::world::World;
use crate::i18n::Message;
use crate::lab::Field;
pub use crate::manifest::lookup;
use crate::manifest::{FieldPath, FieldPattern, Location};
use serde_json::Value;

pub fn evaluate(spec: &Field, world: &World<'_>) -> Outcome {
    let object = match world.require(&spec.object.kind, &spec.object.name) {
        Ok(object) => object,
        Err(outcome) => return outcome,
    };
    assess(spec, &object.value, &|path| Some(object.locate(path)))
}

/// What a `field` check asks of a value: one matcher of the spec (`equals`, `prefix`,
/// `regex`, `one-of`), or none (the field must merely be set).
pub enum Matcher<'a> {
    Equals(&'a Value),
    Prefix(&'a str),
    Regex(regex::Regex),
    OneOf(&'a [Value]),
}

impl<'a> Matcher<'a> {
    /// The spec's matcher; `Err` for a regular expression that does not compile (a lab
    /// error, which lab loading reports first).
    pub fn of(spec: &'a Field) -> Result<Option<Self>, Outcome> {
        if let Some(value) = &spec.equals {
            return Ok(Some(Self::Equals(value)));
        }
        if let Some(prefix) = &spec.prefix {
            return Ok(Some(Self::Prefix(prefix)));
        }
        if let Some(pattern) = &spec.regex {
            return regex::Regex::new(pattern)
                .map(|re| Some(Self::Regex(re)))
                .map_err(|e| {
                    Outcome::error(crate::msg!(
                        "check-field-bad-regex",
                        regex = pattern.as_str(),
                        problem = e.to_string()
                    ))
                });
        }
        Ok(spec.one_of.as_deref().map(Self::OneOf))
    }

    /// Whether `actual` is what the check asks for. `prefix` and `regex` match strings
    /// only (a number or a map never starts with anything).
    pub fn accepts(&self, actual: &Value) -> bool {
        match self {
            Self::Equals(expected) => same(actual, expected),
            Self::Prefix(prefix) => actual.as_str().is_some_and(|s| s.starts_with(prefix)),
            Self::Regex(re) => actual.as_str().is_some_and(|s| re.is_match(s)),
            Self::OneOf(values) => values.iter().any(|v| same(actual, v)),
        }
    }

    /// "it must be …": the value, `a value starting with "…"`, `a value matching …`,
    /// `one of …`.
    pub fn describe(&self) -> Message {
        match self {
            Self::Equals(expected) => {
                crate::msg!("check-field-expect-equals", value = expected.to_string())
            }
            Self::Prefix(prefix) => crate::msg!(
                "check-field-expect-prefix",
                prefix = Value::from(*prefix).to_string()
            ),
            Self::Regex(re) => crate::msg!("check-field-expect-regex", regex = re.as_str()),
            Self::OneOf(values) => crate::msg!(
                "check-field-expect-one-of",
                values = values
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Judges `value` (the object `spec.object` names, as JSON) against `spec`: the field
/// at `spec.path` must be set and, when the spec has a [`Matcher`], be accepted by it.
/// With `[*]`, every element must pass; the first that does not (in document order)
/// fails the check, named by its concrete path (`spec.containers[1].image`) and located
/// with `locate`. A `[*]` over an absent or empty list fails: the field is not set.
///
/// A path that does not parse, or a `regex` that does not compile, is an `error` (a lab
/// error that lab loading reports first, see `lab::load`), not the learner's `fail`.
pub fn assess(
    spec: &Field,
    value: &Value,
    locate: &dyn Fn(&FieldPath) -> Option<Location>,
) -> Outcome {
    let (kind, name, text) = (&spec.object.kind, &spec.object.name, &spec.path);
    let pattern = match FieldPattern::parse(text) {
        Ok(pattern) => pattern,
        Err(e) => {
            return Outcome::error(crate::msg!(
                "check-field-bad-path",
                path = text.as_str(),
                problem = e.message()
            ));
        }
    };
    let matcher = match Matcher::of(spec) {
        Ok(matcher) => matcher,
        Err(outcome) => return outcome,
    };
    let every = pattern.has_every();
    let places = pattern.resolve(value);
    for place in &places {
        // Without `[*]`, the path as the author wrote it; with it, the element's own.
        let shown = if every {
            place.path.to_string()
        } else {
            text.clone()
        };
        let location = locate(&place.path);
        match (place.value, &matcher) {
            _ if place.no_elements => {
                return Outcome::fail(
                    crate::msg!(
                        "check-field-no-elements",
                        kind = kind,
                        name = name,
                        path = text,
                        list = place.path.to_string()
                    ),
                    location,
                );
            }
            (None, Some(matcher)) => {
                return Outcome::fail(
                    crate::msg!(
                        "check-field-unset-must-be",
                        kind = kind,
                        name = name,
                        path = shown,
                        expected = matcher.describe()
                    ),
                    location,
                );
            }
            (None, None) => {
                return Outcome::fail(
                    crate::msg!("check-field-unset", kind = kind, name = name, path = shown),
                    location,
                );
            }
            (Some(actual), Some(matcher)) if !matcher.accepts(actual) => {
                return judge(kind, name, &shown, actual, Some(matcher), location);
            }
            (Some(_), _) => {}
        }
    }
    match (every, places.first().and_then(|p| p.value), &matcher) {
        (true, _, Some(matcher)) => Outcome::pass(crate::msg!(
            "check-field-every-is",
            kind = kind,
            name = name,
            path = text,
            value = match matcher {
                Matcher::Equals(expected) =>
                    crate::msg!("check-field-expect-equals", value = expected.to_string()),
                other => other.describe(),
            },
            count = places.len()
        )),
        (true, _, None) => Outcome::pass(crate::msg!(
            "check-field-every-set",
            kind = kind,
            name = name,
            path = text,
            count = places.len()
        )),
        (false, Some(actual), matcher) => judge(kind, name, text, actual, matcher.as_ref(), None),
        // Unreachable: a path without `[*]` names one place, and it was set.
        (false, None, _) => Outcome::fail(
            crate::msg!("check-field-unset", kind = kind, name = name, path = text),
            None,
        ),
    }
}

/// A set field against what the check's matcher asks (any value when `matcher` is
/// `None`): pass, or a fail at `location`.
pub fn judge(
    kind: &str,
    name: &str,
    field: &str,
    actual: &Value,
    matcher: Option<&Matcher<'_>>,
    location: Option<Location>,
) -> Outcome {
    match matcher {
        Some(matcher) if !matcher.accepts(actual) => Outcome::fail(
            crate::msg!(
                "check-field-wrong",
                kind = kind,
                name = name,
                path = field,
                actual = actual.to_string(),
                expected = matcher.describe()
            ),
            location,
        ),
        _ => Outcome::pass(crate::msg!(
            "check-field-is",
            kind = kind,
            name = name,
            path = field,
            actual = actual.to_string()
        )),
    }
}

/// Numbers compare by value (`2000` equals `2000.0`), everything else structurally.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Verdict;
    use crate::i18n::Lang;
    use crate::lab::ObjectRef;
    use crate::manifest::Object;
    use std::collections::BTreeMap;

    const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    pod-security.kubernetes.io/enforce: restricted
    app: web
spec:
  initContainers:
  - name: init
    image: busybox:1.28
    securityContext:
      runAsNonRoot: true
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      runAsNonRoot: true
  - name: sidecar
    image: busybox:1.28
";

    fn pod() -> Object {
        crate::manifest::load_text("pod.yaml", POD)
            .unwrap()
            .remove(0)
    }

    fn spec(path: &str, equals: Option<Value>) -> Field {
        Field {
            object: ObjectRef {
                kind: "Pod".into(),
                name: "p".into(),
            },
            path: path.into(),
            equals,
            ..Field::default()
        }
    }

    /// The offline outcome: verdict, English message and line.
    fn offline(path: &str, equals: Option<Value>) -> (Verdict, String, Option<usize>) {
        let object = pod();
        let params = BTreeMap::new();
        let mut world = World::new(&params, "lab");
        world.apply(&object);
        let outcome = evaluate(&spec(path, equals), &world);
        (
            outcome.verdict,
            outcome.message.render(Lang::En),
            outcome.location.map(|l| l.line),
        )
    }

    #[test]
    fn a_quoted_key_reads_a_label_with_dots_and_a_slash() {
        let (verdict, message, _) = offline(
            "metadata.labels[\"pod-security.kubernetes.io/enforce\"]",
            Some("restricted".into()),
        );
        assert_eq!(verdict, Verdict::Pass, "{message}");
        assert_eq!(
            message,
            "Pod p: metadata.labels[\"pod-security.kubernetes.io/enforce\"] is \"restricted\""
        );
        let single = offline(
            "metadata.labels['pod-security.kubernetes.io/enforce']",
            Some("baseline".into()),
        );
        assert_eq!(single.0, Verdict::Fail);
        assert_eq!(single.2, Some(6), "at the label's line");
        // Split on every dot, the key is not found: why quotes exist.
        let (verdict, message, _) =
            offline("metadata.labels.pod-security.kubernetes.io/enforce", None);
        assert_eq!(verdict, Verdict::Fail);
        assert!(message.ends_with("is not set"), "{message}");
    }

    #[test]
    fn every_element_must_match_and_the_first_that_does_not_is_named_at_its_line() {
        let (verdict, message, line) = offline(
            "spec.containers[*].securityContext.runAsNonRoot",
            Some(true.into()),
        );
        assert_eq!(verdict, Verdict::Fail);
        assert_eq!(
            message,
            "Pod p: spec.containers[1].securityContext.runAsNonRoot is not set; it must be true"
        );
        assert_eq!(line, Some(19), "the sidecar, which sets no securityContext");

        let (verdict, message, line) =
            offline("spec.containers[*].image", Some("nginx:1.27".into()));
        assert_eq!(verdict, Verdict::Fail);
        assert_eq!(
            message,
            "Pod p: spec.containers[1].image is \"busybox:1.28\"; it must be \"nginx:1.27\""
        );
        assert_eq!(line, Some(20));
    }

    #[test]
    fn every_element_matching_passes_and_says_how_many() {
        let (verdict, message, _) = offline(
            "spec.initContainers[*].securityContext.runAsNonRoot",
            Some(true.into()),
        );
        assert_eq!(verdict, Verdict::Pass, "{message}");
        assert_eq!(
            message,
            "Pod p: spec.initContainers[*].securityContext.runAsNonRoot is true in its only element"
        );
        let (verdict, message, _) = offline("spec.containers[*].image", None);
        assert_eq!(verdict, Verdict::Pass, "{message}");
        assert_eq!(
            message,
            "Pod p: spec.containers[*].image is set in all 2 elements"
        );
    }

    #[test]
    fn every_element_of_an_absent_or_empty_list_is_not_set() {
        let (verdict, message, line) = offline("spec.ephemeralContainers[*].image", None);
        assert_eq!(verdict, Verdict::Fail);
        assert_eq!(
            message,
            "Pod p: spec.ephemeralContainers[*].image is not set: spec.ephemeralContainers has no elements"
        );
        assert_eq!(line, Some(8), "at `spec`, the nearest field written");
        let empty = serde_json::json!({"spec": {"containers": []}});
        let outcome = assess(&spec("spec.containers[*].image", None), &empty, &|_| None);
        assert_eq!(outcome.verdict, Verdict::Fail);
        assert!(
            outcome.message.render(Lang::En).contains("has no elements"),
            "{:?}",
            outcome.message
        );
    }

    #[test]
    fn live_judges_the_json_the_same_way_without_a_line() {
        let object = pod();
        for (path, equals) in [
            ("spec.containers[*].image", Some(Value::from("nginx:1.27"))),
            ("spec.containers[*].image", None),
            ("metadata.labels[\"app\"]", Some("web".into())),
            ("spec.containers[0].securityContext", None),
            ("spec.volumes[*].name", None),
        ] {
            let (verdict, message, _) = offline(path, equals.clone());
            let live = assess(&spec(path, equals), &object.value, &|_| None);
            assert_eq!(live.verdict, verdict, "{path}");
            assert_eq!(live.message.render(Lang::En), message, "{path}");
            assert_eq!(live.location, None);
        }
    }

    fn matched(path: &str, set: impl Fn(&mut Field)) -> (Verdict, String) {
        let mut field = spec(path, None);
        set(&mut field);
        let outcome = assess(&field, &pod().value, &|_| None);
        (outcome.verdict, outcome.message.render(Lang::En))
    }

    #[test]
    fn prefix_regex_and_one_of_match_and_say_what_they_wanted() {
        let prefix = |p: &'static str| move |f: &mut Field| f.prefix = Some(p.to_string());
        assert_eq!(
            matched("spec.containers[0].image", prefix("nginx:")).0,
            Verdict::Pass
        );
        let (verdict, message) = matched("spec.containers[*].image", prefix("nginx:"));
        assert_eq!(verdict, Verdict::Fail);
        assert_eq!(
            message,
            "Pod p: spec.containers[1].image is \"busybox:1.28\"; it must be a value starting with \"nginx:\""
        );
        // A number never starts with anything.
        let (verdict, _) = matched(
            "spec.containers[0].securityContext.runAsNonRoot",
            prefix("t"),
        );
        assert_eq!(verdict, Verdict::Fail);

        let regex = |r: &'static str| move |f: &mut Field| f.regex = Some(r.to_string());
        assert_eq!(
            matched(
                "spec.containers[*].image",
                regex(r"^(nginx:1\.27|busybox:1\.28)$")
            )
            .0,
            Verdict::Pass
        );
        // Unanchored: a match anywhere in the value.
        assert_eq!(
            matched("spec.containers[0].image", regex("inx")).0,
            Verdict::Pass
        );
        let (verdict, message) = matched("spec.containers[0].image", regex("^busybox"));
        assert_eq!(verdict, Verdict::Fail);
        assert!(
            message.ends_with("it must be a value matching the regular expression `^busybox`"),
            "{message}"
        );
        let (verdict, message) = matched("spec.containers[0].image", regex("(unclosed"));
        assert_eq!(
            verdict,
            Verdict::Error,
            "a lab error, not the learner's fail"
        );
        assert!(message.contains("does not compile"), "{message}");

        let one_of = |v: serde_json::Value| {
            move |f: &mut Field| f.one_of = Some(v.as_array().unwrap().clone())
        };
        assert_eq!(
            matched(
                "spec.containers[0].image",
                one_of(serde_json::json!(["busybox:1.28", "nginx:1.27"]))
            )
            .0,
            Verdict::Pass
        );
        let (verdict, message) = matched(
            "spec.containers[0].image",
            one_of(serde_json::json!(["a", "b"])),
        );
        assert_eq!(verdict, Verdict::Fail);
        assert!(
            message.ends_with("it must be one of \"a\", \"b\""),
            "{message}"
        );
        // Korean too.
        let mut field = spec("spec.containers[0].image", None);
        field.prefix = Some("x".into());
        let ko = assess(&field, &pod().value, &|_| None)
            .message
            .render(Lang::Ko);
        assert!(ko.contains("앞부분이 \"x\"인 값"), "{ko}");
    }

    #[test]
    fn a_malformed_path_is_an_error_not_the_learners_fail() {
        let outcome = assess(&spec("spec.containers[0", None), &pod().value, &|_| None);
        assert_eq!(outcome.verdict, Verdict::Error);
        assert_eq!(
            outcome.message.render(Lang::En),
            "the check's path `spec.containers[0` is malformed: the `[` at column 16 is never closed with `]`"
        );
        assert!(!outcome.message.render(Lang::Ko).contains('⟦'));
    }
}
