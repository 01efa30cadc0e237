//! The command line (the contract other tools rely on: see book/en/src/reference.md → Command line).
//! Exit codes: 0 every step passed, 1 a check failed, 2 bad input or usage,
//! 3 environment error.

mod check;
mod class;
mod clean;
mod completions;
mod doctor;
mod exam;
mod grade;
mod lab;
mod list;
mod progress;
mod show;

pub use crate::lab::task_text;
mod solve;
mod start;
pub(crate) mod stdout;

use crate::i18n::Message;
use crate::lab::{Catalog, Lab, Lang};
use crate::msg;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "kubelab",
    version = VERSION,
    about = "Lab runner and grader for Kubernetes workload and network security"
)]
pub struct Cli {
    /// Load labs from this folder instead of the built-in ones (for lab authors); give
    /// it before the command: `kubelab --labs DIR grade …`.
    #[arg(long, value_name = "DIR", env = "KUBELAB_LABS")]
    labs: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the labs with their steps and points.
    List(list::Args),
    /// Print a lab's task text.
    Show(show::Args),
    /// Grade a learner's manifests (files and folders of .yaml, .yml, .json).
    Grade(grade::Args),
    /// Grade a whole class: every subfolder or archive (.zip, .tar.gz, .tgz) of DIR is one
    /// learner.
    Class(class::Args),
    /// Print the reference solution of a lab.
    Solve(solve::Args),
    /// Set up a lab on the cluster in a fresh namespace and print the task.
    Start(start::Args),
    /// Grade the live state of a namespace made by `kubelab start`.
    Check(check::Args),
    /// Delete the kubelab namespaces nobody uses: dead runs' and your own labs
    /// (`--run ID` one run's, `--all` every one); nothing else.
    Clean(clean::Args),
    /// Check that the cluster is fit for live grading.
    Doctor(doctor::Args),
    /// CKS exam practice: every task on the cluster at once, timed, graded at the end
    /// (`start`, `status`, `end`; `sheet` for offline practice).
    Exam(exam::Args),
    /// Tools for lab authors: `lab test DIR` grades a lab folder's solution and test
    /// cases against what they state.
    Lab(lab::Args),
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions(completions::CompletionArgs),
    /// Print the man pages (kubelab(1) and one per command) in roff: `kubelab man | man -l -`.
    Man(completions::ManArgs),
}

/// The command line, named as invoked: `kubectl lab …` when run as the kubectl plugin
/// (a binary or link named `kubectl-lab`, kubectl's plugin naming convention), else
/// `kubelab …`.
fn command() -> clap::Command {
    let invoked = std::env::args_os()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    let command = Cli::command();
    if invoked.starts_with("kubectl-") {
        command.bin_name("kubectl lab")
    } else {
        command
    }
}

/// `--version`: kubelab's version and the Kubernetes API it targets (k8s-openapi's
/// `v1_34` types, the test cluster's v1.34).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (Kubernetes API v1.34)");

/// The exit codes of the contract.
pub mod exit {
    pub const PASSED: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
    pub const ENVIRONMENT: u8 = 3;
    /// `kubelab check` on a task namespace of a running exam: graded at the exam's end.
    pub const EXAM_RUNNING: u8 = 4;
    /// Ctrl-C or SIGTERM, after cleaning up (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: u8 = 130;
}

/// A command's failure: what to print and which exit code it means.
pub struct Failure {
    pub code: u8,
    pub report: miette::Report,
    /// Where, when the failure is about a place in a learner's file.
    pub location: Option<crate::manifest::Location>,
    /// Input that cannot be read as manifests (as opposed to a usage error).
    pub unreadable_input: bool,
}

impl Failure {
    pub fn bad_input(error: impl miette::Diagnostic + Send + Sync + 'static) -> Self {
        Self {
            code: exit::BAD_INPUT,
            report: miette::Report::new(Escaped::from(&error)),
            location: None,
            unreadable_input: false,
        }
    }

    /// Input that cannot be read as manifests (every file's errors), in the command's
    /// language; located at the first error when it is in a file.
    pub fn input(errors: crate::manifest::InputErrors, lang: Lang) -> Self {
        Self {
            code: exit::BAD_INPUT,
            location: errors.location(),
            report: miette::Report::new(crate::report::failure::InputReport::new(&errors, lang)),
            unreadable_input: true,
        }
    }

    pub fn environment(error: impl miette::Diagnostic + Send + Sync + 'static) -> Self {
        Self {
            code: exit::ENVIRONMENT,
            report: miette::Report::new(error),
            location: None,
            unreadable_input: false,
        }
    }

    /// A lab that does not load (exit 2): its file and line, said in `lang` when the
    /// error is said in both languages.
    pub fn lab(error: crate::lab::LabError, lang: Lang) -> Self {
        let (message, help) = error.render(lang);
        let escape = |text: &str| crate::text::escape_control_keep_lines(text).into_owned();
        let mut text = escape(&message);
        if let Some(help) = help {
            text.push('\n');
            text.push_str(&msg!("input-help", help = escape(&help)).render(lang));
        }
        Self::bad_input(Escaped {
            message: text,
            help: None,
        })
    }

