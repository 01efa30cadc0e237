//! Exam mode (CKS practice): several labs set up on the cluster at once in one variant,
//! a deadline, no hints until the end, then every task graded live as `kubelab check`
//! grades it, with the hints and the variant's reference solution.
//!
//! The exam lives in the cluster, not in a local file, so that a second terminal or a
//! reconnect finds it: each task is a kubelab namespace labelled [`EXAM_LABEL`]`=<id>`
//! (the id of the run that started it) holding a ConfigMap [`EXAM_CONFIGMAP`] with the
//! exam's id, variant, start, deadline, labs and the task's number. `kubelab exam
//! status` and `end` read them back ([`find`]); `end` deletes the namespaces.
//!
//! kubelab runs no background process: at the deadline nothing changes on the cluster
//! unless `exam start --wait` is still waiting, which grades then. `exam end` grades the
//! state at the time it runs and says by how much it is late.
//! [`start`], [`find`] and [`end`] are the runner; what is printed is
//! [`report`]'s (one event stream, [`Event`], and consumers of it) and [`sheet`]'s.

pub mod contexts;
pub mod history;
pub mod offline;
pub mod report;
pub mod sheet;

use crate::cluster::janitor::Janitor;
use crate::cluster::{ClusterError, Sandbox, run};
use crate::grade::LabResult;
use crate::grade::live::{self, LiveOptions, Progress};
use crate::i18n::Message;
use crate::lab::{Catalog, Lab, Lang};
use crate::msg;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::api::{Api, ListParams, ObjectMeta, PostParams};
use std::collections::BTreeMap;
use std::time::Duration;

/// The namespace label naming the exam a task belongs to (the starting run's id).
pub use crate::cluster::run::EXAM_LABEL;
/// The ConfigMap in each task namespace that holds the exam's state.
pub const EXAM_CONFIGMAP: &str = "kubelab-exam";
/// `--duration` when none is given: 10 minutes a task, as the CKS allows about
/// 2 hours for 15–20 tasks.
pub const MINUTES_PER_TASK: u64 = 10;
/// The longest exam: a task namespace's session hold ([`run::SESSION_LEASE`]) must
/// outlast it, so that `kubelab clean` never deletes a running exam.
pub const MAX_DURATION: Duration = run::SESSION_LEASE;
/// How long `exam end` waits for the task namespaces to be gone.
pub const DELETE_TIMEOUT: Duration = Duration::from_secs(120);
/// The pass mark when none is given, in percent of the exam's points: the CKS's.
pub const DEFAULT_PASS_MARK: u8 = 67;

/// `part` of `whole` in percent, to one decimal, as the report shows it (0 when
/// `whole` is 0).
pub fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0
}

/// Whether `score` of `max` points reaches `pass_mark` percent, compared exactly (66.9%
/// does not reach 67, even though it is never shown rounded up).
pub fn reaches(score: u32, max: u32, pass_mark: u8) -> bool {
    u64::from(score) * 100 >= u64::from(pass_mark) * u64::from(max)
}

/// Parses `--pass-mark`: a whole percentage from 0 to 100.
pub fn parse_pass_mark(text: &str) -> Result<u8, String> {
    match text.trim().trim_end_matches('%').parse::<u8>() {
        Ok(mark) if mark <= 100 => Ok(mark),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

/// One task of an exam: a lab in its namespace.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    /// 1, 2, … in the order of `--labs`.
    pub number: usize,
    pub lab: String,
    /// The task's namespace; `None` on an offline sheet.
    pub namespace: Option<String>,
    /// The lab's points ([`Lab::max_score`]).
    pub points: u32,
    /// Marked to return to (`kubelab exam flag N`).
    pub flagged: bool,
}

/// An exam: its tasks, its variant and its time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exam {
    /// The id of the run that started it (8 characters of `[a-z0-9]`); empty on an
    /// offline sheet.
    pub id: String,
    /// The variant's seed every task uses.
    pub variant: String,
    pub started: jiff::Timestamp,
    pub deadline: jiff::Timestamp,
    pub tasks: Vec<Task>,
    /// The percentage of the points that passes ([`DEFAULT_PASS_MARK`] unless
    /// `--pass-mark` says otherwise); `exam end --pass-mark` may change it.
    pub pass_mark: u8,
    /// The kubeconfig with one context per task ([`contexts`]), once `exam start`
    /// wrote it: the exam's own file, or the user's when `merged`.
    pub kubeconfig: Option<std::path::PathBuf>,
    /// The task contexts were merged into the user's kubeconfig (`exam start
    /// --merge-kubeconfig`); `exam end` takes them out again.
    pub merged: bool,
    /// The task folders of an offline exam (`exam start --offline`: [`offline`]).
    pub folders: Option<std::path::PathBuf>,
}

