//! `kubelab exam start|status|end|sheet`: CKS exam practice (see [`crate::exam`]).

use super::stdout::out;
use super::{Failure, exit, language, runtime, say_interrupted};
use crate::cluster::janitor::{Janitor, interrupted};
use crate::cluster::{ConnectOptions, connect};
use crate::exam::{self, Exam, ExamError, format_duration_in};
use crate::lab::{Catalog, Lang};
use crate::msg;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: ExamCommand,
}

#[derive(clap::Subcommand, Debug)]
enum ExamCommand {
    /// Set up every task of the exam on the cluster, each in its own namespace, and
    /// print the task sheet (no hints).
    Start(StartArgs),
    /// Show the time left and the tasks of your running exam (from any terminal).
    Status(RunningArgs),
    /// Grade every task's live state, print the report with the hints and the
    /// variant's reference solutions, and delete the exam's namespaces; exits 0 when
    /// the score reaches the pass mark on time, else 1.
    End(EndArgs),
    /// Mark task N of your running exam to return to; `exam status` lists it.
    Flag(FlagArgs),
    /// Remove the mark of task N.
    Unflag(FlagArgs),
    /// Your finished exams on this machine: every attempt, the best and the last, and
    /// the labs and checks that fail most often.
    History(HistoryArgs),
    /// Print an exam's task sheet without a cluster, for offline practice: grade the
    /// answers with `kubelab grade LAB DIR --variant SEED`.
    Sheet(SheetArgs),
}

/// What an exam is made of.
#[derive(clap::Args, Debug)]
struct PlanArgs {
    /// The labs of the exam, in task order, separated by commas (default: every lab).
    #[arg(long, value_delimiter = ',', value_name = "LAB,...")]
    labs: Vec<String>,
    /// Draw this many labs of the pool (`--labs`, default every lab) by the seed: the
    /// same `--variant` draws the same tasks, and each candidate's random seed a
    /// different exam.
    #[arg(long, value_name = "N")]
    tasks: Option<usize>,
    /// How long the exam lasts: `30m`, `1h30m`, `90s`, or a bare number of minutes
    /// (default: 10 minutes a task; at most 4h).
    #[arg(long, value_name = "DURATION", value_parser = exam::parse_duration)]
    duration: Option<Duration>,
    /// The variant of every task: any non-empty text (default: a random one, printed
    /// on the sheet, so that each exam is new and can be graded again offline).
    #[arg(long, value_name = "SEED")]
    variant: Option<String>,
    /// The language of the sheet (and of the report `--wait` prints), `ko` or `en`
    /// (default: `ko` when LC_ALL, LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// The percentage of the exam's points that passes, 0 to 100 (default: 67, the
    /// CKS's); `exam end --pass-mark` may change it.
    #[arg(long, value_name = "PERCENT", value_parser = exam::parse_pass_mark)]
    pass_mark: Option<u8>,
}

#[derive(clap::Args, Debug)]
struct StartArgs {
    #[command(flatten)]
    plan: PlanArgs,
    /// An exam without a cluster: the sheet, and a folder per task (`DIR/task-1/`, …)
    /// for your manifests; `exam status` shows the time left and `exam end` grades
    /// every folder by simulation as one exam.
    #[arg(long, conflicts_with = "wait")]
    offline: bool,
    /// With `--offline`: where the task folders go (default: `exam-<id>` here); it
    /// must not exist or be empty.
    #[arg(long, value_name = "DIR", requires = "offline")]
    dir: Option<std::path::PathBuf>,
    /// After the sheet, stay until the deadline (time left on stderr), then grade and
    /// report as `exam end` does; an `exam end` from another terminal first ends the
    /// wait. Ctrl-C stops waiting and leaves the exam running.
    #[arg(long)]
    wait: bool,
    /// Merge the task contexts (`task-1`, …) into your kubeconfig (`--kubeconfig`, else
    /// the first file of KUBECONFIG, else ~/.kube/config) instead of writing a file of
    /// the exam's own; `exam end` takes them out again.
    #[arg(long, conflicts_with = "offline")]
    merge_kubeconfig: bool,
    #[command(flatten)]
    connect: ConnectOptions,
}

