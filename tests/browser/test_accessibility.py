"""axe-core in Chromium on every kind of page, in the light and the dark theme.

axe (bundled by axe-playwright-python) runs its WCAG 2 A/AA and best-practice rules: contrast,
labels, landmarks, heading order, ARIA, nested interactive elements. A violation fails the test
with axe's own report (rule, element, why), so the fix can start from the failure message.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from classrooms import actions
from lessons import catalog
from lessons.models import ReviewItem
from tests.browser.test_builder import _import, _ready

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
SCHEMES = ("light", "dark")
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # where code blocks and tables scroll sideways
# Set to a folder to keep the dark-theme screenshots (README: docs/screenshots/).
SCREENSHOTS = os.environ.get("PODSTUDIO_SCREENSHOTS", "")

# A Pod with something in every section of the form: an init container, two containers with
# ports, environment, mounts, probes, resources and security settings, and three volumes.
FULL_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: shop-web
  labels:
    app: shop
  annotations:
    team: payments
spec:
  serviceAccountName: shop
  restartPolicy: Always
  terminationGracePeriodSeconds: 20
  nodeSelector:
    disktype: ssd
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    seccompProfile:
      type: RuntimeDefault
  initContainers:
  - name: migrate
    image: shop/migrate:1.4
    command: ["sh", "-c", "migrate up"]
    volumeMounts:
    - name: config
      mountPath: /etc/shop
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - name: http
      containerPort: 8080
    env:
    - name: MODE
      value: production
    resources:
      requests:
        cpu: 250m
        memory: 128Mi
      limits:
        memory: 256Mi
    readinessProbe:
      httpGet:
        path: /ready
        port: 8080
    livenessProbe:
      tcpSocket:
        port: 8080
    startupProbe:
      exec:
        command: ["cat", "/tmp/started"]
    volumeMounts:
    - name: config
      mountPath: /etc/shop
      readOnly: true
    - name: cache
      mountPath: /cache
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: ["ALL"]
  - name: logs
    image: busybox:1.36
    args: ["tail", "-f", "/cache/log"]
    volumeMounts:
    - name: cache
      mountPath: /cache
  volumes:
  - name: config
    configMap:
      name: shop-config
  - name: cache
    emptyDir:
      sizeLimit: 64Mi
  - name: secret
    secret:
      secretName: shop-secret
"""


@pytest.fixture(params=SCHEMES)
def themed(request, browser, live_server):
    """A page whose system setting asks for the light or the dark theme."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=request.param)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.scheme = request.param
    yield page
    context.close()


@pytest.fixture(params=SCHEMES)
def phone(request, browser, live_server):
    """The same at a phone's width, touch and all."""
    context = browser.new_context(
        viewport=PHONE, color_scheme=request.param, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.scheme = f"{request.param}, phone"
    yield page
    context.close()


def _violations(page, where: str) -> list[str]:
    """axe's report on the page as it is now; empty when axe finds nothing."""
    results = AXE.run(page)
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:6]:
            why = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {', '.join(map(str, node['target']))}: {why[:300]}")
    return [f"--- {where} ({page.scheme} theme)\n" + "\n".join(lines)] if lines else []


