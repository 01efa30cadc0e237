//! `kubelab class --output html` on the real binary, opened in a real headless browser
//! (Debian's chromium): the page renders the class matrix and every graded learner's
//! connectivity matrix, logs nothing to the console (a detector that is shown to catch
//! a `console.error`, an uncaught exception and a blocked injected script), sorts in the
//! browser, and a screenshot shows the verdict colours. Learner-controlled text (a
//! learner folder named `<img src=x onerror=alert(1)>`, a file name with markup, YAML
//! lines and messages with `</script>`) is escaped, and the page loads nothing.
//!
//! Chromium is required: a machine without `/usr/bin/chromium` fails these tests (tests/run
//! installs it). The screenshot is checked and thrown away with its temp folder.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

mod common;
use common::fs::copy_dir;

const CHROMIUM: &str = "/usr/bin/chromium";
/// The hostile learners' folder names.
const IMG: &str = "<img src=x onerror=alert(1)>";
const SCRIPT: &str = "<script>";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A network-policy class in `dir/class`: the corpus `cases` (all of them when `None`),
/// plus two hostile learners: one named [`IMG`] whose policy is named with markup in a
/// file whose name has markup, and one named [`SCRIPT`] whose YAML does not parse on a
/// line holding `</script>`.
fn class(dir: &Path, cases: Option<&[&str]>) -> Vec<String> {
    let class = dir.join("class");
    let mut learners = Vec::new();
    for case in std::fs::read_dir(repo().join("labs/network-policy/corpus")).unwrap() {
        let case = case.unwrap().path();
        let id = case.file_name().unwrap().to_string_lossy().into_owned();
        if cases.is_some_and(|c| !c.contains(&id.as_str())) {
            continue;
        }
        copy_dir(&case.join("submission"), &class.join(&id));
        learners.push(id);
    }
    let img = class.join(IMG);
    copy_dir(&repo().join("labs/network-policy/solution"), &img);
    std::fs::remove_file(img.join("api-allow-policy.yaml")).unwrap();
    std::fs::write(
        img.join("<i onmouseover=alert(2)>.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  \
         name: \"</script><script>alert(3)</script>\"\nspec:\n  podSelector: {}\n  \
         policyTypes: [Ingress]\n",
    )
    .unwrap();
    std::fs::create_dir_all(class.join(SCRIPT)).unwrap();
    std::fs::write(
        class.join(SCRIPT).join("policy.yaml"),
        "kind: NetworkPolicy\nmetadata: {name: \"</script><img src=y onerror=alert(4)>\" ]\nspec: {}\n",
    )
    .unwrap();
    learners.push(IMG.into());
    learners.push(SCRIPT.into());
    learners.sort();
    learners
}

/// Runs `kubelab` in `dir`; returns the exit code and stderr.
fn kubelab(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("kubelab")
        .unwrap()
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("KUBELAB_LABS")
        .env_remove("KUBECONFIG")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The class's HTML report (and its JSON, from the same run) in `dir`.
fn html_report(dir: &Path, extra: &[&str]) -> (String, Value) {
    let mut args = vec![
        "class",
        "network-policy",
        "class",
        "--offline",
        "--output",
        "html:class.html",
        "--output",
        "json:class.json",
    ];
    args.extend(extra);
    let (code, stderr) = kubelab(dir, &args);
    assert_eq!(code, 1, "some learners fail: {stderr}");
    let html = std::fs::read_to_string(dir.join("class.html")).unwrap();
    let json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("class.json")).unwrap()).unwrap();
    (html, json)
}

/// What chromium printed, and the console messages and uncaught errors among it.
struct Browsed {
    stdout: String,
    console: Vec<String>,
}

/// Opens `page` in headless chromium with `args` (`--dump-dom`, `--screenshot=…`), with
/// its console logged to stderr, in a profile of its own under `scratch`. Fails loudly
/// when chromium is missing, fails to start, or takes more than two minutes.
fn chromium(page: &Path, args: &[&str], scratch: &Path) -> Browsed {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: these tests need Debian's chromium \
         (apt-get install -y --no-install-recommends chromium; tests/run installs it)"
    );
    let profile = tempfile::tempdir_in(scratch).unwrap();
    let out = tempfile::NamedTempFile::new_in(scratch).unwrap();
    let err = tempfile::NamedTempFile::new_in(scratch).unwrap();
    let mut child = std::process::Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("{CHROMIUM} does not start: {e}"));
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("chromium did not finish in two minutes: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = std::fs::read_to_string(out.path()).unwrap();
    let stderr = std::fs::read_to_string(err.path()).unwrap();
    assert!(status.success(), "chromium failed ({status}): {stderr}");
    Browsed {
        stdout,
        console: console_errors(&stderr),
    }
}

