"""The API's docs page (Swagger UI from drf-spectacular-sidecar, served from our static
files) renders every operation in Chromium under the site's strict Content-Security-Policy,
with no CSP violation in the console; and the /data/ page passes axe-core.

The docs page is third-party markup, so it is not held to the axe-core check the site's own
pages get (``open_page``); it gets its own browser context."""

from __future__ import annotations

from tests.browser.conftest import sync_api
from tests.browser.support import BROWSER

pytestmark = BROWSER
expect = sync_api.expect


def test_api_docs_render_with_no_csp_violation(browser, live_site):
    context = browser.new_context(base_url=live_site)
    context.set_default_timeout(15_000)
    page = context.new_page()
    console: list[str] = []
    errors: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto("/api/v1/docs/")
    assert response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kremlin Meetings API")
    operations = page.locator(".opblock-summary-path")
    expect(operations).to_have_count(9)
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/meetings/").first
    ).to_be_visible()
    violations = [
        line for line in console if "Content Security Policy" in line or "Refused to" in line
    ]
    context.close()
    assert violations == []
    assert errors == []


def test_data_page_without_downloads(open_page):
    page = open_page("/data/")
    expect(page.get_by_role("heading", name="Data downloads")).to_be_visible()
    expect(page.get_by_role("link", name="API")).to_have_attribute("href", "/api/v1/docs/")