/// Why an exam cannot start, be found or end.
#[derive(Debug)]
pub enum ExamError {
    /// A usage error (exit 2): an unknown lab, a duration out of range, an exam already
    /// running, no exam.
    Usage { message: Message, help: Message },
    /// The cluster failed (exit 3).
    Cluster(ClusterError),
    /// Setting up a task failed (exit 3).
    Live(live::LiveError),
}

impl From<ClusterError> for ExamError {
    fn from(e: ClusterError) -> Self {
        ExamError::Cluster(e)
    }
}

/// `kubelab exam --tasks N`: `n` labs of `pool` (ids; every lab of the catalog when
/// empty), drawn by the seed: the same seed draws the same labs on every machine, and
/// different seeds draw different exams. The labs keep the pool's order. Each lab's
/// rank is the SHA-256 of `kubelab-exam-draw\0<seed>\0<lab>`; the `n` lowest are drawn.
///
/// Errors: `n` of 0 or more than the pool is a usage error naming the pool's size.
pub fn draw(
    catalog: &Catalog,
    pool: &[String],
    seed: &str,
    n: usize,
) -> Result<Vec<String>, ExamError> {
    let pool: Vec<String> = if pool.is_empty() {
        catalog.ids().into_iter().map(str::to_string).collect()
    } else {
        pool.to_vec()
    };
    if n == 0 || n > pool.len() {
        return Err(ExamError::Usage {
            message: msg!("exam-tasks-out-of-range", tasks = n, labs = pool.len()),
            help: msg!("exam-labs-help", labs = catalog.ids().join(",")),
        });
    }
    let rank = |lab: &str| {
        let input = format!("kubelab-exam-draw\0{seed}\0{lab}");
        ring::digest::digest(&ring::digest::SHA256, input.as_bytes())
            .as_ref()
            .to_vec()
    };
    let mut ranked: Vec<&String> = pool.iter().collect();
    ranked.sort_by_key(|lab| rank(lab));
    let drawn: Vec<&String> = ranked.into_iter().take(n).collect();
    Ok(pool
        .iter()
        .filter(|lab| drawn.contains(lab))
        .cloned()
        .collect())
}

