"""The reference web page in a real headless browser: Debian's chromium, driven by Playwright.

Skipped when Playwright or chromium is missing (``.ci/run`` installs chromium). With
``PROCFLOW_SCREENSHOTS=docs/images`` the tests also write a screenshot of each view there
(``make screenshots``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from procflow import load_procedures, vietnam_calendar
from procflow.reportfile import FileReporter

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (test extra)")
CHROMIUM = os.environ.get("PROCFLOW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"no chromium at {CHROMIUM}: apt-get install chromium (or set PROCFLOW_CHROMIUM)",
        allow_module_level=True,
    )
SHOTS = os.environ.get("PROCFLOW_SCREENSHOTS")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """One browser tab for the module (opening one costs a second), and its errors."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    # A navigation aborts what the previous load still fetched (the favicon): not a fault.
    opened.on(
        "requestfailed",
        lambda req: None if req.failure == "net::ERR_ABORTED" else errors.append(req.url),
    )
    opened.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.method == "GET"  # POSTs may answer problems
            else None
        ),
    )
    yield opened, errors
    context.close()


@pytest.fixture
def page(tab: tuple[Page, list[str]], server_url: str) -> Iterator[Page]:
    """The page freshly loaded, in Vietnamese; no script error or failed request after."""
    opened, errors = tab
    errors.clear()
    opened.goto(server_url + "/")
    opened.evaluate("localStorage.clear()")
    opened.reload()
    opened.wait_for_selector("body[data-ready=true]")
    yield opened
    assert errors == []


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def _language(page: Page, lang: str) -> None:
    # The switch fetches the library's labels in that language before it redraws.
    page.click(f"#lang-{lang}")
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")


def test_page_assets_come_from_the_server_only(page: Page, server_url: str) -> None:
    urls = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert urls
    assert all(url.startswith(server_url) for url in urls)
    assert page.locator("html").get_attribute("lang") == "vi"


def test_due_date_calculator_in_vietnamese_then_english(page: Page) -> None:
    # Domain brief §3: Thursday 2024-08-29 10:00, 3 working days: 30/8 day 1, weekend,
    # National Day 2/9 and 3/9 off, 4/9 day 2, 5/9 day 3: due Thursday 2024-09-05 17:00.
    page.fill("#due-limit", "03 ngày làm việc")
    page.fill("#due-received", "2024-08-29T10:00")
    page.click("#due-submit")
    page.wait_for_selector("#due-result:not([hidden])")
    assert page.inner_text("#due-at") == "17:00 thứ Năm 05/09/2024"
    assert page.inner_text("#due-lines li >> nth=0") == "Nhận hồ sơ lúc 10:00 thứ Năm 29/08/2024"
    cell = page.locator("td[data-date='2024-09-02']")
    assert "off" in (cell.get_attribute("class") or "")
    assert cell.get_attribute("title", timeout=1000)
    counted = page.locator("td.counted").evaluate_all("cells => cells.map(c => c.dataset.date)")
    assert counted == ["2024-08-30", "2024-09-04", "2024-09-05"]
    assert page.locator("td.due").get_attribute("data-date") == "2024-09-05"
    assert page.locator("td.received").get_attribute("data-date") == "2024-08-29"
    _shot(page, "due-date-vi.png")

    _language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("#due-at") == "17:00 on Thursday 2024-09-05"
    assert page.inner_text("#due-lines li >> nth=0") == "Received at 10:00 on Thursday 2024-08-29"
    assert page.inner_text("#tab-report") == "Period report"
    _shot(page, "due-date-en.png")
    _language(page, "vi")


def test_due_date_of_a_procedure_applies_its_cutoff(page: Page) -> None:
    # dang-ky-khai-sinh: same day, 15:00 cut-off (Decree 63/2024): received Wednesday
    # 2024-01-31 15:20 counts as Thursday 1/2, due that day at 17:00.
    page.select_option("#due-procedure", "dang-ky-khai-sinh")
    assert page.locator("#due-limit-label").is_hidden()
    page.fill("#due-received", "2024-01-31T15:20")
    page.click("#due-submit")
    page.wait_for_selector("#due-result:not([hidden])")
    assert page.inner_text("#due-at") == "17:00 thứ Năm 01/02/2024"


def test_tabs_follow_the_arrow_keys(page: Page) -> None:
    page.focus("#tab-due")
    page.keyboard.press("ArrowRight")
    assert page.locator("#view-timeline").is_visible()
    assert page.evaluate("document.activeElement.id") == "tab-timeline"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.locator("#view-report").is_visible()
    assert page.locator("#view-due").is_hidden()


def test_due_date_problem_is_shown(page: Page) -> None:
    page.fill("#due-limit", "ba ngày")
    page.click("#due-submit")
    page.wait_for_selector("#due-error:not([hidden])")
    assert "cannot read the time limit 'ba ngày'" in page.inner_text("#due-error")


