//! Live grading on a real cluster: a fresh sandbox namespace, the scenario's fixtures,
//! then per step the learner's objects (server-side dry run with strict validation
//! first, then applied) and the step's checks, run concurrently through the exec API.
//! The offline simulation runs beside it: its locations point live failures at the
//! learner's line, and any disagreement is shown (the cluster is the oracle).

use super::offline::{Grader, Refusals};
use super::result::{CheckResult, LabResult, Mode, StepResult};
use super::score::summarize;
use super::stage::stage;
use crate::check::live::{self, LiveContext};
use crate::check::{Outcome, Verdict};
use crate::cluster::apply::{self, ApplyError};
use crate::cluster::registry::{self, RegistrySpec};
use crate::cluster::sandbox::SandboxOptions;
use crate::cluster::wait::{wait_ready, wait_started};
use crate::cluster::{ClusterError, Sandbox};
use crate::i18n::Message;
use crate::lab::{Lab, Lang};
use crate::manifest::{Location, Object, Submission};
use futures::future::join_all;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LiveError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Cluster(#[from] ClusterError),
    /// The scenario itself could not be set up: an environment error.
    #[error("the lab scenario did not come up: {0}")]
    Scenario(String),
}

/// What a live run reports while it works (a spinner on a terminal, nothing in CI).
pub trait Progress: Sync {
    fn say(&self, message: &str);
    /// A line that stays (a warning), above the running message; stderr by default.
    fn note(&self, line: &str) {
        use std::io::Write;
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

pub struct Quiet;

impl Progress for Quiet {
    fn say(&self, _: &str) {}
}

#[derive(Clone, Debug)]
pub struct LiveOptions {
    pub pod_timeout: Duration,
    /// For labs with a private registry: a fixed NodePort (grading files that name the
    /// default registry) or `None` (a `start` with per-run values).
    pub fixed_registry: bool,
    /// For labs with a private registry: one already running (a class run shares one
    /// among its learners, [`provision_shared_registry`]), whose parameter values
    /// (`registry`, `image`, `username`, `password`) replace provisioning one per run.
    pub shared_registry: Option<BTreeMap<String, String>>,
}

impl Default for LiveOptions {
    fn default() -> Self {
        Self {
            pod_timeout: Duration::from_secs(90),
            fixed_registry: true,
            shared_registry: None,
        }
    }
}

/// A `start`'s values of a lab whose learner writes the task's Namespace (`namespace:`):
/// the parameter that names it (its value is the task namespace's name) becomes the
/// run's own namespace, so that the sheet, the solution and `kubelab check` all name the
/// namespace the learner works in (`kubectl apply -f namespace.yaml` then labels it,
/// rather than creating a namespace kubelab never grades). Other labs' values as they are.
pub fn with_task_namespace(
    lab: &Lab,
    mut params: BTreeMap<String, String>,
    namespace: &str,
) -> BTreeMap<String, String> {
    if let Some(task) = &lab.namespace {
        let names: Vec<String> = params
            .iter()
            .filter(|(_, value)| **value == task.name)
            .map(|(name, _)| name.clone())
            .collect();
        for name in names {
            params.insert(name, namespace.to_string());
        }
    }
    params
}

/// `lab` as a run set it up: its text, fixtures, probes and solution with the run's
/// values `params` (a `start`'s own registry and credentials, a task's own namespace).
/// Errors: the lab does not load with them (a scenario error: kubelab's, not the
/// learner's).
pub fn with_run_values(lab: &Lab, params: &BTreeMap<String, String>) -> Result<Lab, LiveError> {
    lab.with_values(params).map_err(|e| {
        LiveError::Scenario(format!("{} with this run's values: {}", lab.id, e.message))
    })
}

/// Whether the lab's scenario has a private registry.
pub fn has_registry(lab: &Lab) -> bool {
    let params = lab.param_values();
    params.contains_key("registry") && params.contains_key("image")
}

/// How a run of `lab` with `options` creates its sandbox: it admits one NodePort (the
/// registry's) when [`provision`] runs the lab's private registry there, none otherwise
/// (issue 22: no lab hands a learner a port on every node); the namespaces of the lab's
/// roles are created with it.
pub fn sandbox_options(lab: &Lab, options: &LiveOptions) -> SandboxOptions {
    SandboxOptions {
        node_ports: u32::from(has_registry(lab) && options.shared_registry.is_none()),
        roles: lab
            .namespaces
            .iter()
            .map(|(role, spec)| (role.clone(), spec.labels.clone()))
            .collect(),
        ..SandboxOptions::default()
    }
}

/// Starts one private registry in `sandbox` (a namespace of its own that the caller
/// deletes at the end) for the runs of every lab of `labs` (variants of one lab) to
/// share: every variant's user in its htpasswd, every variant's image name seeded.
/// Returns, per lab in order, the parameter values for [`LiveOptions::shared_registry`].
/// A class run does this instead of once per learner: the registry's fixed NodePort
/// (the lab's `127.0.0.1:30050`) can be held by one Service at a time, so per-learner
/// registries would take turns. Provisioning again in the same sandbox replaces the
/// registry (its users and images) and moves the Service to the round's NodePort
/// ([`registry_rounds`] gives every round one address).
///
/// Errors: the registry does not come up; two labs name one user with two passwords
/// (an htpasswd file has one password per user: [`registry_rounds`] splits such labs).
pub async fn provision_shared_registry(
    sandbox: &Sandbox,
    labs: &[&Lab],
    options: &LiveOptions,
) -> Result<Vec<BTreeMap<String, String>>, LiveError> {
    let specs: Vec<RegistrySpec> = labs
        .iter()
        .map(|lab| registry_spec(&lab.param_values(), options.fixed_registry))
        .collect();
    let mut shared = RegistrySpec {
        users: Vec::new(),
        images: Vec::new(),
        node_port: specs.first().and_then(|s| s.node_port),
    };
    for spec in &specs {
        for user in &spec.users {
            if !shared.users.contains(user) {
                shared.users.push(user.clone());
            }
        }
        for image in &spec.images {
            if !shared.images.contains(image) {
                shared.images.push(image.clone());
            }
        }
    }
    let registry = registry::provision(sandbox, &shared, options.pod_timeout * 2).await?;
    Ok(specs
        .into_iter()
        .map(|spec| {
            let (username, password) = spec.users[0].clone();
            let (repository, tag) = &spec.images[0];
            BTreeMap::from([
                ("registry".to_string(), registry.server.clone()),
                (
                    "image".to_string(),
                    format!("{}/{repository}:{tag}", registry.server),
                ),
                ("username".to_string(), username),
                ("password".to_string(), password),
            ])
        })
        .collect())
}

/// `labs` (variants of one lab with a private registry) split into rounds that can
/// share one registry: within a round every variant names the same registry address
/// (its NodePort: a variant of `allowed-registries` moves the registry) and no user name
/// has two passwords. First fit, in order: indices into `labs`, every index in exactly
/// one round; one round when the variants share the address and every variant's user is
/// its own (or the labs are all one variant).
pub fn registry_rounds(labs: &[&Lab]) -> Vec<Vec<usize>> {
    type Round = (String, BTreeMap<String, String>, Vec<usize>);
    let mut rounds: Vec<Round> = Vec::new();
    for (index, lab) in labs.iter().enumerate() {
        let values = lab.param_values();
        let registry = values.get("registry").cloned().unwrap_or_default();
        let username = values.get("username").cloned().unwrap_or_default();
        let password = values.get("password").cloned().unwrap_or_default();
        let fits = |(address, users, _): &&mut Round| {
            *address == registry && users.get(&username).is_none_or(|p| *p == password)
        };
        match rounds.iter_mut().find(fits) {
            Some((_, users, members)) => {
                users.insert(username, password);
                members.push(index);
            }
            None => rounds.push((
                registry,
                BTreeMap::from([(username, password)]),
                vec![index],
            )),
        }
    }
    rounds.into_iter().map(|(_, _, members)| members).collect()
}

/// Sets up the lab's scenario in the sandbox: the private registry when the lab has one,
/// the fixtures, every fixture pod Ready and settled (Ready held for the settle time, see
/// [`wait_ready`]), as a learner's `kubelab start` needs it. Returns the parameter values
/// of this run. `progress` hears what it does in `lang`.
pub async fn provision(
    sandbox: &Sandbox,
    lab: &Lab,
    fixtures: &[Object],
    options: &LiveOptions,
    progress: &dyn Progress,
    lang: Lang,
) -> Result<BTreeMap<String, String>, LiveError> {
    let params = provision_started(sandbox, lab, fixtures, options, progress, lang).await?;
    fixtures_held(sandbox, fixtures, options).await?;
    Ok(params)
}

/// [`provision`] up to every fixture pod running, without waiting for their settle: a
/// grade starts its checks at once and confirms the settle when it ends
/// ([`fixtures_held`]), so that the two overlap (1.5 s of the network-policy lab's ~6 s).
async fn provision_started(
    sandbox: &Sandbox,
    lab: &Lab,
    fixtures: &[Object],
    options: &LiveOptions,
    progress: &dyn Progress,
    lang: Lang,
) -> Result<BTreeMap<String, String>, LiveError> {
    let say = |message: Message| progress.say(&message.render(lang));
    let mut params = lab.param_values();
    if let (true, Some(shared)) = (has_registry(lab), &options.shared_registry) {
        params.extend(shared.clone());
    } else if has_registry(lab) {
        say(crate::msg!("grade-progress-starting-registry"));
        let spec = registry_spec(&params, options.fixed_registry);
        let registry = registry::provision(sandbox, &spec, options.pod_timeout * 2).await?;
        params.insert("registry".into(), registry.server.clone());
        params.insert("image".into(), registry.image.clone());
        let (username, password) = spec.users[0].clone();
        params.insert("username".into(), username);
        params.insert("password".into(), password);
    }
    // A run with its own registry (a `start`) renders the fixtures again with the
    // registry's address and credentials (a lab's pull secret names them).
    let (rendered, grader);
    let fixtures = if params != lab.param_values() {
        rendered = with_run_values(lab, &params)?;
        grader = super::Grader::new(&rendered);
        grader.fixtures()
    } else {
        fixtures
    };
    say(crate::msg!("grade-progress-creating-scenario"));
    for object in fixtures {
        let (target, sent) = in_run(lab, sandbox, object);
        apply_checked(&target, &sent).await.map_err(|e| match e {
            ApplyError::Rejected { message, .. } => LiveError::Scenario(format!(
                "fixture {} {}: {message}",
                object.kind, object.name
            )),
            ApplyError::Cluster(e) => LiveError::Cluster(e),
        })?;
    }
    let pods: Vec<&Object> = fixtures.iter().filter(|o| o.kind == "Pod").collect();
    say(crate::msg!(
        "grade-progress-waiting-for-pods",
        count = pods.len()
    ));
    let states = join_all(pods.iter().map(|p| async {
        let target = sandbox.role(lab.role_of(p.namespace.as_deref()));
        wait_started(&target, &p.name, options.pod_timeout).await
    }))
    .await;
    for (pod, state) in pods.iter().zip(states) {
        match state? {
            crate::cluster::wait::PodState::Ready => {}
            other => {
                return Err(LiveError::Scenario(format!(
                    "Pod {} is not Ready: {other:?}",
                    pod.name
                )));
            }
        }
    }
    Ok(params)
}

/// Every fixture pod is Ready, has stayed so for the settle time since this run first
/// saw it Ready (waiting for what is left of it), and never restarted: a scenario pod
/// that crashed during a grade makes the whole grade a scenario error, since a probe to
/// a restarting listener proves nothing.
async fn fixtures_held(
    sandbox: &Sandbox,
    fixtures: &[Object],
    options: &LiveOptions,
) -> Result<(), LiveError> {
    let pods: Vec<&Object> = fixtures.iter().filter(|o| o.kind == "Pod").collect();
    let states = join_all(pods.iter().map(|p| async {
        // Any other namespace (`default`, none) is the sandbox itself.
        let sandbox = &sandbox.role(p.namespace.as_deref());
        let state = wait_ready(sandbox, &p.name, options.pod_timeout).await?;
        let what = format!("get pod {}/{}", sandbox.namespace, p.name);
        let found = crate::cluster::sandbox::call(&what, sandbox.pods().get(&p.name)).await?;
        Ok::<_, crate::cluster::ClusterError>((state, crate::cluster::wait::restarts(&found)))
    }))
    .await;
    for (pod, state) in pods.iter().zip(states) {
        match state? {
            (crate::cluster::wait::PodState::Ready, 0) => {}
            (crate::cluster::wait::PodState::Ready, restarts) => {
                return Err(LiveError::Scenario(format!(
                    "Pod {} restarted {restarts} time(s) during the run",
                    pod.name
                )));
            }
            (other, _) => {
                return Err(LiveError::Scenario(format!(
                    "Pod {} is not Ready: {other:?}",
                    pod.name
                )));
            }
        }
    }
    Ok(())
}

fn registry_spec(params: &BTreeMap<String, String>, fixed: bool) -> RegistrySpec {
    let image = crate::check::registry::ImageRef::parse(&params["image"]);
    let node_port = fixed
        .then(|| {
            params["registry"]
                .rsplit_once(':')
                .and_then(|(_, p)| p.parse().ok())
        })
        .flatten();
    let (username, password) = if fixed {
        (
            params.get("username").cloned().unwrap_or_default(),
            params.get("password").cloned().unwrap_or_default(),
        )
    } else {
        (
            format!("learner-{}", crate::cluster::random_word(4)),
            crate::cluster::random_word(16),
        )
    };
    RegistrySpec::single(username, password, image.repository, image.tag, node_port)
}

/// Where the run sends `object`, and as what: the sandbox of its role's namespace
/// ([`crate::lab::RoleNamespace`]) or the run's own, and — for a NetworkPolicy whose
/// `namespaceSelector` names the lab's namespace (by the task's name for it, `default`)
/// or a role by `kubernetes.io/metadata.name` — the object with that name replaced by
/// the namespace's name in this run, which the simulation (every namespace under the
/// task's name for it: [`crate::check::World::namespaces`]) selects alike.
fn in_run<'o>(lab: &Lab, sandbox: &Sandbox, object: &'o Object) -> (Sandbox, Cow<'o, Object>) {
    let target = sandbox.role(lab.role_of(object.namespace.as_deref()));
    if object.kind != "NetworkPolicy" {
        return (target, Cow::Borrowed(object));
    }
    let mut renamed = object.clone();
    rename_namespace_selectors(
        &mut renamed.value,
        &sandbox.names_in_run(lab.task_namespace()),
    );
    (target, Cow::Owned(renamed))
}

/// In a NetworkPolicy's peers (`spec.ingress[].from[]`, `spec.egress[].to[]`), every
/// `namespaceSelector` value of `kubernetes.io/metadata.name` (in `matchLabels` and in
/// `matchExpressions`' `values`) found in `renames` becomes its new name.
fn rename_namespace_selectors(policy: &mut serde_json::Value, renames: &BTreeMap<String, String>) {
    const NAME_LABEL: &str = "kubernetes.io/metadata.name";
    let rename = |value: &mut serde_json::Value| {
        if let Some(new) = value.as_str().and_then(|old| renames.get(old)) {
            *value = serde_json::Value::String(new.clone());
        }
    };
    for (rules, peers) in [("ingress", "from"), ("egress", "to")] {
        let Some(rules) = policy
            .pointer_mut(&format!("/spec/{rules}"))
            .and_then(|r| r.as_array_mut())
        else {
            continue;
        };
        for rule in rules {
            let Some(peers) = rule.get_mut(peers).and_then(|p| p.as_array_mut()) else {
                continue;
            };
            for peer in peers {
                let Some(selector) = peer.get_mut("namespaceSelector") else {
                    continue;
                };
                if let Some(value) = selector.pointer_mut(&format!(
                    "/matchLabels/{}",
                    NAME_LABEL.replace('~', "~0").replace('/', "~1")
                )) {
                    rename(value);
                }
                for expression in selector
                    .get_mut("matchExpressions")
                    .and_then(|e| e.as_array_mut())
                    .into_iter()
                    .flatten()
                {
                    if expression.get("key").and_then(|k| k.as_str()) == Some(NAME_LABEL) {
                        for value in expression
                            .get_mut("values")
                            .and_then(|v| v.as_array_mut())
                            .into_iter()
                            .flatten()
                        {
                            rename(value);
                        }
                    }
                }
            }
        }
    }
}

/// Dry run with strict validation, then apply.
async fn apply_checked(sandbox: &Sandbox, object: &Object) -> Result<(), ApplyError> {
    apply::dry_run(sandbox, object).await?;
    apply::apply(sandbox, object).await
}

/// A sandbox whose scenario `provision` has set up, with the run's parameter values.
pub struct Run<'a> {
    pub sandbox: &'a Sandbox,
    pub lab: &'a Lab,
    pub params: &'a BTreeMap<String, String>,
    pub options: &'a LiveOptions,
    pub progress: &'a dyn Progress,
}

