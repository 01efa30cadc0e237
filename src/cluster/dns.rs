//! Name lookups from inside a pod, as a learner runs them (`nslookup db-pod`), told apart
//! as answered, "no such name" and no answer at all (an egress policy blocks DNS).
//!
//! What the probe images print was read on the test cluster (kube-router, CoreDNS):
//! busybox's `nslookup` (the `busybox:1.28` image is Debian's busybox 1.35 there; the
//! upstream 1.28 prints `Address 1:` lines instead) answers with `Name:` and `Address`
//! lines, and exits 1 when any search-domain query got NXDOMAIN even though the name
//! resolved, so the exit status decides nothing. With DNS blocked, kube-router's REJECT
//! gives `nslookup: write to '10.96.0.10': Connection refused` and `;; connection timed
//! out; no servers could be reached` at once; a dropping enforcer (Cilium, Calico) makes
//! the resolver wait for its own timeouts, which the exec's bound ([`LOOKUP`]) cuts.

use super::exec::ExecOutput;
use super::{ClusterError, Sandbox};
use std::time::Duration;

/// How one lookup ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The cluster DNS answered with an address (`Name:` in the output).
    Resolved,
    /// The cluster DNS answered that the name does not exist (NXDOMAIN only).
    NoSuchName,
    /// No DNS server answered: refused (kube-router's REJECT), timed out (a drop), or
    /// the lookup did not end within [`LOOKUP`] while the pod answers other commands at
    /// once.
    NoAnswer,
    /// The lookup did not end within [`LOOKUP`], and neither did a trivial command in
    /// the same pod within [`RESPONSIVE`](super::exec::RESPONSIVE): the machine is too loaded to tell a dropped
    /// lookup from a slow one. Never a verdict: the lookup is tried again.
    Undecided,
}

/// Per lookup: CoreDNS answers in milliseconds; the resolver's own retries when its
/// packets are dropped take 5 s and more, so this bound is what a blocked lookup costs.
pub const LOOKUP: Duration = Duration::from_secs(6);
/// Lookups start at most this often while the expected answer has not come.
const POLL: Duration = Duration::from_millis(250);

/// Classifies the output of busybox `nslookup` (1.28's and 1.35's formats).
pub fn classify(out: &ExecOutput) -> Lookup {
    let text = out.combined();
    if text.lines().any(|l| l.trim_start().starts_with("Name:")) {
        return Lookup::Resolved;
    }
    let lower = text.to_lowercase();
    if lower.contains("nxdomain") && !lower.contains("no servers could be reached") {
        Lookup::NoSuchName
    } else {
        Lookup::NoAnswer
    }
}

/// One lookup's result: the [`Lookup`], the last `nslookup` output, attempts, time.
pub type LookupObservation = super::exec::Polled<Lookup>;

/// `nslookup name` in `pod` until `done` holds for the result or `bound` passes; returns
/// the last observation. A lookup cut by [`LOOKUP`] counts as [`Lookup::NoAnswer`] when
/// the pod runs `true` within [`RESPONSIVE`](super::exec::RESPONSIVE), else as [`Lookup::Undecided`] (never done).
pub async fn lookup_until(
    sandbox: &Sandbox,
    pod: &str,
    name: &str,
    done: impl Fn(Lookup) -> bool,
    bound: Duration,
) -> Result<LookupObservation, ClusterError> {
    // A dropped lookup hangs; so does everything on a loaded machine.
    let on_timeout = |after: Duration, responsive: bool| {
        let lookup = if responsive {
            Lookup::NoAnswer
        } else {
            Lookup::Undecided
        };
        (format!("no answer within {}s", after.as_secs()), lookup)
    };
    super::exec::exec_until(
        sandbox,
        pod,
        None,
        &["nslookup", name],
        (LOOKUP, POLL),
        classify,
        on_timeout,
        |lookup| *lookup != Lookup::Undecided && done(*lookup),
        bound,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(code: i32, stdout: &str, stderr: &str) -> ExecOutput {
        ExecOutput {
            code,
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    /// Outputs copied from the test cluster (busybox 1.35 as `busybox:1.28`) and from
    /// upstream busybox 1.28.
    #[test]
    fn answers_no_such_name_and_no_answer_are_told_apart() {
        let search_hit = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find db.cluster.local: NXDOMAIN\n\nName:\tdb.lab.svc.cluster.local\nAddress: 10.103.91.37\n\n** server can't find db.svc.cluster.local: NXDOMAIN\n";
        assert_eq!(classify(&out(1, search_hit, "")), Lookup::Resolved);
        let upstream = "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      db-pod\nAddress 1: 10.103.91.37 db-pod.lab.svc.cluster.local\n";
        assert_eq!(classify(&out(0, upstream, "")), Lookup::Resolved);
        let nxdomain = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nosuch.cluster.local: NXDOMAIN\n";
        assert_eq!(classify(&out(1, nxdomain, "")), Lookup::NoSuchName);
        let rejected = out(
            1,
            ";; connection timed out; no servers could be reached\n",
            "nslookup: write to '10.96.0.10': Connection refused\n",
        );
        assert_eq!(classify(&rejected), Lookup::NoAnswer);
        let upstream_blocked = out(
            1,
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\n",
            "nslookup: can't resolve 'db-pod'\n",
        );
        assert_eq!(classify(&upstream_blocked), Lookup::NoAnswer);
    }
}
