"""A live class in Chromium: an instructor and three learners, each in their own browser."""

import csv
import io
import re
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from classrooms import actions
from classrooms.actions import make_instructor
from classrooms.models import Member
from podstudio.builder.models import Design
from tests.browser.test_accessibility import _assert_clean, _violations
from tests.browser.test_builder import _field, _ready
from tests.classroom_mode.helpers import ITEMS, edit, joined, start_exercise

pytestmark = pytest.mark.django_db(transaction=True)

CPU = "spec.containers[0].resources.requests.cpu"
MEMORY = "spec.containers[0].resources.requests.memory"
MEMORY_LIMIT = "spec.containers[0].resources.limits.memory"


@pytest.fixture
def browser_context(browser, live_server):
    made = []

    def new():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        # Errors a person would be hurt by (a policy refusing a script or style, a broken
        # script); htmx's own notes on a keystroke superseding the previous one do not count.
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and not m.text.startswith("htmx:")
                else None
            ),
        )
        page.console_errors = errors
        made.append(context)
        return page

    yield new
    for context in made:
        context.close()


def _join(page, live_server, code: str, name: str):
    page.goto(f"{live_server.url}/join/{code}/")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("body")).to_contain_text(f"Welcome, {name}")


def _open_exercise(page):
    page.locator(".bar-agenda summary").click()
    page.locator(".bar-agenda").get_by_role("link", name="Set requests and limits").click()
    _ready(page)
    page.locator("#sub-" + _field("spec.containers[0].resources")[1:] + " > summary").click()


