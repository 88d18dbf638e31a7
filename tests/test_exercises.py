"""Exercises: each starts with its goals unmet, a hand-written solution meets them all, and no
manifest shape makes a check raise. Solutions are written from the Kubernetes rules, not from
the checks."""

import copy

import pytest
from django.test import RequestFactory

from lessons.exercises import EXERCISES, check_exercise, exercise_start, mark_completed
from podstudio.engine.documents import load_object as load_manifest

# Goals that guard against breaking something and so may already pass at the start.
GUARDS = {"valid", "web-writes", "same-export"}  # goals that keep what the start has right

SOLUTIONS = {
    # The bare Pod, wrapped as the builder's Change kind does, with names for the weekdays.
    "weeknight-export": """
apiVersion: batch/v1
kind: CronJob
metadata: {name: finance-export}
spec:
  schedule: "30 2 * * MON-FRI"
  timeZone: Europe/Berlin
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: finance-export}}
        spec:
          restartPolicy: OnFailure
          containers:
            - name: export
              image: registry.example.com/finance/export:2.4.1
""",
    "first-pod": """
apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  containers:
    - name: web
      image: httpd:2.4.62
""",
    "label-and-port": """
apiVersion: v1
kind: Pod
metadata:
  name: shop-api
  labels: {app: shop-api}
spec:
  containers:
    - name: api
      image: registry.example.com/shop/api:2.4.1
      ports:
        - {name: http, containerPort: 8080}
""",
    "run-to-completion": """
apiVersion: v1
kind: Pod
metadata: {name: nightly-report}
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 60
  containers:
    - name: report
      image: busybox:1.36
      command: ["sh", "-c", "echo building report; sleep 5; echo done"]
""",
    "add-log-sidecar": """
apiVersion: v1
kind: Pod
metadata: {name: storefront}
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports: [{name: http, containerPort: 80}]
      volumeMounts: [{name: logs, mountPath: /var/log/nginx}]
    - name: shipper
      image: fluent/fluent-bit:3.1
      volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]
  volumes:
    - {name: logs, emptyDir: {}}
""",
    "wait-for-database": """
apiVersion: v1
kind: Pod
metadata: {name: orders}
spec:
  initContainers:
    - name: wait-for-db
      image: busybox:1.36
      command: ["sh", "-c", "until nc -z orders-db 5432; do sleep 2; done"]
  containers:
    - name: app
      image: registry.example.com/shop/orders:1.8.0
      env: [{name: DATABASE_HOST, value: orders-db}]
""",
    "set-requests-limits": """
apiVersion: v1
kind: Pod
metadata: {name: image-resizer}
spec:
  containers:
    - name: worker
      image: registry.example.com/media/resizer:5.0.2
      resources:
        requests: {cpu: "0.25", memory: 128Mi}
        limits: {memory: 256Mi}
""",
    "make-guaranteed": """
apiVersion: v1
kind: Pod
metadata: {name: session-cache}
spec:
  containers:
    - name: redis
      image: redis:7.4
      resources:
        requests: {cpu: 500m, memory: 256Mi}
        limits: {cpu: 500m, memory: 256Mi}
    - name: exporter
      image: oliver006/redis_exporter:v1.62.0
      ports: [{name: metrics, containerPort: 9121}]
      resources:
        limits: {cpu: 100m, memory: 64Mi}
""",
    "add-readiness-probe": """
apiVersion: v1
kind: Pod
metadata: {name: search-api}
spec:
  containers:
    - name: api
      image: registry.example.com/search/api:4.0.1
      ports: [{name: http, containerPort: 8080}]
      livenessProbe:
        httpGet: {path: /healthz, port: http}
        periodSeconds: 10
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        initialDelaySeconds: 5
""",
    "harden-restricted": """
apiVersion: v1
kind: Pod
metadata: {name: payments-api}
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: api
      image: registry.example.com/payments/api:3.3.0
      ports: [{name: http, containerPort: 8443}]
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
      volumeMounts: [{name: tmp, mountPath: /tmp}]
  volumes:
    - {name: tmp, emptyDir: {}}
""",
    "use-localhost": """
apiVersion: v1
kind: Pod
metadata: {name: storefront}
spec:
  containers:
    - name: web
      image: registry.example.com/shop/storefront:6.0.0
      env:
        - {name: CACHE_ADDR, value: "localhost:6379"}
        - {name: CATALOG_URL, value: "http://catalog-api.shop.svc.cluster.local"}
    - name: cache
      image: redis:7.4
      ports: [{containerPort: 6379}]
""",
    "fix-image-pull": """
apiVersion: v1
kind: Pod
metadata: {name: reports}
spec:
  imagePullSecrets: [{name: finance-registry}]
  containers:
    - name: reports
      image: registry.example.com/finance/reports:1.4.2
""",
    "schedule-on-ssd": """
apiVersion: v1
kind: Pod
metadata: {name: orders-db}
spec:
  nodeSelector: {disktype: ssd}
  tolerations:
    - {key: dedicated, operator: Equal, value: databases, effect: NoSchedule}
  containers:
    - name: postgres
      image: postgres:16.4
      env:
        - name: POSTGRES_PASSWORD
          valueFrom: {secretKeyRef: {name: orders-db, key: password}}
      volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: orders-db-data}
""",
    "production-ready": """
apiVersion: v1
kind: Pod
metadata:
  name: checkout
  labels: {app: checkout}
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: api
      image: registry.example.com/shop/checkout:5.2.0
      ports: [{name: http, containerPort: 8080}]
      resources:
        limits: {cpu: 500m, memory: 512Mi}
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
      livenessProbe:
        httpGet: {path: /healthz, port: http}
      readinessProbe:
        httpGet: {path: /ready, port: http}
""",
}

