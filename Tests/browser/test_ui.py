"""The engine's pages in a real browser: sign-in, the DAG list, the trigger form, the live grid,
groups, a failed try's log, clear, pause, what a viewer sees, CSRF, and that every page opens
without console errors."""

import re
import urllib.parse

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select

from conftest import (
    ADMIN_PASSWORD,
    console_errors,
    login,
    path_of,
    require_page,
    shot,
    status_of,
    visit,
    wait,
    wait_for_run_end,
)

FIXTURE_DAGS = {"api_params", "api_groups", "api_flaky", "api_daily", "ui_gate"}


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def live_rows(driver, selector):
    """Each row `selector` names as its data-row and its first link's classes, read in one go: the
    live grid may swap its rows while they are read, so a stale read is made again."""

    def read(d):
        try:
            rows = all_css(d, selector)
            return [
                (r.get_attribute("data-row"), r.find_element(By.CSS_SELECTOR, "td a").get_attribute("class").split())
                for r in rows
            ] or False
        except StaleElementReferenceException:
            return False

    return wait(driver).until(read)


def click_live(driver, selector):
    """Clicks the element `selector` names on a live page: the grid may swap its rows in between
    finding the element and clicking it, so a stale element is looked up again."""

    def attempt(d):
        try:
            css(d, selector).click()
            return True
        except StaleElementReferenceException:
            return False

    wait(driver).until(attempt)


def live_attribute(driver, selector, name):
    """The attribute `name` of the element `selector` names, or None, read in one script call: the
    live grid may swap the element between a find and a read."""
    return driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", selector, name
    )


def run_state(driver, run_id):
    """The state class (`s-running`, …) of the run's column header in the grid, or None. Read in
    one script call: the live grid swaps its header between a find and a read of the element."""
    classes = live_attribute(driver, f'th.run a[data-run="{run_id}"]', "class")
    if classes is None:
        return None
    states = [c for c in classes.split() if c.startswith("s-")]
    return states[0][2:] if states else None


def test_sign_in_refuses_a_wrong_password_then_lands_on_the_dags(server, browsers):
    d = browsers()
    visit(d, server.url + "/dags", None)
    assert path_of(d) == "/login", "a page without a session leads to the sign-in page"
    shot(d, "login")
    login(d, server.url, "admin", "not-the-password")
    error = wait(d).until(lambda d: all_css(d, "p.error[role=alert]"))[0]
    shot(d, "login-wrong-password")
    assert path_of(d) == "/login" and error.text.strip()
    assert d.get_cookie("updraft_session") is None
    console_errors(d)  # the 401 of the refused sign-in is logged by the browser
    login(d, server.url, "admin", ADMIN_PASSWORD)
    wait(d).until(lambda d: path_of(d) == "/dags")
    shot(d, "dags-after-login")
    session = d.get_cookie("updraft_session")
    assert session["httpOnly"] is True and session["sameSite"] == "Strict"
    assert d.get_cookie("updraft_csrf")["value"] == css(d, 'meta[name="csrf-token"]').get_attribute("content")


def test_the_dag_list_shows_the_fixture_dags(server, driver):
    visit(driver, server.url + "/dags", "dags")
    shown = {row.get_attribute("data-dag") for row in all_css(driver, "table.dags tr[data-dag]")}
    assert shown == FIXTURE_DAGS
    for dag_id in FIXTURE_DAGS:
        assert all_css(driver, f'tr[data-dag="{dag_id}"] a[href="/dags/{dag_id}/trigger"]')
        assert all_css(driver, f'tr[data-dag="{dag_id}"] input[data-pause]')


