# 네트워크 정책 규칙의 포트입니다(src/netpol/port.rs).
netpol-port-all = { $protocol }(모든 포트)
netpol-port = { $protocol }{ $sep }{ $port }
netpol-port-named-undeclared = { $protocol }{ $sep }{ $name }(`{ $pod }` 파드가 그 이름과 프로토콜로 선언하지 않은 이름 있는 포트)
netpol-port-named = { $protocol }{ $sep }{ $name }(`{ $pod }` 파드에서 { $numbers }번인 이름 있는 포트)
netpol-ports-all = 모든 포트
netpol-list-comma = { $first }, { $rest }
# 규칙의 피어입니다(src/netpol/peer.rs).
netpol-maybe-ip-block = { $peer }: `{ $pod }` 파드의 IP와 일치하는지 알 수 없습니다. ipBlock이 파드 간 트래픽에 적용되는지는 네트워크 플러그인에 따라 다릅니다.
netpol-maybe-host-network-peer = `{ $pod }` 파드는 hostNetwork를 사용합니다. 이 파드의 트래픽이 다음 피어와 일치하는지는 네트워크 플러그인에 따라 다릅니다: { $peer }
netpol-reasons = { $reasons }
netpol-peer-ip-block-except = ipBlock { $cidr } 대역({ $except } 제외)
netpol-peer-ip-block = ipBlock { $cidr } 대역
netpol-peer-selector = { $selector }
netpol-peer-selector-in-namespace = 네임스페이스 { $namespace }의 { $selector } 파드
netpol-peer-namespace = 네임스페이스 { $namespace }의 모든 파드
netpol-peer-none = 피어 없음
netpol-peer-pods = { $selector } 파드
netpol-peer-all-pods = 모든 파드
netpol-peer-in-all-namespaces = 모든 네임스페이스의 { $pods }
netpol-peer-in-namespaces = { $selector } 네임스페이스의 { $pods }
netpol-peer-in-namespaces-by-name = { $selector } 네임스페이스의 { $pods }(네임스페이스에 `name` 라벨은 누군가 직접 붙였을 때만 있습니다. 모든 네임스페이스에는 `kubernetes.io/metadata.name: { $name }` 라벨이 있습니다)
netpol-peers-everyone = 모든 대상
netpol-peers-or = { $first } 또는 { $rest }
# 판정입니다(src/netpol/decide.rs). $direction은 `ingress` 또는 `egress`입니다.
netpol-maybe-host-network = `{ $pod }` 파드는 hostNetwork를 사용합니다. NetworkPolicy가 호스트 네트워크 트래픽에 적용되는지는 네트워크 플러그인에 따라 다릅니다.
netpol-rule-allows = { $peers }에 대해 다음 포트를 허용합니다: { $ports }
netpol-near-miss-port = `{ $policy }` 정책의 `{ $rule }` 규칙은 { $direction ->
        [ingress] 출발지인
       *[egress] 목적지인
    } `{ $other }` 파드와 { $certain ->
        [yes] 일치하지만
       *[maybe] 일치할 수도 있지만
    } { $ports }만 허용합니다
netpol-near-miss-peer = `{ $policy }` 정책의 `{ $rule }` 규칙은 { $protocol }/{ $port } 연결을 허용하지만, { $direction ->
        [ingress] 출발지가
       *[egress] 목적지가
    } { $peers }인 연결만 허용합니다
# 판정의 설명입니다(src/netpol/explain.rs).
netpol-what-ingress = `{ $from }` 파드에서 오는 { $protocol }/{ $port } 연결
netpol-what-egress = `{ $to }` 파드로 가는 { $protocol }/{ $port } 트래픽
netpol-with-near-misses = { $text }. { $near }
netpol-list-and = { $first }. 그리고 { $rest }
netpol-list-also = { $first }. 또한 { $rest }
netpol-explain-rule = `{ $policy }` 정책의 `{ $rule }` 규칙은 { $reason }
netpol-explain-isolated-by = `{ $pod }` 파드는 { $policies } 정책에 의해 { $direction ->
        [ingress] 인그레스
       *[egress] 이그레스
    } 방향으로 격리되어 있습니다. { $rules }
netpol-explain-allowed-no-policy = 허용됨: 인그레스 방향으로 `{ $ingress_pod }` 파드를 선택하는 네트워크 정책이 없고, 이그레스 방향으로 `{ $egress_pod }` 파드를 선택하는 네트워크 정책도 없습니다
netpol-explain-allowed = 허용됨: { $parts }
netpol-explain-blocked-side = `{ $pod }` 파드는 { $policies } 정책에 선택되어 { $direction ->
        [ingress] 인그레스
       *[egress] 이그레스
    } 방향으로 격리되어 있으며, { $what }을 허용하는 { $direction ->
        [ingress] 인그레스
       *[egress] 이그레스
    } 규칙이 없습니다