SLUGS = sorted(EXERCISES)


def _status(goals: list[dict]) -> dict[str, str]:
    return {goal["id"]: goal["status"] for goal in goals}


def test_every_exercise_has_a_solution_here():
    assert set(SOLUTIONS) == set(EXERCISES)


def test_there_is_an_exercise_for_every_major_topic():
    lessons = {exercise.lesson for exercise in EXERCISES.values()}
    for topic in ("resources", "qos", "security", "probes", "multi-container", "init-containers"):
        assert topic in lessons
    assert "scheduling" in lessons


@pytest.mark.parametrize("slug", SLUGS)
def test_exercise_start_gives_a_title_and_a_fresh_manifest(slug):
    title, manifest = exercise_start(slug)
    assert title == EXERCISES[slug].title
    assert manifest["kind"] == "Pod"  # a workload exercise starts from the Pod to wrap
    manifest["spec"]["mutated"] = True
    assert "mutated" not in exercise_start(slug)[1]["spec"]


def test_exercise_start_raises_keyerror_for_unknown_slugs():
    with pytest.raises(KeyError):
        exercise_start("no-such-exercise")


@pytest.mark.parametrize("slug", SLUGS)
def test_the_starting_pod_fails_the_goals(slug):
    _, manifest = exercise_start(slug)
    status = _status(check_exercise(slug, manifest))
    failing = {goal for goal, result in status.items() if result == "fail"}
    assert failing, "an exercise must not be done before it starts"
    assert set(status) - GUARDS <= failing


@pytest.mark.parametrize("slug", SLUGS)
def test_the_hand_written_solution_passes_every_goal(slug):
    goals = check_exercise(slug, load_manifest(SOLUTIONS[slug]))
    assert [g for g in goals if g["status"] != "pass"] == []


@pytest.mark.parametrize("slug", SLUGS)
def test_goals_have_the_shared_result_shape(slug):
    for goal in check_exercise(slug, exercise_start(slug)[1]):
        assert set(goal) == {"id", "status", "path", "message"}
        assert goal["status"] in ("pass", "fail")
        assert goal["message"]


WRONG_SHAPES = [
    {},
    {"spec": "a string"},
    {"spec": {"containers": "nginx"}},
    {"spec": {"containers": [None, 3, "x"]}},
    {"spec": {"containers": [{"name": "web", "image": 5, "ports": "80"}]}},
    {"spec": {"containers": [{"name": "api", "readinessProbe": []}]}},
    {"spec": {"containers": [{"name": "worker", "resources": {"requests": {"cpu": "lots"}}}]}},
    {"spec": {"securityContext": [], "containers": [{"securityContext": "root"}]}},
    {"spec": {"tolerations": {"key": "x"}, "volumes": [{"name": "data", "emptyDir": 1}]}},
    {"spec": {"initContainers": [{"command": "sleep"}], "imagePullSecrets": "x"}},
    {"metadata": "x", "spec": {"containers": [{"name": "web", "env": {"CACHE_ADDR": 1}}]}},
]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("manifest", WRONG_SHAPES)
def test_wrong_shapes_fail_goals_without_raising(slug, manifest):
    goals = check_exercise(slug, manifest)
    assert len(goals) == len(EXERCISES[slug].goals)
    assert any(goal["status"] == "fail" for goal in goals)


