"""The official Pod schema per Kubernetes version, and its errors in plain words."""

import pytest

from podstudio.engine.schema import (
    DEFAULT_VERSION,
    SUPPORTED_VERSIONS,
    UnknownVersionError,
    field_description,
    resolve_version,
    schema_errors,
)


def pod(**spec_changes) -> dict:
    container = {"name": "app", "image": "nginx:1.27"}
    spec = {"containers": [container]} | spec_changes
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "demo"}, "spec": spec}


def errors_of(manifest: dict, version: str = DEFAULT_VERSION) -> list[tuple[str, str]]:
    return [(error.path, error.message) for error in schema_errors(manifest, version)]


def test_it_ships_the_versions_of_the_installed_package():
    assert SUPPORTED_VERSIONS[0] == "1.25"
    assert DEFAULT_VERSION == SUPPORTED_VERSIONS[-1] == "1.37"
    minors = [int(version.split(".")[1]) for version in SUPPORTED_VERSIONS]
    assert minors == list(range(25, 38))


@pytest.mark.parametrize(
    "given, expected",
    [
        (None, DEFAULT_VERSION),
        ("1.33", "1.33"),
        ("v1.33", "1.33"),
        ("1.33.2", "1.33"),
        ("v1.25.0", "1.25"),
    ],
)
def test_it_resolves_version_spellings(given, expected):
    assert resolve_version(given) == expected


@pytest.mark.parametrize("given", ["1.20", "1.99", "2.1", "latest", "", "v1"])
def test_it_rejects_unknown_versions_with_the_supported_range(given):
    with pytest.raises(UnknownVersionError) as raised:
        resolve_version(given)
    assert "1.25" in str(raised.value) and "1.37" in str(raised.value)


def test_it_accepts_a_minimal_pod_on_every_version():
    for version in SUPPORTED_VERSIONS:
        assert errors_of(pod(), version) == []


def test_it_accepts_every_seed_pod(seed):
    for name in ("nginx-pod", "postgres-pod", "secure-pod", "my-app-pod", "app-with-init"):
        assert errors_of(seed(name)) == [], name


