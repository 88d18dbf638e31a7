"""The gallery's patterns: valid Pods whose cards show the QoS class and Pod Security level."""

import re

import pytest
from django.urls import reverse

from podstudio.builder.services import gallery
from podstudio.engine.analyze import analyze

# Expected from the rules, not from the code:
# - QoS: Guaranteed when every container sets cpu and memory limits equal to its requests;
#   BestEffort when no container sets any request or limit; Burstable otherwise.
# - Pod Security: baseline forbids host namespaces, privileged, hostPath...; restricted also
#   needs runAsNonRoot, allowPrivilegeEscalation false, drop ALL and a seccomp profile.
EXPECTED = {
    "web-server": ("BestEffort", "baseline"),  # no resources; runs as the image's user
    "full-anatomy": ("Burstable", "baseline"),  # limits above requests
    "sidecar-logs": ("BestEffort", "baseline"),  # neither container sets resources
    "ambassador": ("Guaranteed", "baseline"),  # both containers: limits == requests
    "adapter": ("Burstable", "baseline"),  # requests only
    "init-containers": ("BestEffort", "baseline"),
    "hardened": ("Guaranteed", "restricted"),  # every restricted control met
    "database": ("Guaranteed", "baseline"),
}


def test_the_gallery_has_the_eight_patterns_of_the_issue():
    assert [entry.name for entry in gallery()] == list(EXPECTED)
    assert all(entry.title and entry.about for entry in gallery())


@pytest.mark.parametrize("entry", gallery(), ids=lambda entry: entry.name)
def test_each_pattern_is_valid_with_the_expected_qos_and_security_level(entry):
    report = analyze(entry.manifest)
    assert report.errors == []
    assert (report.qos.qos_class, report.pss.level) == EXPECTED[entry.name]


@pytest.mark.django_db
def test_the_cards_show_the_qos_class_and_security_level(client):
    content = client.get(reverse("builder:new")).content.decode()
    for name, (qos, pss) in EXPECTED.items():
        card = re.search(rf'data-pattern="{name}">(.*?)</li>', content, re.S).group(1)
        assert f'data-qos="{qos}"' in card
        assert f'data-pss="{pss}"' in card
