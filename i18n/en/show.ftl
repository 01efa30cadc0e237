show-scenario = Scenario
show-setup = Setup (what kubelab start creates)
show-values = Values
show-submit = Submit
show-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}
show-grading = Grading
show-grading-text = Put { $files } in one folder (here `my-work/`) and grade it; every step is graded in order. On a cluster, `kubelab start` sets the lab up in a namespace of its own and `kubelab check` grades what you applied there with kubectl.
show-grading-live = on a cluster: set up, then apply your files with kubectl
