"""The seed document's eight Pods, analyzed as a cluster would see them.

Expected values worked out from the upstream rules:
- QoS (qos.go): no cpu/memory anywhere → BestEffort; some set but requests ≠ limits → Burstable.
- PSS: none of the seven plain Pods uses host namespaces, privileged, hostPath, added
  capabilities or unsafe sysctls → they meet baseline; restricted needs allowPrivilegeEscalation
  false, runAsNonRoot, a seccomp profile and drop ALL, which only secure-pod sets.
- Every one is a Pod the API server accepts.
"""

import pytest

from podstudio.engine.analyze import analyze
from tests.conftest import seed_manifest

EXPECTED = {
    # name: (qos class, pss level, finding ids that must be present)
    "my-app-pod": ("Burstable", "baseline", {"run-as-non-root"}),
    "web-with-logging": ("BestEffort", "baseline", {"latest-tag", "missing-memory-limit"}),
    "app-with-proxy": ("BestEffort", "baseline", {"latest-tag"}),
    "app-with-adapter": ("BestEffort", "baseline", {"latest-tag"}),
    "app-with-init": ("BestEffort", "baseline", {"latest-tag"}),
    "secure-pod": ("BestEffort", "restricted", {"missing-memory-limit"}),
    "nginx-pod": ("BestEffort", "baseline", {"missing-liveness-probe"}),
    "postgres-pod": ("Burstable", "baseline", {"missing-readiness-probe"}),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_seed_pod_analysis_matches_the_cluster(name):
    qos_class, level, finding_ids = EXPECTED[name]
    report = analyze(seed_manifest(name))
    assert report.valid, report.errors
    assert report.qos.qos_class == qos_class
    assert report.pss.level == level
    assert finding_ids <= {finding.id for finding in report.findings}


def test_restricted_blockers_of_the_plain_seed_pods_are_the_four_missing_fields():
    report = analyze(seed_manifest("nginx-pod"))
    controls = {violation.control for violation in report.pss.violations}
    assert controls == {"Privilege Escalation", "Running as Non-root", "Seccomp", "Capabilities"}
    assert all(violation.level == "restricted" for violation in report.pss.violations)


def test_secure_pod_keeps_only_net_bind_service():
    report = analyze(seed_manifest("secure-pod"))
    assert report.pss.violations == []
    assert not any(f.id in ("drop-all-capabilities", "seccomp-profile") for f in report.findings)


def test_init_container_latest_tag_points_at_the_init_container():
    report = analyze(seed_manifest("app-with-init"))
    paths = {f.path for f in report.findings if f.id == "latest-tag"}
    assert paths == {"spec.initContainers[1].image"}
