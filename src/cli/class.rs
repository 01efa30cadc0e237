//! `kubelab class LAB DIR`: grade a whole class — every entry of DIR (a folder, or an
//! archive: `.zip`, `.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, `.tar.bz2`) is one learner,
//! graded exactly as `kubelab grade LAB <folder>` grades it — offline on all cores, or
//! live `--jobs` learners at once, with a progress bar on a terminal and any number of
//! reports from the one run.

use super::stdout::out;
use super::{Failure, find_lab, language, runtime, say_interrupted};
use crate::class::report::ClassReport;
use crate::class::{self, Event, html};
use crate::cluster::janitor::{Janitor, interrupted};
use crate::cluster::{ClusterError, ConnectOptions, connect};
use crate::lab::{Catalog, Lang};
use crate::msg;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Learners graded at once live by default. A learner's run mostly waits (pods
/// starting, a policy taking effect, probes), so more learners than cores overlap well:
/// on the 2-core test cluster, 30 learners take 122.6 s at 4 and 83.4 s at 8 (`cargo
/// bench --bench class_live`, `KUBELAB_BENCH_JOBS`); each namespace's ResourceQuota
/// bounds what one learner may ask of the cluster.
const LIVE_JOBS: usize = 8;

/// A report format of a class run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassFormat {
    Table,
    Json,
    Csv,
    Junit,
    /// One self-contained page: the class matrix, each learner's findings and lines,
    /// and the connectivity matrices.
    Html,
    /// Moodle's grade import (Grades → Import → CSV file); needs `--roster`.
    MoodleCsv,
    /// Canvas's gradebook import (its export's layout); needs `--roster`.
    CanvasCsv,
}

impl ClassFormat {
    /// The LMS import this format is, if it is one.
    fn lms(self) -> Option<class::gradebook::Lms> {
        match self {
            Self::MoodleCsv => Some(class::gradebook::Lms::Moodle),
            Self::CanvasCsv => Some(class::gradebook::Lms::Canvas),
            _ => None,
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Self::MoodleCsv => "moodle.csv",
            Self::CanvasCsv => "canvas.csv",
            Self::Table => "class.txt",
            Self::Json => "class.json",
            Self::Csv => "class.csv",
            Self::Junit => "class.junit.xml",
            Self::Html => "class.html",
        }
    }
}

/// `FORMAT` (to stdout) or `FORMAT:FILE`.
#[derive(Clone, Debug)]
pub struct OutputSpec {
    format: ClassFormat,
    file: Option<PathBuf>,
}

fn parse_output(text: &str) -> Result<OutputSpec, String> {
    use clap::ValueEnum;
    let (format, file) = match text.split_once(':') {
        Some((f, file)) if !file.is_empty() => (f, Some(PathBuf::from(file))),
        _ => (text, None),
    };
    let format = ClassFormat::from_str(format, true).map_err(|_| {
        format!(
            "`{format}`: the formats are table, json, csv, junit, html, moodle-csv and canvas-csv (FORMAT or FORMAT:FILE)"
        )
    })?;
    Ok(OutputSpec { format, file })
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
    /// The class folder: one subfolder or archive (.zip, .tar, .tar.gz, .tgz, .tar.xz,
    /// .tar.bz2) per learner, named by the learner's id; every other entry but dotfiles
    /// and `__MACOSX` is an error row.
    dir: PathBuf,
    /// Grade by simulation, without a cluster.
    #[arg(long, conflicts_with = "live")]
    offline: bool,
    /// Grade on the cluster; an unreachable cluster is an error (exit 3).
    #[arg(long)]
    live: bool,
    /// Learners graded at once: live, each in its own namespace (default 8); offline,
    /// threads (default: every core).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// A report: `table`, `json`, `csv`, `junit`, `html`, or an LMS's grade import,
    /// `moodle-csv` or `canvas-csv` (these need `--roster`), to stdout, or
    /// `FORMAT:FILE`; may be given several times (one run, several reports). Default:
    /// `table`.
    #[arg(long, value_parser = parse_output)]
    output: Vec<OutputSpec>,
    /// Write every report into this folder (class.txt, class.json, class.csv,
    /// class.junit.xml, class.html).
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    /// The language of the reports' text, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Grade each learner against their own variant of the lab, seeded by their learner
    /// id (the folder's or archive's name): what `kubelab show LAB --variant ID` gave
    /// them.
    #[arg(long)]
    variant_per_learner: bool,
    /// Start the CSV report with a UTF-8 byte order mark, so that Excel opens it as
    /// UTF-8 (Korean names readable); `--csv-bom=false` for tools that dislike it.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL",
        num_args = 0..=1, default_missing_value = "true")]
    csv_bom: bool,
    /// The gradebook's students: a CSV with the columns `submission` (the learner's
    /// folder or archive name), `student_id`, `name` and `email`. The reports carry each
    /// learner's student; a student with no submission is a row ("no submission"), and
    /// learners not in the roster are named in a note.
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,
    /// The grade columns of `moodle-csv` and `canvas-csv`: one for the lab (`lab`), or
    /// one per step (`steps`).
    #[arg(long, value_enum, default_value_t)]
    gradebook_columns: class::gradebook::Columns,
    #[command(flatten)]
    connect: ConnectOptions,
}

