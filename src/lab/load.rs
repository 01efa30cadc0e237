//! Loading a lab folder and validating it, so that a broken lab is an error for its
//! author (naming the lab file and line), never a confusing verdict for a learner.

use super::check_spec::CheckKind;
use super::error::LabError;
use super::model::{Check, Lab, LabFile, LoadedFixture, LoadedProbe, Step};
use super::text::placeholders;
use super::variant;
use crate::manifest;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Builds a lab from its folder's files (`lab.yaml` and fixtures, by relative path):
/// the seed material's exercise (every parameter at its default). `origin` is how the
/// folder is named in errors, e.g. `labs/network-policy`.
pub fn load_lab(origin: &str, files: BTreeMap<String, String>) -> Result<Lab, LabError> {
    load_lab_variant(origin, files, None)
}

/// The part of `lab.yaml` read before its templates are filled in: the id and the
/// parameters (which must not use placeholders themselves).
#[derive(serde::Deserialize)]
struct Header {
    id: String,
    #[serde(default)]
    params: BTreeMap<String, super::model::Param>,
}

/// [`load_lab`] for the variant of `seed` (see [`super::variant`]). Two passes: the
/// header is read with every `{{name}}` written as the bare word `name` (a plain scalar
/// wherever a placeholder may stand, in block or flow style), then every file is filled
/// in with the variant's values and loaded. Values never hold YAML syntax
/// ([`variant::is_safe_value`]), and a placeholder stays on its line, so an error's line
/// is the template's.
pub fn load_lab_variant(
    origin: &str,
    files: BTreeMap<String, String>,
    seed: Option<&str>,
) -> Result<Lab, LabError> {
    load_lab_values(origin, files, seed, &BTreeMap::new())
}

/// [`load_lab_variant`] with some values replaced (a live run's registry address and
/// credentials): `overrides` win over the variant's values, computed ones follow them.
pub fn load_lab_values(
    origin: &str,
    files: BTreeMap<String, String>,
    seed: Option<&str>,
    overrides: &BTreeMap<String, String>,
) -> Result<Lab, LabError> {
    let lab_path = format!("{origin}/lab.yaml");
    let template = files.get("lab.yaml").cloned().unwrap_or_default();
    let neutral = super::text::substitute_with(&template, |name| Some(name.to_string()));
    let header: Option<Header> = serde_saphyr::from_str(&neutral).ok();
    let (params, values) = match &header {
        Some(header) => {
            for (name, param) in &header.params {
                if let Some(problem) = variant::problem(name, param) {
                    let line = template
                        .lines()
                        .position(|l| l.trim_start().starts_with(&format!("{name}:")));
                    return Err(LabError {
                        file: lab_path,
                        line: line.map(|l| l + 1),
                        message: problem,
                        help: "see `book/` → writing a new lab for the lab format".into(),
                        said: None,
                    });
                }
            }
            let mut params = header.params.clone();
            for (name, value) in overrides {
                if let Some(param) = params.get_mut(name) {
                    param.default = value.clone();
                    param.vary = None;
                }
            }
            let values = variant::values(&header.id, &params, seed);
            (header.params.clone(), values)
        }
        None => Default::default(),
    };
    let filled: BTreeMap<String, String> = files
        .iter()
        .map(|(path, text)| {
            let filled = super::text::substitute(text, &values);
            // Korean particles after a value: `UID {{uid}}(으)로` is `1000으로`, `1234로`.
            let filled = if path == "lab.yaml" {
                crate::i18n::josa::resolve(&filled)
            } else {
                filled
            };
            (path.clone(), filled)
        })
        .collect();
    let mut lab = load_filled(origin, filled, &params)?;
    lab.params = params;
    lab.values = values;
    lab.variant = seed.map(str::to_string);
    lab.files = files;
    lab.origin = origin.to_string();
    Ok(lab)
}