#[derive(clap::Args, Debug)]
struct SheetArgs {
    #[command(flatten)]
    plan: PlanArgs,
}

/// `table` for a terminal, `json` for a machine (the book's Reference → Exam JSON).
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
enum ExamOutput {
    #[default]
    Table,
    Json,
}

/// `exam status` and `exam end`: they act on the caller's running exam.
#[derive(clap::Args, Debug)]
struct RunningArgs {
    /// The output: `table` for a terminal, `json` for a machine (the book's Reference →
    /// Exam JSON).
    #[arg(long, value_enum, default_value_t)]
    output: ExamOutput,
    /// The language, `ko` or `en` (default: `ko` when LC_ALL, LC_MESSAGES or LANG
    /// starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    #[command(flatten)]
    connect: ConnectOptions,
}

/// `exam history`.
#[derive(clap::Args, Debug)]
struct HistoryArgs {
    /// The output: `table` for a terminal, `json` for a machine (the book's Reference →
    /// Exam history).
    #[arg(long, value_enum, default_value_t)]
    output: ExamOutput,
    /// The language, `ko` or `en` (default: `ko` when LC_ALL, LC_MESSAGES or LANG
    /// starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

/// `exam flag N` / `exam unflag N`.
#[derive(clap::Args, Debug)]
struct FlagArgs {
    /// The task's number on the sheet (1, 2, …).
    task: usize,
    /// The language, `ko` or `en` (default: `ko` when LC_ALL, LC_MESSAGES or LANG
    /// starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    #[command(flatten)]
    connect: ConnectOptions,
}

/// `exam end`: the running exam, and the pass mark to judge it by.
#[derive(clap::Args, Debug)]
struct EndArgs {
    #[command(flatten)]
    running: RunningArgs,
    /// The percentage of the exam's points that passes, 0 to 100 (default: the one
    /// `exam start` was given, else 67, the CKS's).
    #[arg(long, value_name = "PERCENT", value_parser = exam::parse_pass_mark)]
    pass_mark: Option<u8>,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    match args.command {
        ExamCommand::Start(args) => start(catalog, args),
        ExamCommand::Status(args) => status(catalog, args),
        ExamCommand::End(args) => end(catalog, args),
        ExamCommand::Flag(args) => flag(catalog, args, true),
        ExamCommand::Unflag(args) => flag(catalog, args, false),
        ExamCommand::History(args) => history(args),
        ExamCommand::Sheet(args) => sheet(catalog, args),
    }
}

fn failure(error: ExamError, lang: Lang) -> Failure {
    match error {
        ExamError::Usage { message, help } => Failure::bad_input_said(message, Some(help), lang),
        ExamError::Cluster(e) => Failure::cluster(e, lang),
        ExamError::Live(e) => Failure::environment(e),
    }
}

/// The plan of `args`: the variant given (a non-empty seed) or a random one.
fn plan(
    catalog: &Catalog,
    args: &PlanArgs,
    lang: Lang,
) -> Result<(Exam, Vec<crate::lab::Lab>), Failure> {
    let seed = match super::nonblank_seed(args.variant.as_deref(), lang)? {
        Some(seed) => seed.to_string(),
        None => crate::cluster::random_word(8),
    };
    let pool = match args.tasks {
        Some(n) => exam::draw(catalog, &args.labs, &seed, n).map_err(|e| failure(e, lang))?,
        None => args.labs.clone(),
    };
    let (mut exam, labs) = Exam::plan(catalog, &pool, &seed, args.duration, exam::now())
        .map_err(|e| failure(e, lang))?;
    exam.pass_mark = args.pass_mark.unwrap_or(exam::DEFAULT_PASS_MARK);
    Ok((exam, labs))
}

fn sheet(catalog: &Catalog, args: SheetArgs) -> Result<u8, Failure> {
    let lang = language(args.plan.lang);
    let (exam, labs) = plan(catalog, &args.plan, lang)?;
    out!("{}", exam::sheet::render(&exam, &labs, lang));
    Ok(exit::PASSED)
}

/// The offline exam's state file, or the usage error that there is no data directory.
fn offline_state(lang: Lang) -> Result<std::path::PathBuf, Failure> {
    exam::offline::state_path().ok_or_else(|| {
        Failure::bad_input_said(
            msg!("exam-history-no-home"),
            Some(msg!("exam-history-no-home-help")),
            lang,
        )
    })
}

/// The running offline exam, if any (a state file that cannot be read is a usage error
/// naming it).
fn offline_running(catalog: &Catalog, lang: Lang) -> Result<Option<Exam>, Failure> {
    let Some(path) = exam::offline::state_path() else {
        return Ok(None);
    };
    exam::offline::load(&path, catalog).map_err(|reason| {
        Failure::bad_input_said(
            msg!("exam-offline-unreadable", reason = reason),
            Some(msg!(
                "exam-offline-unreadable-help",
                path = path.display().to_string()
            )),
            lang,
        )
    })
}

/// `exam start --offline`: the sheet and the task folders, the state on this machine.
fn start_offline(catalog: &Catalog, args: StartArgs) -> Result<u8, Failure> {
    let lang = language(args.plan.lang);
    let path = offline_state(lang)?;
    if let Some(running) = offline_running(catalog, lang)? {
        return Err(Failure::bad_input_said(
            msg!("exam-already-running", exam = running.id.as_str()),
            Some(msg!("exam-already-running-help")),
            lang,
        ));
    }
    let (mut exam, labs) = plan(catalog, &args.plan, lang)?;
    exam.id = crate::cluster::random_word(8);
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from(format!("exam-{}", exam.id)));
    exam.folders = Some(dir.clone());
    let sheet = exam::sheet::render(&exam, &labs, lang);
    exam::offline::create_folders(&dir, &exam, &sheet).map_err(|reason| {
        Failure::bad_input_said(msg!("exam-offline-folder", reason = reason), None, lang)
    })?;
    exam::offline::save(&path, &exam).map_err(|e| {
        Failure::bad_input_said(
            msg!(
                "exam-offline-folder",
                reason = format!("{}: {e}", path.display())
            ),
            None,
            lang,
        )
    })?;
    out!("{sheet}");
    Ok(exit::PASSED)
}

