//! Offline NetworkPolicy engine: decides whether a TCP/UDP/SCTP connection between two
//! pods is allowed under a set of policies, and explains the decision.
//!
//! OWNED BY the netpol work package: the public API below is relied on by `check/`.

use crate::i18n::Message;
use k8s_openapi::api::networking::v1::NetworkPolicySpec;
use serde::Serialize;
use std::collections::BTreeMap;

mod decide;
pub mod deviation;
mod explain;
mod peer;
mod port;
mod selector;
mod table;
mod validate;

#[cfg(test)]
mod test_support;

pub use selector::{describe_selector, is_empty as selector_is_empty, selector_matches};
pub use table::{TruthCell, TruthTable, truth_table};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub port: i32,
    /// `TCP` when the manifest leaves it out.
    pub protocol: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PodInfo {
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub ports: Vec<ContainerPort>,
    pub host_network: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct NamespaceInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

#[derive(Clone, Debug)]
pub struct Policy {
    pub name: String,
    pub namespace: String,
    pub spec: NetworkPolicySpec,
}

#[derive(Clone, Debug, Default)]
pub struct World {
    pub namespaces: Vec<NamespaceInfo>,
    pub pods: Vec<PodInfo>,
    pub policies: Vec<Policy>,
}

/// A connection attempt to a destination pod's port (after any Service `targetPort`
/// has been resolved to a number).
#[derive(Clone, Debug)]
pub struct Probe<'a> {
    pub from: &'a PodInfo,
    pub to: &'a PodInfo,
    pub port: i32,
    pub protocol: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Allowed,
    Denied,
    /// Depends on the network plugin (ipBlock on pod IPs, hostNetwork pods).
    ImplementationDefined,
}

/// A rule of a policy, named by the policy and a field path such as `spec.ingress[0]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    pub policy: String,
    pub namespace: String,
    pub path: String,
}

/// One direction (egress at the source or ingress at the destination).
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    /// Names of the policies of this direction that select the pod.
    pub selected_by: Vec<String>,
    /// The rules that allow this connection (empty when isolated and nothing allows).
    pub allowed_by: Vec<RuleRef>,
    /// Rules whose effect depends on the implementation, with the reason.
    pub implementation_defined: Vec<(RuleRef, Message)>,
    pub verdict: Verdict,
    /// `"ingress"` or `"egress"`.
    pub direction: String,
    /// Display name of the pod whose policies this side evaluates (the destination for
    /// ingress, the source for egress).
    pub pod: String,
    /// What each rule of `allowed_by` allows (same rules, same order), e.g.
    /// `allows app=api on TCP 6379`.
    pub allow_reasons: Vec<(RuleRef, Message)>,
    /// Rules that almost allow: the peer matches but not the port, or the port but not
    /// the peer, with a description for learners.
    pub near_misses: Vec<(RuleRef, Message)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    pub egress: Side,
    pub ingress: Side,
    pub verdict: Verdict,
    /// Display name of the source pod (`name`, or `namespace/name` when the two pods are
    /// in different namespaces).
    pub from: String,
    /// Display name of the destination pod.
    pub to: String,
    pub port: i32,
    /// Normalised to upper case (`TCP`, `UDP`, `SCTP`).
    pub protocol: String,
}

impl Decision {
    /// One or two sentences: which policy and rule allows, or that the destination (or
    /// source) is isolated and nothing allows.
    pub fn explain(&self) -> Message {
        explain::explain(self)
    }
}

/// Decides whether `probe` is allowed by the policies of `world`.
pub fn evaluate(world: &World, probe: &Probe<'_>) -> Decision {
    decide::evaluate(world, probe)
}

/// Whether a policy isolates `labels`' pod for egress in its namespace: its
/// `podSelector` selects the pod and its effective `policyTypes` (defaulted as the API
/// server does, see `decide::policy_types`) include `Egress`.
pub fn isolates_egress(spec: &NetworkPolicySpec, labels: &BTreeMap<String, String>) -> bool {
    decide::policy_types(spec).1
        && spec
            .pod_selector
            .as_ref()
            .is_none_or(|s| selector_matches(s, labels))
}

/// A problem the API server would reject, as `(field path, message)`.
///
/// The message is the detail the API server gives (e.g. `must specify a peer`); for an
/// invalid or unsupported value it starts with the value, e.g.
/// `70000: must be between 1 and 65535, inclusive`.
pub fn validate(spec: &NetworkPolicySpec) -> Vec<(String, Message)> {
    validate::validate(spec)
}
