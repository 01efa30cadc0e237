# 학습자의 입력: 채점할 수 없는 파일(종료 코드 2, `input-…`)과 API 서버가 거부할 객체의
# 문제(`manifest-…`)입니다. `$at`은 `파일:줄:열`(또는 경로)이고, `$reason`과 `$text`는
# 운영체제나 파서의 문구를 그대로 보여 줍니다.

## 채점할 수 없는 입력

input-help = 도움말: { $help }
input-not-found = { $at }: 그런 파일이나 폴더가 없습니다.
input-not-found-help = 경로를 확인하십시오. kubelab은 .yaml, .yml, .json 파일과 그런 파일이 든 폴더를 채점합니다.
input-unreadable = { $at }: 읽을 수 없습니다: { $reason }
input-not-regular = { $at }: 읽을 수 없습니다. 일반 파일이 아닙니다.
input-unreadable-help = 파일이 있는지, 일반 파일인지, 읽기 권한이 있는지 확인하십시오.
input-empty-folder = { $at }: 폴더에 .yaml, .yml, .json 파일이 없습니다.
input-empty-folder-help = 매니페스트를 이 폴더에 넣거나(숨김 폴더는 건너뜁니다) 파일 이름을 직접 지정하십시오.
input-empty-file = { $at }: 파일이 비어 있습니다(Kubernetes 객체 없이 빈 줄이나 주석만 있습니다).
input-empty-file-help = 매니페스트를 파일에 작성하고 저장한 뒤 채점하십시오.
input-binary = { $at }: 텍스트 파일이 아닙니다({ $what }).
input-not-utf8 = 올바른 UTF-8이 아닙니다
input-nul-bytes = NUL 바이트가 들어 있습니다. 바이너리 파일이거나 UTF-16으로 저장한 파일입니까?
input-binary-help = UTF-8로 저장한 YAML 또는 JSON 텍스트를 제출하십시오.
input-too-large = { $at }: 파일이 너무 큽니다({ $sizes }).
input-sizes-mib = { $size } MiB, 한도는 { $limit } MiB
input-sizes-bytes = { $size }바이트, 한도는 { $limit }바이트({ $limit_mib } MiB)
input-too-large-help = 매니페스트만 제출하십시오. 매니페스트는 몇 킬로바이트 정도입니다.
input-tab = { $at }: 잘못된 YAML입니다. 이 줄을 탭으로 들여 썼습니다.
input-tab-help = 탭을 공백으로 바꾸십시오. YAML은 공백으로만 들여 씁니다.
input-missing-colon = { $at }: 잘못된 YAML입니다. `{ $key }` 뒤에 콜론(`:`)이 없습니다.
input-missing-colon-help = `{ $key }:`처럼 쓰십시오. 모든 키 뒤에는 콜론이 옵니다.
input-syntax = { $at }: 잘못된 YAML입니다. { $reason }
input-syntax-help = 이 줄의 YAML 문법을 고치십시오(공백으로 들여쓰기, 모든 키 뒤에 `:`, 따옴표와 괄호 닫기).
input-key-not-scalar = 매핑의 키는 리스트나 매핑이 아니라 스칼라(이름, 숫자)여야 합니다.
input-bad-merge-key = 병합 키 `<<`에는 매핑이나 매핑의 리스트가 와야 합니다.
input-unknown-alias = 알 수 없는 별칭입니다(앞에 앵커 `&name`이 없습니다).
input-alias-bomb = { $at }: 별칭을 펼치면 노드가 { $limit }개를 넘습니다(YAML 별칭 폭탄).
input-alias-bomb-help = 반복되는 부분을 직접 작성하거나 중첩된 별칭(`*name`)을 줄이십시오.
input-too-much-data = { $at }: 채점하기에 데이터가 너무 많습니다. 이 지점부터는 입력이 메모리를 { $limit } MiB보다 많이 차지할 것입니다.
input-too-much-data-help = 매니페스트는 몇 킬로바이트 정도입니다. 생성된 데이터나 수천 개의 객체가 아니라 매니페스트만 제출하십시오.
input-too-deep = { $at }: 문서가 { $limit }단계보다 깊게 중첩되어 있습니다.
input-too-deep-help = Kubernetes 매니페스트는 이렇게 깊지 않습니다. 괄호와 들여쓰기를 확인하십시오.
input-not-a-mapping = { $at }: 이 문서는 Kubernetes 객체(apiVersion, kind, metadata가 있는 매핑)가 아니라 { $found }입니다.
input-found-empty = 빈 문서
input-found-boolean = 불리언 값
input-found-number = 숫자
input-found-string = 문자열
input-found-list = 리스트
input-found-mapping = 매핑
input-found-list-items-mapping = `items`가 매핑인 List(`items`는 리스트여야 합니다)
input-found-list-items-not-list = `items`가 리스트가 아닌 List
input-not-a-mapping-help = `---`로 구분한 각 문서는 `kind: Pod`처럼 객체 하나여야 합니다.
input-not-kubernetes = { $at }: Kubernetes 객체가 아닙니다({ $missing }).
input-missing-both = apiVersion도 kind도 없습니다. docker-compose 파일처럼 다른 도구의 YAML입니까?
input-missing-api-version = apiVersion이 없습니다
input-missing-kind = kind가 없습니다
input-missing-empty = apiVersion과 kind는 비어 있지 않은 문자열이어야 합니다
input-not-kubernetes-help = Kubernetes 매니페스트는 `apiVersion:`과 `kind:`로 시작합니다. 예: `apiVersion: v1`, `kind: Pod`
input-unknown-kind = { $at }: 알 수 없는 kind "{ $kind }"입니다(apiVersion "{ $api_version }").
input-unknown-kind-did-you-mean = { $at }: 알 수 없는 kind "{ $kind }"입니다(apiVersion "{ $api_version }"). 혹시 "{ $suggestion }"의 오타입니까?
input-unknown-kind-help = kubelab이 아는 kind는 다음과 같습니다: { $known }
input-wrong-api-version = { $at }: apiVersion "{ $api_version }"에는 "{ $kind }" 리소스가 없습니다. "{ $expected }" 버전을 사용하십시오.
input-wrong-api-version-help = kind { $kind }에는 `apiVersion: { $expected }`처럼 쓰십시오.