def test_a_live_class(browser_context, live_server):
    get_user_model().objects.create_user("ines", password="a-long-password-1")
    make_instructor(get_user_model().objects.get(username="ines"))

    # The instructor signs in and creates the classroom.
    teacher = browser_context()
    teacher.goto(f"{live_server.url}/classrooms/")
    teacher.get_by_label("Username").fill("ines")
    teacher.get_by_label("Password").fill("a-long-password-1")
    teacher.get_by_role("button", name="Sign in").click()
    teacher.get_by_role("link", name="New classroom").click()
    teacher.get_by_label("Title").fill("Friday Pods")
    teacher.get_by_role("checkbox", name="Requests and limits", exact=True).check()
    teacher.get_by_role("checkbox", name="Set requests and limits", exact=True).check()
    teacher.get_by_role("button", name="Create the classroom").click()
    code = teacher.locator(".join-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    expect(teacher.locator(".empty-grid")).to_contain_text("Nobody has joined yet")

    # Three learners join, each in their own browser.
    ada, bo, cy = browser_context(), browser_context(), browser_context()
    for page, name in ((ada, "Ada"), (bo, "Bo"), (cy, "Cy")):
        _join(page, live_server, code, name)
    grid = teacher.locator("#grid-rows")
    expect(grid.locator("tr")).to_have_count(3)  # new rows arrive without a reload

    # They work: Ada and Bo on the exercise, Cy on the quiz.
    _open_exercise(ada)
    ada.locator(_field(CPU)).fill("250")
    expect(ada.locator("#yaml-code")).to_contain_text("cpu: 250m")
    cy.goto(f"{live_server.url}/lessons/resources/")
    cy.locator("form.quiz-question").first.locator("input[type=radio]").first.check()
    cy.locator("form.quiz-question").first.get_by_role("button", name="Check answer").click()
    expect(cy.locator("form.quiz-question").first.locator(".feedback")).not_to_be_empty()

    # Bo keeps hitting the same error, for a while (the clock is moved, not waited for).
    _open_exercise(bo)
    for attempt in range(6):
        bo.locator(_field(CPU)).fill(f"lots{attempt}")
        expect(bo.locator("#yaml-code")).to_contain_text(f"lots{attempt}")
    bo_member = Member.objects.get(name="Bo")
    Design.objects.filter(learner_id=bo_member.learner_id).update(
        error_since=timezone.now() - timedelta(minutes=6)
    )
    bo.get_by_label("What do you need help with? (optional)").fill("My CPU is never accepted")
    bo.get_by_role("button", name="Raise hand").click()
    expect(bo.locator(".classroom-bar")).to_contain_text("Your hand is raised")

    # The instructor sees it on the grid, without reloading.
    bo_row = teacher.locator(f"#m-{bo_member.pk}")
    expect(bo_row).to_contain_text("6 min on Set requests and limits, same error")
    expect(bo_row).to_contain_text("Hand up")
    expect(teacher.locator("#grid-summary")).to_contain_text("My CPU is never accepted")

    # ...opens Bo's work and sends a hint; Bo sees it within seconds.
    detail = teacher.context.new_page()
    detail.goto(teacher.url)
    detail.locator(f"#m-{bo_member.pk} th a").click()
    expect(detail.locator("#problems-heading")).to_be_visible()
    expect(detail.locator(".learner-design")).to_contain_text("lots5")
    detail.get_by_label("Hint for Bo").fill("A quantity is a number with a unit, like 250m")
    detail.get_by_role("button", name="Send the hint").click()
    expect(bo.locator(".bar-messages")).to_contain_text(
        "A quantity is a number with a unit, like 250m", timeout=20_000
    )
    detail.get_by_role("button", name="Lower the hand").click()
    expect(bo.locator(".classroom-bar")).to_contain_text("Raise hand", timeout=20_000)

    # Ada finishes; the grid shows it.
    ada.locator(_field(MEMORY)).fill("128")
    ada.locator(_field(MEMORY_LIMIT)).fill("256")
    expect(ada.locator("#pv-goals")).to_contain_text("All goals met")
    ada_member = Member.objects.get(name="Ada")
    expect(teacher.locator(f"#m-{ada_member.pk}")).to_contain_text("Done")
    expect(teacher.locator(f"#m-{bo_member.pk}")).not_to_contain_text("Hand up")

    # The instructor puts Bo's exercise back to its start. Bo's builder, still open, shows the
    # start with the news in the bar, and his next keystroke is saved on top of it.
    bo.locator(_field(CPU)).fill("lots-more")
    expect(bo.locator("#yaml-code")).to_contain_text("lots-more")
    # It asks first: a "Cancel" leaves Bo's work as it is.
    asked = []
    detail.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    detail.get_by_role("button", name="Reset the exercise to its start").click()
    expect(detail.get_by_role("button", name="Reset the exercise to its start")).to_be_visible()
    assert asked and "Bo’s exercise back to its starting Pod" in asked[0]
    expect(bo.locator("#yaml-code")).to_contain_text("lots-more")
    detail.once("dialog", lambda dialog: dialog.accept())
    detail.get_by_role("button", name="Reset the exercise to its start").click()
    expect(bo.locator(".bar-messages")).to_contain_text("back to its start", timeout=20_000)
    expect(bo.locator("#save-status")).to_contain_text("by your instructor")
    expect(bo.locator("#yaml-code")).not_to_contain_text("lots")
    bo.locator(_field("metadata.name")).fill("bo-after-reset")
    expect(bo.locator("#save-status")).to_have_text("Saved.")
    reset_design = Design.objects.get(learner_id=bo_member.learner_id)
    assert reset_design.manifest["metadata"]["name"] == "bo-after-reset"
    assert "resources" not in reset_design.manifest["spec"]["containers"][0]

    # The export contains it.
    export = teacher.request.get(f"{live_server.url}/classrooms/{code}/results.csv")
    rows = list(csv.DictReader(io.StringIO(export.body().decode("utf-8-sig"))))
    by = {(row["learner"], row["item"]): row for row in rows}
    assert by[("Ada", "set-requests-limits")]["status"] == "done"
    assert by[("Bo", "set-requests-limits")]["status"] == "working"
    assert by[("Bo", "set-requests-limits")]["hints_received"] == "1"
    assert by[("Cy", "resources")]["answered"] == "1"

    for page in (teacher, detail, ada, bo, cy):
        assert not getattr(page, "console_errors", []), page.console_errors


def test_a_learner_abroad_sees_the_end_of_the_class_on_their_own_clock(browser, live_server):
    """The server runs in UTC; a learner's browser in Tokyo names its zone, and from the page
    after the first the bar says when the class ends in Tokyo time."""
    instructor = get_user_model().objects.create_user("kaz", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(
        title="Tokyo Pods", instructor=instructor, items=[{"kind": "lesson", "slug": "resources"}]
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        _join(page, live_server, classroom.code, "Aiko")
        page.goto(f"{live_server.url}/lessons/")
        ends = timezone.localtime(classroom.ends_at, ZoneInfo("Asia/Tokyo"))
        expect(page.locator("#bar-when")).to_have_text(f"until {ends:%H:%M} JST")
        # A page drawn before the browser named its zone (its first, here the cookie gone) is
        # drawn in UTC; site.js puts it on the reader's clock as it loads.
        context.clear_cookies(name="tz")
        response = page.goto(f"{live_server.url}/lessons/")
        assert f"{classroom.ends_at:%H:%M} UTC" in response.text()
        expect(page.locator("#bar-when")).to_have_text(re.compile(rf"^until {ends:%H:%M} \S+$"))
        expect(page.locator("#bar-when")).not_to_contain_text("UTC")
        assert (
            page.locator("#bar-when time")
            .get_attribute("datetime")
            .startswith(f"{classroom.ends_at.astimezone(UTC):%Y-%m-%dT%H:%M}")
        )
    finally:
        context.close()


def test_a_learner_copies_their_rejoin_link(browser, live_server):
    instructor = get_user_model().objects.create_user("rui", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(
        title="Copy class", instructor=instructor, items=[{"kind": "lesson", "slug": "resources"}]
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        page = context.new_page()
        _join(page, live_server, classroom.code, "Noor")
        link = page.locator("#rejoin-link").inner_text()
        assert "/join/again/" in link
        page.get_by_role("button", name="Copy the rejoin link").click()
        expect(page.locator("#rejoin-copied")).to_have_text("Rejoin link copied to the clipboard.")
        assert page.evaluate("navigator.clipboard.readText()") == link
    finally:
        context.close()


def _sign_in(page, live_server, username: str):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Sign in").click()


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def test_the_keyboard_keeps_its_place_in_the_grid_while_rows_refresh(page, live_server):
    """Tabbing through a live grid: the row (or the Raised hands list) the focus is in is
    swapped for a new one every few seconds, and the focus stays on the same learner's link or
    button; when a hand goes down, it moves to that learner's name in the grid."""
    instructor = get_user_model().objects.create_user("lee", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Focus", instructor=instructor, items=ITEMS)
    kim, kim_member = joined(classroom, "Kim Ode")
    design = start_exercise(kim, "set-requests-limits")
    bo, bo_member = joined(classroom, "Bo")
    bo.post(reverse("classrooms:hand"), {"message": "help"})
    _sign_in(page, live_server, "lee")
    page.goto(f"{live_server.url}/classrooms/{classroom.code}/")

    row = page.locator(f"#m-{kim_member.pk}")
    row.get_by_role("link", name="Kim Ode").focus()
    edit(kim, design, {CPU: "250", f"{CPU}@unit": "m"})
    expect(row.locator(".cell.working").first).to_contain_text("1/5")
    assert _focused_id(page) == f"m-{kim_member.pk}-name"

    lower = page.get_by_role("button", name="Lower Bo’s hand")
    lower.focus()
    kim.post(reverse("classrooms:hand"), {"message": "me too"})  # the lists are drawn again
    expect(page.locator("#grid-summary")).to_contain_text("me too")
    assert _focused_id(page) == f"hand-{bo_member.pk}-lower"

    bo.post(reverse("classrooms:hand"), {"lower": "1"})
    expect(page.locator("#grid-summary")).not_to_contain_text("help")
    expect(page.locator(f"#m-{bo_member.pk}-name")).to_be_focused()


def test_a_learner_removed_in_another_tab_leaves_the_live_grid(page, live_server):
    """The grid only ever redrew or added rows: a learner removed elsewhere (a co-instructor,
    another tab) stayed, with a link that answered 404, and rejoining made a second row."""
    instructor = get_user_model().objects.create_user("ros", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Gone", instructor=instructor, items=ITEMS)
    joined(classroom, "Kim")
    _, bo_member = joined(classroom, "Bo")
    _sign_in(page, live_server, "ros")
    page.goto(f"{live_server.url}/classrooms/{classroom.code}/")
    expect(page.locator(f"#m-{bo_member.pk}")).to_be_visible()
    actions.remove_member(member=bo_member)
    expect(page.locator(f"#m-{bo_member.pk}")).to_have_count(0)
    expect(page.locator("#grid-rows tr")).to_have_count(1)
    expect(page.locator("#grid-summary")).to_contain_text("1 learner")
    _, again = joined(classroom, "Bo")
    expect(page.locator(f"#m-{again.pk}")).to_be_visible()
    expect(page.locator("#grid-rows tr")).to_have_count(2)


SIX_ITEMS = [
    {"kind": "lesson", "slug": "resources"},
    {"kind": "exercise", "slug": "set-requests-limits"},
    {"kind": "lesson", "slug": "probes"},
    {"kind": "exercise", "slug": "add-readiness-probe"},
    {"kind": "lesson", "slug": "qos"},
    {"kind": "exercise", "slug": "make-guaranteed"},
]


def test_a_big_class_fits_the_grid_on_the_first_screen_with_its_names_in_view(page, live_server):
    """34 learners, 8 hands up with long messages and 8 stuck, at 1280×800: the two lists
    scroll in their own boxes, so the grid starts on the first screen; all six item columns
    fit; scrolled sideways on a narrower screen, the names stay."""
    instructor = get_user_model().objects.create_user("ana", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Big", instructor=instructor, items=SIX_ITEMS)
    for number in range(34):
        client, member = joined(classroom, f"Priya Raghunathan-Venkatasubramanian {number}")
        if number < 8:
            client.post(
                reverse("classrooms:hand"),
                {"message": "My probe never turns ready, and I have tried every port I know"},
            )
        elif number < 16:
            design = start_exercise(client, "set-requests-limits")
            for attempt in range(6):
                edit(client, design, {CPU: f"lots{attempt}"})
            Design.objects.filter(pk=design.pk).update(
                error_since=timezone.now() - timedelta(minutes=6)
            )
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/classrooms/{classroom.code}/")
    expect(page.locator(".attention-box.stuck li")).to_have_count(8)

    for box in (".attention-box.hands ul", ".attention-box.stuck ul"):
        sizes = page.locator(box).evaluate("e => [e.clientHeight, e.scrollHeight]")
        assert sizes[0] <= 200 < sizes[1], (box, sizes)  # its own scroll
    first_row = page.locator("#grid-rows tr").first.bounding_box()
    assert first_row["y"] + first_row["height"] <= 800, first_row
    frame = page.locator(".grid-wrap").bounding_box()
    heads = page.locator(".class-grid thead th")
    expect(heads).to_have_count(8)
    for index in range(8):
        head = heads.nth(index).bounding_box()
        assert head["x"] + head["width"] <= frame["x"] + frame["width"] + 1, index

    page.set_viewport_size({"width": 700, "height": 800})
    page.locator(".grid-wrap").evaluate("e => { e.scrollLeft = 400; }")
    frame = page.locator(".grid-wrap").bounding_box()
    for cell in (page.locator("#grid-rows th").first, page.locator(".class-grid thead th").first):
        assert abs(cell.bounding_box()["x"] - frame["x"]) <= 2
    expect(page.locator("#grid-rows th").first).to_contain_text("Priya")


def test_on_a_phone_the_class_ended_message_is_shown_whole(browser, live_server):
    instructor = get_user_model().objects.create_user("eve", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Short", instructor=instructor, items=ITEMS)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        _join(page, live_server, classroom.code, "Tao")
        actions.end_classroom(classroom=classroom)
        page.goto(f"{live_server.url}/lessons/")
        message = page.locator(".bar-message.ended")
        expect(message).to_contain_text("you can keep practising on copies")
        shown, whole = message.evaluate("e => [e.clientHeight, e.scrollHeight]")
        assert whole <= shown, (shown, whole)
    finally:
        context.close()


def test_on_a_phone_the_new_classroom_form_and_a_learners_page_fit_the_screen(page, live_server):
    """At 390 px neither page scrolls sideways: the lesson choices are one block a lesson, a
    learner's items one row each (not six columns breaking words letter by letter), and a
    stuck reason's long field path wraps."""
    instructor = get_user_model().objects.create_user("uma", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Phone", instructor=instructor, items=SIX_ITEMS)
    client, member = joined(classroom, "Bo")
    design = start_exercise(client, "set-requests-limits")
    for attempt in range(6):
        edit(client, design, {CPU: f"lots{attempt}"})
    Design.objects.filter(pk=design.pk).update(error_since=timezone.now() - timedelta(minutes=6))
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, "uma")

    page.goto(f"{live_server.url}/classrooms/new/")
    page.get_by_role("checkbox", name="Set requests and limits", exact=True).check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/classrooms/{classroom.code}/learners/{member.pk}/")
    expect(page.locator(".notice.error")).to_contain_text("spec.containers[0].resources")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cells = page.locator(".learner-cells tbody th, .learner-cells tbody td")
    expect(cells).to_have_count(12)
    narrowest = min(cells.nth(index).bounding_box()["width"] for index in range(12))
    assert narrowest >= 120, narrowest


def test_a_hint_that_arrives_while_the_bar_is_scrolled_away_is_pinned_to_the_window(
    browser_context, live_server
):
    """A stuck learner works far down the builder: the hint shows where they are, and its
    Show button takes them to the bar; a message they already saw is not shown again."""
    instructor = get_user_model().objects.create_user("ivo", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Pods", instructor=instructor, items=ITEMS)
    page = browser_context()
    _join(page, live_server, classroom.code, "Lea")
    _open_exercise(page)
    page.locator(_field(MEMORY)).scroll_into_view_if_needed()
    page.mouse.wheel(0, 600)
    page.wait_for_function(
        "() => document.querySelector('.classroom-bar').getBoundingClientRect().bottom < 0"
    )
    member = Member.objects.get(classroom=classroom, name="Lea")
    actions.send_hint(member=member, text="Try 128Mi", exercise="", user=instructor)
    note = page.locator("#bar-news")
    expect(note).to_be_visible(timeout=20_000)
    expect(note).to_contain_text("Hint for you")
    expect(note).to_contain_text("Try 128Mi")
    page.scheme = "light"  # (for axe's report)
    _assert_clean(_violations(page, "a hint pinned to the window"))
    note.get_by_role("button", name="Show").click()
    expect(note).to_be_hidden()
    expect(page.locator(".classroom-bar")).to_be_in_viewport()
    expect(page.locator(".bar-title a")).to_be_focused()
    # The bar changes again with no new message (a hand raised elsewhere): no note this time.
    page.locator(_field(MEMORY)).scroll_into_view_if_needed()
    page.mouse.wheel(0, 600)
    now = timezone.now()
    Member.objects.filter(pk=member.pk).update(hand_raised_at=now, changed_at=now)
    expect(page.locator(".hand-form.raised")).to_have_count(1, timeout=20_000)
    expect(note).to_be_hidden()


def test_the_bar_keeps_the_keyboard_on_the_hand_button_and_says_each_news_once(
    browser_context, live_server
):
    """A keyboard learner on "Lower my hand" lost the focus to the page at every poll with news,
    and each poll put the bar's whole history in a new live region; an instructor lowering
    their hand was not said at all."""
    instructor = get_user_model().objects.create_user("una", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Pods", instructor=instructor, items=ITEMS)
    page = browser_context()
    _join(page, live_server, classroom.code, "Lea")
    page.locator("#hand-button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#hand-button")).to_have_text("Lower my hand")
    expect(page.locator("#hand-button")).to_be_focused()
    member = Member.objects.get(classroom=classroom, name="Lea")
    actions.send_hint(member=member, text="Try 128Mi", exercise="", user=instructor)
    announcer = page.locator("#bar-announce")
    expect(announcer).to_have_text("Hint for you: Try 128Mi", timeout=20_000)
    expect(page.locator("#hand-button")).to_be_focused()
    assert page.locator("#bar-live [role=status], #bar-live [aria-live]").count() == 0
    actions.lower_hand(member=member)
    expect(announcer).to_have_text("Your instructor lowered your hand.", timeout=20_000)
    expect(page.locator("#hand-button")).to_have_text("Raise hand")
    expect(page.locator("#hand-button")).to_be_focused()


def test_a_hint_sent_says_so_where_the_instructor_is_and_keeps_the_keyboard_there(
    page, live_server
):
    """Sending a hint reloaded the learner's page with nothing to say it was sent, the focus
    back at the top of the page."""
    instructor = get_user_model().objects.create_user("vic", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Pods", instructor=instructor, items=ITEMS)
    _, member = joined(classroom, "Lea")
    _sign_in(page, live_server, "vic")
    page.goto(f"{live_server.url}/classrooms/{classroom.code}/learners/{member.pk}/")
    page.locator("#hint-text").fill("Try 128Mi")
    page.locator("#hint-text").press("Tab")
    page.keyboard.press("Enter")  # Send the hint
    said = page.locator("#notes .messages")
    expect(said).to_have_text("Hint sent to Lea: it shows in their bar.")
    expect(said).to_be_focused()
    page.keyboard.press("Tab")  # on from the hints, not from the top of the page
    assert page.evaluate("document.activeElement.closest('#notes') !== null")


def test_the_grid_says_who_raised_a_hand_not_its_whole_summary_at_each_change(page, live_server):
    """The summary (counts, both lists and their Lower buttons) was a live region: read whole
    each time a learner joined or became active."""
    instructor = get_user_model().objects.create_user("wim", password="a-long-password-1")
    make_instructor(instructor)
    classroom = actions.create_classroom(title="Pods", instructor=instructor, items=ITEMS)
    lea, _ = joined(classroom, "Lea")
    _sign_in(page, live_server, "wim")
    page.goto(f"{live_server.url}/classrooms/{classroom.code}/")
    assert page.locator("#grid-summary").get_attribute("aria-live") is None
    said = page.locator("#grid-said")
    expect(said).to_have_text("Hands up: none. Stuck: nobody.")
    page.evaluate(
        """() => {
            window.saidChanges = 0;
            new MutationObserver((changes) => { window.saidChanges += changes.length; })
                .observe(document.getElementById("grid-said"), {childList: true, subtree: true,
                                                               characterData: true});
        }"""
    )
    joined(classroom, "Bo")
    expect(page.locator("#grid-summary")).to_contain_text("2 learners")
    assert page.evaluate("window.saidChanges") == 0
    lea.post(reverse("classrooms:hand"), {"message": "help"})
    expect(said).to_have_text("Hands up: Lea (“help”). Stuck: nobody.")
