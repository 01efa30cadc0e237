//! `field`: the object as the API server holds it (defaults applied).

use super::LiveContext;
use crate::check::cluster_error;
use crate::check::offline::{judge, lookup};
use crate::check::outcome::Outcome;
use crate::lab::Field;
use crate::manifest::{FieldPath, api_version_of};

pub async fn evaluate(spec: &Field, ctx: &LiveContext<'_>) -> Outcome {
    let Some(api_version) = api_version_of(&spec.object.kind) else {
        return Outcome::error(crate::msg!("check-unknown-kind", kind = &spec.object.kind));
    };
    let api = ctx.sandbox.dynamic(api_version, &spec.object.kind);
    let object = match api.get_opt(&spec.object.name).await {
        Ok(Some(object)) => object,
        Ok(None) => {
            return Outcome::fail(
                crate::msg!(
                    "check-not-found",
                    kind = &spec.object.kind,
                    name = &spec.object.name
                ),
                None,
            );
        }
        Err(e) => return Outcome::error(cluster_error(e)),
    };
    let value = match serde_json::to_value(&object) {
        Ok(value) => value,
        Err(e) => return Outcome::error(cluster_error(e)),
    };
    let path = FieldPath::parse(&spec.path);
    let (kind, name, field) = (&spec.object.kind, &spec.object.name, &spec.path);
    match (lookup(&value, &path), &spec.equals) {
        (None, _) => Outcome::fail(
            crate::msg!("check-field-unset", kind = kind, name = name, path = field),
            None,
        ),
        (Some(actual), expected) => judge(kind, name, field, actual, expected.as_ref(), None),
    }
}