/// Grades the class; when the run cannot happen at all (a usage or input error, exit 2;
/// no cluster with `--live`, exit 3; Ctrl-C, exit 130) and a JSON or JUnit report goes
/// to stdout, stdout still gets one complete document naming the error: the class JSON
/// shape with no learners and an `error` object as `grade --output json` writes it, or
/// the JUnit error suite. Reports into files are not written. A report file that cannot
/// be written (exit 3, naming its path) does not keep the other reports from being
/// written.
pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lab_id = args.lab.clone();
    let lang = language(args.lang);
    let mut to_stdout = args.output.iter().filter(|o| o.file.is_none());
    // Two reports asked on stdout is itself the error: neither is printed.
    let on_stdout = match (to_stdout.next(), to_stdout.next()) {
        (Some(o), None) => Some(o.format),
        _ => None,
    };
    // Set once a report went to stdout: a report that could not be written into its
    // file then fails the run without a second document on stdout.
    let printed = std::cell::Cell::new(false);
    class_run(catalog, args, &printed).inspect_err(|failure| {
        if printed.get() {
            return;
        }
        let title = catalog.get(&lab_id).map(|lab| lab.title.get(lang));
        let doc = failure.doc(&lab_id, title);
        match on_stdout {
            Some(ClassFormat::Json) => {
                let value = serde_json::json!({
                    "lab": lab_id,
                    "title": title,
                    "mode": null,
                    "notes": [],
                    "summary": null,
                    "learners": [],
                    "error": doc.value()["error"],
                });
                let mut text = serde_json::to_string_pretty(&value).expect("JSON serializes");
                text.push('\n');
                out!("{text}");
            }
            Some(ClassFormat::Junit) => out!("{}", doc.junit()),
            _ => {}
        }
    })
}

