//! Schema problems: unknown fields and wrong types, found by deserializing the object into
//! its k8s-openapi type through a deserializer that remembers, for every struct it is
//! asked for, the exact field names k8s-openapi accepts there (the `fields` list of
//! `deserialize_struct`). An input key missing from that list is a field the typed object
//! drops (k8s-openapi ignores unknown fields silently); the list is also where the
//! did-you-mean suggestions come from. The first type error is kept with its path.

use super::path::{FieldPath, Segment};
use crate::i18n::Message;
use crate::msg;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;

/// A key that the typed object does not have.
#[derive(Debug, Clone)]
pub struct Unknown {
    pub path: FieldPath,
    /// The k8s-openapi struct it was written in, e.g. `PodSecurityContext`.
    pub type_name: &'static str,
    pub valid: &'static [&'static str],
}

/// What deserializing one object found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Unknown fields, at most [`MAX_UNKNOWN`] (the first ones met).
    pub unknown: Vec<Unknown>,
    /// Unknown fields beyond [`MAX_UNKNOWN`], counted only.
    pub unknown_more: usize,
    /// Type errors, at their paths, with readable messages.
    pub errors: Vec<(FieldPath, Message)>,
    /// `null` values of maps (`labels: {a: null}`) and the zero value of the map's value
    /// type that the API server decodes them to (`""` for a string), to be written into
    /// the object before it is graded: by map (its path once), then key and zero value.
    pub zeroed: Vec<Zeroed>,
}

/// The null values of one map and what they decode to.
#[derive(Debug)]
pub struct Zeroed {
    /// The map, e.g. `metadata.labels`.
    pub map: FieldPath,
    /// Its keys whose value was `null`, with the zero value each decodes to.
    pub entries: Vec<(String, Value)>,
}

/// At most this many type errors are reported per object.
const MAX_ERRORS: usize = 20;
/// At most this many unknown fields are reported per object (the rest are counted).
pub const MAX_UNKNOWN: usize = 100;

/// Deserializes `value` as `T`, collecting unknown fields and type errors. After a type
/// error the field is skipped and deserialization runs again, so that every type error and
/// every unknown field is found, also behind the first error. At most [`MAX_ERRORS`] + 1
/// passes, each linear in the size of `value`.
pub fn check<T: de::DeserializeOwned>(value: &Value) -> Outcome {
    let mut ctx = Ctx::default();
    let mut outcome = Outcome::default();
    let mut seen = HashSet::new();
    let mut most_unknown = 0;
    loop {
        ctx.unknown_total.set(0);
        ctx.zeroed.borrow_mut().clear();
        let result = T::deserialize(De {
            value,
            path: &Chain::Root,
            ctx: &ctx,
        });
        most_unknown = most_unknown.max(ctx.unknown_total.get());
        for unknown in ctx.unknown.take() {
            if outcome.unknown.len() < MAX_UNKNOWN && seen.insert(unknown.path.clone()) {
                outcome.unknown.push(unknown);
            }
        }
        let Err(error) = result else { break };
        let path = error.path.unwrap_or_default();
        let repeated = ctx.skip.contains(&path);
        if !repeated {
            outcome
                .errors
                .push((path.clone(), humanize(&error.message)));
        }
        if repeated || path.is_root() || outcome.errors.len() >= MAX_ERRORS {
            break;
        }
        ctx.skip.push(path);
    }
    outcome.unknown_more = most_unknown.saturating_sub(outcome.unknown.len());
    outcome.zeroed = ctx.zeroed.take();
    outcome
}

/// The first error of deserializing `value` as `T` the plain way (serde_json, as
/// [`crate::manifest::Object::typed`] does), with the path where it happened. It is
/// `None` whenever [`check`] found no type error, unless the two deserializers disagree:
/// then this is the learner's problem at that path, never an environment error.
pub fn typed_error<T: de::DeserializeOwned>(value: &Value) -> Option<(FieldPath, Message)> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let mut path = FieldPath::root();
    for segment in error.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => path.0.push(Segment::Index(*index)),
            serde_path_to_error::Segment::Map { key } => path.0.push(Segment::Key(key.clone())),
            serde_path_to_error::Segment::Enum { variant } => {
                path.0.push(Segment::Key(variant.clone()))
            }
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    Some((path, humanize(&error.into_inner().to_string())))
}

