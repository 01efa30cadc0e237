//! What can go wrong talking to a cluster. All of these are environment errors (exit 3),
//! never the learner's failure — except `Rejected`, which is the learner's input.
//!
//! The texts are Fluent messages ([`ClusterError::message`], [`ClusterError::help_message`]):
//! `Display` and the diagnostic's help are the English ones; the command line prints
//! them in the learner's language.

use crate::i18n::Message;
use crate::msg;
use std::time::Duration;

#[derive(Debug)]
pub enum ClusterError {
    NoConfig(String),

    /// No kubeconfig anywhere kubectl looks, and not running in a pod.
    NoKubeconfig,

    /// A kubeconfig named with `--kubeconfig` that cannot be read or used: the user's
    /// input, never a reason to fall back to grading offline.
    KubeconfigUnreadable {
        path: String,
        message: String,
    },

    Unreachable {
        server: String,
        message: String,
    },

    Api {
        what: String,
        message: String,
    },

    Timeout {
        what: String,
        after: Duration,
    },

    Protocol(String),

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

    /// What went wrong, as a message a learner reads in either language.
    pub fn message(&self) -> Message {
        match self {
            Self::NoConfig(reason) => msg!("cli-cluster-no-config", reason = reason),
            Self::NoKubeconfig => msg!(
                "cli-cluster-no-config",
                reason = msg!("cli-cluster-no-kubeconfig")
            ),
            Self::KubeconfigUnreadable { path, message } => msg!(
                "cli-cluster-kubeconfig-unreadable",
                path = path,
                reason = message
            ),
            Self::Unreachable { server, message } => {
                msg!("cli-cluster-unreachable", server = server, reason = message)
            }
            Self::Api { what, message } => msg!("cli-cluster-api", what = what, reason = message),
            Self::Timeout { what, after } => msg!(
                "cli-cluster-timeout",
                what = what,
                seconds = after.as_secs()
            ),
            Self::Protocol(message) => msg!("cli-cluster-protocol", message = message),
            Self::Forbidden(action) => msg!("cli-cluster-forbidden", action = action),
        }
    }

    /// What to do about it, when there is something to say.
    pub fn help_message(&self) -> Option<Message> {
        match self {
            Self::NoConfig(_) | Self::NoKubeconfig => Some(msg!("cli-cluster-no-config-help")),
            Self::KubeconfigUnreadable { .. } => {
                Some(msg!("cli-cluster-kubeconfig-unreadable-help"))
            }
            Self::Unreachable { .. } => Some(msg!("cli-cluster-unreachable-help")),
            Self::Forbidden(_) => Some(msg!("cli-cluster-forbidden-help")),
            Self::Api { .. } | Self::Timeout { .. } | Self::Protocol(_) => None,
        }
    }
}

impl std::fmt::Display for ClusterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for ClusterError {}

impl miette::Diagnostic for ClusterError {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help_message()
            .map(|help| Box::new(help) as Box<dyn std::fmt::Display>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn english_display_and_korean_rendering() {
        let error = ClusterError::NoConfig("no kubeconfig".into());
        assert_eq!(error.to_string(), "no cluster configuration: no kubeconfig");
        assert_eq!(
            error.message().render(Lang::Ko),
            "클러스터 설정이 없습니다: no kubeconfig"
        );
        assert_eq!(
            ClusterError::NoKubeconfig.to_string(),
            "no cluster configuration: no kubeconfig (KUBECONFIG, ~/.kube/config) and not \
             running in a cluster"
        );
        let help = miette::Diagnostic::help(&error).unwrap().to_string();
        assert!(
            help.starts_with("set KUBECONFIG or pass --kubeconfig"),
            "{help}"
        );
        let timeout = ClusterError::Timeout {
            what: "deleting namespace x".into(),
            after: Duration::from_secs(120),
        };
        assert_eq!(
            timeout.to_string(),
            "deleting namespace x did not finish within 120s"
        );
        assert!(timeout.help_message().is_none());
    }
}