/// Loads the filled-in files (no placeholder left unless it names no parameter).
fn load_filled(
    origin: &str,
    files: BTreeMap<String, String>,
    params: &BTreeMap<String, super::model::Param>,
) -> Result<Lab, LabError> {
    let lab_path = format!("{origin}/lab.yaml");
    let error = |line: Option<usize>, message: String, help: &str| LabError {
        file: lab_path.clone(),
        line,
        message,
        help: help.to_string(),
        said: None,
    };
    let said = |line: Option<usize>, message: crate::i18n::Message, help: crate::i18n::Message| {
        LabError::said(&lab_path, line, message, Some(help))
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
        let help = if message.contains("check kind") {
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

    // The one namespace of the lab: the one it declares, else `default` (where the
    // seed's commands run). A fixture or probe elsewhere is an error, never moved.
    let lab_namespace = raw
        .namespace
        .as_ref()
        .map_or("default", |n| n.name.as_str());
    for (role, spec) in &raw.namespaces {
        if let Some(problem) = role_problem(role, lab_namespace, spec) {
            return Err(error(
                None,
                format!("namespace role `{role}`: {problem}"),
                "a role is a DNS label of at most 15 characters (`monitoring`), other than the lab's namespace and the cluster's own (`default`, `kube-*`), with labels of your own (not under `kubernetes.io`, `k8s.io` or `kubelab.dev`)",
            ));
        }
    }
    let roles: Vec<&str> = raw.namespaces.keys().map(String::as_str).collect();
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
            if let Some(error) = misplaced(
                object,
                "fixture",
                &fixture.value.file,
                lab_namespace,
                &roles,
            ) {
                return Err(said(line, error.0, error.1));
            }
            if object.kind == "Pod" {
                let role = object.namespace.as_deref().filter(|ns| roles.contains(ns));
                fixture_pods.insert(crate::lab::qualified(role, &object.name));
            }
        }
        fixtures.push(LoadedFixture {
            file: fixture.value.file.clone(),
            command: fixture.value.command.clone(),
            text: text.clone(),
        });
    }

    let mut probes = Vec::new();
    let mut probe_objects = BTreeSet::new();
    for probe in &raw.probes {
        let line = Some(probe.referenced.line() as usize);
        let file = &probe.value.file;
        let Some(text) = files.get(file) else {
            return Err(error(
                line,
                format!("probe `{file}` does not exist"),
                "probe paths are relative to the lab folder",
            ));
        };
        let display = format!("{origin}/{file}");
        let objects = manifest::load_text(&display, text)
            .map_err(|e| error(line, format!("probe `{file}` is invalid: {e}"), ""))?;
        let [object] = objects.as_slice() else {
            return Err(error(
                line,
                format!(
                    "probe `{file}` holds {} objects; a probe is one object",
                    objects.len()
                ),
                "put each probe in a file of its own",
            ));
        };
        if let Some(problem) = object.problems.first() {
            return Err(error(
                line,
                format!(
                    "probe {display}:{}: {}",
                    problem.location.line, problem.message
                ),
                "probes must be valid Kubernetes objects",
            ));
        }
        if let Some(error) = misplaced(object, "probe", file, lab_namespace, &[]) {
            return Err(said(line, error.0, error.1));
        }
        if !probe_objects.insert((object.kind.clone(), object.name.clone())) {
            return Err(error(
                line,
                format!("two probes are {} `{}`", object.kind, object.name),
                "probe names are unique within a lab",
            ));
        }
        probes.push(LoadedProbe {
            file: file.clone(),
            text: text.clone(),
        });
    }
    let submitted: BTreeSet<(String, String)> = raw
        .steps
        .iter()
        .flat_map(|s| &s.value.submit)
        .map(|s| (s.kind.clone(), s.name.clone()))
        .collect();
    if let Some(clash) = probe_objects.intersection(&submitted).next() {
        return Err(error(
            None,
            format!(
                "{} `{}` is both a probe and an object the learner submits",
                clash.0, clash.1
            ),
            "give the probe another name",
        ));
    }
    for (kind, name) in &submitted {
        let declared = match kind.as_str() {
            "Namespace" => raw.namespace.as_ref().is_some_and(|n| &n.name == name),
            "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding" => {
                raw.admission_policies
            }
            _ => true,
        };
        if !declared {
            return Err(error(
                None,
                format!("a step asks for {kind} `{name}`, which the lab does not declare"),
                "a Namespace needs `namespace: {name, labels}` with its name; admission policies need `admission-policies: true`",
            ));
        }
        let declarable = manifest::CLUSTER_SCOPED_SUBMITS.contains(&kind.as_str());
        if !declarable && manifest::REFUSED_KINDS.contains(&kind.as_str()) {
            // The line of the step that asks for it.
            let line = raw
                .steps
                .iter()
                .find(|s| {
                    s.value
                        .submit
                        .iter()
                        .any(|s| &s.kind == kind && &s.name == name)
                })
                .map(|s| s.referenced.line() as usize);
            return Err(said(
                line,
                crate::msg!(
                    "lab-submit-refused-kind",
                    reason = crate::msg!(
                        "policy-refused-kind",
                        kind = kind.as_str(),
                        name = name.as_str(),
                        why = manifest::why_refused(kind)
                    )
                ),
                crate::msg!("lab-submit-refused-kind-help"),
            ));
        }
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
            if let CheckKind::Admission(spec) = &check.kind {
                let key = (spec.object.kind.clone(), spec.object.name.clone());
                if !probe_objects.contains(&key) && !submitted.contains(&key) {
                    return Err(error(
                        line,
                        format!(
                            "check `{}` names {} `{}`, which is neither a probe nor submitted by a step",
                            check.id, key.0, key.1
                        ),
                        "add it to `probes:` or to a step's `submit`",
                    ));
                }
                if spec.runs
                    && (spec.expect != super::check_spec::Admit::Admitted
                        || spec.object.kind != "Pod"
                        || !probe_objects.contains(&key))
                {
                    return Err(error(
                        line,
                        format!("check `{}` asks that {} `{}` runs", check.id, key.0, key.1),
                        "`runs: true` goes with `expect: admitted` and a Pod of `probes:`",
                    ));
                }
                if (spec.by.is_some() || spec.message.is_some())
                    && spec.expect == super::check_spec::Admit::Admitted
                {
                    return Err(error(
                        line,
                        format!(
                            "check `{}` expects an admission and names who refuses",
                            check.id
                        ),
                        "`by` and `message` go with `expect: refused`",
                    ));
                }
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
            if let CheckKind::Field(field) = &check.kind {
                // The line that writes the path, as written plain, double- or single-quoted
                // (the check's own line when escapes changed its text beyond that).
                let written = [
                    field.path.clone(),
                    field.path.replace('\\', "\\\\").replace('"', "\\\""),
                    field.path.replace('\'', "''"),
                ];
                let path_line = line.map(|at| {
                    text.lines()
                        .enumerate()
                        .skip(at - 1)
                        .find(|(_, l)| {
                            l.contains("path:") && written.iter().any(|w| l.contains(w.as_str()))
                        })
                        .map_or(at, |(i, _)| i + 1)
                });
                match manifest::FieldPattern::parse(&field.path) {
                    Err(problem) => {
                        let message = crate::msg!(
                            "lab-field-bad-path",
                            check = check.id.as_str(),
                            path = field.path.as_str(),
                            problem = problem.message()
                        );
                        return Err(said(path_line, message, crate::msg!("lab-field-path-help")));
                    }
                    Ok(pattern) => {
                        if let Some(problem) = manifest::unresolvable(&field.object.kind, &pattern)
                        {
                            let message = crate::msg!(
                                "lab-field-unresolvable",
                                check = check.id.as_str(),
                                path = field.path.as_str(),
                                kind = field.object.kind.as_str(),
                                problem = problem
                            );
                            let help = crate::msg!(
                                "lab-field-unresolvable-help",
                                kind = field.object.kind.as_str()
                            );
                            return Err(said(path_line, message, help));
                        }
                    }
                }
            }
            if let CheckKind::Field(field) = &check.kind {
                if field.matchers() > 1 {
                    return Err(error(
                        line,
                        format!(
                            "check `{}` sets more than one of `equals`, `prefix`, `regex`, `one-of`",
                            check.id
                        ),
                        "keep one matcher per check (or write two checks)",
                    ));
                }
                if let Some(pattern) = &field.regex
                    && let Err(e) = regex::Regex::new(pattern)
                {
                    return Err(error(
                        line,
                        format!("check `{}`: `regex` does not compile: {e}", check.id),
                        "write the pattern in the `regex` crate's syntax (https://docs.rs/regex)",
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

    let computed = variant::computed(params);
    for name in placeholders(text) {
        if !params.contains_key(&name) && !computed.contains(&name.as_str()) {
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
        variant: None,
        values: BTreeMap::new(),
        fixtures,
        namespace: raw.namespace,
        namespaces: raw.namespaces,
        admission_policies: raw.admission_policies,
        probes,
        steps,
        files,
        solution: Vec::new(),
        origin: origin.to_string(),
    })
}

/// What is wrong with a declared namespace role, or `None`.
fn role_problem(role: &str, lab_namespace: &str, spec: &super::RoleNamespace) -> Option<String> {
    let dns_label = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    if !dns_label(role) || role.len() > 15 {
        return Some("is not a DNS label of at most 15 characters".to_string());
    }
    if role == lab_namespace || role == "default" || role.starts_with("kube-") {
        return Some(format!(
            "is the lab's own namespace or one of the cluster's (`{role}`)"
        ));
    }
    for (key, value) in &spec.labels {
        let prefix = key.rsplit_once('/').map(|(p, _)| p);
        let reserved = prefix.is_some_and(|p| {
            ["kubernetes.io", "k8s.io", "kubelab.dev"]
                .iter()
                .any(|r| p == *r || p.ends_with(&format!(".{r}")))
        });
        if reserved {
            return Some(format!(
                "label `{key}` is under a prefix the cluster or kubelab sets"
            ));
        }
        let label_value = value.len() <= 63
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && value
                .bytes()
                .next()
                .is_none_or(|b| b.is_ascii_alphanumeric())
            && value
                .bytes()
                .last()
                .is_none_or(|b| b.is_ascii_alphanumeric());
        if !label_value {
            return Some(format!(
                "label `{key}`'s value `{value}` is not a label value"
            ));
        }
    }
    None
}

/// Why a fixture or probe (`what`) of file `file` cannot be part of the lab: a kind the
/// sandbox always refuses, or a namespace other than the lab's (`lab_namespace`) and its
/// declared roles (`roles`) — never moved into it. The message and its help.
fn misplaced(
    object: &manifest::Object,
    what: &str,
    file: &str,
    lab_namespace: &str,
    roles: &[&str],
) -> Option<(crate::i18n::Message, crate::i18n::Message)> {
    if manifest::REFUSED_KINDS.contains(&object.kind.as_str()) {
        return Some((
            crate::msg!(
                "lab-fixture-refused-kind",
                what = what,
                file = file,
                reason = crate::msg!(
                    "policy-refused-kind",
                    kind = object.kind.as_str(),
                    name = object.name.as_str(),
                    why = manifest::why_refused(&object.kind)
                )
            ),
            crate::msg!("lab-fixture-refused-kind-help", what = what),
        ));
    }
    let namespace = object.namespace.as_deref()?;
    (namespace != lab_namespace && !roles.contains(&namespace)).then(|| {
        (
            crate::msg!(
                "lab-fixture-other-namespace",
                what = what,
                file = file,
                kind = object.kind.as_str(),
                name = object.name.as_str(),
                namespace = namespace,
                lab_namespace = lab_namespace
            ),
            crate::msg!("lab-fixture-other-namespace-help", what = what),
        )
    })
}

/// serde-saphyr's message without its `error: line N column M: ` prefix (the line is
/// reported separately).
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or(text);
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line.split_once(": ") {
        Some((position, rest)) if position.starts_with("line ") => rest.to_string(),
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: p\n    image: busybox:1.28\n";

    fn lab(yaml: &str) -> Result<Lab, LabError> {
        let files = BTreeMap::from([
            ("lab.yaml".to_string(), yaml.to_string()),
            ("fixtures/p.yaml".to_string(), POD.to_string()),
        ]);
        load_lab("labs/demo", files)
    }

    fn valid(checks: &str) -> String {
        format!(
            "id: demo\ntitle: {{ko: 데모, en: Demo}}\nscenario: {{ko: 가, en: a}}\nfixtures:\n  - {{file: fixtures/p.yaml, command: kubectl run p --image=busybox:1.28}}\nsteps:\n  - id: one\n    title: {{ko: 하나, en: One}}\n    text: {{ko: 가, en: a}}\n    checks:\n{checks}"
        )
    }

    #[test]
    fn a_valid_lab_loads() {
        let lab = lab(&valid(
            "      - id: ro\n        rootfs-readonly: {pod: p}\n",
        ))
        .unwrap();
        assert_eq!(lab.steps[0].checks[0].kind.name(), "rootfs-readonly");
        assert_eq!(lab.max_score(), 1);
    }

    #[test]
    fn an_unknown_check_kind_names_the_file_line_and_the_kinds() {
        let err = lab(&valid(
            "      - id: ro\n        rootfs-read-only: {pod: p}\n",
        ))
        .unwrap_err();
        assert_eq!(err.file, "labs/demo/lab.yaml");
        assert!(err.message.contains("rootfs-read-only"), "{err}");
        assert!(err.line.is_some(), "{err:?}");
        assert!(err.help.contains("rootfs-readonly"), "{err:?}");
    }

    #[test]
    fn a_duplicate_check_id_is_located() {
        let err = lab(&valid(
            "      - id: ro\n        rootfs-readonly: {pod: p}\n      - id: ro\n        no-privilege-escalation: {pod: p}\n",
        ))
        .unwrap_err();
        assert_eq!(err.message, "duplicate check id `ro`");
        assert_eq!(err.line, Some(13));
    }

    #[test]
    fn a_missing_fixture_is_located() {
        let yaml = valid("      - id: ro\n        rootfs-readonly: {pod: p}\n")
            .replace("fixtures/p.yaml", "fixtures/q.yaml");
        let err = lab(&yaml).unwrap_err();
        assert_eq!(err.message, "fixture `fixtures/q.yaml` does not exist");
        assert_eq!(err.line, Some(5));
    }

    #[test]
    fn a_check_on_a_pod_nobody_provides_is_refused() {
        let err = lab(&valid(
            "      - id: ro\n        rootfs-readonly: {pod: ghost}\n",
        ))
        .unwrap_err();
        assert!(err.message.contains("pod `ghost`"), "{err}");
    }

    #[test]
    fn an_unknown_placeholder_is_refused() {
        let yaml = valid("      - id: ro\n        rootfs-readonly: {pod: p}\n")
            .replace("en: a}\nfixtures", "en: 'use {{nothing}}'}\nfixtures");
        let err = lab(&yaml).unwrap_err();
        assert!(err.message.contains("{{nothing}}"), "{err}");
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn an_admission_check_names_a_probe_or_a_submitted_object() {
        let err = lab(&valid(
            "      - id: refused\n        admission: {object: {kind: Pod, name: ghost}, expect: refused}\n",
        ))
        .unwrap_err();
        assert_eq!(
            err.message,
            "check `refused` names Pod `ghost`, which is neither a probe nor submitted by a step"
        );
        assert_eq!(err.line, Some(11));
        let yaml = valid(
            "      - id: admitted\n        admission: {object: {kind: Pod, name: p}, expect: admitted, message: x}\n",
        )
        .replace("fixtures:\n", "probes:\n  - {file: fixtures/p.yaml}\nfixtures:\n");
        let err = lab(&yaml).unwrap_err();
        assert!(err.message.contains("expects an admission"), "{err}");
    }

    #[test]
    fn a_probe_is_one_valid_object() {
        let yaml = valid("      - id: ro\n        rootfs-readonly: {pod: p}\n").replace(
            "fixtures:\n",
            "probes:\n  - {file: probes/two.yaml}\nfixtures:\n",
        );
        let files = BTreeMap::from([
            ("lab.yaml".to_string(), yaml),
            ("fixtures/p.yaml".to_string(), POD.to_string()),
            (
                "probes/two.yaml".to_string(),
                format!("{POD}---\n{}", POD.replace("name: p\n", "name: q\n")),
            ),
        ]);
        let err = load_lab("labs/demo", files).unwrap_err();
        assert_eq!(
            err.message,
            "probe `probes/two.yaml` holds 2 objects; a probe is one object"
        );
    }

    #[test]
    fn the_id_must_match_the_folder() {
        let err = load_lab(
            "labs/other",
            BTreeMap::from([
                (
                    "lab.yaml".into(),
                    valid("      - id: ro\n        rootfs-readonly: {pod: p}\n"),
                ),
                ("fixtures/p.yaml".into(), POD.into()),
            ]),
        )
        .unwrap_err();
        assert!(err.message.contains("differs from its folder"), "{err}");
    }

    /// A lab whose one check is `field` on pod `p` with `path` (written in single
    /// quotes, as YAML needs for brackets and double quotes).
    fn field_lab(path: &str) -> Result<Lab, LabError> {
        lab(&valid(&format!(
            "      - id: ns-label\n        field:\n          object: {{kind: Pod, name: p}}\n          path: '{}'\n",
            path.replace('\'', "''")
        )))
    }

    #[test]
    fn field_paths_with_quoted_keys_and_every_element_load() {
        for path in [
            "metadata.labels[\"pod-security.kubernetes.io/enforce\"]",
            "metadata.labels['app.kubernetes.io/name']",
            "spec.containers[*].image",
            "spec.initContainers[*].securityContext.runAsNonRoot",
            "spec.containers[0].securityContext",
            ".spec.securityContext.fsGroup",
        ] {
            let lab = field_lab(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let crate::lab::CheckKind::Field(field) = &lab.steps[0].checks[0].kind else {
                panic!("not a field check");
            };
            assert_eq!(field.path, path);
        }
    }

    #[test]
    fn a_field_check_has_at_most_one_matcher_and_a_regex_that_compiles() {
        let with = |extra: &str| {
            lab(&valid(&format!(
                "      - id: image\n        field:\n          object: {{kind: Pod, name: p}}\n          path: 'spec.containers[*].image'\n{extra}"
            )))
        };
        let lab = with("          regex: '^kubelab/app:1\\.0-minimal$'\n").unwrap();
        let crate::lab::CheckKind::Field(field) = &lab.steps[0].checks[0].kind else {
            panic!("not a field check");
        };
        assert_eq!(field.regex.as_deref(), Some("^kubelab/app:1\\.0-minimal$"));
        let lab = with("          one-of: [busybox:1.28, nginx]\n").unwrap();
        let crate::lab::CheckKind::Field(field) = &lab.steps[0].checks[0].kind else {
            panic!("not a field check");
        };
        assert_eq!(field.one_of.as_ref().map(Vec::len), Some(2));
        let two = with("          prefix: kubelab/\n          equals: kubelab/app\n").unwrap_err();
        assert!(two.to_string().contains("more than one of"), "{two}");
        let bad = with("          regex: '(unclosed'\n").unwrap_err();
        assert!(
            bad.to_string().contains("`regex` does not compile"),
            "{bad}"
        );
    }

    #[test]
    fn a_malformed_field_path_names_the_check_the_path_and_the_problem() {
        let cases = [
            ("", "the path is empty"),
            (
                "metadata..labels",
                "a key is missing at column 9 (between two dots, after the last dot, or in `[\"\"]`); a key with dots is written `[\"a.b\"]`",
            ),
            (
                "metadata.labels.",
                "a key is missing at column 16 (between two dots, after the last dot, or in `[\"\"]`); a key with dots is written `[\"a.b\"]`",
            ),
            (
                "metadata.labels[\"\"]",
                "a key is missing at column 16 (between two dots, after the last dot, or in `[\"\"]`); a key with dots is written `[\"a.b\"]`",
            ),
            (
                "spec.containers[0",
                "the `[` at column 16 is never closed with `]`",
            ),
            (
                "metadata.labels[\"app\"",
                "the `[` at column 16 is never closed with `]`",
            ),
            (
                "metadata.labels[\"pod-security.kubernetes.io/enforce]",
                "the quote at column 17 is never closed",
            ),
            (
                "metadata.labels['app]",
                "the quote at column 17 is never closed",
            ),
            (
                "spec.containers[x].image",
                "`[x]` at column 16 is not an index: brackets hold a number from 0, `*`, or a quoted key",
            ),
            (
                "spec.containers[-1].image",
                "`[-1]` at column 16 is not an index: brackets hold a number from 0, `*`, or a quoted key",
            ),
            (
                "spec.containers[].image",
                "`[]` at column 16 is not an index: brackets hold a number from 0, `*`, or a quoted key",
            ),
            (
                "spec.containers[0]image",
                "`i` cannot stand at column 19: after `]` comes `.` or `[`, and a key with dots, brackets, quotes or spaces is written `[\"key\"]`",
            ),
            (
                "spec. containers",
                "` ` cannot stand at column 6: after `]` comes `.` or `[`, and a key with dots, brackets, quotes or spaces is written `[\"key\"]`",
            ),
        ];
        for (path, problem) in cases {
            let err = field_lab(path).unwrap_err();
            assert_eq!(
                err.message,
                format!("check `ns-label` has a malformed path `{path}`: {problem}"),
                "{path}"
            );
            assert_eq!(err.file, "labs/demo/lab.yaml");
            // The line of `path:` (the check starts at line 11).
            assert_eq!(err.line, Some(14), "{path}: {err}");
            assert!(err.help.contains("`[*]` for every element"), "{err:?}");
        }
    }

    /// The error's `file:line: message` and help in both languages.
    fn both(err: &LabError) -> [(String, Option<String>); 2] {
        [
            err.render(crate::i18n::Lang::En),
            err.render(crate::i18n::Lang::Ko),
        ]
    }

    #[test]
    fn a_fixture_in_another_namespace_is_refused_not_moved() {
        let files = BTreeMap::from([
            (
                "lab.yaml".to_string(),
                valid("      - id: ro\n        rootfs-readonly: {pod: p}\n"),
            ),
            (
                "fixtures/p.yaml".to_string(),
                POD.replace("  name: p\n", "  name: p\n  namespace: kube-system\n"),
            ),
        ]);
        let err = load_lab("labs/demo", files).unwrap_err();
        let [en, ko] = both(&err);
        assert_eq!(
            en.0,
            "labs/demo/lab.yaml:5: fixture `fixtures/p.yaml`: Pod `p` is in namespace `kube-system`, which the lab does not declare (the lab's namespace is `default`)"
        );
        assert_eq!(
            en.1.unwrap(),
            "remove `metadata.namespace`: kubelab creates every fixture in the lab's namespace, and never moves one from another namespace"
        );
        assert_eq!(
            ko.0,
            "labs/demo/lab.yaml:5: fixture 파일 `fixtures/p.yaml`: `p` 파드가 실습이 선언하지 않은 `kube-system` 네임스페이스에 있습니다(실습의 네임스페이스는 `default`입니다)."
        );
        assert!(
            ko.1.unwrap()
                .starts_with("`metadata.namespace`를 제거하십시오.")
        );
        // The lab's own namespace, written out, is fine.
        let files = BTreeMap::from([
            (
                "lab.yaml".to_string(),
                valid("      - id: ro\n        rootfs-readonly: {pod: p}\n"),
            ),
            (
                "fixtures/p.yaml".to_string(),
                POD.replace("  name: p\n", "  name: p\n  namespace: default\n"),
            ),
        ]);
        load_lab("labs/demo", files).unwrap();
    }

    #[test]
    fn a_fixture_in_a_declared_role_loads_and_checks_name_its_pods_by_role() {
        let with_role = |lab: String, role: &str| {
            lab.replace(
                "fixtures:\n",
                &format!("namespaces:\n  {role}: {{labels: {{purpose: monitoring}}}}\nfixtures:\n"),
            )
        };
        let files = |lab: String| {
            BTreeMap::from([
                ("lab.yaml".to_string(), lab),
                (
                    "fixtures/p.yaml".to_string(),
                    POD.replace("  name: p\n", "  name: p\n  namespace: monitoring\n"),
                ),
            ])
        };
        let lab = load_lab(
            "labs/demo",
            files(with_role(
                valid("      - id: ro\n        rootfs-readonly: {pod: monitoring/p}\n"),
                "monitoring",
            )),
        )
        .unwrap();
        assert_eq!(lab.namespaces["monitoring"].labels["purpose"], "monitoring");
        // The pod is the role's: its plain name is no pod of the lab's namespace.
        let err = load_lab(
            "labs/demo",
            files(with_role(
                valid("      - id: ro\n        rootfs-readonly: {pod: p}\n"),
                "monitoring",
            )),
        )
        .unwrap_err();
        assert!(
            err.message.contains("names pod `p`, which no fixture"),
            "{err}"
        );
        // A role that is no DNS label, or the cluster's own namespace, or one with a
        // label kubelab or the cluster sets, does not load.
        for (role, labels, problem) in [
            (
                "Monitoring",
                "{}",
                "is not a DNS label of at most 15 characters",
            ),
            (
                "monitoring-and-logging",
                "{}",
                "is not a DNS label of at most 15 characters",
            ),
            (
                "kube-system",
                "{}",
                "is the lab's own namespace or one of the cluster's (`kube-system`)",
            ),
            (
                "default",
                "{}",
                "is the lab's own namespace or one of the cluster's (`default`)",
            ),
            (
                "monitoring",
                "{kubelab.dev/run: x}",
                "label `kubelab.dev/run` is under a prefix the cluster or kubelab sets",
            ),
            (
                "monitoring",
                "{pod-security.kubernetes.io/enforce: privileged}",
                "label `pod-security.kubernetes.io/enforce` is under a prefix the cluster or kubelab sets",
            ),
            (
                "monitoring",
                "{team: -x}",
                "label `team`'s value `-x` is not a label value",
            ),
        ] {
            let lab = valid("      - id: ro\n        rootfs-readonly: {pod: p}\n").replace(
                "fixtures:\n",
                &format!("namespaces:\n  {role}: {{labels: {labels}}}\nfixtures:\n"),
            );
            let files = BTreeMap::from([
                ("lab.yaml".to_string(), lab),
                ("fixtures/p.yaml".to_string(), POD.to_string()),
            ]);
            let err = load_lab("labs/demo", files).unwrap_err();
            assert_eq!(err.message, format!("namespace role `{role}`: {problem}"));
            assert!(err.help.contains("DNS label of at most 15"), "{err:?}");
        }
    }

    #[test]
    fn a_fixture_of_a_kind_the_sandbox_refuses_does_not_load() {
        let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n";
        let files = BTreeMap::from([
            (
                "lab.yaml".to_string(),
                valid("      - id: ro\n        rootfs-readonly: {pod: p}\n"),
            ),
            ("fixtures/p.yaml".to_string(), format!("{POD}---\n{role}")),
        ]);
        let err = load_lab("labs/demo", files).unwrap_err();
        let [en, ko] = both(&err);
        assert_eq!(
            en.0,
            "labs/demo/lab.yaml:5: fixture `fixtures/p.yaml`: ClusterRole `reader` grants permissions; kubelab keeps lab objects inside the lab namespace"
        );
        assert_eq!(
            ko.0,
            "labs/demo/lab.yaml:5: fixture 파일 `fixtures/p.yaml`: `reader` ClusterRole 객체는 권한을 부여합니다. kubelab은 실습 오브젝트를 실습 네임스페이스 안에만 둡니다."
        );
        assert_eq!(
            ko.1.unwrap(),
            "샌드박스는 이 kind를 적용하지 않으므로 실습에 둘 수 없습니다. 실습에서 제거하십시오."
        );
    }

    #[test]
    fn a_step_asking_for_a_kind_the_sandbox_refuses_does_not_load() {
        let yaml = valid("      - id: ro\n        rootfs-readonly: {pod: p}\n").replace(
            "    text: {ko: 가, en: a}\n",
            "    text: {ko: 가, en: a}\n    submit: [{kind: LimitRange, name: limits, file: limits.yaml}]\n",
        );
        let err = lab(&yaml).unwrap_err();
        let [en, ko] = both(&err);
        assert_eq!(
            en.0,
            "labs/demo/lab.yaml:7: a step asks for an object the sandbox always refuses: LimitRange `limits` would change the sandbox's resource limits; kubelab keeps lab objects inside the lab namespace"
        );
        assert_eq!(
            ko.0,
            "labs/demo/lab.yaml:7: 단계가 샌드박스에서 항상 거부하는 객체를 요구합니다: `limits` LimitRange 객체는 샌드박스의 리소스 제한을 바꿉니다. kubelab은 실습 오브젝트를 실습 네임스페이스 안에만 둡니다."
        );
        assert!(en.1.unwrap().starts_with("no learner could hand it in"));
    }

    #[test]
    fn a_field_path_no_object_of_its_kind_has_is_located() {
        let err =
            field_lab("spec.containers[*].securityContext.readOnlyRootFileSystem").unwrap_err();
        let [en, ko] = both(&err);
        assert_eq!(
            en.0,
            "labs/demo/lab.yaml:14: check `ns-label` names a path `spec.containers[*].securityContext.readOnlyRootFileSystem` that no Pod has: a Pod has no field `readOnlyRootFileSystem` there (`spec.containers[*].securityContext` is a SecurityContext); did you mean \"readOnlyRootFilesystem\"?"
        );
        assert_eq!(
            en.1.unwrap(),
            "write the path as it is in the object's YAML (`kubectl explain Pod --recursive` lists every field)"
        );
        assert_eq!(
            ko.0,
            "labs/demo/lab.yaml:14: 검사 `ns-label`의 경로 `spec.containers[*].securityContext.readOnlyRootFileSystem`에 해당하는 필드는 Pod 객체에 있을 수 없습니다: Pod 객체의 그 위치에는 `readOnlyRootFileSystem` 필드가 없습니다(`spec.containers[*].securityContext`의 형식은 SecurityContext입니다). 혹시 \"readOnlyRootFilesystem\"의 오타입니까?"
        );
        let err = field_lab("spec.containers.image").unwrap_err();
        assert_eq!(
            err.render(crate::i18n::Lang::En).0,
            "labs/demo/lab.yaml:14: check `ns-label` names a path `spec.containers.image` that no Pod has: in a Pod, the path does not fit `spec.containers`: expected a list, found a mapping"
        );
    }

    #[test]
    fn the_built_in_labs_load() {
        let catalog = crate::lab::Catalog::embedded().unwrap();
        assert_eq!(
            catalog.ids(),
            [
                "allowed-registries",
                "egress",
                "minimal-image",
                "network-policy",
                "pod-security",
                "private-registry",
                "security-context"
            ]
        );
    }
}
