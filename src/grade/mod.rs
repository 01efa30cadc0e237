//! Grading: runs a lab's steps and checks and produces the result model.

pub mod case;
pub mod live;
mod offline;
mod result;
mod score;
pub mod stage;
pub mod variant;

pub use crate::policy::Refused;
pub use offline::Grader;
pub use result::{CheckResult, LabResult, Mode, RefusedResult, StepResult};