/// Grades a submission in a prepared sandbox.
pub async fn grade_in(
    run: &Run<'_>,
    grader: &Grader<'_>,
    submission: &Submission,
    lang: Lang,
) -> Result<LabResult, LiveError> {
    let Run {
        sandbox,
        lab,
        params,
        options,
        progress,
    } = *run;
    let say = |message: Message| progress.say(&message.render(lang));
    // The simulation of the same run: locations for live failures, and the comparison.
    let simulated = grader.grade(submission, lang);
    // Objects the sandbox's rules refuse are never sent to the cluster.
    let refused = Refusals::of(submission, crate::policy::Allowances::of(lab));
    let fixture_kinds = grader.fixtures().iter().map(|o| o.kind.as_str()).collect();
    let staging = stage(lab, &fixture_kinds, submission);
    let mut ctx = LiveContext::new(sandbox, params, options.pod_timeout)
        .with_probes(grader.probes())
        .with_task_namespace(lab.task_namespace());
    ctx.origins = submission
        .objects
        .iter()
        .filter(|o| o.kind == "Pod")
        .map(|o| (o.name.clone(), o.location()))
        .collect();
    // Objects not in the namespace: where, and the sentence that says why.
    let mut rejected: HashMap<(String, String), (Location, Message)> = HashMap::new();
    let mut applied: HashSet<(String, String)> = HashSet::new();
    let mut steps = Vec::new();
    // Whether this step wrote admission policies, which must be in effect before its
    // checks run.
    let mut policies_written = false;
    for (index, (step, objects)) in lab.steps.iter().zip(&staging.per_step).enumerate() {
        let stage = |stage: &str| {
            crate::msg!(
                "grade-progress-step",
                number = index + 1,
                step = &step.id,
                stage = stage
            )
        };
        say(stage("controls"));
        join_all(step.checks.iter().map(|c| live::before_step(&c.kind, &ctx))).await;
        say(stage("applying"));
        for (i, object) in objects.iter().enumerate() {
            let key = (object.kind.clone(), lab.qualified_name(object));
            // Of several copies of one object (a stale file beside the right one) only
            // the last is applied: the state `kubectl apply -R -f` leaves, without an
            // earlier copy being enforced for a moment. Cilium was seen still enforcing
            // the first copy of a policy when the step's probe ran (live corpus case
            // network-policy/32).
            if objects[i + 1..]
                .iter()
                .any(|later| later.kind == object.kind && lab.qualified_name(later) == key.1)
            {
                continue;
            }
            // The step's policies are in effect before anything they govern is applied.
            if policies_written && super::stage::admission_rank(&object.kind) > 2 {
                crate::cluster::admission::wait_in_effect(sandbox).await?;
                policies_written = false;
            }
            if let Some(refusal) = refused.get(object) {
                let message = refusal.not_applied(object);
                applied.remove(&key);
                rejected.insert(key, (refusal.location.clone(), message));
                continue;
            }
            let result = match object.kind.as_str() {
                "Namespace" => {
                    let labelled =
                        crate::cluster::admission::label_namespace(sandbox, object).await;
                    if labelled.is_ok() {
                        let labels =
                            crate::policy::namespace::labels(&sandbox.namespace, Some(object));
                        let (level, _) = crate::policy::namespace::enforced(&labels);
                        crate::cluster::admission::wait_pod_security(sandbox, &level).await?;
                    }
                    labelled
                }
                "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding" => {
                    policies_written = true;
                    let task_namespace = lab
                        .namespace
                        .as_ref()
                        .map_or("default", |n| n.name.as_str());
                    crate::cluster::admission::apply_policy(sandbox, object, task_namespace).await
                }
                _ => {
                    let (target, sent) = in_run(lab, sandbox, object);
                    apply_checked(&target, &sent).await
                }
            };
            match result {
                Ok(()) => {
                    rejected.remove(&key);
                    applied.insert(key);
                }
                Err(ApplyError::Rejected { location, message }) => {
                    let message = crate::msg!(
                        "grade-rejected-by-api-server",
                        kind = &object.kind,
                        name = &object.name,
                        reason = message
                    );
                    // An admission refusal (403) names no field: the simulation, which
                    // refuses the same object, knows which one.
                    let location = if location == object.location() {
                        offline_location(&simulated.steps[index], object).unwrap_or(location)
                    } else {
                        location
                    };
                    rejected.insert(key, (location, message));
                }
                Err(ApplyError::Cluster(e)) => return Err(e.into()),
            }
        }
        if policies_written {
            crate::cluster::admission::wait_in_effect(sandbox).await?;
            policies_written = false;
        }
        if !objects.is_empty() {
            live::step_applied(&ctx);
        }
        let offline_step = &simulated.steps[index];
        // The step's own objects: missing or refused, every check fails with that reason.
        let precondition = step.submit.iter().find_map(|s| {
            let key = (s.kind.clone(), s.name.clone());
            if let Some((location, message)) = rejected.get(&key) {
                return Some(Outcome::fail(message.clone(), Some(location.clone())));
            }
            if !applied.contains(&key) {
                // Not submitted: the simulation's message names look-alikes.
                let offline = &offline_step.checks[0];
                return Some(Outcome::fail(
                    offline.source.clone(),
                    offline.location.clone(),
                ));
            }
            None
        });
        say(stage("checking"));
        let outcomes = step_outcomes(step, precondition, &ctx).await;
        let checks = step
            .checks
            .iter()
            .zip(outcomes)
            .zip(&offline_step.checks)
            .map(|((check, outcome), offline)| {
                CheckResult::from_outcome(step, check, compare(outcome, offline), lang, params)
            })
            .collect();
        steps.push(StepResult::new(step, lang, params, checks));
    }
    let mut notes = staging.notes;
    let objects: Vec<&Object> = staging.per_step.iter().flatten().copied().collect();
    notes.extend(eviction_notes(sandbox, &objects).await);
    Ok(summarize(lab, lang, Mode::Live, steps, notes, refused.list))
}

