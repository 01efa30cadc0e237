//! A class run: every learner of a folder graded in one run, exactly as `kubelab grade`
//! grades one of them. The runner emits one stream of [`Event`]s; the progress bar and
//! every report (table, CSV, JSON, JUnit, HTML) consume it (the runner/reporter split of
//! cargo-nextest). One learner's unreadable files, refused objects or failed scenario
//! are that learner's row; the others are graded.

pub mod archive;
pub mod copies;
pub mod gradebook;
pub mod html;
pub mod report;
pub mod roster;

use crate::cluster::Sandbox;
use crate::cluster::janitor::Janitor;
use crate::grade::live::{self, LiveOptions, Quiet};
use crate::grade::{Grader, LabResult};
use crate::i18n::Message;
use crate::lab::{Lab, Lang};
use crate::manifest::{self, Location, Submission};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One learner: the folder's (or archive's) name is the id.
#[derive(Clone, Debug, Default)]
pub struct Learner {
    pub id: String,
    /// The folder graded: the learner's own, or where their archive was unpacked.
    pub path: PathBuf,
    /// Why the learner's submission cannot be read at all (a refused archive, two
    /// submissions under one id): their row is an `input` error with this message.
    pub problem: Option<Message>,
    /// The temporary folder of an unpacked archive, deleted with the last handle.
    pub unpacked: Option<std::sync::Arc<tempfile::TempDir>>,
    /// The archive as the instructor named it (`week3/han.zip`), when the learner handed
    /// one in: the files in it are shown as `week3/han.zip:net/policy.yaml`, never by
    /// the temporary folder they were unpacked to.
    pub archive: Option<String>,
    /// The seed of the lab's variant this learner is graded against (`kubelab class
    /// --variant-per-learner`: the learner's id); `None`: the seed material's exercise.
    pub variant: Option<String>,
    /// A roster's student who handed nothing in (`kubelab class --roster`): their row
    /// says "no submission".
    pub absent: bool,
}

impl Learner {
    /// The lab this learner is graded against: `lab` itself, or their variant of it
    /// (loaded once, here). A variant that does not load is the learner's `environment`
    /// row (a lab bug, not the learner's), never a panic.
    fn lab<'l>(&self, lab: &'l Lab, lang: Lang) -> Result<Cow<'l, Lab>, Outcome> {
        match &self.variant {
            None => Ok(Cow::Borrowed(lab)),
            Some(seed) if lab.variant.as_deref() == Some(seed) => Ok(Cow::Borrowed(lab)),
            Some(seed) => lab
                .variant(Some(seed))
                .map(Cow::Owned)
                .map_err(|e| Outcome::Failed {
                    errors: Vec::new(),
                    kind: "environment",
                    location: None,
                    message: crate::msg!(
                        "class-variant-unloadable",
                        learner = &self.id,
                        variant = seed,
                        reason = e.to_string()
                    )
                    .render(lang),
                }),
        }
    }

    /// The learner's submission, or their row's error.
    fn load(&self, lang: Lang) -> Result<manifest::Submission, Outcome> {
        if self.absent {
            return Err(Outcome::Failed {
                errors: Vec::new(),
                kind: "absent",
                message: crate::msg!("class-no-submission").render(lang),
                location: None,
            });
        }
        if let Some(problem) = &self.problem {
            return Err(Outcome::Failed {
                errors: Vec::new(),
                kind: "input",
                message: problem.render(lang),
                location: None,
            });
        }
        let loaded = manifest::load_paths(std::slice::from_ref(&self.path));
        let rename = |text: &str| match &self.archive {
            Some(archive) => {
                let folder = format!("{}/", shown(&self.path));
                text.replace(&folder, &format!("{archive}:"))
            }
            None => text.to_string(),
        };
        match loaded {
            Ok(submission) if self.archive.is_some() => Ok(renamed(submission, &rename)),
            Ok(submission) => Ok(submission),
            Err(e) => Err(Outcome::Failed {
                kind: "input",
                errors: crate::report::failure::InputReport::new(&e, lang)
                    .entries()
                    .into_iter()
                    .map(|mut entry| {
                        entry.message = rename(&entry.message);
                        entry.file = entry.file.as_deref().map(rename);
                        entry
                    })
                    .collect(),
                location: e.location().map(|mut at| {
                    at.file = rename(&at.file);
                    at
                }),
                message: rename(
                    &e.iter()
                        .map(|e| e.message().render(lang))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }),
        }
    }
}

/// A path as the manifest loader shows it (no leading `./`, control characters escaped).
fn shown(path: &Path) -> String {
    let name = path.strip_prefix(".").unwrap_or(path).display().to_string();
    crate::text::escape_control(&name).into_owned()
}

