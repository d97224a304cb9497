"""The exceptions the package raises; all derive from NebulaNodeError."""


class NebulaNodeError(Exception):
    """Base class of every error raised by nebula_node."""


class LibraryError(NebulaNodeError):
    """libnebula_node was not found, or the file found could not be loaded."""


class ConfigError(NebulaNodeError, ValueError):
    """The library refused to create a client: a bad config key or value, no
    transport plugin for an endpoint, a spill directory that is locked or
    cannot be written. The message is the library's own reason."""


class InvalidRecordError(NebulaNodeError, ValueError):
    """A record the library cannot queue (it never becomes valid by retrying)."""


class ClientClosedError(NebulaNodeError):
    """The client was closed (or is shutting down) and cannot be used any more."""
