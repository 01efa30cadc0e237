//! `kubelab doctor`: is this cluster fit for live grading? Reachability, every permission
//! kubelab needs (asked with SelfSubjectAccessReview, not by trying), NetworkPolicy
//! really enforced (probed in a temporary sandbox), which enforcer it is and how it
//! denies (drop or reject), whether a pod's processes are bounded (the kubelet's
//! `podPidsLimit`, [`super::pids`]), and the lab images pulling.
//! Everything is time-bound and the temporary namespace is always deleted.

use super::exec::exec;
use super::isolation::Isolation;
use super::wait::{PodState, wait_ready};
use super::{ClusterError, ConnectOptions, Sandbox, connect};
use crate::i18n::Message;
use crate::msg;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Client;
use kube::api::{Api, PostParams};
use std::time::{Duration, Instant};

/// One line of the doctor's report: its name and detail are messages, rendered in the
/// locale's language where the table is printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub name: Message,
    pub ok: bool,
    pub detail: Message,
}

impl Check {
    fn new(name: Message, ok: bool, detail: Message) -> Self {
        Self { name, ok, detail }
    }
}

/// A permission kubelab needs: verbs on `group`/`resource`(`/subresource`), in every
/// namespace (lab namespaces are created on the fly) unless cluster-scoped.
pub struct Permission {
    pub group: &'static str,
    pub resource: &'static str,
    pub subresource: Option<&'static str>,
    pub verbs: &'static [&'static str],
}

const OBJECT_VERBS: &[&str] = &["create", "get", "list", "delete", "patch"];

/// What kubelab does in a cluster, and deploy/rbac.yaml grants.
pub const PERMISSIONS: &[Permission] = &[
    Permission {
        group: "",
        resource: "namespaces",
        subresource: None,
        verbs: &["create", "delete", "get", "list", "patch"],
    },
    Permission {
        group: "",
        resource: "pods",
        subresource: None,
        verbs: OBJECT_VERBS,
    },
    Permission {
        group: "",
        resource: "services",
        subresource: None,
        verbs: OBJECT_VERBS,
    },
    Permission {
        group: "",
        resource: "secrets",
        subresource: None,
        verbs: OBJECT_VERBS,
    },
    Permission {
        group: "",
        resource: "serviceaccounts",
        subresource: None,
        verbs: OBJECT_VERBS,
    },
    Permission {
        group: "",
        resource: "configmaps",
        subresource: None,
        verbs: OBJECT_VERBS,
    },
    // Every sandbox's LimitRange and ResourceQuota (crate::policy::limits).
    Permission {
        group: "",
        resource: "limitranges",
        subresource: None,
        verbs: &["create"],
    },
    Permission {
        group: "",
        resource: "resourcequotas",
        subresource: None,
        verbs: &["create"],
    },
    // Every sandbox's Lease `kubelab-run`: its run's liveness (crate::cluster::run).
    Permission {
        group: "coordination.k8s.io",
        resource: "leases",
        subresource: None,
        verbs: &["get", "create", "patch"],
    },
    Permission {
        group: "networking.k8s.io",
        resource: "networkpolicies",
        subresource: None,
        verbs: OBJECT_VERBS,
    },
    Permission {
        group: "",
        resource: "events",
        subresource: None,
        verbs: &["get", "list"],
    },
    // exec over WebSocket is a GET upgrade (`get`); from 1.35 it also needs `create`.
    Permission {
        group: "",
        resource: "pods",
        subresource: Some("exec"),
        verbs: &["get", "create"],
    },
    Permission {
        group: "",
        resource: "pods",
        subresource: Some("log"),
        verbs: &["get"],
    },
];

/// What only the labs with learner admission policies need (`allowed-registries`), and
/// `deploy/rbac-admission-labs.yaml` grants: an opt-in, because Kubernetes exempts
/// `admissionregistration.k8s.io` objects from admission (no policy or webhook can narrow
/// these writes, `k8s.io/apiserver/pkg/admission/plugin/policy/generic`), so only
/// kubelab's own code confines them ([`crate::policy::admission_policy`]). Without them
/// `doctor` says which labs cannot run live, and is still fit.
pub const ADMISSION_LAB_PERMISSIONS: &[Permission] = &[
    Permission {
        group: "admissionregistration.k8s.io",
        resource: "validatingadmissionpolicies",
        subresource: None,
        verbs: &[
            "create",
            "get",
            "list",
            "delete",
            "patch",
            "deletecollection",
        ],
    },
    Permission {
        group: "admissionregistration.k8s.io",
        resource: "validatingadmissionpolicybindings",
        subresource: None,
        verbs: &[
            "create",
            "get",
            "list",
            "delete",
            "patch",
            "deletecollection",
        ],
    },
];

