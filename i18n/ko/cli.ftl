# 명령이 학습자에게 출력하는 문구입니다(clap의 --help는 영어로 둡니다).

cli-no-runtime = 비동기 런타임을 시작할 수 없습니다: { $reason }
cli-unknown-lab = `{ $lab }` 실습을 찾을 수 없습니다.
cli-unknown-lab-help = 실습 목록: { $labs }. `kubelab list`로 확인할 수 있습니다.
cli-interrupted = 중단했습니다.
cli-interrupted-deleted = 중단했습니다. 삭제한 네임스페이스: { $namespaces }
cli-interrupted-nothing = 없음

# kubelab list
cli-list-lab = 실습
cli-list-title = 제목
cli-list-steps = 단계
cli-list-points = 점수

# kubelab show
cli-show-scenario = 시나리오
cli-show-setup = 준비 (kubelab start가 만드는 객체)
cli-show-values = 값
cli-show-submit = 제출 파일
cli-show-step-points = { $points }점

# kubelab solve
cli-solve-no-solution = `{ $lab }` 실습에는 내장된 모범 답안이 없습니다.
cli-solve-no-solution-help = --labs로 불러온 실습의 답안은 그 실습의 저장소에 있습니다.
cli-solve-cannot-write = { $path }: 답안을 쓸 수 없습니다: { $reason }
cli-solve-would-overwrite = { $dir } 폴더에 { $files } 파일이 이미 있으므로 답안을 쓰지 않았습니다. 그대로 쓰면 직접 작성한 답을 덮어쓰게 됩니다.
cli-solve-would-overwrite-help = 그 파일을 바꾸려면 --force 옵션을 붙이고, 아니면 --write에 새 폴더를 지정하십시오.
cli-solve-file = 파일: { $file }
cli-solve-step = { $index }단계: { $title }

# kubelab start
cli-start-creating-namespace = 실습 네임스페이스를 만드는 중입니다
cli-start-ready = 네임스페이스 `{ $namespace }`에 실습 환경이 준비되었습니다:
cli-start-role = 과제의 `{ $role }` 네임스페이스는 이번 실행에서 `{ $namespace }`입니다: `kubectl -n { $namespace } …`
cli-start-next = 작업을 마치면 `kubelab check { $lab } -n { $namespace }`로 채점하고, `kubelab clean`으로 정리합니다. 채점할 때마다 4시간씩 연장되며, 그동안 다른 사용자의 `kubelab clean`은 이 네임스페이스를 지우지 않습니다.

# kubelab check
cli-check-not-started = 채점할 `{ $lab }` 실습의 네임스페이스가 없습니다.
cli-check-not-started-help = 먼저 실습을 시작하십시오: `kubelab start { $lab }`

# kubelab class
cli-class-two-on-stdout = 표준 출력으로는 보고서를 하나만 보낼 수 있습니다. 나머지는 파일(FORMAT:FILE)로 지정하거나 --report DIR을 사용하십시오.
cli-class-gradebook-needs-roster = `{ $format }` 형식은 성적부의 학번으로 학생을 찾는 LMS 성적 가져오기 파일입니다. --roster FILE로 명단(열: submission, student_id, name, email)을 지정하십시오.
cli-class-gradebook-unlisted = 명단에 없는 학습자 { $count }명은 LMS 가져오기 파일에서 빠졌습니다: { $learners }
cli-class-cannot-write = { $path }: 보고서를 쓸 수 없습니다: { $reason }
cli-class-progress = { $bar } 학습자 { $done }/{ $total }명 · { $counts } · 남은 시간 { $eta }
cli-class-progress-counts = 통과 { $passed }, 실패 { $failed }, 오류 { $errors }

# kubelab clean
cli-clean-deleted = `{ $namespace }` 네임스페이스를 삭제했습니다: { $why }
cli-clean-kept = `{ $namespace }` 네임스페이스는 남겨 두었습니다: { $why }
cli-clean-nothing = 정리할 것이 없습니다. { $label } 라벨이 붙은 네임스페이스가 없습니다.
cli-clean-summary = 네임스페이스 { $deleted }개를 삭제하고 { $kept }개를 남겨 두었습니다.

# kubelab doctor
cli-doctor-check = 검사
cli-doctor-detail = 세부 내용
cli-doctor-timeout = { $seconds }초 안에 끝나지 않았습니다.
cli-doctor-passed = 검사 { $count }개를 모두 통과했습니다({ $seconds }초).
cli-doctor-failed = 검사 { $count }개 중 { $failed }개가 실패했습니다.

# 클러스터와 통신할 때의 오류(ClusterError)입니다.
cli-cluster-no-config = 클러스터 설정이 없습니다: { $reason }
cli-cluster-no-kubeconfig = kubeconfig가 없고(KUBECONFIG, ~/.kube/config) 클러스터 안에서 실행 중이지도 않습니다
cli-cluster-no-config-help = KUBECONFIG를 설정하거나 --kubeconfig를 지정하십시오. `kubelab grade --offline`은 클러스터 없이 채점합니다(start, check, clean에는 클러스터가 필요합니다).
cli-cluster-kubeconfig-unreadable = { $path }: --kubeconfig로 지정한 kubeconfig를 사용할 수 없습니다: { $reason }
cli-cluster-kubeconfig-unreadable-help = 경로를 확인하십시오. --kubeconfig가 없으면 kubelab은 kubectl과 같은 위치에서 설정을 찾습니다.
cli-cluster-unreachable = { $server }의 클러스터에 연결할 수 없습니다: { $reason }
cli-cluster-unreachable-help = `kubectl cluster-info`로 확인하십시오. `kubelab grade --offline`은 클러스터 없이 채점합니다(start, check, clean에는 클러스터가 필요합니다).
cli-cluster-api = { $what }: { $reason }
cli-cluster-protocol = { $message }
cli-cluster-timeout = 다음 작업이 { $seconds }초 안에 끝나지 않았습니다: { $what }
cli-cluster-forbidden = kubelab에 다음 작업을 할 권한이 없습니다: { $action }
cli-cluster-forbidden-help = deploy/rbac.yaml을 적용하고 그 권한에 연결된 kubeconfig를 사용하십시오(`kubelab doctor`가 빠진 권한을 보여 줍니다).
cli-unknown-lab-did-you-mean = `{ $lab }` 실습을 찾을 수 없습니다. 혹시 `{ $known }`의 오타입니까?
cli-class-written = { $summary }. 보고서를 저장했습니다: { $files }

cli-variant-empty = 변형(variant) 시드가 비어 있습니다.
cli-variant-empty-help = 학습자 ID나 이메일 주소처럼 비어 있지 않은 문자열을 주십시오: `--variant han@example.com`.
cli-check-other-variant = `{ $namespace }` 네임스페이스는 `{ $asked }` 변형이 아니라 `{ $variant }` 변형으로 시작되었습니다.
cli-check-other-variant-help = `--variant`를 빼십시오. `check`는 네임스페이스를 시작한 변형으로 채점합니다.
cli-check-exam-running = `{ $namespace }`는 진행 중인 시험 `{ $exam }`의 문제입니다. 채점은 시험이 끝날 때 합니다.
cli-check-exam-running-help = CKS와 마찬가지로 시험 중에는 채점하지 않습니다. 남은 시간과 손댄 문제, 표시한 문제는 `kubelab exam status`로 확인하고, `kubelab exam end`로 모든 문제를 채점하십시오.
cli-grade-unknown-step = `{ $lab }` 랩에는 `{ $step }` 단계가 없습니다. 단계는 { $steps }입니다.
