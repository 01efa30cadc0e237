# 학급 보고서입니다: 터미널 표와 HTML 페이지(CSV와 JSON의 키는 기계가 읽는 이름이므로
# 그대로 둡니다).

class-learners = 학습자 { $count }명
class-column-learner = 학습자
class-column-points = 점수
class-column-status = 상태
class-column-first-failure = 처음 실패한 검사
class-column-passed = 통과
class-column-share = 통과율
class-status-passed = 통과
class-status-failed = 실패
class-status-error = 환경 오류
class-status-no-submission = 미제출
class-status-unreadable = 읽을 수 없음
class-refused = 거부됨: { $kind } { $name } { $at }
class-summary = 학습자 { $learners }명 중 { $passed }명이 통과했습니다 · 실패 { $failed }명 · 오류 { $errors }명
class-note-variant-per-learner = 학습자마다 자신의 학습자 ID를 시드로 한 실습 변형으로 채점합니다(`--variant-per-learner`).

# HTML 페이지입니다.
class-html-report = 학급 채점 보고서
class-html-offline = 오프라인(시뮬레이션)으로 채점했습니다
class-html-live = 클러스터에서 채점했습니다
class-html-sort-hint = 열 제목을 누르면 그 열을 기준으로 정렬합니다. 한 번 더 누르면 순서를 뒤집습니다.
class-html-score = { $score }/{ $max }점
class-html-variant = 변형 `{ $variant }`
class-html-passed-of-graded = 통과(채점된 학습자 중)
class-html-no-result = 결과 없음
class-html-learners = 학습자별 결과
class-html-refused = 거부됨 — 적용하지 않았습니다
class-html-all-passed = 모든 검사를 통과했습니다.
class-html-connectivity = 연결 행렬
class-html-connectivity-about = 행은 출발 파드, 열은 도착 파드입니다. 실습의 준비 객체와 학습자의 제출물을 마지막 단계까지 적용한 상태를 시뮬레이션했습니다. 칸에 마우스를 올리면 판정의 근거를 볼 수 있습니다.
class-html-corner = 출발 ↓ 도착 →
class-html-allowed = 허용
class-html-blocked = 차단
class-html-undecided = 플러그인에 따라 다름
class-html-no-policy = 격리하는 정책 없음
class-html-isolated-by = 격리 정책: { $policies }
class-html-pods-left-out = 파드 { $count }개는 표시하지 않았습니다.

## 안전하게 풀 수 없는 학습자 압축 파일입니다(src/class/archive.rs).
class-archive-unreadable = 읽을 수 없습니다: { $reason }
class-archive-too-large = 압축 파일이 { $size }바이트입니다. 최대 { $limit }바이트까지만 읽습니다.
class-archive-too-many-entries = 압축 파일의 항목이 { $limit }개보다 많습니다.
class-archive-climbs-out-dotdot = `{ $entry }` 항목이 압축 파일 밖을 가리킵니다(`..`).
class-archive-absolute = `{ $entry }` 항목이 절대 경로입니다.
class-archive-climbs-out = `{ $entry }` 항목이 압축 파일 밖을 가리킵니다.
class-archive-cannot-unpack = `{ $entry }` 항목을 풀 수 없습니다: { $reason }
class-archive-cannot-decompress = `{ $entry }` 항목의 압축을 풀 수 없습니다: { $reason }
class-archive-entry-too-large = `{ $entry }` 항목이 { $limit }바이트보다 큽니다.
class-archive-unpacks-too-large = 압축을 풀면 { $limit }바이트를 넘습니다.
class-archive-not-zip = 읽을 수 있는 ZIP 압축 파일이 아닙니다: { $reason }
class-archive-entry-unreadable = { $entry } 항목을 읽을 수 없습니다: { $reason }
class-archive-not-regular = `{ $entry }` 항목은 일반 파일이 아닙니다.
class-archive-not-regular-kind = `{ $entry }` 항목은 일반 파일이 아닙니다({ $kind }).
class-archive-not-tar = 읽을 수 있는 { $kind } 압축 파일이 아닙니다: { $reason }
class-archive-hand-in-zip = RAR 파일과 7z 파일은 읽지 않습니다. .zip 파일로 제출하십시오.
class-archive-unknown-kind = kubelab이 읽는 압축 파일(.zip, .tar, .tar.gz, .tgz, .tar.xz, .tar.bz2)이 아닙니다.
class-archive-name-unreadable = 항목의 이름을 읽을 수 없습니다: { $reason }
class-archive-link = `{ $entry }` 항목은 링크입니다. 파일만 읽습니다.
class-archive-problem = { $archive }: { $problem }
class-archive-cannot-make-folder = { $archive }: 압축을 풀 수 없습니다: { $reason }
class-entry-not-a-submission = `{ $name }` 항목은 폴더도 아니고 kubelab이 읽는 압축 파일(.zip, .tar, .tar.gz, .tgz, .tar.xz, .tar.bz2)도 아닙니다. 폴더나 .zip 파일로 제출하십시오.
class-entry-unreadable = `{ $name }` 항목을 읽을 수 없습니다.
class-link-outside = `{ $name }` 항목은 반 폴더 밖(`{ $target }`)을 가리키는 링크입니다. 링크는 반 폴더 안을 가리킬 때만 따라갑니다.
class-link-broken = `{ $name }` 항목은 아무것도 가리키지 않는 링크입니다: { $reason }
class-two-submissions = `{ $learner }` 학습자의 제출물이 두 개입니다(폴더와 압축 파일, 또는 압축 파일 두 개). 하나만 남기십시오.
class-variant-unloadable = `{ $learner }` 학습자: 실습의 `{ $variant }` 변형을 불러올 수 없습니다: { $reason }
class-folder-unreadable = { $dir }: 반 폴더로 읽을 수 없습니다: { $reason }
class-folder-unreadable-help = 학습자마다 하위 폴더가 하나씩 있는 폴더를 지정하십시오.
class-folder-empty = { $dir }: 반 폴더에 학습자 하위 폴더가 없습니다.
class-folder-empty-help = 학습자마다 그 이름의 하위 폴더를 만들고 매니페스트를 넣으십시오.

## `kubelab class --roster FILE`(src/class/roster.rs)입니다.
class-no-submission = 미제출: 명단에 있는 학생이지만 반 폴더에 이 학생의 제출물이 없습니다.
class-note-not-in-roster = 명단에 없는 학습자가 { $count }명 있습니다: { $learners }
class-roster-unreadable = { $file }: 명단을 읽을 수 없습니다: { $reason }
class-roster-columns = { $file }: 명단의 첫 행에 `submission`(폴더나 압축 파일 이름)과 `student_id` 열이 있어야 합니다.
class-roster-twice = { $file }:{ $line }: `{ $submission }` 제출물이 명단에 두 번 있습니다.
class-roster-help = 명단은 첫 행이 submission,student_id,name,email인 CSV 파일입니다.