    /// Bad input or usage (exit 2), said in the learner's language.
    pub fn bad_input_said(message: Message, help: Option<Message>, lang: Lang) -> Self {
        Self::bad_input(Escaped::said(message, help, lang))
    }

    /// An environment error (exit 3), said in the learner's language.
    pub fn environment_said(message: Message, help: Option<Message>, lang: Lang) -> Self {
        Self::environment(Escaped::said(message, help, lang))
    }

    /// A cluster error as an environment error, said in the learner's language.
    pub fn cluster(error: crate::cluster::ClusterError, lang: Lang) -> Self {
        Self::environment_said(error.message(), error.help_message(), lang)
    }

    /// Connecting failed: a kubeconfig named with `--kubeconfig` that cannot be used is
    /// the user's input (exit 2); anything else is the environment (exit 3).
    pub fn connect(error: crate::cluster::ClusterError, lang: Lang) -> Self {
        match error {
            crate::cluster::ClusterError::KubeconfigUnreadable { .. } => {
                Self::bad_input_said(error.message(), error.help_message(), lang)
            }
            other => Self::cluster(other, lang),
        }
    }

    /// Ctrl-C or SIGTERM: exit 130 after cleaning up.
    pub fn interrupted(lang: Lang) -> Self {
        Self {
            code: exit::INTERRUPTED,
            report: miette::Report::new(Escaped::said(msg!("cli-interrupted"), None, lang)),
            location: None,
            unreadable_input: false,
        }
    }

    /// `kubelab check` refused during a running exam (exit 4), said in the learner's
    /// language.
    pub fn exam_running(message: Message, help: Message, lang: Lang) -> Self {
        Self {
            code: exit::EXAM_RUNNING,
            report: miette::Report::new(Escaped::said(message, Some(help), lang)),
            location: None,
            unreadable_input: false,
        }
    }

    /// The kind of failure as the JSON error document names it.
    pub fn kind(&self) -> &'static str {
        match self.code {
            exit::BAD_INPUT if self.unreadable_input => "input",
            exit::BAD_INPUT => "usage",
            exit::INTERRUPTED => "interrupted",
            exit::EXAM_RUNNING => "exam-running",
            _ => "environment",
        }
    }

    /// The error document of this failure for lab `lab` (its `title` when the lab
    /// exists): what `grade` and `class` print on stdout for a machine format.
    pub fn doc<'a>(
        &self,
        lab: &'a str,
        title: Option<&'a str>,
    ) -> crate::report::failure::FailureDoc<'a> {
        use crate::report::failure::{FailureDoc, InputReport};
        FailureDoc {
            lab,
            title,
            kind: self.kind(),
            message: self.report.to_string(),
            location: self.location.clone(),
            errors: InputReport::of(&self.report)
                .map(InputReport::entries)
                .unwrap_or_default(),
        }
    }
}

/// An error as printed: its message and help with control characters escaped (line
/// breaks kept), since they quote learner input — file names, object names, namespaces —
/// that must not drive the terminal (`ESC[2J`) or forge lines. Bad-input errors carry a
/// message and a help text only (no labels, no source code, no cause chain).
#[derive(Debug)]
struct Escaped {
    message: String,
    help: Option<String>,
}

impl Escaped {
    /// A message and its help rendered in `lang`.
    /// The help goes into the text under the message with its label in `lang`
    /// (`도움말: …`), since miette would label it `help:` in every language.
    fn said(message: Message, help: Option<Message>, lang: Lang) -> Self {
        let mut text = message.render(lang);
        if let Some(help) = help {
            text.push('\n');
            text.push_str(&msg!("input-help", help = help).render(lang));
        }
        Self {
            message: text,
            help: None,
        }
    }

    fn from(error: &dyn miette::Diagnostic) -> Self {
        let escape = |text: String| crate::text::escape_control_keep_lines(&text).into_owned();
        Self {
            message: escape(error.to_string()),
            help: error.help().map(|help| escape(help.to_string())),
        }
    }
}

impl std::fmt::Display for Escaped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Escaped {}

impl miette::Diagnostic for Escaped {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn std::fmt::Display>)
    }
}

/// The async runtime for the commands that talk to a cluster.
fn runtime(lang: Lang) -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| no_runtime(e, lang))
}

/// The async runtime could not start (exit 3).
fn no_runtime(error: std::io::Error, lang: Lang) -> Failure {
    Failure::environment_said(
        msg!("cli-no-runtime", reason = error.to_string()),
        None,
        lang,
    )
}

