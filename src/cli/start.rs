//! `kubelab start LAB`: a fresh namespace with the lab's scenario (and, for the
//! private-registry lab, a private registry with per-run credentials), then the task.

use super::stdout::outln;
use super::{Failure, exit, find_lab, language, runtime};
use crate::cluster::janitor::{Janitor, interrupted};
use crate::cluster::{ConnectOptions, Sandbox, connect};
use crate::grade::Grader;
use crate::grade::live::{self, LiveOptions};
use crate::lab::{Catalog, Lang};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab id (see `kubelab list`).
    lab: String,
    /// The language of the learner-facing text, `ko` or `en` (default: `ko` when LC_ALL,
    /// LC_MESSAGES or LANG starts with `ko`, else `en`).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    #[command(flatten)]
    connect: ConnectOptions,
}

pub fn run(catalog: &Catalog, args: Args) -> Result<u8, Failure> {
    let lab = find_lab(catalog, &args.lab)?;
    let lang = language(args.lang);
    runtime()?.block_on(async {
        let cluster = connect(&args.connect).await.map_err(Failure::connect)?;
        let janitor = Janitor::default();
        let progress = super::progress::for_output(true);
        let work = async {
            progress.say("creating the lab namespace");
            let sandbox = Sandbox::create_tracked(&cluster.client, &lab.id, |s| janitor.track(s))
                .await
                .map_err(Failure::environment)?;
            let grader = Grader::new(lab);
            let options = LiveOptions { fixed_registry: false, ..LiveOptions::default() };
            let params = live::provision(&sandbox, lab, grader.fixtures(), &options, progress.as_ref(), lang)
                .await
                .map_err(Failure::environment)?;
            live::save_params(&sandbox, &params).await.map_err(Failure::environment)?;
            // The learner works in it after this process ends: a session hold, that
            // another user's `kubelab clean` leaves alone.
            sandbox.hold_as_session().await.map_err(Failure::environment)?;
            Ok::<_, Failure>((sandbox, params))
        };
        let (sandbox, params) = tokio::select! {
            done = work => match done {
                Ok(done) => done,
                Err(failure) => {
                    janitor.cleanup().await;
                    return Err(failure);
                }
            },
            _ = interrupted() => {
                let deleted = janitor.cleanup().await;
                eprintln!("interrupted: deleted {}", deleted.join(", "));
                return Ok(exit::INTERRUPTED);
            }
        };
        drop(progress);
        let ns = &sandbox.namespace;
        outln!("{}", super::show::task_text_with(lab, lang, &params));
        match lang {
            Lang::Ko => outln!("네임스페이스 `{ns}`에 실습 환경이 준비되었습니다:\n\n    kubectl config set-context --current --namespace={ns}\n\n작업을 마치면 `kubelab check {} -n {ns}`로 채점하고, `kubelab clean`으로 정리합니다. 채점할 때마다 4시간씩 연장되며, 그동안 다른 사용자의 `kubelab clean`은 이 네임스페이스를 지우지 않습니다.", lab.id),
            Lang::En => outln!("The lab is ready in namespace `{ns}`:\n\n    kubectl config set-context --current --namespace={ns}\n\nWhen done, grade with `kubelab check {} -n {ns}`; remove it with `kubelab clean`. It is held for you for 4 hours, renewed by each check: other users' `kubelab clean` leaves it alone meanwhile.", lab.id),
        }
        Ok(exit::PASSED)
    })
}
