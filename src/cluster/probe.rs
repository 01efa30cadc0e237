//! Connection probes from inside a pod, as the learner runs them (`nc -zv db-pod 6379`):
//! told apart as open, TIMEOUT (dropped — what a policy does), REFUSED (nothing listens
//! or the port is wrong — never "blocked") and DNS failure, and retried up to 4 times a
//! second within a bound because policies take effect after a short delay.

use super::exec::ExecOutput;
use super::{ClusterError, Sandbox};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    Open,
    Timeout,
    Refused,
    Dns,
    /// `nc` printed something else (the reason is in the output).
    Other,
    /// The attempt did not end within `ATTEMPT` (15 s) and the pod did not run `true` at once
    /// either (or `nc` hung with no name to look up): a machine too loaded to tell.
    /// Never a verdict: the probe is tried again until its bound.
    Undecided,
}

impl Reach {
    pub fn describe(&self) -> &'static str {
        match self {
            Reach::Open => "open",
            Reach::Timeout => "timed out (dropped)",
            Reach::Refused => "refused",
            Reach::Dns => "name not resolved",
            Reach::Other => "failed",
            Reach::Undecided => "undecided (the pod did not answer in time)",
        }
    }
}

/// Classifies `nc -zv` output of netcat-openbsd and of busybox `nc`.
pub fn classify(out: &ExecOutput) -> Reach {
    let text = out.combined().to_lowercase();
    if out.code == 0 {
        return Reach::Open;
    }
    if text.contains("timed out") {
        Reach::Timeout
    } else if text.contains("refused") {
        Reach::Refused
    } else if [
        "bad address",
        "getaddrinfo",
        "name or service not known",
        "name resolution",
        "could not resolve",
    ]
    .iter()
    .any(|s| text.contains(s))
    {
        Reach::Dns
    } else {
        Reach::Other
    }
}

/// Per attempt: `nc -w 1` plus the exec round trip, plus a name lookup that may hang
/// when an egress policy blocks DNS (the resolver retries for several seconds).
const ATTEMPT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT_SECS: &str = "1";
/// Attempts start at most this often. An attempt that did not give the expected answer
/// is most often a policy not yet in effect, which Cilium applies within a few hundred
/// milliseconds: polling 4 times a second instead of once cut network-policy's live
/// grading on Cilium from 2.1 s to about 1.3 s per blocking step (`KUBELAB_TRACE=1`). An
/// attempt in a kept shell costs a few milliseconds; a dropped one takes `-w 1` anyway.
const POLL: Duration = Duration::from_millis(250);

/// One probe's result: the [`Reach`], the last `nc` output, attempts, time.
pub type Observation = super::exec::Polled<Reach>;

/// Probes `host:port` from `from` until `done` holds for the result or `bound` passes;
/// returns the last observation. An attempt cut by `ATTEMPT` (15 s) is [`Reach::Dns`] (`nc -w
/// 1` bounds the connection itself: what hangs is the name lookup) when the pod runs
/// `true` within [`RESPONSIVE`](super::exec::RESPONSIVE) and `host` is a name, and
/// [`Reach::Undecided`] (never a verdict) otherwise.
pub async fn probe_until(
    sandbox: &Sandbox,
    from: &str,
    container: Option<&str>,
    host: &str,
    port: u16,
    done: impl Fn(&Reach) -> bool,
    bound: Duration,
) -> Result<Observation, ClusterError> {
    let port = port.to_string();
    let command = ["nc", "-zv", "-w", CONNECT_TIMEOUT_SECS, host, port.as_str()];
    let is_name = host.parse::<std::net::IpAddr>().is_err();
    let on_timeout = |after: Duration, responsive: bool| {
        if responsive && is_name {
            let why = format!(
                "no answer within {}s: the name lookup hangs",
                after.as_secs()
            );
            (why, Reach::Dns)
        } else {
            let why = format!(
                "no answer within {}s: the pod is too slow to tell",
                after.as_secs()
            );
            (why, Reach::Undecided)
        }
    };
    super::exec::exec_until(
        sandbox,
        from,
        container,
        &command,
        (ATTEMPT, POLL),
        classify,
        on_timeout,
        |reach| *reach != Reach::Undecided && done(reach),
        bound,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(code: i32, stderr: &str) -> ExecOutput {
        ExecOutput {
            code,
            stdout: String::new(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn netcat_openbsd_and_busybox_messages_are_told_apart() {
        assert_eq!(
            classify(&out(
                0,
                "Connection to db-pod (10.96.0.20) 6379 port [tcp/redis] succeeded!"
            )),
            Reach::Open
        );
        assert_eq!(
            classify(&out(0, "db-pod (10.96.0.20:6379) open")),
            Reach::Open
        );
        assert_eq!(
            classify(&out(
                1,
                "nc: connect to db-pod (10.96.0.20) port 6379 (tcp) timed out: Operation now in progress"
            )),
            Reach::Timeout
        );
        assert_eq!(
            classify(&out(
                1,
                "nc: db-pod (10.96.0.20:6379): Connection timed out"
            )),
            Reach::Timeout
        );
        assert_eq!(
            classify(&out(
                1,
                "nc: connect to db-pod port 6379 (tcp) failed: Connection refused"
            )),
            Reach::Refused
        );
        assert_eq!(
            classify(&out(
                1,
                "nc: getaddrinfo for host \"db\" port 6379: Name or service not known"
            )),
            Reach::Dns
        );
        assert_eq!(classify(&out(1, "nc: bad address 'db'")), Reach::Dns);
        assert_eq!(classify(&out(1, "sh: nc: not found")), Reach::Other);
    }
}
