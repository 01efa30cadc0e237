//! What evaluating one check yields.

use crate::i18n::Message;
use crate::manifest::Location;
use serde::Serialize;

/// The four verdicts. An environment failure is never the learner's `fail`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    /// The environment failed (API unreachable, probe pod missing, timeout not
    /// attributable to the learner).
    Error,
    /// Cannot be decided in this mode (an `exec` offline, implementation-defined
    /// NetworkPolicy behaviour); never a guess.
    Skip,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Error => "error",
            Self::Skip => "skip",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub verdict: Verdict,
    pub message: Message,
    /// The field to fix (or the object, when the field is missing).
    pub location: Option<Location>,
    /// Further lines: an explanation, other problems, what a live probe printed.
    pub details: Vec<Message>,
    /// A known enforcer deviation (`netpol::deviation`) under which a live probe would
    /// see this connection open although the API blocks it (offline `connect` only).
    #[serde(skip)]
    pub deviation: Option<&'static str>,
}

impl Outcome {
    pub fn pass(message: impl Into<Message>) -> Self {
        Self::new(Verdict::Pass, message, None)
    }

    pub fn fail(message: impl Into<Message>, location: Option<Location>) -> Self {
        Self::new(Verdict::Fail, message, location)
    }

    pub fn error(message: impl Into<Message>) -> Self {
        Self::new(Verdict::Error, message, None)
    }

    pub fn skip(message: impl Into<Message>) -> Self {
        Self::new(Verdict::Skip, message, None)
    }

    pub fn new(verdict: Verdict, message: impl Into<Message>, location: Option<Location>) -> Self {
        Self {
            verdict,
            message: message.into(),
            location,
            details: Vec::new(),
            deviation: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_detail(mut self, detail: impl Into<Message>) -> Self {
        self.details.push(detail.into());
        self
    }
}
