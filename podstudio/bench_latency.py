"""From the last keystroke to the updated preview, in a real browser: ``make bench`` (or
``python -m podstudio.bench_latency``).

Serves the app as ``podstudio.bench`` does (gunicorn, production settings, loopback), opens the
builder in Debian's Chromium through Playwright, imports a commented Pod (and starts the same
Pod in the builder), and types a new name into the name field again and again, a key every
80 ms as a quick typist does. Each time it takes the time of the last ``input`` event and the
time of the first frame after the preview's YAML shows the whole name (a ``MutationObserver``,
then ``requestAnimationFrame``), both by the page's own clock. The median of these is the
figure the issue asks for (under 200 ms on a quiet machine); it is the typing delay of the
form's ``hx-trigger`` plus one request and its swap. A timing, so it belongs here and in no
test.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from podstudio.bench import (
    bench_env,
    free_port,
    prepare,
    start_server,
    stop_server,
    wait_until_up,
)

CHROMIUM = "/usr/bin/chromium"
TARGET_MS = 200
KEY_DELAY_MS = 80

# Waits for the YAML to show ``name: <expected>`` and answers the time of the next frame.
WATCH = """
(expected) => {
  window.__previewShown = new Promise((resolve) => {
    const shows = () => {
      const code = document.getElementById("yaml-code");
      return code && code.textContent.includes("name: " + expected);
    };
    const observer = new MutationObserver(() => {
      if (!shows()) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now()));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  const field = document.getElementById("f-metadata-name");
  window.__lastInput = 0;
  field.addEventListener("input", () => { window.__lastInput = performance.now(); });
}
"""


def _trials(page, rounds: int, label: str) -> list[float]:
    field = page.locator("#f-metadata-name")
    latencies = []
    for number in range(rounds):
        expected = f"typed-{label}-{number:03d}z"
        page.evaluate(WATCH, expected)
        field.click()
        field.press("ControlOrMeta+a")
        field.press_sequentially(expected, delay=KEY_DELAY_MS)
        shown = page.evaluate("window.__previewShown")
        last = page.evaluate("window.__lastInput")
        latencies.append(shown - last)
        page.wait_for_timeout(300)  # the page settles before the next name
    return latencies


def _open(page, base_url: str, yaml_text: str | None) -> None:
    page.goto(base_url + "/builder/")
    if yaml_text is None:
        page.get_by_role("button", name="New blank Pod").click()
    else:
        page.locator("#import-yaml").fill(yaml_text)
        page.get_by_role("button", name="Import").click()
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def measure(base_url: str, rounds: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    from podstudio.builder.bench import COMMENTED_POD

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for label, text in (("imported", COMMENTED_POD), ("started", None)):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(15_000)
                _open(page, base_url, text)
                _trials(page, 3, f"warm-{label}")  # first requests fill the server's caches
                results[label] = _trials(page, rounds, label)
                results["trigger"] = page.locator("#builder-form").get_attribute("hx-trigger")
                context.close()
        finally:
            browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which(CHROMIUM):
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)  # noqa: T201
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="podstudio-latency-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = bench_env(workdir, port)
    prepare(env)
    server = start_server(env, args.workers)
    try:
        wait_until_up(base_url + "/healthz")
        results = measure(base_url, args.rounds)
    finally:
        stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)

    print(  # noqa: T201
        f"\nKeystroke to preview in Chromium ({args.rounds} names typed, a key every "
        f"{KEY_DELAY_MS} ms; form trigger: {results['trigger']}; {os.cpu_count()} cores)"
    )
    failed = False
    titles = {"imported": "imported, commented Pod", "started": "blank Pod started here"}
    for label, title in titles.items():
        values = sorted(results[label])
        median = statistics.median(values)
        p90 = values[int(0.9 * (len(values) - 1))]
        ok = median < TARGET_MS
        failed = failed or not ok
        print(  # noqa: T201
            f"  {title:<26} median {median:6.1f} ms  p90 {p90:6.1f} ms  "
            f"(target median < {TARGET_MS} ms): {'met' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