/// State shared by one deserialization.
#[derive(Default)]
struct Ctx {
    /// Unknown fields met in this pass, at most [`MAX_UNKNOWN`].
    unknown: RefCell<Vec<Unknown>>,
    /// All unknown fields met in this pass.
    unknown_total: Cell<usize>,
    /// Fields that failed before: left out, like a null (Go keeps the zero value).
    skip: Vec<FieldPath>,
    /// Null map values met in this pass, with the zero value they decode to.
    zeroed: RefCell<Vec<Zeroed>>,
}

impl Ctx {
    fn skips(&self, chain: &Chain<'_>) -> bool {
        !self.skip.is_empty() && self.skip.iter().any(|p| chain.is(&p.0))
    }
}

/// The path being deserialized, kept on the stack (no allocation unless needed).
enum Chain<'p> {
    Root,
    Key(&'p Chain<'p>, &'p str),
    Index(&'p Chain<'p>, usize),
}

impl Chain<'_> {
    fn is(&self, path: &[Segment]) -> bool {
        match (self, path.split_last()) {
            (Chain::Root, None) => true,
            (Chain::Key(parent, k), Some((Segment::Key(s), rest))) => k == s && parent.is(rest),
            (Chain::Index(parent, i), Some((Segment::Index(j), rest))) => i == j && parent.is(rest),
            _ => false,
        }
    }

    fn to_path(&self) -> FieldPath {
        let mut path = match self {
            Chain::Root => return FieldPath::root(),
            Chain::Key(parent, _) | Chain::Index(parent, _) => parent.to_path(),
        };
        match self {
            Chain::Key(_, k) => path.0.push(Segment::Key((*k).to_string())),
            Chain::Index(_, i) => path.0.push(Segment::Index(*i)),
            Chain::Root => {}
        }
        path
    }
}

#[derive(Debug)]
pub struct Error {
    message: String,
    path: Option<FieldPath>,
}

impl Error {
    fn at(mut self, chain: &Chain<'_>) -> Self {
        if self.path.is_none() {
            self.path = Some(chain.to_path());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self {
            message: message.to_string(),
            path: None,
        }
    }
}

struct De<'a, 'p> {
    value: &'a Value,
    path: &'p Chain<'p>,
    ctx: &'p Ctx,
}

impl<'de> Deserializer<'de> for De<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (path, ctx) = (self.path, self.ctx);
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or_default())
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Seq {
                items: items.iter().enumerate(),
                path,
                ctx,
            }),
            Value::Object(map) => visitor.visit_map(Entries {
                entries: map.iter(),
                value: None,
                path,
                ctx,
                fields: false,
            }),
        };
        result.map_err(|e| e.at(path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Value::Object(map) = self.value {
            for (key, value) in map {
                if !value.is_null() && !fields.contains(&key.as_str()) {
                    let total = self.ctx.unknown_total.get() + 1;
                    self.ctx.unknown_total.set(total);
                    if total <= MAX_UNKNOWN {
                        self.ctx.unknown.borrow_mut().push(Unknown {
                            path: self.path.to_path().key(key.clone()),
                            type_name: name,
                            valid: fields,
                        });
                    }
                }
            }
            let (path, ctx) = (self.path, self.ctx);
            return visitor
                .visit_map(Entries {
                    entries: map.iter(),
                    value: None,
                    path,
                    ctx,
                    fields: true,
                })
                .map_err(|e| e.at(path));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let path = self.path;
        visitor.visit_newtype_struct(self).map_err(|e| e.at(path))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => {
                let path = self.path;
                let de: de::value::StrDeserializer<'_, Error> = s.as_str().into_deserializer();
                visitor.visit_enum(de).map_err(|e| e.at(path))
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

struct Seq<'a, 'p> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    path: &'p Chain<'p>,
    ctx: &'p Ctx,
}

impl<'de> SeqAccess<'de> for Seq<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let (i, value) = loop {
            let Some((i, value)) = self.items.next() else {
                return Ok(None);
            };
            if !self.ctx.skips(&Chain::Index(self.path, i)) {
                break (i, value);
            }
        };
        let chain = Chain::Index(self.path, i);
        seed.deserialize(De {
            value,
            path: &chain,
            ctx: self.ctx,
        })
        .map(Some)
        .map_err(|e| e.at(&chain))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'a, 'p> {
    entries: serde_json::map::Iter<'a>,
    value: Option<(&'a str, &'a Value)>,
    path: &'p Chain<'p>,
    ctx: &'p Ctx,
    /// The fields of a struct (a null is skipped), not the entries of a map (a null
    /// decodes to the zero value of the map's value type).
    fields: bool,
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        // A null field is what Go's decoder skips: the field keeps its zero value. A null
        // map value is kept, decoded below as the zero value of the map's value type.
        for (key, value) in self.entries.by_ref() {
            if (self.fields && value.is_null()) || self.ctx.skips(&Chain::Key(self.path, key)) {
                continue;
            }
            self.value = Some((key.as_str(), value));
            let de = de::value::BorrowedStrDeserializer::<Error>::new(key);
            return seed.deserialize(de).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("value without a key"));
        };
        let chain = Chain::Key(self.path, key);
        if value.is_null() && !self.fields {
            return seed
                .deserialize(Zero {
                    path: &chain,
                    ctx: self.ctx,
                })
                .map_err(|e| e.at(&chain));
        }
        seed.deserialize(De {
            value,
            path: &chain,
            ctx: self.ctx,
        })
        .map_err(|e| e.at(&chain))
    }
}

/// Integer types decode a null map value as `0`.
macro_rules! zero_numbers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.record(Value::from(0));
            visitor.visit_u64(0)
        }
    )*};
}

