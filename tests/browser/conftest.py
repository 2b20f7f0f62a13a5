"""Playwright against Debian's Chromium. Test tools cannot download browsers here, so the launch
names the system binary; `.ci/run` installs it and makes its absence a failure."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures in
# that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def external_requests(page):
    """Collect every request the page makes to a host other than the test server."""
    seen = []

    def on_request(request):
        url = request.url
        if not url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            seen.append(url)

    page.on("request", on_request)
    return seen
