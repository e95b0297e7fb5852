"""Coordinator, Writer (with Metadata and Components), Requester and Async."""

from __future__ import annotations

import ctypes
import itertools
import logging
import os
import threading
import uuid
import weakref
from ctypes import byref, c_int32, c_uint32, c_void_p
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union, overload

from . import _native, _provider
from ._errors import HResult, VssError, WriterFailure, check, failed, hresult_meaning, hresult_name, signed, unsigned
from ._handles import Owned, enter_handler, leave_handler
from ._provider import Provider
from ._types import (
    AppLevel,
    BackupType,
    ComponentFailure,
    ComponentInfo,
    ComponentText,
    ComponentType,
    Context,
    FileKind,
    FileRestoreStatus,
    GuidLike,
    ProviderInfo,
    RestoreType,
    SnapshotProperties,
    SourceType,
    Step,
    UsageType,
    WriterIdentity,
    WriterStatus,
    component_failure_from,
    component_info_from,
    guid_to_uuid,
    provider_info_from,
    snapshot_properties_from,
    to_guid,
    writer_identity_from,
    writer_status_from,
    WriterMetadata,
)
from .hresults import E_INVALIDARG, VSS_E_BAD_STATE, VSS_S_ASYNC_PENDING

PathLike = Union[str, "os.PathLike[str]"]

_lib = _native.lib
_log = logging.getLogger("vssapi")
_INFINITE = 0xFFFFFFFF


def _bool(value: object) -> int:
    return 1 if value else 0


def _handle_of(owner: Optional["Coordinator"], what: str) -> Optional[int]:
    """The handle of an optional Coordinator argument (None: the default one)."""
    if owner is None:
        return None
    if not isinstance(owner, Coordinator):
        raise TypeError(f"{what} must be a vssapi.Coordinator or None, not {type(owner).__name__}")
    return owner._require()


# ---- coordinator -------------------------------------------------------------


class Coordinator(Owned):
    """The embedded VSS service that writers and requesters meet in.

    Coordinator() makes a new, isolated one (give it to every Writer and
    Requester of one test or one application); Coordinator.default() is the
    process's shared one, which Writer(None) and Requester(None) also use.
    """

    _kind = "coordinator"
    _what = "Coordinator"

    virtual_clock: bool

    def __init__(
        self,
        *,
        workers: int = 0,
        event_timeout_ms: int = 0,
        commit_window_ms: int = 0,
        session_limit: int = 0,
        virtual_clock: Union[bool, str] = False,
    ) -> None:
        out = c_void_p()
        if (workers, event_timeout_ms, commit_window_ms, session_limit, virtual_clock) == (0, 0, 0, 0, False):
            check(_lib.vss_coordinator_create(None, byref(out)))
        else:
            options = _native.sized(_native.vss_coordinator_options)
            options.workers = workers
            options.event_timeout_ms = event_timeout_ms
            options.commit_window_ms = commit_window_ms
            options.session_limit = session_limit
            options.virtual_clock = 2 if virtual_clock == "simulated" else _bool(virtual_clock)
            check(_lib.vss_coordinator_create(byref(options), byref(out)))
        self.virtual_clock = bool(virtual_clock)
        self._own_coordinator(out.value)

    def _own_coordinator(self, handle: Optional[int]) -> None:
        # The providers registered through this object, unregistered before
        # its release (the release must not refer to self).
        registrations: Dict[uuid.UUID, int] = {}
        self._registrations = registrations

        def release(handle: Optional[int]) -> None:
            _provider.unregister_all(handle, registrations)
            _lib.vss_coordinator_release(handle)

        self._own(handle, release)

    @classmethod
    def default(cls) -> "Coordinator":
        """One more reference to the process's default coordinator."""
        self = cls.__new__(cls)
        out = c_void_p()
        check(_lib.vss_coordinator_default(byref(out)))
        self.virtual_clock = False
        self._own_coordinator(out.value)
        return self

    def advance_clock(self, milliseconds: int) -> None:
        """Moves a virtual clock on; VssError(VSS_E_BAD_STATE) on a real one."""
        check(_lib.vss_coordinator_advance_clock(self._require(), int(milliseconds)))

    # -- snapshot providers (1.1) ------------------------------------------------

    def providers(self) -> List[ProviderInfo]:
        """Every provider of this coordinator, its default first."""
        handle = self._require()
        count = c_uint32()
        check(_lib.vss_coordinator_provider_count(handle, byref(count)))
        result = []
        for index in range(count.value):
            raw = _native.sized(_native.vss_provider_info)
            check(_lib.vss_coordinator_provider(handle, index, byref(raw)))
            try:
                result.append(provider_info_from(raw))
            finally:
                _lib.vss_provider_info_clear(byref(raw))
        return result

    def register_provider(self, provider: Provider) -> None:
        """Plugs a vssapi.Provider in; requesters choose it by its id.

        The coordinator keeps the provider alive until unregister_provider or
        its own close(), which unregisters it. VssError(E_INVALIDARG) without
        an id or a name, VSS_E_PROVIDER_ALREADY_REGISTERED for an id taken.
        """
        _provider.register(self._require(), self._registrations, provider)

    def unregister_provider(self, provider: Union[GuidLike, Provider, ProviderInfo]) -> None:
        """Unplugs a provider by id (or the Provider itself); no step of it runs
        after this returns. VSS_E_PROVIDER_NOT_REGISTERED for an id no provider
        has, VSS_E_PROVIDER_IN_USE for the default one, VSS_E_BAD_STATE from
        inside one of the provider's own steps."""
        _provider.unregister(self._require(), self._registrations, provider)


