"""NodePoolInterface: the architecture document's node-to-pool streaming loop,
delivered by libnebula_node.

The document buffers records in a Python list and posts them itself. Here the
library is that buffer: it cuts a batch at `submit_batch_size` records or when
the oldest record has waited `submit_interval` seconds, keeps every batch the
pool has not accepted (retrying with backoff, spilling to disk past its memory
bound, surviving a restart) and sends it through whichever transport plugin
its config picks. The records keep the document's shape unchanged.
"""
import asyncio
import logging
import time

from .client import Client, log_to_python_logging
from .errors import ClientClosedError, ConfigError
from .host_metrics import CpuUsage, memory_usage

_LOGGER = logging.getLogger("nebula_node")
# Set from the node and the interface's own arguments, so config may not repeat them.
_DERIVED_KEYS = ("node_id", "node_type", "chain_id", "batch_size", "flush_interval_ms")


class NodePoolInterface:
    """Interface for nodes to communicate with the processing pool.

    `node` is the document's node object: node_id, node_type,
    chain_config.chain_id, peers, start_time, running (optional; streaming
    stops when it turns false), hash_rate (optional) and the methods
    get_blockchain_height, get_recent_block_count, get_transaction_count,
    calculate_average_latency, get_bandwidth_usage, get_connection_quality.

    `config` holds the library's other keys (endpoints, transport,
    transport_config, plugin_dir(s), spill_dir, backoff, ...; docs/node.md).
    With no endpoints the library discovers the pool: $NEBULA_POOL_ENDPOINT,
    else http://localhost:7000.
    """

    def __init__(self, node, config=None, *, collect_interval=5.0, submit_batch_size=50,
                 submit_interval=30.0, library=None, log=log_to_python_logging):
        self.node = node
        self.collect_interval = _positive("collect_interval", collect_interval)
        self._cpu = CpuUsage()
        self._stop = None
        self.client = Client(_client_config(node, config, submit_batch_size, submit_interval),
                             library=library, log=log)

    async def continuous_data_streaming(self):
        """Collects the node's metrics every `collect_interval` seconds and hands
        them to the library, until node.running turns false or stop() is called.
        A sample that cannot be collected or queued is logged and skipped."""
        self._stop = asyncio.Event()
        while getattr(self.node, "running", True) and not self._stop.is_set():
            try:
                self.record_metrics()
            except ClientClosedError:
                raise
            except Exception:  # noqa: BLE001 - one bad sample must not end the stream
                _LOGGER.exception("node %s: metrics sample skipped", self.node.node_id)
            try:
                await asyncio.wait_for(self._stop.wait(), self.collect_interval)
            except asyncio.TimeoutError:
                pass

    def stop(self):
        """Ends continuous_data_streaming after its current sample (call from its event loop)."""
        if self._stop is not None:
            self._stop.set()

    def record_metrics(self):
        """Collects one sample, queues it for delivery and returns it."""
        metrics = self.collect_node_metrics()
        self.client.record(metrics)
        return metrics

    def collect_node_metrics(self):
        """Collect comprehensive metrics from node (the document's shape, unchanged)."""
        return {
            'timestamp': time.time(),
            'node_id': self.node.node_id,
            'node_type': self.node.node_type,
            'chain_id': self.node.chain_config.chain_id,
            'blockchain_metrics': {
                'current_height': self.node.get_blockchain_height(),
                'blocks_processed_last_interval': self.node.get_recent_block_count(),
                'transaction_count': self.node.get_transaction_count(),
                'mining_hash_rate': getattr(self.node, 'hash_rate', 0)
            },
            'network_metrics': {
                'peer_count': len(self.node.peers),
                'average_latency': self.node.calculate_average_latency(),
                'bandwidth_usage': self.node.get_bandwidth_usage(),
                'connection_quality': self.node.get_connection_quality()
            },
            'performance_metrics': {
                'cpu_usage': self.get_cpu_usage(),
                'memory_usage': self.get_memory_usage(),
                'uptime': time.time() - self.node.start_time
            }
        }

    def get_cpu_usage(self):
        """This machine's CPU use in % since the previous sample (None when /proc is unreadable)."""
        return self._cpu.sample()

    def get_memory_usage(self):
        """This machine's memory use in % (None when /proc is unreadable)."""
        return memory_usage()

    async def submit_buffered_data(self, timeout=30.0):
        """Sends what is buffered now without waiting for a full batch; True once
        the pool has settled all of it, False if `timeout` seconds ran out (the
        records stay buffered and delivery goes on in the background)."""
        return await asyncio.to_thread(self.client.flush, timeout)

    @property
    def buffered(self):
        """Records not yet accepted by the pool (memory and spill file)."""
        return self.client.pending()

    def stats(self):
        return self.client.stats()

    def close(self):
        """Stops delivery; what the pool has not accepted stays in the spill file."""
        self.client.close()

    async def aclose(self):
        """close() without blocking the event loop (it may flush for shutdown_timeout_ms)."""
        await asyncio.to_thread(self.client.close)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()


def _client_config(node, config, submit_batch_size, submit_interval):
    config = dict(config or {})
    repeated = [key for key in _DERIVED_KEYS if key in config]
    if repeated:
        raise ConfigError(", ".join(repeated) + ": set by NodePoolInterface from the node and from "
                          "submit_batch_size / submit_interval; leave them out of config")
    if not isinstance(submit_batch_size, int) or isinstance(submit_batch_size, bool) or submit_batch_size < 1:
        raise ConfigError(f"submit_batch_size must be a positive integer, not {submit_batch_size!r}")
    config.update(node_id=node.node_id, node_type=node.node_type, chain_id=node.chain_config.chain_id,
                  batch_size=submit_batch_size,
                  flush_interval_ms=max(1, round(_positive("submit_interval", submit_interval) * 1000)))
    return config


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)
