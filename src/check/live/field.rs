//! `field`: the object as the API server holds it (defaults applied).

use super::LiveContext;
use crate::check::offline::lookup;
use crate::check::outcome::Outcome;
use crate::lab::Field;
use crate::manifest::{FieldPath, api_version_of};

pub async fn evaluate(spec: &Field, ctx: &LiveContext<'_>) -> Outcome {
    let Some(api_version) = api_version_of(&spec.object.kind) else {
        return Outcome::error(format!("unknown kind {}", spec.object.kind));
    };
    let api = ctx.sandbox.dynamic(api_version, &spec.object.kind);
    let object = match api.get_opt(&spec.object.name).await {
        Ok(Some(object)) => object,
        Ok(None) => {
            return Outcome::fail(
                format!("{} {} not found", spec.object.kind, spec.object.name),
                None,
            );
        }
        Err(e) => return Outcome::error(e.to_string()),
    };
    let value = match serde_json::to_value(&object) {
        Ok(value) => value,
        Err(e) => return Outcome::error(e.to_string()),
    };
    let path = FieldPath::parse(&spec.path);
    let what = format!("{} {}: {}", spec.object.kind, spec.object.name, spec.path);
    match (lookup(&value, &path), &spec.equals) {
        (None, _) => Outcome::fail(format!("{what} is not set"), None),
        (Some(actual), Some(expected)) if !crate::check::offline::same(actual, expected) => {
            Outcome::fail(format!("{what} is {actual}; it must be {expected}"), None)
        }
        (Some(actual), _) => Outcome::pass(format!("{what} is {actual}")),
    }
}
