//! Paths as the API server writes them in strict-validation and admission errors, e.g.
//! `.spec.containers[name="app"].securityContext.foo`, resolved against the object's value
//! into a [`FieldPath`] with indexes, so they can be located in the learner's file.

use super::path::{FieldPath, Segment};
use serde_json::Value;

/// Resolves `text` against `value`; a selector that matches no item ends the path there
/// (so locating it falls back to the list).
pub fn resolve(value: &Value, text: &str) -> FieldPath {
    let mut path = FieldPath::root();
    let mut current = Some(value);
    let mut chars = text.trim().trim_start_matches('.').chars().peekable();
    let mut key = String::new();
    let flush = |key: &mut String, path: &mut FieldPath, current: &mut Option<&Value>| {
        if !key.is_empty() {
            *current = current.and_then(|v| v.get(key.as_str()));
            path.0.push(Segment::Key(std::mem::take(key)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => flush(&mut key, &mut path, &mut current),
            '[' => {
                flush(&mut key, &mut path, &mut current);
                let mut inner = String::new();
                let mut quoted = false;
                for c in chars.by_ref() {
                    match c {
                        '"' => {
                            quoted = !quoted;
                            inner.push(c);
                        }
                        ']' if !quoted => break,
                        _ => inner.push(c),
                    }
                }
                let Some(index) = select(current, &inner) else {
                    return path;
                };
                current = current.and_then(|v| v.get(index));
                path.0.push(Segment::Index(index));
            }
            _ => key.push(c),
        }
    }
    flush(&mut key, &mut path, &mut current);
    path
}

/// `0` → 0; `name="app"` → the index of the item whose `name` is `app`.
fn select(list: Option<&Value>, selector: &str) -> Option<usize> {
    if let Ok(index) = selector.trim().parse::<usize>() {
        return Some(index);
    }
    let (field, wanted) = selector.split_once('=')?;
    let wanted = wanted.trim().trim_matches('"');
    list?
        .as_array()?
        .iter()
        .position(|item| match item.get(field.trim()) {
            Some(Value::String(s)) => s == wanted,
            Some(Value::Number(n)) => n.as_f64().is_some() && wanted.parse().ok() == n.as_f64(),
            Some(Value::Bool(b)) => wanted.parse().ok() == Some(*b),
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors_become_indexes() {
        let value = json!({"spec": {"containers": [{"name": "a"}, {"name": "app.v1"}],
            "ports": [{"port": 80}, {"port": 6379}]}});
        assert_eq!(
            resolve(
                &value,
                ".spec.containers[name=\"app.v1\"].securityContext.foo"
            )
            .to_string(),
            "spec.containers[1].securityContext.foo"
        );
        assert_eq!(
            resolve(&value, "spec.ports[port=6379].protocol").to_string(),
            "spec.ports[1].protocol"
        );
        assert_eq!(
            resolve(&value, "spec.containers[0]").to_string(),
            "spec.containers[0]"
        );
        assert_eq!(
            resolve(&value, "spec.containers[name=\"zzz\"].image").to_string(),
            "spec.containers"
        );
    }
}
