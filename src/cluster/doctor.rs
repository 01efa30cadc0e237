//! `kubelab doctor`: is this cluster fit for live grading? Reachability, every permission
//! kubelab needs (asked with SelfSubjectAccessReview, not by trying), NetworkPolicy
//! really enforced (probed in a temporary sandbox), and the lab images pulling.
//! Everything is time-bound and the temporary namespace is always deleted.

use super::exec::exec;
use super::wait::{PodState, wait_ready};
use super::{ClusterError, ConnectOptions, Sandbox, connect};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::Client;
use kube::api::{Api, PostParams};
use std::time::{Duration, Instant};

/// One line of the doctor's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

impl Check {
    fn new(name: impl Into<String>, ok: bool, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ok,
            detail: detail.into(),
        }
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
        verbs: &["create", "delete", "get", "list"],
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

impl Permission {
    pub fn label(&self) -> String {
        let mut name = match self.group {
            "" => self.resource.to_string(),
            group => format!("{}.{group}", self.resource),
        };
        if let Some(sub) = self.subresource {
            name = format!("{}/{sub}", name);
        }
        format!("permission: {} {}", self.verbs.join(", "), name)
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
        Err(e) => return vec![Check::new("cluster reachable", false, e.to_string())],
    };
    let mut checks = vec![Check::new(
        "cluster reachable",
        true,
        format!("{} ({})", cluster.server, cluster.version),
    )];
    checks.extend(permissions(&cluster.client).await);
    checks.extend(probes(&cluster.client).await);
    checks
}

/// One SelfSubjectAccessReview per verb, all at once.
pub async fn permissions(client: &Client) -> Vec<Check> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, permission) in PERMISSIONS.iter().enumerate() {
        for verb in permission.verbs {
            let client = client.clone();
            tasks.spawn(async move {
                let allowed = allowed(&client, permission, verb).await;
                (i, *verb, allowed)
            });
        }
    }
    let mut answers: Vec<Vec<(&str, Result<bool, String>)>> = vec![Vec::new(); PERMISSIONS.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, verb, allowed)) = joined {
            answers[i].push((verb, allowed.map_err(|e| e.to_string())));
        }
    }
    PERMISSIONS
        .iter()
        .zip(answers)
        .map(|(permission, answers)| {
            let denied: Vec<&str> = permission
                .verbs
                .iter()
                .filter(|v| !answers.iter().any(|(a, r)| a == *v && r == &Ok(true)))
                .copied()
                .collect();
            let errors: Vec<String> = answers
                .iter()
                .filter_map(|(_, r)| r.as_ref().err().cloned())
                .collect();
            let detail = if denied.is_empty() {
                "allowed in every namespace".to_string()
            } else if let Some(error) = errors.first() {
                format!("could not ask: {error}")
            } else {
                format!("denied: {}", denied.join(", "))
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
                "temporary namespace",
                false,
                format!("could not create one: {e}"),
            )];
            checks.push(Check::new("NetworkPolicy enforced", false, "not probed"));
            checks.extend(
                image_names
                    .iter()
                    .map(|i| Check::new(format!("image {i} pulls"), false, "not tried")),
            );
            return checks;
        }
    };
    let mut checks = in_sandbox(&sandbox).await;
    let start = Instant::now();
    checks.push(match sandbox.delete(CLEANUP).await {
        Ok(()) => Check::new(
            "temporary namespace",
            true,
            format!(
                "{} created and deleted ({:.1}s to delete)",
                sandbox.namespace,
                start.elapsed().as_secs_f64()
            ),
        ),
        Err(e) => Check::new(
            "temporary namespace",
            false,
            format!(
                "{} not deleted: {e} (`kubelab clean` removes it)",
                sandbox.namespace
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
        let created = created[i].as_ref().map_err(|e| e.to_string()).cloned();
        async move {
            created?;
            wait_ready(sandbox, name, POD_READY)
                .await
                .map_err(|e| e.to_string())
        }
    };
    let (listener, client, registry) = tokio::join!(
        wait((0, LISTENER.0)),
        wait((1, CLIENT.0)),
        wait((2, REGISTRY.0))
    );
    let netpol = match (&listener, &client) {
        (Ok(PodState::Ready), Ok(PodState::Ready)) => network_policy(sandbox).await,
        _ => Check::new(
            "NetworkPolicy enforced",
            false,
            "not probed: the listener (redis) and client (busybox:1.28) pods are not both ready",
        ),
    };
    let image = |image: &str, state: Result<PodState, String>| {
        let name = format!("image {image} pulls");
        match state {
            Ok(PodState::Ready) => Check::new(name, true, "pulled and running"),
            Ok(PodState::Failed { reason, message }) => {
                Check::new(name, false, format!("{reason}: {message}"))
            }
            Ok(PodState::NotReady { reason }) => Check::new(
                name,
                false,
                format!("not ready within {}s ({reason})", POD_READY.as_secs()),
            ),
            Ok(PodState::Missing) => Check::new(name, false, "the pod disappeared"),
            Err(e) => Check::new(name, false, e),
        }
    };
    vec![
        netpol,
        image(LISTENER.1, listener),
        image(CLIENT.1, client),
        image(REGISTRY.1, registry),
    ]
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

async fn network_policy(sandbox: &Sandbox) -> Check {
    const NAME: &str = "NetworkPolicy enforced";
    let result: Result<Check, ClusterError> = async {
        let listener =
            super::sandbox::call("get pod listener", sandbox.pods().get(LISTENER.0)).await?;
        let Some(ip) = listener.status.and_then(|s| s.pod_ip) else {
            return Ok(Check::new(NAME, false, "the listener pod has no IP"));
        };
        match probe(sandbox, &ip).await? {
            Probe::Open => {}
            other => {
                return Ok(Check::new(
                    NAME,
                    false,
                    format!("baseline: client → listener:6379 should connect, got {other:?}"),
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
                let how = if matches!(outcome, Probe::Blocked(_)) {
                    "timed out"
                } else {
                    "refused"
                };
                return Ok(Check::new(
                    NAME,
                    true,
                    format!(
                        "open before, {how} {:.1}s after a deny-all ingress policy ({text})",
                        start.elapsed().as_secs_f64()
                    ),
                ));
            }
            if start.elapsed() >= PROBE {
                let detail = format!(
                    "still open {}s after a deny-all ingress policy: \
                     the cluster's network plugin does not enforce NetworkPolicy",
                    PROBE.as_secs()
                );
                return Ok(Check::new(NAME, false, detail));
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    .await;
    result.unwrap_or_else(|e| Check::new(NAME, false, e.to_string()))
}