/// What only the isolation of sandboxes from each other needs
/// ([`super::isolation`]): creating a `CiliumNetworkPolicy` in each sandbox, where the
/// cluster serves Cilium's CRDs. Optional: without it (or without Cilium) every lab still
/// runs, and `doctor` says that sandboxes are not isolated from each other.
pub const ISOLATION_PERMISSIONS: &[Permission] = &[Permission {
    group: "cilium.io",
    resource: "ciliumnetworkpolicies",
    subresource: None,
    verbs: &["create"],
}];

impl Permission {
    /// `permission: get, create pods/exec`.
    pub fn label(&self) -> Message {
        let mut name = match self.group {
            "" => self.resource.to_string(),
            group => format!("{}.{group}", self.resource),
        };
        if let Some(sub) = self.subresource {
            name = format!("{}/{sub}", name);
        }
        msg!(
            "cluster-doctor-permission",
            verbs = self.verbs.join(", "),
            resource = name
        )
    }
}

const CALL: Duration = Duration::from_secs(10);
const POD_READY: Duration = Duration::from_secs(90);
/// How long a policy may take to be enforced: kube-router, for one, syncs within ~10 s.
const PROBE: Duration = Duration::from_secs(25);
const CLEANUP: Duration = Duration::from_secs(60);

/// The images the labs run, and the pod that proves each one pulls.
const LISTENER: (&str, &str) = ("listener", "redis");
const CLIENT: (&str, &str) = ("client", "busybox:1.28");
const REGISTRY: (&str, &str) = ("registry", "registry:2");

/// Runs every check; the report is complete even when early checks fail.
pub async fn run(options: &ConnectOptions) -> Vec<Check> {
    let cluster = match connect(options).await {
        Ok(cluster) => cluster,
        Err(e) => {
            return vec![Check::new(
                msg!("cluster-doctor-reachable"),
                false,
                e.message(),
            )];
        }
    };
    let mut checks = vec![Check::new(
        msg!("cluster-doctor-reachable"),
        true,
        msg!(
            "cluster-doctor-reachable-detail",
            server = &cluster.server,
            version = &cluster.version
        ),
    )];
    checks.extend(permissions(&cluster.client).await);
    checks.extend(probes(&cluster.client).await);
    checks
}

/// One SelfSubjectAccessReview per verb, all at once.
pub async fn permissions(client: &Client) -> Vec<Check> {
    let mut checks = checked(client, PERMISSIONS).await;
    // Optional: a denial is said, and not a failure.
    for mut check in checked(client, ADMISSION_LAB_PERMISSIONS).await {
        if !check.ok {
            check.detail = msg!("cluster-doctor-admission-labs", detail = check.detail);
            check.ok = true;
        }
        checks.push(check);
    }
    for mut check in checked(client, ISOLATION_PERMISSIONS).await {
        if !check.ok {
            check.detail = msg!("cluster-doctor-isolation-grant", detail = check.detail);
            check.ok = true;
        }
        checks.push(check);
    }
    checks
}

/// One row per permission of `list`: granted, or which verbs are denied.
async fn checked(client: &Client, list: &'static [Permission]) -> Vec<Check> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, permission) in list.iter().enumerate() {
        for verb in permission.verbs {
            let client = client.clone();
            tasks.spawn(async move {
                let allowed = allowed(&client, permission, verb).await;
                (i, *verb, allowed)
            });
        }
    }
    let mut answers: Vec<Vec<(&str, Result<bool, Message>)>> = vec![Vec::new(); list.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, verb, allowed)) = joined {
            answers[i].push((verb, allowed.map_err(|e| e.message())));
        }
    }
    list.iter()
        .zip(answers)
        .map(|(permission, answers)| {
            let denied: Vec<&str> = permission
                .verbs
                .iter()
                .filter(|v| !answers.iter().any(|(a, r)| a == *v && r == &Ok(true)))
                .copied()
                .collect();
            let errors: Vec<Message> = answers
                .iter()
                .filter_map(|(_, r)| r.as_ref().err().cloned())
                .collect();
            let detail = if denied.is_empty() {
                msg!("cluster-doctor-allowed")
            } else if let Some(error) = errors.first() {
                msg!("cluster-doctor-could-not-ask", reason = error.clone())
            } else {
                msg!("cluster-doctor-denied", verbs = denied.join(", "))
            };
            Check::new(permission.label(), denied.is_empty(), detail)
        })
        .collect()
}

