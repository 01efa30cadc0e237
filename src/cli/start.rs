//! `kubelab start LAB`: a fresh namespace with the lab's scenario (and, for the
//! private-registry lab, a private registry with per-run credentials), then the task.

use super::stdout::outln;
use super::{Failure, exit, find_variant, language, runtime, say_interrupted};
use crate::cluster::janitor::{Janitor, interrupted};
use crate::cluster::{ConnectOptions, Sandbox, connect};
use crate::grade::Grader;
use crate::grade::live::{self, LiveOptions};
use crate::lab::{Catalog, Lang};
use crate::msg;

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
    #[command(flatten)]
    connect: ConnectOptions,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lang = language(args.lang);
    let lab = &find_variant(catalog, &args.lab, args.variant.as_deref(), lang)?;
    runtime(lang)?.block_on(async {
        let cluster = connect(&args.connect)
            .await
            .map_err(|e| Failure::connect(e, lang))?;
        let janitor = Janitor::default();
        let progress = super::progress::for_output(true);
        // Beside the provisioning: the lab is held for hours on a cluster others share.
        let pids = crate::cluster::pids::probe(&cluster.client, &janitor);
        let work = async {
            progress.say(&msg!("cli-start-creating-namespace").render(lang));
            let options = LiveOptions {
                fixed_registry: false,
                ..LiveOptions::default()
            };
            let sandbox = Sandbox::create_with(
                &cluster.client,
                &lab.id,
                &live::sandbox_options(lab, &options),
                |s| janitor.track(s),
            )
            .await
            .map_err(|e| Failure::cluster(e, lang))?;
            let grader = Grader::new(lab);
            let params = live::provision(
                &sandbox,
                lab,
                grader.fixtures(),
                &options,
                progress.as_ref(),
                lang,
            )
            .await
            .map_err(Failure::environment)?;
            let params = live::with_task_namespace(lab, params, &sandbox.namespace);
            live::save_params(&sandbox, lab, &params)
                .await
                .map_err(|e| Failure::cluster(e, lang))?;
            // The learner works in it after this process ends: a session hold, that
            // another user's `kubelab clean` leaves alone.
            sandbox
                .hold_as_session()
                .await
                .map_err(|e| Failure::cluster(e, lang))?;
            Ok::<_, Failure>((sandbox, params))
        };
        let (sandbox, params, pids) = tokio::select! {
            (done, pids) = async { tokio::join!(work, pids) } => match done {
                Ok((sandbox, params)) => (sandbox, params, pids),
                Err(failure) => {
                    janitor.cleanup().await;
                    return Err(failure);
                }
            },
            _ = interrupted() => {
                let deleted = janitor.cleanup().await;
                say_interrupted(&deleted, lang);
                return Ok(exit::INTERRUPTED);
            }
        };
        drop(progress);
        super::warn_pids(&pids, lang);
        let ns = &sandbox.namespace;
        outln!("{}", crate::lab::task_text_with(lab, lang, &params));
        // The scenario's other namespaces, by the role the task names them.
        let roles: String = sandbox
            .role_namespaces()
            .iter()
            .map(|(role, namespace)| {
                format!(
                    "\n{}",
                    msg!(
                        "cli-start-role",
                        role = role.as_str(),
                        namespace = namespace.as_str()
                    )
                    .render(lang)
                )
            })
            .collect();
        outln!(
            "{}\n\n    kubectl config set-context --current --namespace={ns}\n{roles}\n{}",
            msg!("cli-start-ready", namespace = ns.as_str()).render(lang),
            msg!(
                "cli-start-next",
                lab = lab.id.as_str(),
                namespace = ns.as_str()
            )
            .render(lang)
        );
        Ok(exit::PASSED)
    })
}
