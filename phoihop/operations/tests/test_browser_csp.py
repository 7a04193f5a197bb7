"""The CSP-safe replacements proposed for the templates' inline handlers work in Chromium under
the project's real policy, while the inline versions are blocked (no server, no database: the
page and the script are served by Playwright's request routing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from phoihop.core.protection import build_policy

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[1] / "static" / "operations" / "behaviours.js"
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="/static/operations/behaviours.js" defer></script></head><body>
<form id="lang" method="post" action="/i18n/setlang/">
  <select name="language" data-autosubmit><option value="vi" selected>Tiếng Việt</option><option value="en">English</option></select>
</form>
<form id="old" method="post" action="/cu/">
  <select name="language" onchange="this.form.submit()"><option value="vi" selected>vi</option><option value="en">en</option></select>
</form>
<button id="print" data-print>In trang này</button>
<figure id="chart" data-zoom-toggle>biểu đồ</figure>
<table><tr><td id="pct" data-pct="42">42%</td><td id="inline" style="color: rgb(255, 0, 0)">x</td></tr></table>
</body></html>"""


@pytest.fixture
def csp_page(page, settings):
    posted = []
    policy = build_policy(settings.PHOIHOP_CSP)

    def serve(route):
        request = route.request
        if request.url.endswith("/static/operations/behaviours.js"):
            route.fulfill(body=SCRIPT.read_text(), content_type="text/javascript")
        elif request.method == "POST":
            posted.append((request.url.split("csp.test", 1)[1], request.post_data))
            route.fulfill(body="<p>ok</p>", content_type="text/html", headers={"Content-Security-Policy": policy})
        else:
            route.fulfill(body=PAGE, content_type="text/html", headers={"Content-Security-Policy": policy})

    page.route("http://csp.test/**", serve)
    page.add_init_script("window.__printed = 0; window.print = function () { window.__printed += 1; };")
    page.goto("http://csp.test/")
    page.wait_for_load_state("load")
    return page, posted


def test_data_attributes_replace_inline_handlers_under_the_policy(csp_page):
    page, posted = csp_page
    assert page.evaluate("getComputedStyle(document.getElementById('pct')).getPropertyValue('--pct').trim()") == "42"
    # The inline style attribute is ignored by the browser: the policy is really enforced.
    assert page.evaluate("getComputedStyle(document.getElementById('inline')).color") != "rgb(255, 0, 0)"
    page.click("#print")
    assert page.evaluate("window.__printed") == 1
    page.click("#chart")
    assert page.evaluate("document.getElementById('chart').classList.contains('zoom')")
    page.select_option("#old select", "en")  # the inline onchange is blocked: nothing is sent
    page.wait_for_timeout(300)
    assert posted == []
    with page.expect_navigation():
        page.select_option("#lang select", "en")
    assert posted == [("/i18n/setlang/", "language=en")]
