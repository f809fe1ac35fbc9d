"""The workbench in headless Chromium against the real server (uvicorn on a free loopback port).

Needs Debian's chromium and chromium-driver (`make browser` installs them); skipped with a
reason where they are absent. A screenshot of every page visited is written to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web.helpers import ACCOUNTS, PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(web_home: Path) -> Iterator[str]:
    """The workbench served by uvicorn in a thread; yields its base URL."""
    import uvicorn
    from judgeflow.app.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(web_home), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the workbench server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium through chromedriver (never Selenium Manager, never the network)."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("headless browser tests need /usr/bin/chromium and /usr/bin/chromedriver (make browser)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def shot(driver: Any, name: str) -> None:
    """Save a screenshot of the current page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def wait_for(driver: Any, css: str, text: str | None = None, timeout: float = 60) -> Any:
    """The first element matching `css` (containing `text`, if given), waiting for it to appear."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d: Any) -> Any:
        for element in d.find_elements(By.CSS_SELECTOR, css):
            if text is None or text in element.text:
                return element
        return False

    # The page may be replaced between finding an element and reading it (a form was just
    # submitted): such a stale element is looked for again, not an error.
    wait = WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,))
    return wait.until(found)


def sign_in(driver: Any, base: str, name: str, password: str = PASSWORD) -> None:
    """Fill in and submit the login form."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login").click()


def click(driver: Any, element_id: str) -> None:
    """Click a button by id (scrolled into view first)."""
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def prepared_case(home: Path, upto: int) -> None:
    """Start clean-loan as the judge and approve `upto` checkpoints, through the same service."""
    from judgeflow.app.web.accounts import Account
    from judgeflow.app.web.service import Workbench

    bench = Workbench(home)
    judge = Account("wang", ACCOUNTS["wang"])
    status = bench.start_example(judge, "clean-loan")
    for _ in range(upto):
        assert status.checkpoint is not None
        status = bench.decide(judge, "clean-loan", status.checkpoint, "approve", "同意")


def forced_post(driver: Any, case_id: str, checkpoint: str, action: str) -> None:
    """Submit a decision form the page did not offer (with the page's own CSRF token)."""
    driver.execute_script(
        """
        const f = document.createElement('form');
        f.method = 'post'; f.action = '/cases/' + arguments[0] + '/decide';
        const add = (k, v) => { const i = document.createElement('input'); i.type = 'hidden';
                                i.name = k; i.value = v; f.appendChild(i); };
        add('csrf_token', document.querySelector('meta[name=csrf-token]').content);
        add('checkpoint', arguments[1]); add('action', arguments[2]); add('comment', '越权尝试');
        document.body.appendChild(f); f.submit();
        """,
        case_id,
        checkpoint,
        action,
    )


def test_judge_checks_sources_edits_and_signs(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, server, "wang")
    wait_for(browser, "#who", "wang")
    shot(browser, "01-cases-empty")
    click(browser, "start")
    wait_for(browser, "#checkpoint", "approve_facts")

    # The fact's source is highlighted in the document it was read from.
    browser.find_element(By.CSS_SELECTOR, "#fact-F3 a.locate").click()
    marked = wait_for(browser, "mark.src.current")
    quote = browser.execute_script("return document.querySelector('mark.src.current').textContent")
    assert "80000" in quote or "捌万" in quote or "8万" in quote, quote
    assert marked.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    shot(browser, "02-facts-source-highlighted")

    value = browser.find_element(By.NAME, "fact:F3:value")
    value.clear()
    value.send_keys("75000.00")
    click(browser, "edit")
    wait_for(browser, "#checkpoint", "approve_statutes")
    assert browser.find_elements(By.CSS_SELECTOR, "article.statute .statute-text")
    assert "选取理由" in browser.find_element(By.CSS_SELECTOR, "article.statute .reason").text
    shot(browser, "03-statutes")
    click(browser, "approve")

    wait_for(browser, "#checkpoint", "approve_reasoning")
    shot(browser, "04-reasoning")
    conclusion = "对利息请求予以支持，按年利率6%计算（法官改写结论）。"
    box = browser.find_element(By.ID, "conclusion-S2")
    box.clear()
    box.send_keys(conclusion)
    click(browser, "edit")

    wait_for(browser, "#checkpoint", "approve_draft")
    assert browser.find_element(By.ID, "approve").text == "签发判决"
    shot(browser, "05-draft-with-findings")
    browser.find_element(By.ID, "comment").send_keys("经审核，同意签发")
    click(browser, "approve")
    wait_for(browser, "#signed-by", "judge:wang")
    judgment = browser.find_element(By.ID, "judgment").text
    assert conclusion in judgment and "75000元" in judgment
    shot(browser, "06-signed")

    browser.get(f"{server}/api/cases/clean-loan/export/judgment.md")
    exported = browser.find_element(By.TAG_NAME, "body").text
    assert conclusion in exported and "借款本金75000元" in exported

    browser.get(f"{server}/cases/clean-loan/trace?kind=decision")
    events = browser.find_elements(By.CSS_SELECTOR, "#timeline > li")
    assert [e.get_attribute("data-node") for e in events] == [
        "approve_facts",
        "approve_statutes",
        "approve_reasoning",
        "approve_draft",
    ]
    assert "75000.00" in browser.find_element(By.CSS_SELECTOR, "#timeline pre.diff").text
    shot(browser, "07-trace-decisions")
    browser.get(f"{server}/stats")
    row = wait_for(browser, "#stats-overall tr[data-checkpoint=approve_facts]")
    assert "100.0%" in row.text  # the one decision at approve_facts was an edit
    shot(browser, "08-stats")