def _visit(page, url: str, where: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.ok, f"{where}: {url} answered {response}"
    page.wait_for_load_state("load")
    return _violations(page, where)


def _assert_clean(reports: list[str]):
    assert not reports, "\n".join(reports)


def _open_everything(page):
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")


def test_home_and_every_lesson(themed, live_server):
    base = live_server.url
    reports = _visit(themed, f"{base}/", "home page")
    reports += _visit(themed, f"{base}/lessons/", "lesson list")
    for lesson in catalog.LESSONS:
        reports += _visit(themed, f"{base}/lessons/{lesson.slug}/", f"lesson {lesson.slug}")
    reports += _visit(themed, f"{base}/lessons/progress/", "progress page")
    _assert_clean(reports)


def test_every_lesson_and_the_classroom_pages_on_a_phone(phone, browser, live_server):
    """At 390 px a lesson's kubectl output scrolls sideways: the keyboard must reach it
    (scrollable-region-focusable), and the classroom pages must pass as on a desktop."""
    base = live_server.url
    reports = _visit(phone, f"{base}/", "home page")
    for lesson in catalog.LESSONS:
        reports += _visit(phone, f"{base}/lessons/{lesson.slug}/", f"lesson {lesson.slug}")
    reports += _visit(phone, f"{base}/join/", "classroom join page")
    classroom = _instructor_with_a_class(live_server, phone)
    learner_context = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        learner = learner_context.new_page()
        learner.goto(f"{base}/join/{classroom.code}/")
        learner.get_by_label("Your name").fill("Ada")
        learner.get_by_role("button", name="Join").click()
        expect(learner.locator("body")).to_contain_text("Welcome, Ada")
    finally:
        learner_context.close()
    reports += _visit(phone, f"{base}/classrooms/{classroom.code}/", "instructor's class grid")
    phone.locator(".class-grid").get_by_role("link", name="Ada").click()
    expect(phone.locator("h1")).to_contain_text("Ada")
    reports += _violations(phone, "instructor's page of one learner")
    reports += _visit(phone, f"{base}/classrooms/new/", "new classroom form")
    _assert_clean(reports)


def test_a_lesson_with_quiz_feedback_shown(themed, live_server):
    """The quiz's verdict (right or wrong) is new text on the page: it must pass too."""
    themed.goto(f"{live_server.url}/lessons/qos/")
    question = themed.locator(".quiz-question").first
    question.locator("input[type=radio]").first.check()
    question.get_by_role("button", name="Check").click()
    expect(question.locator(".verdict")).to_be_visible()
    _assert_clean(_violations(themed, "lesson qos, a quiz answered"))


def test_builder_start_and_a_design_with_every_section_open(themed, live_server):
    reports = _visit(themed, f"{live_server.url}/builder/", "builder start page")
    themed.locator("#import-yaml").fill(FULL_POD)
    themed.get_by_role("button", name="Import").click()
    _ready(themed)
    _open_everything(themed)
    reports += _violations(themed, "builder, an imported Pod with every section open")
    themed.locator(".doc-button").first.click()  # a field's docs from the schema
    expect(themed.locator(".field-doc:visible").first).to_be_visible()
    reports += _violations(themed, "builder with a field's docs shown")

    # An invalid value: the error at the field, the problems list and the red badge.
    themed.locator("#f-spec-containers_0-name").fill("Not a name")
    expect(themed.locator("#status-valid")).not_to_have_text("Valid")
    expect(themed.locator("#err-f-spec-containers_0-name")).not_to_be_empty()
    _open_everything(themed)
    reports += _violations(themed, "builder with a problem shown")

    themed.get_by_role("link", name="Start another").click()
    themed.get_by_role("button", name="New blank Pod").click()
    _ready(themed)
    _open_everything(themed)
    reports += _violations(themed, "builder, a blank Pod with every section open")
    _assert_clean(reports)


def test_a_builder_drawn_again_after_an_edit_elsewhere(themed, live_server):
    """The "changed somewhere else" status is drawn with the builder, in the refused colour."""
    themed.goto(f"{live_server.url}/builder/")
    themed.get_by_role("button", name="New blank Pod").click()
    _ready(themed)
    other = themed.context.new_page()
    other.goto(themed.url)
    _ready(other)
    other.locator("#f-metadata-name").fill("from-the-other-tab")
    expect(other.locator("#yaml-code")).to_contain_text("from-the-other-tab")
    themed.locator("#f-metadata-name").fill("stale")
    expect(themed.locator("#save-status")).to_contain_text("changed somewhere else")
    _assert_clean(_violations(themed, "builder drawn again after an edit in another tab"))


def test_a_builder_whose_edits_the_server_refuses_keeps_its_preview_readable(themed, live_server):
    """An edit not saved marks the preview out of date (a page from before a sign-in elsewhere
    here): the frame and the line saying so, with the text at full contrast."""
    themed.goto(f"{live_server.url}/builder/")
    themed.get_by_role("button", name="New blank Pod").click()
    _ready(themed)
    themed.context.add_cookies([{"name": "csrftoken", "value": "b" * 32, "url": live_server.url}])
    themed.locator("#f-metadata-name").fill("not-saved")
    expect(themed.locator("#save-status")).to_contain_text("This page is out of date")
    expect(themed.locator("#preview")).to_have_class("builder-preview stale")
    _assert_clean(_violations(themed, "builder with an edit not saved"))


def test_a_file_from_an_old_post_with_its_fix_buttons(themed, live_server):
    """An apiVersion no longer served, a missing selector and a document that cannot be read:
    the notice, the buttons beside their lines and the document list."""
    old = (
        "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\nspec:\n"
        "  template:\n    metadata: {labels: {app: old}}\n"
        "    spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  t: {{TOKEN}}\n"
    )
    _import(themed, live_server, old)
    expect(themed.locator("#apiversion-action")).to_be_visible()
    expect(themed.locator("#selector-action")).to_be_visible()
    _assert_clean(_violations(themed, "builder with an old apiVersion and no selector"))


def test_a_cronjob_with_its_schedule_in_words_and_a_clock_change_finding(themed, live_server):
    """A CronJob's own fields (schedule, time zone, what happens to a run still going), its
    badge in words and the warning about the night the clocks change."""
    cronjob = (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n"
        "  schedule: '30 2 * * *'\n  timeZone: Europe/Berlin\n  jobTemplate:\n    spec:\n"
        "      template:\n        spec:\n          restartPolicy: OnFailure\n"
        "          containers: [{name: backup, image: 'backup:2.4.1'}]\n"
    )
    _import(themed, live_server, cronjob)
    expect(themed.locator("#status-kind")).to_contain_text("at 02:30, every day (Europe/Berlin)")
    expect(themed.locator(".findings")).to_contain_text("Where the clocks change in Europe/Berlin")
    _open_everything(themed)
    _assert_clean(_violations(themed, "builder, a CronJob with a clock-change warning"))


def test_a_list_imported_as_documents_and_a_service_that_selects_none_of_its_pods(
    themed, live_server
):
    """The answer to a pasted List with its button, pressed from the keyboard, and the file
    that button makes, whose Service selects none of the Pods beside it."""
    listed = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Service\n  metadata: {name: shop}\n"
        "  spec: {selector: {app: shop-web}, ports: [{port: 80}]}\n"
        "- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: shop}\n  spec:\n"
        "    selector: {matchLabels: {app: shop}}\n    template:\n"
        "      metadata: {labels: {app: shop}}\n"
        "      spec: {containers: [{name: web, image: 'nginx:1.27'}]}\n"
    )
    themed.goto(f"{live_server.url}/builder/")
    themed.locator("#import-yaml").fill(listed)
    themed.get_by_role("button", name="Import", exact=True).click()
    expect(themed.locator("#import-error")).to_contain_text("holds Service shop, Deployment shop")
    reports = _violations(themed, "builder start, a List answered with its button")
    themed.get_by_role("button", name="Import its items as documents").focus()
    themed.keyboard.press("Enter")
    _ready(themed)
    expect(themed.locator(".findings")).to_contain_text(
        "In this file: The Service shop selects app=shop-web"
    )
    _open_everything(themed)
    reports += _violations(themed, "builder, a file whose Service selects none of its Pods")
    _assert_clean(reports)


