"""Snapshot providers written in Python (vss_provider_callbacks), and the
registry that keeps them alive while a coordinator can call them."""

from __future__ import annotations

import ctypes
import itertools
import logging
import threading
import uuid
from ctypes import byref
from typing import Any, Callable, Dict, List, Optional, Union

from . import _native
from ._errors import VssError, check, failed, signed
from ._handles import enter_handler, leave_handler
from ._types import GuidLike, ProviderInfo, guid_to_uuid, to_guid
from .hresults import (
    S_OK,
    VSS_E_BAD_STATE,
    VSS_E_PROVIDER_NOT_REGISTERED,
    VSS_E_PROVIDER_VETO,
    VSS_E_UNEXPECTED_PROVIDER_ERROR,
    VSS_E_VOLUME_NOT_SUPPORTED,
)

_lib = _native.lib
_log = logging.getLogger("vssapi")


class Provider:
    """A snapshot provider. Subclass it, override the steps you need, and
    register an instance with Coordinator.register_provider.

    The steps are those of the SDK's IVssProviderCreateSnapshotSet, called for
    one snapshot set on a thread of the library, in this order, while the
    requester's do_snapshot_set() is pending: prepare_for_snapshot once per
    volume, end_prepare_snapshots, pre_commit_snapshots, commit_snapshots,
    post_commit_snapshots, pre_final_commit_snapshots,
    post_final_commit_snapshots, then snapshot_device once per snapshot.

    Each step returns None or True (fine) or False (a veto:
    VSS_E_PROVIDER_VETO). raise VssError(hr) fails it with that HRESULT; any
    other exception is logged (logger "vssapi"), kept in handler_errors, and
    fails it with VSS_E_UNEXPECTED_PROVIDER_ERROR. A failed step ends the set:
    abort_snapshots is called and no snapshot is made.

    Steps not overridden are not given to the library, which skips them;
    without is_volume_supported a volume must be a folder that exists. The
    identity comes from keyword arguments or class attributes: id (required),
    name (required), version (None: "1.0").
    """

    id: Optional[GuidLike] = None
    name: Optional[str] = None
    version: Optional[str] = None

    def __init__(self, *, id: Optional[GuidLike] = None, name: Optional[str] = None,
                 version: Optional[str] = None) -> None:
        if id is not None:
            self.id = id
        if name is not None:
            self.name = name
        if version is not None:
            self.version = version
        self.handler_errors: List[BaseException] = []

    # -- steps: override the ones you need -------------------------------------

    def is_volume_supported(self, volume: str) -> Optional[bool]:
        """False: VSS_E_VOLUME_NOT_SUPPORTED; raise VssError(VSS_E_OBJECT_NOT_FOUND)
        for a volume that does not exist."""
        return True

    def prepare_for_snapshot(self, snapshot_set_id: uuid.UUID, snapshot_id: uuid.UUID,
                             volume: str) -> Optional[bool]:
        return True

    def end_prepare_snapshots(self, snapshot_set_id: uuid.UUID) -> Optional[bool]:
        return True

    def pre_commit_snapshots(self, snapshot_set_id: uuid.UUID) -> Optional[bool]:
        return True

    def commit_snapshots(self, snapshot_set_id: uuid.UUID) -> Optional[bool]:
        """Always given to the library (it requires this step)."""
        return True

    def post_commit_snapshots(self, snapshot_set_id: uuid.UUID, count: int) -> Optional[bool]:
        """count: how many snapshots the set holds."""
        return True

    def pre_final_commit_snapshots(self, snapshot_set_id: uuid.UUID) -> Optional[bool]:
        return True

    def post_final_commit_snapshots(self, snapshot_set_id: uuid.UUID) -> Optional[bool]:
        return True

    def abort_snapshots(self, snapshot_set_id: uuid.UUID) -> Optional[bool]:
        """After a failed step; what it returns is not looked at."""
        return True

    def snapshot_device(self, snapshot_id: uuid.UUID) -> str:
        """The snapshot's device path (snapshot properties' device_name): a str,
        at most 4,095 bytes of UTF-8. Not overridden: device_name is empty."""
        raise NotImplementedError

    def delete_snapshot(self, snapshot_id: uuid.UUID) -> Optional[bool]:
        """A snapshot is deleted, released with its requester, or was made by a
        commit that finished too late; what it returns is not looked at."""
        return True