/// `submission` with every file's shown name (and the notes naming them) passed through
/// `rename`.
fn renamed(submission: Submission, rename: &dyn Fn(&str) -> String) -> Submission {
    let mut files: Vec<(Arc<manifest::SourceFile>, Arc<manifest::SourceFile>)> = Vec::new();
    let mut new_file = |old: &Arc<manifest::SourceFile>| {
        if let Some((_, new)) = files.iter().find(|(o, _)| Arc::ptr_eq(o, old)) {
            return new.clone();
        }
        let new = Arc::new(manifest::SourceFile {
            display: rename(&old.display),
            text: old.text.clone(),
        });
        files.push((old.clone(), new.clone()));
        new
    };
    let objects = submission
        .objects
        .into_iter()
        .map(|mut object| {
            object.source = new_file(&object.source);
            object
        })
        .collect();
    let files_list = submission.files.iter().map(&mut new_file).collect();
    Submission {
        files: files_list,
        objects,
        notes: submission
            .notes
            .into_iter()
            .map(|note| note.map_text(rename))
            .collect(),
    }
}

impl ClassError {
    /// The error in words, for [`Message::render`].
    pub fn message(&self) -> Message {
        match self {
            ClassError::Unreadable(dir, reason) => {
                crate::msg!("class-folder-unreadable", dir = dir, reason = reason)
            }
            ClassError::Empty(dir) => crate::msg!("class-folder-empty", dir = dir),
        }
    }

    /// What to do about it.
    pub fn help_message(&self) -> Message {
        match self {
            ClassError::Unreadable(..) => crate::msg!("class-folder-unreadable-help"),
            ClassError::Empty(_) => crate::msg!("class-folder-empty-help"),
        }
    }
}

/// Why a class folder cannot be used at all (a usage error of the run, exit 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ClassError {
    #[error("{0}: cannot be read as a class folder: {1}")]
    #[diagnostic(help("give a folder with one subfolder per learner"))]
    Unreadable(String, String),
    #[error("{0}: the class folder has no learner subfolder")]
    #[diagnostic(help("put each learner's manifests in a subfolder named after the learner"))]
    Empty(String),
}

/// Every entry of `dir`, sorted by id: one learner each ([`discover_except`] with
/// nothing set aside).
pub fn discover(dir: &Path) -> Result<Vec<Learner>, ClassError> {
    discover_except(dir, &[])
}

/// Every entry of `dir` but dotfiles, a `__MACOSX/` folder and the paths in `reports`
/// (the run's own reports, when they are written into the class folder), sorted by id:
/// one learner each, so that no learner vanishes from the reports.
///
/// - A folder is the learner's submission; a folder that holds exactly one archive and
///   nothing else (Moodle's "download all submissions":
///   `김하늘_1234567_assignsubmission_file_/week3.zip`) is that archive, under the
///   folder's id.
/// - An archive ([`archive::classify`]) is unpacked into a temporary folder; one that
///   cannot be unpacked safely, a `.rar` or a `.7z`, is that learner's error row.
/// - A symbolic link is followed when it leads inside the class folder, and is an error
///   row when it leads outside it (or nowhere).
/// - Any other file is an error row naming what kubelab reads.
///
/// Ids are in Unicode NFC (macOS writes names decomposed); an id given twice (`kim/` and
/// `kim.zip`) is both entries' error.
pub fn discover_except(dir: &Path, reports: &[PathBuf]) -> Result<Vec<Learner>, ClassError> {
    let shown = || dir.display().to_string();
    let entries =
        std::fs::read_dir(dir).map_err(|e| ClassError::Unreadable(shown(), e.to_string()))?;
    let root =
        std::fs::canonicalize(dir).map_err(|e| ClassError::Unreadable(shown(), e.to_string()))?;
    let reports: Vec<PathBuf> = reports
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut learners: Vec<Learner> = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__MACOSX" {
            continue;
        }
        let path = entry.path();
        if std::fs::canonicalize(&path).is_ok_and(|p| reports.contains(&p)) {
            continue;
        }
        learners.push(learner_of(&root, &name, &path));
    }
    learners.sort_by(|a, b| a.id.cmp(&b.id));
    for i in 1..learners.len() {
        if learners[i].id == learners[i - 1].id {
            let problem = crate::msg!("class-two-submissions", learner = &learners[i].id);
            learners[i - 1].problem = Some(problem.clone());
            learners[i].problem = Some(problem);
        }
    }
    learners.dedup_by(|a, b| a.id == b.id);
    if learners.is_empty() {
        return Err(ClassError::Empty(shown()));
    }
    Ok(learners)
}

