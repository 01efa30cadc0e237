//! The lab's own namespace: created and labelled by kubelab, the only place it touches,
//! deleted at the end (also on Ctrl-C), and found again by `kubelab clean`.

use super::ClusterError;
use super::exec::ExecOutput;
use super::isolation::{self, Isolation};
use super::run;
use super::shell::Shells;
use crate::i18n::Message;
use k8s_openapi::api::core::v1::{Namespace, Pod, ServiceAccount};
use kube::api::{DeleteParams, ListParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `app.kubernetes.io/managed-by: kubelab` marks every namespace kubelab created.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = "kubelab";
/// `kubelab.dev/lab: <lab id>`.
pub const LAB_LABEL: &str = "kubelab.dev/lab";

/// `kubelab.dev/sandbox: <namespace>` on every namespace of one run's scenario: its own
/// namespace and its roles' ([`SandboxOptions::roles`]), all with the run's first one.
pub const SANDBOX_LABEL: &str = "kubelab.dev/sandbox";
/// `kubelab.dev/role: <role>` on the namespace of a scenario's role.
pub const ROLE_LABEL: &str = "kubelab.dev/role";

/// How long one API call may take.
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a new namespace may take to get its `default` ServiceAccount.
pub const READY_TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(250);

/// How a sandbox is created beyond what every sandbox gets.
#[derive(Clone, Debug, Default)]
pub struct SandboxOptions {
    /// Extra labels on the namespace (an exam's `kubelab.dev/exam`), so that a later
    /// process finds it by a label selector.
    pub labels: BTreeMap<String, String>,
    /// NodePort Services its ResourceQuota admits (`services.nodeports`): 1 where
    /// kubelab runs a lab's private registry in it, else 0 (see
    /// [`crate::policy::limits::QUOTA`]). A learner's NodePort is refused before it
    /// reaches the API server whatever this says (`policy::confine`).
    pub node_ports: u32,
    /// The scenario's further namespaces by role, each with its labels
    /// ([`crate::lab::RoleNamespace`]): created beside the sandbox as
    /// `<sandbox>-<role>`, each with the run's identity, Lease, limits and isolation.
    pub roles: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Clone)]
pub struct Sandbox {
    pub client: Client,
    pub namespace: String,
    pub lab: String,
    /// What this process learned about the namespace's pods, shared by its clones.
    memory: Arc<Memory>,
}

/// Per-run knowledge that saves waiting twice for the same thing.
#[derive(Default)]
struct Memory {
    /// When each pod was first seen Ready: name → (uid, restart count then, instant).
    ready_since: Mutex<HashMap<String, (String, i32, Instant)>>,
    /// Shells kept open in the pods' containers.
    shells: Shells,
    /// How this process holds the namespace (see [`super::run`]).
    hold: Mutex<run::Hold>,
    /// Whether a task renews the namespace's Lease.
    heartbeat: std::sync::atomic::AtomicBool,
    /// Whether the namespace was cut off from other sandboxes when this process created it.
    isolation: std::sync::OnceLock<Isolation>,
    /// The namespaces of the scenario's roles, by role ([`SandboxOptions::roles`]).
    roles: Mutex<BTreeMap<String, Sandbox>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("namespace", &self.namespace)
            .field("lab", &self.lab)
            .finish()
    }
}