class Scenario(Owned):
    """Mock writers from a scenario file (abi/scenario.schema.json), loaded into a coordinator.

    Scenario(coordinator, path) or Scenario(coordinator, text=json_text); coordinator None is
    the default one. The writers take part in every backup of that coordinator until close().
    A file that cannot be used raises VssError(E_INVALIDARG) whose message says
    "file:line:column: what was expected", and loads nothing. Coordinator(virtual_clock=
    "simulated") lets a scenario's 10-minute timeouts pass at once.
    """

    _kind = "scenario"
    _what = "Scenario"

    def __init__(self, coordinator: Optional[Coordinator] = None, path: Optional[PathLike] = None, *,
                 text: Optional[str] = None) -> None:
        if (path is None) == (text is None):
            raise TypeError("Scenario takes a path or text=, not both")
        out = c_void_p()
        owner = _handle_of(coordinator, "coordinator")
        if path is not None:
            check(_lib.vss_scenario_load(owner, os.fsencode(path), byref(out)))
        else:
            check(_lib.vss_scenario_load_text(owner, _native.utf8(text, "text"), byref(out)))
        self._coordinator = coordinator  # released after this scenario
        self._own(out.value, _lib.vss_scenario_release)


# ---- writer ----------------------------------------------------------------------


class Metadata:
    """What a writer declares in on_identify (IVssCreateWriterMetadata).

    Valid only inside on_identify; afterwards every call raises VssError.
    """

    def __init__(self, handle: Optional[int]) -> None:
        self._handle = handle

    def _require(self) -> int:
        if self._handle is None:
            raise VssError(VSS_E_BAD_STATE, "Metadata can only be used inside on_identify")
        return self._handle

    def _close(self) -> None:
        self._handle = None

    def add_component(self, logical_path: Optional[str], name: str, caption: Optional[str] = None, *,
                      type: ComponentType = ComponentType.FILEGROUP, selectable: bool = True) -> None:
        """Declares a component (logical_path may be None)."""
        check(
            _lib.vss_metadata_add_component(
                self._require(),
                int(type),
                _native.utf8(logical_path, "logical_path"),
                _native.utf8(name, "name"),
                _native.utf8(caption, "caption"),
                _bool(selectable),
            )
        )

    def add_files(self, logical_path: Optional[str], component_name: str, path: str, filespec: str,
                  recursive: bool = False, *, kind: FileKind = FileKind.FILE_GROUP) -> None:
        """Adds files to a component: a file group's files, or a database's (kind)."""
        check(
            _lib.vss_metadata_add_files(
                self._require(),
                int(kind),
                _native.utf8(logical_path, "logical_path"),
                _native.utf8(component_name, "component_name"),
                _native.utf8(path, "path"),
                _native.utf8(filespec, "filespec"),
                _bool(recursive),
            )
        )

    def add_database_files(self, logical_path: Optional[str], component_name: str, path: str, filespec: str) -> None:
        self.add_files(logical_path, component_name, path, filespec, kind=FileKind.DATABASE)

    def add_database_log_files(self, logical_path: Optional[str], component_name: str, path: str,
                               filespec: str) -> None:
        self.add_files(logical_path, component_name, path, filespec, kind=FileKind.DATABASE_LOG)

    def add_include_files(self, path: str, filespec: str, recursive: bool = False) -> None:
        check(
            _lib.vss_metadata_add_include_files(
                self._require(), _native.utf8(path, "path"), _native.utf8(filespec, "filespec"), _bool(recursive)
            )
        )

    def add_exclude_files(self, path: str, filespec: str, recursive: bool = False) -> None:
        check(
            _lib.vss_metadata_add_exclude_files(
                self._require(), _native.utf8(path, "path"), _native.utf8(filespec, "filespec"), _bool(recursive)
            )
        )


