//! `image-pull`: the lab's private image would pull with the credentials of a Secret
//! (`secret`), or for a pod through its `imagePullSecrets` and its service account's.

use crate::check::outcome::Outcome;
use crate::check::registry::{Credentials, ImageRef, WRONG_TYPE, credentials_for};
use crate::check::world::World;
use crate::i18n::Message;
use crate::lab::ImagePull;
use crate::manifest::FieldPath;
use k8s_openapi::api::core::v1::{Pod, Secret};

pub fn evaluate(spec: &ImagePull, world: &World<'_>) -> Outcome {
    let Some(image) = world.params.get("image") else {
        return Outcome::error(crate::msg!("check-no-image-parameter"));
    };
    let image = ImageRef::parse(image);
    match (&spec.pod, &spec.secret) {
        (Some(pod), _) => pod_pulls(pod, &image, world),
        (None, Some(secret)) => secret_authenticates(secret, &image, world),
        (None, None) => Outcome::error(crate::msg!("check-image-pull-no-target")),
    }
}

/// Whether the credentials are the registry's; the password is never printed.
fn accepted(creds: &Credentials, world: &World<'_>) -> Result<(), Message> {
    let expected_user = world
        .params
        .get("username")
        .map(String::as_str)
        .unwrap_or_default();
    let expected_password = world
        .params
        .get("password")
        .map(String::as_str)
        .unwrap_or_default();
    if creds.username.is_empty() && creds.password.is_empty() {
        return Err(crate::msg!("check-creds-empty", entry = &creds.key));
    }
    // `echo 'user:pass' | base64` encodes a trailing newline: the registry compares the
    // bytes exactly.
    let trailing = |text: &str| text.ends_with('\n') || text.ends_with('\r');
    if trailing(&creds.username) || trailing(&creds.password) {
        let which = if trailing(&creds.username) {
            "username"
        } else {
            "password"
        };
        let (user, pass) = (creds.username.trim_end(), creds.password.trim_end());
        let right = user == expected_user && pass == expected_password;
        return Err(if right {
            crate::msg!("check-creds-newline-else-right", which = which)
        } else {
            crate::msg!("check-creds-newline", which = which)
        });
    }
    if creds.username != expected_user {
        return Err(crate::msg!(
            "check-creds-wrong-user",
            user = &creds.username,
            expected = expected_user
        ));
    }
    if creds.password != expected_password {
        return Err(crate::msg!(
            "check-creds-wrong-password",
            user = &creds.username
        ));
    }
    Ok(())
}

fn secret_authenticates(name: &str, image: &ImageRef, world: &World<'_>) -> Outcome {
    let object = match world.require("Secret", name) {
        Ok(object) => object,
        Err(outcome) => return outcome,
    };
    let Some(secret) = object.typed::<Secret>() else {
        return Outcome::error(crate::msg!("check-secret-did-not-deserialize"));
    };
    match credentials_for(&secret, image).and_then(|c| accepted(&c, world).map(|()| c)) {
        Ok(creds) => Outcome::pass(crate::msg!(
            "check-secret-authenticates",
            secret = name,
            user = &creds.username,
            registry = &image.registry,
            entry = &creds.key
        )),
        Err(why) => {
            let path = if why.id() == WRONG_TYPE {
                FieldPath::parse("type")
            } else {
                data_path(&secret)
            };
            Outcome::fail(
                crate::msg!(
                    "check-secret-cannot-pull",
                    secret = name,
                    registry = &image.registry,
                    why = why
                ),
                Some(object.locate(&path)),
            )
        }
    }
}

fn data_path(secret: &Secret) -> FieldPath {
    let key = if secret.type_.as_deref() == Some(crate::check::registry::DOCKER_CFG) {
        ".dockercfg"
    } else {
        ".dockerconfigjson"
    };
    let in_string_data = secret
        .string_data
        .as_ref()
        .is_some_and(|d| d.contains_key(key));
    FieldPath::root()
        .key(if in_string_data { "stringData" } else { "data" })
        .key(key)
}

