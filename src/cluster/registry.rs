//! A private registry for the private-registry lab, on any cluster: `registry:2` with
//! htpasswd basic auth in the lab namespace, exposed on a NodePort so that each node's
//! container runtime reaches it at `127.0.0.1:<nodePort>`, seeded with a private image by
//! kubelab itself (nothing is downloaded).
//!
//! # What it creates, in the sandbox namespace
//!
//! - Secret `kubelab-registry`: `config.yml` (the registry's configuration) and
//!   `htpasswd` (a line `<user>:$2y$…` per user, bcrypt, made by kubelab from the run's
//!   credentials: one user for a run, every variant's user for a class).
//! - Service `kubelab-registry`: NodePort, port 5000, `nodePort` = `spec.node_port` or
//!   one the cluster allocates.
//! - Pod `kubelab-registry`:
//!   - container `seed` (`busybox:1.28`) writes the private image straight into the
//!     registry's filesystem storage on a shared `emptyDir`, then sleeps (a container
//!     beside the registry, not an init container: the two start together, which saves
//!     the kubelet's ~1 s to notice an init container's end; `provision` waits until
//!     the image is served): one uncompressed layer
//!     (`application/vnd.oci.image.layer.v1.tar`) holding the static `/bin/busybox` of
//!     that image and a symlink per applet (`/bin/sh`, `/bin/sleep`, …), a config whose
//!     command is `sleep 3600`, an OCI image manifest, and the repository's links
//!     (`_layers`, `_manifests/revisions`, `_manifests/tags/<tag>/{current,index}`),
//!     the links once per `repository:tag` of the spec (a class of variants serves the
//!     same image under every variant's name).
//!     The digests are computed by the seed container's `sha256sum`; the script is
//!     generated here ([`seed_script`]).
//!   - container `registry` (`registry:2`), run as
//!     `registry serve /etc/kubelab-registry/config.yml`: the same binary name and
//!     subcommand in the official image (Alpine, `/bin/registry`, whose own entrypoint
//!     script would do the same) and in the test cluster's Debian-built image, so
//!     `command` is set explicitly and the mounted configuration is used by both.
//!
//! `provision` returns once the pod is Ready and the registry, asked from inside its own
//! container (`wget`), answers `/v2/` with 401 without credentials and serves every
//! seeded manifest with them (every image to the first user, and each user one image).
//!
//! # How the node's runtime reaches it, and what that requires
//!
//! The image is named `127.0.0.1:<nodePort>/<repository>:<tag>`. The kubelet hands that
//! name to the container runtime of the pod's node, which connects to its own loopback:
//!
//! - **Plain HTTP on loopback**: container runtimes treat `localhost`/`127.0.0.1`
//!   registries as insecure and speak plain HTTP to them (containerd, CRI-O, Docker), so
//!   no certificate is needed. The node's runtime must not redirect unknown registries
//!   elsewhere: with containerd's `config_path`, a `certs.d/_default/hosts.toml` that
//!   sends every registry to a mirror breaks this (the test cluster only mirrors
//!   `docker.io` and `registry.k8s.io`).
//! - **Loopback reaches the registry pod** through kube-proxy serving NodePorts on
//!   `127.0.0.1` (iptables mode with `localhostNodePorts: true`, its default, and
//!   `nodePortAddresses` unset or including `127.0.0.1/32`; it sets `route_localnet`):
//!   every node reaches it. (A `hostPort` would also work on the registry's own node,
//!   but the sandbox's Pod Security level `baseline` forbids it, and kubelab's own pods
//!   follow the sandbox's rules.)
//! - The images `registry:2` and `busybox:1.28` must be pullable by the node.

use super::{ClusterError, Sandbox};
use k8s_openapi::api::core::v1::{Pod, Secret, Service};
use kube::api::{Api, DeleteParams, LogParams, Patch, PatchParams, PostParams};
use serde_json::json;
use std::time::{Duration, Instant};

