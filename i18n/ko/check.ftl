# 검사 메시지: 오프라인 평가(src/check/offline), 실제 클러스터 검사(src/check/live),
# 그 바탕이 되는 Kubernetes 동작(src/check/*.rs).

## 공통

check-comma-list = { $head }, { $tail }
check-cluster-error = 클러스터 API 오류: { $error }
check-connection = { $from } → { $to }:{ $port }

## 시뮬레이션한 네임스페이스 (world.rs)

check-not-found = `{ $name }` { KIND($kind) }이(가) 없습니다
check-not-found-same-kind = `{ $name }` { KIND($kind) }이(가) 없습니다. 있는 { KIND($kind) }은(는) { $found }입니다. 과제에서 요구하는 이름은 `{ $name }`입니다
check-not-found-other-kind = `{ $name }` { KIND($kind) }이(가) 없습니다. 같은 이름의 객체가 있지만 그 kind는 `{ $found }`입니다. 이 과제에서 요구하는 kind는 `{ $kind }`입니다
check-not-found-in-file = `{ $name }` { KIND($kind) }이(가) 없습니다. 과제에 따르면 이 객체는 `{ $file }`에 작성해야 합니다
check-not-found-other-namespace = `{ $name }` { KIND($kind) }이(가) `{ $expected }` 네임스페이스에 없습니다. `{ $found }` 네임스페이스에 있습니다. 과제에서 요구하는 네임스페이스는 `{ $expected }`입니다

## 시뮬레이션하지 않는 검사 (offline/mod.rs)

check-exec-offline = exec 검사는 컨테이너 안에서 명령을 실행합니다: 클러스터에서만 채점합니다

## `field` (offline/field.rs, live/field.rs)

check-unknown-kind = 알 수 없는 kind입니다: { $kind }
check-field-unset-must-be = `{ $name }` { KIND($kind) }의 { $path } 필드가 설정되어 있지 않습니다. 필요한 값은 { $expected }입니다
check-field-unset = `{ $name }` { KIND($kind) }의 { $path } 필드가 설정되어 있지 않습니다
check-field-wrong = `{ $name }` { KIND($kind) }의 { $path } 필드 값이 { $actual }입니다. 필요한 값은 { $expected }입니다
check-field-is = `{ $name }` { KIND($kind) }의 { $path } 필드 값은 { $actual }입니다
check-field-no-elements = `{ $name }` { KIND($kind) }의 { $path } 필드가 설정되어 있지 않습니다. { $list } 목록에 원소가 없습니다
check-field-every-is = `{ $name }` { KIND($kind) }의 { $path } 필드 값은 원소 { $count }개 모두 { $value }입니다
check-field-every-set = `{ $name }` { KIND($kind) }의 { $path } 필드가 원소 { $count }개 모두에 설정되어 있습니다
check-field-bad-path = 검사의 경로 `{ $path }`의 형식이 잘못되었습니다: { $problem }

## 실제로 적용되는 보안 설정 (security_context.rs, offline/security.rs)