fn start(catalog: &Catalog, args: StartArgs) -> Result<u8, Failure> {
    if args.offline {
        return start_offline(catalog, args);
    }
    let lang = language(args.plan.lang);
    let (planned, labs) = plan(catalog, &args.plan, lang)?;
    runtime(lang)?.block_on(async {
        let cluster = connect(&args.connect)
            .await
            .map_err(|e| Failure::connect(e, lang))?;
        let janitor = Janitor::default();
        let progress = super::progress::for_output(true);
        progress.say(&msg!("exam-progress-setting-up", count = labs.len()).render(lang));
        // Beside the set-up: the exam's labs are held on a cluster others may share.
        let pids = crate::cluster::pids::probe(&cluster.client, &janitor);
        let work = exam::start(
            &cluster.client,
            &janitor,
            planned,
            &labs,
            progress.as_ref(),
            lang,
        );
        let ((exam, labs), pids) = tokio::select! {
            (done, pids) = async { tokio::join!(work, pids) } => match done {
                Ok(started) => (started, pids),
                Err(e) => {
                    janitor.cleanup().await;
                    return Err(failure(e, lang));
                }
            },
            _ = interrupted() => {
                let deleted = janitor.cleanup().await;
                say_interrupted(&deleted, lang);
                return Ok(exit::INTERRUPTED);
            }
        };
        drop(progress);
        super::warn_pids(&pids, lang);
        let mut exam = exam;
        if args.merge_kubeconfig {
            exam.kubeconfig = merge_contexts(&exam, &args.connect, lang);
            exam.merged = exam.kubeconfig.is_some();
        }
        if !exam.merged {
            exam.kubeconfig = write_contexts(&exam, &args.connect, lang);
        }
        out!("{}", exam::sheet::render(&exam, &labs, lang));
        if !args.wait {
            return Ok(exit::PASSED);
        }
        match wait_for_deadline(&cluster.client, &exam, lang).await {
            // Graded as of the deadline: on time.
            Waited::Deadline => Ok(grade_and_report(
                &cluster.client,
                catalog,
                &exam,
                exam.deadline,
                lang,
                ExamOutput::Table,
            )
            .await),
            Waited::EndedElsewhere => {
                eprintln!("{}", msg!("exam-wait-ended-elsewhere").render(lang));
                Ok(exit::PASSED)
            }
            Waited::Interrupted => {
                eprintln!("{}", msg!("exam-wait-interrupted").render(lang));
                Ok(exit::INTERRUPTED)
            }
        }
    })
}

