# Learner input: files that cannot be graded (exit code 2, ids `input-…`) and the
# problems of objects that the API server would refuse (ids `manifest-…`).
# `$at` is `file:line:column` (or the path); `$reason` and `$text` are the words of the
# operating system or of a parser, shown as written.

## Input that cannot be graded

input-help = help: { $help }
input-not-found = { $at }: no such file or directory
input-not-found-help = check the path; kubelab grades files and folders of .yaml, .yml and .json
input-unreadable = { $at }: cannot be read: { $reason }
input-not-regular = { $at }: cannot be read: not a regular file
input-unreadable-help = check that the file exists, is a regular file and that you may read it
input-empty-folder = { $at }: the folder contains no .yaml, .yml or .json file
input-empty-folder-help = put your manifests in this folder (hidden folders are skipped), or name the files directly
input-empty-file = { $at }: the file is empty (it has no Kubernetes object, only blanks or comments)
input-empty-file-help = write your manifest into the file and save it before grading
input-binary = { $at }: not a text file ({ $what })
input-not-utf8 = it is not valid UTF-8
input-nul-bytes = it contains NUL bytes; is it a binary file, or saved as UTF-16?
input-binary-help = submit YAML or JSON text saved as UTF-8
input-too-large = { $at }: the file is too large ({ $sizes })
input-sizes-mib = { $size } MiB; the limit is { $limit } MiB
input-sizes-bytes = { $size } bytes; the limit is { $limit } bytes ({ $limit_mib } MiB)
input-too-large-help = submit only your manifests; a manifest is a few kilobytes
input-tab = { $at }: malformed YAML: a tab indents this line
input-tab-help = replace the tab with spaces: YAML indents with spaces only
input-missing-colon = { $at }: malformed YAML: `{ $key }` has no `:` after it
input-missing-colon-help = write `{ $key }:` — every key is followed by a colon
input-syntax = { $at }: malformed YAML: { $reason }
input-syntax-help = fix the YAML syntax at this line (indentation with spaces, a `:` after every key, closed quotes and brackets)
input-key-not-scalar = a mapping key must be a scalar (a name, a number), not a list or a mapping
input-bad-merge-key = the merge key `<<` needs a mapping or a list of mappings
input-unknown-alias = unknown alias (no anchor `&name` before it)
input-alias-bomb = { $at }: aliases expand to more than { $limit } nodes (a YAML alias bomb)
input-alias-bomb-help = write the repeated parts out, or use fewer nested aliases (`*name`)
input-too-much-data = { $at }: too much data to grade: past this point the input would take more than { $limit } MiB of memory
input-too-much-data-help = a manifest is a few kilobytes; submit only your manifests (not generated data, not thousands of objects)
input-too-deep = { $at }: the document is nested more than { $limit } levels deep
input-too-deep-help = a Kubernetes manifest is never this deep; check the brackets and indentation
input-not-a-mapping = { $at }: the document is { $found }, not a Kubernetes object (a mapping with apiVersion, kind and metadata)
input-found-empty = empty
input-found-boolean = a boolean
input-found-number = a number
input-found-string = a string
input-found-list = a list
input-found-mapping = a mapping
input-found-list-items-mapping = a List whose items is a mapping (it must be a list)
input-found-list-items-not-list = a List whose items is not a list
input-not-a-mapping-help = each document (separated by `---`) must be one object such as `kind: Pod`
input-not-kubernetes = { $at }: not a Kubernetes object ({ $missing })
input-missing-both = it has neither apiVersion nor kind; is it another tool's YAML, such as a docker-compose file?
input-missing-api-version = it has no apiVersion
input-missing-kind = it has no kind
input-missing-empty = apiVersion and kind must be non-empty strings
input-not-kubernetes-help = a Kubernetes manifest starts with `apiVersion:` and `kind:`, e.g. `apiVersion: v1` and `kind: Pod`
input-unknown-kind = { $at }: unknown kind "{ $kind }" (apiVersion "{ $api_version }")
input-unknown-kind-did-you-mean = { $at }: unknown kind "{ $kind }" (apiVersion "{ $api_version }"); did you mean "{ $suggestion }"?
input-unknown-kind-help = kubelab knows these kinds: { $known }
input-wrong-api-version = { $at }: kind "{ $kind }" is not served as apiVersion "{ $api_version }"; use "{ $expected }"
input-wrong-api-version-help = write `apiVersion: { $expected }` for kind { $kind }

## What the YAML parser found wrong, in kubelab's words (src/manifest/yaml.rs): `$reason`
## of `input-syntax`.