def test_trigger_with_params_then_watch_the_grid_turn_to_success_live(server, driver, api):
    # Open the form from the DAG list.
    visit(driver, server.url + "/dags", None)
    css(driver, 'a[href="/dags/ui_gate/trigger"]').click()
    wait(driver).until(lambda d: path_of(d) == "/dags/ui_gate/trigger")
    shot(driver, "trigger-form")
    count = css(driver, 'form.trigger input[name="param.count"]')
    assert count.get_attribute("value") == "2", "the default is filled in"

    # A value the browser lets through but the server refuses: its message beside the field.
    count.clear()
    count.send_keys("99999999999999999999")
    css(driver, "form.trigger button[type=submit]").click()
    error = wait(driver).until(lambda d: all_css(d, '.field-error[data-error-for="count"]'))[0]
    shot(driver, "trigger-form-error")
    console_errors(driver)  # the 400 of the refused form is logged by the browser
    assert "whole number" in error.text and "99999999999999999999" in error.text
    assert all_css(driver, ".notice.error")
    assert error.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, 'input[name="param.count"]'), "beside the field"
    assert not api.get("/api/v2/dags/ui_gate/dagRuns")["dag_runs"], "nothing was triggered"

    # Good values: the run is made with them as its conf, and the grid opens.
    count = css(driver, 'form.trigger input[name="param.count"]')
    count.clear()
    count.send_keys("3")
    note = css(driver, 'form.trigger input[name="param.note"]')
    note.clear()
    note.send_keys("<b>hello</b> & bye")
    Select(css(driver, 'form.trigger select[name="param.loud"]')).select_by_value("true")
    css(driver, "form.trigger button[type=submit]").click()
    wait(driver).until(lambda d: path_of(d) == "/dags/ui_gate/grid")
    run_id = urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)["triggered"][0]
    run = api.get(f"/api/v2/dags/ui_gate/dagRuns/{urllib.parse.quote(run_id, safe='')}")
    assert run["conf"] == {"count": 3, "note": "<b>hello</b> & bye", "loud": True}

    # The run is shown running (its first task waits for the variable), the stream is live.
    wait(driver, 30).until(lambda d: run_state(d, run_id) == "running")
    wait(driver).until(lambda d: css(d, "[data-live-status]").text == "live")
    shot(driver, "grid-running")
    driver.execute_script("window.__updraftMarker = 'kept';")

    # Open the gate through the API; the grid follows the store without a reload.
    api.set_variable("ui_gate_open", "yes")
    try:
        wait(driver, 60).until(lambda d: run_state(d, run_id) == "success")
    finally:
        api.send("DELETE", "/api/v2/variables/ui_gate_open")
    shot(driver, "grid-success")
    assert driver.execute_script("return window.__updraftMarker") == "kept", "the page was reloaded"
    assert wait_for_run_end(api, "ui_gate", run_id)["state"] == "success"
    for row in ("wait", "parts", "done"):
        assert "s-success" in (live_attribute(driver, f'tr[data-row="{row}"] td a', "class") or "").split()

    # The factory group expands in place: one row per part (count = 3), no navigation.
    toggle = 'a.tree[data-toggle="parts"]'
    assert live_attribute(driver, toggle, "aria-expanded") == "false"
    click_live(driver, toggle)
    children = live_rows(driver, 'tr[data-in="parts"]')
    shot(driver, "grid-group-expanded")
    assert sorted(row for row, _ in children) == ["parts.part1", "parts.part2", "parts.part3"]
    assert live_attribute(driver, toggle, "aria-expanded") == "true"
    assert path_of(driver) == "/dags/ui_gate/grid"
    assert driver.execute_script("return window.__updraftMarker") == "kept", "expanding navigated"
    for _, classes in children:
        assert "s-success" in classes
    assert not console_errors(driver)

    # The param reached the tasks: the loud part logs the note, as text.
    click_live(driver, 'tr[data-row="parts.part1"] td a')
    wait(driver).until(lambda d: path_of(d).endswith("/tasks/parts.part1"))
    shot(driver, "task-part1")
    assert "part1: <b>hello</b> & bye" in css(driver, "pre.log").text