/// What a registry serves, and to whom.
pub struct RegistrySpec {
    /// Every user it lets in: (name, password), each name once (an htpasswd file has one
    /// line per user; distribution keeps the last line of a name). The first is the one
    /// [`provision`] checks the image with first.
    pub users: Vec<(String, String)>,
    /// Every image it serves, as (repository, tag), e.g. (`kubelab/private-app`, `1.0`):
    /// the same busybox-based image under each name. At least one.
    pub images: Vec<(String, String)>,
    /// A fixed NodePort (so that the server name is known in advance), or `None` to let
    /// the cluster pick one.
    pub node_port: Option<u16>,
}

impl RegistrySpec {
    /// One user and one image: what a single run's registry serves.
    pub fn single(
        username: String,
        password: String,
        repository: String,
        tag: String,
        node_port: Option<u16>,
    ) -> Self {
        Self {
            users: vec![(username, password)],
            images: vec![(repository, tag)],
            node_port,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Registry {
    /// `127.0.0.1:<nodePort>`, the `--docker-server` value.
    pub server: String,
    /// `<server>/<repository>:<tag>` of the spec's first image.
    pub image: String,
    /// `<server>/<repository>:<tag>` of every image, in the spec's order.
    pub images: Vec<String>,
}

/// The name of the Secret, Service and Pod that make up the registry.
pub const NAME: &str = "kubelab-registry";
/// The image the registry runs.
pub const REGISTRY_IMAGE: &str = "registry:2";
/// The image whose static busybox becomes the private image.
pub const SEED_IMAGE: &str = "busybox:1.28";
/// The registry's port inside the cluster (`kubelab-registry:5000`).
pub const PORT: u16 = 5000;
/// bcrypt's cost for the htpasswd entry: that of `htpasswd -B`. The registry checks it
/// on every request; the credentials live for one run.
const BCRYPT_COST: u32 = 5;
const CONFIG_DIR: &str = "/etc/kubelab-registry";
const STORAGE: &str = "/var/lib/registry";
const FIELD_MANAGER: &str = "kubelab";
const POLL: Duration = Duration::from_millis(500);
/// Between asking a registry that has just started and asking again.
const AUTH_RETRY: Duration = Duration::from_millis(150);

pub async fn provision(
    sandbox: &Sandbox,
    spec: &RegistrySpec,
    timeout: Duration,
) -> Result<Registry, ClusterError> {
    validate(spec)?;
    let deadline = Instant::now() + timeout;
    let client = sandbox.client.clone();
    let ns = sandbox.namespace.as_str();
    let apply = PatchParams::apply(FIELD_MANAGER).force();

    let secrets: Api<Secret> = Api::namespaced(client.clone(), ns);
    secrets
        .patch(NAME, &apply, &Patch::Apply(secret_manifest(spec)?))
        .await
        .map_err(|e| ClusterError::api("create the registry's Secret", e))?;

    let services: Api<Service> = Api::namespaced(client.clone(), ns);
    let service = loop {
        match services
            .patch(
                NAME,
                &apply,
                &Patch::Apply(service_manifest(spec.node_port)),
            )
            .await
        {
            Ok(service) => break service,
            // A fixed port still held by another run's registry (running, or in a
            // namespace being deleted): runs that need it take turns.
            Err(kube::Error::Api(status)) if status.message.contains("already allocated") => {
                if Instant::now() >= deadline {
                    return Err(ClusterError::Api {
                        what: "create the registry's NodePort Service".into(),
                        message: format!(
                            "{} — for {}s: another `kubelab grade private-registry` is running, or a killed run left its namespace (`kubelab clean` removes it)",
                            status.message,
                            timeout.as_secs()
                        ),
                    });
                }
                tokio::time::sleep(POLL).await;
            }
            Err(e) => {
                return Err(ClusterError::api(
                    "create the registry's NodePort Service",
                    e,
                ));
            }
        }
    };
    let node_port = service
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .and_then(|ports| ports.first())
        .and_then(|p| p.node_port)
        .and_then(|p| u16::try_from(p).ok())
        .ok_or_else(|| {
            ClusterError::Protocol(format!("the Service {NAME} was given no nodePort"))
        })?;

    let pods: Api<Pod> = Api::namespaced(client, ns);
    replace_pod(&pods, spec, deadline, timeout).await?;
    wait_ready(&pods, deadline, timeout).await?;
    check_auth(&pods, spec, deadline, timeout).await?;
    wait_node_port(&pods, node_port).await?;

    let server = format!("127.0.0.1:{node_port}");
    let images: Vec<String> = spec
        .images
        .iter()
        .map(|(repository, tag)| format!("{server}/{repository}:{tag}"))
        .collect();
    Ok(Registry {
        image: images[0].clone(),
        images,
        server,
    })
}

/// The htpasswd file: one line per user (`user:$2y$05$…`).
pub fn htpasswd_file(users: &[(String, String)]) -> Result<String, ClusterError> {
    users
        .iter()
        .map(|(username, password)| htpasswd(username, password))
        .collect()
}

/// The htpasswd file's line for the credentials: `user:$2y$05$…`.
pub fn htpasswd(username: &str, password: &str) -> Result<String, ClusterError> {
    let hash = bcrypt::hash_with_result(password, BCRYPT_COST)
        .map_err(|e| ClusterError::Protocol(format!("hashing the registry password: {e}")))?;
    Ok(format!(
        "{username}:{}\n",
        hash.format_for_version(bcrypt::Version::TwoY)
    ))
}

/// The registry's configuration (distribution's `config.yml`, version 0.1).
pub fn config_yml() -> String {
    format!(
        "version: 0.1
log:
  level: info
  fields:
    service: {NAME}
storage:
  filesystem:
    rootdirectory: {STORAGE}
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: :{PORT}
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: {NAME}
    path: {CONFIG_DIR}/htpasswd
"
    )
}

fn validate(spec: &RegistrySpec) -> Result<(), ClusterError> {
    let bad = |what: &str| Err(ClusterError::Protocol(format!("registry: {what}")));
    if spec.users.is_empty() || spec.images.is_empty() {
        return bad("at least one user and one image");
    }
    for (i, (username, password)) in spec.users.iter().enumerate() {
        if username.is_empty() || username.contains([':', '\n', '\r']) {
            return bad("the user name must be non-empty, without `:` or line breaks");
        }
        if password.is_empty() || password.len() > 72 {
            return bad("the password must have 1 to 72 bytes (bcrypt's limit)");
        }
        if spec.users[..i].iter().any(|(other, _)| other == username) {
            return bad(&format!("the user `{username}` is given twice"));
        }
    }
    for (repository, tag) in &spec.images {
        if !valid_repository(repository) {
            return bad(&format!(
                "`{repository}` is not a repository name (lowercase [a-z0-9] components separated by `/`, `.`, `_`, `-`)"
            ));
        }
        if !valid_tag(tag) {
            return bad(&format!("`{tag}` is not an image tag"));
        }
    }
    if let Some(port) = spec.node_port
        && port == 0
    {
        return bad("the NodePort must not be 0");
    }
    Ok(())
}

/// `[a-z0-9]+([._-][a-z0-9]+)*` components joined by `/` (the distribution spec's
/// grammar, with `__` and repeated `-` also refused: a conservative subset).
fn valid_repository(repository: &str) -> bool {
    !repository.is_empty()
        && repository.len() <= 255
        && repository.split('/').all(|component| {
            !component.is_empty()
                && component.split(['.', '_', '-']).all(|part| {
                    !part.is_empty()
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        })
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn valid_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric() || b == b'_')
        && tag.len() <= 128
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

fn labels() -> serde_json::Value {
    json!({
        "app.kubernetes.io/name": NAME,
        super::sandbox::MANAGED_BY_LABEL: super::sandbox::MANAGED_BY,
    })
}

fn secret_manifest(spec: &RegistrySpec) -> Result<serde_json::Value, ClusterError> {
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": NAME, "labels": labels()},
        "type": "Opaque",
        "stringData": {
            "config.yml": config_yml(),
            "htpasswd": htpasswd_file(&spec.users)?,
        },
    }))
}

fn service_manifest(node_port: Option<u16>) -> serde_json::Value {
    let mut port = json!({"name": "registry", "protocol": "TCP", "port": PORT, "targetPort": PORT});
    if let Some(node_port) = node_port {
        port["nodePort"] = json!(node_port);
    }
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": NAME, "labels": labels()},
        "spec": {
            "type": "NodePort",
            "selector": {"app.kubernetes.io/name": NAME},
            "ports": [port],
        },
    })
}