def test_a_non_dict_manifest_fails_every_goal():
    for slug in SLUGS:
        assert all(g["status"] == "fail" for g in check_exercise(slug, ["not", "a", "pod"]))


# Partial solutions: each goal reacts to its own field, not to the whole Pod.


def test_harden_goals_turn_green_one_by_one():
    manifest = exercise_start("harden-restricted")[1]
    manifest["spec"]["securityContext"] = {"runAsNonRoot": True}
    status = _status(check_exercise("harden-restricted", manifest))
    assert status["non-root"] == "pass"
    assert status["no-escalation"] == status["restricted"] == "fail"


def test_a_container_setting_runasnonroot_false_overrides_the_pod():
    manifest = load_manifest(SOLUTIONS["harden-restricted"])
    manifest["spec"]["containers"][0]["securityContext"]["runAsNonRoot"] = False
    status = _status(check_exercise("harden-restricted", manifest))
    assert status["non-root"] == "fail"
    assert status["restricted"] == "fail"


def test_adding_a_capability_other_than_net_bind_service_fails_the_capability_goal():
    manifest = load_manifest(SOLUTIONS["harden-restricted"])
    manifest["spec"]["containers"][0]["securityContext"]["capabilities"]["add"] = ["NET_ADMIN"]
    assert _status(check_exercise("harden-restricted", manifest))["capabilities"] == "fail"


def test_a_writable_sidecar_mount_fails_the_read_only_goal():
    manifest = load_manifest(SOLUTIONS["add-log-sidecar"])
    del manifest["spec"]["containers"][1]["volumeMounts"][0]["readOnly"]
    status = _status(check_exercise("add-log-sidecar", manifest))
    assert status["sidecar"] == "pass"
    assert status["read-only"] == "fail"


def test_a_native_sidecar_counts_as_the_log_shipper():
    manifest = load_manifest(SOLUTIONS["add-log-sidecar"])
    shipper = manifest["spec"]["containers"].pop(1)
    shipper["restartPolicy"] = "Always"
    manifest["spec"]["initContainers"] = [shipper]
    assert all(g["status"] == "pass" for g in check_exercise("add-log-sidecar", manifest))


def test_a_plain_init_container_is_not_a_log_shipper():
    manifest = load_manifest(SOLUTIONS["add-log-sidecar"])
    manifest["spec"]["initContainers"] = [manifest["spec"]["containers"].pop(1)]
    assert _status(check_exercise("add-log-sidecar", manifest))["sidecar"] == "fail"


def test_a_sidecar_init_container_does_not_count_as_waiting_for_the_database():
    manifest = load_manifest(SOLUTIONS["wait-for-database"])
    manifest["spec"]["initContainers"][0]["restartPolicy"] = "Always"
    assert _status(check_exercise("wait-for-database", manifest))["waits-for-db"] == "fail"


def test_one_guaranteed_container_is_not_enough_for_a_guaranteed_pod():
    manifest = load_manifest(SOLUTIONS["make-guaranteed"])
    del manifest["spec"]["containers"][1]["resources"]
    status = _status(check_exercise("make-guaranteed", manifest))
    assert status["redis-guaranteed"] == "pass"
    assert status["exporter-guaranteed"] == "fail"
    assert status["guaranteed"] == "fail"


