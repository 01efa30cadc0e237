//! kubelab: a lab runner and grader for Kubernetes workload and network security.

pub mod check;
pub mod class;
pub mod cli;
pub mod cluster;
pub mod exam;
pub mod grade;
pub mod i18n;
pub mod lab;
pub mod manifest;
pub mod netpol;
pub mod policy;
pub mod report;
pub mod text;
