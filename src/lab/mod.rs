//! The lab model: `lab.yaml`, its loading and validation, and the built-in catalog.

mod catalog;
pub mod check_spec;
mod error;
mod load;
mod model;
mod task;
mod text;
pub mod variant;

pub use catalog::{Catalog, embedded_solution, load_folder};
pub use check_spec::*;
pub use error::LabError;
pub use load::{load_lab, load_lab_variant};
pub use model::{
    Check, Fixture, Lab, LoadedFixture, LoadedProbe, NamespaceSpec, Param, Probe, RoleNamespace,
    Step, Submit, Vary, qualified, split_qualified,
};
pub use task::{task_body, task_text, task_text_with};
pub use text::{Lang, Text, substitute};
