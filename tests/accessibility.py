"""axe-core in the served app: the views audited, the rules run, violations in a plain form.

Shared by ``tests/test_accessibility.py`` (which keeps critical and serious at
zero) and ``scripts/axe_table.py`` (which prints the table of
``docs/accessibility.md``). axe-core comes with ``axe-playwright-python``; it is
injected into the page from the installed package, so nothing is fetched.
"""

from __future__ import annotations

from typing import Any

from impact.browser import CHROMIUM_ARGS, chromium_path

# Every page, and the detail view of each page that has one.
VIEWS = (
    "",
    "map",
    "programmes",
    "countries",
    "organisations",
    "reports",
    "data",
    "method",
    "programmes?programme_id=sos-be-limpoba",
    "countries?iso3=BEL",
    "organisations?org_id=sos-belgique",
)
LANGS = ("fr", "nl", "en")
IMPACTS = ("critical", "serious", "moderate", "minor")
# WCAG 2.0 and 2.1, levels A and AA (EN 301 549 asks for 2.1 AA).
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def view_url(base: str, view: str, lang: str) -> str:
    """The address of a view in a language."""
    return f"{base}/{view}{'&' if '?' in view else '?'}lang={lang}"


def audit(page: Any, best_practice: bool = False) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now: rule, impact, help, elements.

    ``best_practice`` adds axe's rules that are advice rather than WCAG criteria.
    """
    from axe_playwright_python.sync_playwright import Axe

    options = AXE_OPTIONS
    if best_practice:
        tags = [*AXE_OPTIONS["runOnly"]["values"], "best-practice"]
        options = {**AXE_OPTIONS, "runOnly": {"type": "tag", "values": tags}}
    results = Axe().run(page, options=options)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "tags": [t for t in v["tags"] if t.startswith("wcag") or t == "best-practice"],
            "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]],
            "html": [n["html"][:200] for n in v["nodes"][:3]],
        }
        for v in results.response["violations"]
    ]


def audit_views(base: str, best_practice: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Audit every view in every language (keys « view|lang »), offline, at 1400 px."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import OfflinePage
    from tests.test_browser import wait_ready

    results: dict[str, list[dict[str, Any]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for lang in LANGS:
            offline = OfflinePage(browser)
            for view in VIEWS:
                offline.page.goto(view_url(base, view, lang))
                wait_ready(offline.page)
                results[f"{view}|{lang}"] = audit(offline.page, best_practice)
            offline.close()
        browser.close()
    return results
