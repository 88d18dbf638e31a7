"""A value edited in the builder and then put back by hand gives the author's file back, as
written: the form shows ``value: ""``, ``image: 'repo:'``, ``cpu: 0.5`` and ``env: []`` the
same way as other writings of them, and a put-back value must not become the form's writing."""

from urllib.parse import urlencode

import pytest
import yaml
from django.urls import reverse

from podstudio.builder.workloads import design_form_data
from tests.test_builder_authorfile import _download, _import, _keystroke

pytestmark = pytest.mark.django_db

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: 'registry.example/app:'   # tag filled in by the release script
      env: []
    - name: helper
      image: busybox:1.36
      env:
        - name: EMPTY
          value: ""
        - name: DEBUG
          value: true
      volumeMounts:
        - name: scratch
          mountPath: /scratch
          readOnly: false
  volumes:
    - name: scratch
      emptyDir: {}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: 'registry.example/app:'
          env:
            - name: EMPTY
              value: ""
"""


def test_an_empty_value_typed_over_and_cleared_again_stays_written_empty(client):
    design = _import(client, POD)
    name = "spec.containers[1].env[0].value"
    _keystroke(client, design, {name: "x"})
    assert 'value: "x"' in _download(client, design)
    _keystroke(client, design, {name: ""})
    assert _download(client, design) == POD


def test_an_image_with_an_empty_tag_keeps_its_colon_when_put_back(client):
    design = _import(client, POD)
    name = "spec.containers[0].image"
    _keystroke(client, design, {name: "registry.example/other", f"{name}@tag": ""})
    assert "registry.example/other" in _download(client, design)
    _keystroke(client, design, {name: "registry.example/app", f"{name}@tag": ""})
    assert _download(client, design) == POD


def test_a_boolean_env_value_typed_again_is_written_as_text_which_mends_it(client):
    """``value: true`` is refused by the API server (an env value is text): the form shows
    ``true``, and typing it again writes the text the form writes, which mends the file."""
    design = _import(client, POD)
    name = "spec.containers[1].env[1].value"
    _keystroke(client, design, {name: "false"})
    _keystroke(client, design, {name: "true"})
    assert _download(client, design) == POD.replace("value: true", 'value: "true"')


def test_a_quantity_written_as_a_decimal_number_comes_back_unquoted(client):
    text = POD.replace(
        "      env: []\n", "      env: []\n      resources:\n        requests: {cpu: 0.5}\n"
    )
    design = _import(client, text)
    name = "spec.containers[0].resources.requests.cpu"
    _keystroke(client, design, {name: "0.75", f"{name}@unit": ""})
    assert "cpu: 0.75" in _download(client, design) or 'cpu: "0.75"' in _download(client, design)
    _keystroke(client, design, {name: "0.5", f"{name}@unit": ""})
    assert _download(client, design) == text


def test_a_flag_written_false_comes_back_false_after_on_and_off(client):
    design = _import(client, POD)
    name = "spec.containers[1].volumeMounts[0].readOnly"
    _keystroke(client, design, {name: "on", f"{name}@shown": "1"})
    assert "readOnly: true" in _download(client, design)
    _keystroke(client, design, {f"{name}@shown": "1"})
    assert _download(client, design) == POD


def test_an_empty_list_stays_after_an_entry_is_added_and_removed(client):
    design = _import(client, POD)
    _keystroke(client, design, {"action": "add:spec.containers[0].env"})
    assert "env: []" not in _download(client, design)
    _keystroke(client, design, {"action": "remove:spec.containers[0].env[0]"})
    assert _download(client, design) == POD


def test_a_list_the_builder_made_goes_when_its_last_entry_is_removed(client):
    design = _import(client, POD)
    _keystroke(client, design, {"action": "add:spec.containers[1].ports"})
    _keystroke(client, design, {"action": "remove:spec.containers[1].ports[0]"})
    assert _download(client, design) == POD


def test_a_workloads_template_values_come_back_as_written(client):
    design = _import(client, DEPLOYMENT)
    image = "spec.template.spec.containers[0].image"
    value = "spec.template.spec.containers[0].env[0].value"
    _keystroke(client, design, {image: "nginx", f"{image}@tag": "1.27", value: "set"})
    changed = _download(client, design)
    assert "nginx:1.27" in changed and "set" in changed
    _keystroke(client, design, {image: "registry.example/app", f"{image}@tag": "", value: ""})
    assert _download(client, design) == DEPLOYMENT


def test_an_entry_that_took_a_removed_ones_place_does_not_get_its_writing(client):
    """Remove the first container, then give the one now first the removed one's image: it is
    written as typed (no colon), since the colon was the other container's. Its own values
    are followed by its name and still come back as written."""
    design = _import(client, POD)
    _keystroke(client, design, {"action": "remove:spec.containers[0]"})
    name = "spec.containers[0].image"
    _keystroke(client, design, {name: "registry.example/app", f"{name}@tag": ""})
    downloaded = _download(client, design)
    assert "image: registry.example/app\n" in downloaded
    assert "'registry.example/app:'" not in downloaded
    _keystroke(client, design, {"spec.containers[0].env[0].value": "y"})
    _keystroke(client, design, {"spec.containers[0].env[0].value": ""})
    assert '- name: EMPTY\n          value: ""\n' in _download(client, design)


def test_a_kustomize_list_directive_is_kept_as_is_not_edited_as_an_entry(client):
    """``- $patch: replace`` tells kustomize to replace the list: the form shows it as kept,
    with no name or value box to type into, and the entries after it stay editable."""
    patch = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - $patch: replace
            - name: MODE
              value: fast
"""
    design = _import(client, patch)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert 'name="spec.template.spec.containers[0].env[0].name"' not in page
    assert 'name="spec.template.spec.containers[0].env[0].value"' not in page
    assert "- $patch: replace" in page  # an entry of the list, as the file writes it
    assert 'name="spec.template.spec.containers[0].env[1].value"' in page
    _keystroke(client, design, {"spec.template.spec.containers[0].env[1].value": "slow"})
    assert _download(client, design) == patch.replace("fast", "slow")


