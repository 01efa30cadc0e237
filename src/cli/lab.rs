//! `kubelab lab test DIR [--live]`: a lab author's test of one lab folder. The lab loads
//! (every load-time error, exit 2); its reference solution (`solution/`) passes every
//! check; its untouched scenario fails every check worth points (offline); and every
//! case of its corpus (`corpus/<case>/`) gets the verdict its `case.yaml` states
//! ([`crate::grade::case`], which the corpus tests use too). Offline by default; `--live`
//! grades the solution and the cases on the cluster, each in its own sandbox namespace,
//! with `kubelab class`'s live runner. Exit 0 when everything comes out as stated, 1 on
//! any mismatch, 2 when the lab or a case cannot be read, 3 on an environment error.

use super::stdout::out;
use super::{Failure, exit, language, runtime, say_interrupted};
use crate::check::Verdict;
use crate::class::{self, Event, Learner, LearnerResult, Outcome};
use crate::cluster::janitor::{Janitor, interrupted};
use crate::cluster::{ConnectOptions, connect};
use crate::grade::case::{self, Case, Expect};
use crate::grade::{Grader, LabResult, Mode};
use crate::i18n::Message;
use crate::lab::{Lab, Lang};
use crate::manifest::Submission;
use crate::msg;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

/// Cases graded at once live by default (as the live corpus test grades them).
const LIVE_JOBS: usize = 4;

/// `kubelab lab …`: tools for lab authors.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: LabCommand,
}

#[derive(clap::Subcommand, Debug)]
enum LabCommand {
    /// Test a lab folder: its solution passes, its untouched scenario fails, and every
    /// case of its corpus gets the verdict its case.yaml states (exit 0; 1 on a
    /// mismatch).
    Test(TestArgs),
}

/// The report of `kubelab lab test`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TestOutput {
    /// A line per case and a summary.
    #[default]
    Table,
    /// One JSON object (the book's Reference → `kubelab lab test`).
    Json,
}

/// `kubelab lab test DIR`'s arguments.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// The lab folder: lab.yaml with its fixtures and probes, the reference solution in
    /// solution/, the test cases in corpus/<case>/ (submission/ and case.yaml).
    dir: PathBuf,
    /// Grade the solution and the cases on the cluster, each in its own namespace; an
    /// unreachable cluster is an error (exit 3).
    #[arg(long)]
    live: bool,
    /// Live: cases graded at once (default 4). Offline: threads (default: every core).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// The report: `table` (a line per case) or `json`.
    #[arg(long, value_enum, default_value_t)]
    output: TestOutput,
    /// The language of the report, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    #[command(flatten)]
    connect: ConnectOptions,
}

/// How one case came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseVerdict {
    /// As the case states.
    Ok,
    /// Not as the case states: the problems say how.
    Mismatch,
    /// The environment failed (live): the grade says nothing about the lab.
    Error,
}

