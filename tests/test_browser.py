"""The timeline page in a real browser: Debian's headless Chromium driven by Playwright.

The server is a real ``uvicorn server:app`` process on an empty temporary store, so it
loads the sample article as a user's first ``kg serve`` does. What the page shows is
checked against the store read through SPARQL, not against the GraphQL API the page
itself uses. Every test fails on a JavaScript console error, an uncaught page error, or a
request that leaves the server (the page must work offline).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LT = "https://w3id.org/legal-timeline/ontology#"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not at /usr/bin/chromium (.ci/run installs it)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``uvicorn server:app`` on a new store: it comes up with the sample article loaded."""
    port = free_port()
    env = {**os.environ, "KG_STORE": str(tmp_path_factory.mktemp("browser") / "store")}
    command = [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"server exited with {process.returncode}: {process.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not answer /health within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh page on the timeline; after the test, no console error and nothing fetched elsewhere."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_request(request: Request) -> None:
        if not request.url.startswith(f"{server}/"):
            problems.append(f"request outside the server: {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)
    open_timeline(page, server)
    yield page
    context.close()
    assert not problems, "\n".join(problems)


def open_timeline(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    settled(page)


def settled(page: Page) -> None:
    """Waits until the page has drawn what its URL asks for (it marks the body busy until then)."""
    expect(page.locator("body")).not_to_have_attribute("data-busy", "true")


def sparql(server: str, query: str) -> list[dict[str, str]]:
    answer = httpx.post(f"{server}/sparql", data={"query": f"PREFIX lt: <{LT}>\n{query}"},
                        headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


def shown(page: Page, selector: str, attribute: str) -> list[str]:
    return page.locator(selector).evaluate_all(f"items => items.map(item => item.dataset.{attribute})")


def event_item(page: Page, type_: str, date: str | None = None) -> str:
    return f'#events .event[data-type="{type_}"]' + (f'[data-date="{date}"]' if date else "")


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_page_shows_the_sample_dated_events_in_chronological_order(page: Page, server: str) -> None:
    rows = sparql(server, "SELECT ?e ?date WHERE { ?e a lt:LegalEvent . OPTIONAL { ?e lt:date ?date } }")
    dated = sorted(row["date"] for row in rows if "date" in row)
    undated = {row["e"] for row in rows if "date" not in row}
    dates = shown(page, "#dated .event", "date")
    assert dates == dated, "the page's dated events, in order, are the store's"
    assert {"2020-04-21", "2020-10-08", "2020-10-14", "2020-11-19"} <= set(dates)
    assert set(shown(page, "#undated .event", "id")) == undated
    expect(page.locator("#axis .mark")).to_have_count(len(dated))
    expect(page.get_by_role("heading", name="Undated")).to_be_visible()


def test_a_type_filter_changes_the_events_and_the_url(page: Page, server: str) -> None:
    everything = len(shown(page, "#events .event", "id"))
    page.get_by_role("checkbox", name=re.compile(r"^Ruling")).check()
    expect(page).to_have_url(re.compile(r"[?&]type=RULING"))
    settled(page)
    expect(page.locator("#events .event:not([data-type=RULING])")).to_have_count(0)
    rulings = len(shown(page, "#events .event", "id"))
    assert 0 < rulings < everything
    open_timeline(page, page.url)  # a shared link or a reload restores the filter
    expect(page.get_by_role("checkbox", name=re.compile(r"^Ruling"))).to_be_checked()
    assert set(shown(page, "#events .event", "type")) == {"RULING"}
    page.get_by_role("button", name="Clear filters").click()
    expect(page.locator("#events .event")).to_have_count(everything)
    assert "type" not in query_of(page)


def test_actor_date_and_section_filters_are_labelled_and_kept_in_the_url(page: Page, server: str) -> None:
    council = page.locator("#actor option", has_text="Conseil d’État").get_attribute("value")
    page.get_by_label("Actor").select_option(value=council)
    expect(page).to_have_url(re.compile(r"[?&]actor="))
    settled(page)
    labels = page.locator("#events .event .who").all_inner_texts()
    assert labels and all("Conseil d’État" in who for who in labels)
    page.get_by_role("button", name="Clear filters").click()
    page.get_by_label("From").fill("2020-10-01")
    expect(page).to_have_url(re.compile(r"[?&]from=2020-10-01"))
    settled(page)
    dates = shown(page, "#dated .event", "date")
    assert dates and min(dates) >= "2020-10"
    page.get_by_role("button", name="Clear filters").click()
    page.get_by_role("radio", name="Reader comments").check()
    expect(page).to_have_url(re.compile(r"[?&]section=comment"))
    settled(page)
    assert set(shown(page, "#events .event", "section")) == {"comment"}
    expect(page.locator("#axis .mark:not(.comment)")).to_have_count(0)


def test_clicking_an_event_shows_its_evidence_sentence(page: Page, server: str) -> None:
    rows = sparql(server, """
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?text WHERE { ?e a lt:Ruling ; lt:date ?date ; lt:evidence ?span . ?span nif:anchorOf ?text
                             FILTER(STR(?date) = "2020-10-14") }""")
    sentences = {row["text"] for row in rows}
    assert sentences, "the store holds the ruling's evidence"
    page.locator(event_item(page, "RULING", "2020-10-14")).click()
    detail = page.locator("#detail")
    expect(detail.get_by_role("heading", level=2)).to_be_focused()
    marks = detail.locator("blockquote mark").all_inner_texts()
    assert set(marks) == sentences
    expect(detail).to_contain_text("Characters ")
    expect(detail).to_contain_text("Health Data Hub quittera Microsoft")
    assert "event" in query_of(page)
    open_timeline(page, page.url)  # the open event is part of the shareable URL
    expect(page.locator("#detail blockquote mark").first).to_have_text(marks[0])


def test_the_ruling_is_flagged(page: Page) -> None:
    ruling = page.locator(event_item(page, "RULING", "2020-10-14"))
    expect(ruling.locator(".badge.flag")).to_have_text("⚠ weekday mismatch")
    expect(page.locator("#axis .mark.type-RULING.flagged")).to_have_count(1)
    ruling.click()
    expect(page.locator("#detail .flag-note")).to_contain_text("was a Wednesday")


def test_the_commitment_deadline_is_overdue(page: Page) -> None:
    commitment = page.locator(event_item(page, "COMMITMENT"))
    expect(commitment).to_have_attribute("data-status", "overdue")
    deadline = re.compile(r"Deadline\s*November 2022\s*overdue")
    expect(commitment.locator(".deadline-line")).to_have_text(deadline)
    expect(page.locator("#axis .deadline.status-overdue")).to_have_count(1)
    commitment.click()
    expect(page.locator("#detail")).to_contain_text("known to the month")


def test_related_events_are_links_and_the_keyboard_drives_the_list(page: Page) -> None:
    page.locator(event_item(page, "RULING", "2020-10-14")).click()
    page.locator("#detail .relations button").first.click()
    expect(page.locator("#detail h2")).to_contain_text("Recours")
    expect(page.locator("#detail .relations")).to_contain_text("decided by")
    page.keyboard.press("Escape")
    expect(page.locator("#detail")).not_to_have_attribute("data-id", re.compile("."))
    first = page.locator("#events .event").first
    first.focus()
    page.keyboard.press("ArrowDown")
    second_id = page.locator("#events .event").nth(1).get_attribute("data-id")
    expect(page.locator("#events .event").nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#detail")).to_have_attribute("data-id", second_id or "")
    page.keyboard.press("Escape")
    expect(page.locator("#events .event").nth(1)).to_be_focused()


def test_a_screenshot_of_the_timeline(page: Page, tmp_path: Path) -> None:
    page.locator(event_item(page, "RULING", "2020-10-14")).click()
    expect(page.locator("#detail blockquote mark").first).to_be_visible()
    shot = tmp_path / "timeline.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
