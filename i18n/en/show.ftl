cli-show-grading = Grading
cli-show-grading-text = Put { $files } in one folder (here `my-work/`) and grade it; every step is graded in order. On a cluster, `kubelab start` sets the lab up in a namespace of its own and `kubelab check` grades what you applied there with kubectl.
cli-show-grading-live = on a cluster: set up, then apply your files with kubectl
