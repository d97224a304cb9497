"""nebula_node: Python nodes stream their metrics to a Nebula processing pool
through libnebula_node (ctypes; no compiled extension).

    from nebula_node import NodePoolInterface
    interface = NodePoolInterface(node, {"endpoints": ["http://pool:7000"]})
    await interface.continuous_data_streaming()
"""
from .client import Client, log_to_python_logging
from .errors import ClientClosedError, ConfigError, InvalidRecordError, LibraryError, NebulaNodeError
from .pool_interface import NodePoolInterface

__all__ = [
    "Client", "NodePoolInterface", "log_to_python_logging",
    "NebulaNodeError", "LibraryError", "ConfigError", "InvalidRecordError", "ClientClosedError",
]
