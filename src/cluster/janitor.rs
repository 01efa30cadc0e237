//! Remembers the namespaces this process created, so that they are deleted at the end
//! and also when the user presses Ctrl-C (or the process gets SIGTERM).

use super::Sandbox;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Default)]
pub struct Janitor {
    sandboxes: Mutex<Vec<Sandbox>>,
}

const DELETE_TIMEOUT: Duration = Duration::from_secs(60);

impl Janitor {
    pub fn track(&self, sandbox: &Sandbox) {
        self.sandboxes.lock().unwrap().push(sandbox.clone());
    }

    /// Starts deleting one sandbox and forgets it. The cluster removes the namespace in
    /// the background: waiting for that (~5 s) would only keep the user waiting.
    pub async fn release(&self, sandbox: &Sandbox) -> Result<(), super::ClusterError> {
        // Forgotten only once deleted: an interrupt meanwhile deletes it again (harmless).
        let deleted = sandbox.delete_in_background().await;
        self.sandboxes
            .lock()
            .unwrap()
            .retain(|s| s.namespace != sandbox.namespace);
        deleted
    }

    /// Deletes every sandbox still tracked (an interrupted run) and waits until they
    /// are gone, so that the user who pressed Ctrl-C knows nothing is left; returns
    /// their names.
    pub async fn cleanup(&self) -> Vec<String> {
        let sandboxes: Vec<Sandbox> = std::mem::take(&mut *self.sandboxes.lock().unwrap());
        let mut deleted = Vec::new();
        for sandbox in sandboxes {
            if sandbox.delete(DELETE_TIMEOUT).await.is_ok() {
                deleted.push(sandbox.namespace.clone());
            }
        }
        deleted
    }
}

/// Resolves when the process is asked to stop (SIGINT or SIGTERM).
pub async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
