//! Waiting for pods, always bounded: until every container is Ready (the phase alone
//! says nothing about readiness), or until a state that will not get better.
//!
//! STUB API — implemented by the cluster-core work package.

use super::{ClusterError, Sandbox};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodState {
    /// Running with every container Ready.
    Ready,
    /// A state that will not get better by waiting: `ErrImagePull`/`ImagePullBackOff`
    /// (with the kubelet's event message, e.g. `401 Unauthorized`),
    /// `CreateContainerConfigError`, `InvalidImageName`, `CrashLoopBackOff`, a
    /// terminated container.
    Failed { reason: String, message: String },
    /// Still not ready when the time was up, with the last reason seen.
    NotReady { reason: String },
    /// No such pod.
    Missing,
}

pub async fn wait_ready(
    _sandbox: &Sandbox,
    _pod: &str,
    _timeout: Duration,
) -> Result<PodState, ClusterError> {
    todo!("cluster-core")
}

/// The pod's events, oldest first, as `Reason: message`.
pub async fn events(_sandbox: &Sandbox, _pod: &str) -> Result<Vec<String>, ClusterError> {
    todo!("cluster-core")
}