async fn allowed(
    client: &Client,
    permission: &Permission,
    verb: &str,
) -> Result<bool, ClusterError> {
    let reviews: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                group: Some(permission.group.to_string()),
                resource: Some(permission.resource.to_string()),
                subresource: permission.subresource.map(str::to_string),
                verb: Some(verb.to_string()),
                // Empty: in all namespaces.
                namespace: None,
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let what = "create a SelfSubjectAccessReview";
    let answer = tokio::time::timeout(CALL, reviews.create(&PostParams::default(), &review))
        .await
        .map_err(|_| ClusterError::Timeout {
            what: what.into(),
            after: CALL,
        })?
        .map_err(|e| ClusterError::api(what, e))?;
    Ok(answer.status.is_some_and(|s| s.allowed))
}

fn pod(name: &str, image: &str, command: Option<&[&str]>) -> Pod {
    let mut container = serde_json::json!({"name": name, "image": image});
    if let Some(command) = command {
        container["command"] = serde_json::json!(command);
    }
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "containers": [container],
            "terminationGracePeriodSeconds": 0,
            "automountServiceAccountToken": false,
        }
    }))
    .expect("a valid pod")
}

/// NetworkPolicy enforcement and image pulls, in a temporary sandbox that is always
/// deleted.
pub async fn probes(client: &Client) -> Vec<Check> {
    let image_names = [LISTENER.1, CLIENT.1, REGISTRY.1];
    let sandbox = match Sandbox::create(client, "doctor").await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            let mut checks = vec![Check::new(
                msg!("cluster-doctor-temporary-namespace"),
                false,
                msg!("cluster-doctor-namespace-not-created", reason = e.message()),
            )];
            checks.push(Check::new(
                msg!("cluster-doctor-netpol"),
                false,
                msg!("cluster-doctor-not-probed"),
            ));
            checks.push(Check::new(
                msg!("cluster-doctor-enforcer"),
                false,
                msg!("cluster-doctor-not-probed"),
            ));
            checks.push(Check::new(
                msg!("cluster-doctor-dns"),
                false,
                msg!("cluster-doctor-not-probed"),
            ));
            checks.push(Check::new(
                msg!("cluster-doctor-pids"),
                false,
                msg!("cluster-doctor-not-probed"),
            ));
            checks.push(Check::new(
                msg!("cluster-doctor-isolation"),
                false,
                msg!("cluster-doctor-not-probed"),
            ));
            checks.extend(image_names.iter().map(|i| {
                Check::new(
                    msg!("cluster-doctor-image", image = *i),
                    false,
                    msg!("cluster-doctor-not-tried"),
                )
            }));
            return checks;
        }
    };
    let mut checks = in_sandbox(&sandbox).await;
    checks.push(isolation_row(sandbox.isolation()));
    let start = Instant::now();
    checks.push(match sandbox.delete(CLEANUP).await {
        Ok(()) => Check::new(
            msg!("cluster-doctor-temporary-namespace"),
            true,
            msg!(
                "cluster-doctor-namespace-deleted",
                namespace = &sandbox.namespace,
                seconds = format!("{:.1}", start.elapsed().as_secs_f64())
            ),
        ),
        Err(e) => Check::new(
            msg!("cluster-doctor-temporary-namespace"),
            false,
            msg!(
                "cluster-doctor-namespace-not-deleted",
                namespace = &sandbox.namespace,
                reason = e.message()
            ),
        ),
    });
    checks
}

