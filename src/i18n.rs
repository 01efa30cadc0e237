//! Learner-facing messages in Korean and English.
//!
//! Every sentence a learner reads (check messages and their details, notes, refusals,
//! report chrome) is a [`Message`]: a Fluent message id plus named arguments, rendered
//! in the report's [`Lang`] only when the report is built. The texts live in Fluent
//! resources, `i18n/en/*.ftl` and `i18n/ko/*.ftl` (embedded by `build.rs`); one id has
//! the same arguments in both languages. Korean is written in 합니다체.
//!
//! Arguments are values, never markup: a learner's string passed as an argument is shown
//! as written (Fluent does not interpret it). Bidi isolation marks are off, since every
//! text is shown left to right.
//!
//! Build messages with [`msg!`](crate::msg): `msg!("check-pod-not-found", name = "db")`.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/embedded_i18n.rs"));

/// The language a learner reads: `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`,
/// `LANG` starting with `ko`), else English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Korean, the language of the source material.
    Ko,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Both languages, Korean first.
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    /// `ko` or `en`: the folder of this language's Fluent resources.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }
}

/// One argument of a [`Message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as written (a name, a field path, a learner's value, a server's words).
    Text(String),
    /// A number; Fluent selects plural forms on it (`{ $count -> [one] … *[other] … }`).
    Number(i64),
    /// Another message, rendered in the same language first.
    Message(Box<Message>),
    /// Messages rendered in the same language and joined: with `; ` in English, as
    /// sentences in Korean.
    List(Vec<Message>),
    /// Text that exists in both languages outside Fluent (a lab's own text in
    /// `lab.yaml`): `[ko, en]`, picked by the language rendered.
    Translated(Box<[String; 2]>),
}

/// A learner-facing sentence: a Fluent id and its arguments, rendered with
/// [`Message::render`]. `Display` and `Serialize` render it in English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    id: &'static str,
    /// Boxed slice: a message sits in every `Outcome`, which is returned as an error.
    args: Box<[(&'static str, Arg)]>,
}

impl Message {
    /// A message without arguments yet; see [`msg!`](crate::msg).
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Box::default(),
        }
    }

    /// Adds the argument `$name`.
    pub fn arg(self, name: &'static str, value: impl Into<Arg>) -> Self {
        let mut args = self.args.into_vec();
        args.push((name, value.into()));
        Self {
            id: self.id,
            args: args.into_boxed_slice(),
        }
    }

    /// The Fluent id (`check-pod-not-found`).
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The arguments, in the order given.
    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }

    /// The message in `lang`. An id missing from `lang`'s resources renders as
    /// `⟦id⟧` followed by its arguments, so that it shows up in every test that reads the
    /// text (and `i18n::tests` fails on any id used in the sources but not defined).
    pub fn render(&self, lang: Lang) -> String {
        let bundle = bundle(lang);
        let Some(pattern) = bundle.get_message(self.id).and_then(|m| m.value()) else {
            let mut out = format!("⟦{}⟧", self.id);
            for (name, value) in self.args.iter() {
                out.push_str(&format!(" {name}={}", render_arg(value, lang)));
            }
            return out;
        };
        let mut args = FluentArgs::new();
        for (name, value) in self.args.iter() {
            match value {
                Arg::Number(n) => args.set(*name, FluentValue::from(*n)),
                other => args.set(*name, FluentValue::from(render_arg(other, lang))),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
        match lang {
            // `{ KIND($kind) }이(가)` becomes `파드가` where the word's final sound is known,
            // and a question that a longer sentence continues keeps its `?` alone.
            Lang::Ko => josa::resolve(&text).replace("?.", "?"),
            Lang::En => text.into_owned(),
        }
    }

    /// The message with every text argument (nested ones too) passed through `f`: for
    /// rewriting a path the learner never saw (an archive's temporary folder).
    pub fn map_text(self, f: &dyn Fn(&str) -> String) -> Self {
        let args = self
            .args
            .into_vec()
            .into_iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => Arg::Text(f(&text)),
                    Arg::Number(n) => Arg::Number(n),
                    Arg::Message(m) => Arg::Message(Box::new(m.map_text(f))),
                    Arg::List(list) => Arg::List(list.into_iter().map(|m| m.map_text(f)).collect()),
                    Arg::Translated(text) => Arg::Translated(text),
                };
                (name, value)
            })
            .collect();
        Self { id: self.id, args }
    }

    /// Whether the English text contains `needle` (for tests and for callers that
    /// classify a message by its words).
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