def test_a_failed_try_shows_its_log_and_clearing_runs_it_again(server, driver, api):
    run_id = api.trigger("api_flaky")
    assert wait_for_run_end(api, "api_flaky", run_id)["state"] == "failed"

    # From the grid to the failed cell's task page.
    visit(driver, server.url + "/dags/api_flaky/grid", "grid-flaky-failed")
    assert run_state(driver, run_id) == "failed"
    click_live(driver, 'tr[data-row="check"] td a.s-failed')
    wait(driver).until(lambda d: path_of(d).endswith("/tasks/check"))
    shot(driver, "task-failed")
    assert not console_errors(driver)
    log = css(driver, "pre.log").text
    assert "api_flaky_ok is unset" in log
    assert "the variable api_flaky_ok is not 'yes'" in css(driver, "table.tries").text + log
    assert [r.get_attribute("data-try") for r in all_css(driver, "table.tries tr[data-try]")] == ["1"]

    # Let it pass, clear it with its downstream, and watch the grid.
    api.set_variable("api_flaky_ok", "yes")
    try:
        clear = css(driver, "form[data-action=clear]")
        clear.find_element(By.CSS_SELECTOR, "input[name=downstream]").click()
        clear.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(driver).until(staleness_of(clear))
        assert path_of(driver).endswith("/tasks/check")
        shot(driver, "task-cleared")
        visit(driver, server.url + "/dags/api_flaky/grid", None)
        wait(driver, 60).until(lambda d: run_state(d, run_id) == "success")
        shot(driver, "grid-flaky-success")
    finally:
        api.send("DELETE", "/api/v2/variables/api_flaky_ok")

    click_live(driver, 'tr[data-row="check"] td a.s-success')
    wait(driver).until(lambda d: path_of(d).endswith("/tasks/check"))
    shot(driver, "task-second-try")
    tries = {r.get_attribute("data-try"): r for r in all_css(driver, "table.tries tr[data-try]")}
    assert sorted(tries) == ["1", "2"]
    assert tries["1"].find_elements(By.CSS_SELECTOR, ".s-failed") and tries["2"].find_elements(By.CSS_SELECTOR, ".s-success")
    assert "api_flaky_ok is yes" in css(driver, "pre.log").text
    facts = dict(zip((e.text for e in all_css(driver, "dl.facts dt")), (e.text for e in all_css(driver, "dl.facts dd"))))
    assert facts["Try"] == "#2", f"the facts say Try {facts['Try']!r}"
    assert facts["Retries"] == "0 allowed", f"the facts say Retries {facts['Retries']!r}"
    # Try 1's log is still there.
    tries["1"].find_element(By.CSS_SELECTOR, "a").click()
    wait(driver).until(lambda d: "try=1" in d.current_url)
    shot(driver, "task-first-try")
    assert "api_flaky_ok is unset" in css(driver, "pre.log").text


def test_pause_a_dag_from_the_list(server, driver, api):
    visit(driver, server.url + "/dags", None)
    row = css(driver, 'tr[data-dag="api_params"]')
    switch = row.find_element(By.CSS_SELECTOR, "input[data-pause]")
    label = row.find_element(By.CSS_SELECTOR, "[data-pause-label]")
    assert api.get("/api/v2/dags/api_params")["is_paused"] is False and label.text == "active"
    switch.click()
    try:
        wait(driver).until(lambda d: label.text == "paused")
        shot(driver, "dags-paused")
        assert api.get("/api/v2/dags/api_params")["is_paused"] is True
        visit(driver, server.url + "/dags", None)
        assert css(driver, 'tr[data-dag="api_params"] [data-pause-label]').text == "paused", "it stays paused"
    finally:
        api.send("PATCH", "/api/v2/dags/api_params", {"is_paused": False})
    assert not console_errors(driver)


