//! `run-as` (`id -u`, `id -g`, `id -G`; `whoami` shown), `rootfs-readonly` (the root
//! mount's options, and the seed's `touch /testfile`), `no-privilege-escalation`
//! (`NoNewPrivs` of the container's process).

use super::{LiveContext, target_ready};
use crate::check::outcome::Outcome;
use crate::cluster::exec::ExecOutput;
use crate::lab::{RunAs, Target};
use std::time::Duration;

const EXEC_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) async fn run(
    target: &Target,
    ctx: &LiveContext<'_>,
    command: &[&str],
) -> Result<ExecOutput, Outcome> {
    let (sandbox, pod) = ctx.pod(&target.pod);
    sandbox
        .exec(&pod, target.container.as_deref(), command, EXEC_TIMEOUT)
        .await
        .map_err(|e| Outcome::error(crate::check::cluster_error(e)))
}

async fn number(target: &Target, ctx: &LiveContext<'_>, command: &[&str]) -> Result<i64, Outcome> {
    let out = run(target, ctx, command).await?;
    out.stdout.trim().parse().map_err(|_| {
        Outcome::error(crate::msg!(
            "check-command-printed",
            command = command.join(" "),
            output = format!("{:?}", out.combined()),
            code = out.code.to_string()
        ))
    })
}

/// The container's effective settings from the pod as the API server holds it, for a
/// container that has no `id`, `cat` or `touch` to observe them with (a minimal image):
/// the pod's fields decide, the image's known user where none is set
/// (`check::image_facts`, proven against the test cluster by `tests/live_image_facts.rs`).
async fn effective_from_spec(
    target: &Target,
    ctx: &LiveContext<'_>,
) -> Result<crate::check::security_context::Effective, Outcome> {
    let (sandbox, name) = ctx.pod(&target.pod);
    let pod = sandbox
        .pods()
        .get(&name)
        .await
        .map_err(|e| Outcome::error(crate::check::cluster_error(e)))?;
    let (index, container) =
        crate::check::security_context::find_container(&pod, target.container.as_deref())
            .ok_or_else(|| Outcome::error(crate::msg!("check-pod-did-not-deserialize")))?;
    Ok(crate::check::security_context::effective(
        &pod, index, container,
    ))
}

/// `run-as` for a container without `id`: judged on [`effective_from_spec`].
async fn run_as_without_id(spec: &RunAs, ctx: &LiveContext<'_>, output: &str) -> Outcome {
    let eff = match effective_from_spec(&spec.target, ctx).await {
        Ok(eff) => eff,
        Err(outcome) => return outcome,
    };
    if let Some(why) = crate::check::security_context::unknown_image(&eff, true) {
        return Outcome::skip(why);
    }
    let why = match &eff.uid.from {
        Some(path) => crate::msg!("check-source-field", path = path.to_string()),
        None => crate::msg!(
            "check-source-image-user",
            image = eff.image.as_str(),
            uid = eff.uid.value
        ),
    };
    let no_id = crate::msg!("check-no-id", output = output);
    let sc = eff.container_path.key("securityContext").to_string();
    if spec.non_root && eff.uid.value == 0 {
        return Outcome::fail(crate::msg!("check-run-as-root", why = why, sc = sc), None)
            .with_detail(no_id);
    }
    if let Some(uid) = spec.uid
        && uid != eff.uid.value
    {
        return Outcome::fail(
            crate::msg!(
                "check-run-as-uid-wrong",
                actual = eff.uid.value,
                why = why,
                uid = uid,
                sc = sc
            ),
            None,
        )
        .with_detail(no_id);
    }
    if let Some(gid) = spec.gid
        && gid != eff.gid.value
    {
        return Outcome::fail(
            crate::msg!(
                "check-run-as-gid-wrong",
                actual = eff.gid.value,
                why = crate::msg!(
                    "check-source-image-group",
                    image = eff.image.as_str(),
                    gid = eff.gid.value
                ),
                gid = gid
            ),
            None,
        )
        .with_detail(no_id);
    }
    Outcome::pass(crate::msg!(
        "check-run-as-uid",
        uid = eff.uid.value,
        why = why
    ))
    .with_detail(no_id)
}

