# kubelab lab test: 실습 자체의 시험(모범 답안, 손대지 않은 시나리오, 코퍼스)과
# 코퍼스 사례의 case.yaml입니다.

case-unreadable = { $file }: 읽을 수 없습니다: { $reason }
case-invalid = { $file }: 올바른 사례가 아닙니다: { $reason }
case-fail-without-fails-at = { $file }: 실패하는 사례는 첫 실패를 `fails_at: {"{"}step: …, check: …{"}"}`로 적어야 합니다.
case-no-submission = { $dir }: 사례에 `submission/` 폴더가 없습니다.
case-expected-note = { $text } 내용의 안내가 있어야 하는데 받은 안내는 { $notes }입니다.
case-expected-pass = 통과해야 하는데 다음 검사가 실패했습니다: { $failed }
case-expected-fail = 실패해야 하는데 통과했습니다.
case-expected-a-failure = { $at }에서 실패해야 하는데 실패한 검사가 없습니다.
case-first-failure-elsewhere = 첫 실패가 { $at }이어야 하는데 { $actual }입니다: { $message }
case-expected-message = 실패 메시지에 { $text } 내용이 있어야 하는데 받은 메시지는 { $message }입니다.
case-expected-says = 실패 내용에 { $text } 내용이 있어야 하는데 받은 내용은 { $said }입니다.
case-expected-location = 실패 위치가 { $expected }이어야 하는데 { $actual }입니다.
case-expected-failing = 정확히 { $expected } 검사만 실패해야 하는데 실패한 검사는 { $actual }입니다.
case-submission-unreadable = 제출물을 읽을 수 없습니다: { $reason }

# kubelab lab test DIR
lab-test-no-solution = { $dir } 폴더가 없습니다. 실습의 모범 답안은 이 폴더에 단계가 요구하는 객체마다 파일 하나로 둡니다.
lab-test-no-solution-help = 그 폴더에 모범 답안(학습자의 정답)을 쓴 다음 `kubelab lab test`를 다시 실행하십시오.
lab-test-case-help = corpus/의 폴더 하나가 사례 하나이며, submission/ 폴더와 case.yaml이 들어 있습니다(책의 "새 실습 작성하기 → 시험 사례"를 참고합니다).
lab-test-live-start = 제출물 { $count }개를 각각 별도 네임스페이스에서 실제 클러스터로 채점하는 중입니다…
lab-test-ok = 맞음
lab-test-mismatch = 어긋남
lab-test-error = 오류
lab-test-expect-pass = 통과 기대
lab-test-expect-fail = 실패 기대
lab-test-solution-check = 모범 답안으로 채점한 { $check } 검사의 판정이 { $verdict }입니다: { $message }
lab-test-solution-refused = 샌드박스가 모범 답안의 { $object } 객체를 거부합니다: { $message }
lab-test-untouched-check = 아무것도 제출하지 않았는데 { $check } 검사의 판정이 { $verdict }입니다(점수가 있는 검사는 학습자가 작업하기 전에는 실패해야 합니다): { $message }
lab-test-offline = 오프라인
lab-test-live = 실제 클러스터
lab-test-summary = { $lab }: { $total }건을 { $mode }에서 { $seconds }초 동안 시험했습니다. 기대대로 { $ok }건, 어긋남 { $mismatch }건, 환경 오류 { $error }건입니다.
lab-test-namespace-dependent = 이 사례는 네임스페이스 이름에 따라 달라집니다(원본 실습은 `default`이지만 실제 클러스터에서는 다른 이름입니다). 다른 이름으로 시뮬레이션한 결과와 검사마다 비교했습니다.
lab-test-live-differs = { $check }: 실제 클러스터에서는 { $live }({ $message }), 시뮬레이션에서는 { $simulated }입니다.
