//! Registry credentials as the kubelet reads them from image pull secrets
//! (`pkg/credentialprovider`): the secret's type decides which key is read, `auth` wins
//! over `username`/`password`, and an `auths` key matches an image by host, port and path
//! prefix, with any `https://` scheme ignored.

use crate::i18n::Message;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use k8s_openapi::api::core::v1::Secret;
use serde_json::Value;

pub const DOCKER_CONFIG_JSON: &str = "kubernetes.io/dockerconfigjson";
pub const DOCKER_CFG: &str = "kubernetes.io/dockercfg";

/// The id of [`credentials_for`]'s error for a Secret of a type the kubelet does not read
/// pull credentials from (the failure is at the Secret's `type`).
pub const WRONG_TYPE: &str = "check-registry-wrong-type";

/// An image reference split the way container runtimes do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// `docker.io` when the reference names no registry.
    pub registry: String,
    pub repository: String,
    /// `latest` when neither a tag nor a digest is given.
    pub tag: String,
}

impl ImageRef {
    pub fn parse(reference: &str) -> Self {
        let (first, rest) = reference.split_once('/').unwrap_or(("", reference));
        let names_registry = first.contains('.') || first.contains(':') || first == "localhost";
        let (registry, path) = if names_registry && !rest.is_empty() {
            (first.to_string(), rest.to_string())
        } else {
            ("docker.io".to_string(), reference.to_string())
        };
        let (repository, tag) = if let Some((repo, digest)) = path.split_once('@') {
            (repo.to_string(), format!("@{digest}"))
        } else {
            match path.rsplit_once(':') {
                Some((repo, tag)) if !tag.contains('/') => (repo.to_string(), tag.to_string()),
                _ => (path.clone(), "latest".to_string()),
            }
        };
        let repository = if registry == "docker.io" && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        Self {
            registry,
            repository,
            tag,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The `auths` key that matched.
    pub key: String,
    pub username: String,
    pub password: String,
}

/// The credentials a pull secret offers for `image`; `Err` says why the kubelet would
/// offer none (wrong type, undecodable config, no matching `auths` entry); a wrong type
/// is [`WRONG_TYPE`].
pub fn credentials_for(secret: &Secret, image: &ImageRef) -> Result<Credentials, Message> {
    let kind = secret.type_.as_deref().unwrap_or("Opaque");
    let (key, nested) = match kind {
        DOCKER_CONFIG_JSON => (".dockerconfigjson", true),
        DOCKER_CFG => (".dockercfg", false),
        other => {
            return Err(crate::msg!("check-registry-wrong-type", found = other));
        }
    };
    let bytes =
        secret_value(secret, key).ok_or_else(|| crate::msg!("check-registry-no-key", key = key))?;
    let config: Value = serde_json::from_slice(&bytes).map_err(|e| {
        crate::msg!(
            "check-registry-invalid-json",
            key = key,
            error = crate::manifest::decode::json_problem(&e)
        )
    })?;
    let auths = if nested {
        config.get("auths")
    } else {
        Some(&config)
    };
    let Some(Value::Object(auths)) = auths else {
        return Err(crate::msg!("check-registry-no-auths", key = key));
    };
    let mut keys = Vec::new();
    for (entry_key, entry) in auths {
        keys.push(entry_key.clone());
        if !key_matches(entry_key, image) {
            continue;
        }
        let (username, password) = entry_credentials(entry).map_err(|e| {
            crate::msg!(
                "check-registry-entry-unreadable",
                entry = entry_key,
                error = e
            )
        })?;
        return Ok(Credentials {
            key: entry_key.clone(),
            username,
            password,
        });
    }
    if keys.is_empty() {
        return Err(crate::msg!(
            "check-registry-no-entries",
            registry = &image.registry
        ));
    }
    Err(crate::msg!(
        "check-registry-no-match",
        registry = &image.registry,
        entries = keys.join(", ")
    ))
}

fn secret_value(secret: &Secret, key: &str) -> Option<Vec<u8>> {
    if let Some(text) = secret.string_data.as_ref().and_then(|d| d.get(key)) {
        return Some(text.as_bytes().to_vec());
    }
    secret
        .data
        .as_ref()
        .and_then(|d| d.get(key))
        .map(|b| b.0.clone())
}

fn entry_credentials(entry: &Value) -> Result<(String, String), Message> {
    let field = |name: &str| {
        entry
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let auth = field("auth");
    if auth.is_empty() {
        return Ok((field("username"), field("password")));
    }
    let decoded = STANDARD.decode(auth.trim()).map_err(|e| {
        let error = e.to_string();
        match crate::manifest::decode::base64_problem(&error) {
            Some(problem) => crate::msg!("check-registry-auth-not-base64", error = problem),
            None => crate::msg!("check-registry-auth-not-base64", error = error),
        }
    })?;
    let decoded =
        String::from_utf8(decoded).map_err(|_| crate::msg!("check-registry-auth-not-utf8"))?;
    let (user, pass) = decoded
        .split_once(':')
        .ok_or_else(|| crate::msg!("check-registry-auth-no-colon"))?;
    Ok((user.to_string(), pass.to_string()))
}

/// kubelet's `URLsMatchStr`: scheme ignored; host labels match (a `*` label matches one
/// label); ports equal; the key's path is a prefix of the image's path.
pub fn key_matches(key: &str, image: &ImageRef) -> bool {
    let key = key
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let (key_host_port, key_path) = key.split_once('/').unwrap_or((key, ""));
    let (key_host, key_port) = split_port(key_host_port);
    let (image_host, image_port) = split_port(&image.registry);
    if key_port != image_port {
        return false;
    }
    let key_labels: Vec<&str> = key_host.split('.').collect();
    let image_labels: Vec<&str> = image_host.split('.').collect();
    if key_labels.len() != image_labels.len() {
        return false;
    }
    let hosts_match = key_labels
        .iter()
        .zip(&image_labels)
        .all(|(k, i)| *k == "*" || k.eq_ignore_ascii_case(i));
    hosts_match && image.repository.starts_with(key_path.trim_end_matches('/'))
}

fn split_port(host_port: &str) -> (&str, &str) {
    host_port.rsplit_once(':').unwrap_or((host_port, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use serde_json::json;

    fn secret(kind: &str, key: &str, config: serde_json::Value) -> Secret {
        let encoded = STANDARD.encode(config.to_string());
        serde_json::from_value(json!({"type": kind, "data": {key: encoded}})).unwrap()
    }

    const IMAGE: &str = "registry.kubelab.test:5000/kubelab/private-app:1.0";

    #[test]
    fn image_references_split_like_runtimes() {
        assert_eq!(
            ImageRef::parse(IMAGE),
            ImageRef {
                registry: "registry.kubelab.test:5000".into(),
                repository: "kubelab/private-app".into(),
                tag: "1.0".into()
            }
        );
        assert_eq!(ImageRef::parse("redis").repository, "library/redis");
        assert_eq!(ImageRef::parse("redis").tag, "latest");
        assert_eq!(
            ImageRef::parse("kubelab/private-app:1.0").registry,
            "docker.io"
        );
        assert_eq!(
            ImageRef::parse("localhost:5000/app").registry,
            "localhost:5000"
        );
    }

    #[test]
    fn auth_wins_over_username_and_password() {
        let auth = STANDARD.encode("kubelab:right");
        let s = secret(
            DOCKER_CONFIG_JSON,
            ".dockerconfigjson",
            json!({"auths": {
            "registry.kubelab.test:5000": {"username": "kubelab", "password": "wrong", "auth": auth}}}),
        );
        let c = credentials_for(&s, &ImageRef::parse(IMAGE)).unwrap();
        assert_eq!(c.password, "right");
    }

    #[test]
    fn keys_match_by_host_port_and_path_with_scheme_ignored() {
        let image = ImageRef::parse(IMAGE);
        assert!(key_matches("registry.kubelab.test:5000", &image));
        assert!(key_matches("https://registry.kubelab.test:5000", &image));
        assert!(key_matches("*.kubelab.test:5000", &image));
        assert!(key_matches("registry.kubelab.test:5000/kubelab", &image));
        assert!(
            !key_matches("registry.kubelab.test", &image),
            "the port must match"
        );
        assert!(!key_matches("registry.kubelab.test:5000/other", &image));
        assert!(!key_matches("kubelab.test:5000", &image));
    }

    #[test]
    fn only_docker_secret_types_are_read() {
        let config =
            json!({"auths": {"registry.kubelab.test:5000": {"username": "u", "password": "p"}}});
        let opaque = secret("Opaque", ".dockerconfigjson", config.clone());
        assert!(
            credentials_for(&opaque, &ImageRef::parse(IMAGE))
                .unwrap_err()
                .contains("type is `Opaque`")
        );
        let legacy = secret(
            DOCKER_CFG,
            ".dockercfg",
            json!({"registry.kubelab.test:5000": {"username": "u", "password": "p"}}),
        );
        assert_eq!(
            credentials_for(&legacy, &ImageRef::parse(IMAGE))
                .unwrap()
                .username,
            "u"
        );
    }

    #[test]
    fn reasons_are_messages_in_both_languages() {
        let config = json!({"auths": {"registry.kubelab.test:5000": {"auth": "!!"}}});
        let opaque = secret("Opaque", ".dockerconfigjson", config.clone());
        let why = credentials_for(&opaque, &ImageRef::parse(IMAGE)).unwrap_err();
        assert_eq!(why.id(), WRONG_TYPE);
        assert!(
            why.render(Lang::Ko)
                .contains("시크릿의 타입이 `Opaque`입니다"),
            "{}",
            why.render(Lang::Ko)
        );
        let bad = secret(DOCKER_CONFIG_JSON, ".dockerconfigjson", config);
        let why = credentials_for(&bad, &ImageRef::parse(IMAGE)).unwrap_err();
        assert!(
            why.contains(
                "the `auths` entry `registry.kubelab.test:5000` is unreadable: `auth` is not base64"
            ),
            "{why}"
        );
        assert!(
            why.render(Lang::Ko)
                .contains("`auth` 값이 base64가 아닙니다"),
            "{}",
            why.render(Lang::Ko)
        );
    }

    #[test]
    fn string_data_is_read_too() {
        let s: Secret = serde_json::from_value(json!({"type": DOCKER_CONFIG_JSON, "stringData": {
            ".dockerconfigjson": "{\"auths\":{\"registry.kubelab.test:5000\":{\"username\":\"u\",\"password\":\"p\"}}}"}})).unwrap();
        assert_eq!(
            credentials_for(&s, &ImageRef::parse(IMAGE))
                .unwrap()
                .password,
            "p"
        );
    }
}