impl Exam {
    /// The exam of `labs` (every built-in lab when empty) in the variant `seed`, from
    /// `now` for `duration` (default [`MINUTES_PER_TASK`] a task), without namespaces
    /// yet. Returns the labs in the variant too.
    ///
    /// Errors: an unknown or repeated lab, a duration of zero or over
    /// [`MAX_DURATION`], a variant that does not load.
    pub fn plan(
        catalog: &Catalog,
        labs: &[String],
        seed: &str,
        duration: Option<Duration>,
        now: jiff::Timestamp,
    ) -> Result<(Exam, Vec<Lab>), ExamError> {
        let ids: Vec<String> = if labs.is_empty() {
            catalog.ids().into_iter().map(str::to_string).collect()
        } else {
            labs.to_vec()
        };
        let mut variants = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let Some(lab) = catalog.get(id) else {
                return Err(ExamError::Usage {
                    message: msg!("cli-unknown-lab", lab = id.as_str()),
                    help: msg!("cli-unknown-lab-help", labs = catalog.ids().join(", ")),
                });
            };
            if ids[..i].contains(id) {
                return Err(ExamError::Usage {
                    message: msg!("exam-lab-twice", lab = id.as_str()),
                    help: msg!("exam-labs-help", labs = catalog.ids().join(",")),
                });
            }
            let variant = lab.variant(Some(seed)).map_err(|e| ExamError::Usage {
                message: msg!(
                    "exam-variant-broken",
                    lab = id.as_str(),
                    reason = e.to_string()
                ),
                help: msg!("exam-labs-help", labs = catalog.ids().join(",")),
            })?;
            variants.push(variant);
        }
        let duration = duration.unwrap_or(Duration::from_secs(
            60 * MINUTES_PER_TASK * ids.len() as u64,
        ));
        if duration.is_zero() || duration > MAX_DURATION {
            return Err(ExamError::Usage {
                message: msg!(
                    "exam-duration-out-of-range",
                    duration = format_duration(duration)
                ),
                help: msg!("exam-duration-help"),
            });
        }
        let deadline = now
            .checked_add(jiff::SignedDuration::try_from(duration).unwrap_or_default())
            .unwrap_or(now);
        let tasks = variants
            .iter()
            .enumerate()
            .map(|(i, lab)| Task {
                number: i + 1,
                lab: lab.id.clone(),
                namespace: None,
                points: lab.max_score(),
                flagged: false,
            })
            .collect();
        Ok((
            Exam {
                id: String::new(),
                variant: seed.to_string(),
                started: now,
                deadline,
                tasks,
                pass_mark: DEFAULT_PASS_MARK,
                kubeconfig: None,
                merged: false,
                folders: None,
            },
            variants,
        ))
    }

    /// Every task's points.
    pub fn points(&self) -> u32 {
        self.tasks.iter().map(|t| t.points).sum()
    }

    /// `task`'s weight: its share of the exam's points in percent, to one decimal.
    pub fn weight(&self, task: &Task) -> f64 {
        percent(task.points, self.points())
    }

    /// The time from `now` to the deadline: negative once it has passed.
    pub fn time_left(&self, now: jiff::Timestamp) -> jiff::SignedDuration {
        self.deadline.duration_since(now)
    }

    /// How long after the deadline `now` is, if it is after it.
    pub fn late_by(&self, now: jiff::Timestamp) -> Option<Duration> {
        let left = self.time_left(now);
        left.is_negative()
            .then(|| Duration::try_from(left.abs()).unwrap_or_default())
    }

    /// The state of task `task` as the ConfigMap [`EXAM_CONFIGMAP`] holds it.
    fn configmap(&self, task: &Task) -> ConfigMap {
        let labs: Vec<&str> = self.tasks.iter().map(|t| t.lab.as_str()).collect();
        let data = BTreeMap::from([
            ("exam".to_string(), self.id.clone()),
            ("variant".to_string(), self.variant.clone()),
            ("started".to_string(), self.started.to_string()),
            ("deadline".to_string(), self.deadline.to_string()),
            ("labs".to_string(), labs.join(",")),
            ("task".to_string(), task.number.to_string()),
            ("lab".to_string(), task.lab.clone()),
            ("points".to_string(), task.points.to_string()),
            ("pass_mark".to_string(), self.pass_mark.to_string()),
            ("flagged".to_string(), task.flagged.to_string()),
        ]);
        ConfigMap {
            metadata: ObjectMeta {
                name: Some(EXAM_CONFIGMAP.into()),
                labels: Some(BTreeMap::from([(EXAM_LABEL.to_string(), self.id.clone())])),
                ..Default::default()
            },
            data: Some(data),
            ..Default::default()
        }
    }

    /// The exam as its task namespaces' ConfigMaps hold it: (namespace, data) of each
    /// task found. `None` when nothing is readable. Tasks whose namespace is gone are
    /// listed without one (the labs list names every task).
    fn from_configmaps(found: &[(String, BTreeMap<String, String>)]) -> Option<Exam> {
        let (_, first) = found.first()?;
        let parse = |key: &str| {
            first
                .get(key)
                .and_then(|v| v.parse::<jiff::Timestamp>().ok())
        };
        let labs: Vec<&str> = first.get("labs")?.split(',').collect();
        let tasks = labs
            .iter()
            .enumerate()
            .map(|(i, lab)| {
                let own = found
                    .iter()
                    .find(|(_, d)| d.get("task").map(String::as_str) == Some(&(i + 1).to_string()));
                Task {
                    number: i + 1,
                    lab: lab.to_string(),
                    namespace: own.map(|(ns, _)| ns.clone()),
                    points: own
                        .and_then(|(_, d)| d.get("points")?.parse().ok())
                        .unwrap_or(0),
                    flagged: own
                        .and_then(|(_, d)| d.get("flagged"))
                        .is_some_and(|f| f == "true"),
                }
            })
            .collect();
        let id = first.get("exam")?;
        let merged_into = contexts::merged_into(id);
        Some(Exam {
            id: id.clone(),
            variant: first.get("variant")?.clone(),
            started: parse("started")?,
            deadline: parse("deadline")?,
            tasks,
            // An exam started by an older kubelab has the CKS's.
            pass_mark: first
                .get("pass_mark")
                .and_then(|m| m.parse().ok())
                .unwrap_or(DEFAULT_PASS_MARK),
            // The file `exam start` wrote on this machine, if it is here, or the user's
            // kubeconfig it merged the contexts into.
            kubeconfig: merged_into
                .clone()
                .or_else(|| contexts::path(id).filter(|p| p.is_file())),
            merged: merged_into.is_some(),
            folders: None,
        })
    }
}

/// The minutes left at which `exam start --wait` warns, as the CKS's proctor does.
pub const WARN_AT_MINUTES: [u64; 3] = [30, 15, 5];

/// The warnings ([`WARN_AT_MINUTES`]) due when the time left went from `before` to
/// `now` (a mark crossed: more than it left before, at most it now), largest first.
pub fn warnings_due(before: Duration, now: Duration) -> Vec<u64> {
    WARN_AT_MINUTES
        .into_iter()
        .filter(|m| {
            let mark = Duration::from_secs(m * 60);
            before > mark && now <= mark
        })
        .collect()
}