/// One line of the report.
#[derive(Debug, Serialize)]
struct CaseLine {
    case: String,
    expect: &'static str,
    result: CaseVerdict,
    problems: Vec<String>,
    /// How the case was judged when not simply against its case.yaml (live, a case that
    /// depends on the namespace's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// Runs a `kubelab lab` command; the exit code of the contract.
pub fn run(args: Args) -> Result<u8, Failure> {
    match args.command {
        LabCommand::Test(args) => test(args),
    }
}

const SOLUTION: &str = "solution";
const UNTOUCHED: &str = "untouched";

fn test(args: TestArgs) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let started = Instant::now();
    let lab = crate::lab::load_folder(&args.dir).map_err(|e| Failure::lab(e, lang))?;
    if lab.solution.is_empty() {
        return Err(Failure::bad_input_said(
            msg!(
                "lab-test-no-solution",
                dir = args.dir.join("solution").display().to_string()
            ),
            Some(msg!("lab-test-no-solution-help")),
            lang,
        ));
    }
    let cases = case::read_corpus(&args.dir.join("corpus"))
        .map_err(|e| Failure::bad_input_said(e.message, Some(msg!("lab-test-case-help")), lang))?;
    let mut learners = vec![Learner {
        id: SOLUTION.to_string(),
        path: args.dir.join("solution"),
        ..Learner::default()
    }];
    learners.extend(cases.iter().map(|c| Learner {
        id: format!("corpus/{}", c.name),
        path: c.submission.clone(),
        ..Learner::default()
    }));
    let rows = Mutex::new(Vec::new());
    let on_event = |event: Event| {
        if let Event::LearnerFinished(row) = event {
            rows.lock().unwrap_or_else(|e| e.into_inner()).push(row);
        }
    };
    let mode = if args.live { Mode::Live } else { Mode::Offline };
    let mut lines = Vec::new();
    if args.live {
        say_live(learners.len(), lang);
        runtime(lang)?.block_on(async {
            let cluster = connect(&args.connect)
                .await
                .map_err(|e| Failure::connect(e, lang))?;
            let janitor = Janitor::default();
            let jobs = args.jobs.unwrap_or(LIVE_JOBS);
            tokio::select! {
                () = class::run_live(&cluster.client, &janitor, &lab, &learners, lang, jobs, &on_event) => Ok(()),
                _ = interrupted() => {
                    let deleted = janitor.cleanup().await;
                    say_interrupted(&deleted, lang);
                    Err(Failure::interrupted(lang))
                }
            }
        })?;
    } else {
        let threads = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        class::run_offline(&lab, &learners, lang, threads, &on_event);
    }
    let rows = rows.into_inner().unwrap_or_else(|e| e.into_inner());
    let row = |id: &str| rows.iter().find(|r| r.learner == id);
    lines.push(solution_line(row(SOLUTION), lang));
    if !args.live {
        lines.push(untouched_line(&lab, lang));
    }
    for case in &cases {
        let row = row(&format!("corpus/{}", case.name));
        lines.push(case_line(&lab, case, row, args.live, lang));
    }
    let count = |v: CaseVerdict| lines.iter().filter(|l| l.result == v).count();
    let (ok, mismatch, error) = (
        count(CaseVerdict::Ok),
        count(CaseVerdict::Mismatch),
        count(CaseVerdict::Error),
    );
    match args.output {
        TestOutput::Table => out!(
            "{}",
            table(&lab, &lines, mode, started.elapsed().as_secs_f64(), lang)
        ),
        TestOutput::Json => {
            let value = serde_json::json!({
                "lab": lab.id,
                "dir": args.dir.display().to_string(),
                "mode": mode,
                "passed": mismatch == 0 && error == 0,
                "summary": {"cases": lines.len(), "ok": ok, "mismatch": mismatch, "error": error},
                "cases": lines,
            });
            out!(
                "{}\n",
                serde_json::to_string_pretty(&value).expect("JSON serializes")
            );
        }
    }
    Ok(if error > 0 {
        exit::ENVIRONMENT
    } else if mismatch > 0 {
        exit::FAILED
    } else {
        exit::PASSED
    })
}

/// `grading N submissions live …` on stderr: a live test takes minutes.
fn say_live(count: usize, lang: Lang) {
    super::say_on_stderr(&msg!("lab-test-live-start", count = count).render(lang));
}

/// The learner's grade, or the line's verdict and problem when there is none: an
/// unreadable submission is a mismatch (a case states a verdict), an environment
/// failure an error.
fn graded(
    row: Option<&LearnerResult>,
    lang: Lang,
) -> Result<&LabResult, (CaseVerdict, Vec<String>)> {
    match row.map(|r| &r.outcome) {
        Some(Outcome::Graded(result)) => Ok(result),
        Some(Outcome::Failed { kind, message, .. }) if *kind == "environment" => {
            Err((CaseVerdict::Error, vec![message.clone()]))
        }
        Some(Outcome::Failed { message, .. }) => Err((
            CaseVerdict::Mismatch,
            vec![msg!("case-submission-unreadable", reason = message.as_str()).render(lang)],
        )),
        None => Err((CaseVerdict::Error, vec!["not graded".to_string()])),
    }
}

/// A live grade with a check that erred is the environment's failure, not the lab's.
fn errored(result: &LabResult) -> Option<Vec<String>> {
    let errors: Vec<String> = result
        .checks()
        .filter(|(_, c)| c.verdict == Verdict::Error)
        .map(|(s, c)| format!("{}/{}: {}", s.id, c.id, c.message))
        .collect();
    (!errors.is_empty()).then_some(errors)
}

