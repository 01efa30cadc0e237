//! `kubelab show LAB`: the task text, with the lab's parameter values filled in.

use super::stdout::out;
use super::{Failure, exit, find_variant, language};
use crate::lab::{Catalog, Lang, task_text};
use std::io::IsTerminal as _;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
    /// The language of the learner-facing text, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    #[command(flatten)]
    variant: super::VariantArg,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let lab = find_variant(catalog, &args.lab, args.variant.as_deref(), lang)?;
    let text = task_text(&lab, lang);
    if std::io::stdout().is_terminal() {
        out!("{}", on_terminal(&text, usize::from(super::width())));
    } else {
        out!("{text}");
    }
    Ok(exit::PASSED)
}

/// `markdown` rendered for a terminal `width` columns wide (termimad): headings, bold,
/// inline code and code blocks styled, paragraphs wrapped at word boundaries; no styles
/// when `NO_COLOR` is set. Piped output stays Markdown (the book renders the same text).
pub fn on_terminal(markdown: &str, width: usize) -> String {
    let skin = if std::env::var_os("NO_COLOR").is_some() {
        termimad::MadSkin::no_style()
    } else {
        termimad::MadSkin::default()
    };
    skin.text(markdown, Some(width.max(20))).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn on_a_terminal_the_markdown_is_rendered_and_wrapped_to_the_width() {
        let catalog = Catalog::embedded().unwrap();
        for lab in catalog.labs() {
            for lang in Lang::ALL {
                let markdown = task_text(lab, lang);
                let shown = visible(&on_terminal(&markdown, 60));
                assert!(!shown.contains("**"), "{}: bold markers left", lab.id);
                assert!(!shown.contains("## "), "{}: heading markers left", lab.id);
                assert!(!shown.contains("```"), "{}: fences left", lab.id);
                for line in shown.lines() {
                    assert!(
                        unicode_width(line) <= 60,
                        "{}: a line wider than 60 columns: {line:?}",
                        lab.id
                    );
                }
                assert!(shown.contains(&format!("kubelab grade {} my-work/", lab.id)));
            }
        }
    }

    /// Columns a line takes (Hangul syllables take two).
    fn unicode_width(line: &str) -> usize {
        line.chars()
            .map(|c| {
                if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum()
    }

    #[test]
    fn the_task_ends_with_the_commands_that_grade_it_and_korean_points_have_no_space() {
        let catalog = Catalog::embedded().unwrap();
        let lab = catalog.get("network-policy").unwrap();
        let ko = task_text(lab, Lang::Ko);
        assert!(ko.contains("(0점)") && ko.contains("(3점)"), "{ko}");
        assert!(
            ko.trim_end().ends_with("kubelab check network-policy\n```"),
            "{ko}"
        );
        let en = task_text(lab, Lang::En);
        assert!(
            en.contains("(0 points)") && en.contains("(3 points)"),
            "{en}"
        );
    }
}