/// `1h 5m`, `30m`, `45s`: a duration as the CLI takes it.
pub fn format_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 {
        parts.push(format!("{m}m"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s}s"));
    }
    parts.join(" ")
}

/// A duration for the learner in `lang`: `1h 5m 3s` or `1시간 5분 3초`.
pub fn format_duration_in(duration: Duration, lang: Lang) -> String {
    match lang {
        Lang::En => format_duration(duration),
        Lang::Ko => format_duration(duration)
            .replace('h', "시간")
            .replace('m', "분")
            .replace('s', "초"),
    }
}

/// Now, to the second (what the sheet and the reports show).
pub fn now() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Second).unwrap_or(now)
}

/// Parses `--duration`: `30m`, `1h30m`, `1h 30m`, `90s`, `2h` (jiff's friendly
/// format; a bare number is minutes).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(minutes) = text.parse::<u64>() {
        return Ok(Duration::from_secs(minutes * 60));
    }
    let signed: jiff::SignedDuration = text
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 30m, 1h30m or 90s"))?;
    Duration::try_from(signed).map_err(|_| format!("`{text}` is negative"))
}

/// The label selector of this owner's exam namespaces.
fn selector() -> String {
    format!(
        "{}={},{EXAM_LABEL},{}={}",
        crate::cluster::sandbox::MANAGED_BY_LABEL,
        crate::cluster::sandbox::MANAGED_BY,
        run::OWNER_LABEL,
        run::current().owner_label()
    )
}

/// The caller's running exam (the owner of [`run::current`]), read from the cluster:
/// the newest when there are several. `None` when there is none.
///
/// Errors: the cluster cannot be read.
pub async fn find(client: &kube::Client) -> Result<Option<Exam>, ClusterError> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let list = namespaces
        .list(&ListParams::default().labels(&selector()))
        .await
        .map_err(|e| ClusterError::api("list the exam's namespaces", e))?;
    type Found = Vec<(String, BTreeMap<String, String>)>;
    let mut by_exam: BTreeMap<String, Found> = BTreeMap::new();
    for ns in list.items {
        if ns.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(name) = ns.metadata.name else {
            continue;
        };
        let maps: Api<ConfigMap> = Api::namespaced(client.clone(), &name);
        let Some(map) = maps
            .get_opt(EXAM_CONFIGMAP)
            .await
            .map_err(|e| ClusterError::api("read the exam", e))?
        else {
            continue;
        };
        let data = map.data.unwrap_or_default();
        let exam = data.get("exam").cloned().unwrap_or_default();
        by_exam.entry(exam).or_default().push((name, data));
    }
    Ok(by_exam
        .values()
        .filter_map(|found| Exam::from_configmaps(found))
        .max_by_key(|exam| exam.started))
}

/// Flags (or unflags) task `number` of `exam`: kept in the task's ConfigMap, so that
/// every terminal's `exam status` lists it.
///
/// Errors: usage when the exam has no task `number` or its namespace is gone; the
/// cluster's.
pub async fn flag(
    client: &kube::Client,
    exam: &Exam,
    number: usize,
    flagged: bool,
) -> Result<(), ExamError> {
    let task = exam.tasks.iter().find(|t| t.number == number);
    let Some(namespace) = task.and_then(|t| t.namespace.as_deref()) else {
        return Err(ExamError::Usage {
            message: msg!(
                "exam-no-such-task",
                number = number,
                tasks = exam.tasks.len()
            ),
            help: msg!("exam-no-such-task-help", tasks = exam.tasks.len()),
        });
    };
    let maps: Api<ConfigMap> = Api::namespaced(client.clone(), namespace);
    let patch = serde_json::json!({"data": {"flagged": flagged.to_string()}});
    maps.patch(
        EXAM_CONFIGMAP,
        &kube::api::PatchParams {
            field_manager: Some(crate::cluster::apply::FIELD_MANAGER.into()),
            ..Default::default()
        },
        &kube::api::Patch::Merge(&patch),
    )
    .await
    .map_err(|e| ClusterError::api("save the flag", e))?;
    Ok(())
}