SCHEMA_CASES = [
    (
        "port as a string",
        pod(containers=[{"name": "db", "image": "postgres", "ports": [{"containerPort": "5432"}]}]),
        "spec.containers[0].ports[0].containerPort",
        'must be an integer, got the string "5432" (without the quotes: 5432)',
    ),
    (
        "env value as a number",
        pod(
            containers=[{"name": "db", "image": "postgres", "env": [{"name": "P", "value": 5432}]}]
        ),
        "spec.containers[0].env[0].value",
        "must be a string, got the number 5432 (put it in quotes: YAML reads it as a number)",
    ),
    (
        "misspelt field",
        pod(containers=[{"name": "app", "imagee": "nginx"}]),
        "spec.containers[0].imagee",
        'unknown field "imagee" (did you mean "image"?)',
    ),
    (
        "field in another case",
        pod(containers=[{"name": "app", "image": "nginx", "imagepullpolicy": "Always"}]),
        "spec.containers[0].imagepullpolicy",
        'unknown field "imagepullpolicy" (did you mean "imagePullPolicy"? Field names are '
        "case-sensitive)",
    ),
    (
        "labels written straight under a selector",
        pod(
            containers=[{"name": "app", "image": "nginx"}],
            affinity={
                "podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [
                        {"topologyKey": "zone", "labelSelector": {"app": "web"}}
                    ]
                }
            },
        ),
        "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
        ".labelSelector.app",
        'unknown field "app" (a selector\'s labels go under matchLabels: `matchLabels: {app: …}`)',
    ),
    (
        "a container's field indented as far as containers",
        pod(image="busybox"),  # written after the list, as in `- name: app` then `image: …`
        "spec.image",
        'unknown field "image" (image is a field of each entry of containers, the list above '
        "it: indent it as far as that entry's other fields)",
    ),
    (
        "a container's field before the list: no slip of indentation to name",
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "demo"},
            "spec": {"image": "busybox", "containers": [{"name": "app", "image": "nginx"}]},
        },
        "spec.image",
        'unknown field "image"',
    ),
    (
        "unknown field with nothing near it",
        pod(containers=[{"name": "app", "image": "nginx", "healthcheck": {}}]),
        "spec.containers[0].healthcheck",
        'unknown field "healthcheck"',
    ),
    (
        "field name pasted with a no-break space",
        pod(containers=[{"name": "app", "\u00a0image": "nginx"}]),
        "spec.containers[0].\u00a0image",
        'unknown field "\u00a0image" (it holds a no-break space, U+00A0, as text copied from a '
        "web page often does: YAML reads it as text, not as a space; type a plain space instead)",
    ),
    (
        "labels written without a space after the colon",
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "labels": "app:web"}},
        "metadata.labels",
        'must be a mapping (key: value), got the string "app:web" (YAML needs a space after '
        'the colon: "app: web")',
    ),
    (
        "a command with a colon and a space in it, unquoted",
        pod(containers=[{"name": "app", "image": "sh", "command": ["sh", "-c", {"echo a": "b"}]}]),
        "spec.containers[0].command[2]",
        'must be a string, got a mapping (YAML reads "echo a: b" as a key and its value, since '
        "a colon and a space end a key: put the whole text in quotes)",
    ),
    (
        "an argument that is a key with nothing after it",
        pod(containers=[{"name": "app", "image": "sh", "args": [{"--verbose": None}]}]),
        "spec.containers[0].args[0]",
        'must be a string, got a mapping (YAML reads "--verbose:" as a key and its value, since '
        "a colon and a space end a key: put the whole text in quotes)",
    ),
    (
        "a URL where a mapping belongs",
        pod(containers=[{"name": "app", "image": "nginx", "livenessProbe": "http://a/healthz"}]),
        "spec.containers[0].livenessProbe",
        'must be a mapping (key: value), got the string "http://a/healthz"',
    ),
    (
        "a memory size with a B",
        pod(
            containers=[
                {"name": "app", "image": "py", "resources": {"limits": {"memory": "128MB"}}}
            ]
        ),
        "spec.containers[0].resources.limits[memory]",
        'must be a quantity such as 256Mi or 1Gi (did you mean "128Mi" or "128M"? Units have no B, '
        "and their case matters: Mi is 1024², M is 1000²)",
    ),
    (
        "a binary unit in lower case",
        pod(
            containers=[{"name": "app", "image": "py", "resources": {"limits": {"memory": "1gi"}}}]
        ),
        "spec.containers[0].resources.limits[memory]",
        'must be a quantity such as 256Mi or 1Gi (did you mean "1Gi"? Unit letters are '
        "case-sensitive)",
    ),
    (
        "a space before the unit",
        pod(containers=[{"name": "app", "image": "py", "resources": {"limits": {"cpu": "500 m"}}}]),
        "spec.containers[0].resources.limits[cpu]",
        'must be a quantity such as 500m or 2 (no space between the number and its unit: "500m")',
    ),
    (
        "a boolean in quotes",
        pod(containers=[{"name": "app", "image": "py", "stdin": "true"}]),
        "spec.containers[0].stdin",
        'must be true or false, got the string "true" (without the quotes: true)',
    ),
    (
        "a command line written as one string",
        pod(
            containers=[{"name": "app", "image": "py", "command": "python app.py --name 'my app'"}]
        ),
        "spec.containers[0].command",
        "must be a list, got the string \"python app.py --name 'my app'\" (write it as a list, "
        'a string for each word: ["python", "app.py", "--name", "my app"])',
    ),
    (
        "containers as a mapping",
        pod(containers={"name": "app"}),
        "spec.containers",
        'must be a list, got a mapping (each entry of a list starts with "- ")',
    ),
    (
        "label value as a number",
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "labels": {"tier": 1}}},
        "metadata.labels[tier]",
        "must be a string, got the number 1 (put it in quotes: YAML reads it as a number)",
    ),
    (
        "annotation as an unquoted boolean",
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "x", "annotations": {"prometheus.io/scrape": True}},
        },
        "metadata.annotations[prometheus.io/scrape]",
        "must be a string, got true (put it in quotes: YAML reads true, false, yes, no, on and off "
        "as booleans)",
    ),
    (
        "argument as a number",
        pod(containers=[{"name": "a", "image": "b", "args": ["--port", 8080]}]),
        "spec.containers[0].args[1]",
        "must be a string, got the number 8080 (put it in quotes: YAML reads it as a number)",
    ),
    (
        "policy as a number: quoting would not make it a policy, so no hint",
        pod(containers=[{"name": "a", "image": "b", "imagePullPolicy": 5}]),
        "spec.containers[0].imagePullPolicy",
        "must be a string, got the number 5",
    ),
    (
        "quantity as a list",
        pod(containers=[{"name": "a", "image": "b", "resources": {"limits": {"cpu": ["1"]}}}]),
        "spec.containers[0].resources.limits[cpu]",
        "must be a quantity such as 500m or 2",
    ),
    (
        "probe port as a list",
        pod(
            containers=[{"name": "a", "image": "b", "livenessProbe": {"tcpSocket": {"port": [80]}}}]
        ),
        "spec.containers[0].livenessProbe.tcpSocket.port",
        "must be a number or a name",
    ),
    (
        "wrong apiVersion",
        {"apiVersion": "apps/v1", "kind": "Pod"},
        "apiVersion",
        "must be one of: v1",
    ),
    (
        "wrong kind",
        {"apiVersion": "v1", "kind": "Deployment"},
        "kind",
        "must be one of: Pod",
    ),
    (
        "boolean as a string",
        pod(hostNetwork="yes please"),
        "spec.hostNetwork",
        'must be true or false, got the string "yes please"',
    ),
]