/// The registry pod. It fits the sandbox's Pod Security level `baseline` (no hostPort):
/// the node's runtime reaches it through the Service's NodePort on `127.0.0.1`.
pub fn pod_manifest(spec: &RegistrySpec) -> serde_json::Value {
    let port = json!({"name": "registry", "containerPort": PORT, "protocol": "TCP"});
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": NAME, "labels": labels()},
        "spec": {
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "terminationGracePeriodSeconds": 1,
            "containers": [{
                "name": "seed",
                "image": SEED_IMAGE,
                "imagePullPolicy": "IfNotPresent",
                "command": ["sh", "-c", seed_script(&spec.images)],
                "volumeMounts": [{"name": "storage", "mountPath": STORAGE}],
            }, {
                "name": "registry",
                "image": REGISTRY_IMAGE,
                "imagePullPolicy": "IfNotPresent",
                "command": ["registry", "serve", format!("{CONFIG_DIR}/config.yml")],
                "ports": [port],
                "readinessProbe": {
                    "tcpSocket": {"port": PORT},
                    "periodSeconds": 1,
                    "failureThreshold": 3,
                },
                "volumeMounts": [
                    {"name": "storage", "mountPath": STORAGE},
                    {"name": "config", "mountPath": CONFIG_DIR, "readOnly": true},
                ],
            }],
            "volumes": [
                {"name": "storage", "emptyDir": {}},
                {"name": "config", "secret": {"secretName": NAME}},
            ],
        },
    })
}

