//! A run's identity and liveness on a shared cluster, so that `kubelab clean` removes
//! only what nobody uses any more.
//!
//! # Identity
//!
//! Every kubelab process is one **run**: a random id (8 characters of `[a-z0-9]`) and an
//! **owner**, `$KUBELAB_OWNER` or else `<user>@<host>` (`$USER`/`$LOGNAME`, the kernel's
//! host name). Every namespace the run creates carries the labels
//! `kubelab.dev/run: <id>` and `kubelab.dev/owner: <owner as a label value>`, and the
//! owner verbatim in the annotation `kubelab.dev/owner`. A class run is one run: all its
//! learners' namespaces share the id.
//!
//! # Liveness: a `coordination.k8s.io/v1` Lease per namespace
//!
//! Each namespace holds a Lease named `kubelab-run` (the object Kubernetes itself uses
//! for node heartbeats and leader election, `k8s.io/api/coordination/v1`):
//! `holderIdentity: <run id>/<owner>`, `leaseDurationSeconds`, `renewTime`.
//!
//! - A **process** hold (`grade --live`, `class --live`, `doctor`, the first minutes of
//!   `start`) lasts [`PROCESS_LEASE`] (30 s) and is renewed every [`RENEW_EVERY`] (10 s)
//!   by a task of the process that holds the [`super::Sandbox`]. A killed process
//!   (`SIGKILL`, a lost laptop) stops renewing: 30 s later its namespaces are dead.
//! - A **session** hold (what `kubelab start` leaves for the learner to work in) lasts
//!   [`SESSION_LEASE`] (4 h) and is renewed by each `kubelab check`.
//!
//! Expiry is `renewTime + leaseDurationSeconds < now` read on the caller's clock, as
//! client-go's leader election reads it; machines sharing a cluster are assumed to keep
//! their clocks within a few seconds (NTP).

use super::ClusterError;
use super::sandbox::{call, call_opt};
use crate::i18n::{Arg, Message};
use crate::msg;
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use k8s_openapi::jiff::Timestamp;
use kube::Client;
use kube::api::{Api, ObjectMeta, Patch, PatchParams, PostParams};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Duration;

/// `kubelab.dev/run: <run id>` on every namespace of a run.
pub const RUN_LABEL: &str = "kubelab.dev/run";
/// `kubelab.dev/owner`: the owner, as a label value (on namespaces) and verbatim (the
/// annotation of the same name).
pub const OWNER_LABEL: &str = "kubelab.dev/owner";
/// `kubelab.dev/hold: process|session` on the Lease.
pub const HOLD_ANNOTATION: &str = "kubelab.dev/hold";
/// The namespace label of an exam's task (`kubelab exam`, the exam's id): `clean` keeps
/// its owner's running exam, which `kubelab exam end` grades and deletes.
pub const EXAM_LABEL: &str = "kubelab.dev/exam";
/// The Lease in each namespace.
pub const LEASE_NAME: &str = "kubelab-run";
/// How long a process's hold lasts without renewal.
pub const PROCESS_LEASE: Duration = Duration::from_secs(30);
/// How often a process renews its holds.
pub const RENEW_EVERY: Duration = Duration::from_secs(10);
/// How long a `kubelab start` session lasts without a `kubelab check`.
pub const SESSION_LEASE: Duration = Duration::from_secs(4 * 3600);
/// A namespace younger than this without a Lease is being set up, not dead.
pub const SETUP_GRACE: Duration = Duration::from_secs(60);

/// Who runs kubelab: see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunIdentity {
    /// 8 characters of `[a-z0-9]`.
    pub id: String,
    /// `$KUBELAB_OWNER`, or `<user>@<host>`.
    pub owner: String,
}

impl RunIdentity {
    /// The owner reduced to a label value (63 characters of `[A-Za-z0-9._-]`,
    /// alphanumeric at both ends; `@` becomes `_at_`).
    pub fn owner_label(&self) -> String {
        label_value(&self.owner)
    }

    /// The Lease's `holderIdentity`: `<run id>/<owner>`.
    pub fn holder(&self) -> String {
        format!("{}/{}", self.id, self.owner)
    }
}

/// This process's run, drawn once.
pub fn current() -> &'static RunIdentity {
    static CURRENT: OnceLock<RunIdentity> = OnceLock::new();
    CURRENT.get_or_init(|| RunIdentity {
        id: random_id(),
        owner: owner_from_environment(),
    })
}

fn owner_from_environment() -> String {
    if let Some(owner) = std::env::var("KUBELAB_OWNER")
        .ok()
        .filter(|o| !o.trim().is_empty())
    {
        return owner.trim().to_string();
    }
    let user = ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into());
    format!("{user}@{host}")
}