/// The learner's object that created the pod `evicted`: the Pod itself, the owner
/// (a ReplicaSet, a Job, …), or the Deployment or CronJob behind that owner (its
/// ReplicaSets are `<deployment>-<hash>`, its Jobs `<cronjob>-<time>`).
pub fn origin<'a>(
    evicted: &crate::cluster::wait::Evicted,
    objects: &[&'a Object],
) -> Option<&'a Object> {
    let find = |kind: &str, name: &str| {
        objects
            .iter()
            .rev()
            .find(|o| o.kind == kind && o.name == name)
            .copied()
    };
    find("Pod", &evicted.pod).or_else(|| {
        evicted.owners.iter().find_map(|(kind, name)| {
            find(kind, name).or_else(|| {
                let parent = match kind.as_str() {
                    "ReplicaSet" => "Deployment",
                    "Job" => "CronJob",
                    _ => return None,
                };
                objects
                    .iter()
                    .rev()
                    .find(|o| {
                        o.kind == parent
                            && name
                                .strip_prefix(o.name.as_str())
                                .is_some_and(|rest| rest.starts_with('-'))
                    })
                    .copied()
            })
        })
    })
}

/// The sentence on a pod the kubelet evicted: where it comes from (the learner's object
/// that created it, else the namespace), the kubelet's words, and, when it was for
/// ephemeral storage, what the sandbox allows.
pub fn eviction_note(
    evicted: &crate::cluster::wait::Evicted,
    origin: Option<&Object>,
    namespace: &str,
) -> Message {
    let at = match origin {
        Some(object) => {
            let l = object.location();
            format!("{}:{}:{}", l.file, l.line, l.column)
        }
        None => namespace.to_string(),
    };
    let note = crate::msg!(
        "grade-pod-evicted",
        at = at,
        pod = &evicted.pod,
        message = &evicted.message
    );
    match crate::check::live::eviction_why(evicted) {
        Some(why) => crate::msg!("grade-note-and-why", note = note, why = why),
        None => note,
    }
}