yaml-mapping-values = a `:` here cannot start a key: quote a value that contains `: `, or indent this line like the other keys of its mapping
yaml-block-mapping = this line does not continue the mapping above it: its indentation matches none of the keys there
yaml-block-sequence = this line breaks the list above it: each item of a list starts with `- ` at the list's own indentation
yaml-sequence-not-allowed = a list item (`- `) cannot start here: check the indentation, or quote a value that starts with `-`
yaml-indentation = the indentation of this line does not fit the lines around it
yaml-flow-sequence = in a `[…]` list, items are separated by `,` and the list ends with `]`: one of them is missing here
yaml-flow-mapping = in a `{"{"}…{"}"}` mapping, entries are separated by `,` and the mapping ends with `{"}"}`: one of them is missing here
yaml-unclosed-quote = the quoted text that starts here is never closed (a quoted text that goes on to the next line must be indented)
yaml-after-quote = more text follows the closing quote: put the whole value inside the quotes
yaml-escape = a double-quoted text holds an unknown escape (`\…`): write a backslash as `\\`, or use single quotes
yaml-tab = a tab where YAML allows only spaces
yaml-missing-colon = a key here has no `:` after it
yaml-colon-space = a `:` after a key must be followed by a space (`key: value`)
yaml-dash-space = the `-` of a list item must be followed by a space (`- item`)
yaml-reserved-character = a value cannot start with `{ $char }`: put the value in quotes
yaml-node-content = a value is missing here
yaml-misplaced-bracket = a closing bracket (`]` or `{"}"}`) here has no opening one
yaml-anchor-name = an anchor or an alias (`&name`, `*name`) needs a name of letters and digits
yaml-document = the document does not go on here: a new document starts with a `---` line
yaml-directive = a YAML directive (`%…`) kubelab cannot read; a Kubernetes manifest needs none
yaml-tag = a YAML tag (`!…`) kubelab cannot read; a Kubernetes manifest needs none
yaml-block-scalar = a block text (`|` or `>`) is malformed: its header takes only an indentation digit (1–9) and `+` or `-`, and its lines are indented
yaml-comment-space = a comment (`#`) needs a space before it
yaml-comment-in-text = a comment in the middle of a text that goes on over several lines
yaml-character = a character YAML does not allow here (a control character or a byte order mark)
yaml-other = the YAML syntax is broken here

input-unclosed = { $at }: malformed YAML: { $bracket ->
        [brace] the `{"{"}…{"}"}` mapping is never closed: a `{"}"}` is missing at the end of this line
       *[bracket] the `[…]` list is never closed: a `]` is missing at the end of this line
    }
input-unclosed-help = { $bracket ->
        [brace] end the mapping with `{"}"}` on the line where it ends: `{"{"}name: app, value: "1"{"}"}`
       *[bracket] end the list with `]` on the line where it ends: `command: ["sh", "-c", "sleep 1h"]`
    }

## Why a value does not decode (src/manifest/decode.rs).

base64-wrapped = it is broken into lines of 76 characters, as `base64` writes by default (a line break at offset { $offset }): encode it on one line with `base64 -w0`
base64-space = it has a space or a line break at offset { $offset }: base64 text is one line without spaces
base64-json = it starts with `{"{"}`: it looks like the JSON itself, not its base64; encode it with `base64 -w0`, or write it under `stringData`
base64-symbol = the character `{ $char }` at offset { $offset } is not in the base64 alphabet (A–Z, a–z, 0–9, `+`, `/`, `=`)
base64-last-symbol = base64 text cannot end in `{ $char }` (offset { $offset }): the value may be cut short or altered
base64-length = its length, { $length } characters, cannot be base64 text: the value may be cut short
base64-padding = the `=` padding at its end is wrong
json-at = { $problem } (line { $line }, column { $column })
json-eof = the JSON ends too early: a closing `]`, `{"}"}` or `"` is missing
json-colon = a `:` is missing after a key
json-comma = a `,` between two items, or the closing bracket, is missing
json-value = a value is missing or misspelt (JSON values are `true`, `false`, `null`, numbers and "texts")
json-key = a key must be a text in double quotes
json-trailing-comma = a `,` before a closing `]` or `{"}"}`: JSON allows no comma after the last item
json-trailing = more text follows the end of the JSON value
json-escape = a text holds an invalid escape or a control character
json-number = a number is not valid
json-other = it is not valid JSON

## Another tool's YAML, skipped (a note shown with the result)

