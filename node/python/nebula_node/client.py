"""Client: a safe, thin wrapper over one libnebula_node handle."""
import ctypes
import json
import logging
import weakref
from collections.abc import Mapping

from . import _library
from ._handle import Handle
from .errors import ClientClosedError, ConfigError, InvalidRecordError, NebulaNodeError

_LOGGER = logging.getLogger("nebula_node")
_PYTHON_LEVELS = {1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
_ERROR_CAPACITY = 1024
_STATS_CAPACITY = 4096


def log_to_python_logging(level, message):
    """The default log sink: the library's lines go to the `nebula_node` logger."""
    _LOGGER.log(level, "%s", message)


class Client:
    """One libnebula_node client: records are queued here and delivered in
    batches by the library's threads through the configured transport plugin.

    `config` is the library's JSON config as a dict (or JSON text); see
    docs/node.md for the keys. When it names no plugin_dir/plugin_dirs, the
    plugin folders beside the library are searched (as nebula-node does), so a
    build tree works without one. `log(level, message)` receives the library's
    log lines with Python logging levels; None sends them to stderr.
    """

    def __init__(self, config=None, *, library=None, log=log_to_python_logging):
        self._lib = _library.load(library)
        text = _config_text(config, _library.directory_of(self._lib))
        err = ctypes.create_string_buffer(_ERROR_CAPACITY)
        pointer = self._lib.nebula_node_create(text.encode(), err, _ERROR_CAPACITY)
        if not pointer:
            raise ConfigError(err.value.decode(errors="replace") or "nebula_node_create failed without a reason")
        self._handle = Handle(self._lib, pointer)
        # Destroyed exactly once: by close(), by garbage collection, or at interpreter exit.
        self._finalizer = weakref.finalize(self, self._handle.destroy)
        self.set_log_callback(log)

    def record(self, record):
        """Queues one record (a dict, or JSON text). Never waits for the pool."""
        text = _record_text(record)
        with self._handle.use() as pointer:
            result = self._lib.nebula_node_record(pointer, text)
        if result == _library.INVALID:
            raise InvalidRecordError(
                "libnebula_node refused the record: it must be a JSON object whose node_id, node_type and "
                "chain_id (when present) are non-empty strings, timestamp a number and seq a non-negative "
                "integer, and it needs a node_id unless the config sets one")
        _check(result)

    def flush(self, timeout=30.0):
        """Sends everything queued so far and waits until the pool settled it.
        True when it did; False when `timeout` seconds ran out (delivery goes on)."""
        milliseconds = max(0, int(timeout * 1000))
        with self._handle.use() as pointer:
            result = self._lib.nebula_node_flush(pointer, milliseconds)
        if result == _library.TIMEOUT:
            return False
        _check(result)
        return True

    def stats(self):
        """The library's counters as a dict: recorded, buffered, spilled, pending,
        delivered, rejected, batches, attempts, retries, failovers, nodes, endpoint, last_error..."""
        capacity = _STATS_CAPACITY
        with self._handle.use() as pointer:
            while True:
                buf = ctypes.create_string_buffer(capacity)
                needed = self._lib.nebula_node_stats(pointer, buf, capacity)
                if needed < capacity:
                    return json.loads(buf.value.decode(errors="replace"))
                capacity = needed + 1

    def pending(self):
        """Records queued but not yet settled (memory and spill file)."""
        with self._handle.use() as pointer:
            return self._lib.nebula_node_pending(pointer)

    def set_log_callback(self, log):
        """Routes the library's log lines to `log(level, message)`; None restores stderr."""
        callback = None
        if log is not None:
            def trampoline(_user, level, message):
                try:  # an exception must not unwind into a library thread
                    log(_PYTHON_LEVELS.get(level, logging.ERROR), message.decode(errors="replace"))
                except Exception:  # noqa: BLE001 - nothing sensible to do but not crash
                    pass
            callback = _library.LOG_FN(trampoline)
        with self._handle.use() as pointer:
            self._lib.nebula_node_set_log_callback(pointer, callback or _library.LOG_FN(), None)
            previous, self._handle.log_callback = self._handle.log_callback, callback
        del previous  # the library no longer calls it

    @property
    def closed(self):
        return self._handle.closed

    def close(self):
        """Flushes for at most the config's shutdown_timeout_ms, stops the
        library's threads and keeps what is undelivered in the spill file for
        the next client on the same spill_dir. Calling it again does nothing."""
        self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _config_text(config, library_dir):
    if config is None:
        config = {}
    elif isinstance(config, (str, bytes)):
        try:
            config = json.loads(config)
        except ValueError as e:
            raise ConfigError(f"config is not valid JSON: {e}") from None
    if not isinstance(config, Mapping):
        raise ConfigError("config must be a JSON object (a dict)")
    config = dict(config)
    if library_dir is not None and "plugin_dir" not in config and "plugin_dirs" not in config:
        beside = [library_dir.parent / "plugins", library_dir / "nebula" / "plugins"]
        config["plugin_dirs"] = [str(d) for d in beside if d.is_dir()]
    return json.dumps(config)


def _record_text(record):
    if isinstance(record, Mapping):
        try:
            return json.dumps(record, allow_nan=False).encode()
        except (TypeError, ValueError) as e:
            raise InvalidRecordError(f"record cannot be written as JSON: {e}") from None
    if isinstance(record, str):
        return record.encode()
    if isinstance(record, bytes):
        return record
    raise InvalidRecordError(f"a record is a dict or JSON text, not {type(record).__name__}")


def _check(result):
    if result == _library.OK:
        return
    if result == _library.CLOSED:
        raise ClientClosedError("the client is shutting down")
    raise NebulaNodeError(f"libnebula_node failed (result {result})")
