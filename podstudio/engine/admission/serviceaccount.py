"""The ServiceAccount admission plugin (``plugin/pkg/admission/serviceaccount``) on a mirror
Pod (one with the ``kubernetes.io/config.mirror`` annotation, which a kubelet makes for a static
Pod): it refuses, before validation, one that names a service account or a secret, or projects
a service account token. (Its token mount in every other Pod is in ``validation.mounts``.)
"""

from typing import TYPE_CHECKING

from podstudio.engine.paths import as_dict, as_list, iter_containers

if TYPE_CHECKING:  # the validation package imports this module
    from podstudio.engine.validation.checker import Checker

MIRROR = "kubernetes.io/config.mirror"
# VisitPodSecretNames: the first of these a volume has is the one looked at, with its secret's
# field ("name" of a reference, or the secret's own name field).
_SECRET_SOURCES = (
    ("azureFile", "secretName"),
    ("cephfs", "secretRef"),
    ("cinder", "secretRef"),
    ("flexVolume", "secretRef"),
    ("projected", None),
    ("rbd", "secretRef"),
    ("secret", "secretName"),
    ("scaleIO", "secretRef"),
    ("iscsi", "secretRef"),
    ("storageos", "secretRef"),
    ("csi", "nodePublishSecretRef"),
)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _secret_names(spec: dict) -> list[str]:
    """Every secret the Pod names (VisitPodSecretNames; empty names are skipped)."""
    names = [_text(as_dict(ref).get("name")) for ref in as_list(spec.get("imagePullSecrets"))]
    for _, _, container in iter_containers(spec):
        for source in as_list(container.get("envFrom")):
            ref = as_dict(source).get("secretRef")
            if ref is not None:
                names.append(_text(as_dict(ref).get("name")))
        for variable in as_list(container.get("env")):
            ref = as_dict(as_dict(as_dict(variable).get("valueFrom")).get("secretKeyRef"))
            if ref:
                names.append(_text(ref.get("name")))
    for volume in as_list(spec.get("volumes")):
        volume = as_dict(volume)
        for source, field in _SECRET_SOURCES:
            found = volume.get(source)
            if found is None:
                continue
            if field is None:  # projected: each secret source
                for item in as_list(as_dict(found).get("sources")):
                    secret = as_dict(item).get("secret")
                    if secret is not None:
                        names.append(_text(as_dict(secret).get("name")))
            elif field.endswith("Ref"):
                names.append(_text(as_dict(as_dict(found).get(field)).get("name")))
            else:
                names.append(_text(as_dict(found).get(field)))
            break
    return [name for name in names if name]


def check_mirror_pod(c: "Checker", annotations: dict, spec: dict) -> None:
    if MIRROR not in annotations:
        return
    account = _text(spec.get("serviceAccountName")) or _text(spec.get("serviceAccount"))
    if account:
        c.add("spec.serviceAccountName", "a mirror pod may not reference service accounts")
    elif _secret_names(spec):
        c.add("spec", "a mirror pod may not reference secrets")
    elif any(
        as_dict(item).get("serviceAccountToken") is not None
        for volume in as_list(spec.get("volumes"))
        for item in as_list(as_dict(as_dict(volume).get("projected")).get("sources"))
    ):
        c.add("spec.volumes", "a mirror pod may not use ServiceAccountToken volume projections")
