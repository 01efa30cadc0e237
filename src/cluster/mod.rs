//! Talking to a real cluster through kube-rs: connection, the lab's sandbox namespace,
//! server-side apply, waiting, exec and probes, cleanup and preflight.

mod connect;
mod error;
pub mod exec;

pub use connect::{Cluster, ConnectOptions, connect};
pub use error::ClusterError;
