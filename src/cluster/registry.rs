//! A private registry for the private-registry lab, on any cluster: `registry:2` with
//! htpasswd basic auth in the lab namespace, exposed on a NodePort so that each node's
//! container runtime reaches it at `127.0.0.1:<nodePort>` (plain HTTP is allowed for
//! loopback registries), seeded with a private image by kubelab itself.
//!
//! STUB API — implemented by the registry work package.

use super::{ClusterError, Sandbox};
use std::time::Duration;

pub struct RegistrySpec {
    pub username: String,
    pub password: String,
    /// e.g. `kubelab/private-app`.
    pub repository: String,
    /// e.g. `1.0`.
    pub tag: String,
    /// A fixed NodePort (so that the server name is known in advance), or `None` to let
    /// the cluster pick one.
    pub node_port: Option<u16>,
}

#[derive(Clone, Debug)]
pub struct Registry {
    /// `127.0.0.1:<nodePort>`, the `--docker-server` value.
    pub server: String,
    /// `<server>/<repository>:<tag>`.
    pub image: String,
}

pub async fn provision(
    _sandbox: &Sandbox,
    _spec: &RegistrySpec,
    _timeout: Duration,
) -> Result<Registry, ClusterError> {
    todo!("registry")
}
