"""The official apache-airflow-client 3.3.2 driving a real Updraft API server. The client
decodes every answer into its pydantic models, so a field, type, enum value or status code that
differs from Airflow's fails these tests."""

import time
import uuid

import airflow_client.client as client
import pytest
from airflow_client.client.rest import ApiException

from conftest import wait_for_run


def test_health_and_version_are_public(server):
    configuration = client.Configuration(host=server.url)
    with client.ApiClient(configuration) as anonymous:
        health = client.MonitorApi(anonymous).get_health()
        assert health.metadatabase.status == "healthy"
        assert health.scheduler.status == "healthy"
        version = client.VersionApi(anonymous).get_version()
        assert version.version


def test_list_dags_with_filters_and_paging(api):
    dags = client.DAGApi(api)
    listed = dags.get_dags()
    assert {"api_params", "api_groups", "api_flaky", "api_daily"} <= {d.dag_id for d in listed.dags}
    assert listed.total_entries == len(listed.dags)
    tagged = dags.get_dags(tags=["daily"])
    assert [d.dag_id for d in tagged.dags] == ["api_daily"]
    page = dags.get_dags(limit=2, offset=1, order_by=["dag_id"])
    assert len(page.dags) == 2 and page.total_entries == listed.total_entries
    assert [d.dag_id for d in page.dags] == sorted(d.dag_id for d in listed.dags)[1:3]
    assert [d.dag_id for d in dags.get_dags(dag_id_pattern="flak").dags] == ["api_flaky"]
    detail = dags.get_dag_details("api_params")
    assert detail.params["n"]["value"] == 3
    assert detail.latest_dag_version.version_number >= 1


def test_pause_and_unpause(api):
    dags = client.DAGApi(api)
    paused = dags.patch_dag("api_params", client.DAGPatchBody(is_paused=True), update_mask=["is_paused"])
    assert paused.is_paused is True
    assert [d.dag_id for d in dags.get_dags(paused=True).dags if d.dag_id == "api_params"] == ["api_params"]
    unpaused = dags.patch_dag("api_params", client.DAGPatchBody(is_paused=False))
    assert unpaused.is_paused is False
    logs = client.EventLogApi(api).get_event_logs(dag_id="api_params")
    assert {"pause_dag", "unpause_dag"} <= {e.event for e in logs.event_logs}
    assert all(e.owner == "admin" for e in logs.event_logs if e.event in ("pause_dag", "unpause_dag"))


def test_trigger_with_conf_wait_and_read_results(api):
    runs = client.DagRunApi(api)
    run_id = "api_test_" + uuid.uuid4().hex[:8]
    triggered = runs.trigger_dag_run(
        "api_params",
        client.TriggerDAGRunPostBody(dag_run_id=run_id, logical_date=None, conf={"n": 21, "label": "client"}, note="from the client"),
    )
    assert triggered.dag_run_id == run_id
    assert triggered.conf == {"n": 21, "label": "client"}
    assert triggered.triggered_by.value == "rest_api"
    assert triggered.triggering_user_name == "admin"
    assert triggered.note == "from the client"
    assert triggered.logical_date is not None
    assert [v.version_number for v in triggered.dag_versions] == [1]
    finished = wait_for_run(api, "api_params", run_id)
    assert finished.state.value == "success"
    tis = client.TaskInstanceApi(api)
    instances = tis.get_task_instances("api_params", run_id)
    assert {t.task_id: t.state.value for t in instances.task_instances} == {"compute": "success", "report": "success"}
    xcom = client.XComApi(api).get_xcom_entry("api_params", "compute", run_id, "return_value")
    assert xcom.actual_instance.value == 42
    listed = runs.get_dag_runs("~", state=["success"], order_by=["-start_date"])
    assert run_id in {r.dag_run_id for r in listed.dag_runs}


def test_wait_stream_ends_with_the_final_state(api, server):
    runs = client.DagRunApi(api)
    run = runs.trigger_dag_run("api_params", client.TriggerDAGRunPostBody(logical_date=None))
    from conftest import get, token

    status, headers, body = get(
        f"{server.url}/api/v2/dags/api_params/dagRuns/{run.dag_run_id}/wait?interval=1&result=compute",
        {"Authorization": "Bearer " + token(server)},
    )
    assert status == 200 and headers["Content-Type"].startswith("application/x-ndjson")
    lines = [line for line in body.decode().splitlines() if line]
    import json

    last = json.loads(lines[-1])
    assert last["state"] == "success" and last["results"]["compute"] == 6