def test_dossier_timeline(page: Page) -> None:
    # The sample: received Thursday 2024-08-29 10:00, 3 working days, a supplement asked
    # at 15:00 (within 8 working hours) and received Friday 30/8 09:00: the limit restarts
    # from 30/8 (not counted), 4/9, 5/9, 6/9: due Friday 6/9 17:00; finished 5/9: early.
    page.click("#tab-timeline")
    page.click("#tl-sample")
    page.fill("#tl-asof", "2024-09-30T17:00")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-result:not([hidden])")
    assert page.locator("#tl-outcome").get_attribute("data-outcome") == "early"
    assert page.inner_text("#tl-outcome") == "Trước hạn"
    types = page.locator("#tl-events li").evaluate_all("items => items.map(i => i.dataset.type)")
    assert types == [
        "received",
        "supplement_requested",
        "supplement_received",
        "finished",
        "handed_over",
        None,  # the due date, Friday 17:00, after the handover that morning
    ]
    assert "17:00 thứ Sáu 06/09/2024" in page.inner_text("#tl-events li.due")
    assert page.locator("#tl-chart circle.event").count() == 5
    assert page.locator("#tl-notes li").count() > 0
    _shot(page, "timeline.png")


def test_timeline_of_the_examples_file_offers_each_dossier(page: Page) -> None:
    page.click("#tab-timeline")
    page.set_input_files("#tl-file", "src/procflow/examples/dossiers.json")
    page.wait_for_function("document.getElementById('tl-json').value.includes('HS-2026-0101')")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-choose")
    assert page.locator("#tl-choose option").count() == 9
    page.select_option("#tl-choose", label="HS-2026-0104")
    assert page.locator("#tl-outcome").get_attribute("data-outcome") == "late"
    # cfs-ha-tinh's steps against its ISO process; appraisal ran 20 hours over its budget.
    assert page.locator("#tl-steps tr[data-step]").count() == 5
    assert page.locator("#tl-steps tr.over").evaluate_all("r => r.map(x => x.dataset.step)") == [
        "tham-dinh"
    ]
    _shot(page, "timeline-steps.png")


def test_timeline_problem_names_the_dossier(page: Page) -> None:
    page.click("#tab-timeline")
    page.fill("#tl-json", '{"id": "HS-X", "time_limit": "03 ngày làm việc", "events": []}')
    page.click("#tl-submit")
    page.wait_for_selector("#tl-error:not([hidden])")
    assert "dossier 0 ('HS-X')" in page.inner_text("#tl-error")


def test_period_report_with_its_chart(page: Page) -> None:
    page.click("#tab-report")
    page.set_input_files("#rp-file", "examples/dossiers-2025.csv")
    page.fill("#rp-from", "2025-01-01")
    page.fill("#rp-to", "2025-06-30")
    page.select_option("#rp-by", "field")
    page.click("#rp-submit")
    page.wait_for_selector("#rp-svg")
    expected = FileReporter(
        "examples/dossiers-2025.csv", load_procedures("specs"), vietnam_calendar()
    ).report(date(2025, 1, 1), date(2025, 6, 30), "field")
    assert page.locator("#rp-table tr").count() == len(expected.rows) + 2  # header, total
    total = page.locator("#rp-table tr.total td[data-key=received_total]").inner_text()
    assert total.replace(".", "") == str(expected.total.received_total)
    drawn = page.locator("#rp-svg rect.bar").evaluate_all(
        "bars => bars.reduce((s, b) => s + Number(b.dataset.count), 0)"
    )
    t = expected.total
    assert drawn == t.resolved_total + t.in_progress_total + t.withdrawn + t.returned
    _shot(page, "report.png")

    page.select_option("#rp-by", "channel")
    page.click("#rp-submit")
    page.wait_for_function(
        "document.querySelector('#rp-table tr:nth-child(2) td')?.innerText === 'Trực tiếp'"
    )
    keys = page.locator("#rp-table tr td:first-child").all_inner_texts()
    assert keys == ["Trực tiếp", "Trực tuyến", "Bưu chính", "Tổng cộng"]

    with page.expect_download() as download:
        page.click("#rp-xlsx")
    assert download.value.suggested_filename == "bao-cao-2025-01-01-2025-06-30.xlsx"


# The frame's height below the slip's last line (the control slip is shorter than the receipt).
FRAME_GAP = (
    "(() => { const f = document.getElementById('tl-slip');"
    " const article = f.contentDocument.querySelector('article');"
    " return f.clientHeight - article.getBoundingClientRect().bottom; })()"
)