/// A learner id in NFC, as gradebooks write names.
pub fn nfc(id: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    id.nfc().collect()
}

/// The learner of the class folder's entry `name` (at `path`; `root` is the class
/// folder, canonical).
fn learner_of(root: &Path, name: &str, path: &Path) -> Learner {
    // An error row's id: the archive's id when the name is an archive's (`kim.zip`:
    // `kim`), else the name.
    let problem = |id: &str, problem: crate::i18n::Message| Learner {
        id: nfc(archive::classify(id).map_or(id, |(id, _)| id)),
        path: path.to_path_buf(),
        problem: Some(problem),
        ..Learner::default()
    };
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return problem(name, crate::msg!("class-entry-unreadable", name = name));
    };
    // A link is followed only inside the class folder.
    let (meta, target_name) = if meta.file_type().is_symlink() {
        let target = match std::fs::canonicalize(path) {
            Ok(target) => target,
            Err(e) => {
                return problem(
                    name,
                    crate::msg!("class-link-broken", name = name, reason = e.to_string()),
                );
            }
        };
        if !target.starts_with(root) || target == root {
            return problem(
                name,
                crate::msg!(
                    "class-link-outside",
                    name = name,
                    target = target.display().to_string()
                ),
            );
        }
        let Ok(meta) = std::fs::metadata(&target) else {
            return problem(name, crate::msg!("class-entry-unreadable", name = name));
        };
        let target_name = target.file_name().map(|n| n.to_string_lossy().into_owned());
        (meta, target_name)
    } else {
        (meta, None)
    };
    if meta.is_dir() {
        if let Some(inner) = only_archive(path) {
            let inner_name = inner
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            return archive_learner(name, &inner_name, &inner);
        }
        return Learner {
            id: nfc(name),
            path: path.to_path_buf(),
            ..Learner::default()
        };
    }
    if meta.is_file() {
        let by_name = archive::classify(name).map(|(id, _)| (id, name));
        let by_target = target_name
            .as_deref()
            .and_then(|t| archive::classify(t).map(|_| (name, t)));
        if let Some((id, archive_name)) = by_name.or(by_target) {
            return archive_learner(id, archive_name, path);
        }
    }
    problem(
        name,
        crate::msg!("class-entry-not-a-submission", name = name),
    )
}

/// The one archive a learner folder holds when it holds nothing else (dotfiles and
/// `__MACOSX` aside).
fn only_archive(folder: &Path) -> Option<PathBuf> {
    let mut entries = std::fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && name != "__MACOSX"
        });
    let only = entries.next()?;
    if entries.next().is_some() || !only.file_type().ok()?.is_file() {
        return None;
    }
    archive::classify(&only.file_name().to_string_lossy())?;
    Some(only.path())
}

/// The learner `id` who handed in `archive_path` (named `archive_name`, which gives its
/// kind): unpacked, or an error row (a `.rar` or `.7z`: hand in a `.zip`).
fn archive_learner(id: &str, archive_name: &str, archive_path: &Path) -> Learner {
    match archive::classify(archive_name) {
        Some((_, kind)) if !kind.readable() => Learner {
            id: nfc(id),
            path: archive_path.to_path_buf(),
            archive: Some(shown(archive_path)),
            problem: Some(crate::msg!(
                "class-archive-problem",
                archive = archive_path.display().to_string(),
                problem = crate::msg!("class-archive-hand-in-zip")
            )),
            ..Learner::default()
        },
        _ => unpack_learner(&nfc(id), archive_path, archive_name),
    }
}

/// Unpacks `archive_path` (named `archive_name`: a link's target's name gives the kind
/// when the link's own does not) for learner `id`.
fn unpack_learner(id: &str, archive_path: &Path, archive_name: &str) -> Learner {
    let shown = archive_path.display();
    let mut learner = Learner {
        id: id.to_string(),
        path: archive_path.to_path_buf(),
        archive: Some(self::shown(archive_path)),
        ..Learner::default()
    };
    match tempfile::Builder::new()
        .prefix("kubelab-learner-")
        .tempdir()
    {
        Err(e) => {
            learner.problem = Some(crate::msg!(
                "class-archive-cannot-make-folder",
                archive = shown.to_string(),
                reason = e.to_string()
            ))
        }
        Ok(folder) => match archive::unpack_as(archive_path, archive_name, folder.path()) {
            Ok(()) => {
                learner.path = folder.path().to_path_buf();
                learner.unpacked = Some(std::sync::Arc::new(folder));
            }
            // The folder goes now; nothing half-unpacked is graded or left behind.
            Err(why) => {
                learner.problem = Some(crate::msg!(
                    "class-archive-problem",
                    archive = shown.to_string(),
                    problem = why
                ))
            }
        },
    }
    learner
}

