//! Known images: what kubelab knows about the images the labs and the test cluster use,
//! so that offline grading can predict what only the image decides — the user a
//! container runs as when no `runAsUser` is set, whether `exec sh` can run, and whether
//! the image's default command keeps running without a terminal.
//!
//! Every fact comes from the image's configuration (`User`, `Entrypoint`, `Cmd`) and
//! contents as the test cluster builds them (`tests/cluster/images`, from Debian
//! packages), which mirror the public images of the same names; where the public image
//! differs, the doc comment of the entry says so. `tests/live_image_facts.rs` checks every
//! fact against the test cluster's images: the images are the truth.
//!
//! An image kubelab does not know is [`lookup`]'s `None`: offline grading then says so
//! and does not guess (a check whose verdict depends on the missing fact is `skip`).

use crate::check::registry::ImageRef;

/// What an image does by default, as its configuration and contents decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageFacts {
    /// How the facts name the image, e.g. `docker.io/library/busybox:1.28`.
    pub name: &'static str,
    /// The image config's `User` as numbers (no `User`: root, `0`).
    pub uid: i64,
    pub gid: i64,
    /// The image config's `Entrypoint` and `Cmd`: what runs when the pod sets neither
    /// `command` nor `args`.
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// Whether `/bin/sh` exists (so `kubectl exec … -- sh` can start).
    pub shell: bool,
    /// Whether the default command keeps running without a terminal or stdin, as a pod
    /// runs it (`busybox`'s `sh` reads an empty stdin and exits at once).
    pub keeps_running: bool,
    /// Every executable file of the image but its shared libraries (`*.so`, `*.so.*`),
    /// as absolute paths, when kubelab knows the whole list (a minimal image); `None`
    /// when the image holds more programs than kubelab lists (then only [`Self::shell`]
    /// says what cannot run). A container whose command names another program does not
    /// start (`RunContainerError`: `executable file not found in $PATH`).
    pub programs: Option<&'static [&'static str]>,
    /// The manifest digest (`sha256:…`) the test cluster serves the image by, when
    /// kubelab builds it reproducibly; a reference pinned to another digest of the same
    /// repository names an image the registry does not have.
    pub digest: Option<&'static str>,
}

/// The manifest digest of `kubelab/app:1.0-minimal` (`tests/cluster/images` builds it
/// reproducibly; `tests/live_image_facts.rs` compares it with the registry's).
pub const APP_MINIMAL_DIGEST: &str =
    "sha256:df39e81dd8e4f022767058bf703f7812481eba600e2406ee8642a0a99276723e";
/// The manifest digest of `kubelab/app:1.0`.
pub const APP_DIGEST: &str =
    "sha256:5290bd592d7fd0e358d77df8cc87df3a89a60051bc97929b76a14fd52eb9f123";

/// busybox (`busybox:1.28`, `busybox:latest`): `Cmd ["sh"]`, no `User` (root). Without
/// a terminal `sh` reads an empty stdin and exits 0 at once, so a pod with no `command`
/// restarts until `CrashLoopBackOff`. Test cluster: Debian `busybox-static` applets and
/// OpenBSD `nc`; upstream: the same configuration.
const BUSYBOX: ImageFacts = ImageFacts {
    name: "docker.io/library/busybox",
    uid: 0,
    gid: 0,
    entrypoint: &[],
    cmd: &["sh"],
    shell: true,
    keeps_running: false,
    programs: None,
    digest: None,
};