pub async fn run_as(spec: &RunAs, ctx: &LiveContext<'_>) -> Outcome {
    if let Err(outcome) = target_ready(&spec.target, ctx).await {
        return outcome;
    }
    let target = &spec.target;
    match run(target, ctx, &["id", "-u"]).await {
        Ok(out) if out.code == crate::cluster::exec::NOT_FOUND => {
            return run_as_without_id(spec, ctx, &out.combined()).await;
        }
        Ok(_) => {}
        Err(outcome) => return outcome,
    }
    let whoami = run(target, ctx, &["whoami"])
        .await
        .map(|o| o.combined())
        .unwrap_or_default();
    let mut seen = Vec::new();
    if spec.non_root {
        match number(target, ctx, &["id", "-u"]).await {
            Ok(0) => {
                return Outcome::fail(
                    crate::msg!("check-command-must-not-be", command = "id -u", actual = "0"),
                    None,
                )
                .with_detail(crate::msg!("check-whoami", user = whoami));
            }
            Ok(actual) if spec.uid.is_none() => seen.push(crate::msg!(
                "check-command-is",
                command = "id -u",
                value = actual.to_string()
            )),
            Ok(_) => {}
            Err(outcome) => return outcome,
        }
    }
    if let Some(uid) = spec.uid {
        match number(target, ctx, &["id", "-u"]).await {
            Ok(actual) if actual == uid => seen.push(crate::msg!(
                "check-command-is",
                command = "id -u",
                value = uid.to_string()
            )),
            Ok(actual) => {
                return Outcome::fail(
                    crate::msg!(
                        "check-command-must-be",
                        command = "id -u",
                        actual = actual.to_string(),
                        expected = uid.to_string()
                    ),
                    None,
                )
                .with_detail(crate::msg!("check-whoami", user = whoami));
            }
            Err(outcome) => return outcome,
        }
    }
    if let Some(gid) = spec.gid {
        match number(target, ctx, &["id", "-g"]).await {
            Ok(actual) if actual == gid => seen.push(crate::msg!(
                "check-command-is",
                command = "id -g",
                value = gid.to_string()
            )),
            Ok(actual) => {
                return Outcome::fail(
                    crate::msg!(
                        "check-command-must-be",
                        command = "id -g",
                        actual = actual.to_string(),
                        expected = gid.to_string()
                    ),
                    None,
                );
            }
            Err(outcome) => return outcome,
        }
    }
    if !spec.groups.is_empty() {
        let out = match run(target, ctx, &["id", "-G"]).await {
            Ok(out) => out,
            Err(outcome) => return outcome,
        };
        let groups: Vec<i64> = out
            .stdout
            .split_whitespace()
            .filter_map(|g| g.parse().ok())
            .collect();
        let missing: Vec<i64> = spec
            .groups
            .iter()
            .copied()
            .filter(|g| !groups.contains(g))
            .collect();
        if !missing.is_empty() {
            return Outcome::fail(
                crate::msg!(
                    "check-id-groups-lack",
                    groups = format!("{groups:?}"),
                    missing = format!("{missing:?}")
                ),
                None,
            );
        }
        seen.push(crate::msg!(
            "check-id-groups-include",
            groups = format!("{:?}", spec.groups)
        ));
    }
    let message = crate::check::comma_list(seen).unwrap_or_else(|| crate::msg!("check-runs"));
    Outcome::pass(message).with_detail(crate::msg!("check-whoami", user = whoami))
}

/// The options of the mount at `/` in `/proc/self/mounts` (the last one wins).
pub fn root_mount_options(mounts: &str) -> Option<Vec<String>> {
    mounts
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields.len() >= 4 && fields[1] == "/")
                .then(|| fields[3].split(',').map(str::to_string).collect())
        })
        .next_back()
}