/// Notes on the sandbox's evicted pods, each at the learner's object that created it;
/// none when the pods cannot be listed (the grade itself says what went wrong then).
async fn eviction_notes(sandbox: &Sandbox, objects: &[&Object]) -> Vec<Message> {
    let Ok(evicted) = crate::cluster::wait::evicted(sandbox).await else {
        return Vec::new();
    };
    evicted
        .iter()
        .map(|e| eviction_note(e, origin(e, objects), &sandbox.namespace))
        .collect()
}

/// Where the simulation's first failing check of `step` points, when that is inside
/// `object` (its file, at or after its start).
fn offline_location(step: &StepResult, object: &Object) -> Option<Location> {
    let start = object.location();
    step.checks
        .iter()
        .filter(|c| c.verdict == Verdict::Fail)
        .filter_map(|c| c.location.clone())
        .find(|l| l.file == start.file && (l.line, l.column) > (start.line, start.column))
}

/// A step's outcomes: its checks, run concurrently, or the reason they cannot pass
/// (the step's own objects are missing or were refused) for every one of them.
async fn step_outcomes(
    step: &crate::lab::Step,
    precondition: Option<Outcome>,
    ctx: &LiveContext<'_>,
) -> Vec<Outcome> {
    match precondition {
        Some(outcome) => vec![outcome; step.checks.len()],
        None => {
            let kinds: Vec<_> = step.checks.iter().map(|c| &c.kind).collect();
            live::evaluate_step(&kinds, ctx).await
        }
    }
}

