//! A spinner on a terminal while a live run works; nothing when the output is for a
//! machine (JSON, JUnit) or stderr is not a terminal (CI) — unless `KUBELAB_TRACE` is
//! set, which prints every stage with the milliseconds since the start on stderr (where
//! does a slow run spend its time?).

use crate::grade::live::{Progress, Quiet};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub struct Spinner(ProgressBar);

impl Progress for Spinner {
    fn say(&self, message: &str) {
        self.0.set_message(message.to_string());
    }

    fn note(&self, line: &str) {
        self.0.println(line);
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// `KUBELAB_TRACE`: one timestamped line per stage.
pub struct Timeline(Instant);

impl Progress for Timeline {
    fn say(&self, message: &str) {
        // Not `eprintln!`: it panics when stderr is a closed pipe (`2>&1 | head`), and
        // a panic mid-run would leave the namespace behind.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "[{:>6} ms] {message}",
            self.0.elapsed().as_millis()
        );
    }
}

impl Drop for Timeline {
    fn drop(&mut self) {
        self.say("done");
    }
}

pub fn for_output(human: bool) -> Box<dyn Progress> {
    if std::env::var_os("KUBELAB_TRACE").is_some_and(|v| !v.is_empty()) {
        return Box::new(Timeline(Instant::now()));
    }
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
