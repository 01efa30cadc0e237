//! Every fact of `check::image_facts` against the test cluster's images: the images are
//! the truth, a fact that disagrees fails. Needs the test cluster (fails loudly without
//! it) and root on its node: the default user is read from the container's process on
//! the host (`/proc/<pid>/status` of the task containerd reports), which needs no shell
//! or `id` in the image.
//!
//! For each known image: a pod with neither `command` nor `args` (does it keep running,
//! or exit at once?); its entrypoint and command from the image config the registry
//! serves; its user from the running process (a second pod with `args: [sleep, 3600]`
//! when the default command exits); `exec sh -c 'exit 0'` (shell or none); and the
//! manifest digest the registry serves it by, when the facts name one.

mod common;

use common::{kubectl, require_cluster};
use kubelab::check::image_facts::{ImageFacts, known};
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

const CONTAINERD: &str = "/run/kubelab-testbed/containerd/containerd.sock";
const MIRROR: &str = "127.0.0.1:5000";

/// The reference a pod names the image by, the registry that serves it (host, repository
/// path there, tag) and its credentials.
fn served(registry: &str, repository: &str, tag: &str) -> (String, String, String) {
    match registry {
        "docker.io" => (
            format!("docker.io/{repository}:{tag}"),
            MIRROR.into(),
            repository.into(),
        ),
        "registry.k8s.io" => (
            format!("registry.k8s.io/{repository}:{tag}"),
            MIRROR.into(),
            repository.into(),
        ),
        other => (
            format!("{other}/{repository}:{tag}"),
            other.into(),
            repository.into(),
        ),
    }
}

fn registry_env() -> (String, String) {
    let text = std::fs::read_to_string("/var/lib/kubelab-testbed/registry.env")
        .expect("the test cluster's registry.env");
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap()
            .to_string()
    };
    (get("USERNAME"), get("PASSWORD"))
}

