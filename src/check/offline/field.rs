//! `field`: one field of one object has a value (or exists); with `[*]` in the path,
//! in every element of a list. The path syntax is [`FieldPattern`]'s.
//!
//! Offline and live share [`assess`]: offline hands it the learner's object, live the
//! object the API server holds (as JSON, defaults applied), so both say the same thing
//! about the same value.

use crate::check::outcome::Outcome;
use crate::check::world::World;
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

/// Judges `value` (the object `spec.object` names, as JSON) against `spec`: the field
/// at `spec.path` must be set and, when `spec.equals` is given, equal it (by [`same`]).
/// With `[*]`, every element must pass; the first that does not (in document order)
/// fails the check, named by its concrete path (`spec.containers[1].image`) and located
/// with `locate`. A `[*]` over an absent or empty list fails: the field is not set.
///
/// A path that does not parse is an `error` (a lab error that lab loading reports
/// first, see `lab::load`), not the learner's `fail`.
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
        match (place.value, &spec.equals) {
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
            (None, Some(expected)) => {
                return Outcome::fail(
                    crate::msg!(
                        "check-field-unset-must-be",
                        kind = kind,
                        name = name,
                        path = shown,
                        expected = expected.to_string()
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
            (Some(actual), Some(expected)) if !same(actual, expected) => {
                return judge(kind, name, &shown, actual, Some(expected), location);
            }
            (Some(_), _) => {}
        }
    }
    match (every, places.first().and_then(|p| p.value), &spec.equals) {
        (true, _, Some(expected)) => Outcome::pass(crate::msg!(
            "check-field-every-is",
            kind = kind,
            name = name,
            path = text,
            value = expected.to_string(),
            count = places.len()
        )),
        (true, _, None) => Outcome::pass(crate::msg!(
            "check-field-every-set",
            kind = kind,
            name = name,
            path = text,
            count = places.len()
        )),
        (false, Some(actual), expected) => judge(kind, name, text, actual, expected.as_ref(), None),
        // Unreachable: a path without `[*]` names one place, and it was set.
        (false, None, _) => Outcome::fail(
            crate::msg!("check-field-unset", kind = kind, name = name, path = text),
            None,
        ),
    }
}

/// A set field against the value the check expects (any value when `expected` is
/// `None`): pass, or a fail at `location`.
pub fn judge(
    kind: &str,
    name: &str,
    field: &str,
    actual: &Value,
    expected: Option<&Value>,
    location: Option<Location>,
) -> Outcome {
    match expected {
        Some(expected) if !same(actual, expected) => Outcome::fail(
            crate::msg!(
                "check-field-wrong",
                kind = kind,
                name = name,
                path = field,
                actual = actual.to_string(),
                expected = expected.to_string()
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