@dataclass(frozen=True)
class Component:
    """One of this writer's components in the session, inside a component handler."""

    index: int
    logical_path: Optional[str]
    name: Optional[str]
    _components: "Components" = field(repr=False, compare=False)

    def set_failure(self, hr: int, application: int = 0, message: Optional[str] = None) -> None:
        """IVssComponentEx2::SetFailure on this component."""
        self._components.set_failure(self.index, hr, application, message)

    def text(self, which: ComponentText) -> Optional[str]:
        """One of the component's texts (ComponentText), or None when it was never set."""
        return self._components.text(self.index, which)

    def set_text(self, which: ComponentText, value: str) -> None:
        """Sets a text a writer may set in this handler (ComponentText)."""
        self._components.set_text(self.index, which, value)

    @property
    def backup_metadata(self) -> Optional[str]:
        return self.text(ComponentText.BACKUP_METADATA)

    @property
    def backup_stamp(self) -> Optional[str]:
        return self.text(ComponentText.BACKUP_STAMP)

    @property
    def selected_for_restore(self) -> bool:
        """In OnPreRestore and OnPostRestore: whether the requester selected it."""
        return self._components.selected_for_restore(self.index)

    @property
    def file_restore_status(self) -> FileRestoreStatus:
        """In OnPostRestore: FileRestoreStatus the requester set."""
        return self._components.file_restore_status(self.index)


class Components(Sequence[Component]):
    """The session's components of this writer (IVssWriterComponents).

    A read-only sequence of Component, given to on_prepare_backup,
    on_post_snapshot, on_backup_complete, on_pre_restore and on_post_restore.
    Empty (and `present` false) when the requester is not in component mode.
    Valid only inside the handler; afterwards every call raises VssError.
    """

    def __init__(self, handle: Optional[int]) -> None:
        self._handle = handle
        self._open = True

    @property
    def present(self) -> bool:
        return self._handle is not None

    def _require(self) -> int:
        if not self._open:
            raise VssError(VSS_E_BAD_STATE, "Components can only be used inside its handler")
        if self._handle is None:
            raise VssError(E_INVALIDARG, "no components: the requester did not select any (component mode is off)")
        return self._handle

    def _close(self) -> None:
        self._open = False

    def __len__(self) -> int:
        if self._open and self._handle is None:
            return 0
        count = c_uint32()
        check(_lib.vss_components_count(self._require(), byref(count)))
        return count.value

    @overload
    def __getitem__(self, index: int) -> Component: ...

    @overload
    def __getitem__(self, index: slice) -> List[Component]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Component, List[Component]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = int(index)
        if index < 0:
            index += len(self)
        if index < 0 or (self._open and self._handle is None):
            raise IndexError("component index out of range")
        path, name = c_void_p(), c_void_p()
        hr = _lib.vss_components_get(self._require(), index, byref(path), byref(name))
        if hr < 0 and index >= len(self):
            raise IndexError("component index out of range")
        check(hr)
        return Component(index, _native.take_text(path.value), _native.take_text(name.value), self)

    def text(self, index: Union[int, Component], which: ComponentText) -> Optional[str]:
        """A text of the component at index (ComponentText); None when never set."""
        index = index.index if isinstance(index, Component) else int(index)
        out = c_void_p()
        check(_lib.vss_components_get_text(self._require(), index, int(which), byref(out)))
        return _native.take_text(out.value)

    def set_text(self, index: Union[int, Component], which: ComponentText, value: str) -> None:
        index = index.index if isinstance(index, Component) else int(index)
        check(_lib.vss_components_set_text(self._require(), index, int(which), _native.utf8(value, "value")))

    def selected_for_restore(self, index: Union[int, Component]) -> bool:
        index = index.index if isinstance(index, Component) else int(index)
        out = c_int32()
        check(_lib.vss_components_selected_for_restore(self._require(), index, byref(out)))
        return bool(out.value)

    def file_restore_status(self, index: Union[int, Component]) -> FileRestoreStatus:
        index = index.index if isinstance(index, Component) else int(index)
        out = c_int32()
        check(_lib.vss_components_file_restore_status(self._require(), index, byref(out)))
        return FileRestoreStatus(out.value)

    def set_failure(self, index: Union[int, Component], hr: int, application: int = 0,
                    message: Optional[str] = None) -> None:
        """IVssComponentEx2::SetFailure on the component at index (or a Component)."""
        if isinstance(index, Component):
            index = index.index
        check(
            _lib.vss_components_set_failure(
                self._require(), int(index), signed(hr), signed(application), _native.utf8(message, "message")
            )
        )


