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
    let rows: Vec<[String; 5]> = result
        .checks()
        .map(|(step, check)| {
            [
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
            ]
        })
        .collect();
    let Some(message_width) = fit_columns(&mut table, &rows, width) else {
        narrow_list(&mut out, &rows, width);
        return finish(out, result, sources, lang);
    };
    for row in rows {
        let [step, check, verdict, points, message] = row;
        let message = wrap(&message, message_width);
        table.add_row(vec![step, check, verdict, points, message]);
    }
    writeln!(out, "{table}").unwrap();
    finish(out, result, sources, lang)
}

/// Below the table: each finding with its lines, the refused objects and the summary.
fn finish(mut out: String, result: &LabResult, sources: &[Arc<SourceFile>], lang: Lang) -> String {
    // One block per distinct finding: a rejected object fails every check of its step
    // for the same reason, and the learner needs to read it once.
    for finding in super::findings(result) {
        let (step, check, ids) = (finding.step, finding.check, &finding.ids);
        let title = finding.title(lang);
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

/// For a terminal too narrow for the table (the message column would get fewer than 24
/// columns): one entry per check, `✔ pass  step / check  0/0`, then its message wrapped
/// below it, indented.
fn narrow_list(out: &mut String, rows: &[[String; 5]], width: u16) {
    let indent = 4;
    let wrap_width = usize::from(width).saturating_sub(indent).max(20);
    for [step, check, verdict, points, message] in rows {
        writeln!(out, "{verdict}  {step} / {check}  {points}").unwrap();
        for text in wrap(message, wrap_width).lines() {
            writeln!(out, "{:indent$}{text}", "").unwrap();
        }
    }
}

/// Keeps the id columns whole and gives the message column the rest of `width`: the
/// message's width in columns, or `None` when the terminal is too narrow for that.
/// Borders and padding take 3 columns per column, plus one.
fn fit_columns(table: &mut Table, rows: &[[String; 5]], width: u16) -> Option<usize> {
    use comfy_table::{ColumnConstraint, Width};
    let header: Vec<String> = table
        .header()
        .map(|h| h.cell_iter().map(|c| c.content()).collect())
        .unwrap_or_default();
    let widest = |i: usize| {
        rows.iter()
            .map(|r| textwrap::core::display_width(&r[i]))
            .chain(header.get(i).map(|h| textwrap::core::display_width(h)))
            .max()
            .unwrap_or(0)
    };
    let fixed: Vec<usize> = (0..4).map(widest).collect();
    let used = fixed.iter().sum::<usize>() + 5 * 3 + 1;
    let message = usize::from(width).checked_sub(used)?;
    if message < 24 {
        return None;
    }
    let message = message.min(widest(4).max(textwrap::core::display_width(&header[4])));
    // comfy-table's widths count the padding (one column on each side).
    for (i, w) in fixed.iter().chain(std::iter::once(&message)).enumerate() {
        if let Some(column) = table.column_mut(i) {
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(*w as u16 + 2)));
        }
    }
    Some(message)
}

/// `text` wrapped to `width` columns at spaces; a word is never split unless it is
/// longer than a whole line.
fn wrap(text: &str, width: usize) -> String {
    let options = textwrap::Options::new(width)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    textwrap::wrap(text, options).join("\n")
}

/// A failure's cell shows the reason up to the explanation; the full text follows below
/// the table.
fn first_sentence(message: &str) -> String {
    match message.split_once(": ") {
        Some((head, _)) if head.len() > 20 => head.to_string(),
        _ => message.to_string(),
    }
}