## YAML 파서가 찾은 문제를 kubelab의 말로 옮깁니다(src/manifest/yaml.rs): `input-syntax`의 `$reason`입니다.

yaml-mapping-values = 이 자리의 콜론(`:`)으로는 키를 시작할 수 없습니다. 콜론과 공백(`: `)이 들어 있는 값은 따옴표로 감싸고, 이 줄의 들여쓰기를 같은 매핑의 다른 키와 맞추십시오.
yaml-block-mapping = 이 줄은 위의 매핑에 이어지지 않습니다. 들여쓰기가 그 매핑의 어느 키와도 맞지 않습니다.
yaml-block-sequence = 이 줄이 위의 리스트를 끊습니다. 리스트의 각 항목은 리스트와 같은 들여쓰기에서 하이픈과 공백(`- `)으로 시작합니다.
yaml-sequence-not-allowed = 여기에서는 리스트 항목(`- `)을 시작할 수 없습니다. 들여쓰기를 확인하거나, 하이픈(`-`)으로 시작하는 값은 따옴표로 감싸십시오.
yaml-indentation = 이 줄의 들여쓰기가 앞뒤 줄과 맞지 않습니다.
yaml-flow-sequence = `[…]` 리스트의 항목은 쉼표(`,`)로 구분하고 리스트는 닫는 대괄호(`]`)로 끝납니다. 여기에 둘 중 하나가 빠졌습니다.
yaml-flow-mapping = `{"{"}…{"}"}` 매핑의 항목은 쉼표(`,`)로 구분하고 매핑은 닫는 중괄호(`{"}"}`)로 끝납니다. 여기에 둘 중 하나가 빠졌습니다.
yaml-unclosed-quote = 여기에서 시작한 따옴표가 닫히지 않았습니다(다음 줄로 이어지는 따옴표 안의 텍스트는 들여 써야 합니다).
yaml-after-quote = 닫는 따옴표 뒤에 텍스트가 더 있습니다. 값 전체를 따옴표 안에 넣으십시오.
yaml-escape = 큰따옴표 안에 알 수 없는 이스케이프(`\…`)가 있습니다. 역슬래시는 두 번(`\\`) 쓰거나 작은따옴표를 사용하십시오.
yaml-tab = YAML이 공백만 허용하는 자리에 탭이 있습니다.
yaml-missing-colon = 이 자리의 키 뒤에 콜론(`:`)이 없습니다.
yaml-colon-space = 키 뒤의 콜론(`:`) 다음에는 공백이 와야 합니다(`key: value`).
yaml-dash-space = 리스트 항목의 하이픈(`-`) 다음에는 공백이 와야 합니다(`- item`).
yaml-reserved-character = 값은 `{ $char }` 문자로 시작할 수 없습니다. 값을 따옴표로 감싸십시오.
yaml-node-content = 이 자리에 값이 없습니다.
yaml-misplaced-bracket = 여는 괄호 없이 닫는 괄호(`]` 또는 `{"}"}`)가 있습니다.
yaml-anchor-name = 앵커와 별칭(`&name`, `*name`)에는 영문자와 숫자로 된 이름이 있어야 합니다.
yaml-document = 문서가 여기에서 이어지지 않습니다. 새 문서는 `---` 줄로 시작합니다.
yaml-directive = kubelab이 읽을 수 없는 YAML 지시어(`%…`)입니다. Kubernetes 매니페스트에는 지시어가 필요하지 않습니다.
yaml-tag = kubelab이 읽을 수 없는 YAML 태그(`!…`)입니다. Kubernetes 매니페스트에는 태그가 필요하지 않습니다.
yaml-block-scalar = 블록 텍스트(`|` 또는 `>`)의 형식이 잘못되었습니다. 머리에는 들여쓰기 숫자(1–9)와 `+` 또는 `-`만 올 수 있고, 내용 줄은 들여 써야 합니다.
yaml-comment-space = 주석(`#`) 앞에는 공백이 있어야 합니다.
yaml-comment-in-text = 여러 줄에 걸친 텍스트 중간에 주석이 있습니다.
yaml-character = YAML이 이 자리에 허용하지 않는 문자(제어 문자나 바이트 순서 표시)가 있습니다.
yaml-other = 이 자리의 YAML 문법이 잘못되었습니다.