# Writers by the key passed to the library as `user`; weak, so that the
# library's copy of the callbacks never keeps a Python writer alive.
_writers: Dict[int, "weakref.ref[Writer]"] = {}
_writers_lock = threading.Lock()
_writer_keys = itertools.count(1)


def _dispatch(key, method, make_args):
    """Runs one handler on the library's thread. Never lets an exception out."""
    enter_handler()
    writer = None
    args = ()
    try:
        with _writers_lock:
            ref = _writers.get(key)
        writer = ref() if ref is not None else None
        if writer is None:
            return 1  # being released: behave as if no handler was given
        args = make_args()
        try:
            result = getattr(writer, method)(*args)
        except WriterFailure as failure:
            writer.set_failure_ex(failure.hr, failure.application, failure.message)
            return 0
        return 1 if result is None or result else 0
    except BaseException as error:  # noqa: B902 - nothing may unwind into C
        try:
            if writer is not None:
                writer.handler_errors.append(error)
            _log.error("vssapi: %s raised in %s; the library reports it as a failed handler", method,
                       type(writer).__name__ if writer is not None else "a writer", exc_info=error)
        except BaseException:  # noqa: B902
            pass
        return -1
    finally:
        for arg in args:
            if hasattr(arg, "_close"):
                arg._close()
        del writer, args  # before leaving: a finalizer it triggers must see in_handler()
        leave_handler()


def _on_identify(user, writer, metadata):
    return _dispatch(user, "on_identify", lambda: (Metadata(metadata),))


def _simple(method):
    def trampoline(user, writer):
        return _dispatch(user, method, tuple)

    return trampoline


def _with_components(method):
    def trampoline(user, writer, components):
        return _dispatch(user, method, lambda: (Components(components),))

    return trampoline


def _on_backup_shutdown(user, writer, snapshot_set_id):
    def args():
        return (guid_to_uuid(snapshot_set_id.contents) if snapshot_set_id else None,)

    return _dispatch(user, "on_backup_shutdown", args)


# One C entry point per handler slot for the whole process: created once, kept
# referenced by this module (and by every Writer) for as long as any writer can
# be called, so the garbage collector never frees a thunk the library holds.
_TRAMPOLINES = {
    "on_identify": _native.identify_handler(_on_identify),
    "on_prepare_backup": _native.components_handler(_with_components("on_prepare_backup")),
    "on_prepare_snapshot": _native.handler(_simple("on_prepare_snapshot")),
    "on_freeze": _native.handler(_simple("on_freeze")),
    "on_thaw": _native.handler(_simple("on_thaw")),
    "on_abort": _native.handler(_simple("on_abort")),
    "on_post_snapshot": _native.components_handler(_with_components("on_post_snapshot")),
    "on_backup_complete": _native.components_handler(_with_components("on_backup_complete")),
    "on_backup_shutdown": _native.shutdown_handler(_on_backup_shutdown),
    "on_pre_restore": _native.components_handler(_with_components("on_pre_restore")),
    "on_post_restore": _native.components_handler(_with_components("on_post_restore")),
}


def _forget_writer(key):
    with _writers_lock:
        _writers.pop(key, None)