LABELLED = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
    version: 1.10   # YAML reads a number: the API server refuses it
spec:
  containers:
    - name: app
      image: nginx:1.27
"""


def test_editing_one_label_leaves_a_label_yaml_read_as_a_number_as_written(client):
    """The form shows ``version=1.1``; editing ``app`` must not write ``version: "1.1"``, a
    valid file with another version in it, where the author wrote 1.10."""
    design = _import(client, LABELLED)
    _keystroke(client, design, {"metadata.labels": "app=shop\nversion=1.1"})
    assert _download(client, design) == LABELLED.replace("app: web", "app: shop")
    _keystroke(client, design, {"metadata.labels": "app=web\nversion=1.1"})
    assert _download(client, design) == LABELLED


def test_a_label_line_typed_again_with_quotes_is_written_as_text(client):
    design = _import(client, LABELLED)
    _keystroke(client, design, {"metadata.labels": 'app=web\nversion: "1.10"'})
    downloaded = _download(client, design)
    assert 'version: "1.10"' in downloaded or "version: '1.10'" in downloaded


TOLERATING = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts:
        - name: cfg
          mountPath: /etc/a
          readOnly: false
        - name: cfg
          mountPath: /etc/b
    - name: side
      image: busybox:1.36
      env: []
  volumes:
    - name: cfg
      emptyDir: {}
  tolerations:
    - key: a
      operator: Equal
      value: ""
      effect: NoSchedule
    - key: b
      operator: Exists
      effect: NoSchedule
"""