input-unclosed = { $at }: 잘못된 YAML입니다. { $bracket ->
        [brace] `{"{"}…{"}"}` 매핑이 닫히지 않았습니다. 이 줄 끝에 닫는 중괄호(`{"}"}`)가 없습니다.
       *[bracket] `[…]` 리스트가 닫히지 않았습니다. 이 줄 끝에 닫는 대괄호(`]`)가 없습니다.
    }
input-unclosed-help = { $bracket ->
        [brace] 매핑이 끝나는 줄에서 중괄호(`{"}"}`)로 닫으십시오. 예: `{"{"}name: app, value: "1"{"}"}`
       *[bracket] 리스트가 끝나는 줄에서 대괄호(`]`)로 닫으십시오. 예: `command: ["sh", "-c", "sleep 1h"]`
    }

## 값을 디코딩할 수 없는 이유입니다(src/manifest/decode.rs).

base64-wrapped = `base64`의 기본 출력처럼 76자마다 줄이 나뉘어 있습니다(오프셋 { $offset }에 줄바꿈이 있습니다). `base64 -w0`으로 한 줄로 인코딩하십시오.
base64-space = 오프셋 { $offset }에 공백이나 줄바꿈이 있습니다. base64 텍스트는 공백 없는 한 줄이어야 합니다.
base64-json = 여는 중괄호(`{"{"}`)로 시작합니다. base64가 아니라 JSON 그대로인 것 같습니다. `base64 -w0`으로 인코딩하거나 `stringData` 아래에 쓰십시오.
base64-symbol = 오프셋 { $offset }에 base64에 없는 문자가 있습니다: `{ $char }`(base64 문자는 A–Z, a–z, 0–9, `+`, `/`, `=`입니다).
base64-last-symbol = base64 텍스트는 이 문자로 끝날 수 없습니다: `{ $char }`(오프셋 { $offset }). 값이 잘렸거나 바뀌었을 수 있습니다.
base64-length = 길이가 { $length }자라서 base64 텍스트일 수 없습니다. 값이 잘렸을 수 있습니다.
base64-padding = 끝의 패딩(`=`)이 잘못되었습니다.
json-at = { $problem }({ $line }번째 줄 { $column }번째 열)
json-eof = JSON이 중간에 끝납니다. 닫는 `]`, `{"}"}`, `"` 중 하나가 빠졌습니다
json-colon = 키 뒤에 콜론(`:`)이 없습니다
json-comma = 두 항목 사이의 쉼표(`,`)나 닫는 괄호가 빠졌습니다
json-value = 값이 없거나 잘못 쓰였습니다(JSON 값은 `true`, `false`, `null`, 숫자, "텍스트"입니다)
json-key = 키는 큰따옴표로 감싼 텍스트여야 합니다
json-trailing-comma = 닫는 괄호(`]`, `{"}"}`) 앞에 쉼표가 있습니다. JSON은 마지막 항목 뒤의 쉼표를 허용하지 않습니다
json-trailing = JSON 값이 끝난 뒤에 텍스트가 더 있습니다
json-escape = 텍스트에 잘못된 이스케이프나 제어 문자가 있습니다
json-number = 숫자가 올바르지 않습니다
json-other = 올바른 JSON이 아닙니다

