//! One kubeconfig context per exam task, as in the real exam, where every task starts
//! with `kubectl config use-context …`.
//!
//! `kubelab exam start` writes a kubeconfig of its own (never the user's): the cluster
//! and the user of the context the exam was started with, and one context per task,
//! `task-1`, `task-2`, …, whose namespace is the task's. The file is
//! `$KUBELAB_DATA_DIR/exams/<exam id>.kubeconfig` (else under `$XDG_DATA_HOME/kubelab`
//! or `~/.local/share/kubelab`, as the exam history: [`super::history::data_dir`]), mode
//! 0600 as kubectl writes one, and `exam end` deletes it. The shapes are kubectl's
//! (`clusters`, `users`, `contexts`, `current-context`: client-go's
//! `tools/clientcmd/api/v1` types, here kube-rs's [`Kubeconfig`]).

use super::Exam;
use kube::config::{Context, Kubeconfig, NamedContext};
use std::path::{Path, PathBuf};

/// The context of task `number` (1, 2, …).
pub fn name(number: usize) -> String {
    format!("task-{number}")
}

/// Where the kubeconfig of exam `id` is written; `None` without a data directory.
pub fn path(id: &str) -> Option<PathBuf> {
    Some(
        super::history::data_dir()?
            .join("exams")
            .join(format!("{id}.kubeconfig")),
    )
}

/// The exam's kubeconfig, from `source` (the kubeconfig the exam was started with) and
/// its context `context` (`None`: its `current-context`). `None` when the context, its
/// cluster or its user is not in `source` (an in-cluster run has no kubeconfig at all).
pub fn build(source: &Kubeconfig, context: Option<&str>, exam: &Exam) -> Option<Kubeconfig> {
    let current = context.or(source.current_context.as_deref())?;
    let base = source
        .contexts
        .iter()
        .find(|c| c.name == current)?
        .context
        .clone()?;
    let cluster = source
        .clusters
        .iter()
        .find(|c| c.name == base.cluster)?
        .clone();
    let users: Vec<_> = match &base.user {
        Some(user) => vec![source.auth_infos.iter().find(|u| &u.name == user)?.clone()],
        None => Vec::new(),
    };
    let contexts = exam
        .tasks
        .iter()
        .map(|task| NamedContext {
            name: name(task.number),
            context: Some(Context {
                namespace: task.namespace.clone(),
                ..base.clone()
            }),
            other: Default::default(),
        })
        .collect();
    Some(Kubeconfig {
        clusters: vec![cluster],
        auth_infos: users,
        contexts,
        current_context: Some(name(1)),
        api_version: Some("v1".into()),
        kind: Some("Config".into()),
        ..Kubeconfig::default()
    })
}

/// Writes `config` to `path` (its folder created), readable by its owner only.
pub fn write(path: &Path, config: &Kubeconfig) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let text = serde_saphyr::to_string(config).map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// Deletes the kubeconfig of exam `id` (nothing when there is none).
pub fn remove(id: &str) {
    if let Some(path) = path(id) {
        let _ = std::fs::remove_file(path);
    }
}
