//! `admission` live: a probe of the lab goes through a server-side dry run in the run's
//! namespace (never created), and the API server's answer is the evidence; a learner's
//! object is admitted when the API server holds it.

use super::LiveContext;
use crate::check::Verdict;
use crate::check::admission_judge::{Decision, judge, probe_image, refuser_of};
use crate::check::cluster_error;
use crate::check::outcome::Outcome;
use crate::cluster::apply::{ApplyError, apply, dry_run};
use crate::cluster::wait::{PodState, wait_started};
use crate::lab::Admission;
use crate::manifest::api_version_of;
use crate::policy::admission_policy::learner_name;

pub async fn evaluate(spec: &Admission, ctx: &LiveContext<'_>) -> Outcome {
    let (kind, name) = (spec.object.kind.as_str(), spec.object.name.as_str());
    let namespace = ctx.sandbox.namespace.as_str();
    let decision = match ctx.probe(kind, name) {
        Some(probe) => match dry_run(ctx.sandbox, probe).await {
            Ok(()) => Decision::Admitted,
            Err(ApplyError::Rejected { message, .. }) => refused(&message, namespace),
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
    let outcome = judge(spec, decision, None);
    match ctx.probe(kind, name) {
        Some(probe) if spec.runs && outcome.verdict == Verdict::Pass => {
            runs(spec, probe, ctx).await
        }
        _ => outcome,
    }
}

/// `runs: true`: the admitted probe, created for real in the run's namespace (kept
/// there until the namespace goes), must start within the run's pod timeout. The
/// learner decides only its admission, so a probe that does not start is the
/// environment's error (the lab's registry), never the learner's fail.
async fn runs(spec: &Admission, probe: &crate::manifest::Object, ctx: &LiveContext<'_>) -> Outcome {
    let (kind, name) = (probe.kind.as_str(), probe.name.as_str());
    match apply(ctx.sandbox, probe).await {
        Ok(()) => {}
        // Admitted by the dry run, refused when created (a policy changed in between).
        Err(ApplyError::Rejected { message, .. }) => {
            return judge(spec, refused(&message, &ctx.sandbox.namespace), None);
        }
        Err(ApplyError::Cluster(e)) => return Outcome::error(cluster_error(e)),
    }
    match wait_started(ctx.sandbox, name, ctx.pod_timeout).await {
        Ok(PodState::Ready) => Outcome::pass(crate::msg!(
            "check-admission-runs",
            kind = kind,
            name = name,
            image = probe_image(probe)
        )),
        Ok(state) => Outcome::error(crate::msg!(
            "check-admission-does-not-start",
            kind = kind,
            name = name,
            seconds = ctx.pod_timeout.as_secs(),
            state = format!("{state:?}")
        )),
        Err(e) => Outcome::error(cluster_error(e)),
    }
}

/// The API server's refusal of an object in the run's namespace `namespace`, with the
/// run's names of the learner's policies put back to the learner's.
fn refused(message: &str, namespace: &str) -> Decision {
    let said = message.replace(&format!("{namespace}-"), "");
    Decision::Refused {
        by: refuser_of(message, |n| learner_name(namespace, n).to_string()),
        message: crate::msg!(
            "check-api-server-said",
            message = crate::text::escape_control(&said).into_owned()
        ),
        location: None,
    }
}
