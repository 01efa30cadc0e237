//! The book cannot drift from the labs: each lab's chapter in `book/<lang>/src/labs/` is
//! generated from `labs/<id>/lab.yaml` (the text `kubelab show` prints, the fixtures with
//! the seed's commands, the hints) and `labs/<id>/solution/`. This test regenerates every
//! chapter and compares it with the committed file; with `KUBELAB_BLESS=1` it writes them.
//! It also checks that both tables of contents link every lab and that every snapshot the
//! book includes exists and has the 4-line insta header the includes skip.

use kubelab::lab::{Catalog, Lab, Lang};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const BLESS: &str = "KUBELAB_BLESS=1 cargo test --test book";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The labs as they are on disk now (not as embedded at build time).
fn catalog() -> Catalog {
    Catalog::from_dir(&repo().join("labs")).unwrap_or_else(|e| panic!("labs/: {e:?}"))
}

fn editions() -> [(Lang, &'static str); 2] {
    [(Lang::Ko, "ko"), (Lang::En, "en")]
}

/// The reference solution of a lab: (file name, contents), sorted by name.
fn solution(lab: &str) -> Vec<(String, String)> {
    let dir = repo().join("labs").join(lab).join("solution");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn fenced(out: &mut String, lang: &str, text: &str) {
    writeln!(out, "```{lang}\n{}\n```\n", text.trim_end()).unwrap();
}

/// The chapter of one lab in one language.
fn chapter(lab: &Lab, lang: Lang) -> String {
    struct Words {
        setup: &'static str,
        setup_about: &'static str,
        hints: &'static str,
        hint_of: &'static str,
        solution: &'static str,
        solution_about: &'static str,
    }
    let w = match lang {
        Lang::Ko => Words {
            setup: "준비 객체의 YAML",
            setup_about: "시나리오의 `kubectl` 명령이 만드는 객체입니다. 채점은 이 객체들 위에 학습자의 매니페스트를 단계별로 더해 평가합니다.",
            hints: "힌트",
            hint_of: "힌트",
            solution: "참고 답안",
            solution_about: "`kubelab solve {id}`가 출력하는 참고 답안입니다. 먼저 직접 풀어 본 뒤에 펼쳐 보십시오.",
        },
        Lang::En => Words {
            setup: "The setup objects",
            setup_about: "The objects the scenario's `kubectl` commands create. Grading adds the learner's manifests on top of these objects, step by step.",
            hints: "Hints",
            hint_of: "Hint",
            solution: "Reference solution",
            solution_about: "The reference solution, as `kubelab solve {id}` prints it. Try the lab yourself before you open it.",
        },
    };
    let params = lab.param_values();
    let mut out = String::new();
    writeln!(
        out,
        "<!-- generated from labs/{id}/lab.yaml and labs/{id}/solution/ — do not edit; run `{BLESS}` -->\n",
        id = lab.id
    )
    .unwrap();
    out.push_str(&markdown_text(&kubelab::cli::task_text(lab, lang)));
    if !out.ends_with("\n\n") {
        out.push('\n');
    }

    if !lab.fixtures.is_empty() {
        writeln!(out, "## {}\n\n{}\n", w.setup, w.setup_about).unwrap();
        for fixture in &lab.fixtures {
            writeln!(out, "`{}` — `{}`\n", fixture.file, fixture.command).unwrap();
            fenced(&mut out, "yaml", &fixture.text);
        }
    }

    let hints: Vec<_> = lab
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.hint.as_ref().map(|h| (i, s, h)))
        .collect();
    if !hints.is_empty() {
        writeln!(out, "## {}\n", w.hints).unwrap();
        for (i, step, hint) in hints {
            writeln!(
                out,
                "<details>\n<summary>{} {}. {}</summary>\n\n{}\n\n</details>\n",
                w.hint_of,
                i + 1,
                html_text(&step.title.render(lang, &params)),
                markdown_text(&hint.render(lang, &params))
            )
            .unwrap();
        }
    }

    let files = solution(&lab.id);
    if !files.is_empty() {
        writeln!(
            out,
            "## {}\n\n{}\n\n<details>\n<summary>{}</summary>\n",
            w.solution,
            w.solution_about.replace("{id}", &lab.id),
            w.solution
        )
        .unwrap();
        for (name, text) in &files {
            writeln!(out, "`{name}`\n").unwrap();
            fenced(&mut out, "yaml", text);
        }
        out.push_str("</details>\n");
    }
    out
}

/// Lab text as Markdown that renders as `kubelab show` prints it: outside code blocks and
/// code spans, `<` is escaped so that placeholders such as `<your-registry-server>` stay
/// visible instead of being read as HTML tags.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_block = false;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            out.push_str(line);
        } else if in_block {
            out.push_str(line);
        } else {
            for (i, part) in line.split('`').enumerate() {
                if i > 0 {
                    out.push('`');
                }
                if i % 2 == 1 {
                    out.push_str(part);
                } else {
                    out.push_str(&part.replace('<', "&lt;"));
                }
            }
        }
    }
    out
}

/// A lab title inside `<summary>` (raw HTML): backticks become `<code>`.
fn html_text(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            write!(out, "<code>{part}</code>").unwrap();
        } else {
            out.push_str(part);
        }
    }
    out
}

