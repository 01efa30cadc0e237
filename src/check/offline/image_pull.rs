//! `image-pull`: the lab's private image would pull with the credentials of a Secret
//! (`secret`), or for a pod through its `imagePullSecrets` and its service account's.

use crate::check::outcome::Outcome;
use crate::check::registry::{Credentials, ImageRef, credentials_for};
use crate::check::world::World;
use crate::lab::ImagePull;
use crate::manifest::FieldPath;
use k8s_openapi::api::core::v1::{Pod, Secret};

pub fn evaluate(spec: &ImagePull, world: &World<'_>) -> Outcome {
    let Some(image) = world.params.get("image") else {
        return Outcome::error("the lab defines no `image` parameter");
    };
    let image = ImageRef::parse(image);
    match (&spec.pod, &spec.secret) {
        (Some(pod), _) => pod_pulls(pod, &image, world),
        (None, Some(secret)) => secret_authenticates(secret, &image, world),
        (None, None) => Outcome::error("image-pull names neither a pod nor a secret"),
    }
}

/// Whether the credentials are the registry's; the password is never printed.
fn accepted(creds: &Credentials, world: &World<'_>) -> Result<(), String> {
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
        return Err(format!(
            "the `auths` entry `{}` holds no credentials, so the registry would answer 401 Unauthorized: a docker config written with a credential store (`credsStore`, `credHelpers`) keeps them outside the file, where the kubelet cannot read them; create the secret with `kubectl create secret docker-registry --docker-username=… --docker-password=…`",
            creds.key
        ));
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
        return Err(format!(
            "the {which} decoded from `auth` ends in a newline, so the registry would answer 401 Unauthorized{}: encode it with `echo -n 'user:password' | base64` (without `-n`, `echo` adds the newline)",
            if right {
                " although the text before it is right"
            } else {
                ""
            }
        ));
    }
    if creds.username != expected_user {
        return Err(format!(
            "the registry would reject user `{}` (401 Unauthorized); the lab's user is `{expected_user}`",
            creds.username
        ));
    }
    if creds.password != expected_password {
        return Err(format!(
            "the registry would reject the password for user `{}` (401 Unauthorized)",
            creds.username
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
        return Outcome::error("the secret did not deserialize");
    };
    match credentials_for(&secret, image).and_then(|c| accepted(&c, world).map(|()| c)) {
        Ok(creds) => Outcome::pass(format!(
            "Secret {name} authenticates user `{}` to {} (auths key `{}`)",
            creds.username, image.registry, creds.key
        )),
        Err(why) => {
            let path = if why.contains("type is") {
                FieldPath::parse("type")
            } else {
                data_path(&secret)
            };
            Outcome::fail(
                format!("Secret {name} cannot pull from {}: {why}", image.registry),
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
        return Outcome::error("the pod did not deserialize");
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
            format!("Pod {name} has no containers"),
            Some(object.location()),
        );
    };
    let image_path = FieldPath::parse("spec.containers")
        .index(index)
        .key("image");
    if used.registry != image.registry {
        return Outcome::fail(
            format!(
                "the image is pulled from {}, not from the private registry {}: use {}/{}:{}",
                used.registry, image.registry, image.registry, image.repository, image.tag
            ),
            Some(object.locate(&image_path)),
        );
    }
    if used.repository != image.repository || used.tag != image.tag {
        return Outcome::fail(
            format!(
                "{} has no image {}:{} (pull would fail: not found); the lab's image is {}:{}",
                image.registry, used.repository, used.tag, image.repository, image.tag
            ),
            Some(object.locate(&image_path)),
        );
    }

    // The pull secrets the pod got on creation: its own, or (only when it lists none)
    // its service account's, copied by the ServiceAccount admission plugin.
    let candidates = world.pull_secrets(name);
    if candidates.is_empty() {
        return Outcome::fail(
            format!(
                "Pod {name} has no imagePullSecrets: the pull is anonymous and {} answers 401 Unauthorized (ErrImagePull); add spec.imagePullSecrets: [{{name: private-reg-cred}}]",
                image.registry
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
                format!("Secret `{secret_name}` does not exist in the namespace"),
            ));
            continue;
        };
        match credentials_for(&secret, image).and_then(|c| accepted(&c, world)) {
            Ok(()) => {
                return Outcome::pass(format!(
                    "{}/{}:{} pulls with the credentials of Secret {secret_name}",
                    image.registry, image.repository, image.tag
                ));
            }
            Err(why) => reasons.push((at, format!("Secret `{secret_name}`: {why}"))),
        }
    }
    let (at, first) = &reasons[0];
    let mut outcome = Outcome::fail(
        format!("the pull would fail (401 Unauthorized): {first}"),
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
        outcome = outcome.with_detail(format!(
            "ServiceAccount {account} has imagePullSecrets, but the pod lists its own, so they are not added: the ServiceAccount admission plugin copies them only into a pod that lists none"
        ));
    }
    outcome
}