fn random_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Any text as a label value: `@` → `_at_`, then as
/// [`super::sandbox::label_value`] does (`unknown` when nothing is left).
pub fn label_value(text: &str) -> String {
    let value = super::sandbox::label_value(&text.replace('@', "_at_"));
    if value.is_empty() {
        "unknown".into()
    } else {
        value
    }
}

/// How a namespace is held: see the module documentation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hold {
    /// Renewed by a running process every [`RENEW_EVERY`]; lasts [`PROCESS_LEASE`].
    #[default]
    Process,
    /// A `kubelab start` lab the learner works in; lasts [`SESSION_LEASE`].
    Session,
}

impl Hold {
    pub fn duration(self) -> Duration {
        match self {
            Self::Process => PROCESS_LEASE,
            Self::Session => SESSION_LEASE,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Process => "process",
            Self::Session => "session",
        }
    }

    fn of(lease: &Lease) -> Hold {
        match lease
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(HOLD_ANNOTATION))
            .map(String::as_str)
        {
            Some("session") => Self::Session,
            _ => Self::Process,
        }
    }
}

/// The labels a run puts on its namespaces.
pub fn namespace_labels(identity: &RunIdentity) -> BTreeMap<String, String> {
    BTreeMap::from([
        (RUN_LABEL.to_string(), identity.id.clone()),
        (OWNER_LABEL.to_string(), identity.owner_label()),
    ])
}

/// The annotations a run puts on its namespaces (the owner verbatim).
pub fn namespace_annotations(identity: &RunIdentity) -> BTreeMap<String, String> {
    BTreeMap::from([(OWNER_LABEL.to_string(), identity.owner.clone())])
}

/// The Lease of a hold renewed at `now`.
pub fn lease(identity: &RunIdentity, hold: Hold, now: Timestamp) -> Lease {
    Lease {
        metadata: ObjectMeta {
            name: Some(LEASE_NAME.into()),
            labels: Some(namespace_labels(identity)),
            annotations: Some(BTreeMap::from([(
                HOLD_ANNOTATION.to_string(),
                hold.as_str().to_string(),
            )])),
            ..Default::default()
        },
        spec: Some(LeaseSpec {
            holder_identity: Some(identity.holder()),
            lease_duration_seconds: Some(hold.duration().as_secs() as i32),
            acquire_time: Some(MicroTime(now)),
            renew_time: Some(MicroTime(now)),
            ..Default::default()
        }),
    }
}

/// Creates the namespace's Lease for this run.
///
/// Errors: the API's (403 without `create leases`, see `deploy/rbac.yaml`).
pub async fn acquire(client: &Client, namespace: &str, hold: Hold) -> Result<(), ClusterError> {
    let leases: Api<Lease> = Api::namespaced(client.clone(), namespace);
    call(
        &format!("create the Lease {LEASE_NAME} of namespace {namespace}"),
        leases.create(
            &PostParams::default(),
            &lease(current(), hold, Timestamp::now()),
        ),
    )
    .await
    .map(|_| ())
}

/// Renews (or takes over, or creates) the namespace's Lease for this run with `hold`.
/// `Ok(false)` when the namespace is gone or going: nothing to renew any more.
pub async fn renew(client: &Client, namespace: &str, hold: Hold) -> Result<bool, ClusterError> {
    let leases: Api<Lease> = Api::namespaced(client.clone(), namespace);
    let mut lease = lease(current(), hold, Timestamp::now());
    // Keep the first acquire time: a renewal is not a new hold.
    lease.spec.as_mut().expect("a spec").acquire_time = None;
    let what = format!("renew the Lease {LEASE_NAME} of namespace {namespace}");
    let patch = PatchParams::apply("kubelab").force();
    match tokio::time::timeout(
        super::sandbox::CALL_TIMEOUT,
        leases.patch(LEASE_NAME, &patch, &Patch::Apply(&lease)),
    )
    .await
    {
        Err(_) => Err(ClusterError::Timeout {
            what,
            after: super::sandbox::CALL_TIMEOUT,
        }),
        Ok(Ok(_)) => Ok(true),
        // 404: the namespace is gone; 403 "being terminated": going.
        Ok(Err(kube::Error::Api(status)))
            if status.code == 404
                || (status.code == 403 && status.message.contains("terminat")) =>
        {
            Ok(false)
        }
        Ok(Err(e)) => Err(ClusterError::api(&what, e)),
    }
}

