//! The `admission` check's verdict, shared by the offline and live evaluators: what
//! admission made of an object against what the lab expects. Offline the decision comes
//! from kubelab's admission model ([`super::admission::decide`]); live from a
//! server-side dry run, whose message is the evidence ([`refuser_of`] reads who refused).

use super::admission::Refuser;
use super::outcome::Outcome;
use crate::i18n::Message;
use crate::lab::{Admission, Admit, RefusedBy};
use crate::manifest::Location;

/// What admission made of an object.
#[derive(Clone, Debug)]
pub enum Decision {
    Admitted,
    /// Refused, by whom, with the API server's sentence (its own words live, the model's
    /// offline) and, offline, the field that decided it.
    Refused {
        by: Refuser,
        message: Message,
        location: Option<Location>,
    },
    /// The model cannot decide (a policy expression it does not evaluate): `skip`.
    Unknown(Message),
}

/// Who refused, read from the API server's message: Pod Security admission says
/// `violates PodSecurity "restricted:v1.34": …`
/// (`k8s.io/pod-security-admission/admission/response.go`), a ValidatingAdmissionPolicy
/// `ValidatingAdmissionPolicy '<name>' with binding '<binding>' denied request: …`
/// (`k8s.io/apiserver/pkg/admission/plugin/policy/validating/dispatcher.go`). `name` maps
/// a policy's name on the cluster back to the learner's.
pub fn refuser_of(message: &str, name: impl Fn(&str) -> String) -> Refuser {
    if let Some(rest) = message.split("violates PodSecurity \"").nth(1)
        && let Some((level, _)) = rest.split_once(':')
    {
        return Refuser::PodSecurity(level.to_string());
    }
    if let Some(rest) = message.split("ValidatingAdmissionPolicy '").nth(1)
        && let Some((policy, _)) = rest.split_once('\'')
    {
        return Refuser::Policy(name(policy));
    }
    Refuser::ApiServer
}

/// How a refuser reads in a sentence ("Pod Security admission at level `restricted`",
/// "the ValidatingAdmissionPolicy `only-private`", "the API server").
pub fn refuser_phrase(by: &Refuser) -> Message {
    match by {
        Refuser::ApiServer => crate::msg!("check-admission-by-api-server"),
        Refuser::PodSecurity(level) => {
            crate::msg!("check-admission-by-pod-security", level = level.as_str())
        }
        Refuser::Policy(name) => crate::msg!("check-admission-by-policy", name = name.as_str()),
    }
}

fn expected_refuser(by: &RefusedBy) -> Refuser {
    match by {
        RefusedBy::PodSecurity(level) => Refuser::PodSecurity(level.clone()),
        RefusedBy::Policy(name) => Refuser::Policy(name.clone()),
    }
}

