//! Talking to a real cluster through kube-rs: connection, the lab's sandbox namespace,
//! server-side apply, waiting, exec and probes, the private registry, cleanup.

pub mod apply;
mod connect;
pub mod doctor;
mod error;
pub mod exec;
pub mod janitor;
pub mod probe;
pub mod registry;
pub mod run;
pub mod sandbox;
pub mod shell;
pub mod wait;

pub use connect::{Cluster, ConnectOptions, connect};
pub use error::ClusterError;
pub use sandbox::Sandbox;
