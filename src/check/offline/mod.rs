//! Offline evaluators: decide each check kind by simulating Kubernetes on the objects of
//! the simulated namespace.

mod admission;
mod connect;
mod dns;
mod exec;

pub use connect::connectivity;
pub use exec::{NOT_FOUND, wanted};
mod field;

pub use field::{Matcher, assess, judge, lookup, same};
mod image_pull;
mod security;
mod selects;

use super::outcome::Outcome;
use super::world::World;
use crate::lab::CheckKind;

pub fn evaluate(kind: &CheckKind, world: &World<'_>) -> Outcome {
    match kind {
        CheckKind::Connect(spec) => connect::evaluate(spec, world),
        CheckKind::RunAs(spec) => security::run_as(spec, world),
        CheckKind::RootfsReadonly(target) => security::rootfs_readonly(target, world),
        CheckKind::NoPrivilegeEscalation(target) => {
            security::no_privilege_escalation(target, world)
        }
        CheckKind::Capabilities(spec) => security::capabilities(spec, world),
        CheckKind::ImagePull(spec) => image_pull::evaluate(spec, world),
        CheckKind::Field(spec) => field::evaluate(spec, world),
        CheckKind::Exec(spec) => exec::evaluate(spec, world),
        CheckKind::Selects(spec) => selects::evaluate(spec, world),
        CheckKind::Admission(spec) => admission::evaluate(spec, world),
        CheckKind::Dns(spec) => dns::evaluate(spec, world),
    }
}