/// Whether the learner has changed task namespace `namespace`: some object in it (or
/// the namespace itself) has fields set by a manager other than kubelab, the kubelet
/// and the control plane (`kube-*`), a status aside (kubelab's creates show as
/// `unknown`). `kubectl` records itself as
/// `kubectl-client-side-apply`, `kubectl-create`, `kubectl-edit`, `kubectl-label`….
/// Whether the change is right is not said: that waits for the exam's end. A task whose
/// learner writes cluster-scoped objects (`cluster_scoped`: kind, name — a
/// ValidatingAdmissionPolicy and its binding) is changed once one of them exists.
///
/// Errors: the cluster cannot be read.
pub async fn changed(
    client: &kube::Client,
    namespace: &str,
    cluster_scoped: &[(String, String)],
) -> Result<bool, ClusterError> {
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::core::v1::{Pod, Secret, Service, ServiceAccount};
    use k8s_openapi::api::networking::v1::NetworkPolicy;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ManagedFieldsEntry;
    fn learners(fields: Option<&Vec<ManagedFieldsEntry>>) -> bool {
        fields.into_iter().flatten().any(|f| {
            let manager = f.manager.as_deref().unwrap_or("");
            // kubelab's own creates (a client without a field manager) are `unknown`;
            // kubectl always names itself.
            let system = manager == crate::cluster::apply::FIELD_MANAGER
                || manager == "unknown"
                || manager == "kubelet"
                || manager.starts_with("kube-")
                || manager.is_empty();
            !system && f.subresource.as_deref().unwrap_or("").is_empty()
        })
    }
    async fn any<K>(client: &kube::Client, namespace: &str) -> Result<bool, ClusterError>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
            + Clone
            + serde::de::DeserializeOwned
            + std::fmt::Debug,
        K::DynamicType: Default,
    {
        let api: Api<K> = Api::namespaced(client.clone(), namespace);
        let list = match api.list_metadata(&ListParams::default()).await {
            Ok(list) => list,
            // A kind kubelab's RBAC does not let it list is not looked at.
            Err(kube::Error::Api(status)) if status.code == 403 => return Ok(false),
            Err(e) => return Err(ClusterError::api("look at the task's objects", e)),
        };
        Ok(list.items.iter().any(|o| {
            o.metadata.name.as_deref() != Some(EXAM_CONFIGMAP)
                && learners(o.metadata.managed_fields.as_ref())
        }))
    }
    let namespaces: Api<Namespace> = Api::all(client.clone());
    if let Some(ns) = namespaces
        .get_metadata_opt(namespace)
        .await
        .map_err(|e| ClusterError::api("read the namespace", e))?
        && learners(ns.metadata.managed_fields.as_ref())
    {
        return Ok(true);
    }
    // The task's cluster-scoped objects (a learner's admission policy): kubelab never
    // creates them in an exam, so one that exists is the learner's.
    for (kind, name) in cluster_scoped {
        let resource = crate::cluster::apply::resource(
            crate::manifest::api_version_of(kind).unwrap_or("v1"),
            kind,
        );
        let api = Api::<kube::api::DynamicObject>::all_with(client.clone(), &resource);
        if matches!(api.get_metadata_opt(name).await, Ok(Some(_))) {
            return Ok(true);
        }
    }
    let looks = [
        any::<Pod>(client, namespace).await?,
        any::<Secret>(client, namespace).await?,
        any::<ConfigMap>(client, namespace).await?,
        any::<Service>(client, namespace).await?,
        any::<ServiceAccount>(client, namespace).await?,
        any::<NetworkPolicy>(client, namespace).await?,
        any::<Deployment>(client, namespace).await?,
    ];
    Ok(looks.iter().any(|&c| c))
}

/// The cluster-scoped objects the learner submits in `lab` (kind, name): what
/// [`changed`] looks for outside the task's namespace.
pub fn cluster_scoped_submits(lab: &Lab) -> Vec<(String, String)> {
    lab.steps
        .iter()
        .flat_map(|s| &s.submit)
        // The task's Namespace is the task's own, which `changed` looks at already.
        .filter(|s| {
            s.kind != "Namespace"
                && crate::manifest::CLUSTER_SCOPED_SUBMITS.contains(&s.kind.as_str())
        })
        .map(|s| (s.kind.clone(), s.name.clone()))
        .collect()
}

/// The id of the running exam whose task namespace `namespace` is (it carries
/// [`EXAM_LABEL`] and still holds [`EXAM_CONFIGMAP`]), whoever started it; `None` for
/// any other namespace.
///
/// Errors: the cluster cannot be read.
pub async fn task_of(
    client: &kube::Client,
    namespace: &str,
) -> Result<Option<String>, ClusterError> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let Some(ns) = namespaces
        .get_opt(namespace)
        .await
        .map_err(|e| ClusterError::api("read the namespace", e))?
    else {
        return Ok(None);
    };
    let Some(exam) = ns
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(EXAM_LABEL))
        .cloned()
    else {
        return Ok(None);
    };
    let maps: Api<ConfigMap> = Api::namespaced(client.clone(), namespace);
    let held = maps
        .get_opt(EXAM_CONFIGMAP)
        .await
        .map_err(|e| ClusterError::api("read the exam", e))?
        .is_some();
    Ok(held.then_some(exam))
}