/// Writes the exam's kubeconfig with a context per task ([`exam::contexts`]) from the
/// kubeconfig and context the exam was started with; `None`, said on stderr, when there
/// is none (an in-cluster run) or it cannot be written: the sheet then says to switch
/// namespaces instead.
fn write_contexts(exam: &Exam, connect: &ConnectOptions, lang: Lang) -> Option<std::path::PathBuf> {
    use kube::config::Kubeconfig;
    let source = match &connect.kubeconfig {
        Some(path) => Kubeconfig::read_from(path),
        None => Kubeconfig::read(),
    };
    let why = match (source, exam::contexts::path(&exam.id)) {
        (Ok(source), Some(path)) => {
            match exam::contexts::build(&source, connect.context.as_deref(), exam) {
                Some(config) => match exam::contexts::write(&path, &config) {
                    Ok(()) => return Some(path),
                    Err(e) => format!("{}: {e}", path.display()),
                },
                None => "the kubeconfig has no such context, cluster or user".to_string(),
            }
        }
        (Err(e), _) => e.to_string(),
        (_, None) => "no data directory (set KUBELAB_DATA_DIR)".to_string(),
    };
    super::say_on_stderr(&msg!("exam-no-contexts", reason = why).render(lang));
    None
}

/// `exam start --merge-kubeconfig`: the task contexts merged into the user's kubeconfig
/// (the one the exam was started with); its path, or `None` with the reason on stderr
/// (the exam then writes a file of its own).
fn merge_contexts(exam: &Exam, connect: &ConnectOptions, lang: Lang) -> Option<std::path::PathBuf> {
    let target = connect.kubeconfig.clone().or_else(|| {
        match std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
            Some(list) => std::env::split_paths(&list).next(),
            None => std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".kube/config")),
        }
    })?;
    let merged = kube::config::Kubeconfig::read_from(&target)
        .map_err(|e| format!("{}: {e}", target.display()))
        .and_then(|source| {
            exam::contexts::merge(&target, &source, connect.context.as_deref(), exam)
        });
    match merged {
        Ok(()) => Some(target),
        Err(why) => {
            super::say_on_stderr(&msg!("exam-no-merge", reason = why).render(lang));
            None
        }
    }
}

/// How `exam start --wait` stopped waiting.
enum Waited {
    Deadline,
    EndedElsewhere,
    Interrupted,
}