/// Runs one API call with [`CALL_TIMEOUT`], mapping errors (403 → `Forbidden`).
pub(crate) async fn call<T>(
    what: &str,
    future: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, ClusterError> {
    tokio::time::timeout(CALL_TIMEOUT, future)
        .await
        .map_err(|_| ClusterError::Timeout {
            what: what.to_string(),
            after: CALL_TIMEOUT,
        })?
        .map_err(|e| ClusterError::api(what, e))
}

/// Like [`call`], but a 404 is `None`.
pub(crate) async fn call_opt<T>(
    what: &str,
    future: impl Future<Output = Result<T, kube::Error>>,
) -> Result<Option<T>, ClusterError> {
    match tokio::time::timeout(CALL_TIMEOUT, future).await {
        Err(_) => Err(ClusterError::Timeout {
            what: what.to_string(),
            after: CALL_TIMEOUT,
        }),
        Ok(Ok(value)) => Ok(Some(value)),
        Ok(Err(kube::Error::Api(status))) if status.code == 404 => Ok(None),
        Ok(Err(e)) => Err(ClusterError::api(what, e)),
    }
}

/// `kubelab-<lab>-`, with the lab id reduced to a DNS label.
fn prefix(lab: &str) -> String {
    let mut id: String = lab
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    // 63 characters at most: "kubelab-" + id + "-" + 6, and "-" + a role (15) after it.
    id.truncate(63 - 8 - 1 - 6 - 16);
    let id = id.trim_matches('-');
    if id.is_empty() {
        "kubelab-".to_string()
    } else {
        format!("kubelab-{id}-")
    }
}

/// A label value for the lab id (63 characters of `[a-zA-Z0-9._-]`, alphanumeric ends).
fn lab_label_value(lab: &str) -> String {
    label_value(lab)
}

/// Any text as a label value: characters outside `[A-Za-z0-9._-]` → `-`, at most 63
/// characters, alphanumeric at both ends (possibly empty). Label syntax:
/// `k8s.io/apimachinery/pkg/util/validation` (IsValidLabelValue).
pub(crate) fn label_value(text: &str) -> String {
    let mut value: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    value.truncate(63);
    value
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

/// Six random characters of `[a-z0-9]` (std only: a randomly keyed hasher).
fn suffix() -> String {
    use std::hash::{BuildHasher, Hasher};
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    let mut n = hasher.finish();
    (0..6)
        .map(|_| {
            let c = ALPHABET[(n % 36) as usize] as char;
            n /= 36;
            c
        })
        .collect()
}

fn is_managed(namespace: &Namespace) -> bool {
    namespace
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(MANAGED_BY_LABEL))
        .is_some_and(|v| v == MANAGED_BY)
}

fn selector(lab: Option<&str>) -> String {
    match lab {
        Some(lab) => format!(
            "{MANAGED_BY_LABEL}={MANAGED_BY},{LAB_LABEL}={}",
            lab_label_value(lab)
        ),
        None => format!("{MANAGED_BY_LABEL}={MANAGED_BY}"),
    }
}

impl Sandbox {
    /// A handle on an existing namespace (nothing is checked or created).
    pub fn new(client: &Client, namespace: &str, lab: &str) -> Sandbox {
        Sandbox {
            client: client.clone(),
            namespace: namespace.to_string(),
            lab: lab.to_string(),
            memory: Arc::default(),
        }
    }

    /// Creates `kubelab-<lab>-<6 random [a-z0-9]>` with the labels above and waits
    /// (bounded) for its `default` ServiceAccount, without which pods are refused.
    pub async fn create(client: &Client, lab: &str) -> Result<Sandbox, ClusterError> {
        Self::create_tracked(client, lab, |_| {}).await
    }

    /// `create`, calling `created` as soon as the namespace exists — before the wait for
    /// its ServiceAccount — so that an interrupt from then on can delete it.
    pub async fn create_tracked(
        client: &Client,
        lab: &str,
        created: impl FnOnce(&Sandbox),
    ) -> Result<Sandbox, ClusterError> {
        Self::create_with(client, lab, &SandboxOptions::default(), created).await
    }

    /// `create_tracked` with [`SandboxOptions`]: extra labels, and the NodePorts its
    /// ResourceQuota admits.
    pub async fn create_with(
        client: &Client,
        lab: &str,
        options: &SandboxOptions,
        created: impl FnOnce(&Sandbox),
    ) -> Result<Sandbox, ClusterError> {
        let namespaces: Api<Namespace> = Api::all(client.clone());
        let mut labels = options.labels.clone();
        labels.extend([
            (MANAGED_BY_LABEL.to_string(), MANAGED_BY.to_string()),
            (LAB_LABEL.to_string(), lab_label_value(lab)),
        ]);
        // Pod Security admission enforces `baseline` and warns at `restricted`.
        labels.extend(
            crate::policy::pod_security_labels()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        // The run's identity: `kubelab clean` removes a namespace only once its run is
        // dead (see `run`).
        let identity = run::current();
        labels.extend(run::namespace_labels(identity));
        let annotations = run::namespace_annotations(identity);
        let mut attempt = 0;
        let name = loop {
            attempt += 1;
            let name = format!("{}{}", prefix(lab), suffix());
            let mut labels = labels.clone();
            labels.insert(SANDBOX_LABEL.to_string(), name.clone());
            let namespace = Namespace {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    labels: Some(labels),
                    annotations: Some(annotations.clone()),
                    ..Default::default()
                },
                ..Default::default()
            };
            let what = format!("create namespace {name}");
            match tokio::time::timeout(
                CALL_TIMEOUT,
                namespaces.create(&PostParams::default(), &namespace),
            )
            .await
            {
                Err(_) => {
                    return Err(ClusterError::Timeout {
                        what,
                        after: CALL_TIMEOUT,
                    });
                }
                Ok(Ok(_)) => break name,
                // A name already taken (1 in 2 billion): draw another.
                Ok(Err(kube::Error::Api(status))) if status.code == 409 && attempt < 3 => {}
                Ok(Err(e)) => return Err(ClusterError::api(&what, e)),
            }
        };
        let sandbox = Sandbox::new(client, &name, lab);
        created(&sandbox);
        // The run's namespaces: each is isolated from every kubelab namespace but these.
        let group: Vec<String> = std::iter::once(name.clone())
            .chain(options.roles.keys().map(|role| format!("{name}-{role}")))
            .collect();
        let ready = async {
            let (own, roles) = futures::join!(
                sandbox.set_up(options.node_ports, &group),
                sandbox.create_roles(&labels, &options.roles, &group)
            );
            own?;
            roles
        };
        if let Err(e) = ready.await {
            // Leave nothing behind; the first error is the one to report.
            let _ = sandbox.delete(Duration::from_secs(5)).await;
            return Err(e);
        }
        Ok(sandbox)
    }

    /// What every namespace of a run gets once it exists: its Lease (held by this
    /// process, renewed while it lives), the sandbox limits, the isolation from every
    /// kubelab namespace outside `group` (the run's own), and its `default`
    /// ServiceAccount (awaited).
    async fn set_up(&self, node_ports: u32, group: &[String]) -> Result<(), ClusterError> {
        let (lease, limits, isolated) = futures::join!(
            run::acquire(&self.client, &self.namespace, run::Hold::Process),
            self.create_limits(node_ports),
            isolation::isolate(&self.client, &self.namespace, group)
        );
        lease?;
        limits?;
        let _ = self.memory.isolation.set(isolated?);
        self.keep_alive();
        self.wait_for_default_account(READY_TIMEOUT).await
    }

    /// Creates the namespaces of the scenario's roles, `<sandbox>-<role>`, with the
    /// sandbox's own `labels` (its identity), the role's labels, [`ROLE_LABEL`] and
    /// [`SANDBOX_LABEL`], each [`Sandbox::set_up`] like the sandbox (no NodePort).
    async fn create_roles(
        &self,
        labels: &BTreeMap<String, String>,
        roles: &BTreeMap<String, BTreeMap<String, String>>,
        group: &[String],
    ) -> Result<(), ClusterError> {
        let namespaces: Api<Namespace> = Api::all(self.client.clone());
        let created = roles.iter().map(|(role, role_labels)| {
            let namespaces = namespaces.clone();
            async move {
                let name = format!("{}-{role}", self.namespace);
                let mut labels = labels.clone();
                labels.extend(role_labels.clone());
                labels.insert(ROLE_LABEL.to_string(), role.clone());
                labels.insert(SANDBOX_LABEL.to_string(), self.namespace.clone());
                let namespace = Namespace {
                    metadata: ObjectMeta {
                        name: Some(name.clone()),
                        labels: Some(labels),
                        annotations: Some(run::namespace_annotations(run::current())),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                let what = format!("create namespace {name}");
                call(&what, namespaces.create(&PostParams::default(), &namespace)).await?;
                let sibling = Sandbox::new(&self.client, &name, &self.lab);
                self.memory
                    .roles
                    .lock()
                    .unwrap()
                    .insert(role.clone(), sibling.clone());
                sibling.set_up(0, group).await
            }
        });
        futures::future::try_join_all(created).await.map(|_| ())
    }

    /// The sandbox of a role's namespace (`Some(role)`), or this one (`None`, the lab's
    /// own namespace). A role this run did not create is this one too (never reached:
    /// kubelab refuses objects aimed at undeclared namespaces before anything is sent).
    pub fn role(&self, role: Option<&str>) -> Sandbox {
        role.and_then(|role| self.memory.roles.lock().unwrap().get(role).cloned())
            .unwrap_or_else(|| self.clone())
    }

    /// The namespaces of the scenario's roles: (role, namespace).
    pub fn role_namespaces(&self) -> Vec<(String, String)> {
        self.memory
            .roles
            .lock()
            .unwrap()
            .iter()
            .map(|(role, sandbox)| (role.clone(), sandbox.namespace.clone()))
            .collect()
    }

    /// How this run names the scenario's namespaces: the task's name for the lab's own
    /// (`task_namespace`, e.g. `default`) → this namespace, each role → its namespace.
    pub fn names_in_run(&self, task_namespace: &str) -> BTreeMap<String, String> {
        let mut names: BTreeMap<String, String> = self.role_namespaces().into_iter().collect();
        names.insert(task_namespace.to_string(), self.namespace.clone());
        names
    }

    /// The sandbox's `LimitRange` and `ResourceQuota` ([`crate::policy::limits`]),
    /// created before anything else runs in it.
    async fn create_limits(&self, node_ports: u32) -> Result<(), ClusterError> {
        use k8s_openapi::api::core::v1::{LimitRange, ResourceQuota};
        let limit_range: LimitRange = serde_json::from_value(crate::policy::limits::limit_range())
            .map_err(|e| ClusterError::Protocol(format!("the sandbox LimitRange: {e}")))?;
        let quota: ResourceQuota =
            serde_json::from_value(crate::policy::limits::resource_quota(node_ports))
                .map_err(|e| ClusterError::Protocol(format!("the sandbox ResourceQuota: {e}")))?;
        let ranges: Api<LimitRange> = Api::namespaced(self.client.clone(), &self.namespace);
        let quotas: Api<ResourceQuota> = Api::namespaced(self.client.clone(), &self.namespace);
        let post = PostParams::default();
        let what_range = format!("create the LimitRange of namespace {}", self.namespace);
        let what_quota = format!("create the ResourceQuota of namespace {}", self.namespace);
        let (a, b) = futures::join!(
            call(&what_range, ranges.create(&post, &limit_range)),
            call(&what_quota, quotas.create(&post, &quota))
        );
        a?;
        b?;
        Ok(())
    }

    async fn wait_for_default_account(&self, timeout: Duration) -> Result<(), ClusterError> {
        let accounts: Api<ServiceAccount> = Api::namespaced(self.client.clone(), &self.namespace);
        let start = Instant::now();
        let what = format!("the default ServiceAccount of namespace {}", self.namespace);
        loop {
            if call_opt(&what, accounts.get_opt("default"))
                .await?
                .flatten()
                .is_some()
            {
                return Ok(());
            }
            if start.elapsed() >= timeout {
                return Err(ClusterError::Timeout {
                    what: format!("waiting for {what}"),
                    after: timeout,
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// An existing namespace that kubelab created for `lab` (refuses any other).
    pub async fn adopt(
        client: &Client,
        namespace: &str,
        lab: &str,
    ) -> Result<Sandbox, ClusterError> {
        let namespaces: Api<Namespace> = Api::all(client.clone());
        let what = format!("use namespace {namespace}");
        let found = call_opt(&what, namespaces.get(namespace))
            .await?
            .ok_or_else(|| ClusterError::Api {
                what: what.clone(),
                message: "no such namespace".into(),
            })?;
        if !is_managed(&found) {
            return Err(ClusterError::Api {
                what,
                message: format!(
                    "kubelab did not create it (no label {MANAGED_BY_LABEL}={MANAGED_BY}); \
                     kubelab only works in namespaces it created"
                ),
            });
        }
        let wanted = lab_label_value(lab);
        let labelled = found
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(LAB_LABEL))
            .cloned();
        if labelled.as_deref() != Some(wanted.as_str()) {
            return Err(ClusterError::Api {
                what,
                message: match labelled {
                    Some(other) => format!("it belongs to lab `{other}`, not `{lab}`"),
                    None => format!("it has no label {LAB_LABEL}"),
                },
            });
        }
        if found.metadata.deletion_timestamp.is_some() {
            return Err(ClusterError::Api {
                what,
                message: "it is being deleted".into(),
            });
        }
        let sandbox = Sandbox::new(client, namespace, lab);
        // A `start` session (or a namespace of an older kubelab, without a Lease) is
        // renewed as a session: each `check` extends it. Someone's running process keeps
        // its own hold.
        let hold = run::hold_of(client, namespace)
            .await?
            .unwrap_or(run::Hold::Session);
        *sandbox.memory.hold.lock().unwrap() = hold;
        run::renew(client, namespace, hold).await?;
        sandbox.keep_alive();
        // The namespaces of its scenario's roles, held the same way.
        let selector = format!("{SANDBOX_LABEL}={namespace},{ROLE_LABEL}");
        let list = call(
            "list the scenario's namespaces",
            namespaces.list(&ListParams::default().labels(&selector)),
        )
        .await?;
        for found in list.items {
            let (Some(name), Some(role)) = (
                found.metadata.name.clone(),
                found
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(ROLE_LABEL))
                    .cloned(),
            ) else {
                continue;
            };
            let sibling = Sandbox::new(client, &name, lab);
            *sibling.memory.hold.lock().unwrap() = hold;
            run::renew(client, &name, hold).await?;
            sibling.keep_alive();
            sandbox.memory.roles.lock().unwrap().insert(role, sibling);
        }
        Ok(sandbox)
    }

    /// Renews the namespace's Lease every [`run::RENEW_EVERY`] while any clone of this
    /// sandbox lives in this process (a task of the current tokio runtime); a killed
    /// process stops renewing and `kubelab clean` may then remove the namespace.
    fn keep_alive(&self) {
        use std::sync::atomic::Ordering;
        if self.memory.heartbeat.swap(true, Ordering::SeqCst) {
            return;
        }
        let memory = Arc::downgrade(&self.memory);
        let client = self.client.clone();
        let namespace = self.namespace.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(run::RENEW_EVERY).await;
                let Some(alive) = memory.upgrade() else {
                    break;
                };
                let hold = *alive.hold.lock().unwrap();
                drop(alive);
                // A failed renewal is tried again at the next beat; the Lease lasts
                // three beats.
                if let Ok(false) = run::renew(&client, &namespace, hold).await {
                    break;
                }
            }
        });
    }

    /// Hands the namespace over to the learner: a session hold of
    /// [`run::SESSION_LEASE`] that outlives this process (`kubelab start`).
    pub async fn hold_as_session(&self) -> Result<(), ClusterError> {
        let roles: Vec<Sandbox> = self
            .memory
            .roles
            .lock()
            .unwrap()
            .values()
            .cloned()
            .collect();
        for sandbox in roles.iter().chain(std::iter::once(self)) {
            *sandbox.memory.hold.lock().unwrap() = run::Hold::Session;
            run::renew(&sandbox.client, &sandbox.namespace, run::Hold::Session).await?;
        }
        Ok(())
    }

    /// The newest namespace kubelab created for `lab` for this owner (see
    /// [`run::current`]), if any: on a shared cluster, another learner's lab is never
    /// picked.
    pub async fn newest(client: &Client, lab: &str) -> Result<Option<Sandbox>, ClusterError> {
        let namespaces: Api<Namespace> = Api::all(client.clone());
        // A run's own namespace, not one of its roles'.
        let selector = format!(
            "{},{}={},!{ROLE_LABEL}",
            selector(Some(lab)),
            run::OWNER_LABEL,
            run::current().owner_label()
        );
        let list = call(
            "list kubelab namespaces",
            namespaces.list(&ListParams::default().labels(&selector)),
        )
        .await?;
        let newest = list
            .items
            .into_iter()
            .filter(|ns| ns.metadata.deletion_timestamp.is_none())
            .max_by(|a, b| {
                (&a.metadata.creation_timestamp, &a.metadata.name)
                    .cmp(&(&b.metadata.creation_timestamp, &b.metadata.name))
            });
        match newest.and_then(|ns| ns.metadata.name) {
            Some(name) => Self::adopt(client, &name, lab).await.map(Some),
            None => Ok(None),
        }
    }

    /// Whether this process cut the namespace off from other kubelab namespaces when it
    /// created it ([`isolation::isolate`]); `None` for a namespace it did not create.
    pub fn isolation(&self) -> Option<&Isolation> {
        self.memory.isolation.get()
    }

    pub fn pods(&self) -> Api<Pod> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// The sandbox's objects of any kind, as the API server holds them.
    pub fn dynamic(&self, api_version: &str, kind: &str) -> Api<kube::api::DynamicObject> {
        Api::namespaced_with(
            self.client.clone(),
            &self.namespace,
            &super::apply::resource(api_version, kind),
        )
    }

    /// Runs a command in a container through the exec API, in a shell kept open there
    /// when the container has one (see [`Shells`]).
    pub async fn exec(
        &self,
        pod: &str,
        container: Option<&str>,
        command: &[&str],
        timeout: Duration,
    ) -> Result<ExecOutput, ClusterError> {
        self.memory
            .shells
            .exec(&self.pods(), pod, container, command, timeout)
            .await
    }

    /// When this run first saw `pod` Ready with this uid and restart count (now, if it
    /// has just been seen so for the first time).
    pub(crate) fn ready_since(&self, pod: &str, uid: &str, restarts: i32) -> Instant {
        let mut seen = self.memory.ready_since.lock().unwrap();
        match seen.get(pod) {
            Some((u, r, since)) if u == uid && *r == restarts => *since,
            _ => {
                let now = Instant::now();
                seen.insert(pod.to_string(), (uid.to_string(), restarts, now));
                now
            }
        }
    }

    /// Deletes the namespace and waits (bounded by `timeout`) until it is gone.
    /// Its roles' namespaces go with it ([`Sandbox::scenario_namespaces`]).
    pub async fn delete(&self, timeout: Duration) -> Result<(), ClusterError> {
        self.close_shells();
        let names = self.scenario_namespaces().await;
        delete_all(&self.client, &names, timeout).await
    }

    /// Starts deleting the namespace (its pods without grace) and returns: the cluster
    /// finishes in the background, nobody needs to wait for it. Its roles' namespaces go
    /// with it.
    pub async fn delete_in_background(&self) -> Result<(), ClusterError> {
        self.close_shells();
        let mut first_error = Ok(());
        for name in self.scenario_namespaces().await {
            if let Err(e) = start_deleting(&self.client, &name).await
                && first_error.is_ok()
            {
                first_error = Err(e);
            }
        }
        first_error
    }

    fn close_shells(&self) {
        self.memory.shells.close();
        for sibling in self.memory.roles.lock().unwrap().values() {
            sibling.memory.shells.close();
        }
    }

    /// This namespace and its roles': the ones this process knows, and any other the
    /// API server lists with [`SANDBOX_LABEL`] naming this one (a role created by a
    /// process that was interrupted before it said so). Roles first, so that the
    /// sandbox whose Lease covers them goes last.
    async fn scenario_namespaces(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .memory
            .roles
            .lock()
            .unwrap()
            .values()
            .map(|s| s.namespace.clone())
            .collect();
        let namespaces: Api<Namespace> = Api::all(self.client.clone());
        let selector = format!("{SANDBOX_LABEL}={},{ROLE_LABEL}", self.namespace);
        if let Ok(list) = call(
            "list the scenario's namespaces",
            namespaces.list(&ListParams::default().labels(&selector)),
        )
        .await
        {
            for name in list.items.into_iter().filter_map(|n| n.metadata.name) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names.push(self.namespace.clone());
        names
    }
}

/// Deletes the namespace's pods without grace (lab pods such as `sleep 3600` ignore
/// SIGTERM and would hold the namespace for 30 s), then the namespace itself.
async fn start_deleting(client: &Client, name: &str) -> Result<(), ClusterError> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let pods: Api<Pod> = Api::namespaced(client.clone(), name);
    let now = DeleteParams {
        grace_period_seconds: Some(0),
        ..Default::default()
    };
    // Cluster-scoped: the learner's admission policies of the run go first, so that
    // none outlives its namespace.
    super::admission::delete_policies(client, name).await;
    // Best effort: the namespace deletion below removes them anyway.
    if let Ok(Some(list)) = call_opt("list pods", pods.list(&ListParams::default())).await {
        futures::future::join_all(
            list.items
                .iter()
                .filter_map(|pod| pod.metadata.name.as_deref())
                .map(|pod| call_opt("delete pod", pods.delete(pod, &now))),
        )
        .await;
    }
    call_opt(
        &format!("delete namespace {name}"),
        namespaces.delete(name, &DeleteParams::background()),
    )
    .await
    .map(|_| ())
}

/// Deletes the namespaces ([`start_deleting`]) and waits until all are gone.
async fn delete_all(
    client: &Client,
    names: &[String],
    timeout: Duration,
) -> Result<(), ClusterError> {
    let start = Instant::now();
    let namespaces: Api<Namespace> = Api::all(client.clone());
    for name in names {
        start_deleting(client, name).await?;
    }
    for name in names {
        loop {
            let what = format!("delete namespace {name}");
            if call_opt(&what, namespaces.get(name)).await?.is_none() {
                break;
            }
            if start.elapsed() >= timeout {
                return Err(ClusterError::Timeout {
                    what,
                    after: timeout,
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }
    Ok(())
}

/// What `kubelab clean` did: the namespaces deleted and those kept, each with why (a
/// message, rendered in the locale's language where it is printed).
#[derive(Debug, Default)]
pub struct Cleaned {
    pub deleted: Vec<(String, Message)>,
    pub kept: Vec<(String, Message)>,
}

/// Deletes the kubelab namespaces that `scope` selects ([`run::decide`]: by default
/// those whose run is dead and the caller's own `start` sessions) and waits until they
/// are gone. Only namespaces labelled as managed by kubelab are ever considered.
pub async fn clean(
    client: &Client,
    scope: &run::Scope,
    timeout: Duration,
) -> Result<Cleaned, ClusterError> {
    use k8s_openapi::api::coordination::v1::Lease;
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let list = call(
        "list kubelab namespaces",
        namespaces.list(&ListParams::default().labels(&selector(None))),
    )
    .await?;
    let now = k8s_openapi::jiff::Timestamp::now();
    let mut cleaned = Cleaned::default();
    // The label selector did the choosing; checking again costs nothing and makes sure
    // that nothing else is ever deleted.
    for namespace in list.items.into_iter().filter(is_managed) {
        let Some(name) = namespace.metadata.name.clone() else {
            continue;
        };
        let leases: Api<Lease> = Api::namespaced(client.clone(), &name);
        let lease = call_opt(
            &format!("read the Lease of namespace {name}"),
            leases.get(run::LEASE_NAME),
        )
        .await?;
        match run::decide(&namespace, lease.as_ref(), run::current(), scope, now) {
            Ok(why) => cleaned.deleted.push((name, why)),
            Err(why) => cleaned.kept.push((name, why)),
        }
    }
    let names: Vec<String> = cleaned.deleted.iter().map(|(n, _)| n.clone()).collect();
    delete_all(client, &names, timeout).await?;
    super::admission::delete_orphans(client).await;
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_dns_labels() {
        assert_eq!(prefix("network-policy"), "kubelab-network-policy-");
        assert_eq!(prefix("Pod_Security"), "kubelab-pod-security-");
        let long = prefix(&"x".repeat(100));
        assert!(long.len() + 6 <= 63, "{long}");
        let s = suffix();
        assert_eq!(s.len(), 6);
        assert!(
            s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_ne!(suffix(), suffix());
        assert_eq!(lab_label_value("-a b-"), "a-b");
    }
}
