# 거부: kubelab이 적용하지 않는 오브젝트입니다(src/policy/confine.rs).
policy-not-applied = { $kind } { $name }은(는) 적용하지 않습니다. kubelab이 거부하는 오브젝트입니다: { $reason }
policy-refused-kind = { $kind } `{ $name }`은(는) { $why ->
        [permissions] 권한을 부여하는 오브젝트입니다
        [limits] 샌드박스의 리소스 제한을 바꾸는 오브젝트입니다
        [storage] 스토리지를 요청하지만 실습 샌드박스는 스토리지를 제공하지 않습니다
        [admission] 클러스터 전체에서 API 서버가 받아들이는 것을 바꾸는 오브젝트입니다
       *[cluster-scoped] 클러스터 범위의 오브젝트입니다
    }. kubelab은 실습 오브젝트를 실습 네임스페이스 안에만 둡니다.
policy-refused-kind-help = 제출물에서 이 오브젝트를 제거하십시오. 이 실습에는 필요하지 않습니다.
policy-refused-namespace = { $kind } `{ $name }`은(는) 실습 네임스페이스 밖의 네임스페이스 `{ $namespace }`을(를) 대상으로 합니다.
policy-refused-namespace-help = `metadata.namespace`를 제거하십시오. kubelab은 실습 오브젝트를 실습 전용 네임스페이스에 적용합니다.
policy-refused-pod-security = { $kind } `{ $name }`은(는) { $violation }
policy-refused-pod-security-help = 실습 네임스페이스는 Pod Security Standard `{ $level }`을(를) 강제합니다. 이 표준이 금지하는 설정(privileged, 호스트 네임스페이스, hostPath, hostPort, 기본 집합을 넘어 추가한 capabilities 등)을 제거하십시오.
policy-refused-size = { $kind } `{ $name }`이(가) { $asked }개를 요청합니다({ $field }). 실습 샌드박스는 최대 { $max }개까지만 실행합니다.
policy-refused-size-help = 실습에는 파드가 몇 개만 있으면 됩니다. 숫자를 줄이십시오.
policy-refused-too-many = { $kind } `{ $name }`와(과) 그 뒤의 모든 오브젝트(제출물의 { $first }번째부터 { $total }번째까지)를 거부합니다. 실습 샌드박스는 오브젝트를 최대 { $max }개까지만 받습니다.
policy-refused-too-many-help = 과제가 요구하는 오브젝트만 제출하십시오.
# Pod Security admission(src/policy/pod_security.rs)입니다. $violations는 API 서버의 문구 그대로입니다.
policy-pod-security-violates = PodSecurity "{ $level }:{ $version }"을(를) 위반합니다: { $violations }
