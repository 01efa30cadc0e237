//! YAML scalars to JSON values the way Kubernetes reads them (sigs.k8s.io/yaml: YAML 1.1
//! booleans, octal `0644`, `~` and empty as null). Quoted and block scalars are strings.

use serde_json::{Number, Value};

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
}

/// A core-schema tag (`!!str`, `!!int`, ...) when one was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreTag {
    Str,
    Other,
    None,
}

pub fn resolve(text: &str, style: Style, tag: CoreTag) -> Value {
    match (tag, style) {
        (CoreTag::Str, _) | (CoreTag::None, Style::Quoted) => Value::String(text.to_string()),
        _ => resolve_plain(text),
    }
}

pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::String(text.to_string());
    }
    if let Some(n) = integer(text) {
        return n;
    }
    if let Some(n) = float(text) {
        return n;
    }
    Value::String(text.to_string())
}

fn integer(text: &str) -> Option<Value> {
    let (negative, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() || body.starts_with('_') {
        return None;
    }
    let clean: String = body.chars().filter(|c| *c != '_').collect();
    let (radix, digits) = if let Some(d) = clean.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = clean.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = clean.strip_prefix("0o") {
        (8, d)
    } else if clean.len() > 1 && clean.starts_with('0') {
        (8, &clean[1..])
    } else {
        (10, clean.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if negative {
        let value = i64::try_from(magnitude)
            .ok()
            .map(|m| -m)
            .or_else(|| (magnitude == i64::MIN.unsigned_abs() as u128).then_some(i64::MIN));
        match value {
            Some(v) => Some(Value::Number(v.into())),
            None => Number::from_f64(-(magnitude as f64)).map(Value::Number),
        }
    } else if let Ok(v) = u64::try_from(magnitude) {
        Some(Value::Number(v.into()))
    } else {
        Number::from_f64(magnitude as f64).map(Value::Number)
    }
}

fn float(text: &str) -> Option<Value> {
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
        || !text.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let f: f64 = clean.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    // Go's encoding/json writes float64(1) as `1`, so `replicas: 1.0` reaches the API
    // server as an integer.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Some(Value::Number((f as i64).into()));
    }
    Number::from_f64(f).map(Value::Number)
}

/// A mapping key as Kubernetes stringifies it.
pub fn key_string(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    #[rstest]
    #[case("1000", json!(1000))]
    #[case("-5", json!(-5))]
    #[case("0644", json!(420))]
    #[case("0x1F", json!(31))]
    #[case("1_000", json!(1000))]
    #[case("1.5", json!(1.5))]
    #[case("1.0", json!(1))]
    #[case("1e3", json!(1000))]
    #[case("true", json!(true))]
    #[case("off", json!(false))]
    #[case("~", json!(null))]
    #[case("", json!(null))]
    #[case("redis", json!("redis"))]
    #[case("1.2.3", json!("1.2.3"))]
    #[case(".inf", json!(".inf"))]
    #[case("100m", json!("100m"))]
    #[case("-", json!("-"))]
    #[case("18446744073709551615", json!(18446744073709551615u64))]
    fn plain_scalars(#[case] text: &str, #[case] expected: Value) {
        assert_eq!(resolve_plain(text), expected);
    }

    #[test]
    fn quoted_scalars_are_strings() {
        assert_eq!(resolve("1000", Style::Quoted, CoreTag::None), json!("1000"));
        assert_eq!(resolve("true", Style::Plain, CoreTag::Str), json!("true"));
        assert_eq!(resolve("12", Style::Quoted, CoreTag::Other), json!(12));
    }
}
