# 랩을 불러올 때 발견한 랩 작성자의 오류(src/lab/load.rs)입니다. 랩 파일과 줄을 밝히는
# 다른 랩 오류와 함께 영어로 보여 줍니다.

lab-field-bad-path = 검사 `{ $check }`의 경로 `{ $path }`의 형식이 잘못되었습니다: { $problem }
lab-field-path-help = 경로는 키를 `.`로 잇고, 목록의 한 원소는 `[N]`, 모든 원소는 `[*]`, 점이나 슬래시가 들어간 키는 `["키"]`로 씁니다(책의 "새 실습 작성하기 → 필드 경로"를 참고합니다)

# 실습 폴더 읽기(kubelab lab test DIR, --labs DIR)
lab-folder-unreadable = 실습 폴더를 읽을 수 없습니다: { $reason }
lab-folder-no-lab-yaml = lab.yaml이 없으므로 실습 폴더가 아닙니다.
lab-folder-help = 실습 폴더에는 lab.yaml, fixture와 probe, solution/ 폴더의 모범 답안, corpus/ 폴더의 시험 사례가 들어 있습니다(책의 "새 실습 작성하기"를 참고합니다).
lab-labs-folder-help = 하위 폴더마다 lab.yaml이 있는 폴더를 지정하십시오.

# field 검사의 경로를 kind의 스키마와 대조한 결과
lab-field-path-not-an-object = { $kind } 객체는 매핑이므로 경로는 `[N]`이나 `[*]`가 아닌 필드 이름으로 시작합니다.
lab-field-path-no-such-field = { $at ->
    [none] { $kind } 객체의 최상위에는 `{ $key }` 필드가 없습니다
   *[other] { $kind } 객체의 그 위치에는 `{ $key }` 필드가 없습니다(`{ $at }`의 형식은 { $type_name }입니다)
}
lab-field-path-wrong-shape = { $kind } 객체의 `{ $at }`에 이 경로가 맞지 않습니다: { $problem }
lab-field-unresolvable = 검사 `{ $check }`의 경로 `{ $path }`에 해당하는 필드는 { $kind } 객체에 있을 수 없습니다: { $problem }
lab-field-unresolvable-help = 객체의 YAML에 쓰는 그대로 경로를 쓰십시오(`kubectl explain { $kind } --recursive`로 모든 필드를 볼 수 있습니다).

# 샌드박스에 있을 수 없는 fixture, probe, 단계
lab-fixture-refused-kind = { $what ->
    [probe] probe
   *[fixture] fixture
} 파일 `{ $file }`: { $reason }
lab-fixture-refused-kind-help = 샌드박스는 이 kind를 적용하지 않으므로 실습에 둘 수 없습니다. 실습에서 제거하십시오.
lab-fixture-other-namespace = { $what ->
    [probe] probe
   *[fixture] fixture
} 파일 `{ $file }`: `{ $name }` { KIND($kind) }이(가) 실습이 선언하지 않은 `{ $namespace }` 네임스페이스에 있습니다(실습의 네임스페이스는 `{ $lab_namespace }`입니다).
lab-fixture-other-namespace-help = `metadata.namespace`를 제거하십시오. kubelab은 모든 { $what ->
    [probe] probe를
   *[fixture] fixture를
} 실습의 네임스페이스에 만들며, 다른 네임스페이스의 것을 옮겨 오지 않습니다.
lab-submit-refused-kind = 단계가 샌드박스에서 항상 거부하는 객체를 요구합니다: { $reason }
lab-submit-refused-kind-help = 어떤 학습자도 제출할 수 없습니다. 다른 kind의 객체를 요구하십시오(Namespace는 `namespace:`, 승인 정책은 `admission-policies: true`가 필요합니다).