# Registered providers by the key passed to the library as `user`. Strong:
# a registered provider stays alive without its caller keeping a reference.
_providers: Dict[int, Provider] = {}
_providers_lock = threading.Lock()
_provider_keys = itertools.count(1)
_local = threading.local()


def _running() -> List[int]:
    """Keys of the providers whose callback runs on this thread right now."""
    running = getattr(_local, "running", None)
    if running is None:
        running = _local.running = []
    return running


def _dispatch(key: Optional[int], method: str, call: Callable[[Provider], Any], veto: int) -> int:
    """Runs one provider step on the library's thread. Never lets an exception out."""
    enter_handler()
    running = _running()
    running.append(key or 0)
    provider = None
    try:
        with _providers_lock:
            provider = _providers.get(key or 0)
        if provider is None:
            return signed(VSS_E_PROVIDER_NOT_REGISTERED)  # being unregistered
        return signed(veto) if call(provider) is False else S_OK
    except VssError as error:
        return signed(error.hresult if failed(error.hresult) else VSS_E_UNEXPECTED_PROVIDER_ERROR)
    except BaseException as error:  # noqa: B902 - nothing may unwind into C
        try:
            if provider is not None:
                provider.handler_errors.append(error)
            _log.error("vssapi: %s raised in %s; the library reports it as VSS_E_UNEXPECTED_PROVIDER_ERROR",
                       method, type(provider).__name__ if provider is not None else "a provider", exc_info=error)
        except BaseException:  # noqa: B902
            pass
        return signed(VSS_E_UNEXPECTED_PROVIDER_ERROR)
    finally:
        running.pop()
        del provider  # before leaving: a finalizer it triggers must see in_handler()
        leave_handler()


def _volume(raw: Optional[bytes]) -> str:
    return (raw or b"").decode("utf-8", errors="replace")


def _uuid(pointer: Any) -> uuid.UUID:
    return guid_to_uuid(pointer.contents)


def _is_volume_supported(user, volume):
    return _dispatch(user, "is_volume_supported", lambda p: p.is_volume_supported(_volume(volume)),
                     VSS_E_VOLUME_NOT_SUPPORTED)


def _prepare_for_snapshot(user, snapshot_set_id, snapshot_id, volume):
    return _dispatch(
        user,
        "prepare_for_snapshot",
        lambda p: p.prepare_for_snapshot(_uuid(snapshot_set_id), _uuid(snapshot_id), _volume(volume)),
        VSS_E_PROVIDER_VETO,
    )


def _set_step(method: str):
    def trampoline(user, snapshot_set_id):
        return _dispatch(user, method, lambda p: getattr(p, method)(_uuid(snapshot_set_id)), VSS_E_PROVIDER_VETO)

    return trampoline


def _post_commit_snapshots(user, snapshot_set_id, count):
    return _dispatch(user, "post_commit_snapshots",
                     lambda p: p.post_commit_snapshots(_uuid(snapshot_set_id), int(count)), VSS_E_PROVIDER_VETO)


def _snapshot_device(user, snapshot_id, buffer, size):
    def write(provider: Provider) -> None:
        device = provider.snapshot_device(_uuid(snapshot_id))
        if not isinstance(device, str):
            raise TypeError(f"snapshot_device must return a str, not {type(device).__name__}")
        data = _native.utf8(device, "device path") or b""
        if len(data) >= size:
            raise ValueError(f"the device path takes {len(data)} bytes of UTF-8; the library has room for {size - 1}")
        ctypes.memmove(buffer, data + b"\0", len(data) + 1)

    return _dispatch(user, "snapshot_device", write, VSS_E_UNEXPECTED_PROVIDER_ERROR)


def _delete_snapshot(user, snapshot_id):
    return _dispatch(user, "delete_snapshot", lambda p: p.delete_snapshot(_uuid(snapshot_id)), VSS_E_PROVIDER_VETO)