/// The hold recorded in the namespace's Lease, if it has one.
pub async fn hold_of(client: &Client, namespace: &str) -> Result<Option<Hold>, ClusterError> {
    let leases: Api<Lease> = Api::namespaced(client.clone(), namespace);
    Ok(call_opt(
        &format!("read the Lease of namespace {namespace}"),
        leases.get(LEASE_NAME),
    )
    .await?
    .map(|l| Hold::of(&l)))
}

/// Whether a namespace's run still holds it, read from its Lease at `now`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Liveness {
    /// Renewed `ago` before `now`, within its duration.
    Alive {
        hold: Hold,
        holder: String,
        ago: Duration,
    },
    /// Not renewed for `ago` (more than its duration).
    Expired { holder: String, ago: Duration },
    /// The namespace has no Lease (being set up, or made by an older kubelab).
    Missing,
}

/// Reads a Lease at `now` (see [`Liveness`]). A Lease without `renewTime` or duration
/// counts as expired.
pub fn liveness(lease: Option<&Lease>, now: Timestamp) -> Liveness {
    let Some(lease) = lease else {
        return Liveness::Missing;
    };
    let spec = lease.spec.clone().unwrap_or_default();
    let holder = spec.holder_identity.unwrap_or_default();
    let renewed = spec.renew_time.or(spec.acquire_time).map(|t| t.0);
    let (Some(renewed), Some(seconds)) = (renewed, spec.lease_duration_seconds) else {
        return Liveness::Expired {
            holder,
            ago: Duration::MAX,
        };
    };
    let ago = Duration::try_from(now.duration_since(renewed)).unwrap_or(Duration::ZERO);
    if ago <= Duration::from_secs(seconds.max(0) as u64) {
        Liveness::Alive {
            hold: Hold::of(lease),
            holder,
            ago,
        }
    } else {
        Liveness::Expired { holder, ago }
    }
}

/// Which namespaces `kubelab clean` removes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Those whose run is dead (Lease expired, or no Lease past [`SETUP_GRACE`]), and the
    /// caller's own `kubelab start` sessions.
    Dead,
    /// Every namespace of one run, alive or not.
    Run(String),
    /// Every kubelab namespace.
    All,
}

