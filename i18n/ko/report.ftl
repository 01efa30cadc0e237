# 한 번의 채점 결과를 보여 주는 터미널 보고서입니다(JUnit 보고서도 일부 문구를 함께 씁니다).

report-mode-offline = 오프라인
report-mode-live = 실제 클러스터
report-note = 참고: { $note }
report-column-step = 단계
report-column-check = 검사
report-column-verdict = 판정
report-column-points = 점수
report-column-message = 메시지
report-verdict-pass = 통과
report-verdict-fail = 실패
report-verdict-error = 오류
report-verdict-skip = 건너뜀
report-hint = 힌트: { $hint }
report-refused = 거부됨: { $kind } { $name } — 적용하지 않았습니다
report-passed = 통과
report-failed = 실패
report-summary = { $verdict }: { $score }/{ $max }점 · 통과 { $passed }, 실패 { $failed }, 오류 { $errors }, 건너뜀 { $skipped }
report-refused-count = 거부된 객체 { $count }개
report-finding-expected = 기대 결과: { $title }