fn pod_pulls(name: &str, image: &ImageRef, world: &World<'_>) -> Outcome {
    let object = match world.require("Pod", name) {
        Ok(object) => object,
        Err(outcome) => return outcome,
    };
    let Some(pod) = object.typed::<Pod>() else {
        return Outcome::error(crate::msg!("check-pod-did-not-deserialize"));
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let Some((index, used)) = spec
        .containers
        .iter()
        .enumerate()
        .map(|(i, c)| (i, ImageRef::parse(c.image.as_deref().unwrap_or(""))))
        .find(|(_, r)| r.registry == image.registry)
        .or_else(|| {
            spec.containers
                .first()
                .map(|c| (0, ImageRef::parse(c.image.as_deref().unwrap_or(""))))
        })
    else {
        return Outcome::fail(
            crate::msg!("check-pod-no-containers", pod = name),
            Some(object.location()),
        );
    };
    let image_path = FieldPath::parse("spec.containers")
        .index(index)
        .key("image");
    if used.registry != image.registry {
        return Outcome::fail(
            crate::msg!(
                "check-image-other-registry",
                used = &used.registry,
                registry = &image.registry,
                image = format!("{}/{}:{}", image.registry, image.repository, image.tag)
            ),
            Some(object.locate(&image_path)),
        );
    }
    if used.repository != image.repository || used.tag != image.tag {
        return Outcome::fail(
            crate::msg!(
                "check-image-not-in-registry",
                registry = &image.registry,
                used = format!("{}:{}", used.repository, used.tag),
                image = format!("{}:{}", image.repository, image.tag)
            ),
            Some(object.locate(&image_path)),
        );
    }

    // The pull secrets the pod got on creation: its own, or (only when it lists none)
    // its service account's, copied by the ServiceAccount admission plugin.
    let candidates = world.pull_secrets(name);
    if candidates.is_empty() {
        return Outcome::fail(
            crate::msg!(
                "check-pod-no-pull-secrets",
                pod = name,
                registry = &image.registry
            ),
            Some(object.locate(&FieldPath::parse("spec.imagePullSecrets"))),
        );
    }
    let own = std::ptr::eq(candidates[0].named_by, object);
    let mut reasons = Vec::new();
    for candidate in candidates {
        let secret_name = &candidate.name;
        let at = candidate.named_by.locate(&candidate.path);
        let Some(secret) = world
            .get("Secret", secret_name)
            .and_then(|o| o.typed::<Secret>())
        else {
            reasons.push((
                at,
                crate::msg!("check-pull-secret-missing", secret = secret_name),
            ));
            continue;
        };
        match credentials_for(&secret, image).and_then(|c| accepted(&c, world)) {
            Ok(()) => {
                return Outcome::pass(crate::msg!(
                    "check-pod-pulls",
                    image = format!("{}/{}:{}", image.registry, image.repository, image.tag),
                    secret = secret_name
                ));
            }
            Err(why) => reasons.push((
                at,
                crate::msg!("check-pull-secret-fails", secret = secret_name, why = why),
            )),
        }
    }
    let (at, first) = &reasons[0];
    let mut outcome = Outcome::fail(
        crate::msg!("check-pull-would-fail", why = first.clone()),
        Some(at.clone()),
    );
    for (_, why) in &reasons[1..] {
        outcome = outcome.with_detail(why.clone());
    }
    let account = spec
        .service_account_name
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string());
    let account_has_secrets = world
        .get("ServiceAccount", &account)
        .and_then(|o| o.value.get("imagePullSecrets"))
        .and_then(|v| v.as_array())
        .is_some_and(|a| !a.is_empty());
    if own && account_has_secrets {
        outcome = outcome.with_detail(crate::msg!(
            "check-account-secrets-not-added",
            account = account
        ));
    }
    outcome
}
