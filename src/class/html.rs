//! The HTML report of a class run: one self-contained page (inline CSS and script, a
//! Content-Security-Policy that lets it load nothing, so that opening it makes no network
//! access) with
//!
//! - the class matrix: learners × checks, each cell coloured by the verdict, sortable by
//!   any column (a small inline script; without it the page still reads);
//! - per learner, each failing check's message and the learner's lines around its
//!   location (the terminal report's snippets), the refused objects and the notes;
//! - for a lab with `connect` checks, each learner's connectivity matrix: pod × pod,
//!   allowed or blocked, with the rule that decided (the cell's tooltip has the whole
//!   explanation), simulated from the learner's final state with the lab's fixtures —
//!   offline and live runs alike.
//!
//! Like the other reports it renders the rows [`ClassReport`] collected; what it needs
//! from the learners' files (the lines, the simulated network) [`Evidence`] takes from
//! the runner's events as each learner finishes, so that no learner's files are kept.
//! Every learner-controlled text (learner ids, file names, messages, YAML lines, object
//! names) is escaped; the chrome follows `--lang`.
//!
//! The page's markup is the template `templates/class.html` (askama: compiled into the
//! binary and type-checked against the fields of `Page`). This module gives it the data,
//! every text as it is and the chrome already translated; the template escapes every
//! value it writes ([`HtmlText`]). The inline style and script are `templates/class.css`
//! and `class.js`, hashed here for the Content-Security-Policy.

use super::report::{ClassReport, html_status, status_word};
use super::{Event, LearnerResult, Outcome};
use crate::check::Verdict;
use crate::grade::{CheckResult, Grader, LabResult, Mode};
use crate::i18n::Message;
use crate::lab::{Check, Lab, Lang, Step};
use crate::manifest::{Location, MAX_FILE_SIZE, SourceFile};
use crate::msg;
use crate::netpol::{self, Decision, TruthTable};
use crate::report::snippet;
use crate::text;
use base64::Engine as _;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::sync::{Arc, Mutex};

/// The most pods a learner's connectivity matrix shows (the pods the lab's checks name
/// first); the page says how many more there are.
pub const MAX_PODS: usize = 8;

/// What the HTML report needs from each learner's files, taken from the runner's events
/// as each learner finishes (on the runner's threads): the lines around each finding and,
/// for a lab with `connect` checks, the simulated connectivity matrices.
pub struct Evidence<'l> {
    grader: Grader<'l>,
    /// The class's lab, whose variant a learner graded against one is simulated in.
    lab: &'l crate::lab::Lab,
    by_learner: Mutex<HashMap<String, LearnerEvidence>>,
}

#[derive(Default)]
struct LearnerEvidence {
    /// The snippet of each location a finding points at.
    snippets: HashMap<Location, String>,
    grids: Vec<Grid>,
    /// Pods of the learner's namespace the matrices leave out (past [`MAX_PODS`]).
    pods_left_out: usize,
}

/// A connectivity matrix, kept small: per ordered pair of distinct pods, the verdict,
/// the rules that decided and the explanation.
struct Grid {
    pods: Vec<String>,
    port: i32,
    protocol: String,
    /// Row-major `pods × pods`; `None` on the diagonal.
    cells: Vec<Option<Cell>>,
}

struct Cell {
    verdict: netpol::Verdict,
    /// Allowed: the rules that allow (`policy spec.ingress[0]`), empty when no policy
    /// isolates either pod; blocked: the policies that isolate; undecided: the rules
    /// whose effect depends on the network plugin.
    rules: Vec<String>,
    explanation: crate::i18n::Message,
}

impl Grid {
    fn of(table: &TruthTable) -> Self {
        let mut cells = Vec::with_capacity(table.pods.len() * table.pods.len());
        for from in &table.pods {
            for to in &table.pods {
                cells.push(table.get(from, to).map(Cell::of));
            }
        }
        Self {
            pods: table.pods.clone(),
            port: table.port,
            protocol: table.protocol.clone(),
            cells,
        }
    }
}

impl Cell {
    fn of(decision: &Decision) -> Self {
        let sides = [&decision.ingress, &decision.egress];
        let rules = match decision.verdict {
            netpol::Verdict::Allowed => sides
                .iter()
                .filter(|s| !s.selected_by.is_empty())
                .flat_map(|s| &s.allowed_by)
                .map(|r| format!("{} {}", r.policy, r.path))
                .collect(),
            netpol::Verdict::Denied => sides
                .iter()
                .filter(|s| s.verdict == netpol::Verdict::Denied)
                .flat_map(|s| &s.selected_by)
                .cloned()
                .collect(),
            netpol::Verdict::ImplementationDefined => sides
                .iter()
                .flat_map(|s| &s.implementation_defined)
                .map(|(r, _)| format!("{} {}", r.policy, r.path))
                .collect(),
        };
        Self {
            verdict: decision.verdict,
            rules,
            explanation: decision.explain(),
        }
    }
}

