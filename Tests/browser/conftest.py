"""Real-browser tests of the web UI: Debian's headless chromium driven by selenium through Debian's
chromedriver (nothing is downloaded), against the API tests' real `updraft-api-fixture standalone`
server (fresh home, users admin and viewer made through the CLI, endpoints on a closed loopback
port) and, for the market pages, `updraft api-server` over a home the demo filled. Every page a
test visits is saved as `.build/screenshots/NAME.png`. Tests wait on conditions, never on time."""

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCREENSHOTS = os.path.join(ROOT, ".build", "screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
UPDRAFT = os.environ.get("UPDRAFT_BINARY", os.path.join(ROOT, ".build", "debug", "updraft"))
os.environ.setdefault("SE_OFFLINE", "true")

# The API tests' server and HTTP helpers, loaded under a name of their own (both files are
# called conftest).
_spec = importlib.util.spec_from_file_location("api_client_support", os.path.join(ROOT, "Tests", "api-client", "conftest.py"))
support = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(support)
Server, ADMIN_PASSWORD, VIEWER_PASSWORD = support.Server, support.ADMIN_PASSWORD, support.VIEWER_PASSWORD


# Servers


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    # The browsers have quit by now (their fixture ends first), so no page holds a stream open.
    try:
        s.stop()
    except subprocess.TimeoutExpired:
        pytest.fail("the server did not stop within 30 s of SIGTERM once the browsers had quit; log:\n" + s.read_log()[-2000:])
    assert s.process.returncode == 0, s.read_log()


class API:
    """The REST API as admin, with a bearer token from POST /auth/token."""

    def __init__(self, server, username="admin", password=ADMIN_PASSWORD):
        self.url = server.url
        self.headers = {"Authorization": "Bearer " + support.token(server, username, password)}

    def get(self, path):
        status, _, body = support.get(self.url + path, self.headers)
        assert status == 200, f"GET {path}: {status} {body[:300]!r}"
        return json.loads(body)

    def send(self, method, path, body=None):
        request = urllib.request.Request(
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **self.headers},
            method=method,
        )
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def set_variable(self, key, value):
        self.send("DELETE", "/api/v2/variables/" + key)
        status, body = self.send("POST", "/api/v2/variables", {"key": key, "value": value})
        assert status == 201, body

    def trigger(self, dag_id, conf=None):
        status, body = self.send("POST", f"/api/v2/dags/{dag_id}/dagRuns", {"logical_date": None, "conf": conf or {}})
        assert status == 200, body
        return body["dag_run_id"]


@pytest.fixture(scope="session")
def api(server):
    return API(server)


def wait_for_run_end(api, dag_id, run_id, timeout=90):
    """The run once it has ended (polled through the API, not the page under test)."""
    return until(
        lambda: (lambda run: run if run["state"] in ("success", "failed") else None)(
            api.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")
        ),
        timeout,
        f"run {dag_id}/{run_id} to end",
    )


def until(condition, timeout, what):
    """Polls `condition` (a WebDriverWait over no driver) until it returns something truthy."""
    return WebDriverWait(None, timeout, poll_frequency=0.2).until(lambda _: condition(), f"timed out waiting for {what}")


# Browsers


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        # Nothing but the servers under test: no updates, sync, translation or safe-browsing calls.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-features=Translate,OptimizationHints,MediaRouter,PasswordLeakDetection",
        "--no-first-run",
        "--no-default-browser-check",
        "--password-store=basic",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="session")
def browsers():
    """Makes browsers on demand and quits them all at the end."""
    made = []

    def new():
        made.append(make_driver())
        return made[-1]

    yield new
    for driver in made:
        driver.quit()


@pytest.fixture(scope="session", autouse=True)
def screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    os.makedirs(SCREENSHOTS)


def login(driver, base, username, password, name=None):
    visit(driver, base + "/login", name)
    driver.find_element(By.CSS_SELECTOR, "input[name=username]").clear()
    driver.find_element(By.CSS_SELECTOR, "input[name=username]").send_keys(username)
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


@pytest.fixture(scope="session")
def driver(server, browsers):
    """A browser signed in as admin."""
    d = browsers()
    login(d, server.url, "admin", ADMIN_PASSWORD)
    wait(d).until(lambda d: path_of(d) == "/dags", "admin did not land on /dags")
    console_errors(d)
    return d


@pytest.fixture(scope="session")
def viewer_driver(server, browsers):
    """A browser signed in as viewer."""
    d = browsers()
    login(d, server.url, "viewer", VIEWER_PASSWORD)
    wait(d).until(lambda d: path_of(d) == "/dags", "viewer did not land on /dags")
    console_errors(d)
    return d


# Pages


