# 랩을 불러올 때 발견한 랩 작성자의 오류(src/lab/load.rs)입니다. 랩 파일과 줄을 밝히는
# 다른 랩 오류와 함께 영어로 보여 줍니다.

lab-field-bad-path = 검사 `{ $check }`의 경로 `{ $path }`의 형식이 잘못되었습니다: { $problem }
lab-field-path-help = 경로는 키를 `.`로 잇고, 목록의 한 원소는 `[N]`, 모든 원소는 `[*]`, 점이나 슬래시가 들어간 키는 `["키"]`로 씁니다(책의 "새 실습 작성하기 → 필드 경로"를 참고합니다)

# 실습 폴더 읽기(kubelab lab test DIR, --labs DIR)
lab-folder-unreadable = 실습 폴더를 읽을 수 없습니다: { $reason }
lab-folder-no-lab-yaml = lab.yaml이 없으므로 실습 폴더가 아닙니다.
lab-folder-help = 실습 폴더에는 lab.yaml, fixture와 probe, solution/ 폴더의 모범 답안, corpus/ 폴더의 시험 사례가 들어 있습니다(책의 "새 실습 작성하기"를 참고합니다).
lab-labs-folder-help = 하위 폴더마다 lab.yaml이 있는 폴더를 지정하십시오.
