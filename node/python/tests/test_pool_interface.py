"""NodePoolInterface against a real pool: the document's loop streams through
the configured transport, batches leave at N records or after the interval,
and the buffer is kept while the pool is down."""
import asyncio

import pytest

from document_node import DocumentNode
from nebula_node import ConfigError, NodePoolInterface
from polling import async_wait_until, wait_until

DOCUMENT_KEYS = {
    "timestamp", "node_id", "node_type", "chain_id",
    "blockchain_metrics", "network_metrics", "performance_metrics",
}


def interface_for(node, config, **options):
    options.setdefault("collect_interval", 0.02)
    return NodePoolInterface(node, config, **options)


def test_collect_node_metrics_has_the_documents_shape(client_config, free_port):
    node = DocumentNode()
    with interface_for(node, client_config(f"http://127.0.0.1:{free_port}")) as interface:
        metrics = interface.collect_node_metrics()
    assert set(metrics) == DOCUMENT_KEYS
    assert metrics["blockchain_metrics"] == {"current_height": 881234, "blocks_processed_last_interval": 1,
                                             "transaction_count": 40, "mining_hash_rate": 1250.0}
    assert metrics["network_metrics"] == {"peer_count": 17, "average_latency": 42.5, "bandwidth_usage": 512.0,
                                          "connection_quality": 0.93}
    performance = metrics["performance_metrics"]
    assert set(performance) == {"cpu_usage", "memory_usage", "uptime"}
    assert 0.0 <= performance["cpu_usage"] <= 100.0 and 0.0 < performance["memory_usage"] <= 100.0
    assert 59 <= performance["uptime"] < 600


@pytest.mark.parametrize("scheme", ["http", "tcp"])
def test_continuous_streaming_reaches_the_pool_through_the_configured_transport(pool, client_config, scheme):
    endpoint = pool.endpoint(scheme)
    interface = interface_for(DocumentNode(), client_config(endpoint), submit_batch_size=5, submit_interval=3600)

    async def stream_until_two_batches_delivered():
        task = asyncio.create_task(interface.continuous_data_streaming())
        delivered = await async_wait_until(lambda: interface.stats()["delivered"] >= 10)
        interface.stop()
        await task
        return delivered

    try:
        assert asyncio.run(stream_until_two_batches_delivered()), interface.stats()
        stats = interface.stats()
    finally:
        interface.close()
    assert stats["endpoint"] == endpoint and stats["rejected"] == 0
    assert wait_until(lambda: pool.pool_stats()["records_processed"] >= 10), pool.pool_stats()
    assert pool.pool_stats()["records_rejected"] == 0


def test_a_full_batch_goes_out_without_waiting_for_the_interval(pool, client_config):
    interface = interface_for(DocumentNode(), client_config(pool.endpoint("http")),
                              submit_batch_size=5, submit_interval=3600)
    with interface:
        for _ in range(7):
            interface.record_metrics()
        assert wait_until(lambda: interface.stats()["delivered"] == 5), interface.stats()
        assert interface.buffered == 2  # a partial batch waits for the interval or a submit
        assert asyncio.run(interface.submit_buffered_data(timeout=20))
        assert interface.stats()["delivered"] == 7
    assert wait_until(lambda: pool.pool_stats()["records_accepted"] == 7), pool.pool_stats()


def test_a_partial_batch_goes_out_after_the_submit_interval(pool, client_config):
    interface = interface_for(DocumentNode(), client_config(pool.endpoint("http")),
                              submit_batch_size=50, submit_interval=0.3)
    with interface:
        for _ in range(3):
            interface.record_metrics()
        assert wait_until(lambda: interface.stats()["delivered"] == 3), interface.stats()
        assert wait_until(lambda: interface.stats()["batches"] == 1), interface.stats()  # one batch, sent by time
    assert wait_until(lambda: pool.pool_stats()["records_accepted"] == 3), pool.pool_stats()


def test_the_buffer_is_kept_while_the_pool_is_down_and_delivered_once_it_is_up(make_pool, client_config, free_port):
    endpoint = f"http://127.0.0.1:{free_port}"
    with interface_for(DocumentNode(), client_config(endpoint), submit_batch_size=4) as interface:
        for _ in range(6):
            interface.record_metrics()
        assert asyncio.run(interface.submit_buffered_data(timeout=0.5)) is False
        assert wait_until(lambda: interface.stats()["retries"] >= 2)
        down = interface.stats()
        assert (down["delivered"], down["pending"]) == (0, 6) and "127.0.0.1" in down["last_error"]

        pool = make_pool(http_port=free_port).start()
        # The full batch is retried on its own; the partial one waits for the interval or a submit.
        assert wait_until(lambda: interface.stats()["delivered"] == 4), interface.stats()
        assert asyncio.run(interface.submit_buffered_data(timeout=20)), interface.stats()
        assert (interface.stats()["delivered"], interface.buffered) == (6, 0)
    assert wait_until(lambda: pool.pool_stats()["records_accepted"] == 6), pool.pool_stats()


def test_the_buffer_survives_closing_while_the_pool_is_down(make_pool, client_config, free_port):
    config = client_config(f"http://127.0.0.1:{free_port}", shutdown_timeout_ms=100)
    with interface_for(DocumentNode(), config) as interface:
        for _ in range(3):
            interface.record_metrics()
    # The next process on the same spill dir delivers what the first kept.
    pool = make_pool(http_port=free_port).start()
    with interface_for(DocumentNode(), config) as interface:
        assert asyncio.run(interface.submit_buffered_data(timeout=20)), interface.stats()
    assert wait_until(lambda: pool.pool_stats()["records_accepted"] == 3), pool.pool_stats()


def test_streaming_ends_when_the_node_stops_and_skips_a_sample_it_cannot_collect(client_config, free_port):
    node = DocumentNode()
    heights = iter([1, RuntimeError("rpc timeout"), 3, 4])

    def next_height():
        value = next(heights)
        if isinstance(value, Exception):
            raise value
        node.running = value < 4
        return value

    node.get_blockchain_height = next_height
    with interface_for(node, client_config(f"http://127.0.0.1:{free_port}")) as interface:
        asyncio.run(asyncio.wait_for(interface.continuous_data_streaming(), timeout=20))
        assert interface.stats()["recorded"] == 3


@pytest.mark.parametrize("config, options, reason", [
    ({"batch_size": 10}, {}, "batch_size: set by NodePoolInterface"),
    ({"node_id": "other"}, {}, "node_id: set by NodePoolInterface"),
    ({"endpoints": ["ftp://127.0.0.1:1"]}, {}, "cannot choose a transport"),
    ({"spill_dir": 5}, {}, "spill_dir: must be a string"),
    ({}, {"collect_interval": 0}, "collect_interval must be a positive number"),
    ({}, {"submit_batch_size": 2.5}, "submit_batch_size must be a positive integer"),
    ({}, {"submit_interval": -1}, "submit_interval must be a positive number"),
])
def test_bad_config_raises_a_clear_error(config, options, reason):
    with pytest.raises(ConfigError, match=reason):
        NodePoolInterface(DocumentNode(), config, **options)