/// The console lines in chromium's log: every message a page logs (`console.error`,
/// `console.log`, a Content-Security-Policy violation) is an `INFO:CONSOLE` line; an
/// uncaught exception's says `Uncaught`. The report logs nothing, so any is an error.
fn console_errors(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .map(String::from)
        .collect()
}

/// Every tag of a page that writes `<` in text as `&lt;` (the inline style and script
/// left out), with its attributes, each value double-quoted or absent.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut html = html.to_string();
    for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
        let start = html.find(open).unwrap() + open.len();
        let end = html.find(close).unwrap();
        html.replace_range(start..end, "");
    }
    let mut tags = Vec::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>').unwrap();
        let name = rest[..name_end].to_string();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let end = rest
                .find(|c: char| c == '=' || c == '>' || c.is_whitespace())
                .unwrap();
            let attribute = rest[..end].to_string();
            rest = &rest[end..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix("=\"") {
                let close = after.find('"').unwrap();
                value = after[..close].to_string();
                rest = &after[close + 1..];
            }
            attributes.push((attribute, value));
        }
        tags.push((name, attributes));
    }
    tags
}

fn hex(learner: &str) -> String {
    let mut out = String::from("l-");
    for b in learner.bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The part of `dom` that is learner `id`'s section.
fn section<'d>(dom: &'d str, id: &str) -> &'d str {
    let start = dom
        .find(&format!("id=\"{}\"", hex(id)))
        .unwrap_or_else(|| panic!("no section for {id}"));
    let end = dom[start..]
        .find("</section>")
        .map_or(dom.len(), |e| start + e);
    &dom[start..end]
}