/// Starts an exam: one namespace per task, all set up at once (fixtures, the private
/// registry with the variant's credentials and image, every pod Ready), each labelled
/// and holding the exam's state, handed over to the learner for [`MAX_DURATION`].
/// `exam` comes from [`Exam::plan`] and gets its id and namespaces. Returns it with each
/// task's lab as its sheet must show it (the task's values: a task namespace the learner
/// writes is the task's own, see [`live::with_task_namespace`]).
///
/// Errors: usage when this owner already has an exam; the cluster's and the setup's.
/// Every namespace made is tracked by `janitor`, so that the caller deletes them on an
/// error or an interrupt.
pub async fn start(
    client: &kube::Client,
    janitor: &Janitor,
    mut exam: Exam,
    labs: &[Lab],
    progress: &dyn Progress,
    lang: Lang,
) -> Result<(Exam, Vec<Lab>), ExamError> {
    if let Some(running) = find(client).await? {
        return Err(ExamError::Usage {
            message: msg!("exam-already-running", exam = running.id.as_str()),
            help: msg!("exam-already-running-help"),
        });
    }
    exam.id = run::current().id.clone();
    let labels = BTreeMap::from([(EXAM_LABEL.to_string(), exam.id.clone())]);
    // The variant's own credentials on the lab's registry port: the sheet and the
    // learner's secret name them.
    let options = LiveOptions::default();
    let set_up = labs.iter().map(|lab| {
        let labels = labels.clone();
        let options = &options;
        async move {
            let sandbox_options = crate::cluster::sandbox::SandboxOptions {
                labels,
                ..live::sandbox_options(lab, options)
            };
            let sandbox =
                Sandbox::create_with(client, &lab.id, &sandbox_options, |s| janitor.track(s))
                    .await?;
            let grader = crate::grade::Grader::new(lab);
            let params = live::provision(&sandbox, lab, grader.fixtures(), options, progress, lang)
                .await
                .map_err(ExamError::Live)?;
            // A task whose learner writes its Namespace names the task's own.
            let params = live::with_task_namespace(lab, params, &sandbox.namespace);
            live::save_params(&sandbox, lab, &params).await?;
            let shown = live::with_run_values(lab, &params).map_err(ExamError::Live)?;
            Ok::<_, ExamError>((sandbox, shown))
        }
    });
    let sandboxes = futures::future::join_all(set_up).await;
    let mut made = Vec::new();
    let mut shown = Vec::new();
    for done in sandboxes {
        let (sandbox, lab) = done?;
        made.push(sandbox);
        shown.push(lab);
    }
    for (task, sandbox) in exam.tasks.iter_mut().zip(&made) {
        task.namespace = Some(sandbox.namespace.clone());
    }
    for (task, sandbox) in exam.tasks.iter().zip(&made) {
        let maps: Api<ConfigMap> = Api::namespaced(client.clone(), &sandbox.namespace);
        maps.create(&PostParams::default(), &exam.configmap(task))
            .await
            .map_err(|e| ClusterError::api("save the exam", e))?;
        sandbox.hold_as_session().await?;
    }
    Ok((exam, shown))
}

/// What the exam runner reports, in order: [`Event::Started`], one
/// [`Event::TaskGraded`] per task (in task order), [`Event::Finished`].
pub enum Event<'a> {
    Started {
        exam: &'a Exam,
        /// When grading began.
        now: jiff::Timestamp,
    },
    TaskGraded(&'a TaskResult),
    Finished {
        /// The namespaces deleted.
        deleted: &'a [String],
    },
}

/// A task graded: the lab in the exam's variant (`None` when this kubelab does not
/// have it or it does not load) and its result, or why it could not be graded (its
/// namespace is gone, the lab is unknown, the cluster failed).
pub struct TaskResult {
    pub task: Task,
    pub lab: Option<Lab>,
    pub result: Result<LabResult, String>,
}