/// The seed container's script: builds the private image from the container's own
/// static busybox and writes it into the registry's storage layout under every
/// `(repository, tag)` of `images` (one set of blobs; each name's tag last, so the
/// registry never serves half an image), then sleeps. The names must be valid (they
/// are pasted into the script).
pub fn seed_script(images: &[(String, String)]) -> String {
    let names: String = images
        .iter()
        .map(|(repository, tag)| format!("name {repository} {tag}\n"))
        .collect();
    SEED_SCRIPT
        .replace("@STORAGE@", STORAGE)
        .replace("@NAMES@\n", &names)
}

const SEED_SCRIPT: &str = r#"set -eu
R=@STORAGE@/docker/registry/v2
W=@STORAGE@/.kubelab-seed
rm -rf "$W"
mkdir -p "$W/root/bin" "$W/root/tmp" "$R"
chmod 1777 "$W/root/tmp"
BB=$(which busybox)
cp "$BB" "$W/root/bin/busybox"
for a in $("$BB" --list); do
  [ "$a" = busybox ] || ln -s busybox "$W/root/bin/$a"
done
test -L "$W/root/bin/sh" || { echo "busybox has no sh applet"; exit 1; }
test -L "$W/root/bin/sleep" || { echo "busybox has no sleep applet"; exit 1; }
(cd "$W/root" && tar -cf "$W/layer.tar" bin tmp)
# put FILE: stores FILE as a blob; sets H (hex digest) and S (size)
put() {
  H=$(sha256sum "$1" | cut -d ' ' -f 1)
  S=$(wc -c < "$1")
  S=$((S))
  d="$R/blobs/sha256/$(echo "$H" | cut -c 1-2)/$H"
  mkdir -p "$d"
  cp "$1" "$d/data"
}
# link DIR HEX: DIR/link holds sha256:HEX, without a newline
link() {
  mkdir -p "$1"
  printf 'sha256:%s' "$2" > "$1/link"
}
case "$(uname -m)" in
  x86_64) A=amd64 ;;
  aarch64) A=arm64 ;;
  arm*) A=arm ;;
  i?86) A=386 ;;
  *) A=$(uname -m) ;;