#[test]
fn the_report_renders_in_chromium_with_the_matrix_and_every_learners_connectivity() {
    let dir = tempfile::tempdir().unwrap();
    let learners = class(dir.path(), None);
    assert!(learners.len() > 30, "the whole corpus: {}", learners.len());
    let (_, json) = html_report(dir.path(), &[]);
    let page = dir.path().join("class.html");
    let browsed = chromium(&page, &["--dump-dom"], dir.path());
    let dom = browsed.stdout;
    assert!(browsed.console.is_empty(), "{:#?}", browsed.console);

    // The class matrix: one row per learner, in learner order, a column per check.
    assert!(dom.contains("<table id=\"matrix\">"), "{dom}");
    let start = dom.find("<table id=\"matrix\">").unwrap();
    let matrix = &dom[start..start + dom[start..].find("</table>").unwrap()];
    let body = &matrix[matrix.find("<tbody>").unwrap()..matrix.find("</tbody>").unwrap()];
    assert_eq!(body.matches("<tr data-status=").count(), learners.len());
    let mut at = 0;
    for learner in &learners {
        let link = format!("href=\"#{}\"", hex(learner));
        let found = body[at..]
            .find(&link)
            .unwrap_or_else(|| panic!("{learner} in order"));
        at += found + link.len();
    }
    let checks: usize = json["summary"]["checks"].as_array().unwrap().len();
    assert_eq!(checks, 8);
    // An unreadable learner's row says why across the check columns.
    assert_eq!(
        body.matches("class=\"v v-").count() + checks * body.matches("reason-row").count(),
        learners.len() * checks,
        "a verdict cell per learner and check"
    );
    // The verdicts are the JSON's, cell by cell.
    for row in json["learners"].as_array().unwrap() {
        let id = row["learner"].as_str().unwrap();
        let link = format!("href=\"#{}\"", hex(id));
        let tr = &body[body.find(&link).unwrap()..];
        let tr = &tr[..tr.find("</tr>").unwrap()];
        let cells: Vec<&str> = tr
            .match_indices("class=\"v v-")
            .map(|(i, m)| {
                let rest = &tr[i + m.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        let expected: Vec<String> = match row["steps"].as_array() {
            Some(steps) if row["error"].is_null() => steps
                .iter()
                .flat_map(|s| s["checks"].as_array().unwrap())
                .map(|c| c["verdict"].as_str().unwrap().to_string())
                .collect(),
            // Nothing graded: the row says why across the check columns.
            _ => {
                assert!(tr.contains("reason-row"), "{id}: {tr}");
                Vec::new()
            }
        };
        assert_eq!(cells, expected, "{id}");
    }

    // Every graded learner has a connectivity grid; the unreadable one has none.
    let graded: Vec<&str> = json["learners"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["error"].is_null())
        .map(|r| r["learner"].as_str().unwrap())
        .collect();
    assert!(graded.len() >= 30);
    assert_eq!(
        dom.matches("<table class=\"grid\"").count(),
        graded.len(),
        "one grid (TCP/6379) per graded learner"
    );
    assert!(!section(&dom, SCRIPT).contains("class=\"grid\""));
    // The reference solution: api-pod reaches db-pod by the allow rule, external-pod is
    // blocked by the isolating policies; the tooltip explains the decision.
    let seed = section(&dom, "01-seed-verbatim");
    assert!(seed.contains("data-port=\"TCP/6379\""), "{seed}");
    assert!(
        seed.contains(
            "title=\"allowed: db-pod is isolated for ingress by api-allow-to-db, \
             db-deny-ingress; rule spec.ingress[0] of api-allow-to-db allows app=api on TCP \
             6379\">✓ allowed<span class=\"rule\">api-allow-to-db spec.ingress[0]</span>"
        ),
        "{seed}"
    );
    assert!(
        seed.contains(
            "✗ blocked<span class=\"rule\">isolated by api-allow-to-db, db-deny-ingress</span>"
        ),
        "{seed}"
    );
    assert!(
        seed.contains("✓ allowed<span class=\"rule\">no policy isolates</span>"),
        "db-pod → api-pod: {seed}"
    );
    // A failing learner: the message, file:line and the learner's lines.
    let row = json["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["learner"] == "09-port-6380")
        .unwrap();
    let failing = row["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .find(|c| c["verdict"] == "fail")
        .unwrap();
    let section = section(&dom, "09-port-6380");
    let location = &failing["location"];
    let at = format!(
        "--&gt; {}:{}:{}",
        location["file"].as_str().unwrap(),
        location["line"],
        location["column"]
    );
    assert!(section.contains(&at), "{at} in {section}");
    assert!(section.contains("<pre class=\"snippet\">"), "{section}");
    assert!(section.contains("6380"), "{section}");
    assert!(section.contains("<span class=\"hl\">  &gt;"), "{section}");
}

#[test]
fn the_report_logs_nothing_to_the_console_and_the_detector_catches_errors() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path(), Some(&["01-seed-verbatim", "09-port-6380"]));
    let (html, _) = html_report(dir.path(), &[]);
    let browsed = chromium(&dir.path().join("class.html"), &["--dump-dom"], dir.path());
    assert!(browsed.console.is_empty(), "{:#?}", browsed.console);
    assert!(browsed.stdout.contains("<table id=\"matrix\">"));

    // The detector is not blind: a console.error, an uncaught exception, and a script
    // injected into the report (blocked by the page's Content-Security-Policy) are each
    // caught.
    let negatives = [
        (
            "console-error.html",
            "<!DOCTYPE html><title>t</title><p>x</p>\
             <script>console.error(\"kubelab-negative\")</script>"
                .to_string(),
            "kubelab-negative",
        ),
        (
            "uncaught.html",
            "<!DOCTYPE html><title>t</title><p>x</p><script>noSuchFunction()</script>".to_string(),
            "Uncaught ReferenceError",
        ),
        (
            "injected.html",
            html.replace(
                "</body>",
                "<script>document.title = \"injected\"</script></body>",
            ),
            "Content Security Policy",
        ),
    ];
    for (name, text, expected) in negatives {
        let page = dir.path().join(name);
        std::fs::write(&page, text).unwrap();
        let browsed = chromium(&page, &["--dump-dom"], dir.path());
        assert!(
            browsed.console.iter().any(|l| l.contains(expected)),
            "{name}: the console detector missed {expected:?}: {:#?}",
            browsed.console
        );
        if name == "injected.html" {
            assert!(
                !browsed.stdout.contains("<title>injected"),
                "the injected script ran"
            );
        }
    }
}

#[test]
fn a_screenshot_shows_the_matrix_and_the_connectivity_colours() {
    let dir = tempfile::tempdir().unwrap();
    class(
        dir.path(),
        Some(&["01-seed-verbatim", "05-allow-policy-only"]),
    );
    html_report(dir.path(), &[]);
    let shot = dir.path().join("class.png");
    let browsed = chromium(
        &dir.path().join("class.html"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1400,1600",
        ],
        dir.path(),
    );
    assert!(browsed.console.is_empty(), "{:#?}", browsed.console);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("chromium wrote the screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1400, 1600));
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let count = |rgb: [u8; 3]| {
        pixels[..info.buffer_size()]
            .chunks(channels)
            .filter(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= 2))
            .count()
    };
    let distinct: std::collections::HashSet<&[u8]> =
        pixels[..info.buffer_size()].chunks(channels).collect();
    assert!(
        distinct.len() > 20,
        "a blank page: {} colours",
        distinct.len()
    );
    // The page's colours (see src/class/html.rs): verdict cells of the matrix, and the
    // connectivity grid's allowed and blocked cells of the first learner.
    for (what, rgb) in [
        ("pass", [0xb7, 0xe4, 0xc7]),
        ("fail", [0xf4, 0xa6, 0xa6]),
        ("allowed", [0x8f, 0xd3, 0xa8]),
        ("blocked", [0xe5, 0x7f, 0x7f]),
    ] {
        let n = count(rgb);
        eprintln!("{what}: {n} pixels");
        assert!(
            n > 500,
            "{what}: {n} pixels of {rgb:02x?} in the screenshot"
        );
    }
}

#[test]
fn learner_text_is_escaped_and_the_page_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path(), Some(&["01-seed-verbatim"]));
    let (html, json) = html_report(dir.path(), &[]);
    // One script, the page's own; no element comes from learner text.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    for raw in [
        "<img",
        "<i onmouseover",
        "<script>alert",
        "</script><script>",
        "<script>&lt;",
    ] {
        assert!(!html.contains(raw), "{raw} unescaped in the page");
    }
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;i onmouseover=alert(2)&gt;.yaml"),
        "{html}"
    );
    assert!(
        html.contains("&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;"),
        "the policy's name in a message or a line: {html}"
    );
    assert!(
        html.contains("&lt;/script&gt;&lt;img src=y onerror=alert(4)&gt;"),
        "the unparsable line: {html}"
    );
    // The page loads nothing: no URL, no src, links only within the page, and a policy
    // that forbids any load.
    assert!(!html.contains("http://") && !html.contains("https://"));
    for (tag, attributes) in tags(&html) {
        for (name, value) in attributes {
            assert!(
                name != "src" && !name.starts_with("on"),
                "<{tag} {name}={value:?}>"
            );
            if name == "href" {
                assert!(value.starts_with("#l-"), "<{tag} href={value:?}>");
            }
        }
    }
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"
    ));
    // The learners are the JSON's.
    assert_eq!(json["learners"].as_array().unwrap().len(), 3);

    // In the browser: no element of learner text, the text shown as text.
    let browsed = chromium(&dir.path().join("class.html"), &["--dump-dom"], dir.path());
    assert!(browsed.console.is_empty(), "{:#?}", browsed.console);
    let dom = browsed.stdout;
    assert!(!dom.contains("<img") && !dom.contains("<i "), "{dom}");
    assert_eq!(dom.matches("<script").count(), 1);
    assert!(dom.contains(&format!(
        "<a href=\"#{}\">&lt;img src=x onerror=alert(1)&gt;</a>",
        hex(IMG)
    )));
    let script = section(&dom, SCRIPT);
    assert!(script.contains("<pre class=\"snippet\">"), "{script}");
    assert!(
        script.contains("class/&lt;script&gt;/policy.yaml:"),
        "{script}"
    );
}