/// Ends the exam: grades every task's live state at once (as `kubelab check`), reports
/// each, then deletes the task namespaces and waits for them to be gone (at most
/// [`DELETE_TIMEOUT`]). `graded_at` is the time the report gives the grading (and
/// measures lateness by): now for `exam end`, the deadline for `exam start --wait`,
/// which grades when it comes.
///
/// Errors: none of its own; a task that cannot be graded is reported as such and the
/// others are graded.
pub async fn end(
    client: &kube::Client,
    catalog: &Catalog,
    exam: &Exam,
    graded_at: jiff::Timestamp,
    lang: Lang,
    on_event: &(dyn Fn(Event) + Sync),
) {
    on_event(Event::Started {
        exam,
        now: graded_at,
    });
    let grade = exam.tasks.iter().map(|task| async move {
        let lab = match catalog
            .get(&task.lab)
            .map(|l| l.variant(Some(&exam.variant)))
        {
            None => Err(msg!("cli-unknown-lab", lab = task.lab.as_str()).render(lang)),
            Some(loaded) => loaded.map_err(|e| e.to_string()),
        };
        let result = match (&lab, &task.namespace) {
            (Err(e), _) => Err(e.clone()),
            (_, None) => Err(msg!("exam-task-namespace-gone").render(lang)),
            (Ok(lab), Some(ns)) => {
                // The lab already is the exam's variant: the namespace's saved one.
                let sandbox = Sandbox::new(client, ns, &task.lab);
                match live::load_params(&sandbox, lab).await {
                    Err(e) => Err(e.to_string()),
                    Ok((lab, params)) => live::check_namespace(
                        &sandbox,
                        &lab,
                        &params,
                        lang,
                        &LiveOptions::default(),
                    )
                    .await
                    .map_err(|e| e.to_string()),
                }
            }
        };
        TaskResult {
            task: task.clone(),
            lab: lab.ok(),
            result,
        }
    });
    let mut results = futures::future::join_all(grade).await;
    // A task's objects applied in another task's namespace (or `default`): said at the
    // task, since the real exam grades each task in its own.
    let found = results.iter().map(|r| misplaced(client, exam, r, lang));
    let found = futures::future::join_all(found).await;
    for (result, notes) in results.iter_mut().zip(found) {
        if let Ok(graded) = &mut result.result {
            graded.notes.extend(notes);
        }
    }
    for result in &results {
        on_event(Event::TaskGraded(result));
    }
    let namespaces: Vec<String> = exam
        .tasks
        .iter()
        .filter_map(|t| t.namespace.clone())
        .collect();
    let deletions = namespaces.iter().map(|ns| async move {
        let sandbox = Sandbox::new(client, ns, "");
        sandbox
            .delete(DELETE_TIMEOUT)
            .await
            .ok()
            .map(|_| ns.clone())
    });
    let deleted: Vec<String> = futures::future::join_all(deletions)
        .await
        .into_iter()
        .flatten()
        .collect();
    on_event(Event::Finished { deleted: &deleted });
}

