//! The class reports, each a consumer of the runner's events: [`ClassReport`] collects
//! the learners' rows and renders the terminal table, CSV, JSON and JUnit (and, with the
//! evidence [`super::html::Evidence`] collects, HTML).
//!
//! JSON: `{"lab", "title", "mode", "notes", "summary": {...}, "learners": [...]}`; each learner
//! is the object `kubelab grade --output json` prints for that learner plus
//! `"learner": "<folder name>"`, `"variant"` (the seed of the variant the learner was
//! graded against, or null), `"copies"` (`{"same_as": [...], "reference_solution"}`,
//! [`super::copies`]; null when the files could not be read) and `"error": null`, or for input that could not be graded
//! the error document of `grade` (`passed: false`, `"error": {"kind", "message", "file",
//! "line", "column"}`) plus `"learner"` and `"variant"`.

use super::copies::{self, Fingerprint};
use super::roster::Student;
use super::{Event, LearnerResult, Outcome};
use crate::check::Verdict;
use crate::grade::{LabResult, Mode};
use crate::i18n::Message;
use crate::lab::{Lab, Lang};
use crate::msg;
use crate::report::failure::FailureDoc;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Collects a class run's events into rows (sorted by learner id when rendered).
pub struct ClassReport<'l> {
    lab: &'l Lab,
    lang: Lang,
    state: Mutex<State>,
    /// The gradebook's students by learner id (`--roster`): the JSON's `student` and the
    /// CSV's last columns.
    roster: Option<BTreeMap<String, Student>>,
}

#[derive(Default)]
struct State {
    /// Run-wide notes (why a run is offline).
    notes: Vec<String>,
    mode: Option<Mode>,
    rows: Vec<LearnerResult>,
    duration: Duration,
    /// Each loaded learner's submission, for the copy check ([`super::copies`]).
    fingerprints: BTreeMap<String, Fingerprint>,
}

/// One check's share of the class: how many learners passed it of those graded on it.
#[derive(Debug, PartialEq, Eq)]
pub struct CheckShare {
    pub step: String,
    pub check: String,
    pub passed: usize,
    pub graded: usize,
}

impl<'l> ClassReport<'l> {
    pub fn new(lab: &'l Lab, lang: Lang) -> Self {
        Self {
            lab,
            lang,
            state: Mutex::default(),
            roster: None,
        }
    }

    /// The report with the gradebook's students (`kubelab class --roster`).
    pub fn with_roster(self, roster: BTreeMap<String, Student>) -> Self {
        Self {
            roster: Some(roster),
            ..self
        }
    }

    /// A note on the whole run, shown above the table and in the JSON's `notes`.
    pub fn note(&self, note: String) {
        self.state.lock().unwrap().notes.push(note);
    }

    /// The event consumer.
    pub fn on_event(&self, event: &Event) {
        let mut state = self.state.lock().unwrap();
        match event {
            Event::Started { mode, .. } => state.mode = Some(*mode),
            Event::LearnerStarted { .. } => {}
            Event::LearnerFinished(row) => {
                if let Some(submission) = &row.submission {
                    let variant = match &row.variant {
                        Some(seed) if self.lab.variant.as_ref() != Some(seed) => {
                            self.lab.variant(Some(seed)).ok()
                        }
                        _ => None,
                    };
                    let lab = variant.as_ref().unwrap_or(self.lab);
                    state
                        .fingerprints
                        .insert(row.learner.clone(), copies::fingerprint(submission, lab));
                }
                state.rows.push(LearnerResult {
                    // The rows are kept until the end: not the learners' files.
                    submission: None,
                    ..row.clone()
                });
            }
            Event::Finished { duration } => state.duration = *duration,
        }
    }

    /// The learners' rows, sorted by learner id.
    pub fn rows(&self) -> Vec<LearnerResult> {
        let mut rows = self.state.lock().unwrap().rows.clone();
        rows.sort_by(|a, b| a.learner.cmp(&b.learner));
        rows
    }

    /// How the run graded (`None` before it started).
    pub fn mode(&self) -> Option<Mode> {
        self.state.lock().unwrap().mode
    }

    /// The run-wide notes (why a run is offline).
    pub fn notes(&self) -> Vec<String> {
        self.state.lock().unwrap().notes.clone()
    }

    /// The lab the class was graded on, and the language of its text.
    pub fn lab(&self) -> (&'l Lab, Lang) {
        (self.lab, self.lang)
    }

