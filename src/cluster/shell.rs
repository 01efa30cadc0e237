//! Shells kept open in a run's containers, so that its many small commands (`id -u`,
//! `cat /proc/1/status`, `touch /testfile`, `nc -zv …`) cost one exec each container,
//! not one each command.
//!
//! Every exec makes the kubelet and the runtime start a process in the container (runc
//! exec: ~100 ms on the test cluster), which is most of what a check costs. A shell
//! started once with stdin attached runs each later command for the price of a round
//! trip through the same exec stream. The commands run exactly as a direct exec would
//! run them — same user, groups, capabilities, `NoNewPrivs`, mounts and environment:
//! all inherited from the exec'd `sh` — with stdin from `/dev/null`, and they are told
//! apart by a random marker that each one prints after its output, with its exit code,
//! on stdout and on stderr.
//!
//! A container without a shell (distroless) or one whose shell misbehaves gets direct
//! execs ([`super::exec::exec`]); a shell that dies (its pod restarted) is dropped and
//! the command is run directly; a command that times out takes its shell with it.

use super::ClusterError;
use super::exec::{ExecOutput, exec};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachedProcess};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadHalf, SimplexStream, WriteHalf};

type Key = (String, Option<String>);

/// The open shells of one run, by pod and container.
#[derive(Default)]
pub struct Shells {
    idle: Mutex<HashMap<Key, Vec<Shell>>>,
    /// Containers where no shell could be opened: direct execs only.
    without: Mutex<HashSet<Key>>,
}

impl Shells {
    /// Runs `command` in an idle shell of the container, a new one, or directly.
    pub async fn exec(
        &self,
        pods: &Api<Pod>,
        pod: &str,
        container: Option<&str>,
        command: &[&str],
        timeout: Duration,
    ) -> Result<ExecOutput, ClusterError> {
        let key: Key = (pod.to_string(), container.map(str::to_string));
        let direct = || exec(pods, pod, container, command, timeout);
        if self.without.lock().unwrap().contains(&key) {
            return direct().await;
        }
        let idle = self.idle.lock().unwrap().get_mut(&key).and_then(Vec::pop);
        let (mut shell, reused) = match idle {
            Some(shell) => (shell, true),
            None => match Shell::open(pods, pod, container, timeout).await {
                Ok(shell) => (shell, false),
                Err(_) => {
                    self.without.lock().unwrap().insert(key);
                    return direct().await;
                }
            },
        };
        match shell.run(command, timeout).await {
            Ok(out) => {
                self.idle
                    .lock()
                    .unwrap()
                    .entry(key)
                    .or_default()
                    .push(shell);
                Ok(out)
            }
            Err(ShellError::Died(_)) if reused => direct().await,
            Err(ShellError::Died(e)) => Err(ClusterError::Protocol(format!(
                "the shell in {pod} ended while running `{}`: {e}",
                command.join(" ")
            ))),
            Err(ShellError::NotRun(message)) => Err(ClusterError::Protocol(format!(
                "the command did not run: {message}"
            ))),
            Err(ShellError::Timeout) => Err(ClusterError::Timeout {
                what: format!("exec `{}` in {pod}", command.join(" ")),
                after: timeout,
            }),
        }
    }

    /// Closes every shell (their `sh` reads the end of its input and exits).
    pub fn close(&self) {
        self.idle.lock().unwrap().clear();
    }
}

#[derive(Debug)]
enum ShellError {
    /// The stream ended or broke: the shell is gone.
    Died(String),
    /// The shell could not start the command (`sh: x: not found`), as a direct exec of
    /// a missing binary fails.
    NotRun(String),
    Timeout,
}

/// One `sh` in a container, with stdin, stdout and stderr attached.
pub struct Shell {
    // Dropping it ends the exec stream (and so the shell).
    _process: AttachedProcess,
    stdin: WriteHalf<SimplexStream>,
    stdout: ReadHalf<SimplexStream>,
    stderr: ReadHalf<SimplexStream>,
    marker: String,
}

impl Shell {
    async fn open(
        pods: &Api<Pod>,
        pod: &str,
        container: Option<&str>,
        timeout: Duration,
    ) -> Result<Shell, ShellError> {
        let params = super::exec::attach_params(container, true);
        let mut process = tokio::time::timeout(timeout, pods.exec(pod, vec!["sh"], &params))
            .await
            .map_err(|_| ShellError::Timeout)?
            .map_err(|e| ShellError::Died(e.to_string()))?;
        let missing = || ShellError::Died("a stream is missing".into());
        let mut shell = Shell {
            stdin: process.stdin().ok_or_else(missing)?,
            stdout: process.stdout().ok_or_else(missing)?,
            stderr: process.stderr().ok_or_else(missing)?,
            _process: process,
            marker: format!("kubelab-{}", crate::cluster::random_word(20)),
        };
        // Proves that the shell runs and speaks the protocol.
        match shell.run(&["true"], timeout).await? {
            out if out.code == 0 => Ok(shell),
            out => Err(ShellError::Died(format!("`true` exited {}", out.code))),
        }
    }