/// Waits until `exam`'s deadline, saying the time left (stderr, on a terminal), and
/// looking every few seconds whether another terminal ended it.
async fn wait_for_deadline(client: &kube::Client, exam: &Exam, lang: Lang) -> Waited {
    const LOOK_EVERY: Duration = Duration::from_secs(5);
    let progress = super::progress::for_output(true);
    let mut before: Option<Duration> = None;
    loop {
        let left = exam.time_left(exam::now());
        if left.is_negative() || left.is_zero() {
            return Waited::Deadline;
        }
        let left = Duration::try_from(left).unwrap_or_default();
        // The proctor's warnings at 30, 15 and 5 minutes left, each once.
        for minutes in before.map_or_else(Vec::new, |b| exam::warnings_due(b, left)) {
            progress.note(&msg!("exam-wait-warning", minutes = minutes).render(lang));
        }
        before = Some(left);
        progress.say(&msg!("exam-status-left", left = format_duration_in(left, lang)).render(lang));
        tokio::select! {
            _ = tokio::time::sleep(left.min(LOOK_EVERY)) => {}
            _ = interrupted() => return Waited::Interrupted,
        }
        // A failed look is tried again at the next beat.
        if let Ok(found) = exam::find(client).await
            && found.as_ref().is_none_or(|e| e.id != exam.id)
        {
            return Waited::EndedElsewhere;
        }
    }
}

/// The caller's running exam, or the usage error that there is none.
async fn running(client: &kube::Client, lang: Lang) -> Result<Exam, Failure> {
    exam::find(client)
        .await
        .map_err(|e| Failure::cluster(e, lang))?
        .ok_or_else(|| {
            Failure::bad_input_said(msg!("exam-none"), Some(msg!("exam-none-help")), lang)
        })
}

fn flag(catalog: &Catalog, args: FlagArgs, flagged: bool) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let said = if flagged {
        msg!("exam-flagged", number = args.task)
    } else {
        msg!("exam-unflagged", number = args.task)
    };
    if let Some(mut exam) = offline_running(catalog, lang)? {
        let path = offline_state(lang)?;
        exam::offline::flag(&path, &mut exam, args.task, flagged).map_err(|e| failure(e, lang))?;
        out!("{}\n", said.render(lang));
        return Ok(exit::PASSED);
    }
    runtime(lang)?.block_on(async {
        let cluster = connect(&args.connect)
            .await
            .map_err(|e| Failure::connect(e, lang))?;
        let exam = running(&cluster.client, lang).await?;
        exam::flag(&cluster.client, &exam, args.task, flagged)
            .await
            .map_err(|e| failure(e, lang))?;
        out!("{}\n", said.render(lang));
        Ok(exit::PASSED)
    })
}

fn status(catalog: &Catalog, args: RunningArgs) -> Result<u8, Failure> {
    let lang = language(args.lang);
    if let Some(exam) = offline_running(catalog, lang)? {
        let dir = exam.folders.clone().unwrap_or_default();
        let changed: Vec<Option<bool>> = exam
            .tasks
            .iter()
            .map(|t| Some(exam::offline::changed(&dir, t.number)))
            .collect();
        let now = exam::now();
        match args.output {
            ExamOutput::Json => out!("{}", status_json(&exam, &changed, now)),
            ExamOutput::Table => out!("{}", status_text(&exam, &changed, now, lang)),
        }
        return Ok(exit::PASSED);
    }
    runtime(lang)?.block_on(async {
        let cluster = connect(&args.connect)
            .await
            .map_err(|e| Failure::connect(e, lang))?;
        let exam = running(&cluster.client, lang).await?;
        let now = exam::now();
        // Whether each task was changed, never whether it is right.
        let looks = exam.tasks.iter().map(|task| {
            let client = &cluster.client;
            let outside = catalog
                .get(&task.lab)
                .and_then(|lab| lab.variant(Some(&exam.variant)).ok())
                .map(|lab| exam::cluster_scoped_submits(&lab))
                .unwrap_or_default();
            async move {
                match &task.namespace {
                    Some(ns) => exam::changed(client, ns, &outside).await.map(Some),
                    None => Ok(None),
                }
            }
        });
        let changed = futures::future::join_all(looks)
            .await
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::cluster(e, lang))?;
        match args.output {
            ExamOutput::Json => out!("{}", status_json(&exam, &changed, now)),
            ExamOutput::Table => out!("{}", status_text(&exam, &changed, now, lang)),
        }
        Ok(exit::PASSED)
    })
}

