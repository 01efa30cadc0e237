//! Loading learner input end to end: positions, schema problems and input errors.

use super::*;
use rstest::rstest;
use std::fs;

const SECURE_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: secure-pod
spec:
  securityContext:
    runAsUser: 1000
    runAsGroup: 3000
    fsGroup: 2000
  containers:
  - name: secure-container
    image: busybox:1.28
    command: [ \"sh\", \"-c\", \"sleep 1h\" ]
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFileSystem: true
      capabilities:
        drop: [\"ALL\"]
";

fn one(text: &str) -> Object {
    let mut objects = load_text("t.yaml", text).unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(objects.len(), 1);
    objects.remove(0)
}

fn at(object: &Object, path: &str) -> (usize, usize) {
    let l = object.locate(&FieldPath::parse(path));
    (l.line, l.column)
}

fn messages(object: &Object) -> Vec<String> {
    object
        .problems
        .iter()
        .map(|p| p.message.to_string())
        .collect()
}

fn err(text: &str) -> InputError {
    load_text("t.yaml", text).expect_err("input must be refused")
}

#[test]
fn typo_is_reported_at_its_line_and_column() {
    let pod = one(SECURE_POD);
    assert_eq!(pod.name, "secure-pod");
    assert_eq!(pod.problems.len(), 1, "{:?}", pod.problems);
    let problem = &pod.problems[0];
    assert_eq!(
        problem.message.to_string(),
        "unknown field \"readOnlyRootFileSystem\" in spec.containers[0].securityContext; did you mean \"readOnlyRootFilesystem\"?"
    );
    assert_eq!(
        problem.path.to_string(),
        "spec.containers[0].securityContext.readOnlyRootFileSystem"
    );
    assert_eq!((problem.location.line, problem.location.column), (16, 7));
    assert_eq!(problem.location.file, "t.yaml");
}

#[test]
fn the_correct_manifest_has_no_problems() {
    let pod = one(&SECURE_POD.replace("FileSystem", "Filesystem"));
    assert!(pod.problems.is_empty(), "{:?}", pod.problems);
    let typed: k8s_openapi::api::core::v1::Pod = pod.typed().unwrap();
    let sc = typed.spec.unwrap().containers[0]
        .security_context
        .clone()
        .unwrap();
    assert_eq!(sc.read_only_root_filesystem, Some(true));
}

#[test]
fn positions_in_block_style() {
    let pod = one(SECURE_POD);
    assert_eq!(at(&pod, ""), (1, 1));
    assert_eq!(at(&pod, "metadata.name"), (4, 3));
    assert_eq!(at(&pod, "spec.securityContext.fsGroup"), (9, 5));
    assert_eq!(at(&pod, "spec.containers[0]"), (11, 5));
    assert_eq!(at(&pod, "spec.containers[0].command[2]"), (13, 28));
    assert_eq!(
        at(
            &pod,
            "spec.containers[0].securityContext.capabilities.drop[0]"
        ),
        (18, 16)
    );
    // fallbacks: the nearest ancestor that was written
    assert_eq!(
        at(&pod, "spec.containers[0].securityContext.runAsNonRoot"),
        (14, 5)
    );
    assert_eq!(at(&pod, "spec.containers[3].image"), (10, 3));
    assert_eq!(at(&pod, "status.phase"), (1, 1));
    assert!(
        pod.written_at(&FieldPath::parse("spec.hostNetwork"))
            .is_none()
    );
    assert_eq!(
        pod.written_at(&FieldPath::parse("spec")).map(|l| l.line),
        Some(5)
    );
}

#[test]
fn string_where_an_integer_belongs() {
    let pod = one(&SECURE_POD.replace("runAsUser: 1000", "runAsUser: \"1000\""));
    let problem = pod
        .problems
        .iter()
        .find(|p| p.message.contains("expected an integer"))
        .unwrap_or_else(|| panic!("{:?}", pod.problems));
    assert_eq!(
        problem.message.to_string(),
        "spec.securityContext.runAsUser: expected an integer, found the string \"1000\""
    );
    assert_eq!((problem.location.line, problem.location.column), (7, 5));
    // the unknown field is still reported
    assert!(
        pod.problems.iter().any(|p| p.location.line == 16),
        "{:?}",
        pod.problems
    );
    assert!(pod.typed::<k8s_openapi::api::core::v1::Pod>().is_none());
}

#[test]
fn container_field_at_pod_level() {
    let text = SECURE_POD.replace(
        "    fsGroup: 2000\n",
        "    fsGroup: 2000\n    readOnlyRootFilesystem: true\n",
    );
    let pod = one(&text.replace("FileSystem", "Filesystem"));
    assert_eq!(
        messages(&pod),
        [
            "unknown field \"readOnlyRootFilesystem\" in spec.securityContext (it is a container-level field: spec.containers[*].securityContext)"
        ]
    );
    assert_eq!(
        at(&pod, "spec.securityContext.readOnlyRootFilesystem"),
        (10, 5)
    );
    assert_eq!(pod.problems[0].location.line, 10);
}

#[test]
fn pod_field_at_container_level_in_a_deployment() {
    let deployment = one("apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext:
        allowPrivilegeEscalation: false
      containers:
      - name: web
        image: nginx
        securityContext:
          fsGroup: 2000
");
    assert_eq!(
        messages(&deployment),
        [
            "unknown field \"allowPrivilegeEscalation\" in spec.template.spec.securityContext (it is a container-level field: spec.template.spec.containers[*].securityContext)",
            "unknown field \"fsGroup\" in spec.template.spec.containers[0].securityContext (it is a pod-level field: spec.template.spec.securityContext)",
        ]
    );
    let lines: Vec<_> = deployment
        .problems
        .iter()
        .map(|p| p.location.line)
        .collect();
    assert_eq!(lines, [10, 15]);
}

#[test]
fn network_policies_round_trip_without_problems() {
    let policy = one("apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-deny
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: []
");
    assert!(policy.problems.is_empty(), "{:?}", policy.problems);
    assert_eq!(policy.value["spec"]["ingress"], serde_json::json!([]));
    let allow = one("apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-allow, namespace: lab}
spec:
  podSelector:
    matchLabels: {role: db}
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: api
    ports:
    - protocol: TCP
      port: 6379
    - port: redis
");
    assert!(allow.problems.is_empty(), "{:?}", allow.problems);
    assert_eq!(allow.namespace.as_deref(), Some("lab"));
    assert_eq!(at(&allow, "spec.ingress[0].ports[1].port"), (15, 7));
    assert_eq!(
        at(
            &allow,
            "spec.ingress[0].from[0].podSelector.matchLabels.app"
        ),
        (11, 11)
    );
}

#[test]
fn services_and_secrets_without_problems() {
    let objects = load_text(
        "s.yaml",
        "apiVersion: v1
kind: Service
metadata: {name: db-pod}
spec:
  selector: {role: db}
  ports:
  - {port: 6379, protocol: TCP, targetPort: redis}
---
apiVersion: v1
kind: Secret
metadata: {name: regcred}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6e319
stringData:
  note: plain text
",
    )
    .unwrap();
    assert_eq!(objects.len(), 2);
    for object in &objects {
        assert!(object.problems.is_empty(), "{:?}", object.problems);
    }
    assert_eq!(objects[1].kind, "Secret");
    assert_eq!(objects[1].location().line, 9);
    assert_eq!(at(&objects[1], "data..dockerconfigjson"), (13, 1));
    assert_eq!(at(&objects[1], "stringData.note"), (16, 3));
}

#[test]
fn integer_where_a_string_belongs() {
    let pod = one(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api-pod}\nspec:\n  containers:\n  - name: api-pod\n    image: busybox:1.28\n    args: [sleep, 3600]\n",
    );
    assert_eq!(
        messages(&pod),
        ["spec.containers[0].args[1]: expected a string, found the integer 3600"]
    );
    assert_eq!(
        (
            pod.problems[0].location.line,
            pod.problems[0].location.column
        ),
        (8, 19)
    );
}

#[test]
fn missing_name_and_duplicate_keys() {
    let pod = one(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\nspec:\n  containers:\n  - name: c\n    image: x\n    image: y\n",
    );
    assert_eq!(
        messages(&pod),
        [
            "metadata.name is missing: every Pod needs a name",
            "spec.containers[0].image: duplicate field \"image\" (first written at line 8); the API server refuses duplicate keys",
        ]
    );
    assert_eq!(pod.problems[0].location.line, 3);
    assert_eq!(pod.problems[1].location.line, 9);
    let bare = one("apiVersion: v1\nkind: ConfigMap\n");
    assert_eq!(bare.problems[0].location.line, 1);
}

#[test]
fn json_positions() {
    let objects = load_text(
        "pod.json",
        "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"p\"},\n  \"spec\": {\n    \"securityContext\": {\"runAsUser\": \"1000\"},\n    \"containers\": [{\"name\": \"c\", \"image\": \"x\"}]\n  }\n}\n",
    )
    .unwrap();
    let pod = &objects[0];
    assert_eq!(at(pod, "spec.securityContext.runAsUser"), (6, 25));
    assert_eq!(at(pod, "spec.containers[0].image"), (7, 34));
    assert_eq!(pod.problems.len(), 1);
    assert_eq!(pod.problems[0].location.line, 6);
}

#[test]
fn multi_document_with_empty_documents_and_comments() {
    let objects = load_text(
        "m.yaml",
        "# header comment\n---\n---\napiVersion: v1 # inline\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: b\n...\n",
    )
    .unwrap();
    let names: Vec<_> = objects
        .iter()
        .map(|o| (o.kind.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(names, [("ConfigMap", "a"), ("ServiceAccount", "b")]);
    assert_eq!(at(&objects[0], "metadata.name"), (6, 12));
    assert_eq!(at(&objects[1], "metadata.name"), (13, 3));
}

#[test]
fn list_items_are_objects_located_in_the_list() {
    let objects = load_text(
        "list.yaml",
        "apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a}
  spec:
    containers: [{name: c, image: x}]
- apiVersion: v1
  kind: Service
  metadata:
    name: b
  spec:
    ports:
    - port: 80
      bogus: 1
",
    )
    .unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0].location().line, 4);
    assert_eq!(at(&objects[0], "spec.containers[0].image"), (8, 28));
    assert_eq!(objects[1].location().line, 9);
    assert_eq!(at(&objects[1], "metadata.name"), (12, 5));
    assert_eq!(
        messages(&objects[1]),
        ["unknown field \"bogus\" in spec.ports[0]"]
    );
    assert_eq!(objects[1].problems[0].location.line, 16);
    assert_eq!(
        objects[1].problems[0].path.to_string(),
        "spec.ports[0].bogus"
    );

    let pods = load_text(
        "pods.yaml",
        "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n  spec: {containers: [{name: c, image: x}]}\n",
    )
    .unwrap();
    assert_eq!((pods[0].kind.as_str(), pods[0].name.as_str()), ("Pod", "a"));
    assert!(pods[0].problems.is_empty(), "{:?}", pods[0].problems);
}

#[test]
fn anchors_and_merge_keys_in_objects() {
    let objects = load_text(
        "a.yaml",
        "apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: &labels
    app: api
spec:
  securityContext: &sc
    runAsUser: 1000
  containers:
  - &base
    name: a
    image: busybox
  - <<: *base
    name: b
    imagePullPolicy: Nevr
    securityContex: {}
",
    )
    .unwrap();
    let pod = &objects[0];
    assert_eq!(pod.value["spec"]["containers"][1]["image"], "busybox");
    assert_eq!(pod.value["spec"]["containers"][1]["name"], "b");
    assert_eq!(at(pod, "spec.containers[1].name"), (15, 5));
    // a merged field is located at the `<<` that brought it
    assert_eq!(at(pod, "spec.containers[1].image"), (14, 5));
    assert_eq!(
        messages(pod),
        [
            "unknown field \"securityContex\" in spec.containers[1]; did you mean \"securityContext\"?"
        ]
    );
    assert_eq!(pod.problems[0].location.line, 17);
}

#[test]
fn snippet_numbers_lines() {
    let source = SourceFile {
        display: "x".into(),
        text: "a\nb\nc\nd\n".into(),
    };
    assert_eq!(snippet(&source, 2, 1), [(1, "a"), (2, "b"), (3, "c")]);
    assert_eq!(snippet(&source, 1, 0), [(1, "a")]);
    assert_eq!(
        snippet(&source, 4, 5),
        [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    );
}

// ---- input errors: each variant, its message and its line ----

#[test]
fn not_found() {
    let e = load_paths(&["/nonexistent/kubelab/x.yaml".into()]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/nonexistent/kubelab/x.yaml: no such file or directory"
    );
    assert!(e.first().render().contains("help: check the path"));
}

#[test]
fn unreadable() {
    let e = load_paths(&["/dev/null".into()]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/dev/null: cannot be read: not a regular file"
    );
}

#[test]
fn folders_are_walked_sorted_skipping_hidden_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("b/c")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    let cm = |name: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n");
    fs::write(root.join("b/c/z.yml"), cm("z")).unwrap();
    fs::write(root.join("a.yaml"), cm("a")).unwrap();
    fs::write(
        root.join("b/m.json"),
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"m\"}}",
    )
    .unwrap();
    fs::write(root.join(".git/x.yaml"), cm("hidden")).unwrap();
    fs::write(root.join("notes.txt"), "not yaml").unwrap();
    fs::write(root.join("extra.txt"), cm("named")).unwrap();
    let submission = load_paths(&[
        root.to_path_buf(),
        root.join("extra.txt"),
        root.join("a.yaml"),
    ])
    .unwrap();
    let names: Vec<_> = submission.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["a", "z", "m", "named"]);
    assert_eq!(submission.files.len(), 4);
    assert!(submission.files[1].display.ends_with("b/c/z.yml"));
    assert_eq!(
        submission.objects[2].location().file,
        submission.files[2].display
    );
}

#[test]
fn empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("readme.md"), "x").unwrap();
    let e = load_paths(&[dir.path().to_path_buf()]).unwrap_err();
    assert!(matches!(e.first(), InputError::EmptyFolder { .. }));
    assert!(
        e.to_string()
            .ends_with(": the folder contains no .yaml, .yml or .json file"),
        "{e}"
    );
}

#[rstest]
#[case("")]
#[case("# only a comment\n\n")]
#[case("---\n---\n")]
fn empty_file(#[case] text: &str) {
    let e = err(text);
    assert_eq!(
        e.to_string(),
        "t.yaml: the file is empty (it has no Kubernetes object, only blanks or comments)"
    );
}

#[test]
fn binary_files() {
    let e = err("apiVersion: v1\nki\0nd: Pod\n");
    assert_eq!(
        e.to_string(),
        "t.yaml:2:3: not a text file (it contains NUL bytes; is it a binary file, or saved as UTF-16?)"
    );
    let e = source::decode("b.yaml", b"a: 1\nb: \xff\xfe\n".to_vec()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "b.yaml:2:4: not a text file (it is not valid UTF-8)"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img.yaml");
    fs::write(&path, b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    let e = load_paths(&[path]).unwrap_err();
    assert!(
        matches!(e.first(), InputError::Binary { line: 3, .. }),
        "{e}"
    );
}

#[test]
fn too_large_is_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let file = fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap(); // sparse: instant to create, slow to read
    let e = load_paths(std::slice::from_ref(&path)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: the file is too large (50.0 MiB; the limit is 4 MiB)",
            path.display()
        )
    );
}

#[test]
fn malformed_yaml() {
    let e = err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n bad: indent\n");
    assert!(matches!(e, InputError::Syntax { line: 5, .. }), "{e}");
    assert!(e.to_string().starts_with("t.yaml:5:"), "{e}");
    assert!(e.render().contains("help: fix the YAML syntax"));
    // A `[` never closed: at the end of the line where its `]` belongs.
    let e = err("a: [1, 2\n");
    assert!(
        matches!(
            e,
            InputError::Unclosed {
                line: 1,
                column: 9,
                close: ']',
                ..
            }
        ),
        "{e}"
    );
    let e = err("a: *nowhere\n");
    assert!(
        e.to_string().starts_with("t.yaml:1:4: malformed YAML"),
        "{e}"
    );
}

#[test]
fn alias_bomb() {
    let mut text = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let started = std::time::Instant::now();
    let e = err(&text);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert!(matches!(e, InputError::AliasBomb { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("aliases expand to more than 100000 nodes"),
        "{e}"
    );
    assert!(e.to_string().starts_with("t.yaml:"), "{e}");
}

#[test]
fn too_deep() {
    let text = format!("a: {}1{}\n", "[".repeat(1000), "]".repeat(1000));
    let e = err(&text);
    assert!(matches!(e, InputError::TooDeep { line: 1, .. }), "{e}");
    assert!(
        e.to_string().contains("nested more than 256 levels deep"),
        "{e}"
    );
}

#[rstest]
#[case("- a\n- b\n", "a list")]
#[case("just text\n", "a string")]
#[case("42\n", "a number")]
fn not_a_mapping(#[case] text: &str, #[case] found: &str) {
    let e = err(text);
    assert_eq!(
        e.to_string(),
        format!(
            "t.yaml:1:1: the document is {found}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)"
        )
    );
}

#[test]
fn not_kubernetes() {
    let e = err("version: \"3\"\nservices:\n  web:\n    image: nginx\n");
    assert_eq!(
        e.to_string(),
        "t.yaml:1:1: not a Kubernetes object (it has neither apiVersion nor kind; is it another tool's YAML, such as a docker-compose file?)"
    );
    let e = err("apiVersion: v1\nkind: ConfigMap\n---\nmetadata: {}\nkind: Pod\n");
    assert_eq!(
        e.to_string(),
        "t.yaml:5:1: not a Kubernetes object (it has no apiVersion)"
    );
}

#[test]
fn unknown_kind() {
    let e = err("apiVersion: v1\nkind: pod\nmetadata: {name: x}\n");
    assert_eq!(
        e.to_string(),
        "t.yaml:2:1: unknown kind \"pod\" (apiVersion \"v1\"); did you mean \"Pod\"?"
    );
    assert!(
        e.render()
            .contains("help: kubelab knows these kinds: Pod, Service")
    );
    let e = err("apiVersion: example.com/v1\nkind: Widget\n");
    assert_eq!(
        e.to_string(),
        "t.yaml:2:1: unknown kind \"Widget\" (apiVersion \"example.com/v1\")"
    );
}

#[rstest]
#[case("v1")]
#[case("extensions/v1beta1")]
fn wrong_api_version(#[case] api_version: &str) {
    let e = err(&format!(
        "# policy\napiVersion: {api_version}\nkind: NetworkPolicy\nmetadata: {{name: x}}\n"
    ));
    assert_eq!(
        e.to_string(),
        format!(
            "t.yaml:2:1: kind \"NetworkPolicy\" is not served as apiVersion \"{api_version}\"; use \"networking.k8s.io/v1\""
        )
    );
    assert_eq!(
        e.render().lines().nth(1),
        Some("  help: write `apiVersion: networking.k8s.io/v1` for kind NetworkPolicy")
    );
    assert_eq!(e.location().map(|l| l.line), Some(2));
}

#[test]
fn no_panics_on_odd_input() {
    for text in [
        "? [a, b]\n: c\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: [1]}\n",
        "apiVersion: v1\nkind: List\nitems: {a: 1}\n",
        "apiVersion: v1\nkind: List\nitems: [1]\n",
        "apiVersion: [v1]\nkind: Pod\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [null, 1, {name: [1]}]}\n",
        "<<: 1\n",
        "&a a: *a\n",
        "\u{feff}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: é}\nspec: {containers: [{name: c, image: x, resources: {limits: {cpu: 1.5, memory: 1Gi}}}]}\n",
        "!!str 1: x\n",
        "\t",
        "{",
        "]",
        "'",
        "a: |\n  x\n",
    ] {
        let _ = load_text("odd.yaml", text);
    }
}

#[test]
fn every_type_error_and_unknown_field_is_found() {
    let pod = one("apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsUser: \"1000\"}
  containers:
  - name: a
    image: busybox
    args: [sleep, 3600]
    ports: {containerPort: 80}
  - name: b
    image: busybox
    imagePullPolicy: true
    securityContext: {readOnlyRootFileSystem: true, runAsGroup: \"x\"}
");
    let found: Vec<_> = pod
        .problems
        .iter()
        .map(|p| (p.location.line, p.message.to_string()))
        .collect();
    let found: Vec<_> = found.iter().map(|(l, m)| (*l, m.as_str())).collect();
    assert_eq!(
        found,
        [
            (
                5,
                "spec.securityContext.runAsUser: expected an integer, found the string \"1000\""
            ),
            (
                9,
                "spec.containers[0].args[1]: expected a string, found the integer 3600"
            ),
            (
                10,
                "spec.containers[0].ports: expected a list, found a mapping"
            ),
            (
                13,
                "spec.containers[1].imagePullPolicy: expected a string, found the boolean true"
            ),
            (
                14,
                "unknown field \"readOnlyRootFileSystem\" in spec.containers[1].securityContext; did you mean \"readOnlyRootFilesystem\"?"
            ),
            (
                14,
                "spec.containers[1].securityContext.runAsGroup: expected an integer, found the string \"x\""
            ),
        ]
    );
}

/// `cargo test --release --lib manifest::tests::throughput -- --ignored --nocapture`
#[test]
#[ignore = "a benchmark; run in release mode"]
fn throughput() {
    let policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-allow\nspec:\n  podSelector:\n    matchLabels: {role: db}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {app: api}\n    ports:\n    - {protocol: TCP, port: 6379}\n";
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: regcred}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6e319\n";
    let files = [SECURE_POD, policy, secret];
    let rounds = 5_000;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        for (i, text) in files.iter().enumerate() {
            let objects = load_text(&format!("f{i}.yaml"), text).unwrap();
            std::hint::black_box(objects);
        }
    }
    let per_second = f64::from(rounds) / started.elapsed().as_secs_f64();
    println!("{per_second:.0} submissions of 3 files per second");
}

#[test]
fn security_fields_outside_security_context() {
    let pod = one("apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  runAsUser: 1000
  containers:
  - name: a
    image: busybox
    readOnlyRootFilesystem: true
");
    assert_eq!(
        messages(&pod),
        [
            "unknown field \"runAsUser\" in spec (\"runAsUser\" belongs in spec.securityContext)",
            "unknown field \"readOnlyRootFilesystem\" in spec.containers[0] (\"readOnlyRootFilesystem\" belongs in spec.containers[0].securityContext)",
        ]
    );
}

#[test]
fn server_paths_are_located() {
    let pod = one(SECURE_POD);
    let at = pod.locate_server_path(
        ".spec.containers[name=\"secure-container\"].securityContext.readOnlyRootFileSystem",
    );
    assert_eq!((at.line, at.column), (16, 7));
}

#[test]
fn crlf_and_tabs() {
    let pod = one(&SECURE_POD.replace('\n', "\r\n"));
    assert_eq!(pod.problems[0].location.line, 16);
    assert_eq!(pod.problems[0].location.column, 7);
    let e = err("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n");
    assert!(
        matches!(
            e,
            InputError::Tab {
                line: 4,
                column: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.render().contains("help: replace the tab with spaces"),
        "{}",
        e.render()
    );
}

#[test]
fn a_missing_colon_points_at_the_key_not_the_line_below() {
    let e =
        err("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec\n  containers:\n  - name: a\n");
    match &e {
        InputError::MissingColon {
            line, column, key, ..
        } => assert_eq!((*line, *column, key.as_str()), (5, 5, "spec")),
        other => panic!("{other}"),
    }
    assert_eq!(
        e.to_string(),
        "t.yaml:5:5: malformed YAML: `spec` has no `:` after it"
    );
    // A key and its value with no colon between them: at the key, not the line below.
    let e = err("apiVersion: networking.k8s.io/v1\nkind NetworkPolicy\nmetadata:\n  name: x\n");
    match &e {
        InputError::MissingColon {
            line, column, key, ..
        } => assert_eq!((*line, *column, key.as_str()), (2, 5, "kind")),
        other => panic!("{other}"),
    }
    assert_eq!(
        e.to_string(),
        "t.yaml:2:5: malformed YAML: `kind` has no `:` after it"
    );
    // A `{` never closed is not a missing colon: at the end of its line.
    let e = err("apiVersion: v1\nkind: Pod\nmetadata: {name: x\n");
    assert!(
        matches!(
            e,
            InputError::Unclosed {
                line: 3,
                close: '}',
                ..
            }
        ),
        "{e}"
    );
    // A key and its value with no colon, above a line with a key: at the key, not at the
    // `:` below where the parser notices.
    let e = err(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name app\n    image: busybox\n",
    );
    match &e {
        InputError::MissingColon {
            line, column, key, ..
        } => assert_eq!((*line, *column, key.as_str()), (7, 9, "name")),
        other => panic!("{other}"),
    }
}

#[test]
fn no_panics_on_truncated_or_damaged_input() {
    let text = SECURE_POD;
    for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
        let _ = load_text("cut.yaml", &text[..end]);
    }
    for (i, c) in text.char_indices() {
        for replacement in ["", "\"", "[", "{", ":", "- ", "&a ", "*a", "\t", "\n"] {
            let damaged = format!("{}{replacement}{}", &text[..i], &text[i + c.len_utf8()..]);
            let _ = load_text("damaged.yaml", &damaged);
        }
    }
}

// ---- bounded input (issue 14) ----

#[test]
fn null_map_values_decode_to_the_zero_value_like_the_api_server() {
    let fixed = SECURE_POD.replace("FileSystem", "Filesystem");
    let pod = one(&fixed.replace(
        "  name: secure-pod\n",
        "  name: secure-pod\n  labels: {a: null, b: x}\n  annotations: {c: ~}\n",
    ));
    assert!(pod.problems.is_empty(), "{:?}", pod.problems);
    assert_eq!(
        pod.value["metadata"]["labels"],
        serde_json::json!({"a": "", "b": "x"})
    );
    assert_eq!(pod.value["metadata"]["annotations"]["c"], "");
    let typed: k8s_openapi::api::core::v1::Pod = pod.typed().expect("deserializes");
    assert_eq!(typed.metadata.labels.unwrap()["a"], "");
    // a null struct field is still skipped, not zeroed
    let pod = one(&fixed.replace("    fsGroup: 2000\n", "    fsGroup: null\n"));
    assert!(pod.value["spec"]["securityContext"]["fsGroup"].is_null());

    let secret = one(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: null}\nstringData: {b: null}\n",
    );
    assert!(secret.problems.is_empty(), "{:?}", secret.problems);
    let typed: k8s_openapi::api::core::v1::Secret = secret.typed().expect("deserializes");
    assert_eq!(typed.data.unwrap()["a"].0, Vec::<u8>::new());
    assert_eq!(typed.string_data.unwrap()["b"], "");

    let policy = one(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {matchLabels: {role: null}}\n",
    );
    assert!(policy.problems.is_empty(), "{:?}", policy.problems);
    assert_eq!(
        policy.value["spec"]["podSelector"]["matchLabels"]["role"],
        ""
    );
}

#[test]
fn unknown_fields_are_listed_up_to_a_limit_and_counted_beyond() {
    let fields: String = (0..250).map(|i| format!("  zz{i:03}: 1\n")).collect();
    let pod = one(&SECURE_POD.replacen("spec:\n", &format!("spec:\n{fields}"), 1));
    let unknown = pod
        .problems
        .iter()
        .filter(|p| p.message.to_string().starts_with("unknown field"))
        .count();
    assert_eq!(unknown, schema::MAX_UNKNOWN);
    let first = &pod.problems[0];
    let message = first.message.to_string();
    assert!(
        message.starts_with("unknown field \"zz000\" in spec")
            && message
                .ends_with("(and 151 more unknown fields in this Pod; only the first 100 are checked one by one)"),
        "{}",
        first.message
    );
    assert_eq!(first.location.line, 6);
}

#[test]
fn keys_written_twice_are_recorded_up_to_a_limit() {
    let twice: String = (0..300).map(|_| "  a: 1\n").collect();
    let pod = one(&SECURE_POD.replacen("spec:\n", &format!("spec:\n{twice}"), 1));
    let duplicates = pod
        .problems
        .iter()
        .filter(|p| p.message.contains("duplicate field"))
        .count();
    assert_eq!(duplicates, yaml::MAX_DUPLICATES);
}

#[test]
fn a_complex_key_is_refused_at_its_line() {
    let e = err("apiVersion: v1\nkind: Pod\n? {a: 1}\n: x\n");
    assert!(
        e.to_string()
            .starts_with("t.yaml:3:3: malformed YAML: a mapping key must be a scalar"),
        "{e}"
    );
}

#[test]
fn anchors_are_copied_only_for_aliases_and_the_copies_are_charged() {
    let nested = |alias: &str| {
        let anchors: String = (0..250).map(|i| format!("&a{i} [")).collect();
        let ones = vec!["1"; 1000].join(",");
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\nx: {anchors}[{ones}]{}\n{alias}",
            "]".repeat(250)
        )
    };
    // 250 nested anchors on 1,000 items: no alias, no copy
    let map = one(&nested(""));
    assert_eq!(map.value["x"][0][0][0].as_array().map(Vec::len), Some(1));
    // an alias to every anchor: each copy (1,000 nodes and more) is charged as the
    // anchor closes, and the 100th is past the budget, before the aliases are reached
    let all: Vec<String> = (0..250).map(|i| format!("*a{i}")).collect();
    let refused = load_text("t.yaml", &nested(&format!("y: [{}]\n", all.join(", "))));
    match refused {
        Err(e @ InputError::AliasBomb { line: 4, .. }) => {
            assert!(e.to_string().contains("alias bomb"), "{e}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("accepted"),
    }
    // one alias to the outermost is one copy
    let map = one(&nested("y: *a0\n"));
    assert_eq!(map.value["y"][0][0].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_flow_list_nested_in_a_flow_list_parses_in_bounded_memory() {
    // (the bound itself is measured in tests/bounded.rs; here, that it parses)
    let ones = vec!["1"; 5000].join(",");
    let map = one(&format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\nx: [[[{ones}]], [\"{}\"]]\n",
        "y".repeat(3000)
    ));
    assert_eq!(map.value["x"][0][0].as_array().map(Vec::len), Some(5000));
    assert_eq!(map.value["x"][1][0].as_str().map(str::len), Some(3000));
}

/// Every kind of object problem reads in Korean, with the learner's names as written.
#[test]
fn problems_read_in_korean() {
    use crate::i18n::Lang;
    let pod = one("apiVersion: v1
kind: Pod
metadata: {lables: {a: b}}
spec:
  image: busybox
  securityContext: {runAsUser: \"1000\", readOnlyRootFilesystem: true}
  containers:
  - name: a
    image: busybox
    volumes: []
    ports: {containerPort: 80}
    securityContext: {fsGroup: 1}
    runAsUser: 1
");
    let ko: Vec<String> = pod
        .problems
        .iter()
        .map(|p| p.message.render(Lang::Ko))
        .collect();
    let all = ko.join("\n");
    for text in [
        "metadata에 있는 \"lables\" 필드는 알 수 없는 필드입니다. 혹시 \"labels\"의 오타입니까?",
        "spec.securityContext.runAsUser: 정수 값이 와야 하는데, 실제 값은 문자열 \"1000\"입니다",
        "(\"image\" 필드는 컨테이너마다 두는 필드입니다. spec.containers[*]에 있어야 합니다)",
        "(\"volumes\" 필드는 컨테이너가 아니라 파드 수준(spec)에 있어야 합니다)",
        "spec.containers[0].ports: 리스트 값이 와야 하는데, 실제 값은 매핑입니다",
        "(컨테이너 수준 필드입니다: spec.containers[*].securityContext)",
        "(파드 수준 필드입니다: spec.securityContext)",
        "(\"runAsUser\" 필드는 spec.containers[0].securityContext에 있어야 합니다)",
        "metadata.name이 없습니다. 모든 파드에는 이름이 있어야 합니다",
    ] {
        assert!(all.contains(text), "{text:?} in:\n{all}");
    }
    for message in &ko {
        assert!(
            crate::i18n::style::not_hapnida(message).is_empty(),
            "{message}"
        );
    }
}

/// A broken file does not stop the others: every file's errors, in file order, and every
/// document of a file that is not a Kubernetes object; other tools' files stay notes.
#[test]
fn every_broken_file_and_document_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("a.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
    )
    .unwrap();
    fs::write(
        root.join("b.yaml"),
        "kind: Pod\nmetadata: {name: y}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: example.com/v1\nkind: Widget\n",
    )
    .unwrap();
    fs::write(
        root.join("c.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    )
    .unwrap();
    fs::write(root.join("d.yaml"), "# nothing\n").unwrap();
    fs::write(root.join("values.yaml"), "replicas: 1\n").unwrap();
    let errors = load_paths(&[root.to_path_buf(), root.join("missing.yaml")]).unwrap_err();
    let found: Vec<String> = errors
        .iter()
        .map(|e| {
            let at = e
                .location()
                .map(|l| format!("{}:{}", l.file.rsplit('/').next().unwrap(), l.line));
            format!("{} {}", at.unwrap_or_default(), e.message().id())
        })
        .collect();
    assert_eq!(
        found,
        [
            " input-not-found",
            "a.yaml:4 input-tab",
            "b.yaml:1 input-not-kubernetes",
            "b.yaml:9 input-unknown-kind",
            "d.yaml:1 input-empty-file",
        ]
    );
    assert_eq!(errors.first().location(), None);
    assert_eq!(errors.len(), 5);
    assert_eq!(errors.to_string().lines().count(), 5, "{errors}");
}
