# The terminal report of one grade (and the words the JUnit report shares with it).

report-mode-offline = offline
report-mode-live = live
report-note = note: { $note }
report-column-step = step
report-column-check = check
report-column-verdict = verdict
report-column-points = points
report-column-message = message
report-verdict-pass = pass
report-verdict-fail = fail
report-verdict-error = error
report-verdict-skip = skip
report-hint = hint: { $hint }
report-refused = refused { $kind } { $name } — not applied
report-passed = PASSED
report-failed = FAILED
report-summary = { $verdict }: { $score }/{ $max } points · { $passed } passed, { $failed } failed, { $errors } errors, { $skipped } skipped
report-refused-count =
    { $count ->
        [one] 1 object refused
       *[other] { $count } objects refused
    }
report-finding-expected = expected: { $title }
