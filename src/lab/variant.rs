//! Variants: a lab's parameters given per-learner values chosen by a seed.
//!
//! A lab declares its concrete values (object names, labels, ports, IDs, credentials) as
//! `params:` in `lab.yaml`, each with the seed's value as `default` and, when it varies,
//! a `vary:` rule. Every other file of the lab (the rest of `lab.yaml`, the fixtures) and
//! its reference solution are templates over them (`{{name}}`). `--variant SEED` picks
//! one value per varied parameter:
//!
//! - deterministically: SHA-256 of `kubelab-variant`, the lab id, the parameter's name
//!   and the seed (NUL-separated), so one seed gives the same values on every machine and
//!   every kubelab version whose lab declares the same rule;
//! - never the default: a variant changes every parameter that varies, so the seed's own
//!   answer cannot pass a variant by chance.
//!
//! No seed means the seed material's exercise: every parameter at its default.

use super::model::{Param, Vary};
use base64::Engine;
use std::collections::BTreeMap;

/// The parameter computed from the others in a lab with a private registry: the
/// base64 `.dockerconfigjson` that `kubectl create secret docker-registry
/// --docker-server=… --docker-username=… --docker-password=… --docker-email=…
/// --dry-run=client -o yaml` prints (kubectl's
/// `staging/src/k8s.io/kubectl/pkg/generate/versioned/secret_for_docker_registry.go`:
/// `{"auths":{SERVER:{"username","password","email","auth"}}}`, `auth` being
/// base64 of `USER:PASSWORD`), for the reference solution.
pub const DOCKER_CONFIG_JSON_PARAM: &str = "dockerconfigjson";

/// The characters a parameter value may have: they go into YAML and command lines
/// unquoted, so a value can never change the structure of the file it is put in.
pub fn is_safe_value(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:/@-".contains(c))
}

/// The value of every parameter for `seed` (`None`: the defaults), plus the computed
/// ones ([`DOCKER_CONFIG_JSON_PARAM`]). An `image` is put in the `registry`'s host
/// (`<registry>/<repository>:<tag>`), so that a variant moving the registry keeps the
/// image in it.
pub fn values(
    lab: &str,
    params: &BTreeMap<String, Param>,
    seed: Option<&str>,
) -> BTreeMap<String, String> {
    let mut values: BTreeMap<String, String> = params
        .iter()
        .map(|(name, param)| {
            let value = match (seed, &param.vary) {
                (Some(seed), Some(vary)) => pick(vary, &param.default, &hash(lab, name, seed)),
                _ => param.default.clone(),
            };
            (name.clone(), value)
        })
        .collect();
    // The private image lives in the private registry: a variant that moves the
    // registry (allowed-registries) moves the image with it.
    if let (Some(registry), Some(image)) = (values.get("registry"), values.get("image"))
        && let Some((_, path)) = image.split_once('/')
    {
        let moved = format!("{registry}/{path}");
        values.insert("image".to_string(), moved);
    }
    if let Some(config) = docker_config_json(&values) {
        values.insert(DOCKER_CONFIG_JSON_PARAM.to_string(), config);
    }
    values
}

/// The names of the computed parameters `params` gets (for the placeholder check).
pub fn computed(params: &BTreeMap<String, Param>) -> Vec<&'static str> {
    let has = |n: &str| params.contains_key(n);
    if has("registry") && has("username") && has("password") && has("email") {
        vec![DOCKER_CONFIG_JSON_PARAM]
    } else {
        Vec::new()
    }
}

fn docker_config_json(values: &BTreeMap<String, String>) -> Option<String> {
    let (server, user, password, email) = (
        values.get("registry")?,
        values.get("username")?,
        values.get("password")?,
        values.get("email")?,
    );
    let b64 = base64::engine::general_purpose::STANDARD;
    let auth = b64.encode(format!("{user}:{password}"));
    // Field order as kubectl's json.Marshal of its struct writes it.
    let json = format!(
        r#"{{"auths":{{{}:{{"username":{},"password":{},"email":{},"auth":"{auth}"}}}}}}"#,
        serde_json::Value::from(server.as_str()),
        serde_json::Value::from(user.as_str()),
        serde_json::Value::from(password.as_str()),
        serde_json::Value::from(email.as_str()),
    );
    Some(b64.encode(json))
}

/// Whether `c` continues a word around a value (so `db` is found in `role: db` but not
/// in `db-pod`, `6379` not in `16379`, and the user `kubelab` not in the image
/// `127.0.0.1:30050/kubelab/app:1.0`).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-./@".contains(c)
}

