# kubelab doctor: 검사 이름과 세부 내용입니다.

cluster-doctor-whole = 전체 점검
cluster-doctor-reachable = 클러스터 연결
cluster-doctor-reachable-detail = { $server } ({ $version })
cluster-doctor-permission = 권한: { $verbs } { $resource }
cluster-doctor-allowed = 모든 네임스페이스에서 허용됩니다.
cluster-doctor-could-not-ask = 권한을 확인할 수 없습니다: { $reason }
cluster-doctor-denied = 거부되었습니다: { $verbs }
cluster-doctor-temporary-namespace = 임시 네임스페이스
cluster-doctor-namespace-not-created = 임시 네임스페이스를 만들 수 없습니다: { $reason }
cluster-doctor-namespace-deleted = `{ $namespace }` 네임스페이스를 만들고 삭제했습니다(삭제에 { $seconds }초).
cluster-doctor-namespace-not-deleted = `{ $namespace }` 네임스페이스를 삭제하지 못했습니다: { $reason } (`kubelab clean`으로 삭제할 수 있습니다)
cluster-doctor-netpol = NetworkPolicy 적용
cluster-doctor-dns = 클러스터 DNS 응답
cluster-doctor-dns-answers = 파드에서 { $host } 이름을 확인했습니다({ $seconds }초). `dns` 검사와 Service로의 접속 검사를 실행할 수 있습니다.
cluster-doctor-dns-no-answer = { $seconds }초 안에 파드에서 { $host } 이름을 확인하지 못했습니다. `dns` 검사와 Service로의 접속 검사가 오류로 끝납니다({ $output }).
cluster-doctor-not-probed = 검사하지 않았습니다.
cluster-doctor-pods-not-ready = 검사하지 않았습니다: listener(redis) 파드와 client(busybox:1.28) 파드가 모두 준비되지는 않았습니다.
cluster-doctor-listener-no-ip = listener 파드에 IP가 없습니다.
cluster-doctor-baseline = 기준 검사: client → listener:6379 연결이 되어야 하는데 결과가 { $outcome }입니다.
cluster-doctor-enforced = 정책 전에는 연결되었고, deny-all ingress 정책을 만든 지 { $seconds }초 뒤에는 { $how ->
        [refused] 연결이 거부되었습니다
       *[timed-out] 연결 시간이 초과되었습니다
    } ({ $output })
cluster-doctor-not-enforced = deny-all ingress 정책을 만든 지 { $seconds }초가 지나도 연결됩니다. 클러스터의 네트워크 플러그인이 NetworkPolicy를 적용하지 않습니다.
cluster-doctor-enforcer = NetworkPolicy 적용 주체
cluster-doctor-enforcer-named = { $name } (API 그룹 { $group })
cluster-doctor-enforcer-unnamed = API 그룹으로는 알 수 없습니다. Cilium, Calico, Antrea에는 API 그룹이 있지만 kube-router에는 없습니다
cluster-doctor-enforcer-detail = { $name }. { $how ->
        [drop] 거부할 때 패킷을 버립니다: 거부된 연결은 클라이언트의 제한 시간까지 기다리므로, 차단된 연결을 확인할 때마다 그 시간이 걸립니다.
       *[reject] 거부할 때 연결을 바로 거절합니다: 아무것도 수신하지 않는 포트처럼 즉시 연결이 거부됩니다.
    }
cluster-doctor-enforcer-no-denial = { $name }. 거부된 연결이 없어 거부 방식은 알 수 없습니다.
cluster-doctor-image = 이미지 { $image } 받기
cluster-doctor-not-tried = 시도하지 않았습니다.
cluster-doctor-pulled = 이미지를 받아 실행 중입니다.
cluster-doctor-pod-failed = { $reason }: { $message }
cluster-doctor-pod-not-ready = { $seconds }초 안에 준비되지 않았습니다({ $reason }).
cluster-doctor-pod-disappeared = 파드가 사라졌습니다.

# kubelab clean: 네임스페이스마다 삭제하거나 남겨 둔 이유입니다.

