//! `admission` live: a probe of the lab goes through a server-side dry run in the run's
//! namespace (never created), and the API server's answer is the evidence; a learner's
//! object is admitted when the API server holds it.

use super::LiveContext;
use crate::check::admission_judge::{Decision, judge, refuser_of};
use crate::check::cluster_error;
use crate::check::outcome::Outcome;
use crate::cluster::apply::{ApplyError, dry_run};
use crate::lab::Admission;
use crate::manifest::api_version_of;
use crate::policy::admission_policy::learner_name;

pub async fn evaluate(spec: &Admission, ctx: &LiveContext<'_>) -> Outcome {
    let (kind, name) = (spec.object.kind.as_str(), spec.object.name.as_str());
    let namespace = ctx.sandbox.namespace.as_str();
    let decision = match ctx.probe(kind, name) {
        Some(probe) => match dry_run(ctx.sandbox, probe).await {
            Ok(()) => Decision::Admitted,
            Err(ApplyError::Rejected { message, .. }) => {
                // The run's names of the learner's policies, back to the learner's.
                let said = message.replace(&format!("{namespace}-"), "");
                Decision::Refused {
                    by: refuser_of(&message, |n| learner_name(namespace, n).to_string()),
                    message: crate::msg!(
                        "check-api-server-said",
                        message = crate::text::escape_control(&said).into_owned()
                    ),
                    location: None,
                }
            }
            Err(ApplyError::Cluster(e)) => return Outcome::error(cluster_error(e)),
        },
        None => {
            let Some(api_version) = api_version_of(kind) else {
                return Outcome::error(crate::msg!("check-unknown-kind", kind = kind));
            };
            match ctx.sandbox.dynamic(api_version, kind).get_opt(name).await {
                Ok(Some(_)) => Decision::Admitted,
                Ok(None) => {
                    return Outcome::fail(
                        crate::msg!("check-not-found", kind = kind, name = name),
                        None,
                    );
                }
                Err(e) => return Outcome::error(cluster_error(e)),
            }
        }
    };
    judge(spec, decision, None)
}