## 다른 도구의 YAML: 건너뛰고 결과와 함께 알립니다

manifest-skipped-other-tool = { $file }: 건너뛰었습니다({ $what }이며 Kubernetes 매니페스트가 아닙니다).
manifest-tool-kustomize = kustomize 파일
manifest-tool-helm-chart = Helm 차트 파일
manifest-tool-helm-values = Helm values 파일
manifest-tool-compose = Compose 파일
manifest-tool-skaffold = Skaffold 파일
manifest-tool-no-api-version-nor-kind = apiVersion도 kind도 없는 YAML

## 객체의 문제(API 서버가 거부할 내용): 해당 필드에 위치를 표시합니다

manifest-at-path = { $path }: { $message }
manifest-missing-name = metadata.name이 없습니다. 모든 { KIND($kind) }에는 이름이 있어야 합니다
manifest-more-unknown-fields = { $message } (이 { KIND($kind) }에 알 수 없는 필드가 { $count }개 더 있습니다. 처음 { $checked }개만 하나씩 검사합니다)
manifest-unknown-field-at-top = 객체의 최상위에 있는 "{ $key }" 필드는 알 수 없는 필드입니다
manifest-unknown-field-in = { $parent }에 있는 "{ $key }" 필드는 알 수 없는 필드입니다
manifest-did-you-mean = { $message }. 혹시 "{ $suggestion }"의 오타입니까?
manifest-with-note = { $message } ({ $note })
manifest-the-top-level = 객체의 최상위
manifest-the-object = 객체
manifest-pod-field-in-container = "{ $key }" 필드는 컨테이너가 아니라 파드 수준({ $pod })에 있어야 합니다
manifest-container-field-in-pod = "{ $key }" 필드는 컨테이너마다 두는 필드입니다. { $containers }[*]에 있어야 합니다
manifest-ports-in-peer = "ports" 필드는 피어가 아니라 규칙에 `from`/`to`와 나란히 있어야 합니다: { $ports }
manifest-belongs-in-peer = "{ $key }" 필드는 피어에 있어야 합니다: { $peers }[*].{ $key }
manifest-belongs-in-ingress-rule = "{ $key }" 필드는 ingress 규칙에 있어야 합니다: { $rules }[*].{ $key }
manifest-to-belongs-in-egress-rule = "to" 필드는 egress 규칙에 있어야 합니다: { $rules }[*].to
manifest-it-is-container-level = 컨테이너 수준 필드입니다: { $containers }[*].securityContext
manifest-field-is-container-level = "{ $field }" 필드는 컨테이너 수준 필드입니다: { $containers }[*].securityContext
manifest-it-is-pod-level = 파드 수준 필드입니다: { $at }
manifest-field-is-pod-level = "{ $field }" 필드는 파드 수준 필드입니다: { $at }
manifest-belongs-in-security-context = "{ $field }" 필드는 { $at }.securityContext에 있어야 합니다
manifest-duplicate-field = "{ $key }" 필드가 두 번 쓰였습니다(처음 쓴 곳은 { $line }번째 줄입니다). API 서버는 중복된 키를 거부합니다

