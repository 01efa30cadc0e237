# The class reports: the terminal table and the HTML page (CSV and JSON keys stay as
# they are: they are machine-readable names).

class-learners =
    { $count ->
        [one] 1 learner
       *[other] { $count } learners
    }
class-column-learner = learner
class-column-points = points
class-column-status = status
class-column-first-failure = first failing check
class-column-passed = passed
class-column-share = share
class-status-passed = passed
class-status-failed = failed
class-status-error = error
class-status-unreadable = unreadable
class-status-no-submission = no submission
class-refused = refused { $kind } { $name } { $at }
class-summary = { $passed }/{ $learners } learners passed · { $failed } failed{ $apart } · { $errors } errors
class-summary-refused = { $count } refused
class-summary-unreadable = { $count } unreadable
class-summary-no-submission = { $count } without a submission
class-status-refused = refused
class-note-variant-per-learner = each learner is graded against their own variant of the lab, seeded by their learner id (`--variant-per-learner`)

# The HTML page.
class-html-report = class report
class-html-offline = graded offline (simulation)
class-html-live = graded on the cluster
class-html-sort-hint = Click a column heading to sort the class by it; click it again to reverse the order.
class-html-score = { $score }/{ $max } points
class-html-variant = variant `{ $variant }`
class-html-passed-of-graded = passed (of graded)
class-html-no-result = no result
class-html-learners = Learners
class-html-refused = refused — not applied
class-html-all-passed = Every check passed.
class-html-connectivity = Connectivity
class-html-connectivity-about = Rows: from, columns: to. The learner's final state simulated with the lab's fixtures; a cell's tooltip explains the decision.
class-html-corner = from ↓ to →
class-html-allowed = allowed
class-html-blocked = blocked
class-html-undecided = depends on the plugin
class-html-no-policy = no policy isolates
class-html-isolated-by = isolated by { $policies }
class-html-pods-left-out =
    { $count ->
        [one] 1 more pod is not shown.
       *[other] { $count } more pods are not shown.
    }

## A learner's archive that cannot be unpacked safely (src/class/archive.rs).
class-archive-unreadable = cannot be read: { $reason }
class-archive-too-large = the archive is { $size } bytes; at most { $limit } are read
class-archive-too-many-entries = the archive has more than { $limit } entries
class-archive-climbs-out-dotdot = entry `{ $entry }` climbs out of the archive (`..`)
class-archive-absolute = entry `{ $entry }` has an absolute path
class-archive-climbs-out = entry `{ $entry }` climbs out of the archive
class-archive-cannot-unpack = cannot unpack `{ $entry }`: { $reason }
class-archive-cannot-decompress = entry `{ $entry }` cannot be decompressed: { $reason }
class-archive-entry-too-large = entry `{ $entry }` is larger than { $limit } bytes
class-archive-unpacks-too-large = the archive unpacks to more than { $limit } bytes
class-archive-not-zip = not a readable ZIP archive: { $reason }
class-archive-entry-unreadable = entry { $entry } cannot be read: { $reason }
class-archive-not-regular = entry `{ $entry }` is not a regular file
class-archive-not-regular-kind = entry `{ $entry }` is not a regular file ({ $kind })
class-archive-not-tar = not a readable { $kind } archive: { $reason }
class-archive-hand-in-zip = RAR and 7z archives are not read: hand in a .zip instead
class-archive-unknown-kind = not an archive kubelab reads (.zip, .tar, .tar.gz, .tgz, .tar.xz, .tar.bz2)
class-archive-name-unreadable = an entry's name cannot be read: { $reason }
class-archive-link = entry `{ $entry }` is a link; only files are read
class-archive-problem = { $archive }: { $problem }
class-archive-cannot-make-folder = { $archive }: cannot unpack: { $reason }
class-entry-not-a-submission = `{ $name }` is neither a folder nor an archive kubelab reads (.zip, .tar, .tar.gz, .tgz, .tar.xz, .tar.bz2): hand in a folder or a .zip
class-entry-unreadable = `{ $name }` cannot be read
class-link-outside = `{ $name }` is a link to `{ $target }`, outside the class folder: links are followed only inside it
class-link-broken = `{ $name }` is a link that leads nowhere: { $reason }
class-two-submissions = two submissions for learner `{ $learner }` (a folder and an archive, or two archives): keep one
class-variant-unloadable = learner `{ $learner }`: the lab's variant `{ $variant }` does not load: { $reason }
class-folder-unreadable = { $dir }: cannot be read as a class folder: { $reason }
class-folder-unreadable-help = give a folder with one subfolder per learner
class-folder-empty = { $dir }: the class folder has no learner subfolder
class-folder-empty-help = put each learner's manifests in a subfolder named after the learner

## `kubelab class --roster FILE` (src/class/roster.rs).
class-no-submission = no submission: the roster names this student, and the class folder has nothing of theirs
class-note-not-in-roster =
    { $count ->
        [one] 1 learner is not in the roster: { $learners }
       *[other] { $count } learners are not in the roster: { $learners }
    }
class-roster-unreadable = { $file }: the roster cannot be read: { $reason }
class-roster-columns = { $file }: the roster needs a header row with the columns `submission` (the folder or archive name) and `student_id`
class-roster-twice = { $file }:{ $line }: the submission `{ $submission }` is in the roster twice
class-roster-help = the roster is a CSV with a header row: submission,student_id,name,email
class-html-overview = Overview
class-html-mean-median = mean { $mean } · median { $median } of { $max } points ({ $graded } graded)
class-html-histogram = Scores
class-html-hardest = Checks by failure rate
class-html-failed-of-graded = { $failed }/{ $graded } failed ({ $percent })
class-html-contact = Learners to contact
class-html-nobody-to-contact = Nobody: every learner was graded, with nothing refused.
class-html-filter-status = Status
class-html-filter-all = all
class-html-search = Search learners
class-html-copies = Identical submissions
class-html-copies-about = Learners whose manifests are the same after normalisation (comments, key order, quoting and whitespace ignored); answers identical to the reference solution's objects are not counted, as correct answers converge on them.
class-html-copies-none = No two learners handed in the same manifests.
class-html-reference-copies = Handed in the reference solution verbatim: { $learners }