fn class_run(
    catalog: &Catalog,
    args: Args,
    printed: &std::cell::Cell<bool>,
) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let lab = find_lab(catalog, &args.lab, lang)?;
    let mut outputs = args.output.clone();
    if outputs.is_empty() && args.report.is_none() {
        outputs.push(OutputSpec {
            format: ClassFormat::Table,
            file: None,
        });
    }
    if outputs.iter().filter(|o| o.file.is_none()).count() > 1 {
        return Err(Failure::bad_input_said(
            msg!("cli-class-two-on-stdout"),
            None,
            lang,
        ));
    }
    if args.roster.is_none()
        && let Some(output) = outputs.iter().find(|o| o.format.lms().is_some())
    {
        use clap::ValueEnum;
        let format = output
            .format
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        return Err(Failure::bad_input_said(
            msg!("cli-class-gradebook-needs-roster", format = format),
            None,
            lang,
        ));
    }
    // The run's own reports, when written into the class folder, are not learners.
    let reports: Vec<PathBuf> = outputs
        .iter()
        .filter_map(|o| o.file.clone())
        .chain(args.report.clone())
        .collect();
    let mut learners = class::discover_except(&args.dir, &reports)
        .map_err(|e| Failure::bad_input_said(e.message(), Some(e.help_message()), lang))?;
    let roster = match &args.roster {
        Some(path) => Some(
            class::roster::Roster::load(path)
                .map_err(|e| Failure::bad_input_said(e, Some(msg!("class-roster-help")), lang))?,
        ),
        None => None,
    };
    let mut unlisted = Vec::new();
    if let Some(roster) = &roster {
        unlisted = learners
            .iter()
            .filter(|l| roster.get(&l.id).is_none())
            .map(|l| l.id.clone())
            .collect();
        // A student who handed nothing in is a row too.
        for (id, _) in &roster.entries {
            if !learners.iter().any(|l| l.id == *id) {
                learners.push(class::Learner {
                    id: id.clone(),
                    path: args.dir.join(id),
                    absent: true,
                    ..class::Learner::default()
                });
            }
        }
        learners.sort_by(|a, b| a.id.cmp(&b.id));
    }
    if args.variant_per_learner {
        for learner in &mut learners {
            learner.variant = Some(learner.id.clone());
        }
    }
    let mut report = ClassReport::new(lab, lang);
    if let Some(roster) = &roster {
        report = report.with_roster(roster.map());
        if !unlisted.is_empty() {
            report.note(
                msg!(
                    "class-note-not-in-roster",
                    count = unlisted.len(),
                    learners = unlisted.join(", ")
                )
                .render(lang),
            );
        }
    }
    if args.variant_per_learner {
        report.note(msg!("class-note-variant-per-learner").render(lang));
    }
    let machine_on_stdout = outputs
        .iter()
        .any(|o| o.file.is_none() && o.format != ClassFormat::Table);
    let progress = ClassProgress::new(learners.len(), machine_on_stdout, lang);
    // The HTML report looks at each learner's files as the learner finishes.
    let evidence = (args.report.is_some() || outputs.iter().any(|o| o.format == ClassFormat::Html))
        .then(|| html::Evidence::new(&report));
    let on_event = |event: Event| {
        if let Some(progress) = &progress {
            progress.on_event(&event);
        }
        if let Some(evidence) = &evidence {
            evidence.on_event(&event);
        }
        report.on_event(&event);
    };
    let mut pids_warning = None;
    let mut isolation_warning = None;
    if args.offline {
        let threads = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        class::run_offline(lab, &learners, lang, threads, &on_event);
    } else {
        runtime(lang)?.block_on(async {
            let cluster = match connect(&args.connect).await {
                Ok(cluster) => cluster,
                Err(e) if args.live || matches!(e, ClusterError::KubeconfigUnreadable { .. }) => {
                    return Err(Failure::connect(e, lang));
                }
                Err(e) => {
                    report.note(msg!("grade-offline-because", reason = e.message()).render(lang));
                    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                    class::run_offline(lab, &learners, lang, threads, &on_event);
                    return Ok(());
                }
            };
            let janitor = Janitor::default();
            let jobs = args.jobs.unwrap_or(LIVE_JOBS);
            // Beside the grading: a class shares one cluster among its learners.
            let pids = crate::cluster::pids::probe(&cluster.client, &janitor);
            let isolation = async {
                if learners.len() > 1 {
                    crate::cluster::isolation::class_warning(&cluster.client).await
                } else {
                    None
                }
            };
            let graded = async {
                let (_, pids, isolation) = tokio::join!(
                    class::run_live(
                        &cluster.client,
                        &janitor,
                        lab,
                        &learners,
                        lang,
                        jobs,
                        &on_event
                    ),
                    pids,
                    isolation
                );
                (pids, isolation)
            };
            tokio::select! {
                (pids, isolation) = graded => {
                    pids_warning = crate::cluster::pids::warning(&pids);
                    isolation_warning = isolation;
                    Ok(())
                }
                _ = interrupted() => {
                    let deleted = janitor.cleanup().await;
                    say_interrupted(&deleted, lang);
                    Err(Failure::interrupted(lang))
                }
            }
        })?;
    }
    if let Some(progress) = &progress {
        progress.bar.finish_and_clear();
    }
    for warning in [pids_warning, isolation_warning].into_iter().flatten() {
        super::say_on_stderr(&warning.render(lang));
    }
    let width = super::width();
    let render = |format: ClassFormat| match format {
        ClassFormat::Table => report.table(width),
        ClassFormat::Json => report.json(),
        ClassFormat::Csv => report.csv(args.csv_bom),
        ClassFormat::Junit => report.junit(),
        ClassFormat::Html => html::render(&report, evidence.as_ref()),
        ClassFormat::MoodleCsv | ClassFormat::CanvasCsv => class::gradebook::csv(
            &report,
            format.lms().expect("an LMS format"),
            args.gradebook_columns,
            args.csv_bom,
        ),
    };
    if outputs.iter().any(|o| o.format.lms().is_some()) {
        let left_out = class::gradebook::unlisted(&report);
        if !left_out.is_empty() {
            super::say_on_stderr(
                &msg!(
                    "cli-class-gradebook-unlisted",
                    count = left_out.len(),
                    learners = left_out.join(", ")
                )
                .render(lang),
            );
        }
    }
    let cannot_write = |path: &std::path::Path, e: std::io::Error| {
        let message = msg!(
            "cli-class-cannot-write",
            path = path.display().to_string(),
            reason = e.to_string()
        );
        Failure::environment_said(message, None, lang)
    };
    let write = |path: PathBuf, text: String| {
        std::fs::write(&path, text).map_err(|e| cannot_write(&path, e))
    };
    // One report that cannot be written does not lose the others: every report is
    // written that can be, then the run fails naming the first path that could not.
    let mut written: Vec<String> = Vec::new();
    let mut failed: Option<Failure> = None;
    let mut targets: Vec<(PathBuf, ClassFormat)> = Vec::new();
    if let Some(dir) = &args.report {
        match std::fs::create_dir_all(dir) {
            Ok(()) => targets.extend(
                [
                    ClassFormat::Table,
                    ClassFormat::Json,
                    ClassFormat::Csv,
                    ClassFormat::Junit,
                    ClassFormat::Html,
                ]
                .map(|f| (dir.join(f.file_name()), f)),
            ),
            Err(e) => failed = Some(cannot_write(dir, e)),
        }
    }
    targets.extend(
        outputs
            .iter()
            .filter_map(|o| o.file.clone().map(|file| (file, o.format))),
    );
    for (path, format) in targets {
        match write(path.clone(), render(format)) {
            Ok(()) => written.push(path.display().to_string()),
            Err(failure) => {
                failed.get_or_insert(failure);
            }
        }
    }
    for output in outputs.iter().filter(|o| o.file.is_none()) {
        out!("{}", render(output.format));
        printed.set(true);
    }
    // Where the reports went, on stderr (stdout may be a report itself).
    if !written.is_empty() {
        eprintln!(
            "{}",
            msg!(
                "cli-class-written",
                summary = report.summary_line(),
                files = written.join(", ")
            )
            .render(lang)
        );
    }
    if let Some(failure) = failed {
        return Err(failure);
    }
    Ok(report.exit_code())
}

