# Lab authors' errors found when a lab is loaded (src/lab/load.rs); shown in English
# beside the other lab errors, which name the lab file and line.

lab-field-bad-path = check `{ $check }` has a malformed path `{ $path }`: { $problem }
lab-field-path-help = a path is keys joined by `.`, with `[N]` for one list element, `[*]` for every element and `["key"]` for a key with dots or slashes (see the book: Writing a new lab → Field paths)

# Reading a lab folder (kubelab lab test DIR, --labs DIR)
lab-folder-unreadable = cannot read the lab folder: { $reason }
lab-folder-no-lab-yaml = not a lab folder: it holds no lab.yaml
lab-folder-help = a lab folder holds lab.yaml, its fixtures and probes, its reference solution in solution/ and its test cases in corpus/ (see the book: Writing a new lab)
lab-labs-folder-help = pass a folder whose subfolders each hold a lab.yaml

# field check paths checked against the kind's schema
lab-field-path-not-an-object = a { $kind } is an object: its path starts with a field name, not `[N]` or `[*]`
lab-field-path-no-such-field = { $at ->
    [none] a { $kind } has no field `{ $key }` at the top
   *[other] a { $kind } has no field `{ $key }` there (`{ $at }` is a { $type_name })
}
lab-field-path-wrong-shape = in a { $kind }, the path does not fit `{ $at }`: { $problem }
lab-field-unresolvable = check `{ $check }` names a path `{ $path }` that no { $kind } has: { $problem }
lab-field-unresolvable-help = write the path as it is in the object's YAML (`kubectl explain { $kind } --recursive` lists every field)

# fixtures, probes and steps the sandbox could never hold
lab-fixture-refused-kind = { $what ->
    [probe] probe
   *[fixture] fixture
} `{ $file }`: { $reason }
lab-fixture-refused-kind-help = the sandbox never applies this kind, so the lab cannot hold it: remove it from the lab
lab-fixture-other-namespace = { $what ->
    [probe] probe
   *[fixture] fixture
} `{ $file }`: { $kind } `{ $name }` is in namespace `{ $namespace }`, which the lab does not declare (the lab's namespace is `{ $lab_namespace }`)
lab-fixture-other-namespace-help = remove `metadata.namespace`: kubelab creates every { $what ->
    [probe] probe
   *[fixture] fixture
} in the lab's namespace, and never moves one from another namespace
lab-submit-refused-kind = a step asks for an object the sandbox always refuses: { $reason }
lab-submit-refused-kind-help = no learner could hand it in: ask for an object of another kind (a Namespace needs `namespace:`, admission policies `admission-policies: true`)