async fn in_sandbox(sandbox: &Sandbox) -> Vec<Check> {
    let pods = sandbox.pods();
    let specs = [
        pod(LISTENER.0, LISTENER.1, None),
        pod(CLIENT.0, CLIENT.1, Some(&["sleep", "3600"])),
        pod(REGISTRY.0, REGISTRY.1, None),
    ];
    let mut created = Vec::new();
    for spec in &specs {
        let what = format!("create pod {}", spec.metadata.name.as_deref().unwrap_or(""));
        created.push(
            tokio::time::timeout(CALL, pods.create(&PostParams::default(), spec))
                .await
                .map_err(|_| ClusterError::Timeout {
                    what: what.clone(),
                    after: CALL,
                })
                .and_then(|r| r.map_err(|e| ClusterError::api(&what, e)))
                .map(|_| ()),
        );
    }
    let wait = |(i, name): (usize, &'static str)| {
        let created = created[i].as_ref().map_err(|e| e.message()).cloned();
        async move {
            created?;
            wait_ready(sandbox, name, POD_READY)
                .await
                .map_err(|e| e.message())
        }
    };
    let (listener, client, registry, pids) = tokio::join!(
        wait((0, LISTENER.0)),
        wait((1, CLIENT.0)),
        wait((2, REGISTRY.0)),
        super::pids::probe_in(sandbox)
    );
    let (netpol, denial) = match (&listener, &client) {
        (Ok(PodState::Ready), Ok(PodState::Ready)) => network_policy(sandbox).await,
        _ => (
            Check::new(
                msg!("cluster-doctor-netpol"),
                false,
                msg!("cluster-doctor-pods-not-ready"),
            ),
            None,
        ),
    };
    let enforcer = enforcer(&sandbox.client, denial).await;
    let dns = match &client {
        Ok(PodState::Ready) => cluster_dns(sandbox).await,
        _ => Check::new(
            msg!("cluster-doctor-dns"),
            false,
            msg!("cluster-doctor-pods-not-ready"),
        ),
    };
    let image = |image: &str, state: Result<PodState, Message>| {
        let name = msg!("cluster-doctor-image", image = image);
        match state {
            Ok(PodState::Ready) => Check::new(name, true, msg!("cluster-doctor-pulled")),
            Ok(PodState::Failed { reason, message }) => Check::new(
                name,
                false,
                msg!(
                    "cluster-doctor-pod-failed",
                    reason = reason,
                    message = message
                ),
            ),
            Ok(PodState::NotReady { reason }) => Check::new(
                name,
                false,
                msg!(
                    "cluster-doctor-pod-not-ready",
                    seconds = POD_READY.as_secs(),
                    reason = reason
                ),
            ),
            Ok(PodState::Missing) => {
                Check::new(name, false, msg!("cluster-doctor-pod-disappeared"))
            }
            Err(e) => Check::new(name, false, e),
        }
    };
    vec![
        netpol,
        enforcer,
        dns,
        pids_row(pids),
        image(LISTENER.1, listener),
        image(CLIENT.1, client),
        image(REGISTRY.1, registry),
    ]
}

/// The "processes per pod bounded" row, from [`super::pids::probe_in`]'s answer.
pub fn pids_row(bound: Result<super::pids::PidsBound, Message>) -> Check {
    use super::pids::PidsBound;
    let name = msg!("cluster-doctor-pids");
    match bound {
        Ok(PidsBound::Bounded { processes }) => Check::new(
            name,
            true,
            msg!("cluster-doctor-pids-bounded", processes = processes),
        ),
        Ok(PidsBound::Unbounded { processes }) => Check::new(
            name,
            false,
            msg!("cluster-doctor-pids-unbounded", processes = processes),
        ),
        Err(reason) => Check::new(
            name,
            false,
            msg!("cluster-doctor-pids-unknown", reason = reason),
        ),
    }
}