def test_factory_group_tasks_have_dotted_ids_and_filter_by_group(api):
    runs = client.DagRunApi(api)
    run = runs.trigger_dag_run("api_groups", client.TriggerDAGRunPostBody(logical_date=None))
    assert wait_for_run(api, "api_groups", run.dag_run_id).state.value == "success"
    tis = client.TaskInstanceApi(api)
    every = {t.task_id for t in tis.get_task_instances("api_groups", run.dag_run_id).task_instances}
    assert {"items", "per_item.alpha", "per_item.beta", "per_item.gamma", "summary"} <= every
    grouped = tis.get_task_instances("api_groups", run.dag_run_id, task_group_id="per_item")
    assert {t.task_id for t in grouped.task_instances} == {"per_item.alpha", "per_item.beta", "per_item.gamma"}
    one = tis.get_task_instance("api_groups", run.dag_run_id, "per_item.beta")
    assert one.state.value == "success" and one.try_number == 1


def test_logs_of_a_try_and_continuation(api):
    runs = client.DagRunApi(api)
    run = runs.trigger_dag_run("api_params", client.TriggerDAGRunPostBody(logical_date=None, conf={"n": 5}))
    wait_for_run(api, "api_params", run.dag_run_id)
    tis = client.TaskInstanceApi(api)
    log = tis.get_log("api_params", run.dag_run_id, "compute", 1)
    events = [m.actual_instance.event if hasattr(m, "actual_instance") else m.event for m in log.content.actual_instance]
    assert any("computing 5 * 2" in e for e in events)
    assert log.continuation_token
    rest = tis.get_log("api_params", run.dag_run_id, "compute", 1, token=log.continuation_token)
    assert len(rest.content.actual_instance) == 0
    tries = tis.get_task_instance_tries("api_params", run.dag_run_id, "compute")
    assert [t.try_number for t in tries.task_instances] == [1]


def test_clear_a_failed_task_and_see_it_rerun(api):
    variables = client.VariableApi(api)
    runs = client.DagRunApi(api)
    run = runs.trigger_dag_run("api_flaky", client.TriggerDAGRunPostBody(logical_date=None))
    failed = wait_for_run(api, "api_flaky", run.dag_run_id)
    assert failed.state.value == "failed"
    tis = client.TaskInstanceApi(api)
    deps = tis.get_task_instance("api_flaky", run.dag_run_id, "check")
    assert deps.state.value == "failed"
    variables.post_variable(client.VariableBody(key="api_flaky_ok", value="yes", description="lets api_flaky pass"))
    dry = tis.post_clear_task_instances("api_flaky", client.ClearTaskInstancesBody(dag_run_id=run.dag_run_id))
    # dry_run and only_failed by default; Airflow counts upstream_failed as failed here too.
    assert sorted(t.task_id for t in dry.task_instances) == ["after", "check"]
    assert tis.get_task_instance("api_flaky", run.dag_run_id, "check").state.value == "failed"
    cleared = tis.post_clear_task_instances(
        "api_flaky",
        client.ClearTaskInstancesBody(dag_run_id=run.dag_run_id, dry_run=False, include_downstream=True),
    )
    assert {t.task_id for t in cleared.task_instances} == {"check", "after"}
    rerun = wait_for_run(api, "api_flaky", run.dag_run_id)
    assert rerun.state.value == "success"
    check = tis.get_task_instance("api_flaky", run.dag_run_id, "check")
    assert check.state.value == "success" and check.try_number == 2
    tries = tis.get_task_instance_tries("api_flaky", run.dag_run_id, "check")
    assert [t.state.value for t in tries.task_instances] == ["failed", "success"]
    variables.delete_variable("api_flaky_ok")


def test_variables_crud_and_masking(api):
    variables = client.VariableApi(api)
    variables.post_variable(client.VariableBody(key="region", value="eu-west", description="where"))
    variables.post_variable(client.VariableBody(key="service_password", value="hunter2"))
    assert variables.get_variable("region").value == "eu-west"
    assert variables.get_variable("service_password").value == "***"
    patched = variables.patch_variable("region", client.VariableBody(key="region", value="us-east"))
    assert patched.value == "us-east"
    keys = {v.key for v in variables.get_variables().variables}
    assert {"region", "service_password"} <= keys
    variables.delete_variable("region")
    with pytest.raises(ApiException) as missing:
        variables.get_variable("region")
    assert missing.value.status == 404