def test_a_pod_copied_from_a_cluster_and_what_its_button_removes(themed, live_server):
    """The notice of what the cluster wrote, its button pressed from the keyboard, and the
    form's status that says what it did."""
    from tests.test_builder_odd_files import COPIED_FROM_CLUSTER

    _import(themed, live_server, COPIED_FROM_CLUSTER)
    expect(themed.locator("#cluster-written")).to_contain_text("metadata.ownerReferences")
    _assert_clean(_violations(themed, "builder with what the cluster wrote"))
    themed.locator("#clusterfields-action").focus()
    themed.keyboard.press("Enter")
    expect(themed.locator("#form-status")).to_contain_text("Removed what the cluster wrote")
    expect(themed.locator("#cluster-written")).to_have_count(0)
    expect(themed.locator("#yaml-code")).not_to_contain_text("resourceVersion")
    expect(themed.locator("#yaml-code")).to_contain_text("# who to call")
    expect(themed.locator("#f-kind")).to_be_focused()
    _assert_clean(_violations(themed, "builder after removing what the cluster wrote"))


def test_an_exercise_with_every_hint_and_a_drill_in_the_builder(themed, live_server):
    base = live_server.url
    themed.goto(f"{base}/lessons/resources/")
    themed.get_by_role("link", name="Start the exercise in the builder").first.click()
    _ready(themed)
    reports = _violations(themed, "builder, an exercise with its goals")
    for name, following in (
        ("Show a hint", "Show where to look"),
        ("Show where to look", "Show the solution"),
        ("Show the solution", "Compare again"),
    ):
        themed.get_by_role("button", name=name).click()
        # The hints are redrawn; the keyboard stays on the hints' button (after the solution,
        # the one that compares it with the Pod again), never falls back to the page.
        expect(themed.get_by_role("button", name=following)).to_be_focused()
    expect(themed.locator("#hints pre.diff")).to_be_visible()
    _open_everything(themed)
    reports += _violations(themed, "builder, an exercise with all three hints")

    themed.goto(f"{base}/lessons/probes/")
    themed.locator(".drill-list a").first.click()
    _ready(themed)
    _open_everything(themed)
    reports += _violations(themed, "builder, a troubleshooting drill")
    _assert_clean(reports)


