//! What can go wrong talking to a cluster. All of these are environment errors (exit 3),
//! never the learner's failure — except `Rejected`, which is the learner's input.

use std::time::Duration;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ClusterError {
    #[error("no cluster configuration: {0}")]
    #[diagnostic(help(
        "set KUBECONFIG or pass --kubeconfig; `kubelab grade --offline` grades without a cluster (start, check and clean need one)"
    ))]
    NoConfig(String),

    /// A kubeconfig named with `--kubeconfig` that cannot be read or used: the user's
    /// input, never a reason to fall back to grading offline.
    #[error("{path}: the kubeconfig given with --kubeconfig cannot be used: {message}")]
    #[diagnostic(help("check the path; without --kubeconfig, kubelab looks where kubectl does"))]
    KubeconfigUnreadable { path: String, message: String },

    #[error("the cluster at {server} is not reachable: {message}")]
    #[diagnostic(help(
        "check `kubectl cluster-info`; `kubelab grade --offline` grades without a cluster (start, check and clean need one)"
    ))]
    Unreachable { server: String, message: String },

    #[error("{what}: {message}")]
    Api { what: String, message: String },

    #[error("{what} did not finish within {}s", after.as_secs())]
    Timeout { what: String, after: Duration },

    #[error("{0}")]
    Protocol(String),

    #[error("kubelab lacks the permission to {0}")]
    #[diagnostic(help(
        "apply deploy/rbac.yaml and use a kubeconfig bound to it (`kubelab doctor` lists what is missing)"
    ))]
    Forbidden(String),
}

impl ClusterError {
    pub fn api(what: &str, error: kube::Error) -> Self {
        match &error {
            kube::Error::Api(status) if status.code == 403 => {
                Self::Forbidden(format!("{what}: {}", status.message))
            }
            _ => Self::Api {
                what: what.to_string(),
                message: error.to_string(),
            },
        }
    }
}