    /// Groups of learners whose submissions are the same after normalisation (other
    /// than the reference solution's objects: [`super::copies`]), each sorted.
    pub fn copy_groups(&self) -> Vec<Vec<String>> {
        let state = self.state.lock().unwrap();
        copies::groups(state.fingerprints.iter().map(|(l, f)| (l.as_str(), f)))
    }

    /// The learners who handed in the reference solution verbatim, sorted.
    pub fn reference_copies(&self) -> Vec<String> {
        let state = self.state.lock().unwrap();
        state
            .fingerprints
            .iter()
            .filter(|(_, f)| f.is_reference_verbatim)
            .map(|(l, _)| l.clone())
            .collect()
    }

    /// A learner's copies: the other learners of their group, and whether they handed
    /// in the reference solution verbatim; `None` when their files could not be read.
    pub fn copies_of(&self, learner: &str) -> Option<(Vec<String>, bool)> {
        let verbatim = self
            .state
            .lock()
            .unwrap()
            .fingerprints
            .get(learner)?
            .is_reference_verbatim;
        let others = self
            .copy_groups()
            .into_iter()
            .find(|g| g.iter().any(|l| l == learner))
            .map(|g| g.into_iter().filter(|l| l != learner).collect())
            .unwrap_or_default();
        Some((others, verbatim))
    }

    /// The gradebook's student of a learner (`--roster`): `None` without a roster or
    /// for a learner the roster does not list.
    pub fn student(&self, learner: &str) -> Option<&Student> {
        self.roster.as_ref()?.get(learner)
    }

    /// Every point the lab has (skipped checks included).
    pub fn max_points(&self) -> u32 {
        self.lab
            .steps
            .iter()
            .flat_map(|s| &s.checks)
            .map(|c| c.points)
            .sum()
    }

    /// The run's exit code: 3 when some learner's grade hit an environment error, else
    /// 1 when some learner did not pass, else 0.
    pub fn exit_code(&self) -> u8 {
        let rows = self.rows();
        if rows.iter().any(LearnerResult::errored) {
            3
        } else if rows.iter().all(LearnerResult::passed) {
            0
        } else {
            1
        }
    }

    /// Per check, in lab order: the share of the class that passed it (skipped checks
    /// and learners without a result are not counted).
    pub fn shares(&self) -> Vec<CheckShare> {
        let rows = self.rows();
        let mut shares = Vec::new();
        for step in &self.lab.steps {
            for check in &step.checks {
                let mut share = CheckShare {
                    step: step.id.clone(),
                    check: check.id.clone(),
                    passed: 0,
                    graded: 0,
                };
                for row in &rows {
                    if let Outcome::Graded(result) = &row.outcome
                        && let Some((_, c)) = result
                            .checks()
                            .find(|(s, c)| s.id == step.id && c.id == check.id)
                        && c.verdict != Verdict::Skip
                    {
                        share.graded += 1;
                        share.passed += usize::from(c.verdict == Verdict::Pass);
                    }
                }
                shares.push(share);
            }
        }
        shares
    }

