"""Finds libnebula_node and declares the C signatures of nebula_node.h.

Search order: an explicit path, $NEBULA_NODE_LIBRARY, the package's own
directory (a wheel or copy that ships the library), the repository's build
tree (<repo>/build/lib), then ctypes.util.find_library (ldconfig's cache).
An explicit path or the environment variable is never silently skipped: if it
names no loadable file, that is the error.
"""
import ctypes
import ctypes.util
import functools
import os
from pathlib import Path

from .errors import LibraryError

ENV_VAR = "NEBULA_NODE_LIBRARY"
# libnebula_node.so.0 is the SONAME: an install without the -dev symlink has only that one.
_FILE_NAMES = ("libnebula_node.so", "libnebula_node.so.0")
_PACKAGE_DIR = Path(__file__).resolve().parent
_BUILD_TREE_LIB = _PACKAGE_DIR.parents[2] / "build" / "lib"  # node/python/nebula_node -> <repo>/build/lib

# void (*nebula_node_log_fn)(void* user, nebula_node_log_level level, const char* msg)
LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p)

# nebula_node_result, never renumbered.
OK, INVALID, TIMEOUT, CLOSED, INTERNAL = range(5)


def locate(explicit=None):
    """The library to load: a path, or a bare name the dynamic loader resolves."""
    if explicit is not None:
        return _existing(Path(explicit), "the library path given")
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return _existing(Path(from_env), ENV_VAR)
    searched = []
    for directory in (_PACKAGE_DIR, _BUILD_TREE_LIB):
        for name in _FILE_NAMES:
            candidate = directory / name
            searched.append(str(candidate))
            if candidate.is_file():
                return str(candidate)
    found = ctypes.util.find_library("nebula_node")
    if found:
        return found
    raise LibraryError(
        "libnebula_node not found; searched " + ", ".join(searched) + " and the system library path. "
        f"Build it (target nebula_node) or set {ENV_VAR} to the file (e.g. build/lib/libnebula_node.so)")


def _existing(path, source):
    if not path.is_file():
        raise LibraryError(f"{source} names {path}, which is not a file")
    return str(path)


@functools.lru_cache(maxsize=None)
def _load_path(path):
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise LibraryError(f"cannot load {path}: {e}") from None
    _declare(lib)
    return lib


def load(explicit=None):
    """The loaded library (one CDLL per file, shared by every client)."""
    return _load_path(locate(explicit))


def directory_of(lib):
    """The directory the loaded library came from (None for a bare name)."""
    path = Path(lib._name)
    return path.resolve().parent if path.is_absolute() else None


def _declare(lib):
    handle = ctypes.c_void_p
    lib.nebula_node_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.nebula_node_create.restype = handle
    lib.nebula_node_record.argtypes = [handle, ctypes.c_char_p]
    lib.nebula_node_record.restype = ctypes.c_int
    lib.nebula_node_flush.argtypes = [handle, ctypes.c_uint64]
    lib.nebula_node_flush.restype = ctypes.c_int
    lib.nebula_node_stats.argtypes = [handle, ctypes.c_char_p, ctypes.c_size_t]
    lib.nebula_node_stats.restype = ctypes.c_size_t
    lib.nebula_node_pending.argtypes = [handle]
    lib.nebula_node_pending.restype = ctypes.c_uint64
    lib.nebula_node_set_log_callback.argtypes = [handle, LOG_FN, ctypes.c_void_p]
    lib.nebula_node_set_log_callback.restype = None
    lib.nebula_node_destroy.argtypes = [handle]
    lib.nebula_node_destroy.restype = None
