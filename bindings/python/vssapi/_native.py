"""The ctypes layer: loads libvssapi and declares abi/vssapi/vssapi.h as it is.

Nothing here is public. Every struct, callback type and prototype mirrors the
header one to one; the idiomatic classes live in the other modules.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from typing import Iterator, Optional, Type, TypeVar, Union

from ctypes import POINTER, c_char_p, c_int32, c_int64, c_uint8, c_uint16, c_uint32, c_uint64, c_void_p

# VSS_CALL is __stdcall on 32-bit Windows only; cdecl everywhere else.
if sys.platform == "win32" and ctypes.sizeof(c_void_p) == 4:  # pragma: no cover - Linux CI
    _Library = ctypes.WinDLL
    FUNCTYPE = ctypes.WINFUNCTYPE
else:
    _Library = ctypes.CDLL
    FUNCTYPE = ctypes.CFUNCTYPE


def _candidates() -> Iterator[str]:
    """The names to try, in order: $VSSAPI_LIBRARY alone when set, else the
    soname through the system's loader (LD_LIBRARY_PATH, ld.so.cache), then
    whatever ctypes.util.find_library finds (it runs ldconfig: only if needed)."""
    explicit = os.environ.get("VSSAPI_LIBRARY")
    if explicit:
        yield explicit
        return
    if sys.platform == "win32":  # pragma: no cover
        yield from ("vssapi.dll", "libvssapi.dll")
    elif sys.platform == "darwin":  # pragma: no cover
        yield from ("libvssapi.1.dylib", "libvssapi.dylib")
    else:
        yield from ("libvssapi.so.1", "libvssapi.so")
    found = ctypes.util.find_library("vssapi")
    if found:
        yield found


def _load() -> ctypes.CDLL:
    errors = []
    for name in _candidates():
        try:
            # CDLL (not PyDLL): the GIL is released during every call, so a
            # blocking step can run the writer's Python handlers on the
            # library's threads meanwhile.
            return _Library(name)
        except OSError as error:
            errors.append(f"{name}: {error}")
    raise ImportError(
        "vssapi: cannot load the openvss library (install it where the system's loader finds it, "
        "or set VSSAPI_LIBRARY to the path of libvssapi.so): "
        + "; ".join(errors)
    )


lib = _load()

vss_hresult = c_int32


class vss_guid(ctypes.Structure):
    _fields_ = [("data1", c_uint32), ("data2", c_uint16), ("data3", c_uint16), ("data4", c_uint8 * 8)]


class vss_coordinator_options(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("workers", c_uint32),
        ("event_timeout_ms", c_uint32),
        ("commit_window_ms", c_uint32),
        ("session_limit", c_uint32),
        ("virtual_clock", c_int32),
    ]


class vss_writer_info(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("class_id", POINTER(vss_guid)),
        ("name", c_char_p),
        ("instance_name", c_char_p),
        ("usage", c_int32),
        ("source", c_int32),
        ("level", c_int32),
        ("freeze_timeout_ms", c_uint32),
        ("version_major", c_uint32),
        ("version_minor", c_uint32),
    ]


# Handler types. Handles arrive as c_void_p (an int, or None for NULL).
identify_handler = FUNCTYPE(c_int32, c_void_p, c_void_p, c_void_p)
handler = FUNCTYPE(c_int32, c_void_p, c_void_p)
components_handler = FUNCTYPE(c_int32, c_void_p, c_void_p, c_void_p)
shutdown_handler = FUNCTYPE(c_int32, c_void_p, c_void_p, POINTER(vss_guid))


class vss_writer_callbacks(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("on_identify", identify_handler),
        ("on_prepare_backup", components_handler),
        ("on_prepare_snapshot", handler),
        ("on_freeze", handler),
        ("on_thaw", handler),
        ("on_abort", handler),
        ("on_post_snapshot", components_handler),
        ("on_backup_complete", components_handler),
        ("on_backup_shutdown", shutdown_handler),
        ("on_pre_restore", components_handler),
        ("on_post_restore", components_handler),
    ]


class vss_writer_identity(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("instance_id", vss_guid),
        ("class_id", vss_guid),
        ("name", c_void_p),
        ("instance_name", c_void_p),
        ("usage", c_int32),
        ("source", c_int32),
        ("component_count", c_uint32),
    ]


class vss_component_info(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("type", c_int32),
        ("logical_path", c_void_p),
        ("name", c_void_p),
        ("caption", c_void_p),
        ("selectable", c_int32),
        ("file_count", c_uint32),
        ("database_count", c_uint32),
        ("log_count", c_uint32),
    ]


class vss_writer_status(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("instance_id", vss_guid),
        ("class_id", vss_guid),
        ("name", c_void_p),
        ("state", c_int32),
        ("hr_failure_writer", vss_hresult),
        ("hr_application", vss_hresult),
        ("message", c_void_p),
    ]


class vss_component_failure(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("instance_id", vss_guid),
        ("class_id", vss_guid),
        ("logical_path", c_void_p),
        ("name", c_void_p),
        ("hr", vss_hresult),
        ("hr_application", vss_hresult),
        ("message", c_void_p),
    ]


class vss_snapshot_props(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("snapshot_id", vss_guid),
        ("snapshot_set_id", vss_guid),
        ("provider_id", vss_guid),
        ("snapshots_in_set", c_int32),
        ("original_volume", c_void_p),
        ("device_name", c_void_p),
        ("attributes", c_int32),
        ("creation_time", c_int64),
    ]


class vss_provider_info(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("id", vss_guid),
        ("name", c_void_p),
        ("type", c_int32),
        ("version", c_void_p),
    ]


# Provider callback types (vss_provider_callbacks); GUIDs arrive by pointer.
volume_check = FUNCTYPE(c_int32, c_void_p, c_char_p)
prepare_step = FUNCTYPE(c_int32, c_void_p, POINTER(vss_guid), POINTER(vss_guid), c_char_p)
set_step = FUNCTYPE(c_int32, c_void_p, POINTER(vss_guid))
count_step = FUNCTYPE(c_int32, c_void_p, POINTER(vss_guid), c_int32)
device_step = FUNCTYPE(c_int32, c_void_p, POINTER(vss_guid), c_void_p, c_uint32)
snapshot_step = FUNCTYPE(c_int32, c_void_p, POINTER(vss_guid))


class vss_provider_callbacks(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("id", vss_guid),
        ("name", c_char_p),
        ("version", c_char_p),
        ("is_volume_supported", volume_check),
        ("prepare_for_snapshot", prepare_step),
        ("end_prepare_snapshots", set_step),
        ("pre_commit_snapshots", set_step),
        ("commit_snapshots", set_step),
        ("post_commit_snapshots", count_step),
        ("pre_final_commit_snapshots", set_step),
        ("post_final_commit_snapshots", set_step),
        ("abort_snapshots", set_step),
        ("snapshot_device", device_step),
        ("delete_snapshot", snapshot_step),
    ]


class vss_retry_policy(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("max_retries", c_uint32),
        ("wait_ms", c_uint64),
        ("in_progress_max_retries", c_uint32),
        ("reserved", c_uint32),
        ("in_progress_wait_ms", c_uint64),
    ]


class vss_retry_attempt(ctypes.Structure):
    _fields_ = [
        ("size", c_uint32),
        ("number", c_uint32),
        ("result", c_int32),
        ("retry_class", c_int32),
        ("start_ms", c_uint64),
        ("end_ms", c_uint64),
        ("wait_ms", c_uint64),
    ]


retry_attempt_fn = FUNCTYPE(c_int32, c_void_p, c_void_p, c_uint32)
retry_report_fn = FUNCTYPE(None, c_void_p, POINTER(vss_retry_attempt))


def _declare(name, restype, *argtypes):
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)


P = c_void_p  # every opaque handle
PP = POINTER(c_void_p)
G = POINTER(vss_guid)
H = vss_hresult

# library
_declare("vss_version", c_char_p)
_declare("vss_abi_version", c_int32)
_declare("vss_last_error_message", c_char_p)
_declare("vss_free", None, c_void_p)
_declare("vss_hresult_name", c_char_p, H)
_declare("vss_hresult_meaning", c_char_p, H)
_declare("vss_writer_state_name", c_char_p, c_int32)
_declare("vss_is_retryable", c_int32, H)
# coordinator
_declare("vss_coordinator_default", H, PP)
_declare("vss_coordinator_create", H, POINTER(vss_coordinator_options), PP)
_declare("vss_coordinator_advance_clock", H, P, c_uint64)
_declare("vss_coordinator_release", None, P)
# scenarios
_declare("vss_scenario_load", H, P, c_char_p, PP)
_declare("vss_scenario_load_text", H, P, c_char_p, PP)
_declare("vss_scenario_release", None, P)
# writer
_declare("vss_writer_create", H, P, POINTER(vss_writer_info), POINTER(vss_writer_callbacks), P, PP)
_declare("vss_writer_subscribe", H, P)
_declare("vss_writer_unsubscribe", H, P)
_declare("vss_writer_release", None, P)
_declare("vss_writer_instance_id", H, P, G)
_declare("vss_writer_set_failure_ex", H, P, H, H, c_char_p)
_declare("vss_writer_set_failure", H, P, H)
_declare("vss_writer_session_id", H, P, G)
_declare("vss_metadata_add_component", H, P, c_int32, c_char_p, c_char_p, c_char_p, c_int32)
_declare("vss_metadata_add_files", H, P, c_int32, c_char_p, c_char_p, c_char_p, c_char_p, c_int32)
_declare("vss_metadata_add_include_files", H, P, c_char_p, c_char_p, c_int32)
_declare("vss_metadata_add_exclude_files", H, P, c_char_p, c_char_p, c_int32)
_declare("vss_components_count", H, P, POINTER(c_uint32))
_declare("vss_components_get", H, P, c_uint32, PP, PP)
_declare("vss_components_set_failure", H, P, c_uint32, H, H, c_char_p)
# requester
_declare("vss_requester_create", H, P, PP)
_declare("vss_requester_release", None, P)
_declare("vss_requester_session_id", H, P, G)
_declare("vss_requester_initialize_for_backup", H, P)
_declare("vss_requester_set_context", H, P, c_int32)
_declare("vss_requester_set_backup_state", H, P, c_int32, c_int32, c_int32, c_int32)
_declare("vss_requester_run", H, P, c_int32)
_declare("vss_requester_start", H, P, c_int32, PP)
_declare("vss_async_wait", H, P, c_uint32)
_declare("vss_async_status", H, P, POINTER(H))
_declare("vss_async_cancel", H, P)
_declare("vss_async_release", None, P)
_declare("vss_requester_writer_count", H, P, POINTER(c_uint32))
_declare("vss_requester_writer_identity", H, P, c_uint32, POINTER(vss_writer_identity))
_declare("vss_writer_identity_clear", None, POINTER(vss_writer_identity))
_declare("vss_requester_writer_component", H, P, c_uint32, c_uint32, POINTER(vss_component_info))
_declare("vss_component_info_clear", None, POINTER(vss_component_info))
_declare("vss_requester_add_component", H, P, G, G, c_int32, c_char_p, c_char_p)
_declare("vss_requester_add_all_components", H, P)
_declare("vss_requester_start_snapshot_set", H, P, G)
_declare("vss_requester_add_to_snapshot_set", H, P, c_char_p, G)
_declare("vss_requester_abort", H, P)
_declare("vss_requester_status_count", H, P, POINTER(c_uint32))
_declare("vss_requester_status", H, P, c_uint32, POINTER(vss_writer_status))
_declare("vss_writer_status_clear", None, POINTER(vss_writer_status))
_declare("vss_requester_component_count", H, P, POINTER(c_uint32))
_declare("vss_requester_component_failure", H, P, c_uint32, POINTER(vss_component_failure))
_declare("vss_component_failure_clear", None, POINTER(vss_component_failure))
_declare("vss_requester_snapshot_props", H, P, G, POINTER(vss_snapshot_props))
_declare("vss_snapshot_props_clear", None, POINTER(vss_snapshot_props))
# the Backup Components Document and the restore (1.1)
_declare("vss_requester_save_document", H, P, PP)
_declare("vss_requester_initialize_for_restore", H, P, c_char_p)
_declare("vss_requester_resume_backup", H, P, c_char_p)
_declare("vss_requester_set_restore_state", H, P, c_int32)
_declare("vss_requester_select_for_restore", H, P, G, c_int32, c_char_p, c_char_p, c_int32)
_declare("vss_requester_set_restore_options", H, P, G, c_int32, c_char_p, c_char_p, c_char_p)
_declare("vss_requester_set_file_restore_status", H, P, G, c_int32, c_char_p, c_char_p, c_int32)
_declare("vss_components_get_text", H, P, c_uint32, c_int32, PP)
_declare("vss_components_set_text", H, P, c_uint32, c_int32, c_char_p)
_declare("vss_components_selected_for_restore", H, P, c_uint32, POINTER(c_int32))
_declare("vss_components_file_restore_status", H, P, c_uint32, POINTER(c_int32))
# snapshot providers (1.1)
_declare("vss_requester_add_to_snapshot_set_with", H, P, c_char_p, G, G)
_declare("vss_coordinator_provider_count", H, P, POINTER(c_uint32))
_declare("vss_coordinator_provider", H, P, c_uint32, POINTER(vss_provider_info))
_declare("vss_provider_info_clear", None, POINTER(vss_provider_info))
_declare("vss_coordinator_register_provider", H, P, POINTER(vss_provider_callbacks), P)
_declare("vss_coordinator_unregister_provider", H, P, G)
# the retry helper
_declare("vss_retry_policy_default", H, POINTER(vss_retry_policy))
_declare("vss_retry_run", H, P, POINTER(vss_retry_policy), retry_attempt_fn, retry_report_fn, P)


_S = TypeVar("_S", bound=ctypes.Structure)


def sized(struct_type: Type[_S]) -> _S:
    """A zeroed struct whose leading `size` field is set, as the header asks."""
    value = struct_type()
    value.size = ctypes.sizeof(struct_type)
    return value


def text(pointer: Optional[int]) -> Optional[str]:
    """Copies a library string (char * as an int, or None) into a str; None stays None."""
    if not pointer:
        return None
    return ctypes.string_at(pointer).decode("utf-8", errors="replace")


def required_text(pointer: Optional[int]) -> str:
    """text() of a field the header says is always allocated ("" should it be NULL)."""
    return text(pointer) or ""


def take_text(pointer: Optional[int]) -> Optional[str]:
    """Copies a string the library allocated for us, then frees it with vss_free."""
    try:
        return text(pointer)
    finally:
        if pointer:
            lib.vss_free(pointer)


def utf8(value: Union[str, bytes, None], what: str = "string") -> Optional[bytes]:
    """A str as UTF-8 for the library; None stays NULL.

    A str holding surrogates is read as UTF-16 would be, as contract C-6.2 asks
    of the library: a high and low surrogate pair is the character it encodes,
    a lone surrogate becomes U+FFFD.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        try:
            data = value.encode("utf-8")
        except UnicodeEncodeError:
            utf16 = value.encode("utf-16-le", errors="surrogatepass")
            data = utf16.decode("utf-16-le", errors="replace").encode("utf-8")
    else:
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    if b"\0" in data:
        raise ValueError(f"{what} contains an embedded NUL character")
    return data
