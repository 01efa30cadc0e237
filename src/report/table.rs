//! The terminal report: a table of every check, then each failing check with the
//! learner's lines around the field to fix, the reason and the hint.
//!
//! Learner text (names, file names, messages quoting fields) is printed with its control
//! characters escaped, so that a file cannot drive the terminal; in table cells it is also
//! cut to [`CELL_CHARS`] characters, which keeps the table's word wrapping linear.

use super::snippet;
use crate::check::Verdict;
use crate::grade::LabResult;
use crate::i18n::Lang;
use crate::manifest::SourceFile;
use crate::msg;
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

/// The verdict's mark and word (`✔ pass`, `✘ 실패`).
pub(crate) fn mark(verdict: Verdict, lang: Lang) -> String {
    let (symbol, word) = match verdict {
        Verdict::Pass => ("✔", msg!("report-verdict-pass")),
        Verdict::Fail => ("✘", msg!("report-verdict-fail")),
        Verdict::Error => ("!", msg!("report-verdict-error")),
        Verdict::Skip => ("-", msg!("report-verdict-skip")),
    };
    format!("{symbol} {}", word.render(lang))
}

pub fn render(result: &LabResult, sources: &[Arc<SourceFile>], width: u16) -> String {
    let lang = result.lang;
    let mut out = String::new();
    let mode = match result.mode {
        crate::grade::Mode::Offline => msg!("report-mode-offline"),
        crate::grade::Mode::Live => msg!("report-mode-live"),
    }
    .render(lang);
    writeln!(out, "{} — {} ({mode})", result.lab, result.title).unwrap();
    for note in &result.notes {
        writeln!(
            out,
            "{}",
            msg!("report-note", note = line(note)).render(lang)
        )
        .unwrap();
    }

    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(
            [
                msg!("report-column-step"),
                msg!("report-column-check"),
                msg!("report-column-verdict"),
                msg!("report-column-points"),
                msg!("report-column-message"),
            ]
            .map(|m| m.render(lang)),
        );
    for (step, check) in result.checks() {
        table.add_row(vec![
            cell(&step.id),
            cell(&check.id),
            mark(check.verdict, lang),
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
            mark(check.verdict, lang),
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
            writeln!(
                out,
                "  {}",
                msg!("report-hint", hint = line(hint)).render(lang)
            )
            .unwrap();
        }
    }
    // Objects the sandbox refused: not applied, and the lab does not pass.
    for refused in &result.refused {
        writeln!(out).unwrap();
        writeln!(
            out,
            "✘ {}",
            msg!(
                "report-refused",
                kind = refused.kind.as_str(),
                name = refused.name.as_str()
            )
            .render(lang)
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
        writeln!(
            out,
            "  {}",
            msg!("report-hint", hint = refused.help.as_str()).render(lang)
        )
        .unwrap();
    }
    writeln!(out).unwrap();
    let verdict = if result.passed {
        msg!("report-passed")
    } else {
        msg!("report-failed")
    };
    let summary = msg!(
        "report-summary",
        verdict = verdict,
        score = result.score,
        max = result.max_score,
        passed = result.count(Verdict::Pass),
        failed = result.count(Verdict::Fail),
        errors = result.count(Verdict::Error),
        skipped = result.count(Verdict::Skip),
    );
    let refused = match result.refused.len() {
        0 => String::new(),
        n => format!(
            " · {}",
            msg!("report-refused-count", count = n).render(lang)
        ),
    };
    writeln!(out, "{}{refused}", summary.render(lang)).unwrap();
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
