//! The learner's lines around a finding, with a caret under the column. Lines are shown
//! with control characters escaped, and long lines as a window of [`WINDOW`] characters
//! around the column (a one-line 4 MiB file prints a few hundred bytes).

use crate::manifest::{Location, SourceFile};
use std::fmt::Write as _;
use std::sync::Arc;

const CONTEXT: usize = 2;
/// The most characters of one line that a snippet shows.
pub const WINDOW: usize = 120;

/// The part of `text` to show and the column of the caret in it: the whole line when it
/// is short, else [`WINDOW`] characters around `column` (1-based), `…` marking the cuts.
fn window(text: &str, column: usize) -> (String, usize) {
    let escape = |s: &str| crate::text::escape_control(s).into_owned();
    if text.char_indices().nth(WINDOW).is_none() {
        // Escapes before the column move the caret right by their extra width.
        let before: String = text.chars().take(column.saturating_sub(1)).collect();
        return (escape(text), escape(&before).chars().count() + 1);
    }
    let first = column.saturating_sub(WINDOW / 2).max(1);
    let chars = text.chars().skip(first - 1);
    let shown: String = chars.take(WINDOW).collect();
    let before: String = shown.chars().take(column - first).collect();
    let mut out = String::new();
    let mut caret = escape(&before).chars().count() + 1;
    if first > 1 {
        out.push('…');
        caret += 1;
    }
    out.push_str(&escape(&shown));
    if text.chars().nth(first - 1 + WINDOW).is_some() {
        out.push('…');
    }
    (out, caret)
}

pub fn render(location: &Location, sources: &[Arc<SourceFile>]) -> Option<String> {
    let source = sources.iter().find(|s| s.display == location.file)?;
    if location.line == 0 {
        return None;
    }
    let first = location.line.saturating_sub(CONTEXT).max(1);
    let lines: Vec<&str> = source
        .text
        .lines()
        .skip(first - 1)
        .take(location.line + CONTEXT + 1 - first)
        .collect();
    if first + lines.len() <= location.line {
        return None;
    }
    let last = first + lines.len() - 1;
    let width = last.to_string().len();
    let mut out = String::new();
    for (number, text) in (first..=last).zip(lines) {
        let marker = if number == location.line { '>' } else { ' ' };
        let (shown, caret) = window(text, location.column);
        writeln!(out, "  {marker} {number:>width$} | {shown}").unwrap();
        if number == location.line {
            let pad = " ".repeat(caret - 1);
            writeln!(out, "    {:>width$} | {pad}^", "").unwrap();
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_line_and_column() {
        let source = Arc::new(SourceFile {
            display: "a.yaml".into(),
            text: "a: 1\nb:\n  c: 2\nd: 3\n".into(),
        });
        let location = Location {
            file: "a.yaml".into(),
            line: 3,
            column: 3,
        };
        let out = render(&location, &[source]).unwrap();
        assert_eq!(
            out,
            "    1 | a: 1\n    2 | b:\n  > 3 |   c: 2\n      |   ^\n    4 | d: 3\n"
        );
    }

    #[test]
    fn long_lines_show_a_window_and_control_characters_are_escaped() {
        let long = format!("x: [{}7]", "1,".repeat(100_000));
        let source = Arc::new(SourceFile {
            display: "a.yaml".into(),
            text: format!("a: \u{1b}[2J\n{long}\n"),
        });
        let at = |line, column| Location {
            file: "a.yaml".into(),
            line,
            column,
        };
        let out = render(&at(2, 200_005), std::slice::from_ref(&source)).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "    1 | a: \\u{1b}[2J");
        assert!(lines[1].starts_with("  > 2 | …1,1,"), "{out}");
        assert!(lines[1].ends_with("7]"), "{out}");
        assert!(out.len() < 400, "{out}");
        // the caret is under the 7
        let caret = lines[2].find('^').unwrap();
        assert_eq!(
            lines[1].chars().nth(lines[2][..caret].chars().count()),
            Some('7')
        );
        let out = render(&at(1, 4), &[source]).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "      |    ^");
    }
}