impl<'l> Evidence<'l> {
    /// Evidence for a run of `report`'s lab.
    pub fn new(report: &ClassReport<'l>) -> Self {
        Self {
            grader: Grader::new(report.lab().0),
            lab: report.lab().0,
            by_learner: Mutex::default(),
        }
    }

    /// The event consumer: takes a finished learner's lines and connectivity.
    pub fn on_event(&self, event: &Event) {
        if let Event::LearnerFinished(row) = event {
            let evidence = self.gather(row);
            self.by_learner
                .lock()
                .unwrap()
                .insert(row.learner.clone(), evidence);
        }
    }

    fn gather(&self, row: &LearnerResult) -> LearnerEvidence {
        let mut evidence = LearnerEvidence::default();
        let mut sources: Vec<Arc<SourceFile>> = row
            .submission
            .as_ref()
            .map(|s| s.files.clone())
            .unwrap_or_default();
        let mut wanted: Vec<&Location> = Vec::new();
        match &row.outcome {
            Outcome::Graded(result) => {
                wanted.extend(
                    result
                        .checks()
                        .filter(|(_, c)| matches!(c.verdict, Verdict::Fail | Verdict::Error))
                        .filter_map(|(_, c)| c.location.as_ref()),
                );
                wanted.extend(result.refused.iter().map(|r| &r.location));
            }
            Outcome::Failed {
                location: Some(location),
                ..
            } => {
                // The file did not load; its lines are read again for the snippet.
                sources.extend(read_source(&location.file));
                wanted.push(location);
            }
            Outcome::Failed { .. } => {}
        }
        for location in wanted {
            if !evidence.snippets.contains_key(location)
                && let Some(lines) = snippet::render(location, &sources)
            {
                evidence.snippets.insert(location.clone(), lines);
            }
        }
        if let Some(submission) = &row.submission {
            // A learner graded against a variant: its fixtures (loaded again here; a
            // variant that does not load has no matrix, its row says why).
            let variant = match &row.variant {
                Some(seed) if self.lab.variant.as_deref() != Some(seed) => {
                    match self.lab.variant(Some(seed)) {
                        Ok(lab) => Some(lab),
                        Err(_) => return evidence,
                    }
                }
                _ => None,
            };
            let (tables, left_out) = match &variant {
                Some(lab) => Grader::new(lab).connectivity(submission, MAX_PODS),
                None => self.grader.connectivity(submission, MAX_PODS),
            };
            evidence.grids = tables.iter().map(Grid::of).collect();
            evidence.pods_left_out = left_out;
        }
        evidence
    }
}

/// A file that did not load, read again (at most [`MAX_FILE_SIZE`], a regular file only)
/// for the lines around the place it failed.
fn read_source(path: &str) -> Option<Arc<SourceFile>> {
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_FILE_SIZE)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(Arc::new(SourceFile {
        display: path.to_string(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }))
}

/// The verdict's word (`pass`, `통과`).
fn verdict_word(verdict: Verdict) -> Message {
    match verdict {
        Verdict::Pass => msg!("report-verdict-pass"),
        Verdict::Fail => msg!("report-verdict-fail"),
        Verdict::Error => msg!("report-verdict-error"),
        Verdict::Skip => msg!("report-verdict-skip"),
    }
}

/// `text` safe in HTML text and in a quoted attribute: `& < > " '` as character
/// references, control characters escaped as in the terminal (`\u{1b}`; line breaks
/// kept, the page shows them where they matter).
pub fn escape(text: &str) -> String {
    let text = text::escape_control_keep_lines(text);
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The escaper of the project's `.html` templates (askama.toml): every value the template
/// writes goes through [`escape`].
#[derive(Clone, Copy)]
pub struct HtmlText;

impl askama::filters::Escaper for HtmlText {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, text: &str) -> std::fmt::Result {
        dest.write_str(&escape(text))
    }
}

/// The page's `id` of a learner's section: `l-` and the id's bytes in hex (any folder
/// name, only safe characters).
fn anchor(learner: &str) -> String {
    let mut out = String::from("l-");
    for b in learner.bytes() {
        write!(out, "{b:02x}").unwrap();
    }
    out
}

fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "✔",
        Verdict::Fail => "✘",
        Verdict::Error => "!",
        Verdict::Skip => "–",
    }
}

/// The sort key of a verdict: the ones to look at first sort first.
fn verdict_key(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Fail => 0,
        Verdict::Error => 1,
        Verdict::Skip => 2,
        Verdict::Pass => 3,
    }
}

/// The page's inline style and script, written as they are between their tags.
const STYLE: &str = include_str!("../../templates/class.css");
const SCRIPT: &str = include_str!("../../templates/class.js");

/// The base64 SHA-256 of an inline block, for the Content-Security-Policy's
/// `'sha256-…'`.
fn sha256_base64(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
}

