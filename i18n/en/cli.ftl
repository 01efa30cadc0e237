# What the commands print to learners (clap's --help stays English).

cli-no-runtime = cannot start the async runtime: { $reason }
cli-unknown-lab = unknown lab `{ $lab }`
cli-unknown-lab-help = the labs are: { $labs }; `kubelab list` shows them
cli-interrupted = interrupted
cli-interrupted-deleted = interrupted: deleted { $namespaces }
cli-interrupted-nothing = nothing

# kubelab list
cli-list-lab = lab
cli-list-title = title
cli-list-steps = steps
cli-list-points = points

# kubelab show
cli-show-scenario = Scenario
cli-show-setup = Setup (what kubelab start creates)
cli-show-values = Values
cli-show-submit = Submit
cli-show-step-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}

# kubelab solve
cli-solve-no-solution = lab `{ $lab }` has no built-in reference solution
cli-solve-no-solution-help = labs loaded with --labs keep their solutions in their own repository
cli-solve-cannot-write = { $path }: cannot write the solution: { $reason }
cli-solve-would-overwrite = { $dir } already holds { $files }: the solution was not written (it would replace your own files)
cli-solve-would-overwrite-help = pass --force to replace them, or give --write a new folder
cli-solve-file = file: { $file }
cli-solve-step = step { $index }: { $title }

# kubelab start
cli-start-creating-namespace = creating the lab namespace
cli-start-ready = The lab is ready in namespace `{ $namespace }`:
cli-start-role = The task's namespace `{ $role }` is `{ $namespace }` in this run: `kubectl -n { $namespace } …`
cli-start-next = When done, grade with `kubelab check { $lab } -n { $namespace }`; remove it with `kubelab clean`. It is held for you for 4 hours, renewed by each check: other users' `kubelab clean` leaves it alone meanwhile.

# kubelab check
cli-check-not-started = no namespace of lab `{ $lab }` to check
cli-check-not-started-help = start the lab first: `kubelab start { $lab }`

# kubelab class
cli-class-two-on-stdout = only one report can go to stdout; give the others a file (FORMAT:FILE) or use --report DIR
cli-class-gradebook-needs-roster = `{ $format }` writes the LMS's grade import, which identifies each student by the gradebook's id: give the roster with --roster FILE (columns submission, student_id, name, email)
cli-class-gradebook-unlisted = { $count ->
    [one] { $learners } is not in the roster and is left out of the LMS import
   *[other] { $count } learners are not in the roster and are left out of the LMS import: { $learners }
}
cli-class-cannot-write = { $path }: cannot write the report: { $reason }
cli-class-progress = { $bar } { $done }/{ $total } learners · { $counts } · ETA { $eta }
cli-class-progress-counts = { $passed } passed, { $failed } failed, { $errors } errors

# kubelab clean
cli-clean-deleted = deleted namespace { $namespace }: { $why }
cli-clean-kept = kept namespace { $namespace }: { $why }
cli-clean-nothing = nothing to clean: no namespace carries { $label }
cli-clean-summary = { $deleted } namespace(s) removed, { $kept } kept

# kubelab doctor
cli-doctor-check = check
cli-doctor-detail = detail
cli-doctor-timeout = did not finish within { $seconds }s
cli-doctor-passed = all { $count } checks passed in { $seconds }s
cli-doctor-failed = { $failed } of { $count } checks failed

# Talking to a cluster (ClusterError).
cli-cluster-no-config = no cluster configuration: { $reason }
cli-cluster-no-kubeconfig = no kubeconfig (KUBECONFIG, ~/.kube/config) and not running in a cluster
cli-cluster-no-config-help = set KUBECONFIG or pass --kubeconfig; `kubelab grade --offline` grades without a cluster (start, check and clean need one)
cli-cluster-kubeconfig-unreadable = { $path }: the kubeconfig given with --kubeconfig cannot be used: { $reason }
cli-cluster-kubeconfig-unreadable-help = check the path; without --kubeconfig, kubelab looks where kubectl does
cli-cluster-unreachable = the cluster at { $server } is not reachable: { $reason }
cli-cluster-unreachable-help = check `kubectl cluster-info`; `kubelab grade --offline` grades without a cluster (start, check and clean need one)
cli-cluster-api = { $what }: { $reason }
cli-cluster-protocol = { $message }
cli-cluster-timeout = { $what } did not finish within { $seconds }s
cli-cluster-forbidden = kubelab lacks the permission to { $action }
cli-cluster-forbidden-help = apply deploy/rbac.yaml and use a kubeconfig bound to it (`kubelab doctor` lists what is missing)
cli-unknown-lab-did-you-mean = unknown lab `{ $lab }`; did you mean `{ $known }`?
cli-class-written = { $summary }; reports written: { $files }

cli-variant-empty = The variant seed is empty.
cli-variant-empty-help = Give any non-empty text, e.g. a learner id or an e-mail address: `--variant han@example.com`.
cli-check-other-variant = The namespace `{ $namespace }` was started with the variant `{ $variant }`, not `{ $asked }`.
cli-check-other-variant-help = Leave out `--variant`: `check` grades the variant the namespace was started with.
cli-check-exam-running = `{ $namespace }` is a task of the running exam `{ $exam }`: it is graded at exam end, not before.
cli-check-exam-running-help = As in the CKS, nothing is graded while the exam runs. `kubelab exam status` shows the time left and which tasks you changed or flagged; `kubelab exam end` grades every task.
cli-grade-unknown-step = the lab `{ $lab }` has no step `{ $step }`; its steps are { $steps }
