//! `field`: one field of one object has a value (or exists).

use crate::check::outcome::Outcome;
use crate::check::world::World;
use crate::lab::Field;
pub use crate::manifest::lookup;
use crate::manifest::{FieldPath, Location};
use serde_json::Value;

pub fn evaluate(spec: &Field, world: &World<'_>) -> Outcome {
    let object = match world.require(&spec.object.kind, &spec.object.name) {
        Ok(object) => object,
        Err(outcome) => return outcome,
    };
    let path = FieldPath::parse(&spec.path);
    let (kind, name, field) = (&object.kind, &object.name, &spec.path);
    match (lookup(&object.value, &path), &spec.equals) {
        (None, Some(expected)) => Outcome::fail(
            crate::msg!(
                "check-field-unset-must-be",
                kind = kind,
                name = name,
                path = field,
                expected = expected.to_string()
            ),
            Some(object.locate(&path)),
        ),
        (None, None) => Outcome::fail(
            crate::msg!("check-field-unset", kind = kind, name = name, path = field),
            Some(object.locate(&path)),
        ),
        (Some(actual), expected) => judge(
            kind,
            name,
            field,
            actual,
            expected.as_ref(),
            Some(object.locate(&path)),
        ),
    }
}

/// A set field against the value the check expects (any value when `expected` is
/// `None`): pass, or a fail at `location`. Offline and live share it, so both say the
/// same thing about the same value.
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