manifest-skipped-other-tool = { $file }: skipped: { $what }, not a Kubernetes manifest
manifest-tool-kustomize = a kustomize file
manifest-tool-helm-chart = a Helm chart file
manifest-tool-helm-values = Helm values
manifest-tool-compose = a Compose file
manifest-tool-skaffold = a Skaffold file
manifest-tool-no-api-version-nor-kind = YAML with neither apiVersion nor kind

## Problems of an object (what the API server would refuse), located at a field

manifest-at-path = { $path }: { $message }
manifest-missing-name = metadata.name is missing: every { $kind } needs a name
manifest-more-unknown-fields = { $message } (and { $count } more unknown { $count ->
        [one] field
       *[other] fields
    } in this { $kind }; only the first { $checked } are checked one by one)
manifest-unknown-field-at-top = unknown field "{ $key }" at the top level of the object
manifest-unknown-field-in = unknown field "{ $key }" in { $parent }
manifest-did-you-mean = { $message }; did you mean "{ $suggestion }"?
manifest-with-note = { $message } ({ $note })
manifest-the-top-level = the object's top level
manifest-the-object = the object
manifest-pod-field-in-container = "{ $key }" is a pod-level field: it belongs in { $pod }, not in a container
manifest-container-field-in-pod = "{ $key }" is a container field: it belongs in each container, { $containers }[*]
manifest-ports-in-peer = "ports" belongs in the rule, beside `from`/`to`: { $ports }, not in a peer
manifest-belongs-in-peer = "{ $key }" belongs in a peer: { $peers }[*].{ $key }
manifest-belongs-in-ingress-rule = "{ $key }" belongs in an ingress rule: { $rules }[*].{ $key }
manifest-to-belongs-in-egress-rule = "to" belongs in an egress rule: { $rules }[*].to
manifest-it-is-container-level = it is a container-level field: { $containers }[*].securityContext
manifest-field-is-container-level = "{ $field }" is a container-level field: { $containers }[*].securityContext
manifest-it-is-pod-level = it is a pod-level field: { $at }
manifest-field-is-pod-level = "{ $field }" is a pod-level field: { $at }
manifest-belongs-in-security-context = "{ $field }" belongs in { $at }.securityContext
manifest-duplicate-field = duplicate field "{ $key }" (first written at line { $line }); the API server refuses duplicate keys

## Type errors

manifest-missing-required-field = missing required field "{ $field }"
manifest-expected-found = expected { $expected }, found { $found }
# Words of serde or k8s-openapi that kubelab has no translation for.
manifest-serde-says = { $text }
manifest-an-integer = an integer
manifest-a-number = a number
manifest-a-boolean = a boolean (true or false)
manifest-a-string = a string
manifest-a-list = a list
manifest-a-mapping = a mapping
manifest-an-integer-or-a-string = an integer or a string
manifest-a-mapping-of = a mapping ({ $type_name })
manifest-the-string = the string { $value }
manifest-the-integer = the integer { $value }
manifest-the-number = the number { $value }
manifest-the-boolean = the boolean { $value }
manifest-null = null
manifest-a-32-bit-integer = a 32-bit integer
manifest-a-base64-string = a base64-encoded string
# A value that does not decode: base64 in kubelab's words (`base64-…`), anything else
# in the words of its decoder (English).
manifest-undecodable = { $reason }
manifest-not-base64 = not valid base64: { $reason }
manifest-metadata-is-a-string = `metadata` is the string "{ $value }", not a mapping: is a `:` missing after `{ $key }`? (write `{ $key }: …` on its own line under `metadata:`)
manifest-skipped-own-output = { $file }: skipped: this run's own output (stdout is redirected into it)

## Field paths (path.rs `PathError`): why a lab's `field` path does not parse

path-error-empty = the path is empty
path-error-empty-segment = a key is missing at column { $column } (between two dots, after the last dot, or in `[""]`); a key with dots is written `["a.b"]`
path-error-unclosed-bracket = the `[` at column { $column } is never closed with `]`
path-error-unclosed-quote = the quote at column { $column } is never closed
path-error-bad-index = `[{ $index }]` at column { $column } is not an index: brackets hold a number from 0, `*`, or a quoted key
path-error-unexpected = `{ $found }` cannot stand at column { $column }: after `]` comes `.` or `[`, and a key with dots, brackets, quotes or spaces is written `["key"]`
manifest-skipped-helm-chart = { $folder }: skipped: a Helm chart (its templates are not manifests); render it with `helm template { $folder }` and hand in the output
manifest-skipped-dependencies = { $folder }: skipped: another tool's dependencies ({ $count } files), not manifests
manifest-skipped-double-extension = { $file }: not read: its name does not end in .yaml, .yml or .json; rename it to { $meant }