    fn summary(&self) -> Value {
        let rows = self.rows();
        let graded: Vec<&LabResult> = rows
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::Graded(result) => Some(result.as_ref()),
                Outcome::Failed { .. } => None,
            })
            .collect();
        let max_points = self.max_points();
        let mean = if rows.is_empty() {
            0.0
        } else {
            graded.iter().map(|r| f64::from(r.score)).sum::<f64>() / rows.len() as f64
        };
        json!({
            "learners": rows.len(),
            "passed": rows.iter().filter(|r| r.passed()).count(),
            "failed": rows.iter().filter(|r| !r.passed() && !r.errored()).count(),
            "errors": rows.iter().filter(|r| r.errored()).count(),
            "unreadable": rows.iter().filter(|r| matches!(r.outcome, Outcome::Failed { kind: "input", .. })).count(),
            "no_submission": rows.iter().filter(|r| matches!(r.outcome, Outcome::Failed { kind: "absent", .. })).count(),
            "max_points": max_points,
            "mean_score": (mean * 100.0).round() / 100.0,
            "seconds": self.state.lock().unwrap().duration.as_secs_f64(),
            "checks": self.shares().iter().map(|s| json!({
                "step": s.step, "check": s.check, "passed": s.passed, "graded": s.graded,
            })).collect::<Vec<_>>(),
        })
    }

    fn learner_json(&self, row: &LearnerResult) -> Value {
        let mut value = match &row.outcome {
            Outcome::Graded(result) => {
                let mut v = serde_json::to_value(result).expect("the result model serializes");
                v["error"] = Value::Null;
                v
            }
            Outcome::Failed {
                kind,
                message,
                location,
                errors,
            } => FailureDoc {
                lab: &self.lab.id,
                title: Some(self.lab.title.get(self.lang)),
                kind,
                message: message.clone(),
                location: location.clone(),
                errors: errors.clone(),
            }
            .value(),
        };
        value["learner"] = Value::String(row.learner.clone());
        value["variant"] = row.variant.clone().map_or(Value::Null, Value::String);
        value["copies"] = self.copies_of(&row.learner).map_or(
            Value::Null,
            |(same_as, reference)| json!({"same_as": same_as, "reference_solution": reference}),
        );
        if let Some(roster) = &self.roster {
            value["student"] = roster.get(&row.learner).map_or(Value::Null, |s| json!(s));
        }
        value
    }

    /// `{"lab", "title", "mode", "summary", "learners"}`.
    pub fn json(&self) -> String {
        let value = json!({
            "lab": self.lab.id,
            "title": self.lab.title.get(self.lang),
            "mode": self.mode(),
            "notes": self.state.lock().unwrap().notes.clone(),
            "summary": self.summary(),
            "learners": self.rows().iter().map(|r| self.learner_json(r)).collect::<Vec<_>>(),
        });
        let mut text = serde_json::to_string_pretty(&value).expect("JSON serializes");
        text.push('\n');
        text
    }

    /// CSV for a gradebook: `learner,score,max_score,<step>…,status,error,variant` (and
    /// `student_id,name,email` with a roster); the status is `passed`, `failed`, `error`
    /// (environment), `unreadable` or `no-submission`, `error` says
    /// why nothing was graded (empty for a graded learner) and `variant` is the seed of
    /// the variant the learner was graded against (empty: the seed material's
    /// exercise). Columns are only ever added, at the end.
    ///
    /// With `bom`, the text starts with a UTF-8 byte order mark, so that a double-click
    /// opens it in Excel as UTF-8 (without it, Korean Excel decodes CP949). Text cells
    /// that a spreadsheet would run as a formula are neutralised ([`neutralise`]).
    pub fn csv(&self, bom: bool) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["learner".to_string(), "score".into(), "max_score".into()];
        header.extend(self.lab.steps.iter().map(|s| s.id.clone()));
        header.push("status".into());
        header.push("error".into());
        header.push("variant".into());
        if self.roster.is_some() {
            header.extend(["student_id".into(), "name".into(), "email".into()]);
        }
        header.extend(["same_as".into(), "reference_solution".into()]);
        writer.write_record(&header).expect("CSV to memory");
        for row in self.rows() {
            let mut record = vec![neutralise(&row.learner)];
            match &row.outcome {
                Outcome::Graded(result) => {
                    record.push(result.score.to_string());
                    record.push(result.max_score.to_string());
                    record.extend(result.steps.iter().map(|s| s.score.to_string()));
                }
                Outcome::Failed { .. } => {
                    // Nothing graded: 0 of every point the lab has.
                    record.push("0".into());
                    record.push(self.max_points().to_string());
                    record.extend(self.lab.steps.iter().map(|_| "0".to_string()));
                }
            }
            record.push(status(&row).into());
            // Why nothing was graded (unreadable input, an environment failure), else empty.
            record.push(match &row.outcome {
                Outcome::Failed { message, .. } => neutralise(&message.replace('\n', "; ")),
                Outcome::Graded(_) => String::new(),
            });
            record.push(neutralise(row.variant.as_deref().unwrap_or_default()));
            if let Some(roster) = &self.roster {
                let student = roster.get(&row.learner).cloned().unwrap_or_default();
                record.extend([student.id, student.name, student.email].map(|c| neutralise(&c)));
            }
            let (same_as, reference) = self.copies_of(&row.learner).unwrap_or_default();
            record.push(neutralise(&same_as.join(" ")));
            record.push(if reference { "yes" } else { "" }.into());
            writer.write_record(&record).expect("CSV to memory");
        }
        let text =
            String::from_utf8(writer.into_inner().expect("CSV to memory")).expect("CSV is UTF-8");
        if bom { format!("\u{feff}{text}") } else { text }
    }

    /// JUnit XML: a test suite per learner and step (`<learner>/<step>`), a test case
    /// per check (skipped checks as `skipped`), the learner's time on each suite; a
    /// learner without a result gets one suite `<learner>/error`.
    pub fn junit(&self) -> String {
        use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
        let mut report = Report::new(format!("kubelab class {}", self.lab.id));
        for row in self.rows() {
            match &row.outcome {
                Outcome::Graded(result) => {
                    let per_step = row.duration / (result.steps.len().max(1) as u32);
                    for step in &result.steps {
                        let mut suite = TestSuite::new(format!("{}/{}", row.learner, step.id));
                        suite.set_time(per_step);
                        variant_property(&mut suite, &row);
                        for check in &step.checks {
                            let status = match check.verdict {
                                Verdict::Pass => TestCaseStatus::success(),
                                Verdict::Skip => {
                                    let mut s = TestCaseStatus::skipped();
                                    s.set_message(check.message.clone());
                                    s
                                }
                                Verdict::Fail | Verdict::Error => {
                                    let kind = if check.verdict == Verdict::Fail {
                                        NonSuccessKind::Failure
                                    } else {
                                        NonSuccessKind::Error
                                    };
                                    let mut s = TestCaseStatus::non_success(kind);
                                    s.set_message(check.message.clone());
                                    if let Some(at) = &check.location {
                                        s.set_description(format!(
                                            "{}:{}:{}: {}",
                                            at.file, at.line, at.column, check.message
                                        ));
                                    }
                                    s
                                }
                            };
                            let mut case = TestCase::new(check.id.clone(), status);
                            case.set_classname(format!("{}.{}", row.learner, step.id));
                            case.set_time(per_step / (step.checks.len().max(1) as u32));
                            suite.add_test_case(case);
                        }
                        report.add_test_suite(suite);
                    }
                    if !result.refused.is_empty() {
                        let mut suite = TestSuite::new(format!("{}/refused", row.learner));
                        variant_property(&mut suite, &row);
                        for refused in &result.refused {
                            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                            s.set_message(refused.message.clone());
                            s.set_type("refused");
                            let at = &refused.location;
                            s.set_description(format!(
                                "{}:{}:{}: {}",
                                at.file, at.line, at.column, refused.message
                            ));
                            let mut case =
                                TestCase::new(format!("{} {}", refused.kind, refused.name), s);
                            case.set_classname(format!("{}.refused", row.learner));
                            suite.add_test_case(case);
                        }
                        report.add_test_suite(suite);
                    }
                }
                Outcome::Failed { kind, message, .. } => {
                    let mut suite = TestSuite::new(format!("{}/error", row.learner));
                    suite.set_time(row.duration);
                    variant_property(&mut suite, &row);
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                    s.set_message(message.clone());
                    s.set_type(kind.to_string());
                    let mut case = TestCase::new(format!("{kind} error"), s);
                    case.set_classname(format!("{}.error", row.learner));
                    suite.add_test_case(case);
                    report.add_test_suite(suite);
                }
            }
        }
        report.to_string().expect("JUnit XML serializes")
    }

    /// The terminal table: learner × step points, the status and the first failing
    /// check with `file:line`; below it, per check, the share of the class that passed.
    pub fn table(&self, width: u16) -> String {
        let lang = self.lang;
        let mut out = String::new();
        let mode = match self.mode() {
            Some(Mode::Live) => msg!("report-mode-live"),
            _ => msg!("report-mode-offline"),
        }
        .render(lang);
        let rows = self.rows();
        writeln!(
            out,
            "{} — {} ({mode}, {})",
            self.lab.id,
            self.lab.title.get(self.lang),
            msg!("class-learners", count = rows.len()).render(lang)
        )
        .unwrap();
        for note in &self.state.lock().unwrap().notes {
            writeln!(out, "{}", msg!("report-note", note = note).render(lang)).unwrap();
        }
        let mut table = Table::new();
        let mut header = vec![msg!("class-column-learner").render(lang)];
        header.extend(self.lab.steps.iter().map(|s| s.id.clone()));
        header.extend(
            [
                msg!("class-column-points"),
                msg!("class-column-status"),
                msg!("class-column-first-failure"),
            ]
            .map(|m| m.render(lang)),
        );
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(header);
        for row in &rows {
            let mut cells = vec![row.learner.clone()];
            match &row.outcome {
                Outcome::Graded(result) => {
                    cells.extend(
                        result
                            .steps
                            .iter()
                            .map(|s| format!("{}/{}", s.score, s.max_score)),
                    );
                    cells.push(format!("{}/{}", result.score, result.max_score));
                    cells.push(status_word(row).render(lang));
                    cells.push(first_failure(result, lang));
                }
                Outcome::Failed { message, .. } => {
                    // The message names the file and line itself.
                    cells.extend(self.lab.steps.iter().map(|_| "-".to_string()));
                    cells.push("-".into());
                    cells.push(status_word(row).render(lang));
                    cells.push(message.clone());
                }
            }
            table.add_row(cells);
        }
        writeln!(out, "{table}").unwrap();
        let mut shares = Table::new();
        shares
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(
                [
                    msg!("report-column-step"),
                    msg!("report-column-check"),
                    msg!("class-column-passed"),
                    msg!("class-column-share"),
                ]
                .map(|m| m.render(lang)),
            );
        for s in self.shares() {
            let share = if s.graded == 0 {
                "-".to_string()
            } else {
                format!("{:.0}%", 100.0 * s.passed as f64 / s.graded as f64)
            };
            shares.add_row(vec![
                s.step,
                s.check,
                format!("{}/{}", s.passed, s.graded),
                share,
            ]);
        }
        writeln!(out, "{shares}").unwrap();
        writeln!(out, "{}", self.summary_line().render(lang)).unwrap();
        out
    }

    /// `2/3 learners passed · 1 failed · 0 errors`, for the table and the HTML page.
    pub fn summary_line(&self) -> Message {
        let rows = self.rows();
        let passed = rows.iter().filter(|r| r.passed()).count();
        let errors = rows.iter().filter(|r| r.errored()).count();
        let count = |status: &str| rows.iter().filter(|r| html_status(r) == status).count();
        let (refused, unreadable, absent) = (
            count("refused"),
            count("unreadable"),
            count("no-submission"),
        );
        let apart: Vec<Message> = [
            (refused, "class-summary-refused"),
            (unreadable, "class-summary-unreadable"),
            (absent, "class-summary-no-submission"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, id)| Message::new(id).arg("count", n))
        .collect();
        let apart: String = apart
            .iter()
            .map(|m| format!(" · {}", m.render(self.lang)))
            .collect();
        msg!(
            "class-summary",
            passed = passed,
            learners = rows.len(),
            failed = rows.len() - passed - errors - refused - unreadable - absent,
            apart = apart,
            errors = errors
        )
    }
}