def test_requests_below_limits_keep_the_pod_burstable():
    manifest = load_manifest(SOLUTIONS["make-guaranteed"])
    manifest["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "250m"
    assert _status(check_exercise("make-guaranteed", manifest))["guaranteed"] == "fail"


@pytest.mark.parametrize(
    ("image", "pinned"),
    [
        ("registry.example.com/finance/reports:1.4.2", True),
        ("registry.example.com/finance/reports@sha256:" + "a" * 64, True),
        ("registry.example.com:5000/finance/reports", False),
        ("registry.example.com/finance/reports:latest", False),
    ],
)
def test_image_pinning_reads_registry_ports_and_digests(image, pinned):
    manifest = load_manifest(SOLUTIONS["fix-image-pull"])
    manifest["spec"]["containers"][0]["image"] = image
    status = _status(check_exercise("fix-image-pull", manifest))["pinned"]
    assert status == ("pass" if pinned else "fail")


@pytest.mark.parametrize(
    ("path", "port", "met"),
    [("/ready", 8080, True), ("/ready", "http", True), ("/ready", 9090, False), ("/", 8080, False)],
)
def test_the_readiness_probe_must_ask_for_ready_on_port_8080(path, port, met):
    manifest = load_manifest(SOLUTIONS["add-readiness-probe"])
    manifest["spec"]["containers"][0]["readinessProbe"]["httpGet"] = {"path": path, "port": port}
    status = _status(check_exercise("add-readiness-probe", manifest))
    assert status["get-ready"] == ("pass" if met else "fail")
    assert status["readiness"] == "pass"


def test_a_toleration_with_another_value_does_not_count():
    manifest = load_manifest(SOLUTIONS["schedule-on-ssd"])
    manifest["spec"]["tolerations"][0]["value"] = "backend"
    assert _status(check_exercise("schedule-on-ssd", manifest))["toleration"] == "fail"


@pytest.mark.django_db
def test_mark_completed_records_the_exercise_in_progress(client):
    request = RequestFactory().get("/")
    request.session = client.session
    mark_completed(request, "make-guaranteed")
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    page = client.get("/lessons/progress/").content.decode()
    assert "1 of 14 exercises completed" in page.replace("<strong>", "").replace("</strong>", "")
    assert "Completed" in client.get("/lessons/qos/").content.decode()


@pytest.mark.django_db
def test_mark_completed_rejects_unknown_exercises(client):
    request = RequestFactory().get("/")
    request.session = client.session
    with pytest.raises(KeyError):
        mark_completed(request, "nope")


# Verdicts that must agree with what Kubernetes does with the Pod.


def test_a_null_readiness_probe_is_no_probe():
    # The API server reads `readinessProbe: null` as no probe at all.
    manifest = load_manifest(SOLUTIONS["production-ready"])
    manifest["spec"]["containers"][0]["readinessProbe"] = None
    assert _status(check_exercise("production-ready", manifest))["readiness"] == "fail"


def test_a_second_writable_mount_of_the_logs_fails_the_read_only_goal():
    # The shipper could write the logs through the mount that is not read-only.
    manifest = load_manifest(SOLUTIONS["add-log-sidecar"])
    manifest["spec"]["containers"][1]["volumeMounts"].append({"name": "logs", "mountPath": "/rw"})
    assert _status(check_exercise("add-log-sidecar", manifest))["read-only"] == "fail"


def test_the_last_of_two_env_entries_with_one_name_is_what_the_app_sees():
    manifest = load_manifest(SOLUTIONS["use-localhost"])
    manifest["spec"]["containers"][0]["env"].append({"name": "CACHE_ADDR", "value": "cache:6379"})
    assert _status(check_exercise("use-localhost", manifest))["cache-localhost"] == "fail"


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("[::1]:6379", "pass"),
        ("redis://localhost:6379", "pass"),
        ("redis://127.0.0.1:6379/0", "pass"),
        ("LOCALHOST.:6379", "pass"),
        ("localhost", "fail"),  # no port: the app's own default is not the declared 6379
        ("localhost:63790", "fail"),
        ("redis://cache:6379", "fail"),
        ("[::1]", "fail"),
    ],
)
def test_redis_through_localhost_is_recognised_however_it_is_written(address, status):
    manifest = load_manifest(SOLUTIONS["use-localhost"])
    manifest["spec"]["containers"][0]["env"][0]["value"] = address
    assert _status(check_exercise("use-localhost", manifest))["cache-localhost"] == status


def test_an_address_goal_that_is_not_host_and_port_is_a_content_problem():
    from lessons.goals import problems

    check = {"path": "spec.containers[0].env[0].value", "address": ["localhost"]}
    assert problems(check, "goal") == ["goal: address 'localhost' must be host:port"]


@pytest.mark.parametrize(
    "url", ["http://CATALOG-API:8080", "http://catalog-api.shop.svc.cluster.local.:8080"]
)
def test_service_names_match_as_dns_compares_them(url):
    manifest = load_manifest(SOLUTIONS["use-localhost"])
    manifest["spec"]["containers"][0]["env"][1]["value"] = url
    assert _status(check_exercise("use-localhost", manifest))["service-dns"] == "pass"


@pytest.mark.parametrize(
    ("script", "goal"),
    [
        ("until nc -z orders-db 54321; do sleep 2; done", "port"),
        ("until nc -z orders-db-replica 5432; do sleep 2; done", "waits-for-db"),
    ],
)
def test_the_wait_goals_need_the_host_and_port_as_whole_words(script, goal):
    manifest = load_manifest(SOLUTIONS["wait-for-database"])
    manifest["spec"]["initContainers"][0]["command"] = ["sh", "-c", script]
    assert _status(check_exercise("wait-for-database", manifest))[goal] == "fail"


