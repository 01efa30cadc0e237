//! `selects`: the policy's `podSelector` judged against the simulated namespace's pods
//! (fixtures and the learner's own), located at the learner's line.

use crate::check::outcome::Outcome;
use crate::check::selects::{PodLabels, judge};
use crate::check::world::World;
use crate::lab::Selects;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;

pub fn evaluate(spec: &Selects, world: &World<'_>) -> Outcome {
    let object = match world.require("NetworkPolicy", &spec.policy) {
        Ok(object) => object,
        Err(outcome) => return outcome,
    };
    let selector = object
        .typed::<NetworkPolicy>()
        .and_then(|np| np.spec)
        .and_then(|spec| spec.pod_selector)
        .unwrap_or_default();
    // The pods of the policy's own namespace (a role's are named `<role>/<pod>`).
    let namespace = world.namespace_of(object);
    let pods: Vec<PodLabels> = world
        .of_kind("Pod")
        .filter(|o| world.namespace_of(o) == namespace)
        .filter_map(|o| o.typed::<Pod>().map(|p| (world.name_of(o), p)))
        .map(|(name, pod)| (name, pod.metadata.labels.unwrap_or_default()))
        .collect();
    let (outcome, blame) = judge(spec, &selector, &pods);
    if outcome.verdict == crate::check::Verdict::Fail {
        return outcome.at(object.locate(&blame));
    }
    outcome
}
