"""The library handle and the rule that nebula_node_destroy is its last call.

Calls from any thread may use the handle at once (the C API is thread-safe);
destroy() waits until they have returned. This object never refers to the
Client, so a weakref.finalize on the Client can own it.
"""
import contextlib
import threading

from .errors import ClientClosedError


class Handle:
    def __init__(self, lib, pointer):
        self._lib = lib
        self._pointer = pointer
        self._active = 0
        self._cond = threading.Condition()
        # The ctypes callback object: the library calls it from its own threads
        # until destroy returns, so it must live at least that long.
        self.log_callback = None

    @property
    def closed(self):
        return self._pointer is None

    @contextlib.contextmanager
    def use(self):
        with self._cond:
            if self._pointer is None:
                raise ClientClosedError("the client is closed")
            self._active += 1
            pointer = self._pointer
        try:
            yield pointer
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    def destroy(self):
        with self._cond:
            if self._pointer is None:
                return
            pointer, self._pointer = self._pointer, None
            while self._active:
                self._cond.wait()
        self._lib.nebula_node_destroy(pointer)  # flushes (bounded) and spills the rest
        self.log_callback = None