def test_a_whole_number_written_with_a_decimal_point_counts():
    # kubectl sends YAML's 5.0 as the JSON number 5, which the API server takes as an integer.
    manifest = load_manifest(SOLUTIONS["add-readiness-probe"])
    manifest["spec"]["containers"][0]["readinessProbe"]["initialDelaySeconds"] = 5.0
    assert _status(check_exercise("add-readiness-probe", manifest))["delay"] == "pass"


def test_the_valid_goal_validates_for_the_configured_kubernetes_version(settings):
    # A native sidecar is refused by a 1.27 API server, as the builder (set to 1.27) says.
    manifest = load_manifest(SOLUTIONS["add-log-sidecar"])
    shipper = manifest["spec"]["containers"].pop(1)
    manifest["spec"]["initContainers"] = [{**shipper, "restartPolicy": "Always"}]
    settings.PODSTUDIO_K8S_VERSION = "1.27"
    assert _status(check_exercise("add-log-sidecar", manifest))["valid"] == "fail"


def test_a_cpu_request_defaulted_from_its_limit_counts_as_the_request():
    # The API server stores requests.cpu 250m when only limits.cpu 250m is written.
    manifest = load_manifest(SOLUTIONS["set-requests-limits"])
    manifest["spec"]["containers"][0]["resources"] = {
        "requests": {"memory": "128Mi"},
        "limits": {"cpu": "250m", "memory": "256Mi"},
    }
    assert [
        g for g in check_exercise("set-requests-limits", manifest) if g["status"] != "pass"
    ] == []


def test_a_memory_request_left_to_default_from_the_limit_is_the_limit():
    manifest = load_manifest(SOLUTIONS["set-requests-limits"])
    manifest["spec"]["containers"][0]["resources"] = {"limits": {"memory": "128Mi"}}
    status = _status(check_exercise("set-requests-limits", manifest))
    assert status["memory-request"] == "pass"
    assert status["memory-limit"] == "fail"


def _needs(*expressions):
    return {"matchExpressions": list(expressions)}


SSD = {"key": "disktype", "operator": "In", "values": ["ssd"]}


@pytest.mark.parametrize(
    ("terms", "status"),
    [
        ([_needs(SSD)], "pass"),
        ([_needs(SSD, {"key": "zone", "operator": "In", "values": ["a"]})], "pass"),
        ([_needs(SSD), {}], "pass"),  # a term that asks nothing matches no node
        ([_needs(SSD), _needs({"key": "disktype", "operator": "In", "values": ["hdd"]})], "fail"),
        ([_needs({"key": "disktype", "operator": "In", "values": ["ssd", "hdd"]})], "fail"),
        ([_needs({"key": "disktype", "operator": "NotIn", "values": ["hdd"]})], "fail"),
        ([_needs({"key": "disktype", "operator": "Exists"})], "fail"),
        ([], "fail"),
    ],
)
def test_required_node_affinity_meets_the_ssd_goal_as_the_scheduler_reads_it(terms, status):
    """The brief asks for ssd nodes only: a nodeSelector or required node affinity does it, as
    long as every term the scheduler may pick asks for disktype=ssd."""
    manifest = load_manifest(SOLUTIONS["schedule-on-ssd"])
    del manifest["spec"]["nodeSelector"]
    required = {"nodeSelectorTerms": terms}
    manifest["spec"]["affinity"] = {
        "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": required}
    }
    assert _status(check_exercise("schedule-on-ssd", manifest))["node-selector"] == status


def test_preferred_node_affinity_does_not_keep_the_pod_off_other_nodes():
    manifest = load_manifest(SOLUTIONS["schedule-on-ssd"])
    del manifest["spec"]["nodeSelector"]
    preferred = [{"weight": 100, "preference": {"matchExpressions": [SSD]}}]
    manifest["spec"]["affinity"] = {
        "nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": preferred}
    }
    assert _status(check_exercise("schedule-on-ssd", manifest))["node-selector"] == "fail"