netpol-explain-blocked = 차단됨: { $parts }
netpol-explain-rule-reason = `{ $policy }` 정책의 `{ $rule }` 규칙: { $reason }
netpol-explain-undecided-side = `{ $pod }` 파드는 { $policies } 정책에 선택되어 { $direction ->
        [ingress] 인그레스
       *[egress] 이그레스
    } 방향으로 격리되어 있으며, { $what }을 허용할 수 있는 규칙은 효과가 네트워크 플러그인에 따라 달라지는 규칙뿐입니다({ $reasons })
netpol-explain-undecided = 네트워크 플러그인에 따라 다릅니다: { $parts }
# 알려진 네트워크 정책 집행기의 편차입니다(src/netpol/deviation.rs).
netpol-deviation-kube-router-enforcer = kube-router v2.x(k3s에 내장된 NetworkPolicy 컨트롤러)
netpol-deviation-kube-router-unresolved-named-port = 목적지 파드가 선언하지 않은 이름 있는 포트만 ports에 나열한 규칙을 ports가 없는 규칙으로 집행하여 모든 포트를 허용합니다(pkg/controllers/netpol/policy.go: `len(ingressRule.ports) == 0 && len(ingressRule.namedPorts) == 0`). API 기준으로는 이런 규칙은 어떤 포트와도 일치하지 않습니다.
# API 서버가 NetworkPolicy에서 거부하는 내용입니다(src/netpol/validate.rs).
netpol-invalid-too-many-policy-types = policyTypes는 두 개까지만 지정할 수 있습니다
netpol-invalid-unsupported = { $value }: 지원하지 않는 값입니다. 지원하는 값은 { $supported }입니다
netpol-invalid-no-peer = 피어를 지정해야 합니다
netpol-invalid-ip-block-and-peer = ipBlock과 다른 피어를 함께 지정할 수 없습니다
netpol-invalid-port-range = { $value }: 1 이상 65535 이하여야 합니다
netpol-invalid-end-port-below = { $value }: `port`보다 크거나 같아야 합니다
netpol-invalid-end-port-named = { $value }: `port`가 숫자가 아니면 지정할 수 없습니다
netpol-invalid-end-port-without-port = { $value }: `port`를 지정하지 않으면 지정할 수 없습니다
netpol-invalid-port-name = { $value }: { $problem ->
        [length] 15자 이하여야 합니다
        [characters] 영문 소문자와 숫자(a-z, 0-9), 하이픈(-)만 포함해야 합니다
        [hyphens] 하이픈을 연달아 쓸 수 없습니다
        [letter] 영문자(a-z)를 하나 이상 포함해야 합니다
       *[ends] 하이픈으로 시작하거나 끝날 수 없습니다
    }
netpol-invalid-required = 필수 값입니다
netpol-invalid-cidr = { $value }: 올바른 CIDR 값이어야 합니다(예: 10.9.8.0/24 또는 2001:db8::/64)
netpol-invalid-not-subset = { $value }: `cidr`의 진부분집합이어야 합니다
netpol-invalid-label-key = { $value }: 이름 부분은 영숫자, '-', '_', '.'로만 이루어지고 영숫자로 시작하고 끝나야 하며, 앞에 DNS 서브도메인 접두사와 '/'를 붙일 수 있습니다
netpol-invalid-label-value = { $value }: 올바른 라벨 값은 빈 문자열이거나, 영숫자, '-', '_', '.'로만 이루어지고 영숫자로 시작하고 끝나야 합니다
netpol-invalid-values-required = `operator`가 'In' 또는 'NotIn'이면 지정해야 합니다
netpol-invalid-values-forbidden = `operator`가 'Exists' 또는 'DoesNotExist'이면 지정할 수 없습니다
netpol-invalid-operator = { $value }: 올바른 셀렉터 연산자가 아닙니다
netpol-invalid-port-quoted-number = { $value }: 영문자(a-z)를 하나 이상 포함해야 합니다. 따옴표로 감싼 숫자는 API 서버가 포트 이름으로 읽습니다. 따옴표를 지우십시오(port: { $number }).
netpol-deviation-cilium-enforcer = Cilium(v1.20) 네트워크 정책 구현
netpol-deviation-cilium-rules-outside-policy-types = Cilium은 policyTypes와 상관없이 NetworkPolicy의 egress·ingress 규칙을 적용합니다(pkg/k8s/network_policy.go). 그러나 Kubernetes는 policyTypes에 없는 방향의 규칙을 무시하므로, API 기준으로 이 규칙은 아무 효과가 없습니다