class Writer(Owned):
    """A VSS writer. Subclass it and override the handlers you need.

    Handlers run on the library's threads, never on the thread that drives the
    requester. Each returns True or None (fine) or False (a veto); raising
    WriterFailure(hr, application, message) sets the failure and vetoes; any
    other exception is logged (logger "vssapi"), kept in handler_errors, and
    reported to the library as a failed handler (VSS_E_WRITERERROR_NONRETRYABLE).

    The identity comes from keyword arguments or class attributes (class_id,
    name, instance_name, usage, source, level, freeze_timeout_ms, version).
    The writer subscribes at once unless subscribe=False.
    """

    _kind = "writer"
    _what = "Writer"

    class_id: Optional[GuidLike] = None
    name: Optional[str] = None
    instance_name: Optional[str] = None
    usage: UsageType = UsageType.USER_DATA
    source: SourceType = SourceType.OTHER
    level: AppLevel = AppLevel.FRONT_END
    freeze_timeout_ms: int = 0  # 0: the library's 60,000 ms
    version: Tuple[int, int] = (0, 0)

    def __init__(
        self,
        coordinator: Optional[Coordinator] = None,
        *,
        class_id: Optional[GuidLike] = None,
        name: Optional[str] = None,
        instance_name: Optional[str] = None,
        usage: Optional[UsageType] = None,
        source: Optional[SourceType] = None,
        level: Optional[AppLevel] = None,
        freeze_timeout_ms: Optional[int] = None,
        version: Optional[Tuple[int, int]] = None,
        subscribe: bool = True,
    ) -> None:
        for attribute, value in (
            ("class_id", class_id),
            ("name", name),
            ("instance_name", instance_name),
            ("usage", usage),
            ("source", source),
            ("level", level),
            ("freeze_timeout_ms", freeze_timeout_ms),
            ("version", version),
        ):
            if value is not None:
                setattr(self, attribute, value)
        self.handler_errors: List[BaseException] = []
        self._coordinator = coordinator

        info = _native.sized(_native.vss_writer_info)
        guid = to_guid(self.class_id, "class_id") if self.class_id is not None else None
        info.class_id = ctypes.pointer(guid) if guid is not None else None
        info.name = _native.utf8(self.name, "name")
        info.instance_name = _native.utf8(self.instance_name, "instance_name")
        info.usage = int(self.usage)
        info.source = int(self.source)
        info.level = int(self.level)
        info.freeze_timeout_ms = int(self.freeze_timeout_ms)
        info.version_major, info.version_minor = (int(part) for part in self.version)

        callbacks = _native.sized(_native.vss_writer_callbacks)
        overridden = []
        for slot, trampoline in _TRAMPOLINES.items():
            if getattr(type(self), slot) is not getattr(Writer, slot):
                setattr(callbacks, slot, trampoline)
                overridden.append(trampoline)
        # The library copies the table; keep the thunks anyway for our lifetime.
        self._callbacks = (callbacks, tuple(overridden))

        key = next(_writer_keys)
        with _writers_lock:
            _writers[key] = weakref.ref(self)
        out = c_void_p()
        try:
            check(
                _lib.vss_writer_create(
                    _handle_of(coordinator, "coordinator"), byref(info), byref(callbacks), key, byref(out)
                )
            )
        except BaseException:
            _forget_writer(key)
            raise
        self._own(out.value, _lib.vss_writer_release, after=lambda: _forget_writer(key))
        if subscribe:
            try:
                self.subscribe()
            except BaseException:
                self.close()
                raise

    # -- calls ------------------------------------------------------------------

    def subscribe(self) -> None:
        check(_lib.vss_writer_subscribe(self._require()))

    def unsubscribe(self) -> None:
        check(_lib.vss_writer_unsubscribe(self._require()))

    def close(self) -> None:
        """Stops the writer (no handler runs after it returns) and releases it.

        Called from inside one of its own handlers, the release happens on a
        helper thread once that handler has returned.
        """
        super().close()

    @property
    def instance_id(self) -> uuid.UUID:
        out = _native.vss_guid()
        check(_lib.vss_writer_instance_id(self._require(), byref(out)))
        return guid_to_uuid(out)

    @property
    def session_id(self) -> uuid.UUID:
        """The current backup session's id (the requester's session_id)."""
        out = _native.vss_guid()
        check(_lib.vss_writer_session_id(self._require(), byref(out)))
        return guid_to_uuid(out)

    def set_failure_ex(self, hr_writer: int, hr_application: int = 0, message: Optional[str] = None) -> None:
        """SetWriterFailureEx: only inside a handler, on the handler's thread."""
        check(
            _lib.vss_writer_set_failure_ex(
                self._require(), signed(hr_writer), signed(hr_application), _native.utf8(message, "message")
            )
        )

    def set_failure(self, hr_writer: int) -> None:
        """SetWriterFailure: only inside a handler, on the handler's thread."""
        check(_lib.vss_writer_set_failure(self._require(), signed(hr_writer)))

    # -- handlers: override the ones you need --------------------------------

    def on_identify(self, metadata: Metadata) -> Optional[bool]:
        """Declare components and files with metadata (a Metadata)."""
        return True

    def on_prepare_backup(self, components: Components) -> Optional[bool]:
        return True

    def on_prepare_snapshot(self) -> Optional[bool]:
        return True

    def on_freeze(self) -> Optional[bool]:
        return True

    def on_thaw(self) -> Optional[bool]:
        return True

    def on_abort(self) -> Optional[bool]:
        return True

    def on_post_snapshot(self, components: Components) -> Optional[bool]:
        return True

    def on_backup_complete(self, components: Components) -> Optional[bool]:
        return True

    def on_backup_shutdown(self, snapshot_set_id: uuid.UUID) -> Optional[bool]:
        """snapshot_set_id: a uuid.UUID."""
        return True

    def on_pre_restore(self, components: Components) -> Optional[bool]:
        return True

    def on_post_restore(self, components: Components) -> Optional[bool]:
        return True