check-sandbox-group-without-user = 파드가 시작되지 않습니다: spec.securityContext에 runAsUser 없이 runAsGroup만 설정되어 있어 containerd가 파드의 샌드박스를 만들 수 없습니다(FailedCreatePodSandBox: user group is specified without user). spec.securityContext에 runAsUser도 설정하십시오
check-non-root-but-uid-zero = runAsNonRoot가 true인데 runAsUser가 0입니다: kubelet이 컨테이너 시작을 거부합니다(CreateContainerConfigError)
check-non-root-but-image-root = runAsNonRoot가 true인데 이미지가 root로 실행되고 runAsUser가 설정되어 있지 않습니다: kubelet이 컨테이너 시작을 거부합니다(CreateContainerConfigError)
check-pod-did-not-deserialize = 파드를 역직렬화하지 못했습니다
check-no-such-container = `{ $pod }` 파드에 `{ $container }` 컨테이너가 없습니다(있는 컨테이너: { $names })
check-source-field = { $path }에서 설정
check-run-as-uid-wrong = UID { $actual }(으)로 실행됩니다({ $why }). UID { $uid }(으)로 실행되어야 합니다. spec.securityContext 또는 { $sc }에서 runAsUser 값을 { $uid }(으)로 설정하십시오
check-run-as-uid = UID { $uid }(으)로 실행됩니다({ $why })
check-run-as-gid-wrong = GID { $actual }(으)로 실행됩니다({ $why }). GID { $gid }(으)로 실행되어야 합니다. runAsGroup 값을 { $gid }(으)로 설정하십시오
check-run-as-gid = GID { $gid }(으)로 실행됩니다({ $why })
check-run-as-groups-lack = 보조 그룹 { $groups }에 { $missing } 그룹이 없습니다. fsGroup을 설정하십시오(파드 수준에만 있는 필드입니다)
check-run-as-groups = 보조 그룹 { $groups }에 속합니다
check-runs-as-list = { $head }. { $tail }
check-runs = 실행됩니다
check-rootfs-read-only = 루트 파일 시스템이 읽기 전용입니다({ $path }). `touch /testfile` 명령은 "Read-only file system" 오류로 실패합니다
check-rootfs-writable = 루트 파일 시스템에 쓸 수 있습니다. { $sc }에 readOnlyRootFilesystem: true를 설정하십시오(컨테이너 수준 필드입니다)
check-escalation-prevented = 권한 상승이 차단됩니다({ $path }). 프로세스의 NoNewPrivs 값은 1입니다
check-escalation-privileged = 컨테이너가 privileged이며, privileged 컨테이너는 항상 권한 상승을 허용합니다
check-escalation-true = allowPrivilegeEscalation이 true입니다
check-escalation-default = allowPrivilegeEscalation이 설정되어 있지 않으며, 기본값은 true입니다
check-escalation-allowed = 권한 상승이 허용됩니다: { $why }. { $sc }에 allowPrivilegeEscalation: false를 설정하십시오
check-caps-empty = capability 바운딩 집합(bounding set)이 비어 있습니다
check-caps-set = capability 바운딩 집합(bounding set)은 { $set }입니다
check-caps-kept-drop = 컨테이너에 capability가 남아 있습니다({ $list }). { $sc }에 capabilities.drop: ["ALL"]을 설정하여 제거하십시오
check-caps-prefixed-all = 컨테이너에 { $list } capability 권한이 남아 있습니다: capabilities.drop의 `{ $entry }` 항목은 아무것도 제거하지 않습니다. containerd 런타임은 대소문자와 관계없이 `ALL` 값만 전체 capability 권한으로 해석하고, 다른 모든 이름 앞에는 `CAP_` 접두사를 붙입니다. 그래서 `{ $entry }` 항목은 `{ $oci }` 이름이 되는데 그런 capability 권한은 없으므로 런타임의 기본 권한 집합이 그대로 남습니다. { $sc }에 capabilities.drop: ["ALL"] 설정을 넣으십시오
check-caps-prefixed-name = 컨테이너에 { $list } capability 권한이 남아 있습니다: capabilities.drop의 `{ $entry }` 항목은 아무것도 제거하지 않습니다. containerd 런타임이 모든 이름 앞에 `CAP_` 접두사를 직접 붙이므로 `{ $entry }` 항목은 `{ $oci }` 이름이 되는데, 그런 capability 권한은 없습니다. { $sc }에 접두사 없이 `{ $name }` 이름을 쓰거나 capabilities.drop: ["ALL"] 설정을 넣으십시오

## 레지스트리 자격 증명 (registry.rs)

