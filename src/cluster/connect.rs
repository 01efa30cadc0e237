//! Finding the cluster the way kubectl does: `--kubeconfig`, `--context`, `KUBECONFIG`,
//! `~/.kube/config`, or the in-cluster service account.

use super::ClusterError;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug, Default, clap::Args)]
pub struct ConnectOptions {
    /// The kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
}

pub struct Cluster {
    pub client: Client,
    pub server: String,
    /// The API server's version, e.g. `v1.34.4`.
    pub version: String,
}

const REACH_TIMEOUT: Duration = Duration::from_secs(5);

pub async fn connect(options: &ConnectOptions) -> Result<Cluster, ClusterError> {
    let kube_options = KubeConfigOptions {
        context: options.context.clone(),
        ..Default::default()
    };
    let no_config = |e: &dyn std::fmt::Display| ClusterError::NoConfig(e.to_string());
    let config = match &options.kubeconfig {
        Some(path) => {
            let unreadable = |e: &dyn std::fmt::Display| ClusterError::KubeconfigUnreadable {
                path: path.display().to_string(),
                message: e.to_string(),
            };
            let kubeconfig = Kubeconfig::read_from(path).map_err(|e| unreadable(&e))?;
            Config::from_custom_kubeconfig(kubeconfig, &kube_options)
                .await
                .map_err(|e| unreadable(&e))?
        }
        None if options.context.is_some() => Config::from_kubeconfig(&kube_options)
            .await
            .map_err(|e| no_config(&e))?,
        // kube's error chain lists every place it looked; one line says it all.
        None => Config::infer()
            .await
            .map_err(|_| ClusterError::NoKubeconfig)?,
    };
    let server = config.cluster_url.to_string();
    let mut config = config;
    config.connect_timeout = Some(REACH_TIMEOUT);
    config.read_timeout = Some(Duration::from_secs(30));
    let client = Client::try_from(config).map_err(|e| ClusterError::NoConfig(e.to_string()))?;
    let version = tokio::time::timeout(REACH_TIMEOUT, client.apiserver_version())
        .await
        .map_err(|_| ClusterError::Unreachable {
            server: server.clone(),
            message: "no answer within 5s".into(),
        })?
        .map_err(|e| ClusterError::Unreachable {
            server: server.clone(),
            message: e.to_string(),
        })?;
    Ok(Cluster {
        client,
        server,
        version: version.git_version,
    })
}