# ---- requester -------------------------------------------------------------------


def _step_name(step: int) -> str:
    try:
        return Step(step).name
    except ValueError:
        return str(step)


class Async(Owned):
    """One step running in the background (IVssAsync), from Requester.start()."""

    _kind = "async"
    _what = "Async"

    def __init__(self, handle: Optional[int], requester: "Requester", step: Step) -> None:
        self._requester = requester
        self.step = step
        self._own(handle, _lib.vss_async_release)

    def wait(self, timeout: Optional[float] = None) -> HResult:
        """Waits up to timeout seconds (None: until the step ends); returns status().

        The timeout runs on the coordinator's clock: with a virtual clock it
        passes only with Coordinator.advance_clock.
        """
        if timeout is None:
            milliseconds = _INFINITE
        else:
            milliseconds = min(max(int(timeout * 1000), 0), _INFINITE - 1)
        check(_lib.vss_async_wait(self._require(), milliseconds))
        return self.status()

    def status(self) -> HResult:
        """VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED or the
        step's failure HRESULT (unsigned; not raised)."""
        out = _native.vss_hresult()
        check(_lib.vss_async_status(self._require(), byref(out)))
        return unsigned(out.value)

    @property
    def done(self) -> bool:
        return self.status() != VSS_S_ASYNC_PENDING

    def cancel(self) -> HResult:
        """Asks the step to stop. Returns S_OK, VSS_S_ASYNC_CANCELLED, or (once
        the step has ended) its final status, which may be its failure."""
        return unsigned(_lib.vss_async_cancel(self._require()))

    def result(self, timeout: Optional[float] = None) -> HResult:
        """Waits, then returns the final status, raising VssError if the step failed
        and TimeoutError if it is still running after timeout seconds."""
        status = self.wait(timeout)
        if status == VSS_S_ASYNC_PENDING:
            raise TimeoutError(f"{_step_name(self.step)} is still running")
        if failed(status):
            step = _step_name(self.step)
            raise VssError(status, f"{step}: {hresult_name(status)} ({hresult_meaning(status)})")
        return status