#[test]
fn the_matrix_sorts_by_a_column_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    class(
        dir.path(),
        Some(&["01-seed-verbatim", "05-allow-policy-only", "09-port-6380"]),
    );
    let (html, json) = html_report(dir.path(), &[]);
    // A copy of the page that clicks the "points" heading twice (descending), then the
    // "learner" heading once, and writes the orders down. The copy drops the page's
    // Content-Security-Policy so that its own script may run.
    let policy = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let end = policy + html[policy..].find('>').unwrap() + 1;
    let driver = "<script>
      var heads = document.querySelectorAll('#matrix thead th button');
      function order() {
        return Array.prototype.map.call(document.querySelectorAll('#matrix tbody tr'),
          function (r) { return r.cells[2].getAttribute('data-key') + ' ' + r.cells[0].getAttribute('data-key'); }).join('\\n');
      }
      heads[2].click(); heads[2].click();
      var byPoints = order();
      heads[0].click();
      var byLearner = order();
      var out = document.createElement('pre'); out.id = 'sorted';
      out.textContent = byPoints + '\\n--\\n' + byLearner;
      document.body.appendChild(out);
    </script>";
    let copy = format!(
        "{}{}",
        &html[..policy],
        html[end..].replace("</body>", &format!("{driver}</body>"))
    );
    let page = dir.path().join("sorting.html");
    std::fs::write(&page, copy).unwrap();
    let browsed = chromium(&page, &["--dump-dom"], dir.path());
    assert!(browsed.console.is_empty(), "{:#?}", browsed.console);
    let dom = browsed.stdout;
    let start = dom.find("<pre id=\"sorted\">").expect("the driver ran") + 17;
    let text = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let (by_points, by_learner) = text.split_once("\n--\n").unwrap();
    let points: Vec<i64> = by_points
        .lines()
        .map(|l| l.split_once(' ').unwrap().0.parse().unwrap())
        .collect();
    assert_eq!(points.len(), 5, "{text}");
    assert!(
        points.windows(2).all(|w| w[0] >= w[1]),
        "descending: {text}"
    );
    assert_eq!(
        points.last(),
        Some(&-1),
        "the unreadable learner last: {text}"
    );
    let mut expected: Vec<&str> = json["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["learner"].as_str().unwrap())
        .collect();
    expected.sort();
    // as the DOM dump writes text
    let expected: Vec<String> = expected
        .iter()
        .map(|l| {
            l.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        })
        .collect();
    let learners: Vec<String> = by_learner
        .lines()
        .map(|l| l.split_once(' ').unwrap().1.to_string())
        .collect();
    assert_eq!(learners, expected, "{text}");
}

