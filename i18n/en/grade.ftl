grade-known-deviation = graded by the API: this cluster's NetworkPolicy enforcer let the connection through ({ $probe }), a known deviation ({ $enforcer }): { $description }
grade-offline-said = offline: { $message }
grade-offline-disagrees = the offline simulation disagrees ({ $verdict }): { $message }
grade-rejected-by-api-server = { $kind } { $name } was rejected by the API server: { $reason }
grade-live-in-namespace = graded live in namespace { $namespace } (being deleted)
grade-not-found-in-namespace = { $kind } { $name } not found in namespace { $namespace }: apply your { $file } (`kubectl apply -f { $file }`)
grade-live-state-of-namespace = graded live: the state of namespace { $namespace }
grade-offline-because = graded offline: { $reason }
grade-would-be-rejected-by-api-server = { $kind } { $name } would be rejected by the API server: { $reason }
grade-note-ignored = { $at }: { $kind } `{ $name }` is not part of this lab and was ignored
grade-note-duplicate = { $at }: { $kind } `{ $name }` is defined { $count } times ({ $copies }); the last copy is graded, as `kubectl apply -R -f` would leave it: delete the others
grade-progress-creating-sandbox = creating a sandbox namespace
grade-progress-deleting-sandbox = deleting the sandbox namespace
grade-progress-starting-registry = starting the private registry
grade-progress-creating-scenario = creating the scenario
grade-progress-waiting-for-pods = waiting for { $count } pod(s) to be Ready
grade-progress-step = step { $number }: { $step }: { $stage ->
        [controls] controls
        [applying] applying
       *[checking] checking
    }
grade-note-variant-default = { $at }: in your variant (`{ $variant }`) { $about } is `{ $value }`, not `{ $default }` as in the seed exercise
grade-simulated-superseded-step = simulated on the namespace's objects: a later step's objects, already there, change what this step observes on the cluster
grade-note-forgot-variant-seed = these names are variant `{ $seed }`'s, not the seed exercise's: grade with `--variant { $seed }`
grade-note-forgot-variant = { $kind } `{ $name }` has a name of one of this lab's variants, not the seed exercise's: grade with `--variant SEED`, the seed your task sheet gives
grade-pod-evicted = { $at }: the kubelet evicted Pod { $pod }: { $message }
grade-evicted-storage = A sandbox container may write { $limit } to the node's disk (its writable layer, its logs and its emptyDir volumes together), at most { $max } with `resources.limits.ephemeral-storage`; an emptyDir's `sizeLimit` bounds that volume alone.
grade-note-and-why = { $note } { $why }
grade-skipped-offline = { $count } { $count ->
        [one] check
       *[other] checks
    } worth { $points } { $points ->
        [one] point
       *[other] points
    } could not be decided offline (each says why) and { $count ->
        [one] is
       *[other] are
    } left out of the score: only a cluster decides { $count ->
        [one] it
       *[other] them
    } (`kubelab grade --live`)