def wait(driver, timeout=20):
    """Waits on a condition; an element the live page replaced mid-read makes it look again."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException])


def path_of(driver):
    return urllib.parse.urlsplit(driver.current_url).path


def shot(driver, name):
    driver.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))


def console_errors(driver):
    """The SEVERE entries of the browser's console since the last call (reading drains them)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def visit(driver, url, name, console=True):
    """Opens `url`, waits until it has loaded, saves its screenshot as NAME.png (when named) and,
    unless `console` is False (a page answered with an error status logs it), checks the console
    has no errors."""
    console_errors(driver)
    driver.get(url)
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if name:
        shot(driver, name)
    if console:
        errors = console_errors(driver)
        assert not errors, f"console errors on {url}: {errors}"
    return driver


def status_of(driver, url, method="GET", data=None, headers=None):
    """The status of a request made outside the browser with its session cookie (no redirects
    followed); returns (status, body)."""
    cookie = driver.get_cookie("updraft_session")
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Cookie": "updraft_session=" + cookie["value"], **(headers or {})}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def require_page(driver, url, page):
    """Skips (naming the page) while the route is not served at all; any other answer is tested."""
    status, _ = status_of(driver, url)
    if status == 404:
        pytest.skip(f"the {page} page ({urllib.parse.urlsplit(url).path}) is not served yet (404)")


# The market: `updraft api-server` over a home filled by `updraft demo`


def market_home():
    """A home with candles, indicators, models and predictions, made by `updraft demo` (the whole
    pipeline against its embedded fake exchange on 127.0.0.1; a few minutes), with the users
    admin and viewer. Kept in .build/browser-market-home and reused (the market's data does not
    change with the UI; delete the folder to make it again); UPDRAFT_MARKET_HOME names another
    home the demo filled (the users are added to it once)."""
    given = os.environ.get("UPDRAFT_MARKET_HOME")
    home = given or os.path.join(ROOT, ".build", "browser-market-home")
    ready = os.path.join(home, ".browser-tests-ready")
    if os.path.exists(ready):
        return home
    env = dict(os.environ)
    for key in ("COINGECKO", "BINANCE", "ARCHIVE", "ARCHIVE_LISTING"):
        env[f"UPDRAFT_ENDPOINTS_{key}"] = "http://127.0.0.1:9"
    if not given:
        shutil.rmtree(home, ignore_errors=True)
        demo = subprocess.run(
            [UPDRAFT, "demo", "--home", home, "--parallelism", "2", "--timeout", "600"], env=env, capture_output=True, text=True
        )
        assert demo.returncode == 0, f"updraft demo failed:\n{demo.stdout[-3000:]}\n{demo.stderr[-3000:]}"
    config = os.path.join(home, "updraft.yaml")
    with open(config, "w") as f:
        f.write("api:\n  bcrypt_cost: 4\n")
    os.chmod(config, 0o600)
    env["UPDRAFT_HOME"] = home
    for user, role, password in (("admin", "admin", ADMIN_PASSWORD), ("viewer", "viewer", VIEWER_PASSWORD)):
        added = subprocess.run([UPDRAFT, "users", "add", user, "--role", role], env=env, input=password + "\n", capture_output=True, text=True)
        assert added.returncode == 0, added.stderr
    open(ready, "w").close()
    return home


class MarketServer:
    """`updraft api-server --port 0` over the market home (no scheduler: the data stays put)."""

    def __init__(self, home):
        self.home = home
        env = dict(os.environ, UPDRAFT_HOME=self.home)
        for key in ("COINGECKO", "BINANCE", "ARCHIVE", "ARCHIVE_LISTING"):
            env[f"UPDRAFT_ENDPOINTS_{key}"] = "http://127.0.0.1:9"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="updraft-market-", suffix=".log", delete=False)
        self.process = subprocess.Popen([UPDRAFT, "api-server", "--port", "0"], env=env, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert match, f"no address in {line!r}; log: {open(self.log.name).read()}"
        self.url = match.group(1)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def market_server():
    # Filling the home takes minutes: first ask a server over an empty home whether the binary
    # serves the market pages at all (a page without a session redirects to /login; no route: 404).
    probe = MarketServer(tempfile.mkdtemp(prefix="updraft-market-probe-"))
    try:
        status = support.get(probe.url + "/market")[0]
    finally:
        probe.stop()
    if status == 404:
        pytest.skip(f"the market pages (/market) are not served yet by {UPDRAFT} (404)")
    s = MarketServer(market_home())
    yield s
    s.stop()


@pytest.fixture(scope="session")
def market_api(market_server):
    return API(market_server)


@pytest.fixture(scope="session")
def market_driver(market_server, browsers):
    d = browsers()
    login(d, market_server.url, "admin", ADMIN_PASSWORD)
    wait(d).until(lambda d: path_of(d) == "/dags", "admin did not land on /dags")
    console_errors(d)
    return d
