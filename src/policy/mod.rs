//! The rules of a kubelab sandbox, in one place: what a learner's object may do on a
//! shared cluster. The offline grader, kubelab's pre-apply confinement, the namespace
//! kubelab creates (Pod Security labels, `LimitRange`, `ResourceQuota`) and
//! `deploy/rbac.yaml`'s admission policy all follow these values.
//!
//! - [`confine`]: objects kubelab refuses to apply (graded, never applied).
//! - [`pod_security`]: the Pod Security Standards as Pod Security admission checks them.
//! - [`limits`]: the sandbox's `LimitRange` and `ResourceQuota`, and LimitRanger.
//! - [`namespace`]: the lab's namespace as the learner labels it (Pod Security).
//! - [`admission_policy`]: the learner's ValidatingAdmissionPolicies, confined to the
//!   run's namespace.
//! - [`quantity`]: resource quantities.
//! - [`vap`]: ValidatingAdmissionPolicy and its bindings, as the API server's plugin decides.

pub mod admission_policy;
pub mod confine;
pub mod limits;
pub mod namespace;
pub mod pod_security;
pub mod quantity;
pub mod vap;

pub use confine::{Allowances, Refused, refusal, refusals};

/// The labels of a sandbox namespace that make Pod Security admission enforce
/// [`pod_security::ENFORCE`] and warn at [`pod_security::WARN`], both pinned to
/// [`pod_security::VERSION`] (see the Pod Security admission reference:
/// `pod-security.kubernetes.io/<mode>` and `…/<mode>-version`).
pub fn pod_security_labels() -> [(&'static str, &'static str); 4] {
    [
        ("pod-security.kubernetes.io/enforce", pod_security::ENFORCE),
        (
            "pod-security.kubernetes.io/enforce-version",
            pod_security::VERSION,
        ),
        ("pod-security.kubernetes.io/warn", pod_security::WARN),
        (
            "pod-security.kubernetes.io/warn-version",
            pod_security::VERSION,
        ),
    ]
}