def test_connections_crud_never_answers_a_password(api):
    connections = client.ConnectionApi(api)
    created = connections.post_connection(
        client.ConnectionBody(connection_id="warehouse_pg", conn_type="postgres", host="db.local", port=5432, login="etl", password="s3cret")
    )
    assert created.password == "***" and created.port == 5432
    fetched = connections.get_connection("warehouse_pg")
    assert fetched.host == "db.local" and fetched.password == "***"
    connections.delete_connection("warehouse_pg")


def test_pools_crud(api):
    pools = client.PoolApi(api)
    created = pools.post_pool(client.PoolBody(name="api_test_pool", slots=3, description="for tests"))
    assert created.slots == 3 and created.open_slots == 3
    patched = pools.patch_pool("api_test_pool", client.PoolPatchBody(slots=5), update_mask=["slots"])
    assert patched.slots == 5
    assert "default_pool" in {p.name for p in pools.get_pools().pools}
    pools.delete_pool("api_test_pool")
    with pytest.raises(ApiException) as gone:
        pools.get_pool("api_test_pool")
    assert gone.value.status == 404


def test_backfill_is_driven_by_the_scheduler(api):
    backfills = client.BackfillApi(api)
    client.DAGApi(api).patch_dag("api_daily", client.DAGPatchBody(is_paused=False))
    created = backfills.create_backfill(
        client.BackfillPostBody(
            dag_id="api_daily", from_date="2024-03-01T00:00:00Z", to_date="2024-03-03T00:00:00Z", max_active_runs=2
        )
    )
    assert created.dag_id == "api_daily" and created.max_active_runs == 2
    deadline = time.time() + 120
    while time.time() < deadline:
        current = backfills.get_backfill(created.id)
        if current.completed_at is not None:
            break
        time.sleep(0.3)
    assert current.completed_at is not None
    runs = client.DagRunApi(api).get_dag_runs("api_daily", run_type=["backfill"])
    assert sorted(r.logical_date.date().isoformat() for r in runs.dag_runs) == ["2024-03-01", "2024-03-02", "2024-03-03"]
    assert {r.state.value for r in runs.dag_runs} == {"success"}
    assert created.id in {b.id for b in backfills.list_backfills(dag_id="api_daily").backfills}
    client.DAGApi(api).patch_dag("api_daily", client.DAGPatchBody(is_paused=True))


def test_dag_versions(api):
    versions = client.DagVersionApi(api).get_dag_versions("api_params")
    assert [v.version_number for v in versions.dag_versions] == [1]
    one = client.DagVersionApi(api).get_dag_version("api_params", 1)
    assert one.dag_id == "api_params"


def test_assets_and_external_events(api):
    assets = client.AssetApi(api).get_assets()
    assert assets.total_entries == len(assets.assets)
    events = client.AssetApi(api).get_asset_events()
    assert events.total_entries == len(events.asset_events)


def test_errors_in_airflows_shape(api):
    runs = client.DagRunApi(api)
    with pytest.raises(ApiException) as unknown:
        runs.get_dag_run("api_params", "no_such_run")
    assert unknown.value.status == 404
    with pytest.raises(ApiException) as unknown_dag:
        client.DAGApi(api).get_dag("no_such_dag")
    assert unknown_dag.value.status == 404
    with pytest.raises(ApiException) as bad_conf:
        runs.trigger_dag_run("api_params", client.TriggerDAGRunPostBody(logical_date=None, conf={"n": "many"}))
    assert bad_conf.value.status == 400 and "'n'" in bad_conf.value.body


def test_logs_as_ndjson_and_the_audit_log(api, server):
    import json

    from conftest import get, token

    runs = client.DagRunApi(api)
    run = runs.trigger_dag_run("api_params", client.TriggerDAGRunPostBody(logical_date=None, conf={"n": 7}))
    wait_for_run(api, "api_params", run.dag_run_id)
    status, headers, body = get(
        f"{server.url}/api/v2/dags/api_params/dagRuns/{run.dag_run_id}/taskInstances/compute/logs/1",
        {"Authorization": "Bearer " + token(server), "Accept": "application/x-ndjson"},
    )
    assert status == 200 and headers["Content-Type"].startswith("application/x-ndjson")
    messages = [json.loads(line) for line in body.decode().splitlines() if line]
    assert any("computing 7 * 2" in m["event"] for m in messages)
    assert all("timestamp" in m for m in messages)
    logs = client.EventLogApi(api).get_event_logs(event="trigger_dag_run", owner="admin")
    assert logs.total_entries >= 1 and all(e.event == "trigger_dag_run" for e in logs.event_logs)