check-registry-wrong-type = 시크릿의 타입이 `{ $found }`입니다. kubelet은 타입이 `kubernetes.io/dockerconfigjson`인 시크릿(`kubectl create secret docker-registry`로 만드는 시크릿)에서만 이미지 pull 자격 증명을 읽습니다
check-registry-no-key = 시크릿에 `{ $key }` 키가 없습니다
check-registry-invalid-json = `{ $key }` 키의 값이 올바른 JSON이 아닙니다: { $error }
check-registry-no-auths = `{ $key }`에 `auths` 맵이 없습니다
check-registry-entry-unreadable = `auths`의 `{ $entry }` 항목을 읽을 수 없습니다: { $error }
check-registry-no-entries = `{ $registry }` 레지스트리와 일치하는 `auths` 항목이 없습니다(항목 없음). 키는 이미지에 적힌 레지스트리 서버와 포트까지 정확히 같아야 합니다
check-registry-no-match = `{ $registry }` 레지스트리와 일치하는 `auths` 항목이 없습니다(항목: { $entries }). 키는 이미지에 적힌 레지스트리 서버와 포트까지 정확히 같아야 합니다
check-registry-auth-not-base64 = `auth` 값이 base64가 아닙니다: { $error }
check-registry-auth-not-utf8 = `auth` 값이 UTF-8이 아닙니다
check-registry-auth-no-colon = `auth` 값은 `username:password` 형식의 문자열을 base64로 인코딩한 값이어야 합니다

## `image-pull` (offline/image_pull.rs, live/image_pull.rs)

check-no-image-parameter = 실습에 `image` 매개변수가 정의되어 있지 않습니다
check-image-pull-no-target = image-pull 검사에 파드도 시크릿도 지정되어 있지 않습니다
check-creds-empty = `auths`의 `{ $entry }` 항목에 자격 증명이 없으므로 레지스트리는 401 Unauthorized로 응답할 것입니다. 자격 증명 저장소(`credsStore`, `credHelpers`)를 사용해 작성한 docker 설정은 자격 증명을 파일 밖에 보관하므로 kubelet이 읽을 수 없습니다. `kubectl create secret docker-registry --docker-username=… --docker-password=…`로 시크릿을 만드십시오
check-creds-newline = `auth`에서 디코딩한 { $which ->
        [username] 사용자 이름이
       *[password] 비밀번호가
    } 줄바꿈 문자로 끝나므로 레지스트리는 401 Unauthorized로 응답할 것입니다: `echo -n 'user:password' | base64`로 인코딩하십시오(`-n`이 없으면 `echo`가 줄바꿈 문자를 덧붙입니다)
check-creds-newline-else-right = `auth`에서 디코딩한 { $which ->
        [username] 사용자 이름이
       *[password] 비밀번호가
    } 줄바꿈 문자로 끝나므로, 그 앞의 내용은 맞지만 레지스트리는 401 Unauthorized로 응답할 것입니다: `echo -n 'user:password' | base64`로 인코딩하십시오(`-n`이 없으면 `echo`가 줄바꿈 문자를 덧붙입니다)
check-creds-wrong-user = 레지스트리는 `{ $user }` 사용자를 거부할 것입니다(401 Unauthorized). 실습의 사용자는 `{ $expected }`입니다
check-creds-wrong-password = 레지스트리는 `{ $user }` 사용자의 비밀번호를 거부할 것입니다(401 Unauthorized)
check-secret-did-not-deserialize = 시크릿을 역직렬화하지 못했습니다
check-secret-authenticates = `{ $secret }` 시크릿은 `{ $user }` 사용자로 { $registry }에 인증합니다(auths 키 `{ $entry }`)
check-secret-cannot-pull = `{ $secret }` 시크릿으로는 { $registry }에서 이미지를 받을 수 없습니다: { $why }
check-pod-no-containers = `{ $pod }` 파드에 컨테이너가 없습니다
check-image-other-registry = 이미지를 비공개 레지스트리가 아닌 { $used }에서 받습니다(비공개 레지스트리: { $registry }). { $image } 이미지를 사용하십시오
check-image-not-in-registry = { $registry }에는 { $used } 이미지가 없습니다(이미지를 찾을 수 없어 pull이 실패할 것입니다). 실습의 이미지는 { $image }입니다
check-pod-no-pull-secrets = `{ $pod }` 파드에 imagePullSecrets가 없습니다. 익명으로 pull하게 되므로 { $registry } 레지스트리가 401 Unauthorized로 응답합니다(ErrImagePull). spec.imagePullSecrets: [{"{"}name: private-reg-cred{"}"}]를 추가하십시오
check-pull-secret-missing = `{ $secret }` 시크릿이 네임스페이스에 없습니다
check-pod-pulls = { $image } 이미지는 `{ $secret }` 시크릿의 자격 증명으로 pull됩니다
check-pull-secret-fails = `{ $secret }` 시크릿: { $why }
check-pull-would-fail = pull이 실패할 것입니다(401 Unauthorized): { $why }
check-account-secrets-not-added = `{ $account }` 서비스 어카운트에 imagePullSecrets가 있지만, 파드가 자체 imagePullSecrets를 지정하므로 추가되지 않습니다. ServiceAccount 어드미션 플러그인은 imagePullSecrets를 지정하지 않은 파드에만 이를 복사합니다

