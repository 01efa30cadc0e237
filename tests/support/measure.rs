//! Runs a child process and measures it: wall time, CPU time and peak resident memory, with a hard
//! time limit after which the child (its whole process group) is killed. Shared by
//! `tests/bounded.rs`, `tests/fuzz.rs` and `benches/bounded.rs` (included with `#[path]`).
//!
//! The peak RSS comes from GNU time (`/usr/bin/time -f %M`), not from our own `wait4`:
//! Linux carries the parent's memory high-water mark into a child's `ru_maxrss` across
//! `exec` (`exec_mmap` → `setmax_mm_hiwater_rss`), so a test process that generated a few
//! hundred megabytes of input would see that figure for every child. GNU time's child is
//! forked from the small `time` process, so its `ru_maxrss` is the child's own.
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a child did.
#[derive(Debug)]
pub struct Measured {
    /// The exit code; `None` when a signal ended it (then `signal` says which).
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
    /// Peak resident set size of the child, in KiB (its own `ru_maxrss`, by GNU time).
    pub peak_rss_kib: u64,
    /// CPU time the child used, user plus system (GNU time's `%U` + `%S`, 10 ms
    /// resolution). Unlike `elapsed`, a machine loaded by other work does not inflate it,
    /// so time bounds in tests compare this.
    pub cpu: Duration,
    /// The child ran past the time limit and was killed.
    pub timed_out: bool,
}

impl Measured {
    pub fn peak_rss_mib(&self) -> f64 {
        self.peak_rss_kib as f64 / 1024.0
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).ok();
        bytes
    })
}

/// GNU time, which reports a child's own peak RSS.
const GNU_TIME: &str = "/usr/bin/time";

/// `command` run under GNU time, which writes the peak RSS in KiB to `report`.
fn under_time(command: &Command, report: &std::path::Path) -> Command {
    assert!(
        std::path::Path::new(GNU_TIME).exists(),
        "{GNU_TIME} is missing: the memory bounds are measured with GNU time (apt-get install time)"
    );
    let mut timed = Command::new(GNU_TIME);
    timed
        .args(["-f", "%U %S %M", "-o"])
        .arg(report)
        .arg(command.get_program())
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    timed
}

/// The CPU time (user + system) and peak RSS in KiB that GNU time wrote (its last line,
/// `%U %S %M`); zeros when the report is missing (the child was killed before GNU time).
fn reported(report: &std::path::Path) -> (Duration, u64) {
    let text = std::fs::read_to_string(report).unwrap_or_default();
    text.lines()
        .rev()
        .find_map(|line| {
            let mut fields = line.split_whitespace();
            let user: f64 = fields.next()?.parse().ok()?;
            let system: f64 = fields.next()?.parse().ok()?;
            let kib: u64 = fields.next()?.parse().ok()?;
            Some((Duration::from_secs_f64(user + system), kib))
        })
        .unwrap_or((Duration::ZERO, 0))
}

/// Runs `command` to its end (or kills it after `limit`), with stdout and stderr
/// captured. Panics when the child cannot be started or waited for.
pub fn run(command: Command, limit: Duration) -> Measured {
    let report = tempfile::NamedTempFile::new().expect("a temporary file for GNU time");
    let mut command = under_time(&command, report.path());
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so that a kill reaches the graded process too.
        .process_group(0);
    let start = Instant::now();
    let mut child = command.spawn().expect("starting the child process");
    let stdout = drain(child.stdout.take().expect("piped stdout"));
    let stderr = drain(child.stderr.take().expect("piped stderr"));
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the child") {
            break status;
        }
        if !timed_out && start.elapsed() > limit {
            timed_out = true;
            // The child is not reaped yet, so its process group (the same id) still exists
            // and is ours: the kill reaches GNU time and the graded process.
            let group = -(child.id() as libc::pid_t);
            // SAFETY: kill(2) with a process group id that we own; no memory is involved.
            unsafe { libc::kill(group, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = start.elapsed();
    let stdout = stdout.join().expect("stdout reader");
    let stderr = stderr.join().expect("stderr reader");
    // GNU time exits with its child's code, and with 128 + the signal when a signal
    // ended the child.
    let (code, signal) = match (status.code(), status.signal()) {
        (Some(code), _) if code > 128 => (None, Some(code - 128)),
        (code, signal) => (code, signal),
    };
    let (cpu, peak_rss_kib) = reported(report.path());
    Measured {
        code,
        signal,
        stdout,
        stderr,
        elapsed,
        peak_rss_kib,
        cpu,
        timed_out,
    }
}