/// A live failure takes the simulation's location when the simulation agrees; a
/// disagreement is shown, because it is a bug in the simulator (or a documented
/// implementation-defined case) — except where the simulation names a known deviation
/// of the cluster's NetworkPolicy enforcer that explains it (`netpol::deviation`): then
/// the verdict follows the API, with a note of what the cluster did.
fn compare(mut live: Outcome, offline: &CheckResult) -> Outcome {
    let decided = |v: Verdict| matches!(v, Verdict::Pass | Verdict::Fail);
    if let Some(id) = offline.deviation
        && decided(live.verdict)
        && decided(offline.verdict)
        && live.verdict != offline.verdict
        && let Some(deviation) = crate::netpol::deviation::KNOWN.iter().find(|d| d.id == id)
    {
        let mut graded = Outcome::new(
            offline.verdict,
            offline.source.clone(),
            offline.location.clone(),
        );
        graded.details.push(crate::msg!(
            "grade-known-deviation",
            probe = live.message,
            enforcer = deviation.enforcer(),
            description = deviation.description()
        ));
        return graded;
    }
    if live.verdict == Verdict::Fail && offline.verdict == Verdict::Fail && live.location.is_none()
    {
        live.location = offline.location.clone();
        live.details.push(crate::msg!(
            "grade-offline-said",
            message = offline.message.clone()
        ));
    }
    if decided(live.verdict) && decided(offline.verdict) && live.verdict != offline.verdict {
        live.details.push(crate::msg!(
            "grade-offline-disagrees",
            verdict = offline.verdict.as_str(),
            message = offline.message.clone()
        ));
    }
    live
}