/// A task's state in `exam status`: `untouched`, `changed` (the learner's objects or
/// labels are there), `gone` (its namespace is), never passed or failed.
fn task_state(changed: Option<bool>) -> &'static str {
    match changed {
        Some(true) => "changed",
        Some(false) => "untouched",
        None => "gone",
    }
}

/// `exam status --output json`: `{exam, variant, started, deadline, seconds_left
/// (negative once over), late, points, pass_mark, flagged: [N…], tasks: [{number, lab,
/// namespace, points, weight_percent, state, flagged}]}`.
fn status_json(exam: &Exam, changed: &[Option<bool>], now: jiff::Timestamp) -> String {
    let left = exam.time_left(now).as_secs();
    let tasks: Vec<_> = exam
        .tasks
        .iter()
        .zip(changed)
        .map(|(task, changed)| {
            serde_json::json!({
                "number": task.number,
                "lab": task.lab,
                "namespace": task.namespace,
                "points": task.points,
                "weight_percent": exam.weight(task),
                "state": task_state(*changed),
                "flagged": task.flagged,
            })
        })
        .collect();
    let flagged: Vec<usize> = exam
        .tasks
        .iter()
        .filter(|t| t.flagged)
        .map(|t| t.number)
        .collect();
    let doc = serde_json::json!({
        "exam": exam.id,
        "variant": exam.variant,
        "started": exam.started.to_string(),
        "deadline": exam.deadline.to_string(),
        "seconds_left": left,
        "late": left < 0,
        "points": exam.points(),
        "pass_mark": exam.pass_mark,
        "flagged": flagged,
        "tasks": tasks,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("serializes");
    text.push('\n');
    text
}

fn status_text(exam: &Exam, changed: &[Option<bool>], now: jiff::Timestamp, lang: Lang) -> String {
    let mut out = format!(
        "{}\n",
        msg!(
            "exam-status-title",
            exam = exam.id.as_str(),
            variant = exam.variant.as_str(),
            points = exam.points(),
            started = exam.started.to_string(),
            deadline = exam.deadline.to_string()
        )
        .render(lang)
    );
    let line = match exam.late_by(now) {
        Some(late) => msg!("exam-status-over", late = format_duration_in(late, lang)),
        None => {
            let left = Duration::try_from(exam.time_left(now)).unwrap_or_default();
            msg!("exam-status-left", left = format_duration_in(left, lang))
        }
    };
    out.push_str(&format!("{}\n", line.render(lang)));
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    let word = |id: &'static str| crate::i18n::Message::new(id).render(lang);
    table.set_header([
        word("exam-status-task"),
        word("exam-status-lab"),
        word("exam-status-points"),
        word("exam-status-namespace"),
        word("exam-status-state"),
    ]);
    for (task, changed) in exam.tasks.iter().zip(changed) {
        let mut state = match changed {
            Some(true) => word("exam-status-changed"),
            Some(false) => word("exam-status-untouched"),
            None => word("exam-status-gone"),
        };
        if task.flagged {
            state = format!("{state} · {}", word("exam-status-flagged"));
        }
        table.add_row([
            task.number.to_string(),
            task.lab.clone(),
            format!("{} ({}%)", task.points, exam.weight(task)),
            match (&task.namespace, &exam.folders) {
                (Some(ns), _) => ns.clone(),
                // An offline exam: the task's folder.
                (None, Some(dir)) => {
                    format!("{}/", exam::offline::task_dir(dir, task.number).display())
                }
                (None, None) => word("exam-status-gone"),
            },
            state,
        ]);
    }
    out.push_str(&format!("{table}\n"));
    let flagged: Vec<String> = exam
        .tasks
        .iter()
        .filter(|t| t.flagged)
        .map(|t| t.number.to_string())
        .collect();
    if !flagged.is_empty() {
        let list = flagged.join(", ");
        out.push_str(&format!(
            "{}\n",
            msg!("exam-status-flagged-list", tasks = list).render(lang)
        ));
    }
    out
}

fn end(catalog: &Catalog, args: EndArgs) -> Result<u8, Failure> {
    let EndArgs {
        running: args,
        pass_mark,
    } = args;
    let lang = language(args.lang);
    if let Some(mut exam) = offline_running(catalog, lang)? {
        if let Some(mark) = pass_mark {
            exam.pass_mark = mark;
        }
        let report = exam::report::ExamReport::new(lang);
        exam::offline::end(catalog, &exam, exam::now(), lang, &|event| {
            report.on_event(&event)
        });
        let code = report_and_record(&report, lang, args.output);
        if let Some(path) = exam::offline::state_path() {
            let _ = std::fs::remove_file(path);
        }
        return Ok(code);
    }
    runtime(lang)?.block_on(async {
        let cluster = connect(&args.connect)
            .await
            .map_err(|e| Failure::connect(e, lang))?;
        let mut exam = running(&cluster.client, lang).await?;
        if let Some(mark) = pass_mark {
            exam.pass_mark = mark;
        }
        Ok(grade_and_report(
            &cluster.client,
            catalog,
            &exam,
            exam::now(),
            lang,
            args.output,
        )
        .await)
    })
}

/// Grades `exam` (as of `graded_at`), prints its report in `output` and deletes its
/// namespaces; the exit code: 0 when the score reaches the exam's pass mark on time,
/// else 1.
async fn grade_and_report(
    client: &kube::Client,
    catalog: &Catalog,
    exam: &Exam,
    graded_at: jiff::Timestamp,
    lang: Lang,
    output: ExamOutput,
) -> u8 {
    let progress = super::progress::for_output(output == ExamOutput::Table);
    progress.say(&msg!("exam-progress-grading", count = exam.tasks.len()).render(lang));
    let report = exam::report::ExamReport::new(lang);
    let say = progress.as_ref();
    exam::end(client, catalog, exam, graded_at, lang, &|event| {
        if let exam::Event::TaskGraded(graded) = &event
            && graded.task.number == exam.tasks.len()
        {
            say.say(&msg!("exam-progress-deleting").render(lang));
        }
        report.on_event(&event);
    })
    .await;
    drop(progress);
    let code = report_and_record(&report, lang, output);
    // The exam's contexts name namespaces that are gone now.
    exam::contexts::remove(&exam.id);
    code
}

/// Prints the exam's report in `output`, appends the attempt to the history (a history
/// that cannot be written warns) and gives the exit code: 0 when the score reaches the
/// pass mark on time, else 1.
fn report_and_record(report: &exam::report::ExamReport, lang: Lang, output: ExamOutput) -> u8 {
    match output {
        ExamOutput::Json => out!("{}", report.json()),
        ExamOutput::Table => out!("{}", report.text(super::width())),
    }
    // The history is the learner's record, not the grade: failing to write it warns.
    if let Some(attempt) = report.attempt() {
        match exam::history::path() {
            None => eprintln!("{}", msg!("exam-history-no-home").render(lang)),
            Some(path) => {
                if let Err(e) = exam::history::append(&path, &attempt) {
                    eprintln!(
                        "{}",
                        msg!(
                            "exam-history-not-written",
                            path = path.display().to_string(),
                            reason = e.to_string()
                        )
                        .render(lang)
                    );
                }
            }
        }
    }
    let (_, _, passed) = report.totals();
    if passed { exit::PASSED } else { exit::FAILED }
}

/// How many of the most failed topics `exam history` lists.
const WEAKEST_SHOWN: usize = 8;

fn history(args: HistoryArgs) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let Some(path) = exam::history::path() else {
        return Err(Failure::bad_input_said(
            msg!("exam-history-no-home"),
            Some(msg!("exam-history-no-home-help")),
            lang,
        ));
    };
    let history = exam::history::History::read(&path).map_err(|e| {
        Failure::bad_input_said(
            msg!(
                "exam-history-unreadable",
                path = path.display().to_string(),
                reason = e.to_string()
            ),
            Some(msg!("exam-history-unreadable-help")),
            lang,
        )
    })?;
    match args.output {
        ExamOutput::Json => {
            let doc = serde_json::json!({
                "file": path.display().to_string(),
                "attempts": history.attempts,
                "unreadable_lines": history.unreadable,
                "best": history.best(),
                "last": history.last(),
                "weakest": history.weakest(),
            });
            let mut text = serde_json::to_string_pretty(&doc).expect("serializes");
            text.push('\n');
            out!("{}", text);
        }
        ExamOutput::Table => out!("{}", history_text(&history, &path, lang)),
    }
    Ok(exit::PASSED)
}

fn history_text(history: &exam::history::History, path: &std::path::Path, lang: Lang) -> String {
    let word = |id: &'static str| crate::i18n::Message::new(id).render(lang);
    let file = path.display().to_string();
    if history.attempts.is_empty() {
        return format!(
            "{}\n",
            msg!("exam-history-empty", file = file.as_str()).render(lang)
        );
    }
    let mut out = format!(
        "{}\n",
        msg!(
            "exam-history-title",
            count = history.attempts.len(),
            file = file.as_str()
        )
        .render(lang)
    );
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header([
        word("exam-history-date"),
        word("exam-history-seed"),
        word("exam-history-labs"),
        word("exam-history-score"),
        word("exam-history-verdict"),
    ]);
    for attempt in &history.attempts {
        let mut verdict = if attempt.passed {
            word("exam-history-passed")
        } else {
            word("exam-history-not-passed")
        };
        if attempt.late {
            verdict = format!("{verdict} ({})", word("exam-history-late"));
        }
        table.add_row([
            attempt.date.clone(),
            attempt.seed.clone(),
            attempt.labs.join(", "),
            format!(
                "{}/{} ({}%, {} {}%)",
                attempt.score,
                attempt.max_score,
                attempt.percent,
                word("exam-history-mark"),
                attempt.pass_mark
            ),
            verdict,
        ]);
    }
    out.push_str(&format!("{table}\n"));
    let line = |id: &'static str, a: &exam::history::Attempt| {
        msg!(
            "exam-history-line",
            which = word(id),
            date = a.date.as_str(),
            seed = a.seed.as_str(),
            percent = a.percent.to_string()
        )
        .render(lang)
    };
    if let Some(best) = history.best() {
        out.push_str(&format!("{}\n", line("exam-history-best", best)));
    }
    if let Some(last) = history.last() {
        out.push_str(&format!("{}\n", line("exam-history-last", last)));
    }
    let weakest = history.weakest();
    if weakest.is_empty() {
        out.push_str(&format!("{}\n", word("exam-history-no-failures")));
    } else {
        out.push_str(&format!("{}\n", word("exam-history-weakest")));
        for topic in weakest.iter().take(WEAKEST_SHOWN) {
            out.push_str(&format!(
                "  {}\n",
                msg!(
                    "exam-history-topic",
                    topic = topic.topic.as_str(),
                    failed = topic.failed,
                    attempts = topic.attempts
                )
                .render(lang)
            ));
        }
    }
    if history.unreadable > 0 {
        out.push_str(&format!(
            "{}\n",
            msg!("exam-history-skipped", count = history.unreadable).render(lang)
        ));
    }
    out
}
