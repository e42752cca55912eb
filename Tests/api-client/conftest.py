"""Starts a real `updraft-api-fixture standalone` (scheduler + API server) on a free loopback
port, over a fresh home, with an admin and a viewer user made through the CLI."""

import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import airflow_client.client as client
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("UPDRAFT_API_FIXTURE", os.path.join(ROOT, ".build", "debug", "updraft-api-fixture"))
ADMIN_PASSWORD = "admin-password-1"
VIEWER_PASSWORD = "viewer-password-1"


class Server:
    def __init__(self, binary=None, command="standalone", home=None):
        binary = binary or BINARY
        self.home = home or tempfile.mkdtemp(prefix="updraft-api-")
        # Low bcrypt cost keeps logins fast in tests; the default is 12.
        with open(os.path.join(self.home, "updraft.yaml"), "w") as f:
            f.write("api:\n  bcrypt_cost: 4\nparallelism: 2\n")
        os.chmod(os.path.join(self.home, "updraft.yaml"), 0o600)
        self.binary = binary
        self.env = dict(os.environ, UPDRAFT_HOME=self.home)
        # Nothing started here may reach a real exchange: a closed loopback port instead.
        for key in ("COINGECKO", "BINANCE", "ARCHIVE", "ARCHIVE_LISTING"):
            self.env[f"UPDRAFT_ENDPOINTS_{key}"] = "http://127.0.0.1:9"
        self.cli("users", "add", "admin", "--role", "admin", stdin=ADMIN_PASSWORD + "\n")
        self.cli("users", "add", "viewer", "--role", "viewer", stdin=VIEWER_PASSWORD + "\n")
        self.log = open(os.path.join(self.home, "server.log"), "w+")
        self.process = subprocess.Popen(
            [binary, command, "--port", "0"], env=self.env, stdout=subprocess.PIPE, stderr=self.log, text=True
        )
        line = self.process.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert match, f"no address in {line!r}; log: {self.read_log()}"
        self.url = match.group(1)

    def cli(self, *args, stdin=None):
        result = subprocess.run([self.binary, *args], env=self.env, input=stdin, capture_output=True, text=True)
        assert result.returncode == 0, f"{args}: {result.stderr}"
        return result.stdout

    def read_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()
    assert s.process.returncode == 0, s.read_log()


def post_json(url, body, headers=None):
    """POST a JSON body; returns (status, parsed body)."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}, method="POST"
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def token(server, username="admin", password=ADMIN_PASSWORD):
    """A JWT from POST /auth/token, as Airflow's README shows (the client has no call for it)."""
    status, body = post_json(server.url + "/auth/token", {"username": username, "password": password})
    assert status == 201, body
    return body["access_token"]


@pytest.fixture(scope="session")
def api(server):
    """An ApiClient of the official client, authenticated as admin."""
    configuration = client.Configuration(host=server.url, access_token=token(server))
    with client.ApiClient(configuration) as api_client:
        yield api_client


def wait_for_run(api, dag_id, run_id, timeout=120):
    runs = client.DagRunApi(api)
    deadline = time.time() + timeout
    while time.time() < deadline:
        run = runs.get_dag_run(dag_id, run_id)
        if run.state.value in ("success", "failed"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {dag_id}/{run_id} did not end")