fn line(case: &str, expect: &'static str, problems: Vec<Message>, lang: Lang) -> CaseLine {
    CaseLine {
        case: case.to_string(),
        expect,
        result: if problems.is_empty() {
            CaseVerdict::Ok
        } else {
            CaseVerdict::Mismatch
        },
        problems: problems.iter().map(|m| m.render(lang)).collect(),
        note: None,
    }
}

/// The solution passes every check (a skipped check offline is not a failure), with
/// nothing refused.
fn solution_line(row: Option<&LearnerResult>, lang: Lang) -> CaseLine {
    let result = match graded(row, lang) {
        Ok(result) => result,
        Err((result, problems)) => {
            return CaseLine {
                case: SOLUTION.into(),
                expect: "pass",
                result,
                problems,
                note: None,
            };
        }
    };
    if let Some(problems) = errored(result) {
        return CaseLine {
            case: SOLUTION.into(),
            expect: "pass",
            result: CaseVerdict::Error,
            problems,
            note: None,
        };
    }
    let mut problems = Vec::new();
    for (step, check) in result.checks() {
        if !matches!(check.verdict, Verdict::Pass | Verdict::Skip) {
            problems.push(msg!(
                "lab-test-solution-check",
                check = format!("{}/{}", step.id, check.id),
                verdict = check.verdict.as_str(),
                message = check.message.as_str()
            ));
        }
    }
    for refused in &result.refused {
        problems.push(msg!(
            "lab-test-solution-refused",
            object = format!("{} {}", refused.kind, refused.name),
            message = refused.message.as_str()
        ));
    }
    if problems.is_empty() && !result.passed {
        problems.push(msg!("case-expected-pass", failed = "[]"));
    }
    line(SOLUTION, "pass", problems, lang)
}

/// Nothing submitted: every check worth points fails (a lab is never solved at start).
fn untouched_line(lab: &Lab, lang: Lang) -> CaseLine {
    let result = Grader::new(lab).grade(&Submission::default(), lang);
    let mut problems = Vec::new();
    for (step, check) in result.checks().filter(|(_, c)| c.max_points > 0) {
        if check.verdict != Verdict::Fail {
            problems.push(msg!(
                "lab-test-untouched-check",
                check = format!("{}/{}", step.id, check.id),
                verdict = check.verdict.as_str(),
                message = check.message.as_str()
            ));
        }
    }
    if problems.is_empty() && result.passed {
        problems.push(msg!("case-expected-fail"));
    }
    line(UNTOUCHED, "fail", problems, lang)
}

fn case_line(
    lab: &Lab,
    case: &Case,
    row: Option<&LearnerResult>,
    live: bool,
    lang: Lang,
) -> CaseLine {
    let expect = match case.expectation.expect {
        Expect::Pass => "pass",
        Expect::Fail => "fail",
    };
    let result = match graded(row, lang) {
        Ok(result) => result,
        Err((result, problems)) => {
            return CaseLine {
                case: case.name.clone(),
                expect,
                result,
                problems,
                note: None,
            };
        }
    };
    if let Some(problems) = errored(result) {
        return CaseLine {
            case: case.name.clone(),
            expect,
            result: CaseVerdict::Error,
            problems,
            note: None,
        };
    }
    let problems = if live {
        // Checks the simulation skips (`exec`, the implementation-defined) are graded
        // live, but a case written offline does not list them.
        let skipped: Vec<String> =
            crate::manifest::load_paths(std::slice::from_ref(&case.submission))
                .map(|submission| {
                    Grader::new(lab)
                        .grade(&submission, lang)
                        .checks()
                        .filter(|(_, c)| c.verdict == Verdict::Skip)
                        .map(|(_, c)| c.id.clone())
                        .collect()
                })
                .unwrap_or_default();
        let skipped: Vec<&str> = skipped.iter().map(String::as_str).collect();
        case::disagreements_live(&case.expectation, result, &skipped)
    } else {
        case::disagreements(&case.expectation, result)
    };
    if live
        && !problems.is_empty()
        && let Some(differences) = renamed_namespace(lab, case, result, lang)
    {
        let mut line = line(&case.name, expect, differences, lang);
        line.note = Some(msg!("lab-test-namespace-dependent").render(lang));
        return line;
    }
    line(&case.name, expect, problems, lang)
}

