//! Label selector matching and description (`metav1.LabelSelector` semantics).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use std::collections::BTreeMap;

/// Whether `selector` matches `labels`: every `matchLabels` entry AND every
/// `matchExpressions` requirement must hold. An empty selector matches everything.
/// `NotIn` and `DoesNotExist` hold when the key is absent. A requirement the API server
/// would reject (unknown operator, `In`/`NotIn` without values) matches nothing.
pub fn selector_matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let labels_ok = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    labels_ok
        && selector
            .match_expressions
            .iter()
            .flatten()
            .all(|req| requirement_matches(req, labels))
}

fn requirement_matches(req: &LabelSelectorRequirement, labels: &BTreeMap<String, String>) -> bool {
    let values = req.values.as_deref().unwrap_or_default();
    let value = labels.get(&req.key);
    match req.operator.as_str() {
        "In" => !values.is_empty() && value.is_some_and(|v| values.contains(v)),
        "NotIn" => !values.is_empty() && value.is_none_or(|v| !values.contains(v)),
        "Exists" => values.is_empty() && value.is_some(),
        "DoesNotExist" => values.is_empty() && value.is_none(),
        _ => false,
    }
}

/// Whether the selector has no requirement at all (`{}`), i.e. selects everything.
pub fn is_empty(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(|e| e.is_empty())
}

/// kubectl-style rendering: `app=api,tier in (a,b),!legacy`; `""` for the empty selector.
pub fn describe_selector(selector: &LabelSelector) -> String {
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for req in selector.match_expressions.iter().flatten() {
        let values = req.values.as_deref().unwrap_or_default().join(",");
        parts.push(match req.operator.as_str() {
            "In" => format!("{} in ({values})", req.key),
            "NotIn" => format!("{} notin ({values})", req.key),
            "Exists" => req.key.clone(),
            "DoesNotExist" => format!("!{}", req.key),
            other => format!("{} {other} ({values})", req.key),
        });
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    fn sel(v: serde_json::Value) -> LabelSelector {
        serde_json::from_value(v).unwrap()
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[rstest]
    #[case::empty_matches_all(json!({}), &[("app", "api")], true)]
    #[case::empty_matches_unlabelled(json!({}), &[], true)]
    #[case::match_labels_hit(json!({"matchLabels": {"app": "api"}}), &[("app", "api"), ("x", "y")], true)]
    #[case::match_labels_miss(json!({"matchLabels": {"app": "api"}}), &[("app", "db")], false)]
    #[case::match_labels_absent(json!({"matchLabels": {"app": "api"}}), &[], false)]
    #[case::in_hit(json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["api", "web"]}]}), &[("app", "web")], true)]
    #[case::in_miss(json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["api"]}]}), &[("app", "db")], false)]
    #[case::in_absent_key(json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["api"]}]}), &[], false)]
    #[case::notin_absent_key_is_true(json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]}), &[("role", "db")], true)]
    #[case::notin_listed(json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]}), &[("app", "api")], false)]
    #[case::notin_other(json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]}), &[("app", "db")], true)]
    #[case::exists_hit(json!({"matchExpressions": [{"key": "app", "operator": "Exists"}]}), &[("app", "")], true)]
    #[case::exists_miss(json!({"matchExpressions": [{"key": "app", "operator": "Exists"}]}), &[], false)]
    #[case::does_not_exist_absent_is_true(json!({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}), &[], true)]
    #[case::does_not_exist_present(json!({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}), &[("app", "x")], false)]
    #[case::labels_and_expressions_both_needed(json!({"matchLabels": {"role": "db"}, "matchExpressions": [{"key": "app", "operator": "Exists"}]}), &[("role", "db")], false)]
    #[case::labels_and_expressions_both_hold(json!({"matchLabels": {"role": "db"}, "matchExpressions": [{"key": "app", "operator": "Exists"}]}), &[("role", "db"), ("app", "x")], true)]
    #[case::bad_operator_matches_nothing(json!({"matchExpressions": [{"key": "app", "operator": "Equals", "values": ["api"]}]}), &[("app", "api")], false)]
    #[case::in_without_values_matches_nothing(json!({"matchExpressions": [{"key": "app", "operator": "In"}]}), &[("app", "api")], false)]
    fn matches_table(
        #[case] selector: serde_json::Value,
        #[case] pod: &[(&str, &str)],
        #[case] expected: bool,
    ) {
        let s = sel(selector);
        assert_eq!(selector_matches(&s, &labels(pod)), expected);
    }

    /// kube-core's own conversion agrees with ours on valid selectors (cross-check).
    #[rstest]
    #[case(json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]}), &[])]
    #[case(json!({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}), &[])]
    #[case(json!({"matchLabels": {"app": "api"}, "matchExpressions": [{"key": "t", "operator": "In", "values": ["a"]}]}), &[("app", "api"), ("t", "a")])]
    #[case(json!({"matchLabels": {"app": "api"}}), &[("app", "db")])]
    fn agrees_with_kube_core(#[case] selector: serde_json::Value, #[case] pod: &[(&str, &str)]) {
        use kube::core::{Selector, SelectorExt};
        let s = sel(selector);
        let theirs = Selector::try_from(s.clone()).unwrap();
        assert_eq!(
            selector_matches(&s, &labels(pod)),
            theirs.matches(&labels(pod))
        );
    }

    #[test]
    fn describes_selectors() {
        let s = sel(json!({
            "matchLabels": {"app": "api"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "legacy", "operator": "DoesNotExist"}
            ]
        }));
        assert_eq!(describe_selector(&s), "app=api,tier in (a,b),!legacy");
        assert!(is_empty(&sel(json!({}))));
        assert!(!is_empty(&s));
    }
}
