//! Running a command in a container through the exec API (never by running kubectl).
//!
//! stdout and stderr are drained concurrently to their end before the status is awaited
//! (a full pipe would otherwise block the command forever); every exec has a timeout; a
//! missing status is an error, not a success.

use super::ClusterError;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams};
use std::time::Duration;
use tokio::io::AsyncReadExt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl ExecOutput {
    /// stdout and stderr together, as a terminal shows them.
    pub fn combined(&self) -> String {
        let mut text = self.stdout.clone();
        text.push_str(&self.stderr);
        text.trim().to_string()
    }
}

pub async fn exec(
    pods: &Api<Pod>,
    pod: &str,
    container: Option<&str>,
    command: &[&str],
    timeout: Duration,
) -> Result<ExecOutput, ClusterError> {
    let what = format!("exec `{}` in {pod}", command.join(" "));
    exec_as(pods, pod, container, command, timeout, &what).await
}

/// `exec`, named `what` in errors instead of by its command line (which may carry
/// credentials).
pub async fn exec_as(
    pods: &Api<Pod>,
    pod: &str,
    container: Option<&str>,
    command: &[&str],
    timeout: Duration,
    what: &str,
) -> Result<ExecOutput, ClusterError> {
    tokio::time::timeout(timeout, run(pods, pod, container, command))
        .await
        .map_err(|_| ClusterError::Timeout {
            what: what.to_string(),
            after: timeout,
        })?
        .map_err(|e| match e {
            ClusterError::Api { message, .. } => ClusterError::Api {
                what: what.to_string(),
                message,
            },
            other => other,
        })
}

async fn run(
    pods: &Api<Pod>,
    pod: &str,
    container: Option<&str>,
    command: &[&str],
) -> Result<ExecOutput, ClusterError> {
    let params = attach_params(container, false);
    let mut process = pods
        .exec(
            pod,
            command.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            &params,
        )
        .await
        .map_err(|e| ClusterError::api("exec", e))?;
    let mut stdout = process
        .stdout()
        .ok_or_else(|| ClusterError::Protocol("exec gave no stdout stream".into()))?;
    let mut stderr = process
        .stderr()
        .ok_or_else(|| ClusterError::Protocol("exec gave no stderr stream".into()))?;
    let status = process
        .take_status()
        .ok_or_else(|| ClusterError::Protocol("exec gave no status channel".into()))?;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let (read_out, read_err) =
        tokio::join!(stdout.read_to_end(&mut out), stderr.read_to_end(&mut err));
    read_out.map_err(|e| ClusterError::Protocol(format!("reading stdout: {e}")))?;
    read_err.map_err(|e| ClusterError::Protocol(format!("reading stderr: {e}")))?;
    let status = status
        .await
        .ok_or_else(|| ClusterError::Protocol("the exec stream ended without a status".into()))?;
    let mut stderr = String::from_utf8_lossy(&err).into_owned();
    let code = match not_found(&status) {
        Some(message) => {
            stderr.push_str(&message);
            NOT_FOUND
        }
        None => exit_code(&status)?,
    };
    Ok(ExecOutput {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr,
    })
}

/// stdout and stderr attached, no terminal; stdin when asked for; the named container
/// or the pod's only/default one.
pub(crate) fn attach_params(container: Option<&str>, stdin: bool) -> AttachParams {
    let params = AttachParams::default()
        .stdin(stdin)
        .stdout(true)
        .stderr(true)
        .tty(false);
    match container {
        Some(container) => params.container(container),
        None => params,
    }
}

/// The exit code of a command the container does not have (a shell's "command not
/// found").
pub const NOT_FOUND: i32 = 127;

/// The runtime's refusal to start a program the container does not have (runc: `exec:
/// "sh": executable file not found in $PATH`, or `stat /bin/sh: no such file or
/// directory` for a path): the command ran as far as it could, like a shell's exit 127.
fn not_found(status: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Status) -> Option<String> {
    let message = status.message.as_deref()?;
    (status.status.as_deref() == Some("Failure")
        && (message.contains("executable file not found")
            || (message.contains("exec: ") && message.contains("no such file or directory"))))
    .then(|| {
        // The runtime's own words, without the layers of "Internal error occurred: …"
        // around them: `exec: "sh": executable file not found in $PATH`.
        let start = message.rfind("exec: ").unwrap_or(0);
        let core = &message[start..];
        core.strip_suffix(": unknown").unwrap_or(core).to_string()
    })
}

