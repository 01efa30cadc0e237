grade-known-deviation = API 기준으로 채점했습니다. 이 클러스터의 NetworkPolicy 집행기가 연결을 허용했으며({ $probe }), 이는 알려진 편차입니다({ $enforcer }): { $description }
grade-offline-said = 오프라인 판정: { $message }
grade-offline-disagrees = 오프라인 시뮬레이션의 판정이 다릅니다({ $verdict ->
        [pass] 통과
        [fail] 실패
       *[other] { $verdict }
    }): { $message }
grade-rejected-by-api-server = API 서버가 `{ $name }` { KIND($kind) }을(를) 거부했습니다: { $reason }
grade-live-in-namespace = `{ $namespace }` 네임스페이스에서 실제 클러스터로 채점했습니다(네임스페이스는 삭제 중입니다).
grade-not-found-in-namespace = `{ $namespace }` 네임스페이스에 `{ $name }` { KIND($kind) }이(가) 없습니다. { $file } 파일을 적용하십시오(`kubectl apply -f { $file }`).
grade-live-state-of-namespace = 실제 클러스터로 채점했습니다: `{ $namespace }` 네임스페이스의 현재 상태입니다.
grade-offline-because = 오프라인으로 채점했습니다: { $reason }
grade-would-be-rejected-by-api-server = API 서버가 `{ $name }` { KIND($kind) }을(를) 거부할 것입니다: { $reason }
grade-note-ignored = { $at }: `{ $name }` { KIND($kind) }은(는) 이 실습에 속하지 않으므로 무시했습니다.
grade-note-duplicate = { $at }: `{ $name }` { KIND($kind) }이(가) { $count }번 정의되어 있습니다({ $copies }). `kubectl apply -R -f`를 실행했을 때 남는 마지막 사본을 채점했습니다. 나머지는 삭제하십시오.
grade-progress-creating-sandbox = 샌드박스 네임스페이스를 만드는 중입니다
grade-progress-deleting-sandbox = 샌드박스 네임스페이스를 삭제하는 중입니다
grade-progress-starting-registry = 비공개 레지스트리를 시작하는 중입니다
grade-progress-creating-scenario = 실습 시나리오를 만드는 중입니다
grade-progress-waiting-for-pods = 파드 { $count }개가 Ready 상태가 되기를 기다리는 중입니다
grade-progress-step = 단계 { $number }: { $step }: { $stage ->
        [controls] 대조 관찰 중입니다
        [applying] 적용하는 중입니다
       *[checking] 검사하는 중입니다
    }
grade-note-variant-default = { $at }: 이 변형(`{ $variant }`)에서는 값이 다릅니다. { $about }: 기본 실습은 `{ $default }`, 이 변형은 `{ $value }`입니다.
grade-simulated-superseded-step = 네임스페이스의 객체로 시뮬레이션했습니다. 이미 적용된 다음 단계의 객체가 이 단계에서 클러스터가 보여 주는 결과를 바꾸기 때문입니다.
grade-note-forgot-variant-seed = 이 이름들은 기본 실습이 아니라 `{ $seed }` 변형의 이름입니다. `--variant { $seed }` 옵션을 붙여 채점하십시오.
grade-note-forgot-variant = `{ $name }` { $kind } 이름은 기본 실습이 아니라 이 실습의 한 변형에 속한 이름입니다. 과제지에 적힌 시드로 `--variant SEED` 옵션을 붙여 채점하십시오.
grade-pod-evicted = { $at }: kubelet이 `{ $pod }` 파드를 축출했습니다: { $message }
grade-evicted-storage = 샌드박스의 컨테이너는 노드 디스크에 { $limit }까지 쓸 수 있습니다(쓰기 가능한 컨테이너 계층, 로그, emptyDir 볼륨의 합계). `resources.limits.ephemeral-storage`로 최대 { $max }까지 늘릴 수 있으며, emptyDir의 `sizeLimit`는 그 볼륨 하나만 제한합니다.
grade-note-and-why = { $note } { $why }
grade-skipped-offline = 검사 { $count }개({ $points }점)는 오프라인에서 판정할 수 없어 점수에서 뺐습니다(검사마다 이유를 적었습니다). 클러스터에서만 판정할 수 있으니 `kubelab grade --live`로 채점하십시오.