/// The image of a probe pod's first container, for the `runs` messages.
pub fn probe_image(probe: &crate::manifest::Object) -> String {
    probe
        .value
        .pointer("/spec/containers/0/image")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The verdict of `spec` on `decision`. `blame` is where the learner must change
/// something when an object that must be refused is admitted (the namespace's label, the
/// policy's validation): known offline, taken from the simulation live.
pub fn judge(spec: &Admission, decision: Decision, blame: Option<Location>) -> Outcome {
    let kind = spec.object.kind.as_str();
    let name = spec.object.name.as_str();
    match (spec.expect, decision) {
        (_, Decision::Unknown(why)) => Outcome::skip(why),
        (Admit::Admitted, Decision::Admitted) => Outcome::pass(crate::msg!(
            "check-admission-admitted",
            kind = kind,
            name = name
        )),
        (
            Admit::Admitted,
            Decision::Refused {
                by,
                message,
                location,
            },
        ) => Outcome::fail(
            crate::msg!(
                "check-admission-refused",
                kind = kind,
                name = name,
                by = refuser_phrase(&by),
                message = message
            ),
            location,
        ),
        (Admit::Refused, Decision::Admitted) => {
            let who = match &spec.by {
                Some(by) => refuser_phrase(&expected_refuser(by)),
                None => crate::msg!("check-admission-by-api-server"),
            };
            Outcome::fail(
                crate::msg!(
                    "check-admission-not-refused",
                    kind = kind,
                    name = name,
                    by = who
                ),
                blame,
            )
        }
        (Admit::Refused, Decision::Refused { by, message, .. }) => {
            if let Some(expected) = &spec.by {
                let expected = expected_refuser(expected);
                if by != expected {
                    return Outcome::fail(
                        crate::msg!(
                            "check-admission-refused-by-other",
                            kind = kind,
                            name = name,
                            by = refuser_phrase(&by),
                            expected = refuser_phrase(&expected),
                            message = message
                        ),
                        blame,
                    );
                }
            }
            if let Some(text) = &spec.message {
                let said = message.render(crate::i18n::Lang::En);
                if !said.contains(text.as_str()) {
                    return Outcome::fail(
                        crate::msg!(
                            "check-admission-message-lacks",
                            kind = kind,
                            name = name,
                            text = text.as_str(),
                            message = message
                        ),
                        blame,
                    );
                }
            }
            Outcome::pass(crate::msg!(
                "check-admission-refused-as-expected",
                kind = kind,
                name = name,
                by = refuser_phrase(&by),
                message = message
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Verdict;
    use crate::i18n::Lang;
    use crate::lab::ObjectRef;

    fn spec(expect: Admit, by: Option<RefusedBy>) -> Admission {
        Admission {
            runs: false,
            object: ObjectRef {
                kind: "Pod".into(),
                name: "root-probe".into(),
            },
            expect,
            by,
            message: None,
        }
    }

    fn refused(by: Refuser) -> Decision {
        Decision::Refused {
            by,
            message: crate::msg!("check-admission-by-api-server"),
            location: None,
        }
    }

    #[test]
    fn who_refused_is_read_from_the_api_servers_words() {
        let id = |n: &str| n.trim_start_matches("kubelab-x-").to_string();
        assert_eq!(
            refuser_of(
                "pods \"p\" is forbidden: violates PodSecurity \"restricted:v1.34\": runAsNonRoot != true",
                id
            ),
            Refuser::PodSecurity("restricted".into())
        );
        assert_eq!(
            refuser_of(
                "pods \"p\" is forbidden: ValidatingAdmissionPolicy 'kubelab-x-only-private' with binding 'kubelab-x-b' denied request: no",
                id
            ),
            Refuser::Policy("only-private".into())
        );
        assert_eq!(
            refuser_of("Pod \"p\" is invalid: spec", id),
            Refuser::ApiServer
        );
    }

    #[test]
    fn verdicts_follow_the_expectation_and_the_refuser() {
        let restricted = Some(RefusedBy::PodSecurity("restricted".into()));
        let cases = [
            (
                spec(Admit::Refused, restricted.clone()),
                refused(Refuser::PodSecurity("restricted".into())),
                Verdict::Pass,
            ),
            (
                spec(Admit::Refused, restricted.clone()),
                refused(Refuser::PodSecurity("baseline".into())),
                Verdict::Fail,
            ),
            (
                spec(Admit::Refused, restricted.clone()),
                Decision::Admitted,
                Verdict::Fail,
            ),
            (
                spec(Admit::Refused, None),
                refused(Refuser::ApiServer),
                Verdict::Pass,
            ),
            (
                spec(Admit::Admitted, None),
                Decision::Admitted,
                Verdict::Pass,
            ),
            (
                spec(Admit::Admitted, None),
                refused(Refuser::Policy("p".into())),
                Verdict::Fail,
            ),
            (
                spec(Admit::Admitted, None),
                Decision::Unknown(crate::msg!("check-admission-by-api-server")),
                Verdict::Skip,
            ),
        ];
        for (spec, decision, verdict) in cases {
            let outcome = judge(&spec, decision.clone(), None);
            assert_eq!(
                outcome.verdict,
                verdict,
                "{decision:?}: {}",
                outcome.message.render(Lang::En)
            );
        }
        let outcome = judge(
            &spec(Admit::Refused, restricted),
            refused(Refuser::PodSecurity("baseline".into())),
            None,
        );
        assert_eq!(
            outcome.message.render(Lang::En),
            "Pod `root-probe` is refused by Pod Security admission at level `baseline`, but Pod Security admission at level `restricted` must refuse it: the API server"
        );
    }
}