/// The page (templates/class.html): the class's data and the chrome in `--lang`, every
/// text as it is (the template escapes it).
#[derive(askama::Template)]
#[template(path = "class.html")]
struct Page {
    lang: &'static str,
    /// The inline style and script, and the base64 SHA-256 of exactly that text.
    style: &'static str,
    style_sha256: String,
    script: &'static str,
    script_sha256: String,
    chrome: Chrome,
    /// `network-policy — Apply a NetworkPolicy`.
    title: String,
    mode: String,
    learner_count: String,
    notes: Vec<String>,
    summary: String,
    /// The class matrix: a column per check of the lab, a row per learner, the share of
    /// the class that passed each check.
    columns: Vec<CheckColumn>,
    rows: Vec<MatrixRow>,
    shares: Vec<Share>,
    learners: Vec<LearnerSection>,
    /// What an instructor reads first, above the matrix.
    overview: Overview,
    /// Groups of learners with the same manifests ([`super::copies`]).
    copies: Vec<Vec<String>>,
    /// `Handed in the reference solution verbatim: …`, when someone did.
    reference_copies: Option<String>,
}

/// The top of the page: the scores at a glance, the checks the class failed most, and
/// the learners who need a word from the instructor.
struct Overview {
    heading: String,
    /// `mean 5.2 · median 6 of 8 points (12 graded)`; none when nobody was graded.
    mean_median: Option<String>,
    histogram_heading: String,
    histogram: Vec<Bar>,
    hardest_heading: String,
    hardest: Vec<Hardest>,
    contact_heading: String,
    contact: Vec<Contact>,
    nobody_to_contact: String,
    filter_status: String,
    filter_all: String,
    /// (status, its word) for the status filter.
    statuses: Vec<(&'static str, String)>,
    search: String,
    copies_heading: String,
    copies_about: String,
    copies_none: String,
}

/// One bar of the score histogram: a `<meter>` (no inline style: the page's CSP).
struct Bar {
    /// `4` or `4–5` points.
    label: String,
    count: usize,
    /// The largest bar's count (the meters' scale).
    of: usize,
}

/// A check and the share of the graded class that failed it.
struct Hardest {
    step: String,
    id: String,
    title: String,
    said: String,
    failed: usize,
    graded: usize,
}

/// A learner the instructor should contact, and why.
struct Contact {
    learner: String,
    anchor: String,
    status: &'static str,
    status_word: String,
    reason: String,
}

/// The words of the page that no learner changes.
struct Chrome {
    report: String,
    sort_hint: String,
    /// learner, status, points
    matrix_columns: [String; 3],
    no_result: String,
    passed_of_graded: String,
    learners: String,
    /// step, check, verdict, points, message
    check_columns: [String; 5],
    all_passed: String,
    refused: String,
    connectivity: String,
    corner: String,
    connectivity_about: String,
}

impl Chrome {
    fn new(lang: Lang) -> Self {
        let t = |message: Message| message.render(lang);
        Self {
            report: t(msg!("class-html-report")),
            sort_hint: t(msg!("class-html-sort-hint")),
            matrix_columns: [
                t(msg!("class-column-learner")),
                t(msg!("class-column-status")),
                t(msg!("class-column-points")),
            ],
            no_result: t(msg!("class-html-no-result")),
            passed_of_graded: t(msg!("class-html-passed-of-graded")),
            learners: t(msg!("class-html-learners")),
            check_columns: [
                t(msg!("report-column-step")),
                t(msg!("report-column-check")),
                t(msg!("report-column-verdict")),
                t(msg!("report-column-points")),
                t(msg!("report-column-message")),
            ],
            all_passed: t(msg!("class-html-all-passed")),
            refused: t(msg!("class-html-refused")),
            connectivity: t(msg!("class-html-connectivity")),
            corner: t(msg!("class-html-corner")),
            connectivity_about: t(msg!("class-html-connectivity-about")),
        }
    }
}

/// A check's column of the class matrix.
struct CheckColumn {
    step: String,
    step_title: String,
    id: String,
    title: String,
}

/// A verdict as the page shows it: `v-fail`, its sort key, `✘ fail` and the first line
/// of the check's message (a tooltip in the matrix, a cell in a learner's table).
struct VerdictView {
    name: &'static str,
    key: u8,
    mark: &'static str,
    word: String,
    message: String,
}

impl VerdictView {
    fn of(check: &CheckResult, lang: Lang) -> Self {
        Self {
            name: check.verdict.as_str(),
            key: verdict_key(check.verdict),
            mark: mark(check.verdict),
            word: verdict_word(check.verdict).render(lang),
            message: first_line(&check.message),
        }
    }
}

/// A learner's row of the class matrix.
struct MatrixRow {
    learner: String,
    anchor: String,
    status: &'static str,
    /// Passed, failed, error, unreadable sort as 3, 2, 0, 1.
    status_key: u8,
    status_word: String,
    /// `(score, max_score)` of a graded learner.
    score: Option<(u32, u32)>,
    /// Per column, the learner's verdict (none when not graded).
    cells: Vec<Option<VerdictView>>,
    /// Why nothing was graded, or what was refused: shown across the row's check
    /// columns (an unreadable learner) or under the status (a refused object).
    reason: Option<String>,
}

/// `3/5 (60%)` under a check's column.
struct Share {
    passed: usize,
    graded: usize,
    /// `60%`, or `–` when no learner was graded.
    percent: String,
}

/// A learner's section: the findings with their lines, then the connectivity.
struct LearnerSection {
    id: String,
    anchor: String,
    status: &'static str,
    status_word: String,
    /// `6/6 points` of a graded learner.
    score: Option<String>,
    /// ``variant `kim` `` of a learner graded against a variant.
    variant: Option<String>,
    outcome: Findings,
    grids: Vec<GridView>,
    /// `5 more pods are not shown.` past [`MAX_PODS`].
    pods_left_out: Option<String>,
}

enum Findings {
    /// The learner's files did not load: every error, with its help and lines (the
    /// one message, and where, for any other failure).
    Failed {
        errors: Vec<FailedError>,
    },
    Graded(Box<Graded>),
}

struct Graded {
    notes: Vec<String>,
    checks: Vec<CheckRow>,
    /// Nothing failed: the section says so.
    all_passed: bool,
    findings: Vec<FindingView>,
    refused: Vec<RefusedView>,
}

struct CheckRow {
    step: String,
    id: String,
    title: String,
    verdict: VerdictView,
    points: u32,
    max_points: u32,
}

/// One block per distinct finding, as in the terminal report.
struct FindingView {
    /// An error (the check could not run) rather than a failure.
    error: bool,
    mark: &'static str,
    step: String,
    /// The checks that found it, `a, b`.
    ids: String,
    title: String,
    message: String,
    details: Vec<String>,
    at: Option<Place>,
    hint: Option<String>,
}

/// An object the sandbox's rules refused.
struct RefusedView {
    kind: String,
    name: String,
    message: String,
    at: Place,
    hint: String,
}

/// `file:line:column` and, when the evidence has them, the learner's lines there.
/// One reason a learner could not be graded, as the terminal shows an input error.
struct FailedError {
    message: String,
    help: Option<String>,
    at: Option<Place>,
}

struct Place {
    file: String,
    line: usize,
    column: usize,
    snippet: Option<Vec<SnippetLine>>,
}

struct SnippetLine {
    /// The line the location points at (the snippet's `  >`).
    marked: bool,
    text: String,
}

impl SnippetLine {
    /// The lines of a rendered snippet ([`crate::report::snippet::render`]).
    fn of(lines: &str) -> Vec<Self> {
        lines
            .lines()
            .map(|line| SnippetLine {
                marked: line.starts_with("  >"),
                text: line.to_string(),
            })
            .collect()
    }
}

impl Place {
    fn of(location: &Location, evidence: &LearnerEvidence) -> Self {
        let snippet = evidence
            .snippets
            .get(location)
            .map(|lines| SnippetLine::of(lines));
        Self {
            file: location.file.clone(),
            line: location.line,
            column: location.column,
            snippet,
        }
    }
}

/// A connectivity matrix as the page shows it.
struct GridView {
    protocol: String,
    port: i32,
    pods: Vec<String>,
    rows: Vec<GridRow>,
}

struct GridRow {
    from: String,
    /// `None` on the diagonal.
    cells: Vec<Option<GridCell>>,
}

struct GridCell {
    /// `allowed`, `blocked` or `undecided`.
    class: &'static str,
    mark: &'static str,
    word: String,
    /// The rules that decided (`isolated by a, b`; `no policy isolates`).
    rule: String,
    explanation: String,
}

impl GridView {
    fn of(grid: &Grid, lang: Lang) -> Self {
        let n = grid.pods.len();
        let rows = grid
            .pods
            .iter()
            .enumerate()
            .map(|(i, from)| GridRow {
                from: from.clone(),
                cells: grid.cells[i * n..(i + 1) * n]
                    .iter()
                    .map(|cell| cell.as_ref().map(|cell| GridCell::of(cell, lang)))
                    .collect(),
            })
            .collect();
        Self {
            protocol: grid.protocol.clone(),
            port: grid.port,
            pods: grid.pods.clone(),
            rows,
        }
    }
}

impl GridCell {
    fn of(cell: &Cell, lang: Lang) -> Self {
        let (class, mark, word) = match cell.verdict {
            netpol::Verdict::Allowed => ("allowed", "✓", msg!("class-html-allowed")),
            netpol::Verdict::Denied => ("blocked", "✗", msg!("class-html-blocked")),
            netpol::Verdict::ImplementationDefined => {
                ("undecided", "?", msg!("class-html-undecided"))
            }
        };
        let rule = match (cell.verdict, cell.rules.is_empty()) {
            (netpol::Verdict::Allowed, true) => msg!("class-html-no-policy").render(lang),
            (netpol::Verdict::Denied, false) => {
                msg!("class-html-isolated-by", policies = cell.rules.join(", ")).render(lang)
            }
            _ => cell.rules.join(", "),
        };
        Self {
            class,
            mark,
            word: word.render(lang),
            rule,
            explanation: cell.explanation.render(lang),
        }
    }
}

/// The page. Without `evidence` (no learner's files were seen) the learners' sections
/// have the messages but no lines and no connectivity matrix.
pub fn render(report: &ClassReport<'_>, evidence: Option<&Evidence<'_>>) -> String {
    use askama::Template as _;
    let (lab, lang) = report.lab();
    let rows = report.rows();
    let empty = HashMap::new();
    let guard = evidence.map(|e| e.by_learner.lock().unwrap());
    let by_learner = guard.as_deref().unwrap_or(&empty);
    let none = LearnerEvidence::default();
    let mode = match report.mode() {
        Some(Mode::Live) => msg!("class-html-live"),
        _ => msg!("class-html-offline"),
    };
    let params = lab.param_values();
    let columns = lab_checks(lab)
        .map(|(step, check)| CheckColumn {
            step: step.id.clone(),
            step_title: step.title.render(lang, &params),
            id: check.id.clone(),
            title: check
                .title
                .as_ref()
                .map(|t| t.render(lang, &params))
                .unwrap_or_else(|| check.kind.name().to_string()),
        })
        .collect();
    let page = Page {
        lang: lang.code(),
        style: STYLE,
        style_sha256: sha256_base64(STYLE),
        script: SCRIPT,
        script_sha256: sha256_base64(SCRIPT),
        chrome: Chrome::new(lang),
        title: format!("{} — {}", lab.id, lab.title.get(lang)),
        mode: mode.render(lang),
        learner_count: msg!("class-learners", count = rows.len()).render(lang),
        notes: report
            .notes()
            .iter()
            .map(|note| msg!("report-note", note = note.as_str()).render(lang))
            .collect(),
        summary: report.summary_line().render(lang),
        rows: rows.iter().map(|row| matrix_row(row, lab, lang)).collect(),
        columns,
        shares: report
            .shares()
            .iter()
            .map(|share| Share {
                passed: share.passed,
                graded: share.graded,
                percent: if share.graded == 0 {
                    "–".to_string()
                } else {
                    format!("{:.0}%", 100.0 * share.passed as f64 / share.graded as f64)
                },
            })
            .collect(),
        learners: rows
            .iter()
            .map(|row| {
                let evidence = by_learner.get(&row.learner).unwrap_or(&none);
                learner(row, evidence, lang)
            })
            .collect(),
        overview: overview(report, &rows, lab, lang),
        copies: report.copy_groups(),
        reference_copies: {
            let learners = report.reference_copies();
            (!learners.is_empty()).then(|| {
                msg!(
                    "class-html-reference-copies",
                    learners = learners.join(", ")
                )
                .render(lang)
            })
        },
    };
    page.render().expect("the page renders to a String")
}

/// A learner's row of the class matrix.
fn matrix_row(row: &LearnerResult, lab: &Lab, lang: Lang) -> MatrixRow {
    let status = html_status(row);
    let result = match &row.outcome {
        Outcome::Graded(result) => Some(result),
        Outcome::Failed { .. } => None,
    };
    MatrixRow {
        learner: row.learner.clone(),
        anchor: anchor(&row.learner),
        status,
        status_key: match status {
            "passed" => 4,
            "failed" => 3,
            "refused" => 2,
            "error" => 0,
            _ => 1,
        },
        status_word: status_word(row).render(lang),
        score: result.map(|r| (r.score, r.max_score)),
        cells: lab_checks(lab)
            .map(|(step, check)| {
                let (_, found) = result?
                    .checks()
                    .find(|(s, c)| s.id == step.id && c.id == check.id)?;
                Some(VerdictView::of(found, lang))
            })
            .collect(),
        reason: reason(row, lang),
    }
}

/// Why a learner needs the instructor: nothing graded (the message's first line), the
/// objects kubelab refused, or an environment error; `None` for a learner graded
/// without any of these.
fn reason(row: &LearnerResult, lang: Lang) -> Option<String> {
    match &row.outcome {
        Outcome::Failed { message, .. } => Some(first_line(message)),
        Outcome::Graded(result) if !result.refused.is_empty() => Some(
            result
                .refused
                .iter()
                .map(|r| {
                    msg!(
                        "class-refused",
                        kind = r.kind.as_str(),
                        name = r.name.as_str(),
                        at = format!("{}:{}", r.location.file, r.location.line)
                    )
                    .render(lang)
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Outcome::Graded(result) if row.errored() => result
            .checks()
            .find(|(_, c)| c.verdict == Verdict::Error)
            .map(|(step, c)| format!("{}/{}: {}", step.id, c.id, first_line(&c.message))),
        Outcome::Graded(_) => None,
    }
}

/// The overview at the top of the page.
fn overview(report: &ClassReport<'_>, rows: &[LearnerResult], lab: &Lab, lang: Lang) -> Overview {
    let t = |message: Message| message.render(lang);
    let max = report.max_points();
    let mut scores: Vec<u32> = rows
        .iter()
        .filter(|r| !r.errored())
        .filter_map(|r| match &r.outcome {
            Outcome::Graded(result) => Some(result.score),
            Outcome::Failed { .. } => None,
        })
        .collect();
    scores.sort_unstable();
    let mean_median = (!scores.is_empty()).then(|| {
        let mean = scores.iter().sum::<u32>() as f64 / scores.len() as f64;
        let n = scores.len();
        let median = if n % 2 == 1 {
            scores[n / 2] as f64
        } else {
            (scores[n / 2 - 1] + scores[n / 2]) as f64 / 2.0
        };
        let number = |x: f64| {
            // One decimal, halves rounded up (6.25 → 6.3).
            let x = (x * 10.0).round() / 10.0;
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.1}")
            }
        };
        t(msg!(
            "class-html-mean-median",
            mean = number(mean),
            median = number(median),
            max = max,
            graded = n
        ))
    });
    // One bar per point up to 10 points, else 10 bins of equal width.
    let bins = max.min(10) + 1;
    let width = if max <= 10 { 1 } else { max.div_ceil(10) };
    let mut histogram: Vec<Bar> = (0..bins)
        .filter(|b| b * width <= max)
        .map(|b| {
            let (low, high) = (b * width, ((b + 1) * width - 1).min(max));
            Bar {
                label: if low == high {
                    low.to_string()
                } else {
                    format!("{low}–{high}")
                },
                count: scores.iter().filter(|s| (low..=high).contains(*s)).count(),
                of: 0,
            }
        })
        .collect();
    let tallest = histogram.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    for bar in &mut histogram {
        bar.of = tallest;
    }
    let params = lab.param_values();
    let mut hardest: Vec<Hardest> = report
        .shares()
        .into_iter()
        .filter(|share| share.graded > 0 && share.passed < share.graded)
        .map(|share| {
            let title = lab_checks(lab)
                .find(|(step, check)| step.id == share.step && check.id == share.check)
                .and_then(|(_, check)| check.title.as_ref().map(|t| t.render(lang, &params)))
                .unwrap_or_default();
            let failed = share.graded - share.passed;
            Hardest {
                said: t(msg!(
                    "class-html-failed-of-graded",
                    failed = failed,
                    graded = share.graded,
                    percent = format!("{:.0}%", 100.0 * failed as f64 / share.graded as f64)
                )),
                step: share.step,
                id: share.check,
                title,
                failed,
                graded: share.graded,
            }
        })
        .collect();
    hardest.sort_by(|a, b| {
        (b.failed * a.graded)
            .cmp(&(a.failed * b.graded))
            .then_with(|| b.failed.cmp(&a.failed))
    });
    let contact = rows
        .iter()
        .filter(|r| matches!(html_status(r), "refused" | "unreadable" | "error"))
        .map(|r| Contact {
            learner: r.learner.clone(),
            anchor: anchor(&r.learner),
            status: html_status(r),
            status_word: status_word(r).render(lang),
            reason: reason(r, lang).unwrap_or_default(),
        })
        .collect();
    let statuses = [
        ("passed", "class-status-passed"),
        ("failed", "class-status-failed"),
        ("refused", "class-status-refused"),
        ("unreadable", "class-status-unreadable"),
        ("no-submission", "class-status-no-submission"),
        ("error", "class-status-error"),
    ]
    .into_iter()
    .filter(|(status, _)| rows.iter().any(|r| html_status(r) == *status))
    .map(|(status, id)| (status, t(Message::new(id))))
    .collect();
    Overview {
        heading: t(msg!("class-html-overview")),
        mean_median,
        histogram_heading: t(msg!("class-html-histogram")),
        histogram,
        hardest_heading: t(msg!("class-html-hardest")),
        hardest,
        contact_heading: t(msg!("class-html-contact")),
        contact,
        nobody_to_contact: t(msg!("class-html-nobody-to-contact")),
        filter_status: t(msg!("class-html-filter-status")),
        filter_all: t(msg!("class-html-filter-all")),
        statuses,
        search: t(msg!("class-html-search")),
        copies_heading: t(msg!("class-html-copies")),
        copies_about: t(msg!("class-html-copies-about")),
        copies_none: t(msg!("class-html-copies-none")),
    }
}

/// The lab's checks in order, each with its step: the matrix's columns.
fn lab_checks(lab: &Lab) -> impl Iterator<Item = (&Step, &Check)> {
    lab.steps
        .iter()
        .flat_map(|step| step.checks.iter().map(move |check| (step, check)))
}

/// A message's first line, for a tooltip.
fn first_line(message: &str) -> String {
    text::truncate(message.lines().next().unwrap_or(""), 300).into_owned()
}

/// One learner's section: the findings with their lines, then the connectivity.
fn learner(row: &LearnerResult, evidence: &LearnerEvidence, lang: Lang) -> LearnerSection {
    let (score, outcome) = match &row.outcome {
        Outcome::Failed {
            message,
            location,
            errors,
            ..
        } if errors.is_empty() => (
            None,
            Findings::Failed {
                errors: vec![FailedError {
                    message: message.clone(),
                    help: None,
                    at: location.as_ref().map(|l| Place::of(l, evidence)),
                }],
            },
        ),
        Outcome::Failed { errors, .. } => (
            None,
            Findings::Failed {
                errors: errors
                    .iter()
                    .map(|e| FailedError {
                        message: e.message.clone(),
                        help: e
                            .help
                            .as_ref()
                            .map(|help| msg!("input-help", help = help.as_str()).render(lang)),
                        at: match (&e.file, e.line, e.column) {
                            (Some(file), Some(line), Some(column)) => Some(Place {
                                file: file.clone(),
                                line,
                                column,
                                snippet: e.snippet.as_deref().map(SnippetLine::of),
                            }),
                            _ => None,
                        },
                    })
                    .collect(),
            },
        ),
        Outcome::Graded(result) => (
            Some(
                msg!(
                    "class-html-score",
                    score = result.score,
                    max = result.max_score
                )
                .render(lang),
            ),
            Findings::Graded(Box::new(graded(result, evidence, lang))),
        ),
    };
    LearnerSection {
        id: row.learner.clone(),
        anchor: anchor(&row.learner),
        status: html_status(row),
        status_word: status_word(row).render(lang),
        score,
        variant: row
            .variant
            .as_ref()
            .map(|seed| msg!("class-html-variant", variant = seed.as_str()).render(lang)),
        outcome,
        grids: evidence
            .grids
            .iter()
            .map(|grid| GridView::of(grid, lang))
            .collect(),
        pods_left_out: (evidence.pods_left_out > 0)
            .then(|| msg!("class-html-pods-left-out", count = evidence.pods_left_out).render(lang)),
    }
}

fn graded(result: &LabResult, evidence: &LearnerEvidence, lang: Lang) -> Graded {
    let findings = crate::report::findings(result);
    Graded {
        notes: result
            .notes
            .iter()
            .map(|note| msg!("report-note", note = note).render(lang))
            .collect(),
        checks: result
            .checks()
            .map(|(step, check)| CheckRow {
                step: step.id.clone(),
                id: check.id.clone(),
                title: check.title.clone(),
                verdict: VerdictView::of(check, lang),
                points: check.points,
                max_points: check.max_points,
            })
            .collect(),
        all_passed: findings.is_empty() && result.refused.is_empty() && result.passed,
        findings: findings
            .iter()
            .map(|finding| {
                let check = finding.check;
                FindingView {
                    error: check.verdict == Verdict::Error,
                    mark: mark(check.verdict),
                    step: finding.step.id.clone(),
                    ids: finding.ids.join(", "),
                    title: finding.title(lang),
                    message: check.message.clone(),
                    details: check.details.clone(),
                    at: check.location.as_ref().map(|l| Place::of(l, evidence)),
                    hint: check
                        .hint
                        .as_ref()
                        .map(|hint| msg!("report-hint", hint = hint).render(lang)),
                }
            })
            .collect(),
        refused: result
            .refused
            .iter()
            .map(|refused| RefusedView {
                kind: refused.kind.clone(),
                name: refused.name.clone(),
                message: refused.message.clone(),
                at: Place::of(&refused.location, evidence),
                hint: msg!("report-hint", hint = refused.help.as_str()).render(lang),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            escape("</script>\"'&\u{1b}[2J\nnext"),
            "&lt;/script&gt;&quot;&#39;&amp;\\u{1b}[2J\nnext"
        );
    }

    /// A page of one hostile learner: its folder, file, policy name, message and lines
    /// are all markup, and all of it is text on the page.
    #[test]
    fn learner_text_never_becomes_markup() {
        use crate::class::{LearnerResult, Outcome};
        use std::time::Duration;
        let catalog = crate::lab::Catalog::embedded().unwrap();
        let lab = catalog.get("network-policy").unwrap();
        let report = ClassReport::new(lab, Lang::En);
        let evidence = Evidence::new(&report);
        let dir = tempfile::tempdir().unwrap();
        let learner = "<img src=x onerror=alert(1)>";
        let folder = dir.path().join(learner);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("<i onmouseover=alert(2)>.yaml"),
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  \
             name: \"</script><script>alert(3)</script>\"\nspec:\n  podSelector: {}\n  \
             policyTypes: [Ingress]\n",
        )
        .unwrap();
        let submission = crate::manifest::load_paths(&[folder]).unwrap();
        let result = Grader::new(lab).grade(&submission, Lang::En);
        for event in [
            Event::Started {
                learners: 1,
                mode: Mode::Offline,
            },
            Event::LearnerFinished(LearnerResult {
                learner: learner.to_string(),
                variant: None,
                outcome: Outcome::Graded(Box::new(result)),
                duration: Duration::ZERO,
                submission: Some(Arc::new(submission)),
            }),
            Event::Finished {
                duration: Duration::ZERO,
            },
        ] {
            evidence.on_event(&event);
            report.on_event(&event);
        }
        let page = render(&report, Some(&evidence));
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert_eq!(page.matches("</script>").count(), 1, "{page}");
        assert!(!page.contains("<img") && !page.contains("<i "), "{page}");
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;</a>"));
        assert!(page.contains("&lt;i onmouseover=alert(2)&gt;.yaml:4:"));
        // the line, the message and the deciding rule of the connectivity matrix
        assert!(
            page.contains("name: &quot;&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;&quot;")
        );
        assert!(page.contains(
            "found NetworkPolicy `&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;`"
        ));
        assert!(page.contains(
            "✗ blocked<span class=\"rule\">isolated by &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;</span>"
        ));
        // the runner's rows keep no learner's files
        assert!(report.rows()[0].submission.is_none());
    }

    /// A learner with many pods: the matrix keeps the pods the lab's checks name and
    /// says how many it leaves out.
    #[test]
    fn the_connectivity_matrix_keeps_the_lab_pods_first() {
        use crate::class::{LearnerResult, Outcome};
        let catalog = crate::lab::Catalog::embedded().unwrap();
        let lab = catalog.get("network-policy").unwrap();
        let report = ClassReport::new(lab, Lang::En);
        let evidence = Evidence::new(&report);
        let dir = tempfile::tempdir().unwrap();
        let mut pods = String::new();
        for i in 0..10 {
            write!(
                pods,
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: a{i}, labels: {{app: extra}}}}\n\
                 spec: {{containers: [{{name: c, image: busybox:1.28}}]}}\n"
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("pods.yaml"), pods).unwrap();
        let submission = crate::manifest::load_paths(&[dir.path().to_path_buf()]).unwrap();
        let result = Grader::new(lab).grade(&submission, Lang::En);
        let evidence = evidence.gather(&LearnerResult {
            learner: "many".into(),
            variant: None,
            outcome: Outcome::Graded(Box::new(result)),
            duration: std::time::Duration::ZERO,
            submission: Some(Arc::new(submission)),
        });
        assert_eq!(evidence.grids.len(), 1);
        let grid = &evidence.grids[0];
        assert_eq!((grid.port, grid.protocol.as_str()), (6379, "TCP"));
        assert_eq!(
            grid.pods,
            [
                "a0",
                "a1",
                "a2",
                "a3",
                "a4",
                "api-pod",
                "db-pod",
                "external-pod"
            ]
        );
        assert_eq!(evidence.pods_left_out, 5);
        assert_eq!(grid.cells.len(), 64);
        assert_eq!(grid.cells.iter().filter(|c| c.is_none()).count(), 8);
    }

    #[test]
    fn anchors_are_hex() {
        assert_eq!(anchor("<a b>"), "l-3c6120623e");
        assert_eq!(anchor("김"), "l-eab980");
    }

    /// The policy names the SHA-256 of exactly the style and the script between their
    /// tags, and neither can close its own tag.
    #[test]
    fn the_policy_hashes_the_inline_blocks() {
        let catalog = crate::lab::Catalog::embedded().unwrap();
        let report = ClassReport::new(catalog.get("network-policy").unwrap(), Lang::En);
        let page = render(&report, None);
        let between = |open: &str, close: &str| {
            let start = page.find(open).unwrap() + open.len();
            &page[start..page.find(close).unwrap()]
        };
        let (style, script) = (
            between("<style>", "</style>"),
            between("<script>", "</script>"),
        );
        assert_eq!((style, script), (STYLE, SCRIPT));
        let policy = format!(
            "content=\"default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; \
             base-uri 'none'; form-action 'none'\">",
            sha256_base64(style),
            sha256_base64(script)
        );
        assert!(page.contains(&policy), "{page}");
        assert_ne!(sha256_base64(style), sha256_base64(script));
        assert!(
            !SCRIPT.contains("</"),
            "the script cannot close its own tag"
        );
        assert!(!STYLE.contains("</"), "the style cannot close its own tag");
    }
}