/// A `null` map value, decoded as the API server decodes it: the zero value of the
/// map's value type (`""` for a string, `0`, `false`, an empty list or mapping), which is
/// recorded so that the object can be graded with it. The API server's JSON decoder
/// (sigs.k8s.io/json, a fork of Go's encoding/json: `literalStore` leaves a string, number
/// or bool untouched on `null`, and a map element starts from its zero value) and its
/// unstructured converter (k8s.io/apimachinery/pkg/runtime/converter.go, `fromUnstructured`:
/// a nil source sets `reflect.Zero` of the destination) agree on this.
struct Zero<'p> {
    path: &'p Chain<'p>,
    ctx: &'p Ctx,
}

impl Zero<'_> {
    /// Records the zero value; the map's path is written once for all its nulls.
    fn record(&self, value: Value) {
        let Chain::Key(map, key) = self.path else {
            return;
        };
        let mut zeroed = self.ctx.zeroed.borrow_mut();
        match zeroed.last_mut() {
            Some(last) if map.is(&last.map.0) => last.entries.push(((*key).to_string(), value)),
            _ => zeroed.push(Zeroed {
                map: map.to_path(),
                entries: vec![((*key).to_string(), value)],
            }),
        }
    }
}

impl<'de> Deserializer<'de> for Zero<'_> {
    type Error = Error;

    /// A type that takes anything (a JSON value) keeps the null.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.record(Value::Bool(false));
        visitor.visit_bool(false)
    }

    zero_numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.record(Value::from(0));
        visitor.visit_f64(0.0)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.record(Value::from(0));
        visitor.visit_f64(0.0)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.record(Value::String(String::new()));
        visitor.visit_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_none()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.record(Value::Array(Vec::new()));
        visitor.visit_seq(de::value::SeqDeserializer::new(std::iter::empty::<()>()))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.record(Value::Object(serde_json::Map::new()));
        visitor.visit_map(de::value::MapDeserializer::new(
            std::iter::empty::<((), ())>(),
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// A `Quantity` decodes `null` as its zero value, which it writes as `"0"`
    /// (apimachinery's `Quantity.UnmarshalJSON` returns the zero Quantity on `null`).
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == "Quantity" {
            self.record(Value::String("0".into()));
            let zero: de::value::StrDeserializer<'_, Error> = "0".into_deserializer();
            return visitor.visit_newtype_struct(zero);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        char unit unit_struct tuple tuple_struct identifier enum
    }
}

/// `invalid type: string "1000", expected i64` → `expected an integer, found the string "1000"`.
/// Words of serde that are not recognized are kept as serde wrote them (English).
pub fn humanize(message: &str) -> Message {
    let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    else {
        if let Some(field) = message.strip_prefix("missing field ") {
            return msg!(
                "manifest-missing-required-field",
                field = field.trim_matches('`')
            );
        }
        return undecodable(message);
    };
    let Some((found, expected)) = rest.rsplit_once(", expected ") else {
        return undecodable(message);
    };
    msg!(
        "manifest-expected-found",
        expected = expected_text(expected),
        found = found_text(found)
    )
}

/// A value that does not decode: a Secret's `data` that is not base64 (the `base64`
/// crate's `DecodeError`, said in kubelab's words), or anything else (as serde or the
/// decoder said it, English, shown as written).
fn undecodable(message: &str) -> Message {
    match super::decode::base64_problem(message) {
        Some(problem) => msg!("manifest-not-base64", reason = problem),
        None => msg!("manifest-undecodable", reason = message),
    }
}

/// Text of serde or k8s-openapi that kubelab has no words for, shown as written.
fn serde_words(text: &str) -> Message {
    msg!("manifest-serde-says", text = text)
}

fn expected_text(expected: &str) -> Message {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "i128" | "u128" => {
            msg!("manifest-an-integer")
        }
        "f32" | "f64" => msg!("manifest-a-number"),
        "a 32-bit integer" => msg!("manifest-a-32-bit-integer"),
        "a base64-encoded string" => msg!("manifest-a-base64-string"),
        "a boolean" | "bool" => msg!("manifest-a-boolean"),
        "a string" => msg!("manifest-a-string"),
        "a sequence" => msg!("manifest-a-list"),
        "a map" => msg!("manifest-a-mapping"),
        "IntOrString" => msg!("manifest-an-integer-or-a-string"),
        name if name.chars().next().is_some_and(char::is_uppercase)
            && name.chars().all(char::is_alphanumeric) =>
        {
            msg!("manifest-a-mapping-of", type_name = name)
        }
        other => serde_words(other),
    }
}