/// The "sandboxes isolated from each other" row: what creating the doctor's own sandbox
/// did ([`super::isolation::isolate`]). Not isolated for want of a mechanism (kube-router
/// has no deny policy that leaves NetworkPolicy semantics alone) is said, and not a
/// failure: a self-paced learner needs no isolation; a missing grant on Cilium is.
pub fn isolation_row(isolation: Option<&Isolation>) -> Check {
    let name = msg!("cluster-doctor-isolation");
    match isolation {
        Some(Isolation::Isolated) => Check::new(
            name,
            true,
            msg!(
                "cluster-doctor-isolation-cilium",
                policy = super::isolation::POLICY_NAME
            ),
        ),
        Some(Isolation::Unsupported) => {
            Check::new(name, true, msg!("cluster-doctor-isolation-unsupported"))
        }
        Some(Isolation::Forbidden(why)) => Check::new(
            name,
            false,
            msg!("cluster-doctor-isolation-forbidden", reason = why.as_str()),
        ),
        None => Check::new(name, false, msg!("cluster-doctor-not-probed")),
    }
}

/// The name the "cluster DNS answers" row looks up: the API server's Service, which
/// every cluster has (fully qualified, so that no search domain is involved).
const DNS_NAME: &str = "kubernetes.default.svc.cluster.local";
/// How long the cluster DNS may take to answer the doctor's client.
const DNS_BOUND: Duration = Duration::from_secs(15);

