# kubelab lab test: a lab's own test (its solution, its untouched scenario, its corpus)
# and the corpus cases' case.yaml.

case-unreadable = { $file }: cannot be read: { $reason }
case-invalid = { $file }: not a valid case: { $reason }
case-fail-without-fails-at = { $file }: a failing case names its first failure with `fails_at: {"{"}step: …, check: …{"}"}`
case-no-submission = { $dir }: the case has no `submission/` folder
case-expected-note = expected a note containing { $text }, got { $notes }
case-expected-pass = expected pass, but these failed: { $failed }
case-expected-fail = expected fail, but it passed
case-expected-a-failure = expected a failure at { $at }, none failed
case-first-failure-elsewhere = expected the first failure at { $at }, got { $actual }: { $message }
case-expected-message = expected the failure's message to contain { $text }, got { $message }
case-expected-says = expected the failure to say { $text }, got { $said }
case-expected-location = expected the failure at { $expected }, got { $actual }
case-expected-failing = expected exactly { $expected } to fail, got { $actual }
case-submission-unreadable = the submission cannot be read: { $reason }

# kubelab lab test DIR
lab-test-no-solution = { $dir } does not exist: a lab's reference solution goes there, one file per object the steps ask for
lab-test-no-solution-help = write the solution there (a learner's right answer), then run `kubelab lab test` again
lab-test-case-help = each folder of corpus/ is a case: submission/ and case.yaml (see the book: Writing a new lab → Test cases)
lab-test-live-start = grading { $count } submissions live, each in its own namespace…
lab-test-ok = ok
lab-test-mismatch = mismatch
lab-test-error = error
lab-test-expect-pass = expects pass
lab-test-expect-fail = expects fail
lab-test-solution-check = { $check } is { $verdict } with the solution: { $message }
lab-test-solution-refused = the sandbox refuses { $object } of the solution: { $message }
lab-test-untouched-check = { $check } is { $verdict } with nothing submitted (a check worth points fails until the learner acts): { $message }
lab-test-offline = offline
lab-test-live = live
lab-test-summary = { $lab }: { $total } tested { $mode } in { $seconds } s: { $ok } as stated, { $mismatch } { $mismatch ->
    [one] mismatch
   *[other] mismatches
}, { $error } { $error ->
    [one] environment error
   *[other] environment errors
}
lab-test-namespace-dependent = the case depends on the namespace's name (`default` as in the seed; live it has another): compared check by check with the simulation under another name
lab-test-live-differs = { $check }: live { $live } ({ $message }), simulated { $simulated }