esac
put "$W/layer.tar"; LH=$H; LS=$S
printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sleep","3600"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$A" "$LH" > "$W/config.json"
put "$W/config.json"; CH=$H; CS=$S
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' "$CH" "$CS" "$LH" "$LS" > "$W/manifest.json"
put "$W/manifest.json"; MH=$H
# name REPOSITORY TAG: the image under that name
name() {
  P="$R/repositories/$1"
  link "$P/_layers/sha256/$LH" "$LH"
  link "$P/_layers/sha256/$CH" "$CH"
  link "$P/_manifests/revisions/sha256/$MH" "$MH"
  link "$P/_manifests/tags/$2/index/sha256/$MH" "$MH"
  link "$P/_manifests/tags/$2/current" "$MH"
  echo "seeded $1:$2 ($A) manifest sha256:$MH layer sha256:$LH ($LS bytes)"
}
@NAMES@
rm -rf "$W"
exec sleep 2147483647
"#;

/// Creates the pod (after deleting one left by an earlier provision).
async fn replace_pod(
    pods: &Api<Pod>,
    spec: &RegistrySpec,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), ClusterError> {
    if pods
        .get_opt(NAME)
        .await
        .map_err(|e| ClusterError::api("read the registry pod", e))?
        .is_some()
    {
        let _ = pods
            .delete(NAME, &DeleteParams::default().grace_period(0))
            .await;
        loop {
            let gone = pods
                .get_opt(NAME)
                .await
                .map_err(|e| ClusterError::api("read the registry pod", e))?
                .is_none();
            if gone {
                break;
            }
            if Instant::now() >= deadline {
                return Err(timed_out("deleting the earlier registry pod", timeout));
            }
            tokio::time::sleep(POLL).await;
        }
    }
    let pod: Pod = serde_json::from_value(pod_manifest(spec))
        .map_err(|e| ClusterError::Protocol(format!("the registry pod: {e}")))?;
    pods.create(&PostParams::default(), &pod)
        .await
        .map(|_| ())
        .map_err(|e| ClusterError::api("create the registry pod", e))
}

fn timed_out(what: &str, after: Duration) -> ClusterError {
    ClusterError::Timeout {
        what: what.to_string(),
        after,
    }
}