# One C entry point per slot for the whole process, as for writers: never
# freed, so a thunk the library holds can outlive any one registration.
_TRAMPOLINES = {
    "is_volume_supported": _native.volume_check(_is_volume_supported),
    "prepare_for_snapshot": _native.prepare_step(_prepare_for_snapshot),
    "end_prepare_snapshots": _native.set_step(_set_step("end_prepare_snapshots")),
    "pre_commit_snapshots": _native.set_step(_set_step("pre_commit_snapshots")),
    "commit_snapshots": _native.set_step(_set_step("commit_snapshots")),
    "post_commit_snapshots": _native.count_step(_post_commit_snapshots),
    "pre_final_commit_snapshots": _native.set_step(_set_step("pre_final_commit_snapshots")),
    "post_final_commit_snapshots": _native.set_step(_set_step("post_final_commit_snapshots")),
    "abort_snapshots": _native.set_step(_set_step("abort_snapshots")),
    "snapshot_device": _native.device_step(_snapshot_device),
    "delete_snapshot": _native.snapshot_step(_delete_snapshot),
}


def provider_guid(value: Union[GuidLike, Provider, ProviderInfo], what: str = "provider") -> _native.vss_guid:
    """A provider id (uuid.UUID, str, a Provider or a ProviderInfo) as a vss_guid."""
    if isinstance(value, Provider):
        if value.id is None:
            raise ValueError(f"{type(value).__name__} has no id")
        value = value.id
    elif isinstance(value, ProviderInfo):
        value = value.id
    return to_guid(value, what)


def register(coordinator: Optional[int], registrations: Dict[uuid.UUID, int], provider: Provider) -> None:
    """vss_coordinator_register_provider with provider's table; records it in registrations."""
    if not isinstance(provider, Provider):
        raise TypeError(f"provider must be a vssapi.Provider, not {type(provider).__name__}")
    table = _native.sized(_native.vss_provider_callbacks)
    if provider.id is not None:  # else all zero, which the library refuses (E_INVALIDARG)
        table.id = to_guid(provider.id, "id")
    table.name = _native.utf8(provider.name, "name")
    table.version = _native.utf8(provider.version, "version")
    for slot, trampoline in _TRAMPOLINES.items():
        if slot == "commit_snapshots" or getattr(type(provider), slot) is not getattr(Provider, slot):
            setattr(table, slot, trampoline)
    key = next(_provider_keys)
    with _providers_lock:
        _providers[key] = provider
    try:
        check(_lib.vss_coordinator_register_provider(coordinator, byref(table), key))
    except BaseException:
        _forget(key)
        raise
    registrations[guid_to_uuid(table.id)] = key


def unregister(coordinator: Optional[int], registrations: Dict[uuid.UUID, int], provider: Union[GuidLike, Provider, ProviderInfo]) -> None:
    """vss_coordinator_unregister_provider; forgets the provider once no call of it can come."""
    guid = provider_guid(provider)
    wanted = guid_to_uuid(guid)
    key = registrations.get(wanted)
    if key is not None and key in _running():
        # The library waits for the provider's running calls: this one would wait for itself.
        raise VssError(VSS_E_BAD_STATE, "a provider cannot be unregistered from inside one of its own steps")
    hr = _lib.vss_coordinator_unregister_provider(coordinator, byref(guid))
    if hr == S_OK or hr == signed(VSS_E_PROVIDER_NOT_REGISTERED):
        registrations.pop(wanted, None)
        if key is not None:
            _forget(key)
    check(hr)


def unregister_all(coordinator: Optional[int], registrations: Dict[uuid.UUID, int]) -> None:
    """On a coordinator's release: every provider registered through it."""
    for wanted, key in list(registrations.items()):
        guid = to_guid(wanted)
        _lib.vss_coordinator_unregister_provider(coordinator, byref(guid))
        _forget(key)
    registrations.clear()


def _forget(key: int) -> None:
    with _providers_lock:
        _providers.pop(key, None)


def registered_count() -> int:
    """How many Python providers are registered (for tests)."""
    with _providers_lock:
        return len(_providers)
