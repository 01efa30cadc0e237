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
policy-namespace-name = `{ $name }` 네임스페이스는 실습의 네임스페이스가 아닙니다. 과제의 네임스페이스 이름은 `{ $expected }`입니다
policy-namespace-name-help = Namespace의 metadata.name을 과제와 같은 `{ $expected }` 값으로 지정하십시오
policy-namespace-field = `{ $name }` 네임스페이스에 `{ $field }` 필드가 설정되어 있습니다. 이 실습에서는 네임스페이스의 일부 라벨만 설정할 수 있습니다
policy-namespace-field-help = metadata.name과 과제가 요구하는 라벨만 남기십시오
policy-namespace-label = `{ $name }` 네임스페이스에 `{ $label }` 라벨이 설정되어 있습니다. 이 실습에서는 설정할 수 없는 라벨입니다
policy-namespace-label-help = 이 실습에서 설정할 수 있는 라벨은 { $allowed }입니다
policy-namespace-bad-level = `{ $label }: { $value }` 값은 Pod Security 수준이 아니므로 Pod Security admission이 네임스페이스를 거부합니다
policy-namespace-level-help = 수준은 privileged, baseline, restricted 세 가지입니다
policy-namespace-bad-version = `{ $label }: { $value }` 값은 Pod Security 버전이 아니므로 Pod Security admission이 네임스페이스를 거부합니다
policy-namespace-version-help = 클러스터의 버전인 { $version } 값으로 고정하십시오
policy-namespace-enforce-version = enforce-version 값(`{ $value }`)이 클러스터의 버전(`{ $version }`)과 다릅니다. 이전 버전은 검사 항목이 적고, `latest`는 클러스터가 바뀌면 함께 바뀝니다
policy-namespace-lower = enforce 수준 `{ $value }` 설정은 샌드박스 자체 수준인 `{ $level }`보다 낮습니다. 실습 네임스페이스에서는 특권 Pod를 실행하지 않습니다
policy-namespace-lower-help = enforce 수준을 `{ $level }` 또는 `restricted` 값으로 설정하십시오
policy-admission-policy-params = `{ $name }` { $kind } 객체가 파라미터(`{ $field }`)를 사용합니다. 파라미터 객체는 실습 네임스페이스 밖에 있을 수 있으므로 실습에서는 사용하지 않습니다
policy-admission-policy-params-help = 허용할 값을 정책의 표현식에 직접 작성하십시오
policy-admission-policy-resource = `{ $name }` 정책(ValidatingAdmissionPolicy)이 `{ $resource }` 리소스에 적용됩니다. 실습의 정책을 적용할 수 있는 리소스는 { $allowed }입니다
policy-admission-policy-operation = `{ $name }` 정책(ValidatingAdmissionPolicy)이 `{ $operation }` 작업에 적용됩니다. 실습의 정책은 CREATE와 UPDATE에만 적용할 수 있습니다
policy-admission-policy-scope-help = Pod(및 Pod를 만드는 워크로드)의 CREATE와 UPDATE에 적용하십시오. 그 밖의 대상에 적용되는 정책은 실습 네임스페이스나 클러스터를 잠글 수 있습니다
policy-namespace-unpinned = enforce 수준 옆에 enforce-version이 없습니다. 이 경우 Pod Security admission은 클러스터를 업그레이드할 때마다 최신 버전 기준으로 검사합니다
# ValidatingAdmissionPolicy 오프라인 평가(src/policy/vap.rs)에서 kubelab이 판단하지 못하는 이유입니다.
policy-vap-params = ValidatingAdmissionPolicy `{ $policy }`은(는) 파라미터(paramKind, paramRef)를 사용합니다. kubelab은 이를 오프라인으로 평가하지 않습니다.
policy-vap-audit-annotations = ValidatingAdmissionPolicy `{ $policy }`에 auditAnnotations가 있습니다. kubelab은 이를 오프라인으로 평가하지 않습니다.
policy-vap-operation = ValidatingAdmissionPolicy `{ $policy }`이(가) { $operation } 요청에 대해 평가됩니다. kubelab은 CREATE 요청만 오프라인으로 평가합니다.
policy-vap-no-name = ValidatingAdmissionPolicy `{ $policy }`이(가) `metadata.name`이 없는 오브젝트에 대해 평가됩니다. kubelab은 생성될 이름을 알 수 없습니다.
policy-vap-match-policy = 정책의 규칙은 `matchPolicy: Equivalent`를 통해서만 `{ $resource }`와 일치할 수 있습니다. kubelab은 이 리소스의 동등한 리소스를 알지 못합니다.
policy-vap-parse = kubelab은 CEL 표현식 `{ $expression }`을(를) 해석하지 못합니다: { $error }
policy-vap-construct = CEL 표현식 `{ $expression }`은(는) { $construct }을(를) 사용합니다. kubelab은 이를 오프라인으로 평가하지 않습니다.
policy-vap-field = CEL 표현식 `{ $expression }`은(는) `{ $field }`을(를) 읽습니다. 이 값은 admission 전에 API 서버가 설정하거나 kubelab이 알지 못합니다.
policy-vap-whole = CEL 표현식 `{ $expression }`은(는) `{ $field }` 전체를 사용합니다. 여기에는 admission 전에 API 서버가 설정하는 필드가 들어 있습니다.
policy-vap-function = CEL 표현식 `{ $expression }`은(는) `{ $function }`을(를) 호출합니다. kubelab의 CEL 인터프리터에는 이 함수가 없습니다.
policy-vap-error = CEL 표현식 `{ $expression }`의 평가가 실패합니다({ $error }). kubelab은 API 서버가 이 오류를 어떻게 표현하는지 알지 못합니다.
policy-vap-error-in-comprehension = CEL 표현식 `{ $expression }`이(가) comprehension 안에서 실패합니다. API 서버는 이 오류를 흡수할 수 있습니다.
policy-vap-variable-error = ValidatingAdmissionPolicy `{ $policy }`의 변수 `{ $variable }` 평가가 실패합니다. kubelab은 이 오류가 전파되는 방식을 모델링하지 않습니다.