/// The namespace a live run's sandbox stands for in the simulation: any name but
/// `default` (the live corpus test simulates under the same one).
const RENAMED: &str = "kubelab-sandbox";

/// A case's statement is about the seed's namespace, `default`; a live run grades in a
/// namespace of another name. When the case comes out as stated simulated in `default`
/// but not simulated under another name (a policy that selects namespaces by name), the
/// live grade is compared check by check with the simulation under another name: the
/// differences (none: as expected). `None` when the case does not depend on the name.
fn renamed_namespace(lab: &Lab, case: &Case, live: &LabResult, lang: Lang) -> Option<Vec<Message>> {
    let submission = crate::manifest::load_paths(std::slice::from_ref(&case.submission)).ok()?;
    let seed = Grader::new(lab).grade(&submission, lang);
    let renamed = Grader::new(lab)
        .with_namespace(RENAMED)
        .grade(&submission, lang);
    if !case::disagreements(&case.expectation, &seed).is_empty()
        || case::disagreements(&case.expectation, &renamed).is_empty()
    {
        return None;
    }
    Some(
        renamed
            .checks()
            .zip(live.checks())
            .filter(|((_, off), (_, on))| off.verdict != Verdict::Skip && off.verdict != on.verdict)
            .map(|((step, off), (_, on))| {
                msg!(
                    "lab-test-live-differs",
                    check = format!("{}/{}", step.id, off.id),
                    live = on.verdict.as_str(),
                    message = on.message.as_str(),
                    simulated = off.verdict.as_str()
                )
            })
            .collect(),
    )
}

/// Columns `text` takes on a terminal (a Hangul syllable takes two).
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| 1 + usize::from(('\u{AC00}'..='\u{D7A3}').contains(&c)))
        .sum()
}

/// A line per case (`ok`, `mismatch` with each problem under it, `error`), then the
/// summary.
fn table(lab: &Lab, lines: &[CaseLine], mode: Mode, seconds: f64, lang: Lang) -> String {
    let label = |v: CaseVerdict| match v {
        CaseVerdict::Ok => msg!("lab-test-ok").render(lang),
        CaseVerdict::Mismatch => msg!("lab-test-mismatch").render(lang),
        CaseVerdict::Error => msg!("lab-test-error").render(lang),
    };
    let label_width = [CaseVerdict::Ok, CaseVerdict::Mismatch, CaseVerdict::Error]
        .iter()
        .map(|v| columns(&label(*v)))
        .max()
        .unwrap_or(0);
    let name_width = lines.iter().map(|l| l.case.len()).max().unwrap_or(0);
    let mut text = String::new();
    for line in lines {
        let label = label(line.result);
        let pad = label_width - columns(&label);
        let expect = match line.expect {
            "pass" => msg!("lab-test-expect-pass").render(lang),
            _ => msg!("lab-test-expect-fail").render(lang),
        };
        text.push_str(&format!(
            "{label}{:pad$}  {:name_width$}  {expect}\n",
            "",
            crate::text::escape_control(&line.case),
        ));
        if let Some(note) = &line.note {
            text.push_str(&format!("{:label_width$}    ({note})\n", ""));
        }
        for problem in &line.problems {
            let problem = crate::text::escape_control_keep_lines(problem);
            text.push_str(&format!("{:label_width$}    {problem}\n", ""));
        }
    }
    let count = |v: CaseVerdict| lines.iter().filter(|l| l.result == v).count();
    let mode = match mode {
        Mode::Offline => msg!("lab-test-offline"),
        Mode::Live => msg!("lab-test-live"),
    };
    text.push_str(
        &msg!(
            "lab-test-summary",
            lab = lab.id.as_str(),
            total = lines.len(),
            ok = count(CaseVerdict::Ok),
            mismatch = count(CaseVerdict::Mismatch),
            error = count(CaseVerdict::Error),
            mode = mode,
            seconds = format!("{seconds:.1}")
        )
        .render(lang),
    );
    text.push('\n');
    text
}