cluster-clean-run-of = 실행 { $run }({ $owner })
cluster-clean-a-run-of = { $owner }의 실행
cluster-clean-unknown-owner = 알 수 없는 소유자
cluster-clean-being-deleted = 이미 삭제 중입니다({ $whose }).
cluster-clean-all = --all 옵션
cluster-clean-run = { $whose } (--run 옵션)
cluster-clean-other-run = { $whose }: 요청한 실행이 아닙니다.
cluster-clean-no-valid-lease = { $whose }: 유효한 리스(Lease)가 없습니다.
cluster-clean-lease-expired = { $whose }: { $seconds }초 전부터 리스(Lease)를 갱신하지 않았습니다.
cluster-clean-own-session = 본인의 실습 세션입니다({ $whose }).
cluster-clean-running-exam = 진행 중인 본인의 시험입니다({ $whose }). `kubelab exam end`로 채점하고 삭제하십시오.
cluster-clean-alive = { $whose }: 아직 살아 있습니다({ $hold ->
        [session] 세션
       *[process] 프로세스
    } 보유, { $seconds }초 전에 리스 갱신).
cluster-clean-no-lease = { $whose }: `{ $lease }` 리스(Lease)가 없습니다.
cluster-clean-being-set-up = { $whose }: 준비 중입니다(생성된 지 { $seconds }초).
cluster-doctor-pids = 파드당 프로세스 수 제한
cluster-doctor-pids-bounded = 제한됩니다: 파드 하나는 프로세스를 { $processes }개까지 실행할 수 있습니다(kubelet의 podPidsLimit). 확인용 파드는 그 수에서 fork에 실패했습니다.
cluster-doctor-pids-unbounded = 제한되지 않습니다: 확인용 파드가 프로세스 { $processes }개를 실행하는 동안 한 번도 거부되지 않았으므로, 학습자 한 명의 포크 폭탄이 노드의 프로세스 ID를 모두 써 버릴 수 있습니다. kubelet의 podPidsLimit을 설정하십시오(예: 1024).
cluster-doctor-pids-unknown = 확인하지 못했습니다: { $reason }
cluster-pids-probe-ended = 확인용 파드가 프로세스 { $started }개를 시작한 뒤 종료 코드 { $code }({ $reason })로 끝났습니다.
cluster-pids-unbounded-warning = 경고: 이 클러스터는 파드의 프로세스 수를 제한하지 않습니다. 확인용 파드가 프로세스 { $processes }개를 실행하는 동안 한 번도 거부되지 않았습니다. 학습자 한 명의 포크 폭탄이 노드의 프로세스 ID를 모두 써 버려 같은 노드의 다른 파드까지 멈출 수 있습니다. 클러스터 관리자에게 kubelet의 podPidsLimit 설정(예: 1024)을 요청하십시오. `kubelab doctor`로 확인할 수 있습니다.
cluster-isolation-class-warning = 경고: 이번 채점 동안 학습자의 파드가 다른 학습자의 파드에 연결할 수 있습니다. 이 클러스터는 CiliumNetworkPolicy를 제공하지 않습니다. kubelab은 실습의 NetworkPolicy가 뜻하는 바를 바꾸지 않고 샌드박스를 서로 떼어 놓을 때 이 방법만 씁니다(kube-router에는 이런 방법이 없습니다). `kubelab doctor`로 확인할 수 있습니다.
cluster-pids-unknown-warning = 경고: 이 클러스터가 파드의 프로세스 수를 제한하는지 확인하지 못했습니다({ $reason }). `kubelab doctor`로 확인할 수 있습니다.
cluster-doctor-admission-labs = { $detail } — 학습자 admission 정책을 쓰는 실습(allowed-registries)에만 필요합니다. 이 실습을 쓰는 클러스터에는 deploy/rbac-admission-labs.yaml을 적용하십시오
cluster-doctor-isolation = 샌드박스 간 격리
cluster-doctor-isolation-cilium = 격리됩니다(Cilium): 샌드박스마다 CiliumNetworkPolicy를 만들어(이름: { $policy }) 다른 kubelab 네임스페이스의 파드와 주고받는 트래픽을 거부합니다. 거부 규칙만 있고 기본 거부는 켜지 않으므로 실습의 NetworkPolicy는 의미가 그대로입니다.
cluster-doctor-isolation-unsupported = 격리되지 않습니다: 클러스터가 CiliumNetworkPolicy를 제공하지 않고, 그 적용 주체(예: kube-router)에는 NetworkPolicy의 의미를 바꾸지 않는 클러스터 전체 거부 규칙이 없으므로, 수업에서 한 학습자의 파드가 다른 학습자의 파드에 연결할 수 있습니다.
cluster-doctor-isolation-forbidden = 격리되지 않습니다: Cilium은 있지만 kubelab이 격리 정책을 만들 권한이 없습니다({ $reason }). deploy/rbac.yaml을 다시 적용하십시오.
cluster-doctor-isolation-grant = { $detail } — Cilium에서 샌드박스를 서로 격리할 때만 필요합니다. deploy/rbac.yaml을 다시 적용하십시오