/// Every place in `text` where one of `values` stands as a whole word: (byte offset,
/// index into `values`). Where several start at one place the longest wins, and the
/// search goes on after it (`127.0.0.1:30050/kubelab/private-app:1.0` is one image,
/// not also the user `kubelab`).
pub fn occurrences(text: &str, values: &[&str]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..values.len())
        .filter(|i| !values[*i].is_empty())
        .collect();
    order.sort_by_key(|i| std::cmp::Reverse(values[*i].len()));
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let before = text[..at].chars().next_back();
        let starts_word = before.is_none_or(|c| !is_word(c));
        let hit = starts_word
            .then(|| {
                order.iter().copied().find(|i| {
                    let v = values[*i];
                    text[at..].starts_with(v)
                        && text[at + v.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !is_word(c))
                })
            })
            .flatten();
        match hit {
            Some(i) => {
                found.push((at, i));
                at += values[i].len();
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    found
}

/// `text` with every whole-word occurrence of a `from` value replaced by its `to`
/// ([`occurrences`]): the seed's reference solution turned into a variant's. A Korean
/// particle right after a value follows the new value (`UID 1000으로` becomes
/// `UID 1637로`) when its final sound is known ([`crate::i18n::josa`]).
pub fn rewrite(text: &str, pairs: &[(&str, &str)]) -> String {
    let froms: Vec<&str> = pairs.iter().map(|(from, _)| *from).collect();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, i) in occurrences(text, &froms) {
        out.push_str(&text[last..at]);
        let to = pairs[i].1;
        out.push_str(to);
        last = at + froms[i].len();
        if let Some((len, particle)) = particle_after(&text[last..], to) {
            out.push_str(&particle);
            last += len;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The Korean particle that starts `rest` (a whole word: no Hangul after it), as it
/// reads after `value`: (its length in `rest`, the form for `value`). `None` when `rest`
/// starts with no particle or `value`'s final sound is not known (a Latin letter).
fn particle_after(rest: &str, value: &str) -> Option<(usize, String)> {
    // (a form as written, both forms as josa writes them)
    const FORMS: &[(&str, &str)] = &[
        ("으로", "(으)로"),
        ("로", "(으)로"),
        ("을", "을(를)"),
        ("를", "을(를)"),
        ("이", "이(가)"),
        ("가", "이(가)"),
        ("은", "은(는)"),
        ("는", "은(는)"),
        ("과", "와(과)"),
        ("와", "와(과)"),
    ];
    let hangul = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    let (written, both) = FORMS.iter().find(|(written, _)| {
        rest.strip_prefix(written)
            .is_some_and(|after| !after.starts_with(hangul))
    })?;
    let resolved = crate::i18n::josa::resolve(&format!("{value}{both}"));
    let particle = resolved.strip_prefix(value)?;
    (particle != *both).then(|| (written.len(), particle.to_string()))
}

/// 32 bytes that depend only on the lab, the parameter and the seed.
fn hash(lab: &str, param: &str, seed: &str) -> [u8; 32] {
    let input = format!("kubelab-variant\0{lab}\0{param}\0{seed}");
    let digest = ring::digest::digest(&ring::digest::SHA256, input.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// The rule's value for `hash`, never `default` (a rule with no other value gives the
/// default; lab validation refuses such a rule).
fn pick(vary: &Vary, default: &str, hash: &[u8; 32]) -> String {
    let number = u64::from_be_bytes(hash[..8].try_into().unwrap());
    match vary {
        Vary::OneOf(choices) => {
            let others: Vec<&String> = choices.iter().filter(|c| *c != default).collect();
            if others.is_empty() {
                return default.to_string();
            }
            others[(number % others.len() as u64) as usize].clone()
        }
        Vary::Range([from, to]) => {
            let (from, to) = (u64::from(*from), u64::from(*to));
            let default = default
                .parse::<u64>()
                .ok()
                .filter(|d| (from..=to).contains(d));
            let count = to - from + 1 - u64::from(default.is_some());
            if count == 0 {
                return from.to_string();
            }
            let mut value = from + number % count;
            if default.is_some_and(|d| value >= d) {
                value += 1;
            }
            value.to_string()
        }
        Vary::Token(length) => {
            // Readable characters (no 0/o, 1/l): a password a learner types.
            const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
            let mut bytes = hash.to_vec();
            while bytes.len() < *length {
                let next = ring::digest::digest(&ring::digest::SHA256, &bytes);
                bytes.extend_from_slice(next.as_ref());
            }
            bytes[..*length]
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect()
        }
    }
}

/// What is wrong with a parameter's declaration, if anything: an unsafe default or
/// value, a rule with no value other than the default, an empty or reversed range.
pub fn problem(name: &str, param: &Param) -> Option<String> {
    if !is_safe_value(&param.default) {
        return Some(format!(
            "parameter `{name}`: the default `{}` may only have letters, digits and . _ : / @ -",
            param.default
        ));
    }
    match param.vary.as_ref()? {
        Vary::OneOf(choices) => {
            if let Some(bad) = choices.iter().find(|c| !is_safe_value(c)) {
                return Some(format!(
                    "parameter `{name}`: the value `{bad}` may only have letters, digits and . _ : / @ -"
                ));
            }
            if choices.iter().all(|c| *c == param.default) {
                return Some(format!(
                    "parameter `{name}`: `one-of` has no value other than the default"
                ));
            }
        }
        Vary::Range([from, to]) => {
            if from >= to {
                return Some(format!(
                    "parameter `{name}`: the range [{from}, {to}] must go up and hold two values or more"
                ));
            }
        }
        Vary::Token(length) => {
            if !(4..=64).contains(length) {
                return Some(format!(
                    "parameter `{name}`: a token has 4 to 64 characters, not {length}"
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Text;

    fn param(default: &str, vary: Option<Vary>) -> Param {
        Param {
            default: default.into(),
            about: Text::default(),
            vary,
        }
    }

    #[test]
    fn a_seed_never_picks_the_default_and_is_stable() {
        let params = BTreeMap::from([
            (
                "name".to_string(),
                param(
                    "db-pod",
                    Some(Vary::OneOf(vec!["db-pod".into(), "cache".into()])),
                ),
            ),
            (
                "port".to_string(),
                param("6379", Some(Vary::Range([6379, 6380]))),
            ),
            ("fixed".to_string(), param("x", None)),
        ]);
        for seed in ["a", "b", "han@example.com", "12345"] {
            let v = values("lab", &params, Some(seed));
            assert_eq!(v["name"], "cache");
            assert_eq!(v["port"], "6380");
            assert_eq!(v["fixed"], "x");
        }
        let defaults = values("lab", &params, None);
        assert_eq!(defaults["name"], "db-pod");
        assert_eq!(defaults["port"], "6379");
    }

    #[test]
    fn ranges_cover_every_value_but_the_default() {
        let rule = Vary::Range([10, 14]);
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..400 {
            seen.insert(pick(&rule, "12", &hash("l", "p", &seed.to_string())));
        }
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            vec!["10", "11", "13", "14"]
        );
    }

    #[test]
    fn tokens_have_the_length_and_alphabet() {
        let token = pick(&Vary::Token(40), "", &hash("l", "p", "s"));
        assert_eq!(token.len(), 40);
        assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(token, pick(&Vary::Token(40), "", &hash("l", "p", "t")));
    }

    /// The computed `.dockerconfigjson` of the defaults is byte for byte what the seed's
    /// `kubectl create secret docker-registry … --dry-run=client -o yaml` printed (the
    /// committed reference solution).
    #[test]
    fn docker_config_json_is_what_kubectl_prints() {
        let values = BTreeMap::from([
            ("registry".to_string(), "127.0.0.1:30050".to_string()),
            ("username".to_string(), "kubelab".to_string()),
            ("password".to_string(), "kubelab-secret".to_string()),
            ("email".to_string(), "learner@kubelab.test".to_string()),
        ]);
        assert_eq!(
            docker_config_json(&values).unwrap(),
            "eyJhdXRocyI6eyIxMjcuMC4wLjE6MzAwNTAiOnsidXNlcm5hbWUiOiJrdWJlbGFiIiwicGFzc3dvcmQiOiJrdWJlbGFiLXNlY3JldCIsImVtYWlsIjoibGVhcm5lckBrdWJlbGFiLnRlc3QiLCJhdXRoIjoiYTNWaVpXeGhZanByZFdKbGJHRmlMWE5sWTNKbGRBPT0ifX19"
        );
    }

    #[test]
    fn rewrite_replaces_whole_words_longest_first() {
        let pairs = [
            ("db", "cache"),
            ("db-pod", "redis-db"),
            ("6379", "6390"),
            ("kubelab", "student"),
            (
                "127.0.0.1:30050/kubelab/app:1.0",
                "127.0.0.1:30050/kubelab/web:2.1",
            ),
        ];
        assert_eq!(
            rewrite(
                "role: db # db-pod에 적용, port: 6379 16379 dbx apiVersion\nimage: 127.0.0.1:30050/kubelab/app:1.0 user kubelab",
                &pairs
            ),
            "role: cache # redis-db에 적용, port: 6390 16379 dbx apiVersion\nimage: 127.0.0.1:30050/kubelab/web:2.1 user student"
        );
    }

    #[test]
    fn a_korean_particle_after_a_value_follows_the_new_value() {
        let pairs = [
            ("1000", "1637"),
            ("3000", "3002"),
            ("secure-pod", "safe-pod"),
        ];
        assert_eq!(
            rewrite(
                "runAsUser: 1000 # UID 1000으로 실행\nrunAsGroup: 3000 # GID 3000으로, 3000을, 3000이다\n# secure-pod를 1000보다",
                &pairs
            ),
            "runAsUser: 1637 # UID 1637로 실행\nrunAsGroup: 3002 # GID 3002로, 3002를, 3002이다\n# safe-pod를 1637보다"
        );
    }

    #[test]
    fn unsafe_or_empty_rules_are_problems() {
        assert!(problem("p", &param("a b", None)).is_some());
        assert!(problem("p", &param("a", Some(Vary::OneOf(vec!["a".into()])))).is_some());
        assert!(problem("p", &param("a", Some(Vary::OneOf(vec!["b: c".into()])))).is_some());
        assert!(problem("p", &param("1", Some(Vary::Range([5, 5])))).is_some());
        assert!(problem("p", &param("a", Some(Vary::OneOf(vec!["b".into()])))).is_none());
    }
}