/// Every image kubelab knows: (registry, repository, tag or `*` for any registry /
/// tag, facts).
const KNOWN: &[(&str, &str, &str, ImageFacts)] = &[
    ("docker.io", "library/busybox", "1.28", BUSYBOX),
    ("docker.io", "library/busybox", "latest", BUSYBOX),
    // redis: test cluster `Entrypoint ["redis-server"]`, `Cmd ["--protected-mode", "no",
    // "--save"]` (umoci drops the empty argument the build script gives), no `User`, busybox beside it. Upstream's entrypoint script starts
    // as root and drops to uid 999 for the server only; the image's user (what `exec`
    // and `runAsNonRoot` see) is root there too.
    (
        "docker.io",
        "library/redis",
        "latest",
        ImageFacts {
            name: "docker.io/library/redis:latest",
            uid: 0,
            gid: 0,
            entrypoint: &["redis-server"],
            cmd: &["--protected-mode", "no", "--save"],
            shell: true,
            keeps_running: true,
            programs: None,
            digest: None,
        },
    ),
    // registry:2: `Entrypoint ["registry"]`, `Cmd ["serve",
    // "/etc/docker/registry/config.yml"]`, root, busybox beside it (upstream: Alpine).
    (
        "docker.io",
        "library/registry",
        "2",
        ImageFacts {
            name: "docker.io/library/registry:2",
            uid: 0,
            gid: 0,
            entrypoint: &["registry"],
            cmd: &["serve", "/etc/docker/registry/config.yml"],
            shell: true,
            keeps_running: true,
            programs: None,
            digest: None,
        },
    ),
    // The test cluster's authenticated registry's image: busybox, `Entrypoint
    // ["/bin/sh"]`, `Cmd ["-c", "echo private image running; exec sleep 360000"]`, root.
    (
        "127.0.0.1:5001",
        "private/app",
        "1.0",
        ImageFacts {
            name: "127.0.0.1:5001/private/app:1.0",
            uid: 0,
            gid: 0,
            entrypoint: &["/bin/sh"],
            cmd: &["-c", "echo private image running; exec sleep 360000"],
            shell: true,
            keeps_running: true,
            programs: None,
            digest: None,
        },
    ),
    // The private-registry lab's image, which kubelab seeds into the lab's own registry
    // (`cluster::registry::seed_script`, any registry address): the static busybox of
    // `busybox:1.28`, `Cmd ["sleep", "3600"]`, no `User`.
    (
        "*",
        "kubelab/private-app",
        "1.0",
        ImageFacts {
            name: "<lab registry>/kubelab/private-app:1.0",
            uid: 0,
            gid: 0,
            entrypoint: &[],
            cmd: &["sleep", "3600"],
            shell: true,
            keeps_running: true,
            programs: None,
            digest: None,
        },
    ),
    // kubelab's sample app on a minimal image (`tests/cluster/images`, `app-minimal`):
    // the static `/app` (`tests/cluster/app/app.c`, listens on 8080, runs forever),
    // Debian's libc6 and ca-certificates files with their dpkg status, no shell, `User
    // 65532:65532` as distroless' `nonroot`.
    (
        "docker.io",
        "kubelab/app",
        "1.0-minimal",
        ImageFacts {
            name: "docker.io/kubelab/app:1.0-minimal",
            uid: 65532,
            gid: 65532,
            entrypoint: &["/app"],
            cmd: &[],
            shell: false,
            keeps_running: true,
            // ca-certificates' example `debian/rules` has an exec bit too (a make file:
            // with no `make` in the image it cannot run either).
            programs: Some(&[
                "/app",
                "/usr/share/doc/ca-certificates/examples/ca-certificates-local/debian/rules",
            ]),
            digest: Some(APP_MINIMAL_DIGEST),
        },
    ),
    // The same app on busybox: a shell, every applet, no `User` (root).
    (
        "docker.io",
        "kubelab/app",
        "1.0",
        ImageFacts {
            name: "docker.io/kubelab/app:1.0",
            uid: 0,
            gid: 0,
            entrypoint: &["/app"],
            cmd: &[],
            shell: true,
            keeps_running: true,
            programs: None,
            digest: Some(APP_DIGEST),
        },
    ),
    // registry.k8s.io/pause:3.10.1: k8s' `pause.c`, static, `User 65535:65535`; as a
    // pod's container on the test cluster (containerd 1.6) its process has GID 0, which
    // `tests/live_image_facts.rs` observed: the process is the truth.
    (
        "registry.k8s.io",
        "pause",
        "3.10.1",
        ImageFacts {
            name: "registry.k8s.io/pause:3.10.1",
            uid: 65535,
            gid: 0,
            entrypoint: &["/pause"],
            cmd: &[],
            shell: false,
            keeps_running: true,
            programs: Some(&["/pause"]),
            digest: None,
        },
    ),
];

/// What an image reference names for the facts: kubelab knows it, its repository is
/// known but pinned to a digest the registry does not serve, or it is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Known(&'static ImageFacts),
    /// A known repository at a digest none of its known images has: the pull fails
    /// (`manifest unknown`).
    UnknownDigest(&'static str),
    Unknown,
}

/// The facts of the image `reference` names as a pod writes it (`busybox:1.28`,
/// `docker.io/kubelab/app@sha256:…`, `kubelab/app:1.0-minimal@sha256:…`). A digest
/// decides over a tag, as the container runtime pulls by digest then.
pub fn lookup(reference: &str) -> Lookup {
    let (named, digest) = match reference.split_once('@') {
        Some((named, digest)) => (named, Some(digest)),
        None => (reference, None),
    };
    let image = ImageRef::parse(named);
    let repository_known = |(registry, repository, _, _): &&(&str, &str, &str, ImageFacts)| {
        (*registry == "*" || *registry == image.registry) && *repository == image.repository
    };
    if let Some(digest) = digest {
        let mut same_repository = KNOWN.iter().filter(repository_known).peekable();
        if same_repository.peek().is_none() {
            return Lookup::Unknown;
        }
        return match same_repository.find(|(.., f)| f.digest == Some(digest)) {
            Some((.., facts)) => Lookup::Known(facts),
            // A repository whose images have no known digest: not decidable.
            None if KNOWN
                .iter()
                .filter(repository_known)
                .all(|(.., f)| f.digest.is_none()) =>
            {
                Lookup::Unknown
            }
            None => {
                Lookup::UnknownDigest(KNOWN.iter().find(repository_known).map_or("", |k| k.3.name))
            }
        };
    }
    KNOWN
        .iter()
        .filter(repository_known)
        .find(|(.., tag, _)| *tag == image.tag)
        .map_or(Lookup::Unknown, |(.., facts)| Lookup::Known(facts))
}

