//! Standard output that a closed pipe does not crash: `kubelab list | head -1`, `kubelab
//! grade … | less` quit early. Rust's `print!` panics on `EPIPE` (exit 101, a panic
//! message); here the rest of the output is dropped quietly and the command finishes as
//! it would have — its namespaces deleted, its exit code (the verdict) unchanged.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout and flushes it; once the reader is gone (`BrokenPipe`),
/// writes nothing more. Any other write error is reported once on stderr.
pub fn write(text: &str) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("kubelab: cannot write to stdout: {e}");
        }
    }
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::stdout::write(&format!($($arg)*)) };
}

/// `println!` through [`write`].
macro_rules! outln {
    () => { $crate::cli::stdout::write("\n") };
    ($($arg:tt)*) => { $crate::cli::stdout::write(&format!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {out, outln};
