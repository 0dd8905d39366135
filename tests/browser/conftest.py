"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live
server (a real threaded HTTP server on a free loopback port, over the test database).
Every page a journey reaches is checked with axe-core for WCAG 2.0, 2.1 and 2.2 A and AA;
screenshots go to var/screenshots/."""

import json
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = REPO / "var" / "screenshots"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary blocking calls, so Django's guard is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    missing = not Path(CHROMIUM).exists() or not AXE.exists()
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing = True
    if missing and not os.environ.get("CI"):
        skip = pytest.mark.skip(reason="Chromium, Playwright or axe-core is not installed")
        for item in items:
            if "browser" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return _shot


WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const found = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.parentElement.closest(".app-table-wrap"))
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} (${e.getBoundingClientRect().right}px)`);
  return found.length ? found : [`the page (${document.documentElement.scrollWidth}px)`];
}"""


class Axe:
    """Runs axe-core in the page and fails with the rule, the elements and the page."""

    def __init__(self):
        self.checked: list[str] = []

    def __call__(self, page) -> None:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        self.checked.append(page.url)
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']}\n"
            + "\n".join(f"    {', '.join(n['target'])}: {n['failureSummary']}" for n in v["nodes"])
            for v in result["violations"]
        ]
        assert not problems, f"axe found problems on {page.url}:\n" + "\n".join(problems)
        # Reflow (WCAG 1.4.10), which axe does not check: only a table scrolls sideways,
        # inside its own region; the page itself never does, at the width it is checked at
        # (at_both_widths adds 320, WCAG's own measure).
        wider = page.evaluate(WIDER_THAN_THE_WINDOW)
        assert not wider, f"{page.url} is wider than the window: {wider}"


@pytest.fixture
def axe():
    return Axe()


@pytest.fixture
def new_page(browser):
    contexts = []

    def _new(js: bool = True, viewport=DESKTOP):
        # axe-core is injected as an inline script, which the site's Content-Security-
        # Policy forbids; test_csp.py checks the policy itself in a context without this.
        context = browser.new_context(java_script_enabled=js, viewport=viewport, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


TEST_PASSWORD = "a long test password"  # noqa: S105 (the fixtures' users)


def sign_in(page, base_url: str, email: str, password: str = TEST_PASSWORD, axe=None) -> None:
    """Sign in through the form; an admin then types the code their authenticator app
    shows (computed from the secret the fixture gave them). Fails unless signed in: a
    test that goes on from the sign-in page checks the sign-in page, not its own."""
    from ..conftest import TOTP_SECRETS, totp_code_to_type

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if "/2fa/authenticate/" in page.url:
        if axe is not None:
            axe(page)
        page.get_by_label("Code").fill(totp_code_to_type(TOTP_SECRETS[email]))
        page.get_by_role("button", name="Sign in").click()
    assert "/accounts/login/" not in page.url and "/2fa/authenticate/" not in page.url, (
        f"{email} was not signed in: {page.url}"
    )


def dump(value) -> str:
    return json.dumps(value, indent=2)