/// One line on stderr; never a panic when stderr is a closed pipe.
fn say_on_stderr(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The warning of [`crate::cluster::pids::warning`] on stderr, if there is one: the
/// cluster does not bound a pod's processes, or that could not be found out.
fn warn_pids(bound: &Result<crate::cluster::pids::PidsBound, crate::i18n::Message>, lang: Lang) {
    if let Some(warning) = crate::cluster::pids::warning(bound) {
        say_on_stderr(&warning.render(lang));
    }
}

/// `interrupted: deleted …` on stderr, after cleaning up.
fn say_interrupted(deleted: &[String], lang: Lang) {
    let namespaces = if deleted.is_empty() {
        msg!("cli-interrupted-nothing").render(lang)
    } else {
        deleted.join(", ")
    };
    eprintln!(
        "{}",
        msg!("cli-interrupted-deleted", namespaces = namespaces).render(lang)
    );
}

pub fn main() -> ExitCode {
    // Errors name a file and line: keep each on one line so that scripts can grep them.
    miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }))
    .ok();
    let cli = Cli::from_arg_matches_mut(&mut command().get_matches()).unwrap_or_else(|e| e.exit());
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            // Input errors: each with the learner's lines around it.
            match crate::report::failure::InputReport::of(&failure.report) {
                Some(input) => eprint!("{}", input.render()),
                None => eprintln!("{:?}", failure.report),
            }
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    // `lab test DIR` loads its own lab folder, whatever the catalog holds.
    let command = match cli.command {
        Command::Lab(args) => return lab::run(args),
        command => command,
    };
    let catalog = match &cli.labs {
        Some(dir) => Catalog::from_dir(dir),
        None => Catalog::embedded(),
    }
    .map_err(|e| Failure::lab(e, language(None)))?;
    match command {
        Command::Lab(_) => unreachable!("handled above"),
        Command::List(args) => list::run(&catalog, args),
        Command::Show(args) => show::run(&catalog, args),
        Command::Grade(args) => grade::run(&catalog, args),
        Command::Class(args) => class::run(&catalog, args),
        Command::Solve(args) => solve::run(&catalog, args),
        Command::Start(args) => start::run(&catalog, args),
        Command::Check(args) => check::run(&catalog, args),
        Command::Clean(args) => clean::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::Exam(args) => exam::run(&catalog, args),
        Command::Completions(args) => Ok(completions::completions(args)),
        Command::Man(args) => Ok(completions::man(args)),
    }
}

fn find_lab<'c>(catalog: &'c Catalog, id: &str, lang: Lang) -> Result<&'c Lab, Failure> {
    catalog.get(id).ok_or_else(|| {
        let closest = catalog
            .ids()
            .into_iter()
            .map(|known| (strsim::levenshtein(id, known), known))
            .filter(|(distance, _)| *distance <= 3)
            .min();
        let message = match closest {
            Some((_, known)) => msg!("cli-unknown-lab-did-you-mean", lab = id, known = known),
            None => msg!("cli-unknown-lab", lab = id),
        };
        Failure::bad_input_said(
            message,
            Some(msg!(
                "cli-unknown-lab-help",
                labs = catalog.ids().join(", ")
            )),
            lang,
        )
    })
}

/// `--variant SEED`, shared by the commands that take a lab.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct VariantArg {
    /// The lab's variant: any non-empty text (a learner id, an e-mail) picks the same
    /// names, labels, ports, IDs and credentials on every machine; omit it for the seed
    /// material's exercise.
    #[arg(long = "variant", value_name = "SEED")]
    pub seed: Option<String>,
}

impl VariantArg {
    pub fn as_deref(&self) -> Option<&str> {
        self.seed.as_deref()
    }
}

/// `seed` as given, checked: a blank seed is a usage error (exit 2) with help.
fn nonblank_seed(seed: Option<&str>, lang: Lang) -> Result<Option<&str>, Failure> {
    match seed {
        Some(seed) if seed.trim().is_empty() => Err(Failure::bad_input_said(
            msg!("cli-variant-empty"),
            Some(msg!("cli-variant-empty-help")),
            lang,
        )),
        seed => Ok(seed),
    }
}

/// The lab `id` in the variant of `seed` (`None`: the seed material's exercise).
/// Errors (exit 2): an unknown lab, an empty seed.
fn find_variant(
    catalog: &Catalog,
    id: &str,
    seed: Option<&str>,
    lang: Lang,
) -> Result<Lab, Failure> {
    let lab = find_lab(catalog, id, lang)?;
    match nonblank_seed(seed, lang)? {
        None => Ok(lab.clone()),
        seed => lab.variant(seed).map_err(Failure::bad_input),
    }
}

/// The width tables are laid out for: `COLUMNS`, else the terminal's (when stdout is
/// one), else 120 columns (a pipe, a file, CI).
fn width() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| comfy_table::Table::new().width())
        .unwrap_or(120)
}

/// `--lang`, else Korean when the locale is Korean, else English.
fn language(flag: Option<Lang>) -> Lang {
    flag.unwrap_or_else(|| {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .unwrap_or_default();
        if locale.starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    })
}