/// Until the registry container is Ready; fails at once when the seed failed or an
/// image cannot be pulled.
async fn wait_ready(
    pods: &Api<Pod>,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), ClusterError> {
    let mut last = String::from("not yet scheduled");
    let mut changes = super::wait::Changes::watch(pods, NAME).await;
    loop {
        let pod = pods
            .get(NAME)
            .await
            .map_err(|e| ClusterError::api("read the registry pod", e))?;
        let status = pod.status.unwrap_or_default();
        let seed = status
            .container_statuses
            .iter()
            .flatten()
            .find(|c| c.name == "seed");
        if let Some(seed) = seed {
            let ended = |s: Option<&k8s_openapi::api::core::v1::ContainerState>| {
                s.and_then(|s| s.terminated.as_ref()).cloned()
            };
            if let Some(done) = ended(seed.state.as_ref()).or(ended(seed.last_state.as_ref()))
                && done.exit_code != 0
            {
                let log = pods
                    .logs(
                        NAME,
                        &LogParams {
                            container: Some("seed".into()),
                            tail_lines: Some(5),
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap_or_default();
                return Err(ClusterError::Protocol(format!(
                    "the registry's seed container failed (exit {}): {}",
                    done.exit_code,
                    log.trim().replace('\n', " | ")
                )));
            }
        }
        for c in status.container_statuses.iter().flatten() {
            if let Some(waiting) = c.state.as_ref().and_then(|s| s.waiting.as_ref()) {
                let reason = waiting.reason.clone().unwrap_or_default();
                let message = waiting.message.clone().unwrap_or_default();
                if matches!(
                    reason.as_str(),
                    "ErrImagePull"
                        | "ImagePullBackOff"
                        | "InvalidImageName"
                        | "CreateContainerConfigError"
                        | "CreateContainerError"
                        | "CrashLoopBackOff"
                ) {
                    return Err(ClusterError::Protocol(format!(
                        "the registry pod's container {} is in {reason}: {message}",
                        c.name
                    )));
                }
                last = format!("{}: {reason}", c.name);
            }
        }
        let ready = status
            .container_statuses
            .iter()
            .flatten()
            .any(|c| c.name == "registry" && c.ready);
        if ready {
            return Ok(());
        }
        if let Some(cond) = status
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        {
            last = format!(
                "unschedulable: {}",
                cond.message.clone().unwrap_or_default()
            );
        }
        if Instant::now() >= deadline {
            return Err(timed_out(
                &format!("the registry pod becoming Ready (last: {last})"),
                timeout,
            ));
        }
        changes.next(POLL).await;
    }
}

/// Asks the registry from inside its own container: `/v2/` must answer 401 without
/// credentials, every image's manifest must be served to the first user, and every
/// user must be let in (each asks for one image's manifest).
async fn check_auth(
    pods: &Api<Pod>,
    spec: &RegistrySpec,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), ClusterError> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    // The credentials are the script's arguments (`${1}`…), not its text.
    let basics: Vec<String> = spec
        .users
        .iter()
        .map(|(username, password)| b64.encode(format!("{username}:{password}")))
        .collect();
    let ask = |user: usize, (repository, tag): &(String, String)| {
        format!(
            "wget -q -O /dev/null --header 'Accept: application/vnd.oci.image.manifest.v1+json' \
             --header \"Authorization: Basic ${{{}}}\" http://127.0.0.1:{PORT}/v2/{repository}/manifests/{tag} \
             || {{ echo 'the image {repository}:{tag} is not served to user {}'; exit 3; }}; ",
            user + 1,
            user + 1
        )
    };
    let mut script = format!(
        "wget -S -O /dev/null http://127.0.0.1:{PORT}/v2/ 2>&1 | grep -q ' 401 ' || {{ echo 'no 401 without credentials'; exit 2; }}; "
    );
    for image in &spec.images {
        script.push_str(&ask(0, image));
    }
    for user in 1..spec.users.len() {
        script.push_str(&ask(user, &spec.images[user % spec.images.len()]));
    }
    let mut command: Vec<&str> = vec!["sh", "-c", &script, "sh"];
    command.extend(basics.iter().map(String::as_str));
    let mut last = String::new();
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(timed_out(
                &format!("the registry answering (last: {last})"),
                timeout,
            ));
        }
        match exec_quiet(pods, &command, remaining.min(Duration::from_secs(20))).await {
            Ok((0, _)) => return Ok(()),
            Ok((code, out)) => last = format!("exit {code}: {}", out.trim()),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(AUTH_RETRY).await;
    }
}

/// How long the registry's NodePort may take to answer on the node's address.
const NODE_PORT_WAIT: Duration = Duration::from_secs(30);

/// Until the Service's NodePort answers on the node's own address (asked from inside
/// the registry container: `wget` to `<hostIP>:<nodePort>` must get the registry's 401;
/// no `-T`: the test cluster's busybox `wget` crashes on it, the exec has its timeout).
/// A Service's endpoints reach kube-proxy's rules a moment after the pod is Ready; the
/// node's runtime pulls through `127.0.0.1:<nodePort>`, which kube-proxy programs in the
/// same sync. A cluster that serves NodePorts on loopback only never answers here: after
/// [`NODE_PORT_WAIT`] the run goes on (the pull then tells).
async fn wait_node_port(pods: &Api<Pod>, node_port: u16) -> Result<(), ClusterError> {
    let pod = pods
        .get(NAME)
        .await
        .map_err(|e| ClusterError::api("read the registry pod", e))?;
    let Some(host_ip) = pod.status.and_then(|s| s.host_ip) else {
        return Ok(());
    };
    let script =
        format!("wget -S -O /dev/null http://{host_ip}:{node_port}/v2/ 2>&1 | grep -q ' 401 '");
    let start = Instant::now();
    while start.elapsed() < NODE_PORT_WAIT {
        if let Ok((0, _)) = exec_quiet(pods, &["sh", "-c", &script], Duration::from_secs(5)).await {
            return Ok(());
        }
        tokio::time::sleep(AUTH_RETRY).await;
    }
    Ok(())
}