def _submit(client, design, action: str) -> None:
    """An Add, Remove or Move button: the whole form is posted with it."""
    design.refresh_from_db()
    data = urlencode([*design_form_data(design.manifest), ("action", action)])
    url = reverse("builder:preview", args=[design.slug])
    response = client.post(
        url, data, content_type="application/x-www-form-urlencoded", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200


def test_an_entry_without_a_name_moved_and_back_lends_its_writing_to_no_other(client):
    """Tolerations have no name: the whole form posts b's empty value box, which must not
    give b the ``value: ""`` of a, the entry that was in its place in the file."""
    design = _import(client, TOLERATING)
    _submit(client, design, "down:spec.tolerations[0]")
    _submit(client, design, "up:spec.tolerations[1]")
    assert _download(client, design) == TOLERATING
    _keystroke(client, design, {"spec.tolerations[0].value": "x"})
    _submit(client, design, "down:spec.tolerations[0]")
    _keystroke(client, design, {"spec.tolerations[1].value": ""})
    _submit(client, design, "up:spec.tolerations[1]")
    assert _download(client, design) == TOLERATING


def test_entries_of_one_name_are_followed_in_their_order(client):
    """Two mounts of one volume: ticking and unticking the second's Read-only does not give it
    the first's ``readOnly: false``."""
    design = _import(client, TOLERATING)
    name = "spec.containers[0].volumeMounts[1].readOnly"
    _keystroke(client, design, {name: "on", f"{name}@shown": "1"})
    _keystroke(client, design, {f"{name}@shown": "1"})
    assert _download(client, design) == TOLERATING


def test_an_empty_list_stays_with_its_container_after_a_move(client):
    design = _import(client, TOLERATING)
    _submit(client, design, "up:spec.containers[1]")
    _submit(client, design, "add:spec.containers[0].env")
    _submit(client, design, "remove:spec.containers[0].env[0]")
    _submit(client, design, "down:spec.containers[0]")
    assert _download(client, design) == TOLERATING


PATCH = """\
# A kustomize patch: null deletes the base's emptyDir, {} keeps a map the author wrote.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ldap
spec:
  template:
    spec:
      securityContext: null
      containers:
        - name: ldap
          image: osixia/openldap:1.5.0
          resources: {}
      volumes:
        - name: data
          emptyDir: null
          gcePersistentDisk:
            pdName: ldap-persistent-storage
"""


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("spec.template.spec.volumes[0].emptyDir.medium", "Memory"),
        ("spec.template.spec.securityContext.runAsUser", "1000"),
        ("spec.template.spec.containers[0].resources.limits.cpu", "1"),
    ],
)
def test_a_null_or_empty_map_of_the_file_comes_back_after_a_value_in_it_is_cleared(
    client, name, typed
):
    """``emptyDir: null`` became ``emptyDir: {}`` (in a kustomize patch: a second volume type
    where the author deleted one, and the server then refuses the Deployment), and
    ``securityContext: null`` and ``resources: {}`` went."""
    design = _import(client, PATCH)
    _keystroke(client, design, {name: typed})
    assert _download(client, design) != PATCH
    _keystroke(client, design, {name: ""})
    assert _download(client, design) == PATCH


AFFINITY = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
"""


def test_a_node_rule_group_added_and_removed_leaves_no_empty_affinity_behind(client):
    """``requiredDuringSchedulingIgnoredDuringExecution: {}`` was left: the API server refuses
    it ("must have at least one node selector term")."""
    design = _import(client, AFFINITY)
    terms = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
    _keystroke(client, design, {"action": f"add:{terms}.nodeSelectorTerms"})
    assert "nodeSelectorTerms" in _download(client, design)
    _keystroke(client, design, {"action": f"remove:{terms}.nodeSelectorTerms[0]"})
    assert _download(client, design) == AFFINITY


PROBED = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      env:
        - name: GREETING
          value: hello   # the greeting
      readinessProbe:
        httpGet:
          path: /healthz
          port: 8080
          scheme: HTTP
        initialDelaySeconds: 10
        periodSeconds: 20
"""


@pytest.mark.parametrize(
    ("select", "there", "back"),
    [
        ("spec.containers[0].readinessProbe@kind", "exec", "httpGet"),
        ("spec.containers[0].readinessProbe@kind", "", "httpGet"),
        ("spec.containers[0].env[0]@kind", "secretKeyRef", "value"),
    ],
)
def test_a_check_or_source_switched_away_and_back_gets_the_files_own_again(
    client, select, there, back
):
    """httpGet → exec → httpGet gave the form's ``/readyz`` on port 80 for the file's
    ``/healthz`` on 8080 (and lost its timings); an env value came back empty."""
    design = _import(client, PROBED)
    _keystroke(client, design, {select: there})
    assert _download(client, design) != PROBED
    _keystroke(client, design, {select: back})
    assert _download(client, design) == PROBED


PATCH_OF_REPLICAS = """\
# scale the cache down (a kustomize patch)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
spec:
  replicas: 0
"""
POD_WITHOUT_SPEC = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: partial\n  namespace: default\n"