def test_clerk_cannot_sign(server: str, browser: Any, web_home: Path) -> None:
    from selenium.webdriver.common.by import By

    prepared_case(web_home, upto=3)
    sign_in(browser, server, "li")
    wait_for(browser, "#who", "li")
    browser.get(f"{server}/cases/clean-loan")
    notice = wait_for(browser, "#no-permission")
    assert "签发判决" in notice.text
    assert not browser.find_element(By.ID, "approve").is_enabled()
    shot(browser, "09-clerk-draft-readonly")
    forced_post(browser, "clean-loan", "approve_draft", "approve")
    message = wait_for(browser, "#error-message")
    assert "无权签发判决" in message.text
    assert "Traceback" not in browser.page_source
    shot(browser, "10-clerk-sign-refused")
    browser.get(f"{server}/cases/clean-loan")
    assert wait_for(browser, "#checkpoint").text == "approve_draft"  # nothing was signed


def test_reviewer_reads_the_trace_but_changes_nothing(server: str, browser: Any, web_home: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    prepared_case(web_home, upto=1)
    sign_in(browser, server, "zhao")
    wait_for(browser, "#who", "zhao")
    assert not browser.find_elements(By.ID, "start")  # no way to open a case
    browser.get(f"{server}/cases/clean-loan/trace")
    wait_for(browser, "#timeline > li")
    everything = len(browser.find_elements(By.CSS_SELECTOR, "#timeline > li"))
    Select(browser.find_element(By.ID, "filter-kind")).select_by_value("node_run")
    click(browser, "apply-filter")
    wait_for(browser, "#shown")
    node_runs = browser.find_elements(By.CSS_SELECTOR, "#timeline > li")
    assert 0 < len(node_runs) < everything
    assert {e.get_attribute("data-kind") for e in node_runs} == {"node_run"}
    shot(browser, "11-reviewer-trace")
    browser.get(f"{server}/cases/clean-loan")
    wait_for(browser, "#no-permission")
    assert not browser.find_element(By.ID, "edit").is_enabled()
    forced_post(browser, "clean-loan", "approve_statutes", "approve")
    assert "无权在审批节点作出决定" in wait_for(browser, "#error-message").text
    shot(browser, "12-reviewer-decision-refused")


def test_wrong_password_and_expired_session_get_clear_messages(
    server: str, browser: Any, web_home: Path
) -> None:
    from judgeflow.app.web.accounts import AccountStore

    sign_in(browser, server, "wang", "not-the-password")
    assert "用户名或密码错误" in wait_for(browser, "#error-message").text
    shot(browser, "13-wrong-password")
    sign_in(browser, server, "wang")
    wait_for(browser, "#who", "wang")
    AccountStore(web_home).expire_sessions("wang")
    browser.get(f"{server}/cases")
    assert wait_for(browser, "#message").text == "会话已过期，请重新登录"
    shot(browser, "14-session-expired")


def test_judge_sets_a_sentencing_step_and_the_sentence_is_recomputed(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    sign_in(browser, server, "wang")
    wait_for(browser, "#who", "wang")
    Select(browser.find_element(By.ID, "example")).select_by_value("theft-confession")
    click(browser, "start")
    wait_for(browser, "#checkpoint", "approve_facts")
    shot(browser, "11-criminal-facts")
    click(browser, "approve")
    wait_for(browser, "#checkpoint", "approve_statutes")
    click(browser, "approve")
    wait_for(browser, "#checkpoint", "approve_reasoning")
    before = browser.find_element(By.ID, "conclusion-S1").get_attribute("value")
    shot(browser, "12-criminal-sentencing-steps")
    browser.find_element(By.ID, "step-S1-starting_point").send_keys("20")
    browser.find_element(By.ID, "step-S1-probation").send_keys("0")
    click(browser, "edit")
    wait_for(browser, "#checkpoint", "approve_draft")
    shot(browser, "13-criminal-draft")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "刑事判决书" in page and "有期徒刑" in page and "2024年3月16日起" in page
    assert "有期徒刑" not in (before or "")  # the engine had proposed 拘役 with probation