def _instructor_with_a_class(live_server, page):
    user = get_user_model().objects.create_user("ines", password="a-long-password-1")
    actions.make_instructor(user)
    classroom = actions.create_classroom(
        title="Pods workshop",
        instructor=user,
        items=[
            {"kind": "lesson", "slug": "resources"},
            {"kind": "exercise", "slug": "set-requests-limits"},
        ],
    )
    page.goto(f"{live_server.url}/classrooms/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Sign in").click()
    return classroom


def test_classroom_join_page_and_the_instructors_grid(themed, browser, live_server):
    base = live_server.url
    reports = _visit(themed, f"{base}/join/", "classroom join page")
    reports += _visit(themed, f"{base}/classrooms/", "instructor sign-in page")

    classroom = _instructor_with_a_class(live_server, themed)
    reports += _violations(themed, "instructor's classroom list")

    # A learner joins (in a browser of their own) and raises a hand, so the grid has a row.
    learner_context = browser.new_context(color_scheme=themed.scheme)
    learner = learner_context.new_page()
    learner.scheme = themed.scheme
    try:
        learner.goto(f"{base}/join/{classroom.code}/")
        learner.get_by_label("Your name").fill("Ada")
        learner.get_by_role("button", name="Join").click()
        expect(learner.locator("body")).to_contain_text("Welcome, Ada")
        reports += _violations(learner, "a learner's classroom page with the classroom bar")
        learner.locator("#hand-message").fill("stuck on limits")
        learner.locator(".hand-form").get_by_role("button").first.click()
        expect(learner.locator(".hand-status")).to_be_visible()
        reports += _violations(learner, "a learner's page with a raised hand")
        reports += _visit(learner, f"{base}/lessons/resources/", "a lesson with the classroom bar")
    finally:
        learner_context.close()

    reports += _visit(themed, f"{base}/classrooms/{classroom.code}/", "instructor's class grid")
    expect(themed.locator(".class-grid")).to_contain_text("Ada")
    _open_everything(themed)
    reports += _violations(themed, "instructor's class grid, everything open")
    themed.locator(".class-grid").get_by_role("link", name="Ada").click()
    expect(themed.locator("h1")).to_contain_text("Ada")
    reports += _violations(themed, "instructor's page of one learner")
    reports += _visit(themed, f"{base}/classrooms/new/", "new classroom form")
    reports += _visit(
        themed, f"{base}/classrooms/{classroom.code}/join-sheet", "join sheet for the projector"
    )
    _assert_clean(reports)


def test_review_and_practice_pages(themed, live_server):
    base = live_server.url
    reports = _visit(themed, f"{base}/lessons/review/", "review page, nothing due")

    # A wrong first answer comes back for review; moved a few days back, it is due now.
    themed.goto(f"{base}/lessons/qos/")
    question = themed.locator(".quiz-question").first
    radios = question.locator("input[type=radio]")
    for index in range(radios.count()):
        radios.nth(index).check()
        question.get_by_role("button", name="Check").click()
        expect(question.locator(".verdict")).to_be_visible()
        if "wrong" in (question.locator(".verdict").get_attribute("class") or ""):
            break
    assert ReviewItem.objects.exists(), "no wrong answer found in the first qos question"
    ReviewItem.objects.update(due_at=ReviewItem.objects.get().due_at - timedelta(days=3))
    reports += _visit(themed, f"{base}/lessons/review/", "review page, a question due")
    themed.locator(".review-item input[type=radio]").first.check()
    themed.locator(".review-item").get_by_role("button").first.click()
    expect(themed.locator("[id$=-verdict]").first).not_to_be_empty()
    reports += _violations(themed, "review page, a question answered")

    reports += _visit(themed, f"{base}/lessons/practice/", "practice page")
    themed.get_by_role("button", name="Start a round").click()
    expect(themed.locator(".practice-tasks")).to_be_visible()
    reports += _violations(themed, "practice page, a round running")
    themed.get_by_role("button", name="Finish and see my score").click()
    expect(themed.locator("#score-title")).to_be_visible()
    _open_everything(themed)
    reports += _violations(themed, "practice page, the score")
    _assert_clean(reports)