## `connect`, 오프라인 (offline/connect.rs)

check-probe-pod-missing = `{ $pod }` 프로브 파드가 없으므로 아무것도 판정할 수 없습니다
check-connect-plugin-defined = { $what }: 네트워크 플러그인에 따라 달라지므로 오프라인으로는 판정할 수 없습니다: { $explanation }
check-connect-is = { $what } 연결은 { $state ->
        [open] 열려 있습니다
       *[blocked] 차단됩니다
    }: { $explanation }
check-connect-is-not-expected = { $what } 연결은 { $state ->
        [open] 열려 있지만
       *[blocked] 차단되지만
    } { $expected ->
        [open] 열려 있어야
       *[blocked] 차단되어야
    } 합니다: { $explanation }
check-name-does-not-resolve = `{ $name }`의 이름을 확인할 수 없습니다: 그런 이름의 Service도, IP로 접속할 그런 이름의 파드도 없습니다
check-service-no-port = `{ $service }` 서비스에 { $protocol } { $port } 포트가 없습니다. 연결이 거부됩니다
check-service-no-endpoint = `{ $service }` 서비스에 준비된 엔드포인트가 없습니다. 포트 { $port }에서 응답하는 것이 없으며, { $expected ->
        [open] 연결할 수 없습니다
       *[blocked] 거부된 연결은 차단된 연결이 아닙니다
    }

## 실제 클러스터 검사: 파드 (live/mod.rs)

check-pod-does-not-run = `{ $pod }` 파드가 실행되지 않습니다: { $reason }: { $message }
check-pod-not-ready-within = `{ $pod }` 파드가 { $seconds }초 안에 Ready 상태가 되지 않았습니다({ $reason })
check-pod-does-not-exist = `{ $pod }` 파드가 없습니다

## 실제 클러스터 `exec` (live/exec.rs)

check-exec-exited = `{ $command }`의 종료 코드는 { $code }입니다: { $output }
check-exec-wanted-output = 종료 코드 { $code }, 출력에 { $output } 포함
check-exec-wanted-exit = 종료 코드 { $code }
check-exec-expected = { $shown }. 기대한 결과: { $wanted }

## 실제 클러스터 `capabilities` (live/capabilities.rs)

check-no-capbnd = /proc/1/status에 CapBnd/CapEff 줄이 없습니다
check-capbnd-not-hex = CapBnd가 16진수 마스크가 아닙니다: { $mask }
check-capbnd-capeff = CapBnd 값: { $bounding }, CapEff 값: { $effective }
check-caps-kept = 컨테이너에 capability가 남아 있습니다({ $list })

## 실제 클러스터 `run-as`, `rootfs-readonly`, `no-privilege-escalation` (live/security.rs)