/// The "cluster DNS answers" row: `nslookup kubernetes.default.svc.cluster.local` in the
/// client pod (no policy selects it) must get an address — what the `dns` checks and
/// every `connect` to a Service need.
async fn cluster_dns(sandbox: &Sandbox) -> Check {
    let name = msg!("cluster-doctor-dns");
    let seen = super::dns::lookup_until(
        sandbox,
        CLIENT.0,
        DNS_NAME,
        |l| l == super::dns::Lookup::Resolved,
        DNS_BOUND,
    )
    .await;
    match seen {
        Ok(o) if o.value == super::dns::Lookup::Resolved => Check::new(
            name,
            true,
            msg!(
                "cluster-doctor-dns-answers",
                host = DNS_NAME,
                seconds = format!("{:.1}", o.elapsed.as_secs_f64())
            ),
        ),
        Ok(o) => Check::new(
            name,
            false,
            msg!(
                "cluster-doctor-dns-no-answer",
                host = DNS_NAME,
                seconds = DNS_BOUND.as_secs(),
                output = o.output.combined()
            ),
        ),
        Err(e) => Check::new(name, false, e.message()),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Probe {
    Open,
    Refused(String),
    Blocked(String),
}

async fn probe(sandbox: &Sandbox, ip: &str) -> Result<Probe, ClusterError> {
    let out = exec(
        &sandbox.pods(),
        CLIENT.0,
        None,
        &["nc", "-zv", "-w", "1", ip, "6379"],
        Duration::from_secs(10),
    )
    .await?;
    let text = out.combined();
    Ok(if out.code == 0 {
        Probe::Open
    } else if text.to_lowercase().contains("refused") {
        Probe::Refused(text)
    } else {
        Probe::Blocked(text)
    })
}

/// How an enforcer denies a connection, as the client in the pod sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denial {
    /// The packets are dropped: the client waits for its own timeout (`nc: timed out`).
    /// Cilium (`--policy-deny-response=none`, its default), Calico, Antrea, most managed
    /// clusters.
    Drop,
    /// The connection is rejected at once (an ICMP port unreachable or TCP RST, `nc:
    /// Connection refused`), as if nothing listened: kube-router's iptables `REJECT`.
    Reject,
}

/// NetworkPolicy enforcers named by the API group their CRDs serve (API discovery,
/// which every authenticated user may read): group, enforcer.
const ENFORCER_GROUPS: [(&str, &str); 4] = [
    ("cilium.io", "Cilium"),
    ("crd.projectcalico.org", "Calico"),
    ("projectcalico.org", "Calico"),
    ("crd.antrea.io", "Antrea"),
];

/// The enforcer's name, from the API groups the server serves, first match of
/// [`ENFORCER_GROUPS`]; `None` when none is served (kube-router, for one, has no CRDs)
/// or discovery fails.
pub fn enforcer_of(groups: &[String]) -> Option<(&'static str, &'static str)> {
    ENFORCER_GROUPS
        .iter()
        .find(|(group, _)| groups.iter().any(|g| g == group))
        .copied()
}

/// The "NetworkPolicy enforcer" row: which enforcer (by API group) and how it denied the
/// doctor's probe (`denial`, `None` when the probe did not run or saw no denial).
async fn enforcer(client: &Client, denial: Option<Denial>) -> Check {
    let groups = tokio::time::timeout(CALL, client.list_api_groups())
        .await
        .ok()
        .and_then(Result::ok)
        .map(|list| list.groups.into_iter().map(|g| g.name).collect::<Vec<_>>())
        .unwrap_or_default();
    let name = match enforcer_of(&groups) {
        Some((group, name)) => msg!("cluster-doctor-enforcer-named", name = name, group = group),
        None => msg!("cluster-doctor-enforcer-unnamed"),
    };
    let name_check = msg!("cluster-doctor-enforcer");
    match denial {
        Some(denial) => {
            let how = match denial {
                Denial::Drop => "drop",
                Denial::Reject => "reject",
            };
            Check::new(
                name_check,
                true,
                msg!("cluster-doctor-enforcer-detail", name = name, how = how),
            )
        }
        None => Check::new(
            name_check,
            false,
            msg!("cluster-doctor-enforcer-no-denial", name = name),
        ),
    }
}

async fn network_policy(sandbox: &Sandbox) -> (Check, Option<Denial>) {
    let name = || msg!("cluster-doctor-netpol");
    let mut denial = None;
    let result: Result<Check, ClusterError> = async {
        let listener =
            super::sandbox::call("get pod listener", sandbox.pods().get(LISTENER.0)).await?;
        let Some(ip) = listener.status.and_then(|s| s.pod_ip) else {
            return Ok(Check::new(
                name(),
                false,
                msg!("cluster-doctor-listener-no-ip"),
            ));
        };
        match probe(sandbox, &ip).await? {
            Probe::Open => {}
            other => {
                return Ok(Check::new(
                    name(),
                    false,
                    msg!("cluster-doctor-baseline", outcome = format!("{other:?}")),
                ));
            }
        }
        let policies: Api<NetworkPolicy> =
            Api::namespaced(sandbox.client.clone(), &sandbox.namespace);
        let deny: NetworkPolicy = serde_json::from_value(serde_json::json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "deny-all-ingress"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}
        }))
        .expect("a valid policy");
        super::sandbox::call(
            "create NetworkPolicy deny-all-ingress",
            policies.create(&PostParams::default(), &deny),
        )
        .await?;
        let start = Instant::now();
        loop {
            let outcome = probe(sandbox, &ip).await?;
            // Dropped (Calico, Cilium) or rejected (kube-router): both are enforcement,
            // since the same probe was open before the policy.
            if let Probe::Blocked(text) | Probe::Refused(text) = &outcome {
                let (seen, how) = match outcome {
                    Probe::Blocked(_) => (Denial::Drop, "timed-out"),
                    _ => (Denial::Reject, "refused"),
                };
                denial = Some(seen);
                return Ok(Check::new(
                    name(),
                    true,
                    msg!(
                        "cluster-doctor-enforced",
                        how = how,
                        seconds = format!("{:.1}", start.elapsed().as_secs_f64()),
                        output = text
                    ),
                ));
            }
            if start.elapsed() >= PROBE {
                let detail = msg!("cluster-doctor-not-enforced", seconds = PROBE.as_secs());
                return Ok(Check::new(name(), false, detail));
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    .await;
    let check = result.unwrap_or_else(|e| Check::new(name(), false, e.message()));
    (check, denial)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn enforcers_are_named_by_their_api_group() {
        let groups = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            enforcer_of(&groups(&["apps", "cilium.io", "networking.k8s.io"])),
            Some(("cilium.io", "Cilium"))
        );
        assert_eq!(
            enforcer_of(&groups(&["crd.projectcalico.org"])),
            Some(("crd.projectcalico.org", "Calico"))
        );
        // kube-router serves no API group; a look-alike group names nothing.
        assert_eq!(
            enforcer_of(&groups(&["apps", "networking.k8s.io", "io"])),
            None
        );
        assert_eq!(enforcer_of(&groups(&["notcilium.io"])), None);
    }

    /// A few rows of the doctor's table, in English (as the book and the live tests
    /// quote them) and in Korean.
    #[test]
    fn doctor_lines_read_in_both_languages() {
        let exec = PERMISSIONS
            .iter()
            .find(|p| p.subresource == Some("exec"))
            .unwrap();
        let timeout = ClusterError::Timeout {
            what: "create a SelfSubjectAccessReview".into(),
            after: CALL,
        };
        let cases = [
            (
                exec.label(),
                "permission: get, create pods/exec",
                "권한: get, create pods/exec",
            ),
            (
                PERMISSIONS[0].label(),
                "permission: create, delete, get, list, patch namespaces",
                "권한: create, delete, get, list, patch namespaces",
            ),
            (
                msg!("cluster-doctor-denied", verbs = "create, get"),
                "denied: create, get",
                "거부되었습니다: create, get",
            ),
            (
                msg!("cluster-doctor-could-not-ask", reason = timeout.message()),
                "could not ask: create a SelfSubjectAccessReview did not finish within 10s",
                "권한을 확인할 수 없습니다: 다음 작업이 10초 안에 끝나지 않았습니다: create a SelfSubjectAccessReview",
            ),
            (
                msg!("cluster-doctor-image", image = "busybox:1.28"),
                "image busybox:1.28 pulls",
                "이미지 busybox:1.28 받기",
            ),
            (
                msg!(
                    "cluster-doctor-enforced",
                    how = "timed-out",
                    seconds = "1.5",
                    output = "nc: timeout"
                ),
                "open before, timed out 1.5s after a deny-all ingress policy (nc: timeout)",
                "정책 전에는 연결되었고, deny-all ingress 정책을 만든 지 1.5초 뒤에는 연결 시간이 초과되었습니다 (nc: timeout)",
            ),
            (
                msg!(
                    "cluster-doctor-enforced",
                    how = "refused",
                    seconds = "0.4",
                    output = "refused"
                ),
                "open before, refused 0.4s after a deny-all ingress policy (refused)",
                "정책 전에는 연결되었고, deny-all ingress 정책을 만든 지 0.4초 뒤에는 연결이 거부되었습니다 (refused)",
            ),
            (
                msg!(
                    "cluster-doctor-dns-answers",
                    host = DNS_NAME,
                    seconds = "0.1"
                ),
                "kubernetes.default.svc.cluster.local resolves from a pod (0.1s): the `dns` checks and connections to Services can run",
                "파드에서 kubernetes.default.svc.cluster.local 이름을 확인했습니다(0.1초). `dns` 검사와 Service로의 접속 검사를 실행할 수 있습니다.",
            ),
            (
                msg!(
                    "cluster-doctor-dns-no-answer",
                    host = DNS_NAME,
                    seconds = 15,
                    output = ";; connection timed out; no servers could be reached"
                ),
                "kubernetes.default.svc.cluster.local does not resolve from a pod within 15s: the `dns` checks and connections to Services end in errors (;; connection timed out; no servers could be reached)",
                "15초 안에 파드에서 kubernetes.default.svc.cluster.local 이름을 확인하지 못했습니다. `dns` 검사와 Service로의 접속 검사가 오류로 끝납니다(;; connection timed out; no servers could be reached).",
            ),
            (
                msg!("cluster-doctor-not-enforced", seconds = PROBE.as_secs()),
                "still open 25s after a deny-all ingress policy: the cluster's network plugin does not enforce NetworkPolicy",
                "deny-all ingress 정책을 만든 지 25초가 지나도 연결됩니다. 클러스터의 네트워크 플러그인이 NetworkPolicy를 적용하지 않습니다.",
            ),
            (
                msg!(
                    "cluster-doctor-namespace-deleted",
                    namespace = "kubelab-doctor-abc123",
                    seconds = "2.3"
                ),
                "kubelab-doctor-abc123 created and deleted (2.3s to delete)",
                "`kubelab-doctor-abc123` 네임스페이스를 만들고 삭제했습니다(삭제에 2.3초).",
            ),
            (
                msg!(
                    "cluster-doctor-pod-not-ready",
                    seconds = 90,
                    reason = "ContainerCreating"
                ),
                "not ready within 90s (ContainerCreating)",
                "90초 안에 준비되지 않았습니다(ContainerCreating).",
            ),
            (
                msg!(
                    "cluster-doctor-enforcer-detail",
                    name = msg!(
                        "cluster-doctor-enforcer-named",
                        name = "Cilium",
                        group = "cilium.io"
                    ),
                    how = "drop"
                ),
                "Cilium (API group cilium.io); denies by dropping: a denied connection waits for the client's timeout, so every blocked probe costs its timeout",
                "Cilium (API 그룹 cilium.io). 거부할 때 패킷을 버립니다: 거부된 연결은 클라이언트의 제한 시간까지 기다리므로, 차단된 연결을 확인할 때마다 그 시간이 걸립니다.",
            ),
            (
                msg!(
                    "cluster-doctor-enforcer-detail",
                    name = msg!("cluster-doctor-enforcer-unnamed"),
                    how = "reject"
                ),
                "not named by an API group (Cilium, Calico and Antrea serve one; kube-router does not); denies by rejecting: a denied connection is refused at once, as if nothing listened",
                "API 그룹으로는 알 수 없습니다. Cilium, Calico, Antrea에는 API 그룹이 있지만 kube-router에는 없습니다. 거부할 때 연결을 바로 거절합니다: 아무것도 수신하지 않는 포트처럼 즉시 연결이 거부됩니다.",
            ),
            (
                pids_row(Ok(super::super::pids::PidsBound::Bounded {
                    processes: 1024,
                }))
                .detail,
                "bounded: a pod may run 1024 processes (the kubelet's podPidsLimit); a probe pod's fork failed there",
                "제한됩니다: 파드 하나는 프로세스를 1024개까지 실행할 수 있습니다(kubelet의 podPidsLimit). 확인용 파드는 그 수에서 fork에 실패했습니다.",
            ),
            (
                pids_row(Ok(super::super::pids::PidsBound::Unbounded {
                    processes: 2050,
                }))
                .detail,
                "not bounded: a probe pod started 2050 processes and none was refused, so one learner's fork bomb can use up the node's process IDs; set the kubelet's podPidsLimit (for example 1024)",
                "제한되지 않습니다: 확인용 파드가 프로세스 2050개를 실행하는 동안 한 번도 거부되지 않았으므로, 학습자 한 명의 포크 폭탄이 노드의 프로세스 ID를 모두 써 버릴 수 있습니다. kubelet의 podPidsLimit을 설정하십시오(예: 1024).",
            ),
            (
                msg!("cluster-doctor-pids"),
                "processes per pod bounded",
                "파드당 프로세스 수 제한",
            ),
            (
                msg!("cluster-doctor-isolation"),
                "sandboxes isolated from each other",
                "샌드박스 간 격리",
            ),
            (
                isolation_row(Some(&Isolation::Isolated)).detail,
                "isolated (Cilium): each sandbox gets a CiliumNetworkPolicy kubelab-isolation that denies traffic to and from the pods of other kubelab namespaces; deny rules only, no default deny, so the labs' NetworkPolicies keep their meaning",
                "격리됩니다(Cilium): 샌드박스마다 CiliumNetworkPolicy를 만들어(이름: kubelab-isolation) 다른 kubelab 네임스페이스의 파드와 주고받는 트래픽을 거부합니다. 거부 규칙만 있고 기본 거부는 켜지 않으므로 실습의 NetworkPolicy는 의미가 그대로입니다.",
            ),
            (
                isolation_row(Some(&Isolation::Unsupported)).detail,
                "not isolated: the cluster serves no CiliumNetworkPolicy, and its enforcer (kube-router, for one) has no cluster-wide deny that leaves NetworkPolicy semantics alone, so in a class one learner's pods can connect to another's",
                "격리되지 않습니다: 클러스터가 CiliumNetworkPolicy를 제공하지 않고, 그 적용 주체(예: kube-router)에는 NetworkPolicy의 의미를 바꾸지 않는 클러스터 전체 거부 규칙이 없으므로, 수업에서 한 학습자의 파드가 다른 학습자의 파드에 연결할 수 있습니다.",
            ),
            (
                ISOLATION_PERMISSIONS[0].label(),
                "permission: create ciliumnetworkpolicies.cilium.io",
                "권한: create ciliumnetworkpolicies.cilium.io",
            ),
        ];
        for (message, english, korean) in cases {
            assert_eq!(message.render(Lang::En), english);
            assert_eq!(message.render(Lang::Ko), korean);
            assert!(
                crate::i18n::style::not_hapnida(&message.render(Lang::Ko)).is_empty(),
                "{korean}"
            );
        }
    }
}