/// The whole live grade of a submission: refuse what must not be applied, create a
/// sandbox, set up the scenario, grade, and delete the sandbox whatever happened.
pub async fn grade(
    client: &kube::Client,
    janitor: &crate::cluster::janitor::Janitor,
    lab: &Lab,
    submission: &Submission,
    lang: Lang,
    options: &LiveOptions,
    progress: &dyn Progress,
) -> Result<LabResult, LiveError> {
    let say = |message: Message| progress.say(&message.render(lang));
    say(crate::msg!("grade-progress-creating-sandbox"));
    let sandbox = Sandbox::create_with(client, &lab.id, &sandbox_options(lab, options), |s| {
        janitor.track(s)
    })
    .await?;
    let result = async {
        let grader = Grader::new(lab);
        let params =
            provision_started(&sandbox, lab, grader.fixtures(), options, progress, lang).await?;
        let grader = grader
            .with_params(params.clone())
            .with_namespace(&sandbox.namespace);
        let run = Run {
            sandbox: &sandbox,
            lab,
            params: &params,
            options,
            progress,
        };
        let result = grade_in(&run, &grader, submission, lang).await?;
        fixtures_held(&sandbox, grader.fixtures(), options).await?;
        Ok::<_, LiveError>(result)
    }
    .await;
    say(crate::msg!("grade-progress-deleting-sandbox"));
    let cleaned = janitor.release(&sandbox).await;
    let mut result = result?;
    cleaned?;
    result.notes.insert(
        0,
        crate::msg!("grade-live-in-namespace", namespace = &sandbox.namespace).render(lang),
    );
    Ok(result)
}

/// Grades the current state of a namespace the learner worked in with kubectl (after
/// `kubelab start`, or an exam's task): nothing is applied; a step's objects must exist.
///
/// The namespace holds the state after the learner's last step, and a later step may
/// change what an earlier one observes (the allow policy reopens a connection the
/// deny step's checks expect blocked). So a step that a later step with objects in the
/// namespace follows is graded by simulating the namespace's own objects up to that
/// step (the offline grader, on the objects as the API server returns them, which the
/// live corpus proves agrees with the cluster); the other steps are graded live, on the
/// namespace as it is.
pub async fn check_namespace(
    sandbox: &Sandbox,
    lab: &Lab,
    params: &BTreeMap<String, String>,
    lang: Lang,
    options: &LiveOptions,
) -> Result<LabResult, LiveError> {
    // The lab as this run set it up (a `start`'s own registry and credentials): its
    // probes and steps name them.
    let rendered = with_run_values(lab, params)?;
    let lab = &rendered;
    let grader = super::Grader::new(lab);
    let ctx = LiveContext::new(sandbox, params, options.pod_timeout)
        .with_probes(grader.probes())
        .with_task_namespace(lab.task_namespace());
    // Which steps' objects exist, and the objects themselves.
    let mut present = Vec::new();
    let mut objects = Vec::new();
    for step in &lab.steps {
        let mut missing = None;
        for submit in &step.submit {
            // A role's object (`<role>/<name>`) is in the role's namespace of the run.
            let (role, name) = crate::lab::split_qualified(&submit.name);
            match fetch(sandbox, &submit.kind, name, role, lab.task_namespace()).await? {
                Some(object) => objects.push(object),
                None if missing.is_none() => missing = Some(submit),
                None => {}
            }
        }
        present.push((missing, !step.submit.is_empty()));
    }
    let last_with_objects = present
        .iter()
        .rposition(|(missing, submits)| *submits && missing.is_none());
    // The learner applied them with kubectl: the objects as the cluster holds them.
    let evictions = eviction_notes(sandbox, &objects.iter().collect::<Vec<_>>()).await;
    let simulated = (last_with_objects.is_some_and(|last| last > 0)).then(|| {
        let submission = Submission {
            files: Vec::new(),
            objects: std::mem::take(&mut objects),
            notes: Vec::new(),
        };
        super::Grader::new(lab)
            .with_params(params.clone())
            .with_namespace(&sandbox.namespace)
            .grade(&submission, lang)
    });
    let mut steps = Vec::new();
    for (index, step) in lab.steps.iter().enumerate() {
        let superseded = last_with_objects.is_some_and(|last| index < last);
        if let (true, Some(result)) = (superseded, &simulated) {
            let mut graded = result.steps[index].clone();
            for check in &mut graded.checks {
                check.details.insert(
                    0,
                    crate::msg!("grade-simulated-superseded-step").render(lang),
                );
            }
            steps.push(graded);
            continue;
        }
        let precondition = present[index].0.map(|submit| {
            Outcome::fail(
                crate::msg!(
                    "grade-not-found-in-namespace",
                    kind = &submit.kind,
                    name = &submit.name,
                    namespace = &sandbox.namespace,
                    file = &submit.file
                ),
                None,
            )
        });
        let outcomes = step_outcomes(step, precondition, &ctx).await;
        let checks = step
            .checks
            .iter()
            .zip(outcomes)
            .map(|(check, outcome)| CheckResult::from_outcome(step, check, outcome, lang, params))
            .collect();
        steps.push(StepResult::new(step, lang, params, checks));
    }
    let mut notes = vec![crate::msg!(
        "grade-live-state-of-namespace",
        namespace = &sandbox.namespace
    )];
    notes.extend(evictions);
    Ok(summarize(lab, lang, Mode::Live, steps, notes, Vec::new()))
}

