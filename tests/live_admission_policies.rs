//! A learner's admission policy never reaches beyond its run's namespace, on the real
//! test cluster. Through kubelab's own code path (`cluster::admission`, as the kubelab
//! ServiceAccount of deploy/rbac.yaml): a policy that refuses every pod, bound without a
//! namespace selector and bound with one that selects every namespace, refuses a pod in
//! the run's namespace and admits the same pod in `default`; and deleting the run
//! deletes the policies. (No admission policy can guard these writes: Kubernetes exempts
//! admissionregistration objects from admission, hence deploy/rbac-admission-labs.yaml is
//! an opt-in.) Fails loudly without the cluster.

use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, PostParams};
use kubelab::cluster::admission::{apply_policy, wait_in_effect};
use kubelab::cluster::{ConnectOptions, Sandbox, connect};
use kubelab::manifest;
use serde_json::json;

mod common;

const DENY_ALL: &str = "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: deny-every-pod
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [\"\"]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [pods]
  validations:
  - expression: \"false\"
    message: no pod may run here
";

fn binding(name: &str, selector: &str) -> String {
    format!(
        "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: {name}
spec:
  policyName: deny-every-pod
  validationActions: [Deny]
{selector}"
    )
}

fn pod() -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": "bystander"},
        "spec": {"containers": [{"name": "c", "image": "busybox:1.28"}]}
    }))
    .unwrap()
}

/// Whether a dry-run create of [`pod`] in `namespace` is admitted; the refusal otherwise.
async fn dry_run(client: &kube::Client, namespace: &str) -> Result<(), String> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let params = PostParams {
        dry_run: true,
        ..Default::default()
    };
    match pods.create(&params, &pod()).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) => Err(status.message),
        Err(e) => panic!("dry run in {namespace}: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learners_policy_binds_only_its_runs_namespace() {
    let client = connect(&ConnectOptions {
        kubeconfig: Some(common::rbac_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting to the test cluster as the kubelab ServiceAccount")
    .client;
    let sandbox = Sandbox::create(&client, "admission-policies")
        .await
        .expect("a sandbox namespace");
    let ns = sandbox.namespace.clone();
    let objects = manifest::load_text(
        "policy.yaml",
        &[
            DENY_ALL.to_string(),
            binding("no-selector", ""),
            binding(
                "every-namespace",
                "  matchResources:\n    namespaceSelector:\n      matchExpressions:\n      - {key: kubernetes.io/metadata.name, operator: Exists}\n",
            ),
        ]
        .join("---\n"),
    )
    .unwrap();
    let mut applied = Vec::new();
    for object in &objects {
        applied.push(apply_policy(&sandbox, object, "default").await);
    }
    let effect = wait_in_effect(&sandbox).await;
    let inside = dry_run(&client, &ns).await;
    // kubelab's account may not write outside its namespaces: the bystander is the admin's.
    let admin = connect(&ConnectOptions {
        kubeconfig: Some(common::admin_kubeconfig()),
        context: None,
    })
    .await
    .expect("connecting as the test cluster's admin")
    .client;
    let outside = dry_run(&admin, "default").await;
    sandbox
        .delete(std::time::Duration::from_secs(120))
        .await
        .expect("deleting the sandbox");
    let selector = ListParams::default().labels(&format!("kubelab.dev/namespace={ns}"));
    let left_policies = Api::<ValidatingAdmissionPolicy>::all(admin.clone())
        .list(&selector)
        .await
        .unwrap()
        .items
        .len();
    let left_bindings = Api::<ValidatingAdmissionPolicyBinding>::all(admin.clone())
        .list(&selector)
        .await
        .unwrap()
        .items
        .len();

    for (object, result) in objects.iter().zip(&applied) {
        assert!(
            result.is_ok(),
            "{} {}: {result:?}",
            object.kind,
            object.name
        );
    }
    effect.expect("the policies took effect");
    let refusal = inside.expect_err("a pod in the run's namespace must be refused");
    assert!(
        refusal.contains(&format!("ValidatingAdmissionPolicy '{ns}-deny-every-pod'"))
            && refusal.contains("no pod may run here"),
        "{refusal}"
    );
    assert_eq!(outside, Ok(()), "a pod in `default` must be admitted");
    assert_eq!(
        (left_policies, left_bindings),
        (0, 0),
        "the run's policies are deleted with it"
    );
    println!("refused in {ns}: {refusal}\nadmitted in default\npolicies left after the run: 0");
}
