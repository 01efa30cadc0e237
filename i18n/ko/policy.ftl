# 거부: kubelab이 적용하지 않는 오브젝트입니다(src/policy/confine.rs).
policy-not-applied = `{ $name }` { KIND($kind) }은(는) 적용하지 않습니다. kubelab이 거부하는 오브젝트입니다: { $reason }
policy-refused-kind = `{ $name }` { KIND($kind) }은(는) { $why ->
        [permissions] 권한을 부여합니다
        [limits] 샌드박스의 리소스 제한을 바꿉니다
        [storage] 스토리지를 요청하지만 실습 샌드박스는 스토리지를 제공하지 않습니다
        [admission] 클러스터 전체에서 API 서버가 받아들이는 것을 바꿉니다
       *[cluster-scoped] 클러스터 범위의 리소스입니다
    }. kubelab은 실습 오브젝트를 실습 네임스페이스 안에만 둡니다.
policy-refused-kind-help = 제출물에서 이 오브젝트를 제거하십시오. 이 실습에는 필요하지 않습니다.
policy-refused-namespace = `{ $name }` { KIND($kind) }은(는) 실습 네임스페이스 밖의 `{ $namespace }` 네임스페이스를 대상으로 합니다.
policy-refused-namespace-help = `metadata.namespace`를 제거하십시오. kubelab은 실습 오브젝트를 실습 전용 네임스페이스에 적용합니다.
policy-refused-pod-security = `{ $name }` { KIND($kind) }은(는) { $violation }
policy-refused-pod-security-help = 실습 네임스페이스는 Pod Security Standard의 `{ $level }` 수준을 강제합니다. 이 표준이 금지하는 설정(privileged, 호스트 네임스페이스, hostPath, hostPort, 기본 집합을 넘어 추가한 capabilities 등)을 제거하십시오.
policy-refused-size = `{ $name }` { KIND($kind) }이(가) { $asked }개를 요청합니다({ $field }). 실습 샌드박스는 최대 { $max }개까지만 실행합니다.
policy-refused-size-help = 실습에는 파드가 몇 개만 있으면 됩니다. 숫자를 줄이십시오.
policy-refused-too-many = `{ $name }` { KIND($kind) }와(과) 그 뒤의 모든 오브젝트(제출물의 { $first }번째부터 { $total }번째까지)를 거부합니다. 실습 샌드박스는 오브젝트를 최대 { $max }개까지만 받습니다.
policy-refused-too-many-help = 과제가 요구하는 오브젝트만 제출하십시오.
# Pod Security admission(src/policy/pod_security.rs)입니다. $violations는 API 서버의 문구 그대로입니다.
policy-pod-security-violates = PodSecurity "{ $level }:{ $version }" 표준을 위반합니다: { $violations }
policy-pod-security-violation = { $reason } ({ $detail })
policy-list-comma = { $first }, { $rest }
policy-list-and = { $first } 및 { $rest }
# Pod Security 위반의 세부 내용입니다.
policy-ps-parts = { $parts }
policy-ps-pod = 파드
policy-ps-containers = { $names } { $count ->
       *[other] 컨테이너
    }
policy-ps-annotations = { $count ->
       *[other] 어노테이션
    }
policy-ps-pod-or = 파드 또는 { $containers }
policy-ps-host-namespaces = { $fields }
policy-ps-sysctls = { $names }
policy-ps-must-not-set = { $who }에 { $setting } 설정이 있으면 안 됩니다
policy-ps-must-set = { $who }에 { $setting } 설정이 있어야 합니다
policy-ps-must-not-set-to = { $who }은(는) { $field } 필드를 { $values } 값으로 설정하면 안 됩니다
policy-ps-must-not-add = { $who }은(는) securityContext.capabilities.add에 다음 capability를 넣으면 안 됩니다: { $capabilities }
policy-ps-volumes = { $names } { $count ->
       *[other] 볼륨
    }
policy-ps-host-ports = { $who }이(가) { $ports_count ->
       *[other] hostPort
    }를 { $count ->
       *[other] 사용합니다
    }: { $ports }
policy-ps-app-armor = { $who }은(는) AppArmor 프로필 유형을 { $values } 값으로 설정하면 안 됩니다
policy-ps-se-linux = { $who }이(가) 금지된 securityContext.seLinuxOptions를 설정했습니다: { $data }
policy-ps-se-linux-types = { $types } { $count ->
       *[other] 유형
    }
policy-ps-se-linux-user = user는 설정할 수 없습니다
policy-ps-se-linux-role = role은 설정할 수 없습니다
policy-ps-probe-hosts = { $who }이(가) { $hosts_count ->
       *[other] 프로브 또는 라이프사이클 호스트
    }를 { $count ->
       *[other] 사용합니다
    }: { $hosts }
policy-ps-restricted-volumes = { $names } { $count ->
       *[other] 볼륨
    }이 { $types_count ->
       *[other] 제한된 볼륨 유형
    }을 사용합니다: { $types }
policy-ps-seccomp-must-set = { $who }은(는) securityContext.seccompProfile.type을 "RuntimeDefault" 또는 "Localhost"로 설정해야 합니다
# LimitRanger와 리소스 검증입니다(src/policy/limits.rs).
policy-limits-request-above-limit = { $field }: 잘못된 값 { $request }입니다. { $resource } limit { $limit } 이하여야 합니다.
policy-limits-above-max = 컨테이너당 최대 { $resource } 사용량은 { $max }이지만 { $which ->
        [limit] limit
       *[request] request
    } 값이 { $value }입니다
policy-limits-forbidden = "{ $pod }" 파드는 허용되지 않습니다: { $errors }
policy-limits-several = [{ $errors }]
policy-refused-external-ips = `{ $name }` 서비스에 externalIPs 설정이 있습니다. 이런 서비스는 그 주소로 가는 클러스터의 트래픽을 가로채므로(CVE-2020-8554) 실습 샌드박스는 받지 않습니다.
policy-refused-external-ips-help = spec.externalIPs 설정을 지우십시오. 파드는 서비스 이름이나 ClusterIP로 서비스에 접속합니다.
policy-refused-node-port = `{ $name }` 서비스의 타입은 { $service_type }입니다. 이 타입은 공용 클러스터의 모든 노드에 포트를 열며, 이 타입이 필요한 실습은 없습니다.
policy-refused-node-port-help = spec.type 설정을 빼십시오(기본값 ClusterIP). 파드는 클러스터 안에서 서비스 이름으로 접속합니다.
policy-refused-external-name = `{ $name }` 서비스는 `{ $target }` 주소를 가리키는 ExternalName 별칭이며, 이 주소는 클러스터 안에 있습니다. 다른 네임스페이스의 서비스로 가는 별칭은 실습에서 만들 수 없습니다.
policy-refused-external-name-help = 대신 selector로 실습의 파드를 가리키는 서비스를 만드십시오.