/// What grading one learner gave.
#[derive(Clone, Debug)]
pub enum Outcome {
    Graded(Box<LabResult>),
    /// Nothing could be graded: unreadable input (`input`), an environment failure
    /// (`environment`) or no submission from a roster's student (`absent`), with where,
    /// when it is in a file.
    Failed {
        kind: &'static str,
        message: String,
        location: Option<Location>,
        /// Every input error, each with its help and the learner's lines (as `kubelab
        /// grade --output json` lists them); empty for any other failure.
        errors: Vec<crate::report::failure::ErrorEntry>,
    },
}

/// One learner's row.
#[derive(Clone, Debug)]
pub struct LearnerResult {
    pub learner: String,
    /// The seed of the variant the learner was graded against ([`Learner::variant`]).
    pub variant: Option<String>,
    pub outcome: Outcome,
    pub duration: Duration,
    /// The learner's input as loaded (`None` when it could not be read), for consumers
    /// that look at the files themselves (the HTML report's lines and connectivity
    /// matrix). A consumer that keeps rows drops it: a class's input can be large.
    pub submission: Option<Arc<Submission>>,
}

impl LearnerResult {
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, Outcome::Graded(r) if r.passed)
    }

    /// An environment error: the learner's verdict is not reliable.
    pub fn errored(&self) -> bool {
        match &self.outcome {
            Outcome::Graded(r) => r.count(crate::check::Verdict::Error) > 0,
            Outcome::Failed { kind, .. } => *kind == "environment",
        }
    }
}

/// The runner's events, in the order they happen (learners finish in any order).
#[derive(Clone, Debug)]
pub enum Event {
    Started {
        learners: usize,
        mode: crate::grade::Mode,
    },
    LearnerStarted {
        learner: String,
    },
    LearnerFinished(LearnerResult),
    Finished {
        duration: Duration,
    },
}

/// Grades one learner offline, as `kubelab grade LAB DIR --offline [--variant SEED]`
/// does: with `grader` (the class's lab), or against the learner's variant.
fn grade_offline(lab: &Lab, grader: &Grader<'_>, learner: &Learner, lang: Lang) -> LearnerResult {
    let start = Instant::now();
    let loaded = learner.load(lang).map(Arc::new);
    let outcome = match (&loaded, &learner.variant) {
        (Err(row), _) => row.clone(),
        (Ok(submission), None) => Outcome::Graded(Box::new(grader.grade(submission, lang))),
        (Ok(submission), Some(_)) => match learner.lab(lab, lang) {
            Ok(lab) => Outcome::Graded(Box::new(Grader::new(&lab).grade(submission, lang))),
            Err(row) => row,
        },
    };
    LearnerResult {
        learner: learner.id.clone(),
        variant: learner.variant.clone(),
        outcome,
        duration: start.elapsed(),
        submission: loaded.ok(),
    }
}

/// Grades every learner offline on `threads` threads (all cores by default), calling
/// `on_event` from those threads.
pub fn run_offline(
    lab: &Lab,
    learners: &[Learner],
    lang: Lang,
    threads: usize,
    on_event: &(dyn Fn(Event) + Sync),
) {
    let start = Instant::now();
    on_event(Event::Started {
        learners: learners.len(),
        mode: crate::grade::Mode::Offline,
    });
    let grader = Grader::new(lab);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1).min(learners.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(learner) = learners.get(i) else {
                        break;
                    };
                    on_event(Event::LearnerStarted {
                        learner: learner.id.clone(),
                    });
                    on_event(Event::LearnerFinished(grade_offline(
                        lab, &grader, learner, lang,
                    )));
                }
            });
        }
    });
    on_event(Event::Finished {
        duration: start.elapsed(),
    });
}

