//! Learner-controlled text made safe for where it is shown: a terminal (no control
//! characters, bounded cells), XML 1.0 (only the characters the `Char` production
//! allows). Every function returns its input borrowed when nothing needed changing.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` would act on a terminal instead of being shown: C0 controls
/// (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F).
fn is_control(c: char) -> bool {
    c.is_control()
}

/// `text` with every control character written as an escape: `\n`, `\r`, `\t`, and
/// `\u{1b}` for the others (an `ESC[2J` in a file name is shown as `\u{1b}[2J`).
/// Linear in the length of `text`.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_control(c) => {
                write!(out, "\\u{{{:x}}}", c as u32).expect("writing to a String");
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Like [`escape_control`], but keeps line breaks (`\n`): for multi-line messages printed
/// to a terminal. Tabs are escaped too (`\t`): a learner's key may hold one.
pub fn escape_control_keep_lines(text: &str) -> Cow<'_, str> {
    let needs = |c: char| is_control(c) && c != '\n';
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs(c) => {
                write!(out, "\\u{{{:x}}}", c as u32).expect("writing to a String");
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 allows `c` in a document at all, escaped or not (the `Char`
/// production: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// `text` with the characters XML 1.0 forbids (C0 controls but tab and line breaks,
/// U+FFFE, U+FFFF) written as `\u{fffe}`-style escapes, so that any learner string can go
/// into JUnit XML. Markup characters (`<`, `&`) are left to the XML writer.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_xml_char(c) {
            out.push(c);
        } else {
            write!(out, "\\u{{{:x}}}", c as u32).expect("writing to a String");
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `text`; a cut text ends with `…` (counted in `max`), and,
/// when `max` leaves room for it, with how many characters were left out:
/// `aaaa… (+69956)` (the count is of characters left out). Linear in `max`, not in the length of `text` (but for the count).
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.char_indices().nth(max).is_none() {
        return Cow::Borrowed(text);
    }
    let total = text.chars().count();
    let prefix = |keep: usize| {
        let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
        &text[..end]
    };
    let note = format!("… (+{})", total - max);
    let note_len = note.chars().count();
    if max >= 2 * note_len {
        let keep = max - note_len;
        return Cow::Owned(format!("{}… (+{})", prefix(keep), total - keep));
    }
    Cow::Owned(format!("{}…", prefix(max.saturating_sub(1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("a.yaml"), "a.yaml");
        assert!(matches!(escape_control("a.yaml"), Cow::Borrowed(_)));
        assert_eq!(escape_control("\u{1b}[2Ja\nb.yaml"), "\\u{1b}[2Ja\\nb.yaml");
        assert_eq!(escape_control("\u{7f}\u{9b}\t"), "\\u{7f}\\u{9b}\\t");
        assert_eq!(escape_control("파드.yaml"), "파드.yaml");
        assert_eq!(
            escape_control_keep_lines("a\n\u{1b}[2J\tb\r"),
            "a\n\\u{1b}[2J\\tb\\r"
        );
    }

    #[test]
    fn xml_forbidden_characters_are_escaped() {
        assert_eq!(xml_safe("a<b>&\n\t"), "a<b>&\n\t");
        assert_eq!(
            xml_safe("\u{ffff}\u{fffe}\u{1}\u{b}x\u{10000}"),
            "\\u{ffff}\\u{fffe}\\u{1}\\u{b}x\u{10000}"
        );
        assert!(xml_safe("\u{fffd}\u{e000}").chars().all(is_xml_char));
    }

    #[test]
    fn long_text_is_cut_with_a_count() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("abcdefghijk", 10), "abcdefghi…");
        let long = "a".repeat(70_000);
        let cut = truncate(&long, 60);
        assert_eq!(cut.chars().count(), 60, "{cut}");
        assert!(cut.ends_with("… (+69950)"), "{cut}");
        assert_eq!(truncate("가나다라마바사", 4), "가나다…");
    }
}