    async fn run(&mut self, command: &[&str], timeout: Duration) -> Result<ExecOutput, ShellError> {
        let line = script(command, &self.marker);
        let marker = self.marker.as_bytes();
        let work = async {
            self.stdin
                .write_all(line.as_bytes())
                .await
                .map_err(|e| ShellError::Died(e.to_string()))?;
            self.stdin
                .flush()
                .await
                .map_err(|e| ShellError::Died(e.to_string()))?;
            let (out, err) = tokio::join!(
                read_to_marker(&mut self.stdout, marker),
                read_to_marker(&mut self.stderr, marker)
            );
            let ((stdout, status), (stderr, _)) = (out?, err?);
            let code: i32 = status.trim().parse().map_err(|_| {
                ShellError::Died(format!("no exit code after the output: {status:?}"))
            })?;
            let out = ExecOutput {
                code,
                stdout: String::from_utf8_lossy(&stdout).into_owned(),
                stderr: String::from_utf8_lossy(&stderr).into_owned(),
            };
            if not_run(&out) {
                return Err(ShellError::NotRun(out.stderr.trim().to_string()));
            }
            Ok(out)
        };
        tokio::time::timeout(timeout, work)
            .await
            .map_err(|_| ShellError::Timeout)?
    }
}

/// `sh` says so when it cannot find or execute a command (exit 127 / 126).
fn not_run(out: &ExecOutput) -> bool {
    let stderr = out.stderr.to_lowercase();
    (out.code == 127 && stderr.contains("not found"))
        || (out.code == 126 && stderr.contains("permission denied"))
}

/// The line the shell reads for one command: the command (stdin from `/dev/null`, so
/// it never eats the next line), then `\n<marker> <exit code>\n` on stdout and
/// `\n<marker>\n` on stderr. The leading newline keeps the marker at the start of a
/// line whether or not the output ended with one; exactly that newline is removed again.
///
/// The program is looked up in `$PATH` and exec'd by its path, as the runtime does for a
/// direct exec: a busybox shell built to prefer its own applets (Debian's, the test
/// cluster's) would otherwise run its small `nc` instead of the image's `/bin/nc`.
fn script(command: &[&str], marker: &str) -> String {
    let (program, args) = command.split_first().unwrap_or((&"true", &[]));
    let args: Vec<String> = args.iter().map(|arg| quote(arg)).collect();
    let args = args.join(" ");
    let program = quote(program);
    let run = if command.first().is_some_and(|p| p.contains('/')) {
        format!("exec {program} {args}")
    } else {
        format!(
            "set -f; IFS=:; for d in $PATH; do \
             if [ -f \"$d\"/{program} ] && [ -x \"$d\"/{program} ]; then exec \"$d\"/{program} {args}; fi; \
             done; echo sh: {program}: not found >&2; exit 127"
        )
    };
    format!(
        "({run}) </dev/null; printf '\\n%s %s\\n' {marker} $?; printf '\\n%s\\n' {marker} >&2\n"
    )
}

/// One shell word, in single quotes.
fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

/// Reads until `\n<marker>` and the end of that line; returns what came before it and
/// the rest of the marker's line (the exit code on stdout, nothing on stderr).
async fn read_to_marker(
    reader: &mut (impl AsyncRead + Unpin),
    marker: &[u8],
) -> Result<(Vec<u8>, String), ShellError> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(found) = split_at_marker(&buffer, marker) {
            return Ok(found);
        }
        let n = reader
            .read(&mut chunk)
            .await
            .map_err(|e| ShellError::Died(e.to_string()))?;
        if n == 0 {
            return Err(ShellError::Died("the shell's output ended".into()));
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

fn split_at_marker(buffer: &[u8], marker: &[u8]) -> Option<(Vec<u8>, String)> {
    let mut needle = Vec::with_capacity(marker.len() + 1);
    needle.push(b'\n');
    needle.extend_from_slice(marker);
    let at = buffer.windows(needle.len()).position(|w| w == needle)?;
    let rest = &buffer[at + needle.len()..];
    let end = rest.iter().position(|&b| b == b'\n')?;
    Some((
        buffer[..at].to_vec(),
        String::from_utf8_lossy(&rest[..end]).into_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_quoted_looked_up_in_path_and_followed_by_the_markers() {
        let line = script(&["touch", "/it's here"], "M");
        assert!(
            line.starts_with("(set -f; IFS=:; for d in $PATH; do if [ -f \"$d\"/'touch' ]"),
            "{line}"
        );
        assert!(
            line.contains("exec \"$d\"/'touch' '/it'\\''s here'; fi"),
            "{line}"
        );
        assert!(
            line.ends_with(") </dev/null; printf '\\n%s %s\\n' M $?; printf '\\n%s\\n' M >&2\n"),
            "{line}"
        );
        assert!(
            script(&["/bin/cat", "/proc/1/status"], "M")
                .starts_with("(exec '/bin/cat' '/proc/1/status') </dev/null;")
        );
    }

    #[test]
    fn output_is_cut_at_the_marker_with_or_without_a_final_newline() {
        assert_eq!(
            split_at_marker(b"1000\n\nM 0\n", b"M"),
            Some((b"1000\n".to_vec(), " 0".into()))
        );
        assert_eq!(
            split_at_marker(b"no newline\nM 1\n", b"M"),
            Some((b"no newline".to_vec(), " 1".into()))
        );
        assert_eq!(
            split_at_marker(b"\nM\n", b"M"),
            Some((vec![], String::new()))
        );
        // Not yet complete: the marker's line has not ended.
        assert_eq!(split_at_marker(b"x\nM 12", b"M"), None);
        assert_eq!(split_at_marker(b"x\n", b"M"), None);
    }

    #[test]
    fn a_missing_command_did_not_run() {
        let out = |code, stderr: &str| ExecOutput {
            code,
            stdout: String::new(),
            stderr: stderr.into(),
        };
        assert!(not_run(&out(127, "sh: whoami: not found\n")));
        assert!(not_run(&out(126, "sh: /x: Permission denied\n")));
        assert!(!not_run(&out(
            1,
            "touch: /testfile: Read-only file system\n"
        )));
    }
}
