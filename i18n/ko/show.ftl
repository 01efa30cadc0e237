cli-show-grading = 채점
cli-show-grading-text = { $files } 파일을 한 폴더(여기서는 `my-work/`)에 두고 채점하십시오. 모든 단계를 순서대로 채점합니다. 클러스터가 있으면 `kubelab start`가 실습 전용 네임스페이스를 준비하고, `kubelab check`가 그 네임스페이스에 kubectl로 적용한 상태를 채점합니다.
cli-show-grading-live = 클러스터에서 실습 준비 후 kubectl로 파일 적용