/// `Success` is 0; a non-zero exit is `Failure` / `NonZeroExitCode` with the code in
/// `details.causes[{reason: ExitCode, message}]`; anything else (the command could not
/// run at all) is an error.
fn exit_code(
    status: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Status,
) -> Result<i32, ClusterError> {
    match status.status.as_deref() {
        Some("Success") => Ok(0),
        Some("Failure") if status.reason.as_deref() == Some("NonZeroExitCode") => status
            .details
            .as_ref()
            .and_then(|d| d.causes.as_ref())
            .and_then(|causes| {
                causes
                    .iter()
                    .find(|c| c.reason.as_deref() == Some("ExitCode"))
            })
            .and_then(|c| c.message.as_deref())
            .and_then(|m| m.parse().ok())
            .ok_or_else(|| ClusterError::Protocol("a non-zero exit without its code".into())),
        _ => Err(ClusterError::Protocol(format!(
            "the command did not run: {}",
            status
                .message
                .clone()
                .unwrap_or_else(|| format!("{status:?}"))
        ))),
    }
}

/// One answer of [`exec_until`]: the last attempt's classified result and output, how
/// many attempts were made and how long they took in all.
pub struct Polled<T> {
    pub value: T,
    pub output: ExecOutput,
    pub attempts: u32,
    pub elapsed: Duration,
}

/// How fast a trivial command (`true`) must run in the pod for an attempt that hit its
/// bound to count as the command hanging, rather than as a machine too loaded to tell.
pub const RESPONSIVE: Duration = Duration::from_secs(2);

/// Runs `command` in `pod` (through the sandbox's kept shell) at most every `poll`, each
/// attempt bounded by `per_attempt`, until `done` holds for the classified result or
/// `bound` has passed since the first attempt; returns the last attempt. An attempt cut
/// by its bound is read by `on_timeout(bound, responsive)` (the text shown in place of
/// the command's output, and the value it counts as), after one `true` in the same pod
/// bounded by [`RESPONSIVE`] tells a hanging command (`responsive`) from a loaded machine. Errors: the cluster's
/// (the pod is gone, the exec API fails), at once.
#[allow(clippy::too_many_arguments)]
pub async fn exec_until<T>(
    sandbox: &super::Sandbox,
    pod: &str,
    container: Option<&str>,
    command: &[&str],
    (per_attempt, poll): (Duration, Duration),
    classify: impl Fn(&ExecOutput) -> T,
    on_timeout: impl Fn(Duration, bool) -> (String, T),
    done: impl Fn(&T) -> bool,
    bound: Duration,
) -> Result<Polled<T>, ClusterError> {
    let start = std::time::Instant::now();
    let mut attempts = 0;
    loop {
        let attempt = std::time::Instant::now();
        attempts += 1;
        let (output, value) = match sandbox.exec(pod, container, command, per_attempt).await {
            Ok(output) => {
                let value = classify(&output);
                (output, value)
            }
            Err(ClusterError::Timeout { after, .. }) => {
                let responsive = sandbox
                    .exec(pod, container, &["true"], RESPONSIVE)
                    .await
                    .is_ok();
                let (stderr, value) = on_timeout(after, responsive);
                let output = ExecOutput {
                    code: -1,
                    stdout: String::new(),
                    stderr,
                };
                (output, value)
            }
            Err(e) => return Err(e),
        };
        if done(&value) || start.elapsed() >= bound {
            return Ok(Polled {
                value,
                output,
                attempts,
                elapsed: start.elapsed(),
            });
        }
        tokio::time::sleep(poll.saturating_sub(attempt.elapsed())).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn status(value: serde_json::Value) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::Status {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn exit_codes_come_from_the_status() {
        assert_eq!(exit_code(&status(json!({"status": "Success"}))).unwrap(), 0);
        let failure = status(json!({"status": "Failure", "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": "1"}]}}));
        assert_eq!(exit_code(&failure).unwrap(), 1);
        let not_run = status(json!({"status": "Failure", "message": "executable file not found"}));
        assert!(exit_code(&not_run).is_err());
        assert!(
            not_found(&not_run).is_some(),
            "a missing program is exit 127"
        );
        let by_path = status(
            json!({"status": "Failure", "reason": "InternalError", "message":
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"/bin/sh\": stat /bin/sh: no such file or directory: unknown"}),
        );
        assert_eq!(
            not_found(&by_path).unwrap(),
            "exec: \"/bin/sh\": stat /bin/sh: no such file or directory"
        );
        let stopped =
            status(json!({"status": "Failure", "message": "container not found (\"app\")"}));
        assert!(
            not_found(&stopped).is_none(),
            "an environment failure stays an error"
        );
        let no_code = status(json!({"status": "Failure", "reason": "NonZeroExitCode"}));
        assert!(exit_code(&no_code).is_err());
    }
}
