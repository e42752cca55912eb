"""schemathesis against the served /openapi.json of a real server, bounded to keep CI short:
no 5xx, and every answer (status, content type, headers, body) matches the document."""

import os
import subprocess
import sys
import tempfile
import time

from conftest import BINARY, Server, get, post_json, token

MAX_EXAMPLES = os.environ.get("UPDRAFT_SCHEMATHESIS_EXAMPLES", "15")
# schemathesis keeps a cache in its working directory: under .build/, with what tests generate.
WORK = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), ".build", "schemathesis")
os.makedirs(WORK, exist_ok=True)


# Second pass: path parameters that name real things (a DAG, a finished run, a task, its try
# and its XCom), so the operations behind them are exercised, not only their 404s.
KNOWN = """
[parameters]
"path.dag_id" = "api_params"
"path.dag_run_id" = "st_run"
"path.task_id" = "compute"
"path.try_number" = "1"
"path.task_try_number" = "1"
"path.xcom_key" = "return_value"
"path.version_number" = "1"
"""


def finished_run(server, bearer):
    """Triggers `api_params` as run `st_run` and waits for it to end."""
    headers = {"Authorization": "Bearer " + bearer}
    status, body = post_json(server.url + "/api/v2/dags/api_params/dagRuns", {"dag_run_id": "st_run", "logical_date": None}, headers)
    assert status == 200, body
    for _ in range(600):
        _, _, raw = get(server.url + "/api/v2/dags/api_params/dagRuns/st_run", headers)
        if b'"state":"success"' in raw:
            return
        time.sleep(0.1)
    raise AssertionError("st_run did not succeed")


def market_pass():
    """The market routes of the real `updraft` binary (an empty warehouse: lists, 404s, 422s)."""
    binary = os.path.join(os.path.dirname(BINARY), "updraft")
    server = Server(binary=binary, command="api-server")
    try:
        command = [
            os.path.join(os.path.dirname(sys.executable), "schemathesis"), "run", server.url + "/openapi.json",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_headers_conformance,response_schema_conformance",
            "--header", "Authorization: Bearer " + token(server),
            "--max-examples", MAX_EXAMPLES, "--request-timeout", "20", "--workers", "2", "--generation-deterministic",
            "--include-path-regex", "^/api/market/",
        ]
        result = subprocess.run(command, cwd=WORK)
        if result.returncode != 0:
            report(server)
        return result.returncode
    finally:
        server.stop()


def main():
    return engine_pass() or market_pass()


def report(server):
    """The server's crash lines, if any, then the end of its log."""
    log = server.read_log()
    for line in log.splitlines():
        if any(word in line for word in ("Fatal error", "Assertion failed", "Precondition failed", "crashed")):
            print(line)
    print(log[-5000:])


def engine_pass():
    server = Server()
    try:
        bearer = token(server)
        finished_run(server, bearer)
        command = [
            os.path.join(os.path.dirname(sys.executable), "schemathesis"), "run", server.url + "/openapi.json",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_headers_conformance,response_schema_conformance",
            "--header", "Authorization: Bearer " + bearer,
            "--max-examples", MAX_EXAMPLES,
            "--request-timeout", "20",
            "--workers", "2",
            "--generation-deterministic",
            # The wait stream follows a run to its end: generated ids name no run, real ones would block.
            "--exclude-path-regex", r".*/wait$",
        ]
        result = subprocess.run(command, cwd=WORK)
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as config:
            config.write(KNOWN)
        known = subprocess.run([command[0], "--config-file", config.name] + command[1:], cwd=WORK)
        os.unlink(config.name)
        if result.returncode != 0 or known.returncode != 0:
            report(server)
        return result.returncode or known.returncode
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
