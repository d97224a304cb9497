"""Client, the low-level wrapper: errors carry the library's reason, misuse
raises instead of crashing, the log callback outlives its Python references,
and the stats come back as a dict."""
import gc
import logging

import pytest

from nebula_node import Client, ClientClosedError, ConfigError, InvalidRecordError, LibraryError
from polling import wait_until


def unreachable(free_port):
    return f"http://127.0.0.1:{free_port}"


def test_a_missing_library_is_named_in_the_error(tmp_path):
    missing = tmp_path / "libnebula_node.so"
    with pytest.raises(LibraryError, match=str(missing)):
        Client(library=str(missing))


def test_a_wrong_environment_variable_is_not_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("NEBULA_NODE_LIBRARY", str(tmp_path / "nowhere.so"))
    with pytest.raises(LibraryError, match="NEBULA_NODE_LIBRARY"):
        Client()


@pytest.mark.parametrize("overrides, reason", [
    ({"batch_sise": 5}, "batch_sise: unknown key"),
    ({"batch_size": 0}, "batch_size: must be between 1 and"),
    ({"endpoints": ["ftp://127.0.0.1:1"]}, "cannot choose a transport for 'ftp://127.0.0.1:1'"),
    ({"transport": "nebula.transport.nonexistent"}, "nebula.transport.nonexistent"),
    ({"log_level": "loud"}, "log_level: must be one of debug, info, warn, error"),
])
def test_bad_config_raises_the_library_reason(client_config, free_port, overrides, reason):
    with pytest.raises(ConfigError, match=reason):
        Client(client_config(unreachable(free_port), **overrides))


def test_config_that_is_not_an_object_is_refused():
    with pytest.raises(ConfigError, match="JSON"):
        Client("{not json")
    with pytest.raises(ConfigError, match="object"):
        Client(["endpoints"])


@pytest.mark.parametrize("record", [
    "[1, 2]", "not json", {"node_id": ""}, {"timestamp": "noon"}, {"seq": -1},
    {"network": {"average_latency": float("nan")}}, {"when": object()}, 42,
])
def test_what_is_not_a_record_is_refused(client_config, free_port, record):
    with Client(client_config(unreachable(free_port), node_id="n1")) as client:
        with pytest.raises(InvalidRecordError):
            client.record(record)
        assert client.stats()["recorded"] == 0


def test_every_call_after_close_raises_and_close_is_idempotent(client_config, free_port):
    client = Client(client_config(unreachable(free_port), node_id="n1"))
    client.close()
    client.close()
    assert client.closed
    for call in (lambda: client.record({}), client.flush, client.stats, client.pending,
                 lambda: client.set_log_callback(None)):
        with pytest.raises(ClientClosedError):
            call()


def test_the_context_manager_closes(client_config, free_port):
    with Client(client_config(unreachable(free_port), node_id="n1")) as client:
        assert not client.closed
    assert client.closed


def test_log_lines_reach_a_callback_that_only_the_client_references(client_config, free_port):
    lines = []
    client = Client(client_config(unreachable(free_port), node_id="n1", log_level="debug"),
                    log=lambda level, message: lines.append((level, message)))
    gc.collect()  # the lambda's only owner is the client: the library must still reach it
    with pytest.raises(InvalidRecordError):
        client.record("[]")
    client.close()
    assert (logging.DEBUG, "record refused: record must be a JSON object") in lines


def test_a_raising_log_callback_does_not_break_the_client(client_config, free_port):
    def broken(level, message):
        raise RuntimeError("log sink down")

    with Client(client_config(unreachable(free_port), node_id="n1", log_level="debug"), log=broken) as client:
        client.record({"network": {"peer_count": 3}})
        assert client.flush(timeout=0.2) is False  # the pool is unreachable; the library logged that
        assert client.pending() == 1


def test_stats_count_what_the_pool_accepted(pool, client_config):
    endpoint = pool.endpoint("http")
    with Client(client_config(endpoint, node_id="stats-node", node_type="testnet", chain_id="testnet")) as client:
        for height in range(100, 103):
            client.record({"blockchain": {"current_height": height}, "network": {"peer_count": 8}})
        assert client.flush(timeout=20)
        assert client.pending() == 0
        # The library counts a batch just after it wakes the flush, so that count may trail by an instant.
        assert wait_until(lambda: client.stats()["batches"] == 1), client.stats()
        stats = client.stats()
    assert stats["node_id"] == "stats-node"
    assert {k: stats[k] for k in ("recorded", "delivered", "rejected", "pending", "buffered", "spilled")} == {
        "recorded": 3, "delivered": 3, "rejected": 0, "pending": 0, "buffered": 0, "spilled": 0}
    assert stats["endpoint"] == endpoint and stats["last_error"] == ""
    assert wait_until(lambda: pool.pool_stats()["records_processed"] == 3), pool.pool_stats()


def test_transport_plugins_beside_the_library_are_found_without_a_plugin_dir(pool, tmp_path):
    config = {"endpoints": [pool.endpoint("http")], "node_id": "n1", "spill_dir": str(tmp_path / "spill")}
    with Client(config) as client:
        client.record({"network": {"peer_count": 5}})
        assert client.flush(timeout=20)
    assert wait_until(lambda: pool.pool_stats()["records_accepted"] == 1), pool.pool_stats()
