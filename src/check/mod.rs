//! Check kinds: their offline evaluators (simulation) and the Kubernetes semantics they
//! rest on (effective security context, admission, registry credentials).

pub mod admission;
pub mod offline;
mod outcome;
pub mod registry;
pub mod security_context;
mod world;

pub use outcome::{Outcome, Verdict};
pub use world::World;
pub mod live;

use crate::i18n::Message;

/// `a, b, c`: messages joined with commas, each rendered in the report's language (a
/// [`Message`] list argument joins with `; `). `None` for no messages.
pub(crate) fn comma_list(items: Vec<Message>) -> Option<Message> {
    items
        .into_iter()
        .rev()
        .reduce(|tail, head| crate::msg!("check-comma-list", head = head, tail = tail))
}

/// A cluster or API error (kube's English, or kubelab's [`crate::cluster::ClusterError`])
/// as a check's message.
pub(crate) fn cluster_error(error: impl std::fmt::Display) -> Message {
    crate::msg!("check-cluster-error", error = error.to_string())
}
