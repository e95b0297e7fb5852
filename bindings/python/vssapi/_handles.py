"""Deterministic and forgiving release of library handles.

Every object that owns a handle releases it exactly once: on close() or at the
end of its `with` block, else when it is garbage collected (weakref.finalize),
else at interpreter exit, in the order the library wants (asyncs, requesters,
writers, scenarios, coordinators) and before Python tears down the modules the writers'
handlers need.

A release that could wait for a running handler (a writer waits for its own
handler; a requester sends OnBackupShutdown) must never run on a handler's own
thread: when that happens (close() or the garbage collector inside a handler)
the release is handed to a short-lived helper thread instead.
"""

from __future__ import annotations

import atexit
import itertools
import threading
import weakref
from typing import Any, Callable, Dict, List, Optional, TypeVar

from ._errors import closed_error

# The order of release at exit.
KINDS = ("async", "requester", "writer", "scenario", "coordinator")

_lock = threading.Lock()
_live: Dict[str, Dict[int, weakref.finalize]] = {kind: {} for kind in KINDS}  # kind -> {token: finalizer}
_tokens = itertools.count(1)
_local = threading.local()
_helpers: List[threading.Thread] = []


def in_handler() -> bool:
    """True on a thread that is running one of our writer handlers right now."""
    return getattr(_local, "depth", 0) > 0


def enter_handler() -> None:
    _local.depth = getattr(_local, "depth", 0) + 1


def leave_handler() -> None:
    _local.depth -= 1


def _release(kind, token, release, handle, after):
    with _lock:
        _live[kind].pop(token, None)

    def run():
        release(handle)
        if after is not None:
            after()

    if in_handler():
        helper = threading.Thread(target=run, name=f"vssapi-release-{kind}")
        helper.start()
        with _lock:
            _helpers[:] = [h for h in _helpers if h.is_alive()]
            _helpers.append(helper)
    else:
        run()


_T = TypeVar("_T", bound="Owned")


class Owned:
    """Base of every class that owns one library handle."""

    _kind: str = ""
    _what = "handle"
    _finalizer: Optional[weakref.finalize] = None
    _handle: Optional[int]  # as ctypes gives a c_void_p: an int, never None once created

    def _own(self, handle: Optional[int], release: Callable[[Optional[int]], Any],
             after: Optional[Callable[[], Any]] = None) -> None:
        token = next(_tokens)
        self._handle = handle
        finalizer = weakref.finalize(self, _release, self._kind, token, release, handle, after)
        finalizer.atexit = False  # _at_exit below releases in the library's order
        self._finalizer = finalizer
        with _lock:
            _live[self._kind][token] = finalizer
        _register_at_exit()

    def _require(self) -> Optional[int]:
        """The handle, or VssError(E_INVALIDARG) once closed."""
        if self._finalizer is None or not self._finalizer.alive:
            raise closed_error(self._what)
        return self._handle

    @property
    def closed(self) -> bool:
        return self._finalizer is None or not self._finalizer.alive

    def close(self) -> None:
        """Releases the handle now; later calls do nothing."""
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self: _T) -> _T:
        self._require()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_registered = False


def _register_at_exit():
    # After the first weakref.finalize exists: atexit runs LIFO, so _at_exit
    # runs before weakref's own exit hook, which disables every finalizer.
    global _registered
    with _lock:
        if _registered:
            return
        _registered = True
    atexit.register(_at_exit)


def _at_exit():
    for kind in KINDS:
        with _lock:
            pending = list(_live[kind].values())
        for finalizer in pending:
            finalizer()
    with _lock:
        helpers = list(_helpers)
    for helper in helpers:
        helper.join()


def live_count(kind: str) -> int:
    """How many handles of this kind are still open (for tests)."""
    with _lock:
        return len(_live[kind])
