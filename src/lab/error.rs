//! Errors in a lab definition, located in the lab's files (for lab authors).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabError {
    /// The lab file, e.g. `labs/network-policy/lab.yaml`.
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
    pub help: String,
}

impl fmt::Display for LabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LabError {}

impl miette::Diagnostic for LabError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }
}
