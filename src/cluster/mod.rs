//! Talking to a real cluster through kube-rs: connection, the lab's sandbox namespace,
//! server-side apply, waiting, exec and probes, the private registry, cleanup.

pub mod admission;
pub mod apply;
mod connect;
pub mod dns;
pub mod doctor;
mod error;
pub mod exec;
pub mod isolation;
pub mod janitor;
pub mod pids;
pub mod probe;
pub mod registry;
pub mod run;
pub mod sandbox;
pub mod shell;
pub mod wait;

pub use connect::{Cluster, ConnectOptions, connect};
pub use error::ClusterError;
pub use sandbox::{Sandbox, SandboxOptions};

/// A random lower-case token of `len` characters for names the cluster sees (namespace
/// suffixes, exec markers, registry user names): letters and digits without the look-alikes
/// `l`, `o`, `0` and `1`, so every token is a valid DNS-1123 label fragment.
pub fn random_word(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}
