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

use super::report::{ClassReport, status, status_word};
use super::{Event, LearnerResult, Outcome};
use crate::check::Verdict;
use crate::grade::{Grader, LabResult, Mode};
use crate::i18n::Message;
use crate::lab::Lang;
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

/// A chrome message in `lang`, escaped for the page.
fn t(message: Message, lang: Lang) -> String {
    escape(&message.render(lang))
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

const STYLE: &str = r#"
:root { --pass: #b7e4c7; --fail: #f4a6a6; --error: #ffd08a; --skip: #dddddd; --none: #f2f2f2;
  --allowed: #8fd3a8; --blocked: #e57f7f; --undecided: #ffe08a; --ink: #1d1d1f; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", sans-serif;
  color: var(--ink); margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
h4 { font-size: .95rem; margin: .8rem 0 .3rem; }
.muted, .hint-line { color: var(--muted); }
table { border-collapse: collapse; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .5rem; text-align: left; vertical-align: top; }
#matrix th { background: #fafafa; position: sticky; top: 0; }
#matrix th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  cursor: pointer; text-align: left; color: inherit; }
#matrix th[aria-sort=ascending] button::after { content: " ▲"; }
#matrix th[aria-sort=descending] button::after { content: " ▼"; }
#matrix .step { display: block; font-weight: 400; font-size: .8em; color: var(--muted); }
#matrix td.v { white-space: nowrap; text-align: center; }
#matrix tfoot td { background: #fafafa; }
.v-pass, .s-passed { background: var(--pass); }
.v-fail, .s-failed { background: var(--fail); }
.v-error, .s-error, .s-unreadable { background: var(--error); }
.v-skip { background: var(--skip); }
.v-none { background: var(--none); color: var(--muted); }
.learner { border: 1px solid #d0d0d0; border-radius: 6px; padding: .8rem 1rem; margin: 0 0 1rem; }
.learner .body { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
.learner .findings { flex: 1 1 32rem; min-width: 0; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; font-size: .85em; font-weight: 600; }
.finding { margin: .7rem 0; padding-left: .6rem; border-left: 4px solid var(--fail); }
.finding.error { border-left-color: var(--error); }
.message { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0; }
.at, pre.snippet { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "D2Coding",
  "Noto Sans Mono CJK KR", monospace; }
.at { font-size: .9em; }
pre.snippet { background: #f6f8fa; border: 1px solid #e1e4e8; padding: .4rem .6rem; margin: .3rem 0;
  overflow-x: auto; font-size: .85em; }
pre.snippet .hl { background: #fff1a8; display: inline-block; min-width: 100%; }
table.checks td, table.checks th { font-size: .9em; }
table.checks td.message { max-width: 40rem; }
.grid caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: .3rem; }
.grid td, .grid th { text-align: center; min-width: 6.5rem; }
.grid td.allowed { background: var(--allowed); }
.grid td.blocked { background: var(--blocked); }
.grid td.undecided { background: var(--undecided); }
.grid td.self { background: #fff; color: var(--muted); }
.grid .rule { display: block; font-size: .78em; color: #222; overflow-wrap: anywhere; max-width: 12rem; }
.grid-about { font-size: .85em; color: var(--muted); max-width: 34rem; }
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ""; }
    var k = cell.getAttribute("data-key");
    return k === null ? cell.textContent : k;
  }
  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var c = compare(key(a, col), key(b, col));
        if (descending) { c = -c; }
        return c !== 0 ? c : compare(key(a, 0), key(b, 0));
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
"#;

/// `'sha256-…'` of an inline block, for the Content-Security-Policy.
fn csp_hash(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

/// The page. Without `evidence` (no learner's files were seen) the learners' sections
/// have the messages but no lines and no connectivity matrix.
pub fn render(report: &ClassReport<'_>, evidence: Option<&Evidence<'_>>) -> String {
    let (lab, lang) = report.lab();
    let rows = report.rows();
    let empty = HashMap::new();
    let guard = evidence.map(|e| e.by_learner.lock().unwrap());
    let by_learner = guard.as_deref().unwrap_or(&empty);
    let mut out = String::new();
    let title = format!("{} — {}", lab.id, lab.title.get(lang));
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src {}; script-src {}; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"kubelab\">\n\
         <title>{} · kubelab {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.code(),
        csp_hash(STYLE),
        csp_hash(SCRIPT),
        escape(&title),
        t(msg!("class-html-report"), lang),
    )
    .unwrap();
    writeln!(out, "<header>\n<h1>{}</h1>", escape(&title)).unwrap();
    let mode = match report.mode() {
        Some(Mode::Live) => msg!("class-html-live"),
        _ => msg!("class-html-offline"),
    };
    writeln!(
        out,
        "<p class=\"muted\">kubelab {} · {} · {}</p>",
        t(msg!("class-html-report"), lang),
        t(mode, lang),
        t(msg!("class-learners", count = rows.len()), lang)
    )
    .unwrap();
    for note in report.notes() {
        writeln!(
            out,
            "<p class=\"message\">{}</p>",
            t(msg!("report-note", note = note), lang)
        )
        .unwrap();
    }
    writeln!(
        out,
        "<p id=\"summary\"><strong>{}</strong></p>\n</header>",
        t(report.summary_line(), lang)
    )
    .unwrap();
    matrix(&mut out, report, &rows);
    writeln!(
        out,
        "<section id=\"learners\">\n<h2>{}</h2>",
        t(msg!("class-html-learners"), lang)
    )
    .unwrap();
    let none = LearnerEvidence::default();
    for row in &rows {
        learner(
            &mut out,
            row,
            by_learner.get(&row.learner).unwrap_or(&none),
            lang,
        );
    }
    writeln!(
        out,
        "</section>\n<script>{SCRIPT}</script>\n</body>\n</html>"
    )
    .unwrap();
    out
}

/// The class matrix: learners × checks, sortable, with the share of the class that
/// passed each check below it.
fn matrix(out: &mut String, report: &ClassReport<'_>, rows: &[LearnerResult]) {
    let (lab, lang) = report.lab();
    let params = lab.param_values();
    writeln!(
        out,
        "<p class=\"muted\">{}</p>",
        t(msg!("class-html-sort-hint"), lang)
    )
    .unwrap();
    out.push_str("<table id=\"matrix\">\n<thead><tr>");
    for heading in [
        msg!("class-column-learner"),
        msg!("class-column-status"),
        msg!("class-column-points"),
    ] {
        write!(
            out,
            "<th scope=\"col\"><button type=\"button\">{}</button></th>",
            t(heading, lang)
        )
        .unwrap();
    }
    for step in &lab.steps {
        for check in &step.checks {
            let check_title = check
                .title
                .as_ref()
                .map(|t| t.render(lang, &params))
                .unwrap_or_else(|| check.kind.name().to_string());
            write!(
                out,
                "<th scope=\"col\" title=\"{} — {}\"><button type=\"button\">\
                 <span class=\"step\">{}</span>{}</button></th>",
                escape(&step.title.render(lang, &params)),
                escape(&check_title),
                escape(&step.id),
                escape(&check.id)
            )
            .unwrap();
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let status = status(row);
        let status_index = match status {
            "passed" => 0,
            "failed" => 1,
            "error" => 2,
            _ => 3,
        };
        let status_key = [3, 2, 0, 1][status_index];
        write!(
            out,
            "<tr><th scope=\"row\" data-key=\"{}\"><a href=\"#{}\">{}</a></th>\
             <td class=\"s-{status}\" data-key=\"{status_key}\">{}</td>",
            escape(&row.learner),
            anchor(&row.learner),
            escape(&row.learner),
            t(status_word(row), lang),
        )
        .unwrap();
        match &row.outcome {
            Outcome::Graded(result) => write!(
                out,
                "<td data-key=\"{}\">{}/{}</td>",
                result.score, result.score, result.max_score
            )
            .unwrap(),
            Outcome::Failed { .. } => out.push_str("<td data-key=\"-1\">–</td>"),
        }
        for step in &lab.steps {
            for check in &step.checks {
                let found = match &row.outcome {
                    Outcome::Graded(result) => result
                        .checks()
                        .find(|(s, c)| s.id == step.id && c.id == check.id)
                        .map(|(_, c)| c),
                    Outcome::Failed { .. } => None,
                };
                match found {
                    Some(c) => write!(
                        out,
                        "<td class=\"v v-{}\" data-key=\"{}\" title=\"{}\">{} {}</td>",
                        c.verdict.as_str(),
                        verdict_key(c.verdict),
                        escape(&first_line(&c.message)),
                        mark(c.verdict),
                        t(verdict_word(c.verdict), lang)
                    )
                    .unwrap(),
                    None => write!(
                        out,
                        "<td class=\"v v-none\" data-key=\"-1\">· {}</td>",
                        t(msg!("class-html-no-result"), lang)
                    )
                    .unwrap(),
                }
            }
        }
        out.push_str("</tr>\n");
    }
    write!(
        out,
        "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">{}</th>",
        t(msg!("class-html-passed-of-graded"), lang)
    )
    .unwrap();
    for share in report.shares() {
        let percent = if share.graded == 0 {
            "–".to_string()
        } else {
            format!("{:.0}%", 100.0 * share.passed as f64 / share.graded as f64)
        };
        write!(
            out,
            "<td>{}/{} ({percent})</td>",
            share.passed, share.graded
        )
        .unwrap();
    }
    out.push_str("</tr></tfoot>\n</table>\n");
}

/// A message's first line, for a tooltip.
fn first_line(message: &str) -> String {
    text::truncate(message.lines().next().unwrap_or(""), 300).into_owned()
}

/// One learner's section: the findings with their lines, then the connectivity.
fn learner(out: &mut String, row: &LearnerResult, evidence: &LearnerEvidence, lang: Lang) {
    let status = status(row);
    let points = match &row.outcome {
        Outcome::Graded(result) => {
            let score = msg!(
                "class-html-score",
                score = result.score,
                max = result.max_score
            );
            format!(" · {}", score.render(lang))
        }
        Outcome::Failed { .. } => String::new(),
    };
    let points = match &row.variant {
        Some(seed) => format!(
            "{points} · {}",
            msg!("class-html-variant", variant = seed.as_str()).render(lang)
        ),
        None => points,
    };
    writeln!(
        out,
        "<section class=\"learner\" id=\"{}\">\n<h3>{} <span class=\"badge s-{status}\">{}</span>\
         <span class=\"muted\">{}</span></h3>\n<div class=\"body\">\n<div class=\"findings\">",
        anchor(&row.learner),
        escape(&row.learner),
        t(status_word(row), lang),
        escape(&points)
    )
    .unwrap();
    match &row.outcome {
        Outcome::Failed {
            message, location, ..
        } => {
            writeln!(
                out,
                "<div class=\"finding error\"><p class=\"message\">{}</p>",
                escape(message)
            )
            .unwrap();
            if let Some(location) = location {
                place(out, location, evidence);
            }
            out.push_str("</div>\n");
        }
        Outcome::Graded(result) => graded(out, result, evidence, lang),
    }
    out.push_str("</div>\n");
    for grid in &evidence.grids {
        connectivity(out, grid, lang);
    }
    if evidence.pods_left_out > 0 {
        writeln!(
            out,
            "<p class=\"grid-about\">{}</p>",
            t(
                msg!("class-html-pods-left-out", count = evidence.pods_left_out),
                lang
            )
        )
        .unwrap();
    }
    out.push_str("</div>\n</section>\n");
}

/// `file:line:column` and the learner's lines there.
fn place(out: &mut String, location: &Location, evidence: &LearnerEvidence) {
    writeln!(
        out,
        "<p class=\"at\">--&gt; {}:{}:{}</p>",
        escape(&location.file),
        location.line,
        location.column
    )
    .unwrap();
    if let Some(lines) = evidence.snippets.get(location) {
        out.push_str("<pre class=\"snippet\">");
        for line in lines.lines() {
            if line.starts_with("  >") {
                writeln!(out, "<span class=\"hl\">{}</span>", escape(line)).unwrap();
            } else {
                writeln!(out, "{}", escape(line)).unwrap();
            }
        }
        out.push_str("</pre>\n");
    }
}

fn graded(out: &mut String, result: &LabResult, evidence: &LearnerEvidence, lang: Lang) {
    for note in &result.notes {
        writeln!(
            out,
            "<p class=\"message muted\">{}</p>",
            t(msg!("report-note", note = note), lang)
        )
        .unwrap();
    }
    writeln!(
        out,
        "<table class=\"checks\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         <th>{}</th></tr></thead><tbody>",
        t(msg!("report-column-step"), lang),
        t(msg!("report-column-check"), lang),
        t(msg!("report-column-verdict"), lang),
        t(msg!("report-column-points"), lang),
        t(msg!("report-column-message"), lang)
    )
    .unwrap();
    for (step, check) in result.checks() {
        writeln!(
            out,
            "<tr><td>{}</td><td title=\"{}\">{}</td><td class=\"v-{}\">{} {}</td>\
             <td>{}/{}</td><td class=\"message\">{}</td></tr>",
            escape(&step.id),
            escape(&check.title),
            escape(&check.id),
            check.verdict.as_str(),
            mark(check.verdict),
            t(verdict_word(check.verdict), lang),
            check.points,
            check.max_points,
            escape(&first_line(&check.message))
        )
        .unwrap();
    }
    out.push_str("</tbody></table>\n");
    // One block per distinct finding, as in the terminal report.
    let findings = crate::report::findings(result);
    if findings.is_empty() && result.refused.is_empty() && result.passed {
        writeln!(out, "<p>{}</p>", t(msg!("class-html-all-passed"), lang)).unwrap();
    }
    for finding in &findings {
        let (step, check, ids) = (finding.step, finding.check, &finding.ids);
        let title = finding.title(lang);
        let class = if check.verdict == Verdict::Error {
            "finding error"
        } else {
            "finding"
        };
        writeln!(
            out,
            "<div class=\"{class}\"><h4>{} {} / {}{}</h4>\n<p class=\"message\">{}</p>",
            mark(check.verdict),
            escape(&step.id),
            escape(&ids.join(", ")),
            escape(&title),
            escape(&check.message)
        )
        .unwrap();
        if !check.details.is_empty() {
            out.push_str("<ul>");
            for detail in &check.details {
                write!(out, "<li class=\"message\">{}</li>", escape(detail)).unwrap();
            }
            out.push_str("</ul>\n");
        }
        if let Some(location) = &check.location {
            place(out, location, evidence);
        }
        if let Some(hint) = &check.hint {
            writeln!(
                out,
                "<p class=\"message hint-line\">{}</p>",
                t(msg!("report-hint", hint = hint), lang)
            )
            .unwrap();
        }
        out.push_str("</div>\n");
    }
    for refused in &result.refused {
        writeln!(
            out,
            "<div class=\"finding\"><h4>✘ {} {} — {}</h4>\n<p class=\"message\">{}</p>",
            escape(&refused.kind),
            escape(&refused.name),
            t(msg!("class-html-refused"), lang),
            escape(&refused.message)
        )
        .unwrap();
        place(out, &refused.location, evidence);
        writeln!(
            out,
            "<p class=\"message hint-line\">{}</p></div>",
            t(msg!("report-hint", hint = refused.help.as_str()), lang)
        )
        .unwrap();
    }
}

/// A connectivity matrix: a table whose cells are coloured and say allowed or blocked
/// and the rule that decided, with the whole explanation as the tooltip.
fn connectivity(out: &mut String, grid: &Grid, lang: Lang) {
    writeln!(
        out,
        "<div class=\"connectivity\"><table class=\"grid\" data-port=\"{}/{}\">\
         <caption>{} {}/{}</caption>\n<thead><tr><th scope=\"col\" class=\"muted\">{}</th>",
        escape(&grid.protocol),
        grid.port,
        t(msg!("class-html-connectivity"), lang),
        escape(&grid.protocol),
        grid.port,
        t(msg!("class-html-corner"), lang)
    )
    .unwrap();
    for pod in &grid.pods {
        write!(out, "<th scope=\"col\">{}</th>", escape(pod)).unwrap();
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let n = grid.pods.len();
    for (i, from) in grid.pods.iter().enumerate() {
        write!(out, "<tr><th scope=\"row\">{}</th>", escape(from)).unwrap();
        for cell in &grid.cells[i * n..(i + 1) * n] {
            let Some(cell) = cell else {
                out.push_str("<td class=\"self\">–</td>");
                continue;
            };
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
            write!(
                out,
                "<td class=\"{class}\" title=\"{}\">{mark} {}<span class=\"rule\">{}</span></td>",
                escape(&cell.explanation.render(lang)),
                t(word, lang),
                escape(&rule)
            )
            .unwrap();
        }
        out.push_str("</tr>\n");
    }
    writeln!(
        out,
        "</tbody></table>\n<p class=\"grid-about\">{}</p></div>",
        t(msg!("class-html-connectivity-about"), lang)
    )
    .unwrap();
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

    #[test]
    fn the_policy_hashes_the_inline_blocks() {
        // The hash covers the exact text between the tags.
        let hash = csp_hash(SCRIPT);
        assert!(
            hash.starts_with("'sha256-") && hash.ends_with("='"),
            "{hash}"
        );
        assert_ne!(hash, csp_hash(STYLE));
        assert!(
            !SCRIPT.contains("</"),
            "the script cannot close its own tag"
        );
        assert!(!STYLE.contains("</"), "the style cannot close its own tag");
    }
}