# --- what axe does not measure -----------------------------------------------------------------

INTERACTIVE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, iframe,"
    " [tabindex]:not([tabindex='-1']), [role=button], [role=link], [role=checkbox],"
    " [role=tab], [role=menuitem], [contenteditable=true]"
)
NESTED = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.parentElement && el.parentElement.closest(selector))
  .map((el) => el.outerHTML.slice(0, 120) + "  inside  "
       + el.parentElement.closest(selector).outerHTML.slice(0, 120))"""


def test_no_interactive_element_is_inside_another(page, live_server):
    """A link in a summary or a button in a link: a click or Enter there does two things, and a
    screen reader announces one control inside another. axe's nested-interactive rule only looks
    at some roles; this looks at every focusable element."""
    base = live_server.url
    _import(page, live_server, FULL_POD)
    _open_everything(page)
    found = {"builder": page.evaluate(NESTED, INTERACTIVE)}
    for path in ("/", "/lessons/", "/lessons/qos/", "/lessons/probes/", "/lessons/practice/"):
        page.goto(base + path)
        _open_everything(page)
        found[path] = page.evaluate(NESTED, INTERACTIVE)
    assert not any(found.values()), found


def _rgb(css: str) -> tuple[float, ...]:
    inside = css[css.index("(") + 1 : css.index(")")]
    return tuple(float(part) for part in inside.replace("/", " ").replace(",", " ").split()[:3])


def _luminance(css: str) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in _rgb(css))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_theme_follows_the_system_setting(themed, live_server):
    """Dark when the system asks for dark (prefers-color-scheme), light otherwise, on every page,
    the builder's diagram and YAML included."""
    base = live_server.url
    pages = {
        "home": f"{base}/",
        "lesson": f"{base}/lessons/multi-container/",
        "classroom join": f"{base}/join/",
        "practice": f"{base}/lessons/practice/",
    }
    for where, url in pages.items():
        themed.goto(url)
        background = themed.evaluate("() => getComputedStyle(document.body).backgroundColor")
        text = themed.evaluate("() => getComputedStyle(document.body).color")
        dark = _luminance(background) < _luminance(text)
        assert dark == (themed.scheme == "dark"), f"{where}: {background} behind {text}"
        assert _contrast(background, text) >= 7, where
    if SCREENSHOTS and themed.scheme == "dark":
        themed.goto(pages["lesson"])
        themed.locator(".example").first.scroll_into_view_if_needed()
        themed.screenshot(path=str(Path(SCREENSHOTS) / "lesson-dark.png"))

    _import(themed, live_server, FULL_POD)
    surface = themed.evaluate(
        "() => getComputedStyle(document.querySelector('.yaml-panel')).backgroundColor"
    )
    box = themed.evaluate(
        "() => getComputedStyle(document.querySelector('.pod-diagram .dg-app .dg-box')).fill"
    )
    name = themed.evaluate(
        "() => getComputedStyle(document.querySelector('.pod-diagram .dg-name')).fill"
    )
    key = themed.evaluate("() => getComputedStyle(document.querySelector('#yaml-code .k')).color")
    assert (_luminance(box) < 0.2) == (themed.scheme == "dark"), box
    assert _contrast(box, name) >= 4.5, (box, name)
    assert _contrast(surface, key) >= 4.5, (surface, key)
    if SCREENSHOTS and themed.scheme == "dark":
        themed.screenshot(path=str(Path(SCREENSHOTS) / "builder-dark.png"))