def test_a_viewer_sees_no_trigger_button_nor_actions(server, viewer_driver, api):
    d = viewer_driver
    visit(d, server.url + "/dags", "dags-viewer")
    assert all_css(d, "table.dags tr[data-dag]")
    assert not all_css(d, 'a[href$="/trigger"]')
    assert not all_css(d, "input[data-pause]"), "the switches only show the state"
    assert all(box.get_attribute("disabled") for box in all_css(d, "table.dags input[role=switch]"))
    run_id = api.trigger("api_params", {"n": 4})
    wait_for_run_end(api, "api_params", run_id)
    visit(d, server.url + f"/dags/api_params/runs/{urllib.parse.quote(run_id, safe='')}/tasks/compute", "task-viewer")
    assert all_css(d, "table.tries tr[data-try]") and "computing 4 * 2" in css(d, "pre.log").text
    assert not all_css(d, "form[data-action]")
    visit(d, server.url + "/dags/api_params/trigger", "trigger-viewer", console=False)
    assert "403" in d.find_element(By.TAG_NAME, "body").text


def test_a_form_post_without_the_csrf_token_is_refused(server, driver, api):
    visit(driver, server.url + "/dags/api_params/trigger", None)
    token = css(driver, 'form.trigger input[name="csrf_token"]').get_attribute("value")
    before = len(api.get("/api/v2/dags/api_params/dagRuns")["dag_runs"])
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, body = status_of(driver, server.url + "/dags/api_params/trigger", "POST", b"param.n=5", form)
    assert status == 403 and "CSRF" in body
    status, _ = status_of(driver, server.url + "/dags/api_params/trigger", "POST", b"param.n=5&csrf_token=wrong", form)
    assert status == 403
    assert len(api.get("/api/v2/dags/api_params/dagRuns")["dag_runs"]) == before
    # The same post with the page's token goes through (so the token is what was missing).
    status, _ = status_of(
        driver, server.url + "/dags/api_params/trigger", "POST", b"param.n=5&csrf_token=" + token.encode(), form
    )
    assert status in (302, 303)
    assert len(api.get("/api/v2/dags/api_params/dagRuns")["dag_runs"]) == before + 1


def test_the_other_pages_open_without_console_errors(server, driver, api):
    run_id = api.trigger("api_groups")
    wait_for_run_end(api, "api_groups", run_id)
    quoted = urllib.parse.quote(run_id, safe="")
    visit(driver, server.url + "/operations", "operations")
    assert all_css(driver, "table.pools tr[data-pool]")
    visit(driver, server.url + "/assets", "assets")
    visit(driver, server.url + "/dags/api_groups/grid", "grid-groups")
    click_live(driver, 'a.tree[data-toggle="per_item"]')
    wait(driver).until(lambda d: len(all_css(d, 'tr[data-in="per_item"]')) == 3)
    shot(driver, "grid-groups-expanded")
    assert not console_errors(driver)
    visit(driver, server.url + f"/dags/api_groups/runs/{quoted}/tasks/per_item.beta", "task-group-member")
    assert "item beta" in css(driver, "pre.log").text
    links = [a.get_attribute("href") for a in all_css(driver, "table.assets a[href^='/assets/']")]
    for href in links[:1]:
        visit(driver, href, "asset")


def test_the_run_page_opens_without_console_errors(server, driver, api):
    run_id = api.trigger("api_groups")
    wait_for_run_end(api, "api_groups", run_id)
    url = server.url + f"/dags/api_groups/runs/{urllib.parse.quote(run_id, safe='')}"
    require_page(driver, url, "run")
    visit(driver, url, "run")
    assert run_id in driver.find_element(By.TAG_NAME, "main").text


def test_the_graph_page_opens_without_console_errors(server, driver, api):
    url = server.url + "/dags/api_groups/graph"
    require_page(driver, url, "graph")
    visit(driver, url, "graph")
    assert all_css(driver, "svg")
    run_id = api.trigger("api_groups")
    wait_for_run_end(api, "api_groups", run_id)
    visit(driver, url + "?run_id=" + urllib.parse.quote(run_id, safe=""), "graph-run")
    assert all_css(driver, "svg .s-success, svg [class*='s-success']"), "nodes coloured by the run's states"
