"""Authentication and authorisation against a server of their own (the login throttle is per
address, and every test here comes from 127.0.0.1)."""

import base64
import json

import pytest

from conftest import ADMIN_PASSWORD, VIEWER_PASSWORD, Server, get, post_json, token


@pytest.fixture(scope="module")
def auth_server():
    s = Server()
    yield s
    s.stop()


def test_no_token_is_401(auth_server):
    status, headers, body = get(auth_server.url + "/api/v2/dags")
    assert status == 401 and json.loads(body)["detail"]
    assert headers["WWW-Authenticate"] == "Bearer"


def test_tampered_and_garbage_tokens_are_401(auth_server):
    good = token(auth_server)
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    claims["sub"] = "viewer"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    for bad in (f"{header}.{forged}.{signature}", "not-a-token", good[:-2] + ("AA" if not good.endswith("AA") else "BB")):
        status, _, _ = get(auth_server.url + "/api/v2/dags", {"Authorization": "Bearer " + bad})
        assert status == 401


def test_viewer_reads_but_may_not_trigger_or_change_pools(auth_server):
    viewer = {"Authorization": "Bearer " + token(auth_server, "viewer", VIEWER_PASSWORD)}
    status, _, _ = get(auth_server.url + "/api/v2/dags", viewer)
    assert status == 200
    status, body = post_json(auth_server.url + "/api/v2/dags/api_params/dagRuns", {"logical_date": None}, viewer)
    assert status == 403 and "viewer" in body["detail"]
    status, _ = post_json(auth_server.url + "/api/v2/pools", {"name": "p", "slots": 1}, viewer)
    assert status == 403


def test_revoked_token_is_401(auth_server):
    auth_server.cli("users", "add", "temp", "--role", "user", stdin="temp-password-1\n")
    issued = token(auth_server, "temp", "temp-password-1")
    headers = {"Authorization": "Bearer " + issued}
    assert get(auth_server.url + "/api/v2/dags", headers)[0] == 200
    auth_server.cli("users", "revoke", "temp")
    assert get(auth_server.url + "/api/v2/dags", headers)[0] == 401
    fresh = token(auth_server, "temp", "temp-password-1")
    assert get(auth_server.url + "/api/v2/dags", {"Authorization": "Bearer " + fresh})[0] == 200
    auth_server.cli("users", "remove", "temp")
    assert get(auth_server.url + "/api/v2/dags", {"Authorization": "Bearer " + fresh})[0] == 401


def test_malformed_bodies_are_422_in_fastapis_shape(auth_server):
    admin = {"Authorization": "Bearer " + token(auth_server)}
    status, body = post_json(auth_server.url + "/api/v2/dags/api_params/dagRuns", {"logical_date": None, "bogus": 1}, admin)
    assert status == 422
    assert body["detail"][0]["type"] == "extra_forbidden" and body["detail"][0]["loc"] == ["body", "bogus"]
    status, body = post_json(auth_server.url + "/api/v2/pools", {"name": "p"}, admin)
    assert status == 422 and body["detail"][0]["loc"] == ["body", "slots"] and body["detail"][0]["type"] == "missing"
    status, _, raw = get(auth_server.url + "/api/v2/dags?limit=abc", admin)
    assert status == 422 and json.loads(raw)["detail"][0]["loc"] == ["query", "limit"]


def test_limit_past_the_maximum_is_clamped(auth_server):
    admin = {"Authorization": "Bearer " + token(auth_server)}
    for _ in range(3):
        post_json(auth_server.url + "/api/v2/dags/api_params/dagRuns", {"logical_date": None}, admin)
    status, _, raw = get(auth_server.url + "/api/v2/dags/~/dagRuns?limit=100000", admin)
    assert status == 200 and len(json.loads(raw)["dag_runs"]) <= 100


def test_no_secret_in_logs_or_outputs(auth_server):
    token(auth_server)
    listing = auth_server.cli("users", "list", "--json")
    shown = auth_server.cli("config", "show")
    log = auth_server.read_log()
    for text in (listing, shown, log):
        assert ADMIN_PASSWORD not in text and VIEWER_PASSWORD not in text
        assert "$2b$" not in text and "$2a$" not in text  # no bcrypt hash either
    # The store keeps bcrypt hashes only.
    with open(auth_server.home + "/updraft.db", "rb") as database:
        assert ADMIN_PASSWORD.encode() not in database.read()


def test_bad_password_is_401_then_rate_limited(auth_server):
    statuses = [post_json(auth_server.url + "/auth/token", {"username": "admin", "password": "wrong"})[0] for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    # Even the right password waits out the window.
    assert post_json(auth_server.url + "/auth/token", {"username": "admin", "password": ADMIN_PASSWORD})[0] == 429