check-command-printed = `{ $command }`의 출력은 { $output }입니다(종료 코드 { $code })
check-command-is = `{ $command }` 결과: { $value }
check-command-must-be = `{ $command }`의 결과가 { $actual }입니다. 기대한 값은 { $expected }입니다
check-whoami = whoami 결과: { $user }
check-id-groups-lack = `id -G`의 결과가 { $groups }입니다. { $missing } 그룹이 빠져 있습니다
check-id-groups-include = `id -G` 결과에 { $groups } 포함
check-cannot-read-mounts = /proc/self/mounts를 읽을 수 없습니다: { $output }
check-touch-succeeded = `touch /testfile` 명령이 성공했습니다
check-touch-output = `touch /testfile`의 출력: { $output }
check-rootfs-mounted-ro = 루트 파일 시스템이 읽기 전용으로 마운트되어 있습니다: { $shown }
check-rootfs-ro-but-writable = 루트가 ro로 마운트되어 있지만 `touch /testfile`의 결과는 다음과 같습니다: { $shown }
check-rootfs-mounted-rw = 루트 파일 시스템에 쓸 수 있습니다(rw로 마운트됨): { $shown }
check-no-root-mount = /proc/self/mounts에 / 마운트가 없습니다
check-no-new-privs-1 = /proc/1/status에 NoNewPrivs: 1이 표시됩니다
check-no-new-privs-0 = /proc/1/status에 NoNewPrivs: 0이 표시됩니다: 권한 상승이 허용됩니다
check-no-new-privs-line = /proc/1/status에 NoNewPrivs 줄이 없습니다: { $output }

## 실제 클러스터 `connect` (live/connect.rs)

check-protocol-not-live = { $protocol } 프로브는 실제 클러스터에서 지원하지 않습니다(nc -z는 TCP만 검사합니다)
check-connect-error = { $what }: { $error }
check-nc-shown = `nc -zv -w 1 { $to } { $port }`({ $seconds }초 동안 { $attempts }회 시도): { $output }
check-connect-open = { $what } 연결이 열려 있습니다
check-connect-open-expected-blocked = { $what } 연결이 열려 있지만 차단되어야 합니다
check-reach-timeout = 연결 시간이 초과됩니다(패킷 버림)
check-reach-refused = 연결이 거부됩니다(거절 응답)
check-connect-dns = { $what }: `{ $name }`의 이름을 확인할 수 없습니다(Service가 없습니까?)
check-connect-probe-failed = { $what }: 프로브가 실패했습니다
check-control-open-earlier = 이번 실행의 앞부분에서는 열려 있었습니다
check-control-pods-ready = 이번 실행에서 대조 관찰은 없었지만 Service의 파드({ $pods })가 Ready 상태입니다
check-connect-no-listener = { $what }: { $how }. 그곳에서 무언가 수신 대기 중이라는 근거가 없습니다(`{ $service }` 서비스 뒤에 Ready 상태인 파드가 없습니다)
check-connect-blocked = { $what } 연결이 차단되어 있습니다: { $how }. { $control }
check-connect-blocked-expected-open = { $what } 연결이 차단되어 있지만 열려 있어야 합니다: { $how }. { $control }

## 실제 클러스터 `image-pull` (live/image_pull.rs)

check-registry-unreachable-control = 레지스트리에 연결할 수 없습니다(자격 증명 없이 시도한 대조 pull: { $message }). 이 결과는 학습자의 작업과 무관합니다
check-pull-without-credentials = { $image } 이미지는 자격 증명 없이도 pull됩니다. 레지스트리가 인증을 요구하지 않으므로 이 검사로는 아무것도 증명할 수 없습니다
check-control-pull-unfinished = 자격 증명 없이 시도한 대조 pull이 끝나지 않았습니다: { $state }
check-no-pull-secrets = pull 시크릿 없이
check-pull-secrets = pull 시크릿({ $secrets })으로
check-pulls-with = { $image } 이미지는 { $used } pull됩니다(자격 증명 없이는 pull되지 않습니다)
check-registry-unreachable = { $used } pull하는 동안 레지스트리에 연결할 수 없었습니다: { $message }
check-does-not-pull-with = { $image } 이미지는 { $used } pull되지 않습니다: { $reason }: { $message }
check-pull-unfinished = { $used } 시도한 pull이 끝나지 않았습니다: { $state }

