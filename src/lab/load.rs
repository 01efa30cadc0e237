//! Loading a lab folder and validating it, so that a broken lab is an error for its
//! author (naming the lab file and line), never a confusing verdict for a learner.

use super::check_spec::CheckKind;
use super::error::LabError;
use super::model::{Check, Lab, LabFile, LoadedFixture, Step};
use super::text::placeholders;
use crate::manifest;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Builds a lab from its folder's files (`lab.yaml` and fixtures, by relative path).
/// `origin` is how the folder is named in errors, e.g. `labs/network-policy`.
pub fn load_lab(origin: &str, files: BTreeMap<String, String>) -> Result<Lab, LabError> {
    let lab_path = format!("{origin}/lab.yaml");
    let error = |line: Option<usize>, message: String, help: &str| LabError {
        file: lab_path.clone(),
        line,
        message,
        help: help.to_string(),
    };
    let text = files.get("lab.yaml").ok_or_else(|| {
        error(
            None,
            "missing lab.yaml".into(),
            "every lab folder has a lab.yaml",
        )
    })?;
    let raw: LabFile = serde_saphyr::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line() as usize);
        let message = first_line(&e.to_string());
        let help = if message.contains("unknown variant") {
            format!("check kinds are: {}", CheckKind::NAMES.join(", "))
        } else {
            "see `book/` → writing a new lab for the lab format".to_string()
        };
        error(line, message, &help)
    })?;

    let folder_name = origin.rsplit('/').next().unwrap_or(origin);
    if raw.id != folder_name {
        return Err(error(
            Some(1),
            format!(
                "lab id `{}` differs from its folder `{folder_name}`",
                raw.id
            ),
            "rename the folder or the id so that they match",
        ));
    }

    let mut fixtures = Vec::new();
    let mut fixture_pods = BTreeSet::new();
    for fixture in &raw.fixtures {
        let line = Some(fixture.referenced.line() as usize);
        let Some(text) = files.get(&fixture.value.file) else {
            return Err(error(
                line,
                format!("fixture `{}` does not exist", fixture.value.file),
                "fixture paths are relative to the lab folder",
            ));
        };
        let display = format!("{origin}/{}", fixture.value.file);
        let objects = manifest::load_text(&display, text).map_err(|e| {
            error(
                line,
                format!("fixture `{}` is invalid: {e}", fixture.value.file),
                "",
            )
        })?;
        for object in &objects {
            if let Some(problem) = object.problems.first() {
                return Err(error(
                    line,
                    format!(
                        "fixture {display}:{}: {}",
                        problem.location.line, problem.message
                    ),
                    "fixtures must be valid Kubernetes objects",
                ));
            }
            if object.kind == "Pod" {
                fixture_pods.insert(object.name.clone());
            }
        }
        fixtures.push(LoadedFixture {
            file: fixture.value.file.clone(),
            command: fixture.value.command.clone(),
            text: text.clone(),
        });
    }

    let submitted_pods: BTreeSet<String> = raw
        .steps
        .iter()
        .flat_map(|s| &s.value.submit)
        .filter(|s| s.kind == "Pod")
        .map(|s| s.name.clone())
        .collect();

    let mut step_ids = HashSet::new();
    let mut check_ids = HashSet::new();
    let mut steps = Vec::new();
    for Spanned {
        value: step,
        referenced,
        ..
    } in raw.steps
    {
        let step_line = Some(referenced.line() as usize);
        if !step_ids.insert(step.id.clone()) {
            return Err(error(
                step_line,
                format!("duplicate step id `{}`", step.id),
                "step ids are unique within a lab",
            ));
        }
        if step.checks.is_empty() {
            return Err(error(
                step_line,
                format!("step `{}` has no checks", step.id),
                "every step needs at least one check",
            ));
        }
        let mut checks = Vec::new();
        for Spanned {
            value: check,
            referenced,
            ..
        } in step.checks
        {
            let line = Some(referenced.line() as usize);
            if !check_ids.insert(check.id.clone()) {
                return Err(error(
                    line,
                    format!("duplicate check id `{}`", check.id),
                    "check ids are unique within a lab",
                ));
            }
            for pod in check.kind.pods() {
                if !fixture_pods.contains(pod) && !submitted_pods.contains(pod) {
                    return Err(error(
                        line,
                        format!(
                            "check `{}` names pod `{pod}`, which no fixture or step provides",
                            check.id
                        ),
                        "add the pod to a fixture or to a step's `submit`",
                    ));
                }
            }
            checks.push(Check {
                id: check.id,
                points: check.points,
                title: check.title,
                hint: check.hint,
                kind: check.kind,
            });
        }
        steps.push(Step {
            id: step.id,
            title: step.title,
            text: step.text,
            commands: step.commands,
            submit: step.submit,
            hint: step.hint,
            checks,
        });
    }

    for name in placeholders(text) {
        if !raw.params.contains_key(&name) {
            let line = text
                .lines()
                .position(|l| l.contains(&format!("{{{{{name}}}}}")));
            return Err(error(
                line.map(|l| l + 1),
                format!("placeholder `{{{{{name}}}}}` names no parameter"),
                "declare it under `params:`",
            ));
        }
    }

    Ok(Lab {
        id: raw.id,
        title: raw.title,
        scenario: raw.scenario,
        params: raw.params,
        fixtures,
        steps,
        files,
    })
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).to_string()
}