## 타입 오류

manifest-missing-required-field = "{ $field }" 필수 필드가 없습니다
manifest-expected-found = { $expected } 값이 와야 하는데, 실제 값은 { $found }입니다
# kubelab이 번역하지 못하는 serde나 k8s-openapi의 문구입니다.
manifest-serde-says = { $text }
manifest-an-integer = 정수
manifest-a-number = 숫자
manifest-a-boolean = 불리언(true 또는 false)
manifest-a-string = 문자열
manifest-a-list = 리스트
manifest-a-mapping = 매핑
manifest-an-integer-or-a-string = 정수나 문자열
manifest-a-mapping-of = 매핑({ $type_name })
manifest-the-string = 문자열 { $value }
manifest-the-integer = 정수 { $value }
manifest-the-number = 숫자 { $value }
manifest-the-boolean = 불리언 { $value }
manifest-null = null 값
manifest-a-32-bit-integer = 32비트 정수
manifest-a-base64-string = base64로 인코딩한 문자열
# base64는 kubelab의 말로(`base64-…`), 그 밖의 값은 디코더가 영어로 보고한 문구를 그대로 덧붙입니다.
manifest-undecodable = 값을 해석할 수 없습니다: { $reason }
manifest-not-base64 = 올바른 base64 값이 아닙니다. { $reason }
manifest-metadata-is-a-string = `metadata`가 매핑이 아니라 문자열 "{ $value }"입니다. `{ $key }` 뒤에 `:`을 빠뜨리지 않았습니까? (`metadata:` 아래 줄에 `{ $key }: …`처럼 쓰십시오.)
manifest-skipped-own-output = { $file }: 건너뛰었습니다. 이번 실행의 출력이 저장되는 파일입니다(표준 출력을 이 파일로 보냈습니다).

## 필드 경로(path.rs `PathError`): 랩의 `field` 경로를 읽을 수 없는 이유

path-error-empty = 경로가 비어 있습니다
path-error-empty-segment = { $column }번째 글자에 키가 없습니다(두 점 사이, 마지막 점 뒤, 또는 `[""]` 안). 점이 들어간 키는 `["a.b"]`처럼 씁니다
path-error-unclosed-bracket = { $column }번째 글자의 `[`를 닫는 `]`가 없습니다
path-error-unclosed-quote = { $column }번째 글자의 따옴표가 닫히지 않았습니다
path-error-bad-index = { $column }번째 글자의 `[{ $index }]`는 인덱스가 아닙니다. 대괄호 안에는 0 이상의 숫자, `*`, 또는 따옴표로 감싼 키를 씁니다
path-error-unexpected = { $column }번째 글자에는 `{ $found }`가 올 수 없습니다. `]` 뒤에는 `.`나 `[`가 오고, 점, 대괄호, 따옴표, 공백이 들어간 키는 `["키"]`처럼 씁니다
manifest-skipped-helm-chart = { $folder }: 건너뛰었습니다. Helm 차트이며 그 템플릿은 매니페스트가 아닙니다. `helm template { $folder }`로 렌더링한 결과를 제출하십시오.
manifest-skipped-dependencies = { $folder }: 건너뛰었습니다. 다른 도구의 의존성 폴더(파일 { $count }개)이며 매니페스트가 아닙니다.
manifest-skipped-double-extension = { $file }: 읽지 않았습니다. 이름이 .yaml, .yml, .json으로 끝나지 않습니다. 파일 이름을 { $meant }처럼 바꾸십시오.