## API 서버가 내놓을 응답(admission.rs)입니다.
check-api-service-account-not-found = "{ $pod }" 파드는 금지됩니다: { $namespace }/{ $account } 서비스 어카운트를 찾을 수 없습니다(serviceaccount "{ $account }" not found).
check-api-problem-at-line = { $problem } ({ $line }번째 줄)
check-api-problems-also = { $first }. 그 밖에도 다음 문제가 있습니다: { $others }
check-api-field-problem = { $path }: { $problem }
check-api-pod-needs-spec = 필수 값: Pod에는 spec이 있어야 합니다.
check-api-at-least-one-container = 필수 값: 컨테이너가 하나 이상 있어야 합니다.
check-api-container-needs-name = 필수 값: 모든 컨테이너에 이름이 있어야 합니다.
check-api-duplicate-container = 중복된 값: 두 컨테이너의 이름이 모두 "{ $name }"입니다.
check-api-container-needs-image = 필수 값: 모든 컨테이너에 이미지가 있어야 합니다.
check-api-id-out-of-range = 잘못된 값 { $value }: 0 이상 { $max } 이하여야 합니다.
check-api-ape-and-privileged = 잘못된 값: `privileged`가 true이면 `allowPrivilegeEscalation`을 false로 설정할 수 없습니다.
check-api-ape-and-sys-admin = 잘못된 값: `capabilities.Add`에 CAP_SYS_ADMIN이 있으면 `allowPrivilegeEscalation`을 false로 설정할 수 없습니다.
check-api-secret-needs-key = 필수 값: 이 타입의 시크릿에는 `data.{ $key }` 키가 있어야 합니다.
check-api-secret-not-json = 잘못된 값: `{ $key }` 키의 값이 올바른 JSON이 아닙니다: { $reason }
check-not-found-nameless = `{ $name }` { KIND($kind) }이(가) 없습니다. 이름이 없는 { KIND($kind) }은(는) API 서버가 거부할 것입니다: { $problem }

# selects: NetworkPolicy의 podSelector가 선택하는 파드
check-selects-exactly = `{ $policy }` 정책은 { $pods } 파드만 선택합니다(podSelector { $selector }).
check-selects-misses = `{ $policy }` 정책이 `{ $pod }` 파드를 선택하지 않습니다. podSelector 조건 { $selector }에 파드의 라벨({ $labels })이 맞지 않습니다.
check-selects-near-miss = `{ $pod }` 파드에 붙은 라벨은 { $has }입니다. 작성한 조건은 { $wrote }입니다.
check-selects-also = `{ $policy }` 정책이 과제에서 다루지 않는 { $pods } 파드까지 선택하므로 이 파드들도 격리됩니다. { $wanted } 파드만 선택하십시오.
check-selects-empty = 빈 podSelector({"{}"})는 네임스페이스의 모든 파드를 선택합니다.
check-admission-by-api-server = API 서버
check-admission-by-pod-security = `{ $level }` 수준의 Pod Security admission
check-admission-by-policy = `{ $name }` 정책(ValidatingAdmissionPolicy)
check-admission-admitted = `{ $name }` { KIND($kind) }이(가) 승인됩니다
check-admission-runs = `{ $name }` { KIND($kind) }이(가) 승인되고 실행됩니다. kubelet이 { $image } 이미지를 받아 시작했습니다
check-admission-runs-offline = `{ $name }` { KIND($kind) }이(가) 승인됩니다. 실제로 실행되는지(kubelet이 { $image } 이미지를 받는지)는 클러스터에서 확인합니다
check-admission-does-not-start = 실습의 `{ $name }` { KIND($kind) }은(는) 승인되었지만 { $seconds }초 안에 시작하지 않았습니다({ $state }). 답안이 아니라 실습 환경(레지스트리)의 문제입니다
check-admission-refused = `{ $name }` { KIND($kind) }은(는) 승인되어야 하지만 { $by }에 의해 거부됩니다 (`{ $message }`)
check-admission-not-refused = `{ $name }` { KIND($kind) }이(가) 승인됩니다. 이 객체는 { $by }에 의해 거부되어야 합니다
check-admission-refused-by-other = `{ $name }` { KIND($kind) }을(를) 거부한 주체는 { $by }입니다. 과제가 요구하는 주체는 { $expected }입니다 (`{ $message }`)
check-admission-message-lacks = `{ $name }` { KIND($kind) }은(는) 거부되지만 메시지에 `{ $text }` 내용이 없습니다 (`{ $message }`)
check-admission-refused-as-expected = `{ $name }` { KIND($kind) }을(를) 거부한 주체는 { $by }입니다 (`{ $message }`)
check-api-server-said = { $message }