/// The object `kind`/`name` of the sandbox as a learner's object (what `kubectl get -o
/// json` shows, shown as `namespace/kind/name`), or `None` when it does not exist.
///
/// `role`: the scenario role whose namespace of the run holds it (`None`: the sandbox),
/// written as the object's `metadata.namespace` (the simulation's name for it). A
/// NetworkPolicy's `namespaceSelector`s that name the run's namespaces by
/// `kubernetes.io/metadata.name` name them as the task does again (`task_namespace` for
/// the sandbox, the roles by role: the reverse of [`in_run`]).
async fn fetch(
    sandbox: &Sandbox,
    kind: &str,
    name: &str,
    role: Option<&str>,
    task_namespace: &str,
) -> Result<Option<Object>, ClusterError> {
    let roles: BTreeMap<String, String> = sandbox
        .names_in_run(task_namespace)
        .into_iter()
        .map(|(task, run)| (run, task))
        .collect();
    let sandbox = &sandbox.role(role);
    let api_version = crate::manifest::api_version_of(kind).unwrap_or("v1");
    let resource = crate::cluster::apply::resource(api_version, kind);
    let found = match kind {
        // The lab's namespace is the sandbox itself; cluster-scoped policies go by
        // the names the learner gave them.
        "Namespace" => {
            kube::Api::<kube::api::DynamicObject>::all_with(sandbox.client.clone(), &resource)
                .get_opt(&sandbox.namespace)
                .await
        }
        "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding" => {
            kube::Api::<kube::api::DynamicObject>::all_with(sandbox.client.clone(), &resource)
                .get_opt(name)
                .await
        }
        _ => sandbox.dynamic(api_version, kind).get_opt(name).await,
    };
    let Some(found) = found.map_err(|e| ClusterError::api(&format!("get {kind} {name}"), e))?
    else {
        return Ok(None);
    };
    let mut value = serde_json::to_value(&found).unwrap_or_default();
    value["apiVersion"] = api_version.into();
    value["kind"] = kind.into();
    // What the learner wrote, not what the server keeps about it.
    let meta = &found.metadata;
    let mut metadata = serde_json::json!({ "name": name });
    if let Some(role) = role {
        metadata["namespace"] = role.into();
    }
    if let Some(labels) = &meta.labels {
        // Of the sandbox namespace, only what the learner may set (its Pod Security).
        let labels: BTreeMap<&String, &String> = labels
            .iter()
            .filter(|(k, _)| {
                kind != "Namespace" || k.starts_with(crate::policy::namespace::POD_SECURITY_PREFIX)
            })
            .collect();
        metadata["labels"] = serde_json::json!(labels);
    }
    if let Some(object) = value.as_object_mut() {
        object.remove("status");
        object.insert("metadata".into(), metadata);
        // The namespace controller's own finalizer, which every namespace gets.
        if kind == "Namespace"
            && object.get("spec") == Some(&serde_json::json!({"finalizers": ["kubernetes"]}))
        {
            object.remove("spec");
        }
    }
    if kind == "NetworkPolicy" {
        rename_namespace_selectors(&mut value, &roles);
    }
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    let display = format!("{}/{}/{name}", sandbox.namespace, kind.to_lowercase());
    Ok(crate::manifest::load_text(&display, &text)
        .ok()
        .and_then(|mut objects| objects.pop()))
}

/// The ConfigMap in which `start` keeps the run's parameter values for `check`.
pub const PARAMS_CONFIGMAP: &str = "kubelab-params";

/// The annotation of [`PARAMS_CONFIGMAP`] that holds the variant's seed (any text, so
/// an annotation rather than a label).
pub const VARIANT_ANNOTATION: &str = "kubelab.dev/variant";

pub async fn save_params(
    sandbox: &Sandbox,
    lab: &Lab,
    params: &BTreeMap<String, String>,
) -> Result<(), ClusterError> {
    use k8s_openapi::api::core::v1::ConfigMap;
    use kube::api::{Api, PostParams};
    let api: Api<ConfigMap> = Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    let annotations = lab
        .variant
        .as_ref()
        .map(|seed| BTreeMap::from([(VARIANT_ANNOTATION.to_string(), seed.clone())]));
    let map = ConfigMap {
        metadata: kube::api::ObjectMeta {
            name: Some(PARAMS_CONFIGMAP.into()),
            annotations,
            ..Default::default()
        },
        data: Some(params.clone()),
        ..Default::default()
    };
    let post = PostParams::default();
    crate::cluster::apply::retry_quota_conflicts(|| api.create(&post, &map))
        .await
        .map(|_| ())
        .map_err(|e| ClusterError::api("save the lab parameters", e))
}