/// The JUnit suite's property `variant`: the seed the learner was graded against (none
/// for the seed material's exercise).
fn variant_property(suite: &mut quick_junit::TestSuite, row: &LearnerResult) {
    if let Some(seed) = &row.variant {
        suite.add_property(quick_junit::Property::new("variant", seed.as_str()));
    }
}

/// A CSV text cell a spreadsheet will not run: one that begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'`, as OWASP's "CSV Injection" page
/// recommends (a learner named `=1+2` stays text). CSV only: the other reports show the
/// text as it is.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A learner's status: `passed`, `failed`, `error` (environment), `unreadable` or
/// `no-submission` (a roster's student who handed nothing in).
pub fn status(row: &LearnerResult) -> &'static str {
    match &row.outcome {
        Outcome::Failed { kind: "input", .. } => "unreadable",
        Outcome::Failed { kind: "absent", .. } => "no-submission",
        _ if row.errored() => "error",
        _ if row.passed() => "passed",
        _ => "failed",
    }
}

/// A learner's status as the class's pages show it: [`status`], with a learner whose
/// objects kubelab refused (`refused`) apart from one who merely failed.
pub fn html_status(row: &LearnerResult) -> &'static str {
    match (&row.outcome, status(row)) {
        (Outcome::Graded(result), "failed") if !result.refused.is_empty() => "refused",
        (_, status) => status,
    }
}

/// A learner's status as the learner reads it (`passed`, `통과`).
pub fn status_word(row: &LearnerResult) -> Message {
    match status(row) {
        "unreadable" => msg!("class-status-unreadable"),
        "no-submission" => msg!("class-status-no-submission"),
        "error" => msg!("class-status-error"),
        "passed" => msg!("class-status-passed"),
        _ if html_status(row) == "refused" => msg!("class-status-refused"),
        _ => msg!("class-status-failed"),
    }
}

/// The first failing check (`step/check file:line`), or the first refused object.
pub fn first_failure(result: &LabResult, lang: Lang) -> String {
    if let Some((step, check)) = result
        .checks()
        .find(|(_, c)| matches!(c.verdict, Verdict::Fail | Verdict::Error))
    {
        let at = check
            .location
            .as_ref()
            .map(|l| format!(" {}:{}", l.file, l.line))
            .unwrap_or_default();
        return format!("{}/{}{at}", step.id, check.id);
    }
    if let Some(refused) = result.refused.first() {
        let at = format!("{}:{}", refused.location.file, refused.location.line);
        return msg!(
            "class-refused",
            kind = refused.kind.as_str(),
            name = refused.name.as_str(),
            at = at
        )
        .render(lang);
    }
    String::new()
}
