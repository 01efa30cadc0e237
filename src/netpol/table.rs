//! The decision for every ordered pair of pods, rendered as a matrix.

use super::{Decision, Probe, Verdict, World, evaluate};
use serde::Serialize;
use std::fmt;

#[derive(Clone, Debug, Serialize)]
pub struct TruthCell {
    pub from: String,
    pub to: String,
    pub decision: Decision,
}

#[derive(Clone, Debug, Serialize)]
pub struct TruthTable {
    /// Pod labels in `world.pods` order: `name`, or `namespace/name` when the pods span
    /// more than one namespace.
    pub pods: Vec<String>,
    pub port: i32,
    pub protocol: String,
    /// Every ordered pair `(from, to)` with `from != to`, rows in `pods` order.
    pub cells: Vec<TruthCell>,
}

impl TruthTable {
    pub fn get(&self, from: &str, to: &str) -> Option<&Decision> {
        self.cells
            .iter()
            .find(|c| c.from == from && c.to == to)
            .map(|c| &c.decision)
    }
}

/// Evaluates `port`/`protocol` for every ordered pair of distinct pods of `world`.
pub fn truth_table(world: &World, port: i32, protocol: &str) -> TruthTable {
    let qualified = world.pods.iter().any(|p| {
        world
            .pods
            .first()
            .is_some_and(|f| f.namespace != p.namespace)
    });
    let label = |i: usize| {
        let p = &world.pods[i];
        if qualified && !p.name.contains('/') {
            format!("{}/{}", p.namespace, p.name)
        } else {
            p.name.clone()
        }
    };
    let pods: Vec<String> = (0..world.pods.len()).map(label).collect();
    let mut cells = Vec::new();
    for (i, from) in world.pods.iter().enumerate() {
        for (j, to) in world.pods.iter().enumerate() {
            if i == j {
                continue;
            }
            let probe = Probe {
                from,
                to,
                port,
                protocol: protocol.to_string(),
            };
            cells.push(TruthCell {
                from: pods[i].clone(),
                to: pods[j].clone(),
                decision: evaluate(world, &probe),
            });
        }
    }
    TruthTable {
        pods,
        port,
        protocol: protocol.to_ascii_uppercase(),
        cells,
    }
}

fn symbol(v: Verdict) -> &'static str {
    match v {
        Verdict::Allowed => "✓",
        Verdict::Denied => "✗",
        Verdict::ImplementationDefined => "?",
    }
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

impl fmt::Display for TruthTable {
    /// ```text
    /// TCP/6379 (rows: from, columns: to; ✓ allowed, ✗ blocked, ? implementation-defined)
    ///              db-pod  api-pod  external-pod
    /// db-pod       -       ✓        ✓
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}/{} (rows: from, columns: to; ✓ allowed, ✗ blocked, ? implementation-defined)",
            self.protocol, self.port
        )?;
        let first = self
            .pods
            .iter()
            .map(|p| p.chars().count())
            .max()
            .unwrap_or(0);
        let mut header = pad("", first);
        for p in &self.pods {
            header.push_str("  ");
            header.push_str(p);
        }
        writeln!(f, "{}", header.trim_end())?;
        for from in &self.pods {
            let mut line = pad(from, first);
            for to in &self.pods {
                let cell = if from == to {
                    "-"
                } else {
                    self.get(from, to).map_or(" ", |d| symbol(d.verdict))
                };
                line.push_str("  ");
                line.push_str(&pad(cell, to.chars().count()));
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netpol::test_support::{api_allow_to_db, db_deny_ingress, lab_world, pod};

    #[test]
    fn covers_every_ordered_pair() {
        let w = lab_world();
        let t = truth_table(&w, 6379, "TCP");
        assert_eq!(t.cells.len(), 6);
        assert!(t.cells.iter().all(|c| c.from != c.to));
        assert!(
            t.cells
                .iter()
                .all(|c| c.decision.verdict == Verdict::Allowed)
        );
    }

    #[test]
    fn renders_lab_after_policies() {
        let mut w = lab_world();
        w.policies.push(db_deny_ingress());
        w.policies.push(api_allow_to_db());
        let t = truth_table(&w, 6379, "TCP");
        assert_eq!(
            t.get("api-pod", "db-pod").unwrap().verdict,
            Verdict::Allowed
        );
        assert_eq!(
            t.get("external-pod", "db-pod").unwrap().verdict,
            Verdict::Denied
        );
        let expected = "\
TCP/6379 (rows: from, columns: to; ✓ allowed, ✗ blocked, ? implementation-defined)
              db-pod  api-pod  external-pod
db-pod        -       ✓        ✓
api-pod       ✓       -        ✓
external-pod  ✗       ✓        -
";
        assert_eq!(t.to_string(), expected);
    }

    #[test]
    fn qualifies_names_across_namespaces_and_marks_undecided() {
        let mut w = lab_world();
        w.pods.truncate(1);
        w.pods.push(pod("client", "team-a", &[]));
        w.policies.push(crate::netpol::test_support::policy(
            "cidr",
            "default",
            serde_json::json!({
                "podSelector": {"matchLabels": {"role": "db"}},
                "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]
            }),
        ));
        let t = truth_table(&w, 6379, "tcp");
        assert_eq!(t.pods, vec!["default/db-pod", "team-a/client"]);
        let text = t.to_string();
        let row = text
            .lines()
            .find(|l| l.starts_with("team-a/client"))
            .unwrap();
        assert_eq!(row, "team-a/client   ?               -");
    }
}
