//! Shared by the tests: copying folders (`fs`), archives (`archive`), and for the live
//! tests the test cluster's admin kubeconfig, kubectl for test setup, and a kubeconfig
//! bound to deploy/rbac.yaml (what kubelab runs with).
#![allow(dead_code)]

pub mod archive;
pub mod fs;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn admin_kubeconfig() -> PathBuf {
    std::env::var_os("KUBELAB_ADMIN_KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/kubelab-testbed/admin.kubeconfig"))
}

/// The test cluster's NetworkPolicy enforcer, `kube-router` or `cilium`: what
/// `tests/cluster/up` wrote into `cni-enforcer` beside the admin kubeconfig (absent:
/// kube-router, the default). Panics when the file holds anything else.
#[allow(dead_code)]
pub fn testbed_enforcer() -> String {
    let file = admin_kubeconfig().with_file_name("cni-enforcer");
    let name = std::fs::read_to_string(&file)
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "kube-router".to_string());
    assert!(
        name == "kube-router" || name == "cilium",
        "{}: unknown enforcer {name:?}",
        file.display()
    );
    name
}

/// Runs kubectl with the admin kubeconfig; panics with its output on failure.
pub fn kubectl(args: &[&str]) -> String {
    let output = Command::new("timeout")
        .arg("60")
        .arg("kubectl")
        .arg("--kubeconfig")
        .arg(admin_kubeconfig())
        .args(args)
        .output()
        .expect("running kubectl (is it on PATH?)");
    assert!(
        output.status.success(),
        "kubectl {} failed: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Panics loudly when the test cluster's API server does not answer `/readyz` with the
/// admin kubeconfig.
pub fn require_cluster() {
    let admin = admin_kubeconfig();
    let ready = Command::new("timeout")
        .args(["20", "kubectl", "--kubeconfig"])
        .arg(&admin)
        .args(["get", "--raw", "/readyz"])
        .output()
        .expect("running kubectl (is it on PATH?)");
    if !ready.status.success() {
        panic!(
            "\n\nTHE LIVE TEST CLUSTER IS NOT REACHABLE with {}: {}\n\
             These tests need it; bring it up with `tests/cluster/up` \
             (or point KUBELAB_ADMIN_KUBECONFIG at an admin kubeconfig).\n",
            admin.display(),
            String::from_utf8_lossy(&ready.stderr).trim()
        );
    }
}

/// A kubeconfig for the `kubelab` ServiceAccount of deploy/rbac.yaml (and the opt-in
/// deploy/rbac-admission-labs.yaml): applies the files
/// with the admin kubeconfig, mints a token and writes the kubeconfig (once per run).
/// Panics loudly when the test cluster is not reachable.
pub fn rbac_kubeconfig() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        require_cluster();
        let rbac = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/rbac.yaml");
        kubectl(&["apply", "-f", rbac.to_str().unwrap()]);
        // The test cluster runs every lab, the admission-policy labs included (opt-in).
        let labs = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/rbac-admission-labs.yaml");
        kubectl(&["apply", "-f", labs.to_str().unwrap()]);
        let token = kubectl(&[
            "create",
            "token",
            "kubelab",
            "-n",
            "kubelab-system",
            "--duration",
            "2h",
        ]);
        let server = kubectl(&[
            "config",
            "view",
            "--raw",
            "--minify",
            "-o",
            "jsonpath={.clusters[0].cluster.server}",
        ]);
        let ca = kubectl(&[
            "config",
            "view",
            "--raw",
            "--minify",
            "--flatten",
            "-o",
            "jsonpath={.clusters[0].cluster.certificate-authority-data}",
        ]);
        assert!(!ca.is_empty(), "the admin kubeconfig has no CA data");
        let dir = tempfile::Builder::new()
            .prefix("kubelab-rbac-")
            .tempdir()
            .expect("a temporary directory")
            .keep();
        let path = dir.join("kubeconfig");
        let config = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority-data: {ca}\n\
             users:\n- name: kubelab\n  user:\n    token: {}\n\
             contexts:\n- name: kubelab\n  context:\n    cluster: test\n    user: kubelab\n\
             current-context: kubelab\n",
            token.trim()
        );
        std::fs::write(&path, config).expect("writing the kubeconfig");
        path
    })
    .clone()
}

/// How long a kubelab namespace may take to disappear after its run (its pods without
/// grace, then the namespace controller's finalizer).
pub const GONE_WITHIN: std::time::Duration = std::time::Duration::from_secs(120);

/// Waits until none of `namespaces` exists (asked with the admin kubeconfig), at most
/// [`GONE_WITHIN`]; panics naming the ones left.
pub fn wait_gone(namespaces: &[String]) {
    let deadline = std::time::Instant::now() + GONE_WITHIN;
    loop {
        let left: Vec<&String> = namespaces
            .iter()
            .filter(|namespace| {
                !kubectl(&[
                    "get",
                    "namespace",
                    namespace,
                    "--ignore-not-found",
                    "-o",
                    "name",
                ])
                .trim()
                .is_empty()
            })
            .collect();
        if left.is_empty() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "outlived their run by {} s: {left:?}",
            GONE_WITHIN.as_secs()
        );
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}
