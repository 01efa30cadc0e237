//! Applying learner objects and fixtures with server-side apply: first a dry run with
//! strict field validation (so a typo is refused before anything changes), then for
//! real; server errors are mapped back to the learner's file, line and column.
//!
//! STUB API — implemented by the cluster-core work package.

use super::{ClusterError, Sandbox};
use crate::manifest::{Location, Object};

/// The field manager kubelab applies with.
pub const FIELD_MANAGER: &str = "kubelab";

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The API server refused the object: the learner's mistake, located.
    #[error("{message}")]
    Rejected { location: Location, message: String },
    #[error(transparent)]
    Cluster(#[from] ClusterError),
}

/// Server-side dry run (`dryRun=All`, `fieldValidation=Strict`) in the sandbox namespace.
pub async fn dry_run(_sandbox: &Sandbox, _object: &Object) -> Result<(), ApplyError> {
    todo!("cluster-core")
}

/// Server-side apply (field manager `kubelab`, forced) in the sandbox namespace.
pub async fn apply(_sandbox: &Sandbox, _object: &Object) -> Result<(), ApplyError> {
    todo!("cluster-core")
}