@pytest.mark.parametrize(
    ("text", "edits"),
    [
        (
            PATCH_OF_REPLICAS,
            [
                {"action": "add:spec.template.spec.tolerations"},
                {"action": "remove:spec.template.spec.tolerations[0]"},
            ],
        ),
        (
            PATCH_OF_REPLICAS,
            [
                {"action": "add:spec.template.spec.containers"},
                {"action": "remove:spec.template.spec.containers[0]"},
            ],
        ),
        (POD_WITHOUT_SPEC, [{"spec.hostNetwork": "true"}, {"spec.hostNetwork": ""}]),
    ],
    ids=["a toleration in a patch", "a container in a patch", "a field of a Pod without spec"],
)
def test_add_and_remove_in_a_file_without_a_pod_spec_leave_no_empty_maps(client, text, edits):
    """``template: {spec: {}}``, ``containers: []`` or ``spec: {}`` was left behind (143 of 983
    real files, kustomize patches most of them)."""
    design = _import(client, text)
    for edit in edits:
        _keystroke(client, design, edit)
    assert _download(client, design) == text


FOREIGN_VOLUME = """\
apiVersion: v1
kind: Pod
metadata:
  name: mongo
spec:
  containers:
  - name: mongo
    image: mongo:7
    volumeMounts:
    - {name: data, mountPath: /data/db}
  volumes:
  - name: data
    gcePersistentDisk:
      pdName: mongo-disk   # made by terraform
      fsType: ext4
"""


def test_a_volume_type_the_form_has_no_template_for_switched_back_has_one_source(client):
    """emptyDir and back to gcePersistentDisk kept ``emptyDir: {}`` beside the disk: the API
    server refuses a volume of two types."""
    design = _import(client, FOREIGN_VOLUME)
    _keystroke(client, design, {"spec.volumes[0]@kind": "emptyDir"})
    assert "gcePersistentDisk" not in _download(client, design)
    _keystroke(client, design, {"spec.volumes[0]@kind": "gcePersistentDisk"})
    assert _download(client, design) == FOREIGN_VOLUME


CLAIMED = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: minio
spec:
  serviceName: minio
  selector:
    matchLabels: {app: minio}
  template:
    metadata:
      labels: {app: minio}
    spec:
      containers:
      - name: minio
        image: minio/minio:latest
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""


def test_a_mount_added_and_removed_beside_a_claim_templates_mount_leaves_no_volume(client):
    """The Add made an emptyDir ``data`` for its mount; the file's own mount of the claim
    template ``data`` kept it after the Remove."""
    design = _import(client, CLAIMED)
    mounts = "spec.template.spec.containers[0].volumeMounts"
    _keystroke(client, design, {"action": f"add:{mounts}"})
    _keystroke(client, design, {"action": f"remove:{mounts}[1]"})
    assert _download(client, design) == CLAIMED


CLAIM_UNMOUNTED = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""


def test_a_mount_added_in_a_statefulset_mounts_its_claim_template_and_makes_no_volume(client):
    """The controller gives each Pod a volume per claim template, by its name: the Add mounts
    ``www`` rather than making an emptyDir ``data`` the Pods would not need; Remove gives the
    file back."""
    design = _import(client, CLAIM_UNMOUNTED)
    mounts = "spec.template.spec.containers[0].volumeMounts"
    _keystroke(client, design, {"action": f"add:{mounts}"})
    added = yaml.safe_load(_download(client, design))
    pod_spec = added["spec"]["template"]["spec"]
    assert pod_spec["containers"][0]["volumeMounts"] == [{"name": "www", "mountPath": "/data"}]
    assert "volumes" not in pod_spec
    _keystroke(client, design, {"action": f"remove:{mounts}[0]"})
    assert _download(client, design) == CLAIM_UNMOUNTED


EMPTY_ENV = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx:1.27
    env: []   # set by the platform team
    ports: []
"""


def test_a_renamed_container_keeps_the_empty_lists_its_file_wrote(client):
    """After a rename the container is still the file's: Add and then Remove an env entry or a
    port give back ``env: []`` and ``ports: []`` (they went, as the renamed container was
    looked for in the file by its new name)."""
    design = _import(client, EMPTY_ENV)
    _keystroke(client, design, {"spec.containers[0].name": "app-x"})
    for path in ("spec.containers[0].env", "spec.containers[0].ports"):
        _keystroke(client, design, {"action": f"add:{path}"})
        _keystroke(client, design, {"action": f"remove:{path}[0]"})
    assert _download(client, design) == EMPTY_ENV.replace("name: app\n", "name: app-x\n")
