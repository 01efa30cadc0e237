//! The lab definition as written in `labs/<id>/lab.yaml`.

use super::check_spec::{CheckKind, ObjectRef};
use super::text::Text;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabFile {
    pub id: String,
    pub title: Text,
    /// The scenario in one paragraph (the seed's "시나리오").
    pub scenario: Text,
    #[serde(default)]
    pub params: BTreeMap<String, Param>,
    /// Objects the scenario starts with, each with the command of the seed that makes it.
    #[serde(default)]
    pub fixtures: Vec<Spanned<Fixture>>,
    pub steps: Vec<Spanned<StepFile>>,
}

/// A value the task text shows; a live run replaces it with a per-run value.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub default: String,
    pub about: Text,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Path relative to the lab folder.
    pub file: String,
    /// The command of the seed that creates these objects.
    pub command: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    pub id: String,
    pub title: Text,
    pub text: Text,
    /// Commands the learner types (from the seed), shown with the task.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Objects the learner submits in this step, with the file name the seed uses.
    #[serde(default)]
    pub submit: Vec<Submit>,
    #[serde(default)]
    pub hint: Option<Text>,
    pub checks: Vec<Spanned<CheckFile>>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    pub kind: String,
    pub name: String,
    /// The file name the seed uses (e.g. `db-deny-policy.yaml`), for the task text.
    pub file: String,
}

impl Submit {
    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.clone(),
            name: self.name.clone(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "RawCheck")]
pub struct CheckFile {
    pub id: String,
    pub points: u32,
    pub title: Option<Text>,
    pub hint: Option<Text>,
    pub kind: CheckKind,
}

/// A check as written: its common fields plus exactly one key naming its kind.
#[derive(Deserialize)]
struct RawCheck {
    id: String,
    #[serde(default = "one")]
    points: u32,
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    hint: Option<Text>,
    #[serde(flatten)]
    rest: BTreeMap<String, serde_json::Value>,
}

fn one() -> u32 {
    1
}

impl TryFrom<RawCheck> for CheckFile {
    type Error = String;

    fn try_from(raw: RawCheck) -> Result<Self, String> {
        let id = raw.id;
        let mut keys = raw.rest.into_iter();
        let (kind, spec) = match (keys.next(), keys.next()) {
            (Some(only), None) => only,
            (None, _) => {
                return Err(format!(
                    "check `{id}` names no check kind (one of: {})",
                    CheckKind::NAMES.join(", ")
                ));
            }
            (Some((a, _)), Some((b, _))) => {
                return Err(format!(
                    "check `{id}` has two kinds or an unknown field: `{a}` and `{b}`"
                ));
            }
        };
        if !CheckKind::NAMES.contains(&kind.as_str()) {
            let suggestion = CheckKind::NAMES
                .iter()
                .max_by(|a, b| {
                    strsim::jaro_winkler(a, &kind).total_cmp(&strsim::jaro_winkler(b, &kind))
                })
                .filter(|best| strsim::jaro_winkler(best, &kind) > 0.8)
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
            return Err(format!(
                "check `{id}` has an unknown check kind `{kind}`{suggestion}"
            ));
        }
        let kind = serde_json::from_value(serde_json::json!({ kind.clone(): spec }))
            .map_err(|e| format!("check `{id}`: `{kind}`: {e}"))?;
        Ok(Self {
            id,
            points: raw.points,
            title: raw.title,
            hint: raw.hint,
            kind,
        })
    }
}

/// A loaded and validated lab.
#[derive(Clone, Debug)]
pub struct Lab {
    pub id: String,
    pub title: Text,
    pub scenario: Text,
    pub params: BTreeMap<String, Param>,
    pub fixtures: Vec<LoadedFixture>,
    pub steps: Vec<Step>,
    /// The folder's files (`lab.yaml`, fixtures), by path relative to the lab folder.
    pub files: BTreeMap<String, String>,
}

#[derive(Clone, Debug)]
pub struct LoadedFixture {
    pub file: String,
    pub command: String,
    /// The fixture's YAML text, as in the lab folder.
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub id: String,
    pub title: Text,
    pub text: Text,
    pub commands: Vec<String>,
    pub submit: Vec<Submit>,
    pub hint: Option<Text>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug)]
pub struct Check {
    pub id: String,
    pub points: u32,
    pub title: Option<Text>,
    pub hint: Option<Text>,
    pub kind: CheckKind,
}

impl Lab {
    pub fn max_score(&self) -> u32 {
        self.steps
            .iter()
            .flat_map(|s| &s.checks)
            .map(|c| c.points)
            .sum()
    }

    /// Parameter defaults (a live run overrides them).
    pub fn default_params(&self) -> BTreeMap<String, String> {
        self.params
            .iter()
            .map(|(k, p)| (k.clone(), p.default.clone()))
            .collect()
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}
