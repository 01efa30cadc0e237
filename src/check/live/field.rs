//! `field`: the object as the API server holds it (defaults applied), judged by the
//! offline evaluator's [`assess`] (the same path semantics, no learner line).

use super::LiveContext;
use crate::check::cluster_error;
use crate::check::offline::assess;
use crate::check::outcome::Outcome;
use crate::lab::Field;
use crate::manifest::api_version_of;

pub async fn evaluate(spec: &Field, ctx: &LiveContext<'_>) -> Outcome {
    let Some(api_version) = api_version_of(&spec.object.kind) else {
        return Outcome::error(crate::msg!("check-unknown-kind", kind = &spec.object.kind));
    };
    let found = match spec.object.kind.as_str() {
        // The lab's namespace is the run's own (the learner's labels are applied to it).
        "Namespace" => {
            let resource = crate::cluster::apply::resource(api_version, "Namespace");
            kube::Api::<kube::api::DynamicObject>::all_with(ctx.sandbox.client.clone(), &resource)
                .get_opt(&ctx.sandbox.namespace)
                .await
        }
        // A role's object (`<role>/<name>`) in the role's namespace of the run.
        kind => {
            let (role, name) = crate::lab::split_qualified(&spec.object.name);
            ctx.sandbox
                .role(role)
                .dynamic(api_version, kind)
                .get_opt(name)
                .await
        }
    };
    let object = match found {
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
    assess(spec, &value, &|_| None)
}
