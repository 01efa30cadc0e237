//! The learner's lines around a finding, with a caret under the column.

use crate::manifest::{Location, SourceFile};
use std::fmt::Write as _;
use std::sync::Arc;

const CONTEXT: usize = 2;

pub fn render(location: &Location, sources: &[Arc<SourceFile>]) -> Option<String> {
    let source = sources.iter().find(|s| s.display == location.file)?;
    let lines: Vec<&str> = source.text.lines().collect();
    if location.line == 0 || location.line > lines.len() {
        return None;
    }
    let first = location.line.saturating_sub(CONTEXT).max(1);
    let last = (location.line + CONTEXT).min(lines.len());
    let width = last.to_string().len();
    let mut out = String::new();
    for number in first..=last {
        let marker = if number == location.line { '>' } else { ' ' };
        writeln!(out, "  {marker} {number:>width$} | {}", lines[number - 1]).unwrap();
        if number == location.line {
            let pad = " ".repeat(location.column.saturating_sub(1));
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
}