/// One bar for the class on a terminal (stderr): learners done, passed, failed and
/// errored, and the ETA; none when a machine format goes to stdout or stderr is not a
/// terminal (CI).
struct ClassProgress {
    bar: ProgressBar,
    lang: Lang,
    passed: AtomicUsize,
    failed: AtomicUsize,
    errors: AtomicUsize,
}

impl ClassProgress {
    fn new(learners: usize, machine_on_stdout: bool, lang: Lang) -> Option<Self> {
        if machine_on_stdout || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::new(learners as u64);
        // indicatif's placeholders as the message's arguments: the words are Fluent's.
        let template = msg!(
            "cli-class-progress",
            bar = "{bar:30}",
            done = "{pos}",
            total = "{len}",
            counts = "{msg}",
            eta = "{eta}"
        );
        bar.set_style(
            ProgressStyle::with_template(&template.render(lang)).expect("a valid template"),
        );
        Some(Self {
            bar,
            lang,
            passed: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            errors: AtomicUsize::new(0),
        })
    }

    /// The event consumer.
    fn on_event(&self, event: &Event) {
        if let Event::LearnerFinished(row) = event {
            let counter = if row.errored() {
                &self.errors
            } else if row.passed() {
                &self.passed
            } else {
                &self.failed
            };
            counter.fetch_add(1, Ordering::Relaxed);
            self.bar.inc(1);
            let counts = msg!(
                "cli-class-progress-counts",
                passed = self.passed.load(Ordering::Relaxed),
                failed = self.failed.load(Ordering::Relaxed),
                errors = self.errors.load(Ordering::Relaxed)
            );
            self.bar.set_message(counts.render(self.lang));
        }
    }
}
