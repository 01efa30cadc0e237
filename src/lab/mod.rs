//! The lab model: `lab.yaml`, its loading and validation, and the built-in catalog.

mod catalog;
pub mod check_spec;
mod error;
mod load;
mod model;
mod text;

pub use catalog::{Catalog, embedded_solution};
pub use check_spec::*;
pub use error::LabError;
pub use load::load_lab;
pub use model::{Check, Fixture, Lab, LoadedFixture, Param, Step, Submit};
pub use text::{Lang, Text, substitute};