@pytest.mark.parametrize(
    "manifest, path, message", [case[1:] for case in SCHEMA_CASES], ids=[c[0] for c in SCHEMA_CASES]
)
def test_it_reports_schema_errors_in_plain_words(manifest, path, message):
    assert (path, message) in errors_of(manifest)


def test_a_string_env_value_is_fine_where_a_port_string_is_not():
    container = {
        "name": "db",
        "image": "postgres",
        "env": [{"name": "PGPORT", "value": "5432"}],
        "ports": [{"containerPort": 5432}],
    }
    assert errors_of(pod(containers=[container])) == []


def test_it_reports_every_error_once():
    containers = [
        {"name": "a", "imagee": "x", "ports": [{"containerPort": "80"}]},
        {"image": "y", "ports": [{"containerPort": "81"}]},
    ]
    errors = errors_of(pod(containers=containers, restartPolicy=5))
    assert len(errors) == len(set(errors)) == 4
    assert (
        "spec.containers[1].ports[0].containerPort",
        'must be an integer, got the string "81" (without the quotes: 81)',
    ) in (errors)
    assert ("spec.restartPolicy", "must be a string, got the number 5") in errors


def test_it_survives_yaml_keys_that_are_not_strings():
    errors = errors_of({"apiVersion": "v1", "kind": "Pod", 80: "http", True: 1})
    assert ("80", 'unknown field "80"') in errors
    assert ("true", 'unknown field "true"') in errors


def test_pod_level_resources_are_an_unknown_field_before_they_existed():
    manifest = pod(resources={"limits": {"cpu": "1"}})
    later = " (later Kubernetes versions have this field; the version checked here does not)"
    assert ("spec.resources", 'unknown field "resources"' + later) in errors_of(manifest, "1.31")
    assert errors_of(manifest, "1.37") == []


def test_native_sidecars_are_an_unknown_field_on_old_versions():
    init = {"name": "proxy", "image": "envoy", "restartPolicy": "Always"}
    manifest = pod(initContainers=[init])
    path = "spec.initContainers[0].restartPolicy"
    later = " (later Kubernetes versions have this field; the version checked here does not)"
    assert (path, 'unknown field "restartPolicy"' + later) in errors_of(manifest, "1.27")
    assert errors_of(manifest, "1.29") == []


@pytest.mark.parametrize(
    "path, fragment",
    [
        ("spec.containers[0].image", "Container image name"),
        ("spec.containers[3].livenessProbe.periodSeconds", "How often (in seconds)"),
        ("metadata.labels", "Map of string keys and values"),
        ("spec.restartPolicy", "Restart policy for all containers"),
    ],
)
def test_it_describes_fields_from_the_schema(path, fragment):
    assert fragment in field_description(path, DEFAULT_VERSION)


@pytest.mark.parametrize("path", ["spec.nope", "spec.containers[0].image.deeper", "kindly"])
def test_it_has_no_description_for_unknown_fields(path):
    assert field_description(path, DEFAULT_VERSION) is None


@pytest.mark.parametrize(
    "manifest",
    [
        pod(containers=[{"image": "nginx"}]),
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {}},
        pod(containers=[{"name": "a", "image": "b", "ports": [{"name": "http"}]}]),
    ],
    ids=["container without a name", "pod without containers", "port without a number"],
)
def test_the_schema_leaves_required_fields_to_the_rules(manifest):
    # The API server decodes into Go structs and never enforces the OpenAPI `required` list;
    # the validation rules say what is missing, in the server's words.
    assert errors_of(manifest) == []


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(2**31, "32-bit"), (-(2**31) - 1, "32-bit")],
)
def test_an_int32_out_of_range_cannot_be_read(value, fragment):
    manifest = pod(
        containers=[{"name": "a", "image": "b", "readinessProbe": {"timeoutSeconds": value}}]
    )
    assert any(fragment in message for _, message in errors_of(manifest))


def test_null_is_a_zero_value_not_a_type_error():
    manifest = pod(containers=[{"name": "a", "image": "b", "args": None, "ports": [None]}])
    assert errors_of(manifest) == []


def test_a_wrong_type_message_shows_the_string_as_typed_and_invisible_characters_escaped():
    """``"١٢٣"`` in a number field is told back as typed; a right-to-left override, which would
    reorder the message on screen, is written as an escape."""
    from podstudio.engine.analyze import analyze

    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "containers": [
                {"name": "a", "image": "nginx:1.27", "ports": [{"containerPort": "١٢٣"}]}
            ],
            "terminationGracePeriodSeconds": "3\u202e0",
        },
    }
    messages = {error.path: error.message for error in analyze(pod).errors}
    assert 'got the string "١٢٣"' in messages["spec.containers[0].ports[0].containerPort"]
    assert 'got the string "3\\u202e0"' in messages["spec.terminationGracePeriodSeconds"]
