//! Renderers of the result model: a terminal table, JSON and JUnit XML.

pub mod failure;
pub mod json;
pub mod junit;
pub(crate) mod snippet;
pub mod table;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    #[default]
    Table,
    Json,
    Junit,
}