/// The variant and the parameter values `kubelab start` saved in the namespace
/// ([`save_params`]): the lab in that variant (the seed's exercise when the namespace
/// names none), and its values with the run's (registry, credentials) over them.
///
/// Errors: the ConfigMap cannot be read; the saved variant does not load (a lab that
/// changed since `start`).
pub async fn load_params(
    sandbox: &Sandbox,
    lab: &Lab,
) -> Result<(Lab, BTreeMap<String, String>), ClusterError> {
    use k8s_openapi::api::core::v1::ConfigMap;
    use kube::api::Api;
    let api: Api<ConfigMap> = Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
    let saved = api
        .get_opt(PARAMS_CONFIGMAP)
        .await
        .map_err(|e| ClusterError::api("read the lab parameters", e))?;
    let seed = saved.as_ref().and_then(|m| {
        m.metadata
            .annotations
            .as_ref()?
            .get(VARIANT_ANNOTATION)
            .cloned()
    });
    let lab = if seed == lab.variant {
        lab.clone()
    } else {
        lab.variant(seed.as_deref())
            .map_err(|e| ClusterError::Protocol(format!("the saved variant: {e}")))?
    };
    let mut params = lab.param_values();
    params.extend(saved.and_then(|m| m.data).unwrap_or_default());
    Ok((lab, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An evicted pod is reported at the learner's object that created it (the Pod, or
    /// the Deployment behind its ReplicaSet), with the kubelet's words and what the
    /// sandbox allows, in both languages.
    #[test]
    fn an_evicted_pod_is_reported_at_the_object_that_created_it() {
        use crate::cluster::wait::Evicted;
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: fill}\nspec:\n  containers: [{name: c, image: busybox:1.28}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {}\n";
        let objects = crate::manifest::load_text("hog.yaml", text).unwrap();
        let refs: Vec<&Object> = objects.iter().collect();
        let fill = Evicted {
            pod: "fill".into(),
            owners: Vec::new(),
            message:
                "Pod ephemeral local storage usage exceeds the total limit of containers 256Mi."
                    .into(),
        };
        assert_eq!(origin(&fill, &refs).map(|o| o.name.as_str()), Some("fill"));
        let of_web = Evicted {
            pod: "web-7d9f-x2".into(),
            owners: vec![("ReplicaSet".into(), "web-7d9f".into())],
            message: "Usage of EmptyDir volume \"data\" exceeds the limit \"64Mi\".".into(),
        };
        assert_eq!(
            origin(&of_web, &refs).map(|o| o.kind.as_str()),
            Some("Deployment")
        );
        // `webby-…` is not a ReplicaSet of `web`.
        let other = Evicted {
            owners: vec![("ReplicaSet".into(), "webby-1".into())],
            ..of_web.clone()
        };
        assert!(origin(&other, &refs).is_none());
        let note = eviction_note(&fill, origin(&fill, &refs), "kubelab-x");
        assert_eq!(
            note.render(Lang::En),
            "hog.yaml:1:1: the kubelet evicted Pod fill: Pod ephemeral local storage usage exceeds the total limit of containers 256Mi. \
             A sandbox container may write 256Mi to the node's disk (its writable layer, its logs and its emptyDir volumes together), \
             at most 1Gi with `resources.limits.ephemeral-storage`; an emptyDir's `sizeLimit` bounds that volume alone."
        );
        let korean = note.render(Lang::Ko);
        assert_eq!(
            korean,
            "hog.yaml:1:1: kubelet이 `fill` 파드를 축출했습니다: Pod ephemeral local storage usage exceeds the total limit of containers 256Mi. \
             샌드박스의 컨테이너는 노드 디스크에 256Mi까지 쓸 수 있습니다(쓰기 가능한 컨테이너 계층, 로그, emptyDir 볼륨의 합계). \
             `resources.limits.ephemeral-storage`로 최대 1Gi까지 늘릴 수 있으며, emptyDir의 `sizeLimit`는 그 볼륨 하나만 제한합니다."
        );
        assert!(
            crate::i18n::style::not_hapnida(&korean).is_empty(),
            "{korean}"
        );
        // Node pressure: the kubelet's words only, at the namespace when nothing matches.
        let pressure = Evicted {
            pod: "lost".into(),
            owners: Vec::new(),
            message: "The node was low on resource: memory.".into(),
        };
        assert_eq!(
            eviction_note(&pressure, None, "kubelab-x").render(Lang::En),
            "kubelab-x: the kubelet evicted Pod lost: The node was low on resource: memory."
        );
    }

    /// Variants that share a user name with another password never share a round; the
    /// seed's exercise and a variant share one; every learner is in exactly one round;
    /// 40 variants (8-character user names) fit in one round.
    #[test]
    fn registry_rounds_keep_one_password_per_user() {
        let catalog = crate::lab::Catalog::embedded().unwrap();
        let lab = catalog.get("private-registry").unwrap();
        let many: Vec<Lab> = std::iter::once(lab.clone())
            .chain((0..40).map(|i| lab.variant(Some(&format!("learner-{i}"))).unwrap()))
            .collect();
        let refs: Vec<&Lab> = many.iter().collect();
        assert_eq!(registry_rounds(&refs).len(), 1);
        // Two variants given one user name, each with its own password.
        let same = BTreeMap::from([("username".to_string(), "puller".to_string())]);
        let mut labs = many.clone();
        labs.push(lab.variant(Some("a")).unwrap().with_values(&same).unwrap());
        labs.push(lab.variant(Some("b")).unwrap().with_values(&same).unwrap());
        let refs: Vec<&Lab> = labs.iter().collect();
        let rounds = registry_rounds(&refs);
        assert!(rounds.len() > 1, "{rounds:?}");
        let mut seen: Vec<usize> = rounds.iter().flatten().copied().collect();
        seen.sort();
        assert_eq!(seen, (0..labs.len()).collect::<Vec<_>>());
        for round in &rounds {
            let mut users: BTreeMap<String, String> = BTreeMap::new();
            for &i in round {
                let values = labs[i].param_values();
                let password = users
                    .entry(values["username"].clone())
                    .or_insert(values["password"].clone());
                assert_eq!(*password, values["password"], "{round:?}");
            }
        }
        assert_eq!(registry_rounds(&refs[..2]), vec![vec![0, 1]]);
    }
}

#[cfg(test)]
mod role_tests {
    use super::*;

    #[test]
    fn a_policy_selecting_a_role_by_name_selects_the_roles_namespace_of_the_run() {
        let mut policy = serde_json::json!({
            "spec": {
                "ingress": [{"from": [
                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
                     "podSelector": {"matchLabels": {"app": "prometheus"}}},
                    {"namespaceSelector": {"matchExpressions": [
                        {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["monitoring", "other"]},
                        {"key": "team", "operator": "In", "values": ["monitoring"]}
                    ]}}
                ]}],
                "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring", "team": "monitoring"}}}]}]
            }
        });
        let renames = BTreeMap::from([(
            "monitoring".to_string(),
            "kubelab-x-abc123-monitoring".to_string(),
        )]);
        rename_namespace_selectors(&mut policy, &renames);
        let peers = &policy["spec"]["ingress"][0]["from"];
        assert_eq!(
            peers[0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
            "kubelab-x-abc123-monitoring"
        );
        // Pod selectors and other labels are the learner's as written.
        assert_eq!(peers[0]["podSelector"]["matchLabels"]["app"], "prometheus");
        let expressions = &peers[1]["namespaceSelector"]["matchExpressions"];
        assert_eq!(
            expressions[0]["values"],
            serde_json::json!(["kubelab-x-abc123-monitoring", "other"])
        );
        assert_eq!(expressions[1]["values"], serde_json::json!(["monitoring"]));
        let egress = &policy["spec"]["egress"][0]["to"][0]["namespaceSelector"]["matchLabels"];
        assert_eq!(
            egress["kubernetes.io/metadata.name"],
            "kubelab-x-abc123-monitoring"
        );
        assert_eq!(egress["team"], "monitoring");
    }
}
