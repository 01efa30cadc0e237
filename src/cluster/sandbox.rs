//! The lab's own namespace: created and labelled by kubelab, the only place it touches,
//! deleted at the end (also on Ctrl-C), and found again by `kubelab clean`.
//!
//! STUB API — implemented by the cluster-core work package.

use super::ClusterError;
use k8s_openapi::api::core::v1::Pod;
use kube::{Api, Client};
use std::time::Duration;

/// `app.kubernetes.io/managed-by: kubelab` marks every namespace kubelab created.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = "kubelab";
/// `kubelab.dev/lab: <lab id>`.
pub const LAB_LABEL: &str = "kubelab.dev/lab";

#[derive(Clone)]
pub struct Sandbox {
    pub client: Client,
    pub namespace: String,
    pub lab: String,
}

impl Sandbox {
    /// Creates `kubelab-<lab>-<6 random [a-z0-9]>` with the labels above and waits
    /// (bounded) for its `default` ServiceAccount, without which pods are refused.
    pub async fn create(_client: &Client, _lab: &str) -> Result<Sandbox, ClusterError> {
        todo!("cluster-core")
    }

    /// An existing namespace that kubelab created for `lab` (refuses any other).
    pub async fn adopt(
        _client: &Client,
        _namespace: &str,
        _lab: &str,
    ) -> Result<Sandbox, ClusterError> {
        todo!("cluster-core")
    }

    /// The newest namespace kubelab created for `lab`, if any.
    pub async fn newest(_client: &Client, _lab: &str) -> Result<Option<Sandbox>, ClusterError> {
        todo!("cluster-core")
    }

    pub fn pods(&self) -> Api<Pod> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// Deletes the namespace and waits (bounded by `timeout`) until it is gone.
    pub async fn delete(&self, _timeout: Duration) -> Result<(), ClusterError> {
        todo!("cluster-core")
    }
}

/// Deletes every namespace labelled as managed by kubelab and waits until they are
/// gone; returns their names.
pub async fn clean(_client: &Client, _timeout: Duration) -> Result<Vec<String>, ClusterError> {
    todo!("cluster-core")
}