@pytest.mark.parametrize(
    ("toleration", "status"),
    [
        ({"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}, "pass"),
        ({"key": "dedicated", "operator": "Equal", "value": "databases"}, "pass"),  # any effect
        ({"key": "dedicated", "value": "databases", "effect": "NoSchedule"}, "pass"),  # Equal
        ({"operator": "Exists"}, "pass"),  # every taint
        ({"key": "dedicated", "value": "web", "effect": "NoSchedule"}, "fail"),
        ({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}, "fail"),
        ({"key": "dedicated", "operator": "Equal", "effect": "NoSchedule"}, "fail"),  # value ""
    ],
)
def test_the_toleration_goal_takes_what_the_scheduler_takes(toleration, status):
    manifest = load_manifest(SOLUTIONS["schedule-on-ssd"])
    manifest["spec"]["tolerations"] = [toleration]
    assert _status(check_exercise("schedule-on-ssd", manifest))["toleration"] == status


@pytest.mark.parametrize(
    ("where", "status"),
    [("pod", "fail"), ("container", "fail"), ("container-overrides", "pass")],
)
def test_non_root_is_not_met_by_user_zero(where, status):
    """runAsNonRoot with runAsUser 0: the kubelet refuses to start the container."""
    manifest = load_manifest(SOLUTIONS["harden-restricted"])
    container = manifest["spec"]["containers"][0].setdefault("securityContext", {})
    if where == "pod":
        manifest["spec"]["securityContext"]["runAsUser"] = 0
    elif where == "container":
        container["runAsUser"] = 0
    else:  # the Pod's 0 is overridden by the container's own user
        manifest["spec"]["securityContext"]["runAsUser"] = 0
        for each in manifest["spec"]["containers"] + manifest["spec"].get("initContainers", []):
            each.setdefault("securityContext", {})["runAsUser"] = 10001
    assert _status(check_exercise("harden-restricted", manifest))["non-root"] == status


def _claim(name: str) -> dict:
    return {"name": name, "persistentVolumeClaim": {"claimName": "orders-db-data"}}


@pytest.mark.parametrize(
    ("volumes", "mount", "status"),
    [
        # The claim under another name, mounted where PostgreSQL writes: its files are kept.
        ([_claim("pgdata")], {"name": "pgdata", "mountPath": "/var/lib/postgresql/data"}, "pass"),
        ([_claim("data")], {"name": "data", "mountPath": "/var/lib/postgresql/data/"}, "pass"),
        # A claim beside the emptyDir that is still the one mounted: the data stays ephemeral.
        (
            [{"name": "data", "emptyDir": {}}, _claim("pgdata")],
            {"name": "data", "mountPath": "/var/lib/postgresql/data"},
            "fail",
        ),
        # The claim is the volume named data, but it is mounted somewhere PostgreSQL never writes.
        (
            [_claim("data"), {"name": "scratch", "emptyDir": {}}],
            {"name": "scratch", "mountPath": "/var/lib/postgresql/data"},
            "fail",
        ),
        ([_claim("data")], {"name": "data", "mountPath": "/var/lib/postgresql"}, "fail"),
        ([_claim("data")], {"name": "missing", "mountPath": "/var/lib/postgresql/data"}, "fail"),
    ],
)
def test_the_claim_goal_follows_the_mount_of_the_data_directory(volumes, mount, status):
    manifest = load_manifest(SOLUTIONS["schedule-on-ssd"])
    manifest["spec"]["volumes"] = volumes
    manifest["spec"]["containers"][0]["volumeMounts"] = [mount]
    assert _status(check_exercise("schedule-on-ssd", manifest))["claim"] == status


@pytest.mark.parametrize(
    "check",
    [
        {"mounted_at": {"path": "data", "check": {"path": "emptyDir", "exists": True}}},
        {"mounted_at": {"path": "/data"}},
        {"mounted_at": "/data"},
        {"mounted_at": {"path": "/data", "check": {"path": "emptyDir", "equal": 1}}},
    ],
)
def test_a_mounted_at_check_written_wrong_is_a_content_problem(check):
    from lessons.goals import problems

    assert problems(check, "goal")


@pytest.mark.parametrize(
    ("command", "args", "met"),
    [
        # Naming the host and port waits for nothing.
        (["sh", "-c", "echo orders-db 5432"], None, False),
        (["sh", "-c", "sleep 30 # orders-db:5432"], None, False),
        (["sync"], ["orders-db", "5432"], False),  # "nc" inside another word is no nc
        # Programs that open a connection, however the command is split.
        (["nc", "-z", "orders-db", "5432"], None, True),
        (["/bin/sh", "-c"], ["until nc -z orders-db 5432; do sleep 2; done"], True),
        (["sh", "-c", "until pg_isready -h orders-db -p 5432; do sleep 1; done"], None, True),
        (["bash", "-c", "until echo > /dev/tcp/orders-db/5432; do sleep 1; done"], None, True),
        (["wait-for-it.sh", "orders-db:5432", "--timeout=0"], None, True),
        # Words an echo prints, or a comment holds, connect nothing.
        (["sh", "-c", "echo nc orders-db 5432"], None, False),
        (["sh", "-c", "sleep 5 # nc -z orders-db 5432"], None, False),
        (["sh", "-c", "printf 'nc orders-db' && sleep 5"], None, False),
    ],
)
def test_waiting_for_the_database_needs_a_program_that_connects(command, args, met):
    manifest = load_manifest(SOLUTIONS["wait-for-database"])
    init = manifest["spec"]["initContainers"][0]
    init["command"] = command
    if args is not None:
        init["args"] = args
    status = _status(check_exercise("wait-for-database", manifest))
    assert status["waits-for-db"] == ("pass" if met else "fail")


@pytest.mark.parametrize("words", ["", [], [""], True, {"a": 1}])
def test_a_contains_matcher_without_words_is_a_content_problem(words):
    from lessons.goals import problems

    assert problems({"path": "command", "contains": words}, "goal")


# --- goals about workloads ------------------------------------------------------------------

CRONJOB = load_manifest(SOLUTIONS["weeknight-export"])


@pytest.mark.parametrize(
    ("schedule", "holds"),
    [
        ("30 2 * * 1-5", True),
        ("30 2 * * mon-fri", True),
        ("30 2 * * 1,2,3,4,5", True),
        ("30 2 * * 1-6", False),  # Saturday too
        ("30 14 * * 1-5", False),
        ("30 2 1 * 1-5", False),  # the 1st of the month as well: either day field counts
        ("@every 24h", False),  # counted from the controller's start, not from the clock
        ("30 2 * * 7", False),  # refused by the API server
        (None, False),
    ],
)
def test_a_schedule_goal_compares_when_it_fires_not_how_it_is_written(schedule, holds):
    from lessons.goals import evaluate

    check = {"path": "spec.schedule", "schedule": "30 2 * * MON-FRI"}
    cronjob = copy.deepcopy(CRONJOB)
    cronjob["spec"]["schedule"] = schedule
    assert evaluate(check, cronjob) is holds


def test_a_template_goal_reads_the_pod_a_workload_makes():
    from lessons.goals import evaluate

    image = {"some_container": {"check": {"path": "image", "image": "export"}}}
    assert evaluate({"template": image}, CRONJOB)
    assert not evaluate(image, CRONJOB)  # the CronJob itself has no containers
    pod = exercise_start("weeknight-export")[1]
    assert evaluate({"template": image}, pod)  # a Pod is its own template
    assert evaluate({"template": {"qos": "Burstable"}}, pod)


def test_a_valid_goal_judges_a_workload_by_its_own_rules():
    from lessons.goals import evaluate

    assert evaluate({"valid": True}, CRONJOB)
    always = copy.deepcopy(CRONJOB)
    always["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert not evaluate({"valid": True}, always)  # a Job's Pods must end
    goals = _status(check_exercise("weeknight-export", always))
    assert goals["valid"] == "fail" and goals["weeknights"] == "pass"


@pytest.mark.parametrize("schedule", ["every weekday", "30 2 * * 7", 5, "@every 1h"])
def test_a_schedule_goal_written_wrong_is_a_content_problem(schedule):
    from lessons.goals import problems

    found = problems({"path": "spec.schedule", "schedule": schedule})
    assert found == ["check: schedule must be a cron schedule such as 30 2 * * 1-5"]


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
@pytest.mark.parametrize("slug", ["harden-restricted", "first-pod"])
def test_a_pod_exercise_is_still_judged_on_the_pod_once_wrapped(slug, kind):
    from podstudio.engine.kinds import wrap

    wrapped = wrap(load_manifest(SOLUTIONS[slug]), kind)
    assert [g["id"] for g in check_exercise(slug, wrapped) if g["status"] != "pass"] == []


def test_a_workload_exercise_reads_the_workload_not_its_template():
    goals = _status(check_exercise("weeknight-export", exercise_start("weeknight-export")[1]))
    assert goals["cronjob"] == "fail" and goals["same-export"] == "pass"


def test_a_workload_exercises_valid_goal_waits_for_the_workload():
    """The weeknight export starts as a valid Pod: "The CronJob is valid" is not met by it."""
    from lessons.exercises import get_exercise
    from podstudio.builder.services import exercise_goals

    exercise = get_exercise("weeknight-export")
    valid = [g for g in exercise_goals(exercise.slug, exercise.start) if g["id"] == "valid"]
    assert valid and valid[0]["status"] == "fail"
    done = [g for g in exercise_goals(exercise.slug, exercise.solution) if g["id"] == "valid"]
    assert done[0]["status"] == "pass"


@pytest.mark.parametrize(
    ("command", "env", "met"),
    [
        # The kubelet expands $(VAR) from the container's env before anything runs.
        (
            ["sh", "-c", "until nc -z $(DB_HOST) 5432; do sleep 2; done"],
            {"DB_HOST": "orders-db"},
            True,
        ),
        # A shell expands $VAR and ${VAR} from the same env.
        (
            ["sh", "-c", "until nc -z $DB_HOST 5432; do sleep 2; done"],
            {"DB_HOST": "orders-db"},
            True,
        ),
        (
            ["sh", "-c", "until nc -z ${DB_HOST} ${DB_PORT}; do :; done"],
            {"DB_HOST": "orders-db", "DB_PORT": "5432"},
            True,
        ),
        # Without a shell, $VAR is passed to nc as it is written.
        (["nc", "-z", "$DB_HOST", "5432"], {"DB_HOST": "orders-db"}, False),
        # $$(VAR) is the text $(VAR), not the variable.
        (["nc", "-z", "$$(DB_HOST)", "5432"], {"DB_HOST": "orders-db"}, False),
        # An option's value glued to it counts.
        (["sh", "-c", "until pg_isready -horders-db -p5432; do sleep 1; done"], {}, True),
        # The wrong port, with the right one only in a comment.
        (["sh", "-c", "until nc -z orders-db 5433; do sleep 2; done # 5432"], {}, False),
    ],
)
def test_the_database_wait_is_read_as_the_command_runs(command, env, met):
    manifest = load_manifest(SOLUTIONS["wait-for-database"])
    init = manifest["spec"]["initContainers"][0]
    init["command"] = command
    init.pop("args", None)
    init["env"] = [{"name": name, "value": value} for name, value in env.items()]
    status = _status(check_exercise("wait-for-database", manifest))
    assert (status["waits-for-db"] == status["port"] == "pass") is met


@pytest.mark.parametrize(
    ("pod_policy", "container_policy", "met"),
    [
        ("OnFailure", None, True),
        (None, "OnFailure", True),  # the container's own policy is the one that counts
        ("Never", "OnFailure", True),
        ("OnFailure", "Always", False),  # restarted forever: never Succeeded
        ("OnFailure", "Never", False),  # a failure is never retried
        (None, None, False),
    ],
)
def test_a_task_restarts_only_on_failure_whichever_level_says_so(pod_policy, container_policy, met):
    manifest = load_manifest(SOLUTIONS["run-to-completion"])
    manifest["spec"].pop("restartPolicy", None)
    if pod_policy:
        manifest["spec"]["restartPolicy"] = pod_policy
    if container_policy:
        manifest["spec"]["containers"][0]["restartPolicy"] = container_policy
    status = _status(check_exercise("run-to-completion", manifest))
    assert status["restart-policy"] == ("pass" if met else "fail")


def _as_deployment(pod: dict, selector: dict | None = None) -> dict:
    labels = {"app": "report"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": pod["metadata"]["name"]},
        "spec": {
            "selector": {"matchLabels": selector or labels},
            "template": {"metadata": {"labels": labels}, "spec": copy.deepcopy(pod["spec"])},
        },
    }


def test_a_pod_exercise_wrapped_in_a_workload_is_valid_only_if_the_workload_is():
    """Goals read the template, but "valid" is the Deployment's: the API server refuses one
    whose template restarts OnFailure, or whose selector misses the labels."""
    solution = load_manifest(SOLUTIONS["first-pod"])
    results = {goal["id"]: goal for goal in check_exercise("first-pod", _as_deployment(solution))}
    assert results["valid"]["status"] == "pass"
    assert results["valid"]["message"].startswith("The Deployment is valid")
    wrong = check_exercise("first-pod", _as_deployment(solution, {"app": "other"}))
    assert _status(wrong)["valid"] == "fail"
    task = load_manifest(SOLUTIONS["run-to-completion"])  # restartPolicy: OnFailure
    status = _status(check_exercise("run-to-completion", _as_deployment(task)))
    assert status["valid"] == "fail"
    assert status["restart-policy"] == "pass"  # the template's own goals still read it