class Requester(Owned):
    """One backup session (IVssBackupComponents).

    Close requesters before the writers they talk to: closing sends
    OnBackupShutdown to the writers.
    """

    _kind = "requester"
    _what = "Requester"

    def __init__(self, coordinator: Optional[Coordinator] = None) -> None:
        self._coordinator = coordinator
        out = c_void_p()
        check(_lib.vss_requester_create(_handle_of(coordinator, "coordinator"), byref(out)))
        self._own(out.value, _lib.vss_requester_release)

    @classmethod
    def _borrowed(cls, handle: Optional[int], coordinator: Optional[Coordinator]) -> "Requester":
        """A Requester over a handle someone else releases (retry_run's fresh one):
        close() only stops its use."""
        self = cls.__new__(cls)
        self._coordinator = coordinator
        self._own(handle, lambda handle: None)
        return self

    @property
    def session_id(self) -> uuid.UUID:
        out = _native.vss_guid()
        check(_lib.vss_requester_session_id(self._require(), byref(out)))
        return guid_to_uuid(out)

    # -- setup -------------------------------------------------------------------

    def initialize_for_backup(self) -> None:
        check(_lib.vss_requester_initialize_for_backup(self._require()))

    def set_context(self, context: Union[Context, int]) -> None:
        check(_lib.vss_requester_set_context(self._require(), int(context)))

    def set_backup_state(
        self,
        select_components: bool = True,
        bootable_system_state: bool = False,
        backup_type: BackupType = BackupType.FULL,
        partial_file_support: bool = False,
    ) -> None:
        check(
            _lib.vss_requester_set_backup_state(
                self._require(),
                _bool(select_components),
                _bool(bootable_system_state),
                int(backup_type),
                _bool(partial_file_support),
            )
        )

    # -- steps ---------------------------------------------------------------------

    def run(self, step: Step) -> None:
        """Runs one step and waits for it; raises VssError if it failed."""
        check(_lib.vss_requester_run(self._require(), int(step)))

    def start(self, step: Step) -> Async:
        """Starts one step and returns its Async at once."""
        out = c_void_p()
        check(_lib.vss_requester_start(self._require(), int(step), byref(out)))
        return Async(out.value, self, step)

    def gather_writer_metadata(self) -> None:
        self.run(Step.GATHER_WRITER_METADATA)

    def prepare_for_backup(self) -> None:
        self.run(Step.PREPARE_FOR_BACKUP)

    def do_snapshot_set(self) -> None:
        self.run(Step.DO_SNAPSHOT_SET)

    def backup_complete(self) -> None:
        self.run(Step.BACKUP_COMPLETE)

    def gather_writer_status(self) -> None:
        self.run(Step.GATHER_WRITER_STATUS)

    def abort(self) -> None:
        check(_lib.vss_requester_abort(self._require()))

    # -- the Backup Components Document and the restore (C-8) -------------------

    def save_document(self) -> str:
        """SaveAsXML: the document as a str of XML, from prepare_for_backup() on."""
        out = c_void_p()
        check(_lib.vss_requester_save_document(self._require(), byref(out)))
        return _native.take_text(out.value) or ""

    def initialize_for_restore(self, xml: str) -> None:
        """InitializeForRestore with a document save_document() gave (in any process)."""
        check(_lib.vss_requester_initialize_for_restore(self._require(), _native.utf8(xml, "xml")))

    def resume_backup(self, xml: str) -> None:
        """InitializeForBackup with a saved document."""
        check(_lib.vss_requester_resume_backup(self._require(), _native.utf8(xml, "xml")))

    def set_restore_state(self, restore_type: RestoreType = RestoreType.BY_COPY) -> None:
        check(_lib.vss_requester_set_restore_state(self._require(), int(restore_type)))

    def _restore_call(self, function: Callable[..., int], class_id: GuidLike, logical_path: Optional[str],
                      name: str, type: ComponentType, *rest: Any) -> None:
        klass = to_guid(class_id, "class_id")
        check(
            function(
                self._require(),
                byref(klass),
                int(type),
                _native.utf8(logical_path, "logical_path"),
                _native.utf8(name, "name"),
                *rest,
            )
        )

    def select_for_restore(self, class_id: GuidLike, logical_path: Optional[str], name: str, selected: bool = True,
                           *, type: ComponentType = ComponentType.FILEGROUP) -> None:
        self._restore_call(_lib.vss_requester_select_for_restore, class_id, logical_path, name, type, _bool(selected))

    def set_restore_options(self, class_id: GuidLike, logical_path: Optional[str], name: str, options: str,
                            *, type: ComponentType = ComponentType.FILEGROUP) -> None:
        self._restore_call(
            _lib.vss_requester_set_restore_options, class_id, logical_path, name, type, _native.utf8(options, "options")
        )

    def set_file_restore_status(self, class_id: GuidLike, logical_path: Optional[str], name: str,
                                status: FileRestoreStatus, *, type: ComponentType = ComponentType.FILEGROUP) -> None:
        self._restore_call(_lib.vss_requester_set_file_restore_status, class_id, logical_path, name, type, int(status))

    def pre_restore(self) -> None:
        self.run(Step.PRE_RESTORE)

    def post_restore(self) -> None:
        self.run(Step.POST_RESTORE)

    # -- writer metadata ------------------------------------------------------

    @property
    def writer_count(self) -> int:
        count = c_uint32()
        check(_lib.vss_requester_writer_count(self._require(), byref(count)))
        return count.value

    def writer_identity(self, index: int) -> WriterIdentity:
        raw = _native.sized(_native.vss_writer_identity)
        check(_lib.vss_requester_writer_identity(self._require(), int(index), byref(raw)))
        try:
            return writer_identity_from(raw)
        finally:
            _lib.vss_writer_identity_clear(byref(raw))

    def writer_component(self, writer_index: int, component_index: int) -> ComponentInfo:
        raw = _native.sized(_native.vss_component_info)
        check(_lib.vss_requester_writer_component(self._require(), int(writer_index), int(component_index), byref(raw)))
        try:
            return component_info_from(raw)
        finally:
            _lib.vss_component_info_clear(byref(raw))

    def writers(self) -> List[WriterMetadata]:
        """Every writer's identity and components, after gather_writer_metadata()."""
        result = []
        for w in range(self.writer_count):
            identity = self.writer_identity(w)
            components = tuple(self.writer_component(w, c) for c in range(identity.component_count))
            result.append(WriterMetadata(identity, components))
        return result

    # -- selection and snapshot set -------------------------------------------

    def add_component(self, instance_id: GuidLike, class_id: GuidLike, logical_path: Optional[str], name: str,
                      *, type: ComponentType = ComponentType.FILEGROUP) -> None:
        instance, klass = to_guid(instance_id, "instance_id"), to_guid(class_id, "class_id")
        check(
            _lib.vss_requester_add_component(
                self._require(),
                byref(instance),
                byref(klass),
                int(type),
                _native.utf8(logical_path, "logical_path"),
                _native.utf8(name, "name"),
            )
        )

    def add_all_components(self) -> None:
        """Selects every component every writer declared."""
        check(_lib.vss_requester_add_all_components(self._require()))

    def start_snapshot_set(self) -> uuid.UUID:
        """Returns the new snapshot set's id."""
        out = _native.vss_guid()
        check(_lib.vss_requester_start_snapshot_set(self._require(), byref(out)))
        return guid_to_uuid(out)

    def add_to_snapshot_set(self, volume: PathLike,
                            provider: Union[GuidLike, Provider, ProviderInfo, None] = None) -> uuid.UUID:
        """Adds a volume (a drive letter, or a folder for the built-in providers but
        the simulated one); returns the new snapshot's id.

        provider: the id of the provider that snapshots it (a uuid.UUID, its str,
        vssapi.PROVIDER_*_ID, a registered Provider or a ProviderInfo); None: the
        coordinator's default. VSS_E_PROVIDER_NOT_REGISTERED for an id no
        provider has, VSS_E_OBJECT_NOT_FOUND for a volume that does not exist,
        VSS_E_VOLUME_NOT_SUPPORTED for one the provider cannot snapshot.
        """
        handle = self._require()
        name = _native.utf8(os.fspath(volume) if isinstance(volume, os.PathLike) else volume, "volume")
        out = _native.vss_guid()
        if provider is None:
            check(_lib.vss_requester_add_to_snapshot_set(handle, name, byref(out)))
        else:
            chosen = _provider.provider_guid(provider)
            check(_lib.vss_requester_add_to_snapshot_set_with(handle, name, byref(chosen), byref(out)))
        return guid_to_uuid(out)

    def snapshot_properties(self, snapshot_id: GuidLike) -> SnapshotProperties:
        snapshot = to_guid(snapshot_id, "snapshot_id")
        raw = _native.sized(_native.vss_snapshot_props)
        check(_lib.vss_requester_snapshot_props(self._require(), byref(snapshot), byref(raw)))
        try:
            return snapshot_properties_from(raw)
        finally:
            _lib.vss_snapshot_props_clear(byref(raw))

    # -- results ---------------------------------------------------------------

    @property
    def status_count(self) -> int:
        count = c_uint32()
        check(_lib.vss_requester_status_count(self._require(), byref(count)))
        return count.value

    def writer_status(self, index: int) -> WriterStatus:
        raw = _native.sized(_native.vss_writer_status)
        check(_lib.vss_requester_status(self._require(), int(index), byref(raw)))
        try:
            return writer_status_from(raw)
        finally:
            _lib.vss_writer_status_clear(byref(raw))

    def writer_statuses(self) -> List[WriterStatus]:
        """Every writer's status with the Ex fields, after gather_writer_status()."""
        return [self.writer_status(i) for i in range(self.status_count)]

    @property
    def component_count(self) -> int:
        count = c_uint32()
        check(_lib.vss_requester_component_count(self._require(), byref(count)))
        return count.value

    def component_failure(self, index: int) -> ComponentFailure:
        raw = _native.sized(_native.vss_component_failure)
        check(_lib.vss_requester_component_failure(self._require(), int(index), byref(raw)))
        try:
            return component_failure_from(raw)
        finally:
            _lib.vss_component_failure_clear(byref(raw))

    def component_failures(self) -> List[ComponentFailure]:
        """Every selected component of every writer, failed or not, in order."""
        return [self.component_failure(i) for i in range(self.component_count)]