#[test]
fn korean_chrome_follows_lang_and_the_report_folder_has_class_html() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path(), Some(&["01-seed-verbatim"]));
    let (code, stderr) = kubelab(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--lang",
            "ko",
            "--report",
            "reports",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let page = dir.path().join("reports/class.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<html lang=\"ko\">"));
    for words in [
        "학급 채점 보고서",
        "학습자 3명 중 1명이 통과했습니다",
        "열 제목을 누르면 그 열을 기준으로 정렬합니다.",
        "학습자별 결과",
        "연결 행렬 TCP/6379",
        "✓ 허용",
        "✗ 차단",
        "Network Policy 적용하기",
    ] {
        assert!(html.contains(words), "{words}");
    }
    let browsed = chromium(&page, &["--dump-dom"], dir.path());
    assert!(browsed.console.is_empty(), "{:#?}", browsed.console);
    assert!(browsed.stdout.contains("<table class=\"grid\""));
}

/// Issue 25, items 6 and 7: the page an instructor opens first. Above the matrix, the
/// overview: mean and median, a histogram, the checks by failure rate, the learners to
/// contact (unreadable, refused) with their reasons; the matrix shows those reasons
/// instead of a green row; the summary counts refused and unreadable learners apart;
/// identical submissions and the reference solution handed in verbatim are listed. In
/// chromium, the status filter and the search box (here from the link's query) hide the
/// other rows.
#[test]
fn the_overview_comes_first_and_the_filter_hides_rows_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    copy_dir(
        &repo().join("labs/network-policy/solution"),
        &class.join("kim"),
    );
    let wrong =
        repo().join("labs/network-policy/corpus/10-namespace-selector-empty-alone/submission");
    copy_dir(&wrong, &class.join("lee"));
    copy_dir(&wrong, &class.join("park"));
    // The same objects, with a comment, another key order and other quotes.
    for entry in std::fs::read_dir(class.join("park")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            format!(
                "# my own work\n{}",
                text.replace("kind: NetworkPolicy", "kind: \"NetworkPolicy\"")
            ),
        )
        .unwrap();
    }
    std::fs::create_dir_all(class.join("choi")).unwrap();
    std::fs::write(class.join("choi/policy.yaml"), "kind: [unclosed\n").unwrap();
    copy_dir(
        &repo().join("labs/network-policy/solution"),
        &class.join("yoon"),
    );
    let deny = class.join("yoon/db-deny-policy.yaml");
    let text = std::fs::read_to_string(&deny).unwrap();
    std::fs::write(
        &deny,
        text.replacen("metadata:\n", "metadata:\n  namespace: kube-system\n", 1),
    )
    .unwrap();

    let (code, stderr) = kubelab(
        dir.path(),
        &[
            "class",
            "network-policy",
            "class",
            "--offline",
            "--output",
            "html:class.html",
            "--output",
            "csv:class.csv",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("1/5 learners passed · 2 failed · 1 refused · 1 unreadable · 0 errors"),
        "{stderr}"
    );
    let page = dir.path().join("class.html");
    let browsed = chromium(&page, &["--dump-dom"], dir.path());
    assert!(browsed.console.is_empty(), "{:#?}", browsed.console);
    let dom = &browsed.stdout;
    let at = |needle: &str| {
        dom.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in the page"))
    };
    assert!(
        at("id=\"overview\"") < at("id=\"matrix\""),
        "the overview comes first"
    );
    let block = |id: &str| {
        let start = at(&format!("id=\"{id}\""));
        let end = dom[start..]
            .find("</section>")
            .map_or(dom.len(), |e| start + e);
        dom[start..end].to_string()
    };
    let overview = block("overview");
    assert!(
        overview.contains("mean 6.3 · median 6 of 8 points (4 graded)"),
        "{overview}"
    );
    assert_eq!(
        overview.matches("<meter").count(),
        9,
        "one bar per point, 0 to 8: {overview}"
    );
    // The hardest check first: allow-blocks-external, failed by lee and park (2 of 4).
    let hardest = &overview[overview.find("id=\"hardest\"").unwrap()..];
    let first = hardest.find("<li>").unwrap();
    assert!(
        hardest[first..].starts_with(
            "<li><span class=\"step\">allow-api/</span><strong>allow-blocks-external</strong>"
        ),
        "{hardest}"
    );
    let contact = &overview[overview.find("id=\"contact\"").unwrap()..];
    assert!(
        contact.contains(">choi</a> <span class=\"badge s-unreadable\">unreadable</span>"),
        "{contact}"
    );
    assert!(
        contact.contains(">yoon</a> <span class=\"badge s-refused\">refused</span>"),
        "{contact}"
    );
    assert!(
        contact.contains("refused NetworkPolicy db-deny-ingress class/yoon/db-deny-policy.yaml:"),
        "{contact}"
    );
    assert!(!contact.contains(">lee</a>"), "{contact}");
    // The matrix: the unreadable row says why across the checks; the refused row is red.
    assert!(
        dom.contains(
            "class=\"v-none reason-row\" colspan=\"8\">class/choi/policy.yaml:1:16: malformed YAML"
        ),
        "{dom}"
    );
    assert!(dom.contains("<td class=\"s-refused\""), "{dom}");
    let copies = block("copies");
    assert!(copies.contains("<li>lee, park</li>"), "{copies}");
    assert!(
        copies.contains("Handed in the reference solution verbatim: kim"),
        "{copies}"
    );
    let csv = std::fs::read_to_string(dir.path().join("class.csv")).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",same_as,reference_solution"),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("lee,") && l.ends_with(",park,")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("kim,") && l.ends_with(",,yes")),
        "{csv}"
    );

    let visible = |query: &str| -> Vec<String> {
        let page = PathBuf::from(format!("{}{query}", page.display()));
        let dom = chromium(&page, &["--dump-dom"], dir.path()).stdout;
        dom.split("<tr data-status=")
            .skip(1)
            .filter(|row| !row[..row.find('>').unwrap()].contains("hidden"))
            .map(|row| {
                let name = &row[row.find("<a href=").unwrap()..];
                name[name.find('>').unwrap() + 1..name.find("</a>").unwrap()].to_string()
            })
            .collect()
    };
    assert_eq!(visible(""), ["choi", "kim", "lee", "park", "yoon"]);
    assert_eq!(visible("?status=failed"), ["lee", "park"]);
    assert_eq!(visible("?q=YO"), ["yoon"]);
    assert_eq!(visible("?status=failed&q=le"), ["lee"]);
}