pub async fn rootfs_readonly(target: &Target, ctx: &LiveContext<'_>) -> Outcome {
    if let Err(outcome) = target_ready(target, ctx).await {
        return outcome;
    }
    let mounts = match run(target, ctx, &["cat", "/proc/self/mounts"]).await {
        Ok(out) if out.code == crate::cluster::exec::NOT_FOUND => {
            // No `cat` (a minimal image): the pod's field as the API server holds it.
            let eff = match effective_from_spec(target, ctx).await {
                Ok(eff) => eff,
                Err(outcome) => return outcome,
            };
            let no_tools = crate::msg!("check-no-cat", output = out.combined());
            return if eff.read_only_root.value {
                Outcome::pass(crate::msg!("check-rootfs-ro-by-spec")).with_detail(no_tools)
            } else {
                Outcome::fail(crate::msg!("check-rootfs-rw-by-spec"), None).with_detail(no_tools)
            };
        }
        Ok(out) if out.code == 0 => out.stdout,
        Ok(out) => {
            return Outcome::error(crate::msg!(
                "check-cannot-read-mounts",
                output = out.combined()
            ));
        }
        Err(outcome) => return outcome,
    };
    let touch = match run(target, ctx, &["touch", "/testfile"]).await {
        Ok(out) => out,
        Err(outcome) => return outcome,
    };
    let shown = if touch.code == 0 {
        crate::msg!("check-touch-succeeded")
    } else {
        crate::msg!("check-touch-output", output = touch.combined())
    };
    match root_mount_options(&mounts) {
        Some(options) if options.iter().any(|o| o == "ro") => {
            if touch.code != 0 && touch.combined().contains("Read-only file system") {
                Outcome::pass(crate::msg!("check-rootfs-mounted-ro", shown = shown))
            } else {
                Outcome::error(crate::msg!("check-rootfs-ro-but-writable", shown = shown))
            }
        }
        Some(_) => Outcome::fail(crate::msg!("check-rootfs-mounted-rw", shown = shown), None),
        None => Outcome::error(crate::msg!("check-no-root-mount")),
    }
}

/// `NoNewPrivs:` of the container's first process.
pub fn no_new_privs(status: &str) -> Option<bool> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("NoNewPrivs:"))
        .map(|v| v.trim() == "1")
}

pub async fn no_privilege_escalation(target: &Target, ctx: &LiveContext<'_>) -> Outcome {
    if let Err(outcome) = target_ready(target, ctx).await {
        return outcome;
    }
    match run(target, ctx, &["cat", "/proc/1/status"]).await {
        Ok(out) => match no_new_privs(&out.stdout) {
            Some(true) => Outcome::pass(crate::msg!("check-no-new-privs-1")),
            Some(false) => Outcome::fail(crate::msg!("check-no-new-privs-0"), None),
            None => Outcome::error(crate::msg!(
                "check-no-new-privs-line",
                output = out.combined()
            )),
        },
        Err(outcome) => outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_mount_is_found_in_proc_mounts() {
        let mounts =
            "overlay / overlay ro,relatime,lowerdir=/a 0 0\nproc /proc proc rw,nosuid 0 0\n";
        assert_eq!(root_mount_options(mounts).unwrap()[0], "ro");
        assert_eq!(root_mount_options("proc /proc proc rw 0 0\n"), None);
    }

    #[test]
    fn no_new_privs_is_read_from_status() {
        assert_eq!(
            no_new_privs("Name:\tsleep\nNoNewPrivs:\t1\nSeccomp:\t2\n"),
            Some(true)
        );
        assert_eq!(no_new_privs("NoNewPrivs:\t0\n"), Some(false));
        assert_eq!(no_new_privs("Name:\tsleep\n"), None);
    }
}