/// Exec in the registry container; (exit code, stdout + stderr). Errors name the
/// registry pod, not the command line, which carries the credentials.
async fn exec_quiet(
    pods: &Api<Pod>,
    command: &[&str],
    timeout: Duration,
) -> Result<(i32, String), ClusterError> {
    let out = super::exec::exec_as(
        pods,
        NAME,
        Some("registry"),
        command,
        timeout,
        "exec in the registry pod",
    )
    .await?;
    Ok((out.code, format!("{}{}", out.stdout, out.stderr)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RegistrySpec {
        RegistrySpec::single(
            "kubelab".into(),
            "s3cret".into(),
            "kubelab/private-app".into(),
            "1.0".into(),
            None,
        )
    }

    #[test]
    fn htpasswd_is_bcrypt_2y_and_verifies() {
        let line = htpasswd("kubelab", "s3cret").unwrap();
        let (user, hash) = line.trim_end().split_once(':').unwrap();
        assert_eq!(user, "kubelab");
        assert!(hash.starts_with("$2y$05$"), "{hash}");
        assert!(bcrypt::verify("s3cret", hash).unwrap());
        assert!(!bcrypt::verify("wrong", hash).unwrap());
    }

    #[test]
    fn names_are_validated() {
        assert!(valid_repository("kubelab/private-app"));
        assert!(valid_repository("a.b_c/d-e/f0"));
        for bad in [
            "",
            "Kubelab/app",
            "a//b",
            "a/",
            "-a",
            "a b",
            "a;rm",
            "a$b",
            "a'b",
        ] {
            assert!(!valid_repository(bad), "{bad}");
        }
        assert!(valid_tag("1.0") && valid_tag("_x-Y.9"));
        for bad in ["", ".1", "-1", "a b", "a/b", "a'b", &"x".repeat(129)] {
            assert!(!valid_tag(bad), "{bad}");
        }
        let mut s = spec();
        s.users[0].0 = "a:b".into();
        assert!(validate(&s).is_err());
        let mut s = spec();
        s.users[0].1 = String::new();
        assert!(validate(&s).is_err());
        let mut s = spec();
        s.users.push(("kubelab".into(), "other".into()));
        assert!(validate(&s).is_err(), "a user given twice");
        let mut s = spec();
        s.images.push(("Bad".into(), "1".into()));
        assert!(validate(&s).is_err());
        let mut s = spec();
        s.images.clear();
        assert!(validate(&s).is_err());
        assert!(validate(&spec()).is_ok());
    }

    #[test]
    fn pod_runs_the_registry_binary_on_the_mounted_config() {
        let pod = pod_manifest(&spec());
        let c = &pod["spec"]["containers"][1];
        assert_eq!(
            c["command"],
            json!(["registry", "serve", "/etc/kubelab-registry/config.yml"])
        );
        assert!(c["ports"][0].get("hostPort").is_none());
        let script = pod["spec"]["containers"][0]["command"][2].as_str().unwrap();
        assert!(script.contains("\nname kubelab/private-app 1.0\n"));
        assert!(script.contains("P=\"$R/repositories/$1\""));
        assert!(script.contains("_manifests/tags/$2/current"));
        assert!(!script.contains('@'), "placeholders left: {script}");
        assert!(config_yml().contains("path: /etc/kubelab-registry/htpasswd"));
    }

    #[test]
    fn several_users_and_images() {
        let users = vec![
            ("student".to_string(), "pw-one".to_string()),
            ("ci-bot".to_string(), "pw-two".to_string()),
        ];
        let file = htpasswd_file(&users).unwrap();
        let lines: Vec<&str> = file.lines().collect();
        assert_eq!(lines.len(), 2, "{file}");
        for ((user, password), line) in users.iter().zip(&lines) {
            let (name, hash) = line.split_once(':').unwrap();
            assert_eq!(name, user);
            assert!(bcrypt::verify(password, hash).unwrap());
        }
        let images = [
            ("kubelab/billing-app".to_string(), "2.3".to_string()),
            ("kubelab/reports".to_string(), "5.1".to_string()),
        ];
        let script = seed_script(&images);
        assert!(script.contains("\nname kubelab/billing-app 2.3\nname kubelab/reports 5.1\n"));
        assert!(!script.contains('@'), "placeholders left: {script}");
        // One set of blobs, then each name's links.
        assert_eq!(script.matches("put \"$W/manifest.json\"").count(), 1);
    }
}