/// Every known image, as (registry, repository, tag, facts): `*` stands for any
/// registry; for the live test.
pub fn known() -> &'static [(&'static str, &'static str, &'static str, ImageFacts)] {
    KNOWN
}

/// Whether `command` (an exec's argv) starts a shell: `sh`, `bash`, `ash`, or one of
/// them by path.
pub fn is_shell(command: &[String]) -> bool {
    command
        .first()
        .is_some_and(|program| is_shell_program(program))
}

/// Whether `program` (by name or path) is a shell: `sh`, `bash`, `ash` or `dash`.
fn is_shell_program(program: &str) -> bool {
    let base = program.rsplit('/').next().unwrap_or(program);
    matches!(base, "sh" | "bash" | "ash" | "dash")
}

/// The directories of the container runtime's default `PATH`
/// (`/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`), where a program
/// named without a `/` is looked up.
const DEFAULT_PATH: &[&str] = &[
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
];

impl ImageFacts {
    /// Whether the image can start `program` (a container's `command[0]`, as written):
    /// `Some(false)` when the facts say it is not there, `None` when they do not tell.
    pub fn has_program(&self, program: &str) -> Option<bool> {
        if let Some(programs) = self.programs {
            let found = if program.contains('/') {
                programs.contains(&program)
            } else {
                programs.iter().any(|p| {
                    p.rsplit_once('/')
                        .is_some_and(|(dir, name)| name == program && DEFAULT_PATH.contains(&dir))
                })
            };
            return Some(found);
        }
        (!self.shell && is_shell_program(program)).then_some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(reference: &str) -> Option<&'static ImageFacts> {
        match lookup(reference) {
            Lookup::Known(facts) => Some(facts),
            _ => None,
        }
    }

    #[test]
    fn references_are_normalized_the_way_runtimes_do() {
        assert_eq!(facts("busybox:1.28").unwrap().uid, 0);
        assert_eq!(
            facts("docker.io/library/busybox:1.28"),
            facts("busybox:1.28")
        );
        assert_eq!(facts("busybox"), facts("busybox:latest"));
        assert!(!facts("busybox").unwrap().keeps_running);
        assert_eq!(facts("redis").unwrap().entrypoint, ["redis-server"]);
        assert_eq!(facts("kubelab/app:1.0-minimal").unwrap().uid, 65532);
        assert!(!facts("docker.io/kubelab/app:1.0-minimal").unwrap().shell);
        assert!(facts("kubelab/app:1.0").unwrap().shell);
        assert_eq!(
            facts("127.0.0.1:30050/kubelab/private-app:1.0")
                .unwrap()
                .cmd,
            ["sleep", "3600"]
        );
        assert_eq!(lookup("nginx:1.27"), Lookup::Unknown);
        assert_eq!(lookup("kubelab/app:2.0"), Lookup::Unknown);
        assert_eq!(lookup("busybox:1.36"), Lookup::Unknown);
    }

    #[test]
    fn a_digest_decides_over_the_tag() {
        let pinned = format!("kubelab/app@{APP_MINIMAL_DIGEST}");
        assert_eq!(facts(&pinned).unwrap().uid, 65532);
        // The tag says minimal, the digest is the fat image's: the digest wins.
        let both = format!("kubelab/app:1.0-minimal@{APP_DIGEST}");
        assert_eq!(facts(&both).unwrap().uid, 0);
        let wrong = format!("kubelab/app@sha256:{}", "0".repeat(64));
        assert!(matches!(lookup(&wrong), Lookup::UnknownDigest(_)));
        // busybox has no known digest: not decidable, not a wrong digest.
        let unknown = format!("busybox@sha256:{}", "0".repeat(64));
        assert_eq!(lookup(&unknown), Lookup::Unknown);
    }

    #[test]
    fn shells_by_name_or_path() {
        let argv = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_shell(&argv(&["sh"])));
        assert!(is_shell(&argv(&["/bin/sh", "-c", "id"])));
        assert!(!is_shell(&argv(&["id", "-u"])));
        assert!(!is_shell(&[]));
    }

    #[test]
    fn which_programs_an_image_can_start() {
        let minimal = facts("kubelab/app:1.0-minimal").unwrap();
        assert_eq!(minimal.has_program("/app"), Some(true));
        // `/` is not on the default PATH: `app` alone is not found.
        assert_eq!(minimal.has_program("app"), Some(false));
        assert_eq!(minimal.has_program("sh"), Some(false));
        assert_eq!(minimal.has_program("/bin/sh"), Some(false));
        assert_eq!(minimal.has_program("sleep"), Some(false));
        // busybox: the whole list is not known, but it has a shell.
        let busybox = facts("busybox:1.28").unwrap();
        assert_eq!(busybox.has_program("sh"), None);
        assert_eq!(busybox.has_program("sleep"), None);
        // pause: no shell, and only `/pause`.
        let pause = facts("registry.k8s.io/pause:3.10.1").unwrap();
        assert_eq!(pause.has_program("bash"), Some(false));
        assert_eq!(pause.has_program("/pause"), Some(true));
    }
}