/// `clean`'s decision for one namespace: `Ok(why it goes)` or `Err(why it stays)`, as
/// messages `kubelab clean` prints in the locale's language.
pub fn decide(
    namespace: &Namespace,
    lease: Option<&Lease>,
    caller: &RunIdentity,
    scope: &Scope,
    now: Timestamp,
) -> Result<Message, Message> {
    let labels = namespace.metadata.labels.clone().unwrap_or_default();
    let run = labels.get(RUN_LABEL).cloned();
    let owner: Arg = namespace
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(OWNER_LABEL))
        .cloned()
        .or_else(|| labels.get(OWNER_LABEL).cloned())
        .map(Arg::from)
        .unwrap_or_else(|| msg!("cluster-clean-unknown-owner").into());
    let whose = match &run {
        Some(run) => msg!("cluster-clean-run-of", run = run, owner = owner),
        None => msg!("cluster-clean-a-run-of", owner = owner),
    };
    if namespace.metadata.deletion_timestamp.is_some() {
        return Ok(msg!("cluster-clean-being-deleted", whose = whose));
    }
    match scope {
        Scope::All => return Ok(msg!("cluster-clean-all")),
        Scope::Run(wanted) if run.as_deref() == Some(wanted.as_str()) => {
            return Ok(msg!("cluster-clean-run", whose = whose));
        }
        Scope::Run(_) => return Err(msg!("cluster-clean-other-run", whose = whose)),
        Scope::Dead => {}
    }
    match liveness(lease, now) {
        Liveness::Expired { ago, .. } if ago == Duration::MAX => {
            Ok(msg!("cluster-clean-no-valid-lease", whose = whose))
        }
        Liveness::Expired { ago, .. } => Ok(msg!(
            "cluster-clean-lease-expired",
            whose = whose,
            seconds = ago.as_secs()
        )),
        Liveness::Alive { hold, ago, .. } => {
            let mine = labels.get(OWNER_LABEL) == Some(&caller.owner_label());
            if hold == Hold::Session && mine && labels.contains_key(EXAM_LABEL) {
                Err(msg!("cluster-clean-running-exam", whose = whose))
            } else if hold == Hold::Session && mine {
                Ok(msg!("cluster-clean-own-session", whose = whose))
            } else {
                Err(msg!(
                    "cluster-clean-alive",
                    whose = whose,
                    hold = hold.as_str(),
                    seconds = ago.as_secs()
                ))
            }
        }
        Liveness::Missing => {
            let age = namespace
                .metadata
                .creation_timestamp
                .as_ref()
                .map(|t| Duration::try_from(now.duration_since(t.0)).unwrap_or(Duration::ZERO))
                .unwrap_or(Duration::MAX);
            if age > SETUP_GRACE {
                Ok(msg!(
                    "cluster-clean-no-lease",
                    whose = whose,
                    lease = LEASE_NAME
                ))
            } else {
                Err(msg!(
                    "cluster-clean-being-set-up",
                    whose = whose,
                    seconds = age.as_secs()
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    fn identity(owner: &str) -> RunIdentity {
        RunIdentity {
            id: "abc12345".into(),
            owner: owner.into(),
        }
    }

    fn namespace(identity: &RunIdentity, age: i64, now: Timestamp) -> Namespace {
        Namespace {
            metadata: ObjectMeta {
                name: Some("kubelab-x-000000".into()),
                labels: Some(namespace_labels(identity)),
                annotations: Some(namespace_annotations(identity)),
                creation_timestamp: Some(Time(
                    now - k8s_openapi::jiff::SignedDuration::from_secs(age),
                )),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn ago(now: Timestamp, seconds: i64) -> Timestamp {
        now - k8s_openapi::jiff::SignedDuration::from_secs(seconds)
    }

    #[test]
    fn owner_label_values_are_valid() {
        assert_eq!(label_value("kim@lab-pc"), "kim_at_lab-pc");
        assert_eq!(label_value("  @@ "), "at__at");
        assert_eq!(label_value("한국"), "unknown");
        assert_eq!(label_value(&"a".repeat(100)).len(), 63);
        let id = random_id();
        assert_eq!(id.len(), 8);
        assert_ne!(random_id(), id);
    }

    #[test]
    fn a_lease_is_alive_within_its_duration_only() {
        let now = Timestamp::now();
        let me = identity("kim@pc");
        let fresh = lease(&me, Hold::Process, ago(now, 29));
        assert!(matches!(
            liveness(Some(&fresh), now),
            Liveness::Alive {
                hold: Hold::Process,
                ..
            }
        ));
        let stale = lease(&me, Hold::Process, ago(now, 31));
        assert!(matches!(
            liveness(Some(&stale), now),
            Liveness::Expired { .. }
        ));
        let session = lease(&me, Hold::Session, ago(now, 3 * 3600));
        assert!(matches!(
            liveness(Some(&session), now),
            Liveness::Alive {
                hold: Hold::Session,
                ..
            }
        ));
        assert_eq!(liveness(None, now), Liveness::Missing);
        let mut broken = fresh.clone();
        broken.spec = None;
        assert!(matches!(
            liveness(Some(&broken), now),
            Liveness::Expired { .. }
        ));
    }

    #[test]
    fn clean_removes_dead_runs_and_own_sessions_only() {
        let now = Timestamp::now();
        let me = identity("kim@pc");
        let other = RunIdentity {
            id: "zzz99999".into(),
            owner: "lee@pc".into(),
        };
        let ns = namespace(&other, 600, now);
        let dead = lease(&other, Hold::Process, ago(now, 45));
        let alive = lease(&other, Hold::Process, ago(now, 5));
        let session = lease(&other, Hold::Session, ago(now, 60));
        let why = decide(&ns, Some(&dead), &me, &Scope::Dead, now).unwrap();
        assert!(why.contains("stopped renewing its Lease 45 s ago"), "{why}");
        assert!(why.contains("run zzz99999 of lee@pc"), "{why}");
        let why = decide(&ns, Some(&alive), &me, &Scope::Dead, now).unwrap_err();
        assert!(why.contains("is alive (process hold"), "{why}");
        // Someone else's session stays; the owner's own goes.
        assert!(decide(&ns, Some(&session), &me, &Scope::Dead, now).is_err());
        let why = decide(&ns, Some(&session), &other, &Scope::Dead, now).unwrap();
        assert!(why.to_string().starts_with("your own lab session"), "{why}");
        // The owner's running exam stays (`exam end` deletes it); `--all` takes it.
        let mut exam = ns.clone();
        exam.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert(EXAM_LABEL.into(), "zzz99999".into());
        let why = decide(&exam, Some(&session), &other, &Scope::Dead, now).unwrap_err();
        assert!(why.to_string().starts_with("your running exam"), "{why}");
        assert!(decide(&exam, Some(&session), &other, &Scope::All, now).is_ok());
        // Without a Lease: dead after the grace, being set up before.
        assert!(decide(&ns, None, &me, &Scope::Dead, now).is_ok());
        let young = namespace(&other, 5, now);
        assert!(decide(&young, None, &me, &Scope::Dead, now).is_err());
        // --run and --all.
        let run = Scope::Run("zzz99999".into());
        assert!(decide(&ns, Some(&alive), &me, &run, now).is_ok());
        let run = Scope::Run("other000".into());
        assert!(decide(&ns, Some(&dead), &me, &run, now).is_err());
        assert!(decide(&ns, Some(&alive), &me, &Scope::All, now).is_ok());
    }

    /// Every reason `kubelab clean` prints, in English (as the book quotes it) and in
    /// Korean (합니다체, no English prose left).
    #[test]
    fn clean_reasons_read_in_both_languages() {
        use crate::i18n::Lang;
        let now = Timestamp::now();
        let me = identity("kim@pc");
        let other = RunIdentity {
            id: "zzz99999".into(),
            owner: "lee@pc".into(),
        };
        let ns = namespace(&other, 600, now);
        let young = namespace(&other, 5, now);
        let dead = lease(&other, Hold::Process, ago(now, 32));
        let alive = lease(&other, Hold::Process, ago(now, 0));
        let session = lease(&other, Hold::Session, ago(now, 60));
        let mut broken = dead.clone();
        broken.spec = None;
        let mut going = ns.clone();
        going.metadata.deletion_timestamp = going.metadata.creation_timestamp.clone();
        let mut anonymous = ns.clone();
        anonymous.metadata.labels = None;
        anonymous.metadata.annotations = None;
        let either = |r: Result<Message, Message>| r.unwrap_or_else(|m| m);
        let cases = [
            (
                either(decide(&ns, Some(&dead), &me, &Scope::Dead, now)),
                "run zzz99999 of lee@pc stopped renewing its Lease 32 s ago",
                "실행 zzz99999(lee@pc): 32초 전부터 리스(Lease)를 갱신하지 않았습니다.",
            ),
            (
                either(decide(&ns, Some(&alive), &me, &Scope::Dead, now)),
                "run zzz99999 of lee@pc is alive (process hold, Lease renewed 0 s ago)",
                "실행 zzz99999(lee@pc): 아직 살아 있습니다(프로세스 보유, 0초 전에 리스 갱신).",
            ),
            (
                either(decide(&ns, Some(&session), &other, &Scope::Dead, now)),
                "your own lab session (run zzz99999 of lee@pc)",
                "본인의 실습 세션입니다(실행 zzz99999(lee@pc)).",
            ),
            (
                either(decide(&ns, Some(&broken), &me, &Scope::Dead, now)),
                "run zzz99999 of lee@pc holds no valid Lease",
                "실행 zzz99999(lee@pc): 유효한 리스(Lease)가 없습니다.",
            ),
            (
                either(decide(&ns, None, &me, &Scope::Dead, now)),
                "run zzz99999 of lee@pc holds no Lease kubelab-run",
                "실행 zzz99999(lee@pc): `kubelab-run` 리스(Lease)가 없습니다.",
            ),
            (
                either(decide(&young, None, &me, &Scope::Dead, now)),
                "run zzz99999 of lee@pc is being set up (5 s old)",
                "실행 zzz99999(lee@pc): 준비 중입니다(생성된 지 5초).",
            ),
            (
                either(decide(&going, None, &me, &Scope::Dead, now)),
                "already being deleted (run zzz99999 of lee@pc)",
                "이미 삭제 중입니다(실행 zzz99999(lee@pc)).",
            ),
            (
                either(decide(&anonymous, None, &me, &Scope::Run("x".into()), now)),
                "a run of an unknown owner, not the run asked for",
                "알 수 없는 소유자의 실행: 요청한 실행이 아닙니다.",
            ),
            (
                either(decide(&ns, None, &me, &Scope::Run("zzz99999".into()), now)),
                "run zzz99999 of lee@pc (--run)",
                "실행 zzz99999(lee@pc) (--run 옵션)",
            ),
            (
                either(decide(&ns, None, &me, &Scope::All, now)),
                "--all",
                "--all 옵션",
            ),
        ];
        for (why, english, korean) in cases {
            assert_eq!(why.render(Lang::En), english);
            assert_eq!(why.to_string(), english);
            assert_eq!(why.render(Lang::Ko), korean);
            let line = crate::msg!("cli-clean-kept", namespace = "kubelab-x", why = why);
            assert!(
                line.render(Lang::Ko)
                    .starts_with("`kubelab-x` 네임스페이스는 남겨 두었습니다: ")
            );
        }
    }
}
