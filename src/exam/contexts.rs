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
//!
//! On request (`exam start --merge-kubeconfig`) the task contexts go into the user's
//! own kubeconfig instead ([`merge`]), as the real exam's terminal has them: each one
//! carries an extension [`EXTENSION`] naming the exam and the context that was current
//! before, `<exam id>.merged` in the same folder names the file, and `exam end` takes
//! them out again ([`remove`]), restoring `current-context` when it pointed at one.
//! Fields kube-rs does not model are kept (its types keep them for round trips).

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

/// Deletes the kubeconfig of exam `id` (nothing when there is none), and takes its
/// contexts out of the user's kubeconfig they were merged into, if they were.
pub fn remove(id: &str) {
    if let Some(target) = merged_into(id) {
        let _ = unmerge(&target, id);
    }
    if let Some(path) = path(id) {
        let _ = std::fs::remove_file(path.with_extension("merged"));
        let _ = std::fs::remove_file(path);
    }
}

/// The name of the extension that marks a context kubelab merged: `{"exam": <id>,
/// "previous": <the current-context before, or null>}`.
pub const EXTENSION: &str = "kubelab.dev/exam";

/// The user's kubeconfig that exam `id`'s contexts were merged into, if they were.
pub fn merged_into(id: &str) -> Option<PathBuf> {
    let marker = path(id)?.with_extension("merged");
    let text = std::fs::read_to_string(marker).ok()?;
    Some(PathBuf::from(text.trim_end_matches('\n')))
}

/// Merges the contexts of `exam` (as [`build`] makes them from `source`'s `context`)
/// into the kubeconfig file `target` and records where. Contexts an earlier exam merged
/// are replaced. `current-context` is left as it is: the sheet's `kubectl config
/// use-context task-1` changes it.
///
/// Errors (said in English, with the file): `target` cannot be read or written, the
/// context or its cluster or user is not in `source`, or `target` has a context of a
/// task's name that kubelab did not write (never overwritten).
pub fn merge(
    target: &Path,
    source: &Kubeconfig,
    context: Option<&str>,
    exam: &Exam,
) -> Result<(), String> {
    let at = |e: &dyn std::fmt::Display| format!("{}: {e}", target.display());
    let built = build(source, context, exam)
        .ok_or_else(|| at(&"the kubeconfig has no such context, cluster or user"))?;
    let mut config = Kubeconfig::read_from(target).map_err(|e| at(&e))?;
    config.contexts.retain(|c| exam_of(c).is_none());
    if let Some(taken) = built
        .contexts
        .iter()
        .find(|c| config.contexts.iter().any(|mine| mine.name == c.name))
    {
        return Err(at(&format!(
            "it already has a context `{}` of its own",
            taken.name
        )));
    }
    let previous = config.current_context.clone();
    for mut named in built.contexts {
        if let Some(context) = named.context.as_mut() {
            context.extensions = Some(vec![kube::config::NamedExtension {
                name: EXTENSION.to_string(),
                extension: serde_json::json!({"exam": exam.id, "previous": previous}),
            }]);
        }
        config.contexts.push(named);
    }
    for cluster in built.clusters {
        if !config.clusters.iter().any(|c| c.name == cluster.name) {
            config.clusters.push(cluster);
        }
    }
    for user in built.auth_infos {
        if !config.auth_infos.iter().any(|u| u.name == user.name) {
            config.auth_infos.push(user);
        }
    }
    replace(target, &config).map_err(|e| at(&e))?;
    let marker = path(&exam.id)
        .ok_or_else(|| at(&"no data directory (set KUBELAB_DATA_DIR)"))?
        .with_extension("merged");
    if let Some(dir) = marker.parent() {
        std::fs::create_dir_all(dir).map_err(|e| at(&e))?;
    }
    std::fs::write(&marker, target.display().to_string()).map_err(|e| at(&e))
}

/// The exam a context was merged for, from its [`EXTENSION`].
fn exam_of(named: &kube::config::NamedContext) -> Option<(String, Option<String>)> {
    let extension = named
        .context
        .as_ref()?
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.name == EXTENSION)?;
    Some((
        extension.extension["exam"].as_str()?.to_string(),
        extension.extension["previous"].as_str().map(str::to_string),
    ))
}

/// Takes exam `id`'s contexts out of `target`; when `current-context` is one of them,
/// it becomes the context that was current before the merge. Returns whether anything
/// was taken out.
pub fn unmerge(target: &Path, id: &str) -> Result<bool, String> {
    let at = |e: &dyn std::fmt::Display| format!("{}: {e}", target.display());
    let mut config = Kubeconfig::read_from(target).map_err(|e| at(&e))?;
    let ours: Vec<(String, Option<String>)> = config
        .contexts
        .iter()
        .filter_map(|c| {
            exam_of(c)
                .filter(|(exam, _)| exam == id)
                .map(|(_, p)| (c.name.clone(), p))
        })
        .collect();
    if ours.is_empty() {
        return Ok(false);
    }
    config
        .contexts
        .retain(|c| !ours.iter().any(|(name, _)| *name == c.name));
    if let Some(current) = &config.current_context
        && let Some((_, previous)) = ours.iter().find(|(name, _)| name == current)
    {
        config.current_context = previous.clone();
    }
    replace(target, &config).map_err(|e| at(&e))?;
    Ok(true)
}

/// Writes `config` over `target` through a file beside it (renamed into place, so a
/// reader never sees half a kubeconfig), keeping `target`'s permissions.
fn replace(target: &Path, config: &Kubeconfig) -> std::io::Result<()> {
    let text = serde_saphyr::to_string(config).map_err(std::io::Error::other)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(target) {
        file.as_file().set_permissions(meta.permissions())?;
    }
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}