BADGE_LOOK = """() => Object.fromEntries([...document.querySelectorAll(
  '.badge[class*="qos-"], .badge[class*="pss-"]')].map((el) => {
    const meaning = [...el.classList].find((c) => c.startsWith("qos-") || c.startsWith("pss-"));
    const style = getComputedStyle(el);
    return [meaning, [style.color, style.backgroundColor, style.borderTopColor]];
  }))"""


def test_a_qos_class_or_security_level_looks_the_same_everywhere(themed, live_server):
    """The gallery, the builder's status line and the lessons' examples: one look per meaning,
    and different meanings look different."""
    base = live_server.url
    looks: dict[str, dict[str, list]] = {}
    themed.goto(f"{base}/builder/")
    looks["gallery"] = themed.evaluate(BADGE_LOOK)
    themed.get_by_role("button", name="New blank Pod").click()
    _ready(themed)
    looks["builder"] = themed.evaluate(BADGE_LOOK)
    for slug in ("qos", "security", "multi-container"):
        themed.goto(f"{base}/lessons/{slug}/")
        looks[f"lesson {slug}"] = themed.evaluate(BADGE_LOOK)

    seen: dict[str, tuple] = {}
    for where, badges in looks.items():
        for meaning, look in badges.items():
            assert seen.setdefault(meaning, (tuple(look), where))[0] == tuple(look), (
                f"{meaning} looks different in {where} and {seen[meaning][1]}"
            )
    for required in ("qos-besteffort", "qos-guaranteed", "pss-restricted", "pss-baseline"):
        assert required in seen, f"no {required} badge seen: {sorted(seen)}"
    assert seen["qos-guaranteed"][0] != seen["qos-besteffort"][0]
    assert seen["pss-restricted"][0] != seen["pss-baseline"][0]


def test_every_focused_element_shows_a_focus_ring_that_stands_out(themed, live_server):
    """Tab through the builder and a lesson: each stop draws an outline of 2 px or more whose
    colour has 3:1 contrast with the page behind it (WCAG 2.4.7 and 1.4.11)."""
    base = live_server.url
    themed.goto(f"{base}/builder/")
    themed.get_by_role("button", name="New blank Pod").click()
    _ready(themed)
    problems = []
    for url in (None, f"{base}/lessons/probes/"):
        if url:
            themed.goto(url)
        background = themed.evaluate("() => getComputedStyle(document.body).backgroundColor")
        themed.locator("body").focus()
        for _ in range(40):
            themed.keyboard.press("Tab")
            ring = themed.evaluate(
                """() => { const el = document.activeElement; const s = getComputedStyle(el);
                return [el.outerHTML.slice(0, 90), s.outlineStyle, s.outlineWidth,
                        s.outlineColor]; }"""
            )
            html, style, width, colour = ring
            if style == "none" or float(width.removesuffix("px")) < 2:
                problems.append(f"no ring: {html}")
            elif _contrast(colour, background) < 3:
                problems.append(f"faint ring {colour} on {background}: {html}")
    assert not problems, "\n".join(problems)


def test_badge_changes_are_announced_by_a_live_region_that_stays(themed, live_server):
    """The status line (valid or not, QoS, Pod Security) is replaced inside a role=status region
    that stays in the page, so a screen reader hears the change; a region swapped in anew is
    often not announced at all."""
    base = live_server.url
    themed.goto(f"{base}/builder/")
    themed.get_by_role("button", name="New blank Pod").click()
    _ready(themed)
    region = themed.locator("#pv-status")
    expect(region).to_have_attribute("role", "status")
    handle = region.element_handle()
    expect(themed.locator("#status-qos")).to_have_text("QoS BestEffort")
    container = "#sub-f-spec-containers_0-resources"
    themed.locator(f"{container} > summary").click()
    for kind in ("requests", "limits"):
        themed.locator(f"#f-spec-containers_0-resources-{kind}-cpu").fill("250")
        themed.locator(f"#f-spec-containers_0-resources-{kind}-memory").fill("128")
    expect(themed.locator("#status-qos")).to_have_text("QoS Guaranteed")
    assert handle.evaluate("(el) => el.isConnected"), "the live region was replaced"
    themed.locator("#f-spec-containers_0-name").fill("Not a name")
    expect(region).to_contain_text("1 problem")
    assert handle.evaluate("(el) => el.isConnected"), "the live region was replaced"
