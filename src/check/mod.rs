//! Check kinds: their offline evaluators (simulation) and the Kubernetes semantics they
//! rest on (effective security context, admission, registry credentials).

pub mod admission;
pub mod offline;
mod outcome;
pub mod registry;
pub mod security_context;
mod world;

pub use outcome::{Outcome, Verdict};
pub use world::World;
pub mod live;