def test_receipt_and_control_slips_of_a_dossier(page: Page) -> None:
    # examples/forms/cfs-late.json: CFS (Hà Tĩnh QĐ 2904/QĐ-UBND), 3 working days from
    # Monday 9/3/2026 08:00: due Thursday 12/3 17:00; finished 13/3: late. Received after
    # 1 July 2025: Circular 03/2025/TT-VPCP's forms (control slip Mẫu 06).
    page.click("#tab-timeline")
    page.set_input_files("#tl-file", "examples/forms/cfs-late.json")
    page.wait_for_function("document.getElementById('tl-json').value.includes('Hồng Lĩnh')")
    page.fill("#tl-asof", "2026-03-31T17:00")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-result:not([hidden])")
    assert page.locator("#tl-outcome").get_attribute("data-outcome") == "late"

    page.click("#tl-form-receipt")
    page.wait_for_selector("#tl-slip-box:not([hidden])")
    slip = page.frame_locator("#tl-slip")
    assert slip.locator("p.label").inner_text() == "Mẫu số 01 (Thông tư 03/2025/TT-VPCP)"
    assert slip.locator("h1").inner_text() == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    text = slip.locator("body").inner_text()
    assert "17 giờ 00 phút, ngày 12 tháng 03 năm 2026" in text
    assert "Công ty TNHH Thương mại Hồng Lĩnh" in text
    # The whole slip shows, and no more: below its last line only the page's margin.
    assert 0 <= page.evaluate(FRAME_GAP) <= 80
    assert page.evaluate("document.body.dataset.slip") == "receipt"
    _shot(page, "timeline-receipt.png")
    with page.expect_download() as download:
        page.click("#tl-slip-docx")
    assert download.value.suggested_filename == "receipt-HS-2026-0104.docx"

    page.click("#tl-form-control")
    page.wait_for_function(
        "document.getElementById('tl-slip').contentDocument?.querySelector('h1')"
        "?.innerText === 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ'"
    )
    assert slip.locator("p.label").inner_text() == "Mẫu số 06 (Thông tư 03/2025/TT-VPCP)"
    assert slip.locator("table.grid tbody tr").count() == 5  # one row per hand-over
    page.wait_for_function(
        f"(() => {{ const gap = {FRAME_GAP}; return gap >= 0 && gap <= 80; }})()"
    )
    _shot(page, "timeline-control.png")
    with page.expect_download() as download:
        page.click("#tl-slip-docx")
    assert download.value.suggested_filename == "control-HS-2026-0104.docx"


def test_a_refused_slip_shows_the_library_message(page: Page) -> None:
    # The sample dossier has inline rules: no step plan, so no control slip.
    page.click("#tab-timeline")
    page.click("#tl-sample")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-result:not([hidden])")
    page.click("#tl-form-control")
    page.wait_for_selector("#tl-slip-error:not([hidden])")
    assert "a control slip needs a procedure with a step plan" in page.inner_text("#tl-slip-error")
    assert page.locator("#tl-slip-box").is_hidden()
    page.click("#tl-form-receipt")
    page.wait_for_selector("#tl-slip-box:not([hidden])")
    assert page.locator("#tl-slip-error").is_hidden()


def test_printing_a_shown_slip_prints_the_slip_alone(page: Page) -> None:
    page.click("#tab-timeline")
    page.click("#tl-sample")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-result:not([hidden])")
    page.click("#tl-form-receipt")
    page.wait_for_selector("#tl-slip-box:not([hidden])")
    page.emulate_media(media="print")
    try:
        for hidden in ("header", "nav", "#tl-form", "#tl-facts", "#tl-slip-box .toolbar"):
            assert page.locator(hidden).first.is_hidden(), hidden
        assert page.locator("#tl-slip").is_visible()
        slip = page.frame_locator("#tl-slip")
        assert slip.locator("body").evaluate("b => getComputedStyle(b).marginTop") == "0px"
    finally:
        page.emulate_media(media="screen")


def test_words_of_closed_sets_are_the_library_labels(page: Page) -> None:
    from procflow import Channel, EventType, GroupBy, Outcome

    page.click("#tab-timeline")
    page.click("#tl-sample")
    page.click("#tl-submit")
    page.wait_for_selector("#tl-result:not([hidden])")
    first = page.locator("#tl-events li >> nth=0").inner_text()
    assert EventType.RECEIVED.label("vi").capitalize() in first
    options = page.locator("#rp-by option").evaluate_all("o => o.map(x => x.value)")
    assert options == ["", *[g.value for g in GroupBy]]
    _language(page, "en")
    assert page.inner_text("#tl-outcome") == Outcome.EARLY.label("en").capitalize()
    assert page.locator("#due-channel option[value=post]").inner_text() == "By post"
    assert Channel.POST.label("en") == "by post"
    _language(page, "vi")
    assert page.inner_text("#tl-outcome") == "Trước hạn"