/// Where a task's submitted objects are that its own namespace lacks: each one the
/// learner made (not kubelab's fixtures: a manager other than kubelab's in its
/// `managedFields`) in another task's namespace or in `default`, as a note for the
/// task's report. Nothing when the task passed, its namespace holds them all, or a
/// namespace cannot be read (a lookup that fails says nothing).
async fn misplaced(
    client: &kube::Client,
    exam: &Exam,
    graded: &TaskResult,
    lang: Lang,
) -> Vec<String> {
    let (Ok(result), Some(lab), Some(own)) = (&graded.result, &graded.lab, &graded.task.namespace)
    else {
        return Vec::new();
    };
    if result.passed {
        return Vec::new();
    }
    let mut elsewhere: Vec<(String, String)> = exam
        .tasks
        .iter()
        .filter(|t| t.number != graded.task.number)
        .filter_map(|t| {
            let ns = t.namespace.clone()?;
            let at = msg!("exam-misplaced-task", number = t.number).render(lang);
            Some((ns, at))
        })
        .collect();
    elsewhere.push((
        "default".to_string(),
        msg!("exam-misplaced-default").render(lang),
    ));
    let mut notes = Vec::new();
    for submit in lab.steps.iter().flat_map(|s| &s.submit) {
        let Some(api_version) = crate::manifest::api_version_of(&submit.kind) else {
            continue;
        };
        // Cluster-scoped: not in a namespace at all.
        if crate::manifest::CLUSTER_SCOPED_SUBMITS.contains(&submit.kind.as_str()) {
            continue;
        }
        let get = |ns: &str| {
            let api = Sandbox::new(client, ns, &graded.task.lab).dynamic(api_version, &submit.kind);
            let name = submit.name.clone();
            async move { api.get_opt(&name).await }
        };
        if matches!(get(own).await, Ok(Some(_))) {
            continue;
        }
        for (ns, at) in &elsewhere {
            let Ok(Some(found)) = get(ns).await else {
                continue;
            };
            let by_learner = found
                .metadata
                .managed_fields
                .unwrap_or_default()
                .iter()
                .any(|m| m.manager.as_deref() != Some(crate::cluster::apply::FIELD_MANAGER));
            if by_learner {
                notes.push(
                    msg!(
                        "exam-misplaced",
                        kind = submit.kind.as_str(),
                        name = submit.name.as_str(),
                        found = ns.as_str(),
                        at = at.as_str(),
                        namespace = own.as_str(),
                        number = graded.task.number
                    )
                    .render(lang),
                );
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_as_the_cli_takes_them() {
        assert_eq!(parse_duration("30m").unwrap(), Duration::from_secs(1800));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("1h 30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("45").unwrap(), Duration::from_secs(2700));
        assert!(parse_duration("soon").is_err());
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h 30m");
        assert_eq!(format_duration(Duration::from_secs(45)), "45s");
    }

    #[test]
    fn warnings_come_once_as_each_mark_is_crossed() {
        let m = |min: u64, s: u64| Duration::from_secs(min * 60 + s);
        assert_eq!(warnings_due(m(30, 3), m(29, 58)), [30]);
        assert_eq!(warnings_due(m(29, 58), m(29, 53)), Vec::<u64>::new());
        assert_eq!(warnings_due(m(15, 0), m(14, 55)), Vec::<u64>::new());
        assert_eq!(warnings_due(m(15, 1), m(15, 0)), [15]);
        // A long sleep (a suspended laptop) crosses two marks at once.
        assert_eq!(warnings_due(m(16, 0), m(4, 0)), [15, 5]);
        // An exam started with less than 30 minutes never says 30.
        assert_eq!(warnings_due(m(20, 0), m(20, 0)), Vec::<u64>::new());
    }

    #[test]
    fn a_plan_has_every_lab_by_default_and_refuses_bad_input() {
        let catalog = Catalog::embedded().unwrap();
        let now: jiff::Timestamp = "2026-11-30T10:00:00Z".parse().unwrap();
        let (exam, labs) = Exam::plan(&catalog, &[], "han", None, now).unwrap();
        assert_eq!(exam.tasks.len(), catalog.ids().len());
        assert_eq!(labs.len(), catalog.ids().len());
        assert!(labs.iter().all(|l| l.variant.as_deref() == Some("han")));
        // 10 minutes a task.
        let minutes = 10 * catalog.ids().len() as i64;
        assert_eq!(
            exam.deadline,
            now + jiff::SignedDuration::from_mins(minutes)
        );
        assert_eq!(exam.points(), labs.iter().map(Lab::max_score).sum::<u32>());
        let later = exam.deadline + jiff::SignedDuration::from_mins(2);
        assert_eq!(exam.late_by(later), Some(Duration::from_secs(120)));
        assert_eq!(exam.late_by(now), None);
        let twice = ["network-policy".to_string(), "network-policy".to_string()];
        assert!(matches!(
            Exam::plan(&catalog, &twice, "han", None, now),
            Err(ExamError::Usage { .. })
        ));
        let long = Some(Duration::from_secs(5 * 3600));
        assert!(Exam::plan(&catalog, &[], "han", long, now).is_err());
        // --tasks: the same seed draws the same labs, in the pool's order; seeds differ.
        let all = catalog.ids();
        let three = draw(&catalog, &[], "han", 3).unwrap();
        assert_eq!(three, draw(&catalog, &[], "han", 3).unwrap());
        assert_eq!(three.len(), 3);
        let order: Vec<usize> = three
            .iter()
            .map(|l| all.iter().position(|a| a == l).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{three:?}");
        let exams: std::collections::BTreeSet<Vec<String>> = (0..20)
            .map(|i| draw(&catalog, &[], &format!("seed-{i}"), 3).unwrap())
            .collect();
        assert!(exams.len() > 3, "twenty seeds drew only {exams:?}");
        assert!(draw(&catalog, &[], "han", 0).is_err());
        assert!(draw(&catalog, &[], "han", all.len() + 1).is_err());
    }

    #[test]
    fn the_state_round_trips_through_the_configmaps() {
        let catalog = Catalog::embedded().unwrap();
        let now: jiff::Timestamp = "2026-11-30T10:00:00Z".parse().unwrap();
        let (mut exam, _) = Exam::plan(&catalog, &[], "han", None, now).unwrap();
        exam.id = "abcd1234".into();
        for (i, task) in exam.tasks.iter_mut().enumerate() {
            task.namespace = Some(format!("ns-{i}"));
        }
        let found: Vec<(String, BTreeMap<String, String>)> = exam
            .tasks
            .iter()
            .rev()
            .map(|t| {
                (
                    t.namespace.clone().unwrap(),
                    exam.configmap(t).data.unwrap(),
                )
            })
            .collect();
        assert_eq!(Exam::from_configmaps(&found).unwrap(), exam);
        // A task whose namespace is gone keeps its place, without a namespace.
        let partial = Exam::from_configmaps(&found[..2]).unwrap();
        assert_eq!(partial.tasks.len(), exam.tasks.len());
        assert_eq!(partial.tasks[0].namespace, None);
    }
}