check-source-image-user = 이미지 { $image }의 기본 사용자: { $uid }
check-source-image-group = 이미지 { $image }의 기본 그룹: { $gid }
check-image-unknown-digest = 이미지 { $image }: 해당 저장소에 이 digest의 이미지가 없어 가져올 수 없습니다(레지스트리가 `manifest unknown`으로 응답하며 ErrImagePull이 됩니다). 알려진 이미지는 { $known }입니다
check-image-exits-at-once = 컨테이너가 곧바로 종료됩니다. command가 설정되어 있지 않고, 이미지 { $image }의 기본 명령(`{ $command }`)은 터미널이 없으면 바로 끝나므로 Pod가 CrashLoopBackOff가 될 때까지 재시작됩니다. 계속 실행되는 명령을 지정하십시오(예: `command: ["sleep", "3600"]`)
check-image-unknown-command = kubelab이 알지 못하는 이미지입니다({ $image }). 기본 명령이 계속 실행되는지 오프라인으로는 예측할 수 없습니다(클러스터에서만 채점합니다)
check-image-unknown-user = kubelab이 알지 못하는 이미지이며({ $image }) runAsUser도 설정되어 있지 않습니다. 어떤 사용자로 실행되는지 오프라인으로는 예측할 수 없습니다(클러스터에서만 채점합니다)
check-run-as-root = UID 0, 즉 root로 실행됩니다({ $why }). root가 아닌 사용자로 실행되어야 합니다. spec.securityContext 또는 { $sc }에서 runAsUser를 0이 아닌 UID로 설정하거나, 사용자가 root가 아닌 이미지를 사용하십시오
check-command-must-not-be = `{ $command }` 결과가 { $actual }입니다. 이 값이 아니어야 합니다
check-no-id = 컨테이너에 `id` 명령이 없습니다({ $output }). 사용자는 API 서버에 저장된 Pod 설정이나 이미지의 알려진 사용자에서 가져왔습니다
check-no-cat = 컨테이너에 `cat`이나 `touch` 명령이 없습니다({ $output }). API 서버에 저장된 Pod 설정에서 읽었습니다
check-rootfs-ro-by-spec = 루트 파일 시스템이 읽기 전용입니다. readOnlyRootFilesystem이 true입니다
check-rootfs-rw-by-spec = 루트 파일 시스템에 쓸 수 있습니다. 컨테이너의 securityContext에 readOnlyRootFilesystem: true를 설정하십시오
check-exec-image-unknown = kubelab이 알지 못하는 이미지입니다({ $image }). 셸이 있는지 오프라인으로는 예측할 수 없습니다(클러스터에서만 채점합니다)
check-exec-no-shell = 이미지 { $image }에는 셸이 없어 `{ $command }` 명령을 시작할 수 없습니다(실행 파일을 찾지 못함, 종료 코드 127)
check-exec-shell-exits = 이미지 { $image }의 `{ $command }` 명령은 터미널 입력이 없어 곧바로 종료 코드 0으로 끝납니다
check-exec-wanted-nonzero = 0이 아닌 종료 코드(명령이 실패해야 합니다)
check-field-expect-equals = { $value }
check-field-expect-prefix = 앞부분이 { $prefix }인 값
check-field-expect-regex = 정규 표현식 `{ $regex }`에 맞는 값
check-field-expect-one-of = { $values } 중 하나
check-field-bad-regex = 검사의 정규 표현식 `{ $regex }`에 오류가 있어 컴파일할 수 없습니다: { $problem }
check-rootfs-read-only-no-touch = 루트 파일 시스템이 읽기 전용입니다({ $path })
## `dns`와 이름 조회가 필요한 연결 (offline/dns.rs, live/dns.rs)
check-dns-lookup = { $from } 파드의 `nslookup { $name }`
check-dns-resolves = { $what } 조회에 성공합니다: { $explanation }
check-dns-resolves-expected-fails = { $what } 조회에 성공하지만 실패해야 합니다: { $explanation }
check-dns-fails = { $what } 조회가 실패합니다(DNS가 차단되어 있습니다): { $explanation }
check-dns-fails-expected-resolves = { $what } 조회가 실패하지만 성공해야 합니다. DNS가 차단되어 있습니다. { $explanation }
check-dns-plugin-defined = { $what }: 네트워크 플러그인에 따라 달라지므로 오프라인으로는 판정할 수 없습니다: { $explanation }
check-dns-unknown-name = `{ $name }`은(는) 클러스터 DNS가 아는 이름(실습 네임스페이스의 Service, `kube-dns.kube-system`, `kubernetes.default`)이 아닙니다. 실습의 검사가 잘못되었습니다
check-dns-error = { $what }: { $error }
check-dns-no-answer = { $what }: 클러스터 DNS가 응답하지 않는데, 파드를 선택하는 egress 정책도 없습니다. 클러스터의 DNS가 동작하지 않습니다(`kubelab doctor`를 실행하십시오)
check-dns-blocked-by = egress 정책({ $policies })이 { $pod } 파드를 선택하고 DNS 조회를 허용하지 않습니다
check-dns-peer-own-namespace = { $policy } 정책에서 `namespaceSelector` 없이 쓴 `podSelector`는 정책과 같은 네임스페이스({ $namespace })의 파드만 선택합니다. DNS 파드는 `kube-system` 네임스페이스에 있으므로 같은 피어(같은 `-` 항목)에 `namespaceSelector: {"{"}matchLabels: {"{"}kubernetes.io/metadata.name: kube-system{"}"}{"}"}`를 함께 두십시오
check-dns-undecided = { $what }: { $seconds }초 동안 조회도, 파드 안의 간단한 명령도 제시간에 끝나지 않았습니다. 머신의 부하가 너무 커서 막힌 조회와 느린 조회를 구별할 수 없습니다
check-dns-answered = 클러스터 DNS가 응답했습니다
check-nslookup-shown = `nslookup { $name }`({ $seconds }초 동안 { $attempts }회 시도): { $output }
check-connect-dns-blocked = { $what } 연결에 실패합니다. DNS가 차단되어 `{ $name }`의 이름을 확인할 수 없습니다(이름 조회는 `kube-system` 네임스페이스의 `k8s-app: kube-dns` 파드로 가는 UDP 53입니다). { $explanation }
check-connect-dns-blocked-as-expected = { $what } 연결이 차단되어 있습니다. DNS가 차단되어 `{ $name }`의 이름조차 확인할 수 없습니다. { $explanation }
check-image-program-missing = 컨테이너를 시작할 수 없습니다. 이미지 { $image }에는 `{ $program }` 프로그램이 없습니다(런타임의 `exec: "{ $program }": executable file not found`, RunContainerError). 이미지에 있는 프로그램을 실행하거나, command를 지정하지 말고 이미지의 entrypoint가 실행되게 하십시오