fn chapter_path(code: &str, lab: &str) -> PathBuf {
    repo()
        .join("book")
        .join(code)
        .join("src/labs")
        .join(format!("{lab}.md"))
}

#[test]
fn every_lab_chapter_is_generated_from_its_lab() {
    let bless = std::env::var_os("KUBELAB_BLESS").is_some_and(|v| v == "1");
    let catalog = catalog();
    let mut stale = Vec::new();
    for (lang, code) in editions() {
        for lab in catalog.labs() {
            let path = chapter_path(code, &lab.id);
            let want = chapter(lab, lang);
            let have = std::fs::read_to_string(&path).ok();
            if have.as_deref() == Some(want.as_str()) {
                continue;
            }
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &want).unwrap();
                eprintln!("wrote {}", path.display());
            } else {
                let first_difference = match &have {
                    None => "missing".to_string(),
                    Some(have) => have
                        .lines()
                        .zip(want.lines())
                        .enumerate()
                        .find(|(_, (a, b))| a != b)
                        .map(|(i, (a, b))| {
                            format!("line {}: book has {a:?}, lab gives {b:?}", i + 1)
                        })
                        .unwrap_or_else(|| "lengths differ".to_string()),
                };
                stale.push(format!(
                    "  {} ({first_difference})",
                    path.strip_prefix(repo()).unwrap().display()
                ));
            }
        }
        // A chapter of a lab that no longer exists.
        let dir = repo().join("book").join(code).join("src/labs");
        for entry in std::fs::read_dir(&dir).into_iter().flatten() {
            let path = entry.unwrap().path();
            let id = path.file_stem().unwrap().to_string_lossy().to_string();
            if path.extension().is_some_and(|e| e == "md") && catalog.get(&id).is_none() {
                stale.push(format!(
                    "  {} (no lab `{id}` in labs/: delete the chapter and its SUMMARY.md line)",
                    path.strip_prefix(repo()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the book's lab chapters do not match labs/ (lab.yaml and solution/):\n{}\n\
         regenerate them with `{BLESS}` and commit the result",
        stale.join("\n")
    );
}

#[test]
fn both_tables_of_contents_link_every_lab() {
    let catalog = catalog();
    let mut missing = Vec::new();
    for (_, code) in editions() {
        let summary_path = repo().join("book").join(code).join("src/SUMMARY.md");
        let summary = std::fs::read_to_string(&summary_path)
            .unwrap_or_else(|e| panic!("{}: {e}", summary_path.display()));
        for lab in catalog.labs() {
            if !summary.contains(&format!("](labs/{}.md)", lab.id)) {
                missing.push(format!(
                    "  book/{code}/src/SUMMARY.md: add `- [{}](labs/{}.md)`",
                    lab.title
                        .get(if code == "ko" { Lang::Ko } else { Lang::En }),
                    lab.id
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "labs missing from the book:\n{}",
        missing.join("\n")
    );
}

/// Every `{{#include …}}` of the book names an existing file; a snapshot
/// (`…/tests/snapshots/X.snap:5:`, or `:5:N` for its first lines) has its insta header
/// exactly on lines 1–4, so that the book shows the real output only.
#[test]
fn the_book_includes_real_snapshots_without_their_header() {
    let mut problems = Vec::new();
    let mut included = 0;
    for (_, code) in editions() {
        let src = repo().join("book").join(code).join("src");
        let mut pages = Vec::new();
        markdown_files(&src, &mut pages);
        for page in pages {
            let text = std::fs::read_to_string(&page).unwrap();
            let name = page.strip_prefix(repo()).unwrap().display().to_string();
            for (at, _) in text.match_indices("{{#include ") {
                let directive = &text[at..];
                let end = directive.find("}}").expect("unclosed {{#include");
                let arg = directive["{{#include ".len()..end].trim();
                if !arg.contains(".snap") {
                    let file = arg.split(':').next().unwrap();
                    if !page.parent().unwrap().join(file).is_file() {
                        problems.push(format!("{name}: `{arg}`: no such file"));
                    }
                    continue;
                }
                included += 1;
                let (file, range) = arg.split_once(".snap").unwrap();
                let target = page.parent().unwrap().join(format!("{file}.snap"));
                // From line 5 to the end, or to a line of the output (`:5:N`, N > 5).
                let to_the_end = range == ":5:";
                let to_a_line = range
                    .strip_prefix(":5:")
                    .and_then(|n| n.parse::<usize>().ok())
                    .is_some_and(|n| n > 5);
                if !to_the_end && !to_a_line {
                    problems.push(format!(
                        "{name}: `{arg}` must include from line 5 (`:5:` or `:5:N`)"
                    ));
                }
                match std::fs::read_to_string(&target) {
                    Err(e) => problems.push(format!("{name}: `{arg}`: {e}")),
                    Ok(snap) => {
                        let head: Vec<&str> = snap.lines().take(4).collect();
                        let ok = head.len() == 4
                            && head[0] == "---"
                            && head[3] == "---"
                            && head[1].starts_with("source: ")
                            && head[2].starts_with("expression: ");
                        if !ok {
                            problems.push(format!(
                                "{name}: `{arg}`: the insta header is not lines 1-4 ({head:?})"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(included > 0, "the book includes no snapshot");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out.sort();
}
