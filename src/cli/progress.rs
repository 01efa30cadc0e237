//! A spinner on a terminal while a live run works; nothing when the output is for a
//! machine (JSON, JUnit) or stderr is not a terminal (CI).

use crate::grade::live::{Progress, Quiet};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

pub struct Spinner(ProgressBar);

impl Progress for Spinner {
    fn say(&self, message: &str) {
        self.0.set_message(message.to_string());
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

pub fn for_output(human: bool) -> Box<dyn Progress> {
    if human && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("a valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Box::new(Spinner(bar))
    } else {
        Box::new(Quiet)
    }
}