fn found_text(found: &str) -> Message {
    let strip = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        msg!("manifest-the-string", value = s)
    } else if let Some(n) = found.strip_prefix("integer ") {
        msg!("manifest-the-integer", value = strip(n))
    } else if let Some(n) = found.strip_prefix("floating point ") {
        msg!("manifest-the-number", value = strip(n))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        msg!("manifest-the-boolean", value = strip(b))
    } else {
        match found {
            "map" => msg!("manifest-a-mapping"),
            "sequence" => msg!("manifest-a-list"),
            "unit value" => msg!("manifest-null"),
            other => serde_words(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;
    use serde_json::json;

    #[test]
    fn type_errors_are_located_and_readable() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"securityContext": {"runAsUser": "1000"}, "containers": []}});
        let outcome = check::<Pod>(&pod);
        let (path, message) = outcome.errors[0].clone();
        assert_eq!(path.to_string(), "spec.securityContext.runAsUser");
        assert_eq!(
            message.to_string(),
            "expected an integer, found the string \"1000\""
        );
    }

    #[test]
    fn unknown_fields_name_their_struct() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "lables": {}},
            "spec": {"containers": [{"name": "c", "securityContext": {"readOnlyRootFileSystem": true}}],
                     "nodeName": null, "bogus": null}});
        let outcome = check::<Pod>(&pod);
        assert!(outcome.errors.is_empty());
        let found: Vec<_> = outcome
            .unknown
            .iter()
            .map(|u| (u.path.to_string(), u.type_name))
            .collect();
        assert_eq!(
            found,
            [
                ("metadata.lables".to_string(), "ObjectMeta"),
                (
                    "spec.containers[0].securityContext.readOnlyRootFileSystem".to_string(),
                    "SecurityContext"
                )
            ]
        );
    }

    /// The keys of `input` that are missing from `output` (null values ignored).
    fn dropped(input: &Value, output: &Value, path: FieldPath, out: &mut Vec<String>) {
        match (input, output) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in a {
                    match b.get(k) {
                        None if !v.is_null() => out.push(path.key(k.clone()).to_string()),
                        Some(w) => dropped(v, w, path.key(k.clone()), out),
                        None => {}
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                for (i, (v, w)) in a.iter().zip(b).enumerate() {
                    dropped(v, w, path.index(i), out);
                }
            }
            _ => {}
        }
    }

    /// The field lists agree with a typed round trip (deserialize, serialize, compare).
    #[test]
    fn field_lists_agree_with_a_typed_round_trip() {
        use k8s_openapi::api::core::v1::Secret;
        use k8s_openapi::api::networking::v1::NetworkPolicy;
        fn both<T: serde::de::DeserializeOwned + serde::Serialize>(
            value: &Value,
        ) -> (Vec<String>, Vec<String>) {
            let typed: T = serde_json::from_value(value.clone()).unwrap();
            let output = serde_json::to_value(&typed).unwrap();
            let mut by_round_trip = Vec::new();
            dropped(value, &output, FieldPath::root(), &mut by_round_trip);
            let by_fields = check::<T>(value)
                .unknown
                .iter()
                .map(|u| u.path.to_string())
                .collect();
            (by_round_trip, by_fields)
        }
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "creationTimestamp": null},
            "spec": {"securityContext": {"runAsUser": 1000, "fsGroup": 2000, "readOnlyRootFilesystem": true},
                "containers": [{"name": "c", "image": "busybox", "command": ["sh"], "ports": [{"containerPort": 6379, "name": "redis"}],
                    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
                    "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFileSystem": true,
                        "capabilities": {"drop": ["ALL"]}}}]}, "status": {}});
        let (a, b) = both::<Pod>(&pod);
        assert_eq!(a, b);
        assert_eq!(a.len(), 2);
        let policy = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"},
            "spec": {"podSelector": {}, "ingress": [], "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"port": "redis"}, {"port": 53, "protocl": "UDP"}]}]}});
        let (a, b) = both::<NetworkPolicy>(&policy);
        assert_eq!(a, b);
        assert_eq!(a, ["spec.egress[0].ports[1].protocl"]);
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": "Opaque",
            "data": {"a": "YQ=="}, "stringData": {"b": "c"}, "immutable": true, "dta": {}});
        let (a, b) = both::<Secret>(&secret);
        assert_eq!(a, b);
        assert_eq!(a, ["dta"]);
    }

    #[test]
    fn typed_errors_name_their_path_like_the_checked_ones() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"securityContext": {"runAsUser": "1000"}, "containers": []}});
        let (path, message) = typed_error::<Pod>(&pod).expect("an error");
        assert_eq!(path.to_string(), "spec.securityContext.runAsUser");
        assert_eq!(
            message.to_string(),
            "expected an integer, found the string \"1000\""
        );
        let fine = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c"}]}});
        assert!(typed_error::<Pod>(&fine).is_none());
    }

    #[test]
    fn null_map_values_are_zeroed_and_null_fields_skipped() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labels": {"a": null, "b": "x"}, "namespace": null},
            "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": null}}}],
                     "nodeSelector": {"k": null}}});
        let outcome = check::<Pod>(&pod);
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        let zeroed: Vec<(String, Vec<(String, Value)>)> = outcome
            .zeroed
            .iter()
            .map(|z| (z.map.to_string(), z.entries.clone()))
            .collect();
        assert_eq!(
            zeroed,
            [
                (
                    "metadata.labels".to_string(),
                    vec![("a".to_string(), json!(""))]
                ),
                (
                    "spec.containers[0].resources.limits".to_string(),
                    vec![("cpu".to_string(), json!("0"))]
                ),
                (
                    "spec.nodeSelector".to_string(),
                    vec![("k".to_string(), json!(""))]
                ),
            ]
        );
    }

    #[test]
    fn messages() {
        assert_eq!(
            humanize("invalid type: integer `3600`, expected a string").to_string(),
            "expected a string, found the integer 3600"
        );
        assert_eq!(
            humanize("invalid type: sequence, expected a map").to_string(),
            "expected a mapping, found a list"
        );
    }
}
