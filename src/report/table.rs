//! The terminal report: a table of every check, then each failing check with the
//! learner's lines around the field to fix, the reason and the hint.
//!
//! Learner text (names, file names, messages quoting fields) is printed with its control
//! characters escaped, so that a file cannot drive the terminal; in table cells it is also
//! cut to [`CELL_CHARS`] characters, which keeps the table's word wrapping linear.

use super::snippet;
use crate::check::Verdict;
use crate::grade::LabResult;
use crate::manifest::SourceFile;
use crate::text;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use std::fmt::Write as _;
use std::sync::Arc;

/// The most characters of learner text in one table cell.
pub const CELL_CHARS: usize = 200;

/// Text for a table cell: control characters escaped, at most [`CELL_CHARS`] characters.
fn cell(text: &str) -> String {
    let escaped = text::escape_control(text);
    text::truncate(&escaped, CELL_CHARS).into_owned()
}

/// Text for a line of its own: control characters escaped (line breaks kept).
fn line(text: &str) -> std::borrow::Cow<'_, str> {
    text::escape_control_keep_lines(text)
}

fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "✔ pass",
        Verdict::Fail => "✘ fail",
        Verdict::Error => "! error",
        Verdict::Skip => "- skip",
    }
}

pub fn render(result: &LabResult, sources: &[Arc<SourceFile>], width: u16) -> String {
    let mut out = String::new();
    let mode = match result.mode {
        crate::grade::Mode::Offline => "offline",
        crate::grade::Mode::Live => "live",
    };
    writeln!(out, "{} — {} ({mode})", result.lab, result.title).unwrap();
    for note in &result.notes {
        writeln!(out, "note: {}", line(note)).unwrap();
    }

    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(vec!["step", "check", "verdict", "points", "message"]);
    for (step, check) in result.checks() {
        table.add_row(vec![
            cell(&step.id),
            cell(&check.id),
            mark(check.verdict).to_string(),
            format!("{}/{}", check.points, check.max_points),
            cell(&match check.verdict {
                // The whole text follows below the table.
                Verdict::Fail | Verdict::Error => first_sentence(&check.message),
                // Nothing follows a pass or a skip: the cell says it all (a skip says why).
                Verdict::Pass | Verdict::Skip => check.message.clone(),
            }),
        ]);
    }
    writeln!(out, "{table}").unwrap();

    // One block per distinct finding: a rejected object fails every check of its step
    // for the same reason, and the learner needs to read it once.
    for finding in super::findings(result) {
        let (step, check, ids) = (finding.step, finding.check, &finding.ids);
        let title = finding.title();
        writeln!(out).unwrap();
        writeln!(
            out,
            "{} {} / {}{title}",
            mark(check.verdict),
            step.id,
            ids.join(", ")
        )
        .unwrap();
        writeln!(out, "  {}", line(&check.message)).unwrap();
        for detail in &check.details {
            writeln!(out, "  · {}", line(detail)).unwrap();
        }
        if let Some(location) = &check.location {
            writeln!(
                out,
                "  --> {}:{}:{}",
                line(&location.file),
                location.line,
                location.column
            )
            .unwrap();
            if let Some(lines) = snippet::render(location, sources) {
                out.push_str(&lines);
            }
        }
        if let Some(hint) = &check.hint {
            writeln!(out, "  hint: {}", line(hint)).unwrap();
        }
    }
    // Objects the sandbox refused: not applied, and the lab does not pass.
    for refused in &result.refused {
        writeln!(out).unwrap();
        writeln!(
            out,
            "✘ refused {} {} — not applied",
            refused.kind, refused.name
        )
        .unwrap();
        writeln!(out, "  {}", refused.message).unwrap();
        let location = &refused.location;
        writeln!(
            out,
            "  --> {}:{}:{}",
            location.file, location.line, location.column
        )
        .unwrap();
        if let Some(lines) = snippet::render(location, sources) {
            out.push_str(&lines);
        }
        writeln!(out, "  hint: {}", refused.help).unwrap();
    }
    writeln!(out).unwrap();
    let verdict = if result.passed { "PASSED" } else { "FAILED" };
    let refused = match result.refused.len() {
        0 => String::new(),
        1 => " · 1 object refused".to_string(),
        n => format!(" · {n} objects refused"),
    };
    writeln!(
        out,
        "{verdict}: {}/{} points · {} passed, {} failed, {} errors, {} skipped{refused}",
        result.score,
        result.max_score,
        result.count(Verdict::Pass),
        result.count(Verdict::Fail),
        result.count(Verdict::Error),
        result.count(Verdict::Skip),
    )
    .unwrap();
    out
}

/// A failure's cell shows the reason up to the explanation; the full text follows below
/// the table.
fn first_sentence(message: &str) -> String {
    match message.split_once(": ") {
        Some((head, _)) if head.len() > 20 => head.to_string(),
        _ => message.to_string(),
    }
}