fn curl(args: &[&str]) -> String {
    let out = Command::new("curl")
        .args(["-sf", "--max-time", "20"])
        .args(args)
        .output()
        .expect("curl");
    assert!(out.status.success(), "curl {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The image's executable files but shared libraries (`*.so`, `*.so.*`), as absolute
/// paths, sorted: read from its layers as the registry serves them (gzip or plain tar).
/// A file a later layer deletes (`.wh.` whiteouts) is not in the image; none of the
/// images with listed programs has one, which this asserts.
fn programs(host: &str, repository: &str, tag: &str, auth: &[&str]) -> Vec<String> {
    let url = format!("http://{host}/v2/{repository}/manifests/{tag}");
    let mut args: Vec<&str> = auth.to_vec();
    args.extend([
        "-H",
        "Accept: application/vnd.oci.image.manifest.v1+json",
        "-H",
        "Accept: application/vnd.docker.distribution.manifest.v2+json",
        url.as_str(),
    ]);
    let manifest: Value = serde_json::from_str(&curl(&args)).unwrap();
    let mut found = Vec::new();
    for layer in manifest["layers"].as_array().unwrap() {
        let blob = format!(
            "http://{host}/v2/{repository}/blobs/{}",
            layer["digest"].as_str().unwrap()
        );
        let mut args: Vec<&str> = auth.to_vec();
        args.extend(["-L", blob.as_str()]);
        let out = std::process::Command::new("curl")
            .args(["-sf", "--max-time", "60"])
            .args(&args)
            .output()
            .expect("curl");
        assert!(out.status.success(), "curl {blob} failed");
        let bytes = out.stdout;
        let reader: Box<dyn std::io::Read> = if bytes.starts_with(&[0x1f, 0x8b]) {
            Box::new(flate2::read::GzDecoder::new(std::io::Cursor::new(bytes)))
        } else {
            Box::new(std::io::Cursor::new(bytes))
        };
        let mut archive = tar::Archive::new(reader);
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let path = format!("/{}", path.trim_start_matches("./").trim_start_matches('/'));
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            assert!(
                !name.starts_with(".wh."),
                "{repository}:{tag} has a whiteout: {path}"
            );
            let header = entry.header();
            let executable = header.entry_type().is_file()
                && header.mode().unwrap() & 0o111 != 0
                && !name.ends_with(".so")
                && !name.contains(".so.");
            if executable {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// (manifest digest, image config) as the registry serves them.
fn image_config(host: &str, repository: &str, tag: &str, auth: &[&str]) -> (String, Value) {
    let accept = [
        "-H",
        "Accept: application/vnd.oci.image.manifest.v1+json",
        "-H",
        "Accept: application/vnd.docker.distribution.manifest.v2+json",
    ];
    let url = format!("http://{host}/v2/{repository}/manifests/{tag}");
    let mut args: Vec<&str> = auth.to_vec();
    args.extend(accept);
    args.extend(["-D", "-", url.as_str()]);
    let response = curl(&args);
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let digest = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("docker-content-digest:")
                .map(|d| d.trim().to_string())
        })
        .unwrap();
    let manifest: Value = serde_json::from_str(body).unwrap();
    let config_digest = manifest["config"]["digest"].as_str().unwrap();
    let blob = format!("http://{host}/v2/{repository}/blobs/{config_digest}");
    let mut args: Vec<&str> = auth.to_vec();
    args.push(blob.as_str());
    let config: Value = serde_json::from_str(&curl(&args)).unwrap();
    (digest, config["config"].clone())
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn pod_json(ns: &str, name: &str) -> Value {
    serde_json::from_str(&kubectl(&["-n", ns, "get", "pod", name, "-o", "json"])).unwrap()
}

fn create_pod(ns: &str, name: &str, image: &str, args: Option<&[&str]>, secret: bool) {
    let mut spec = serde_json::json!({
        "containers": [{"name": "c", "image": image}],
    });
    if let Some(args) = args {
        spec["containers"][0]["args"] = serde_json::json!(args);
    }
    if secret {
        spec["imagePullSecrets"] = serde_json::json!([{"name": "pull"}]);
    }
    let pod = serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns}, "spec": spec});
    let file = std::env::temp_dir().join(format!("{ns}-{name}.json"));
    std::fs::write(&file, pod.to_string()).unwrap();
    kubectl(&["apply", "-f", file.to_str().unwrap()]);
}

/// Waits until the pod's container runs or has exited at least once; returns its status.
fn settle(ns: &str, name: &str) -> Value {
    let start = Instant::now();
    loop {
        let pod = pod_json(ns, name);
        let status = pod["status"]["containerStatuses"][0].clone();
        let running = status["state"]["running"].is_object();
        let exited = status["restartCount"].as_i64().unwrap_or(0) > 0
            || status["state"]["terminated"].is_object();
        if exited || (running && start.elapsed() > Duration::from_secs(6)) {
            return status;
        }
        if let Some(reason) = status["state"]["waiting"]["reason"].as_str() {
            assert!(
                !reason.contains("ImagePull") && !reason.contains("Error"),
                "{ns}/{name}: {reason}: {}",
                status["state"]["waiting"]["message"]
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "{ns}/{name} never started: {pod}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// (uid, gid) of the container's process, from the host.
fn process_user(status: &Value) -> (i64, i64) {
    let id = status["containerID"]
        .as_str()
        .unwrap()
        .trim_start_matches("containerd://")
        .to_string();
    let out = Command::new("ctr")
        .args(["--address", CONTAINERD, "-n", "k8s.io", "tasks", "ls"])
        .output()
        .expect("ctr (root on the test cluster's node)");
    let tasks = String::from_utf8_lossy(&out.stdout);
    let pid = tasks
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.first() == Some(&id.as_str())).then(|| f[1].to_string())
        })
        .unwrap_or_else(|| panic!("no containerd task {id}: {tasks}"));
    let proc_status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let first = |key: &str| -> i64 {
        proc_status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (first("Uid:"), first("Gid:"))
}

/// Whether `sh` starts in the container (`exec sh -c 'exit 0'`).
fn has_shell(ns: &str, pod: &str) -> bool {
    let out = Command::new("timeout")
        .args(["30", "kubectl", "--kubeconfig"])
        .arg(common::admin_kubeconfig())
        .args(["-n", ns, "exec", pod, "--", "sh", "-c", "exit 0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return true;
    }
    assert!(
        stderr.contains("executable file not found") || stderr.contains("no such file"),
        "exec sh in {pod} failed for another reason: {stderr}"
    );
    false
}

#[test]
fn every_known_image_fact_holds_on_the_test_cluster() {
    require_cluster();
    let ns = format!("kubelab-image-facts-{}", std::process::id());
    kubectl(&["create", "namespace", &ns]);
    let (user, password) = registry_env();
    kubectl(&[
        "-n",
        &ns,
        "create",
        "secret",
        "docker-registry",
        "pull",
        "--docker-server=127.0.0.1:5001",
        &format!("--docker-username={user}"),
        &format!("--docker-password={password}"),
    ]);
    let credentials = format!("{user}:{password}");
    let mut problems = Vec::new();
    let mut checked = 0;
    for (i, (registry, repository, tag, facts)) in known().iter().enumerate() {
        // The private-registry lab's image exists only in a lab run's own registry; its
        // facts are the seed script's (checked below).
        if *registry == "*" {
            continue;
        }
        let facts: &ImageFacts = facts;
        let (image, host, path) = served(registry, repository, tag);
        let private = host != MIRROR;
        let auth: Vec<&str> = if private {
            vec!["-u", credentials.as_str()]
        } else {
            vec![]
        };
        let (digest, config) = image_config(&host, &path, tag, &auth);
        let mut differ = |what: &str, fact: String, truth: String| {
            if fact != truth {
                problems.push(format!(
                    "{image}: {what}: facts say {fact}, the image {truth}"
                ));
            }
        };
        differ(
            "entrypoint",
            format!("{:?}", facts.entrypoint),
            format!("{:?}", strings(&config["Entrypoint"])),
        );
        differ(
            "cmd",
            format!("{:?}", facts.cmd),
            format!("{:?}", strings(&config["Cmd"])),
        );
        if let Some(known) = facts.digest {
            differ("digest", known.to_string(), digest.clone());
        }
        if let Some(listed) = facts.programs {
            let mut listed: Vec<String> = listed.iter().map(|p| p.to_string()).collect();
            listed.sort();
            differ(
                "programs",
                format!("{listed:?}"),
                format!("{:?}", programs(&host, &path, tag, &auth)),
            );
        }
        let name = format!("default-{i}");
        create_pod(&ns, &name, &image, None, private);
        let status = settle(&ns, &name);
        let keeps_running =
            status["restartCount"].as_i64() == Some(0) && status["state"]["running"].is_object();
        differ(
            "keeps running",
            facts.keeps_running.to_string(),
            keeps_running.to_string(),
        );
        let probe = if keeps_running {
            (name.clone(), status)
        } else {
            let sleeper = format!("sleeper-{i}");
            create_pod(&ns, &sleeper, &image, Some(&["sleep", "3600"]), private);
            let status = settle(&ns, &sleeper);
            (sleeper, status)
        };
        let (uid, gid) = process_user(&probe.1);
        differ("uid", facts.uid.to_string(), uid.to_string());
        differ("gid", facts.gid.to_string(), gid.to_string());
        differ(
            "shell",
            facts.shell.to_string(),
            has_shell(&ns, &probe.0).to_string(),
        );
        checked += 1;
    }
    // The lab registry's image: what kubelab's seed script writes into its config.
    let seeded = known().iter().find(|k| k.0 == "*").unwrap().3;
    let script =
        kubelab::cluster::registry::seed_script(&[("kubelab/private-app".into(), "1.0".into())]);
    assert!(
        script.contains(&format!(
            "\"Cmd\":{}",
            serde_json::to_string(seeded.cmd).unwrap()
        )),
        "{script}"
    );
    assert!(
        !script.contains("\"User\""),
        "the seeded image sets no User: root"
    );
    kubectl(&["delete", "namespace", &ns, "--wait=false"]);
    assert!(checked >= 8, "only {checked} images checked");
    assert!(
        problems.is_empty(),
        "facts that disagree with the images:\n{}",
        problems.join("\n")
    );
}
