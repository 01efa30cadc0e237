//! `selects`: which pods a NetworkPolicy's `spec.podSelector` selects, judged against the
//! pods the task names — the same judgement offline (the simulated namespace's pods) and
//! live (the pods the API server lists).
//!
//! Semantics: a NetworkPolicy applies to the pods of its own namespace that its
//! `podSelector` (a `metav1.LabelSelector`) matches; an empty selector matches every pod
//! (API reference: NetworkPolicySpec.podSelector, `networking.k8s.io/v1`).

use crate::check::outcome::Outcome;
use crate::lab::Selects;
use crate::manifest::FieldPath;
use crate::netpol::{describe_selector, selector_matches};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

/// A pod as the judgement sees it: its name and labels.
pub type PodLabels = (String, BTreeMap<String, String>);

/// `` `a`, `b` `` for names.
fn names<'a>(pods: impl IntoIterator<Item = &'a String>) -> String {
    pods.into_iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn labels_text(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "-".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Judges `selector` (the policy's `spec.podSelector`) against `pods`, the pods of the
/// namespace. Returns the outcome (no location) and the field of the policy to blame
/// when it fails: the `matchLabels` entry a wanted pod misses, else `spec.podSelector`.
pub fn judge(spec: &Selects, selector: &LabelSelector, pods: &[PodLabels]) -> (Outcome, FieldPath) {
    let selector_path = FieldPath::parse("spec.podSelector");
    let selected: Vec<&String> = pods
        .iter()
        .filter(|(_, labels)| selector_matches(selector, labels))
        .map(|(name, _)| name)
        .collect();
    let wanted: Vec<&String> = spec.pods.iter().collect();
    let missing: Vec<&String> = wanted
        .iter()
        .copied()
        .filter(|p| !selected.contains(p))
        .collect();
    let extra: Vec<&String> = selected
        .iter()
        .copied()
        .filter(|p| !wanted.contains(p))
        .collect();
    let shown = describe_selector(selector);
    let shown = if shown.is_empty() {
        "{}".to_string()
    } else {
        shown
    };
    if let Some(pod) = missing.first() {
        let Some((_, labels)) = pods.iter().find(|(name, _)| name == *pod) else {
            return (
                Outcome::error(crate::msg!("check-probe-pod-missing", pod = pod.as_str())),
                selector_path,
            );
        };
        let mut outcome = Outcome::fail(
            crate::msg!(
                "check-selects-misses",
                policy = &spec.policy,
                pod = pod.as_str(),
                selector = shown,
                labels = labels_text(labels)
            ),
            None,
        );
        // The near miss: a `matchLabels` entry the pod does not carry, and what it does
        // carry instead (the same value under another key, or the key with another value).
        let mut blame = selector_path.clone();
        for (key, value) in selector.match_labels.iter().flatten() {
            if labels.get(key) == Some(value) {
                continue;
            }
            blame = selector_path.key("matchLabels").key(key.clone());
            let has = labels.get(key).map(|v| format!("{key}={v}")).or_else(|| {
                labels
                    .iter()
                    .find(|(_, v)| *v == value)
                    .map(|(k, v)| format!("{k}={v}"))
            });
            if let Some(has) = has {
                outcome = outcome.with_detail(crate::msg!(
                    "check-selects-near-miss",
                    pod = pod.as_str(),
                    has = has,
                    wrote = format!("{key}={value}")
                ));
            }
            break;
        }
        if blame == selector_path
            && selector
                .match_expressions
                .as_ref()
                .is_some_and(|e| !e.is_empty())
        {
            blame = selector_path.key("matchExpressions");
        }
        return (outcome, blame);
    }
    if !extra.is_empty() {
        let mut outcome = Outcome::fail(
            crate::msg!(
                "check-selects-also",
                policy = &spec.policy,
                pods = names(extra.iter().copied()),
                wanted = names(wanted.iter().copied())
            ),
            None,
        );
        if crate::netpol::selector_is_empty(selector) {
            outcome = outcome.with_detail(crate::msg!("check-selects-empty"));
        }
        return (outcome, selector_path);
    }
    (
        Outcome::pass(crate::msg!(
            "check-selects-exactly",
            policy = &spec.policy,
            pods = names(wanted.iter().copied()),
            selector = shown
        )),
        selector_path,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Verdict;
    use crate::i18n::Lang;

    fn pods() -> Vec<PodLabels> {
        [
            ("db-pod", "role", "db"),
            ("api-pod", "app", "api"),
            ("external-pod", "app", "external"),
        ]
        .into_iter()
        .map(|(n, k, v)| {
            (
                n.to_string(),
                BTreeMap::from([(k.to_string(), v.to_string())]),
            )
        })
        .collect()
    }

    fn selector(labels: &[(&str, &str)]) -> LabelSelector {
        LabelSelector {
            match_labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            match_expressions: None,
        }
    }

    fn spec() -> Selects {
        Selects {
            policy: "db-deny-ingress".into(),
            pods: vec!["db-pod".into()],
        }
    }

    #[test]
    fn the_db_pod_alone_passes() {
        let (outcome, _) = judge(&spec(), &selector(&[("role", "db")]), &pods());
        assert_eq!(outcome.verdict, Verdict::Pass);
        assert_eq!(
            outcome.message.render(Lang::En),
            "NetworkPolicy `db-deny-ingress` selects exactly `db-pod` (podSelector role=db)"
        );
    }

    #[test]
    fn an_empty_selector_isolates_every_pod_and_says_so() {
        let (outcome, blame) = judge(&spec(), &LabelSelector::default(), &pods());
        assert_eq!(outcome.verdict, Verdict::Fail);
        let text = outcome.message.render(Lang::En);
        assert!(text.contains("`api-pod`, `external-pod`"), "{text}");
        assert_eq!(blame.to_string(), "spec.podSelector");
        assert_eq!(
            outcome.details[0].render(Lang::En),
            "an empty podSelector ({}) selects every pod of the namespace"
        );
    }

    #[test]
    fn a_near_miss_names_the_label_the_pod_carries() {
        let (outcome, blame) = judge(&spec(), &selector(&[("app", "db")]), &pods());
        assert_eq!(outcome.verdict, Verdict::Fail);
        assert_eq!(blame.to_string(), "spec.podSelector.matchLabels.app");
        assert_eq!(
            outcome.details[0].render(Lang::En),
            "`db-pod` is labelled role=db, not app=db"
        );
        let (outcome, blame) = judge(&spec(), &selector(&[("role", "database")]), &pods());
        assert_eq!(blame.to_string(), "spec.podSelector.matchLabels.role");
        assert_eq!(
            outcome.details[0].render(Lang::En),
            "`db-pod` is labelled role=db, not role=database"
        );
    }
}