/// Grades every learner live, `jobs` at once, each in its own sandbox namespace (all
/// tracked by `janitor`, so that an interrupt deletes every one), each against their
/// variant ([`Learner::variant`]).
///
/// A lab with a private registry gets one registry for the class, in a namespace of its
/// own, holding every learner's variant's user and image. An htpasswd file has one
/// password per user, so learners whose variants share a user name with another
/// password are graded in later rounds ([`live::registry_rounds`]): the same registry
/// given the next round's users and images, each round `jobs` at once.
pub async fn run_live(
    client: &kube::Client,
    janitor: &Janitor,
    lab: &Lab,
    learners: &[Learner],
    lang: Lang,
    jobs: usize,
    on_event: &(dyn Fn(Event) + Sync),
) {
    use futures::StreamExt;
    let start = Instant::now();
    on_event(Event::Started {
        learners: learners.len(),
        mode: crate::grade::Mode::Live,
    });
    let base = LiveOptions::default();
    // Each learner's lab, loaded once.
    let labs: Vec<Result<Cow<'_, Lab>, Outcome>> =
        learners.iter().map(|l| l.lab(lab, lang)).collect();
    let has_registry = live::has_registry(lab);
    let rounds: Vec<Vec<usize>> = if has_registry {
        let loaded: Vec<(usize, &Lab)> = labs
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Some((i, l.as_ref().ok()?.as_ref())))
            .collect();
        let variants: Vec<&Lab> = loaded.iter().map(|(_, l)| *l).collect();
        let mut rounds: Vec<Vec<usize>> = live::registry_rounds(&variants)
            .into_iter()
            .map(|round| round.into_iter().map(|j| loaded[j].0).collect())
            .collect();
        // Learners whose variant did not load: their rows, with the first round.
        let failed = (0..learners.len()).filter(|i| labs[*i].is_err());
        match rounds.first_mut() {
            Some(first) => first.extend(failed),
            None => rounds.push(failed.collect()),
        }
        rounds
    } else {
        vec![(0..learners.len()).collect()]
    };
    // One private registry for the whole class, in a namespace of its own: the lab's
    // fixed NodePort fits one registry at a time, so one per learner would serialise
    // the class on it.
    let mut registry_sandbox: Option<Sandbox> = None;
    for round in rounds {
        let mut shared: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
        let mut registry_error = None;
        if has_registry {
            let members: Vec<(usize, &Lab)> = round
                .iter()
                .filter_map(|i| Some((*i, labs[*i].as_ref().ok()?.as_ref())))
                .collect();
            let variants: Vec<&Lab> = members.iter().map(|(_, l)| *l).collect();
            let provisioned = async {
                let sandbox = match &registry_sandbox {
                    Some(sandbox) => sandbox.clone(),
                    None => {
                        // The registry's NodePort, the one the quota admits.
                        let options = crate::cluster::sandbox::SandboxOptions {
                            node_ports: 1,
                            ..Default::default()
                        };
                        let sandbox =
                            Sandbox::create_with(client, &lab.id, &options, |s| janitor.track(s))
                                .await?;
                        registry_sandbox = Some(sandbox.clone());
                        sandbox
                    }
                };
                live::provision_shared_registry(&sandbox, &variants, &base).await
            };
            match provisioned.await {
                Ok(params) => shared = members.iter().map(|(i, _)| *i).zip(params).collect(),
                Err(e) => registry_error = Some(format!("the class's private registry: {e}")),
            }
        }
        let (labs, shared, registry_error, base) = (&labs, &shared, &registry_error, &base);
        futures::stream::iter(round)
            .map(|i| async move {
                let learner = &learners[i];
                on_event(Event::LearnerStarted {
                    learner: learner.id.clone(),
                });
                let start = Instant::now();
                let loaded = learner.load(lang).map(Arc::new);
                let options = LiveOptions {
                    shared_registry: shared.get(&i).cloned(),
                    ..base.clone()
                };
                let outcome = match (&loaded, &labs[i]) {
                    (Err(row), _) | (_, Err(row)) => row.clone(),
                    (Ok(_), _) if registry_error.is_some() => Outcome::Failed {
                        errors: Vec::new(),
                        kind: "environment",
                        location: None,
                        message: registry_error.clone().unwrap_or_default(),
                    },
                    (Ok(submission), Ok(lab)) => {
                        match live::grade(client, janitor, lab, submission, lang, &options, &Quiet)
                            .await
                        {
                            Ok(result) => Outcome::Graded(Box::new(result)),
                            Err(e) => Outcome::Failed {
                                errors: Vec::new(),
                                kind: "environment",
                                location: None,
                                message: e.to_string(),
                            },
                        }
                    }
                };
                on_event(Event::LearnerFinished(LearnerResult {
                    learner: learner.id.clone(),
                    variant: learner.variant.clone(),
                    outcome,
                    duration: start.elapsed(),
                    submission: loaded.ok(),
                }));
            })
            .buffer_unordered(jobs.max(1))
            .collect::<Vec<()>>()
            .await;
    }
    if let Some(sandbox) = &registry_sandbox {
        let _ = janitor.release(sandbox).await;
    }
    on_event(Event::Finished {
        duration: start.elapsed(),
    });
}