fn render_arg(arg: &Arg, lang: Lang) -> String {
    match arg {
        Arg::Text(text) => text.clone(),
        Arg::Number(n) => n.to_string(),
        Arg::Message(message) => message.render(lang),
        Arg::Translated(text) => match lang {
            Lang::Ko => text[0].clone(),
            Lang::En => text[1].clone(),
        },
        Arg::List(list) => {
            let items: Vec<String> = list.iter().map(|m| m.render(lang)).collect();
            match lang {
                Lang::Ko => sentences(&items),
                Lang::En => items.join("; "),
            }
        }
    }
}

/// Korean clauses as sentences: each but the last ends in a period (unless it ends in
/// `.`, `?` or `!` already); Korean does not join clauses with semicolons.
fn sentences(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            if !out.ends_with(['.', '?', '!']) {
                out.push('.');
            }
            out.push(' ');
        }
        out.push_str(item);
    }
    out
}

/// The Korean noun of a Kubernetes kind, for `{ KIND($kind) }` in a Korean message, so
/// that a particle follows a Korean word (`` `db` 파드가 ``) and never a name: the nouns
/// Korean Kubernetes writing uses for the common kinds, `<Kind> 객체` for the others.
pub fn kind_noun(kind: &str) -> String {
    let noun = match kind {
        "Pod" => "파드",
        "Service" => "서비스",
        "Secret" => "시크릿",
        "ConfigMap" => "컨피그맵",
        "NetworkPolicy" => "네트워크 정책",
        "ServiceAccount" => "서비스 어카운트",
        "Namespace" => "네임스페이스",
        "Deployment" => "디플로이먼트",
        "StatefulSet" => "스테이트풀셋",
        "DaemonSet" => "데몬셋",
        "ReplicaSet" => "레플리카셋",
        _ => return format!("{kind} 객체"),
    };
    noun.to_string()
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.render(Lang::En))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}
impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(value.clone())
    }
}
impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_string())
    }
}
impl From<Cow<'_, str>> for Arg {
    fn from(value: Cow<'_, str>) -> Self {
        Arg::Text(value.into_owned())
    }
}
impl From<Message> for Arg {
    fn from(value: Message) -> Self {
        Arg::Message(Box::new(value))
    }
}
impl From<Vec<Message>> for Arg {
    fn from(value: Vec<Message>) -> Self {
        Arg::List(value)
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Number(value as i64)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i8, i16, i32, i64);

/// `msg!("id", name = value, ...)`: a [`Message`] with the Fluent id `id` and the
/// arguments `$name`. Values are text (`&str`, `String`), numbers, or other messages.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new($id)$(.arg(stringify!($name), $value))*
    };
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| [build(Lang::Ko), build(Lang::En)]);
    match lang {
        Lang::Ko => &bundles[0],
        Lang::En => &bundles[1],
    }
}

/// The bundle of `lang` from every embedded `i18n/<lang>/*.ftl`. A syntax error or an
/// id defined twice is a bug in kubelab: it panics (and `i18n::tests` catches it).
fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let locale = lang.code().parse().expect("a valid language identifier");
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    bundle.set_use_isolating(false);
    // `{ KIND($kind) }`: the kind's Korean noun (English messages name the kind itself).
    bundle
        .add_function("KIND", move |positional, _named| {
            let kind = match positional.first() {
                Some(FluentValue::String(kind)) => kind.to_string(),
                _ => return FluentValue::Error,
            };
            match lang {
                Lang::Ko => FluentValue::from(kind_noun(&kind)),
                Lang::En => FluentValue::from(kind),
            }
        })
        .expect("KIND is defined once");
    for (path, source) in resources(lang) {
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, e)| panic!("i18n/{path}: {e:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("i18n/{path}: {e:?}"));
    }
    bundle
}

/// The embedded Fluent resources of `lang`: (path under `i18n/`, source).
pub fn resources(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    let prefix = format!("{}/", lang.code());
    EMBEDDED_I18N_FILES
        .iter()
        .filter(move |(path, _)| path.starts_with(&prefix) && path.ends_with(".ftl"))
        .copied()
}

pub mod josa;
pub mod style;

#[cfg(test)]
mod tests;
