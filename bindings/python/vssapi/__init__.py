"""vssapi: Python binding of openvss, over its flat C API (vssapi/vssapi.h), with ctypes only.

    import vssapi

    class MyWriter(vssapi.Writer):
        def on_freeze(self):
            raise vssapi.WriterFailure(vssapi.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, "busy")

    with vssapi.Coordinator() as c, MyWriter(c, class_id=..., name="My Writer"), vssapi.Requester(c) as r:
        ...

The library is found by the system's loader (libvssapi.so.1 on Linux,
vssapi.dll on Windows); $VSSAPI_LIBRARY, when set, names the file instead.
HRESULTs are unsigned ints; their constants (vssapi.E_INVALIDARG, ...) come
from vssapi.hresults. Failed calls raise VssError (hresult, name, message).
"""

from . import hresults
from ._core import Async, Component, Components, Coordinator, Metadata, Requester, Scenario, Writer
from ._errors import HResult, VssError, WriterFailure, failed, hresult_meaning, hresult_name, is_retryable, writer_state_name
from ._native import lib as _lib
from ._provider import Provider
from ._retry import RetryPolicy, retry_run
from ._types import (
    PROVIDER_BTRFS_ID,
    PROVIDER_COPY_ID,
    PROVIDER_FSFREEZE_ID,
    PROVIDER_LIVE_ID,
    PROVIDER_REFLINK_ID,
    PROVIDER_SIMULATED_ID,
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
    ProviderType,
    RestoreType,
    RetryAttempt,
    RetryClass,
    SnapshotProperties,
    SourceType,
    Step,
    UsageType,
    WriterIdentity,
    WriterMetadata,
    WriterState,
    WriterStatus,
)
from .hresults import *  # noqa: F401,F403 - the HRESULT constants, as vssapi.VSS_E_...

__version__: str = _lib.vss_version().decode("ascii")

ABI_VERSION = 1  # the vssapi.h this binding was written against
if _lib.vss_abi_version() < ABI_VERSION:  # pragma: no cover
    raise ImportError(f"vssapi: the library's ABI {_lib.vss_abi_version()} is older than {ABI_VERSION}")


def version() -> str:
    """The library's version string ("0.1.0")."""
    return _lib.vss_version().decode("ascii")


def abi_version() -> int:
    """The library's flat ABI version (VSSAPI_ABI_VERSION, 1)."""
    return int(_lib.vss_abi_version())


__all__ = [
    "ABI_VERSION",
    "PROVIDER_BTRFS_ID",
    "PROVIDER_COPY_ID",
    "PROVIDER_FSFREEZE_ID",
    "PROVIDER_LIVE_ID",
    "PROVIDER_REFLINK_ID",
    "PROVIDER_SIMULATED_ID",
    "GuidLike",
    "Provider",
    "ProviderInfo",
    "ProviderType",
    "RetryAttempt",
    "RetryClass",
    "RetryPolicy",
    "ComponentText",
    "FileRestoreStatus",
    "RestoreType",
    "AppLevel",
    "Async",
    "BackupType",
    "Component",
    "ComponentFailure",
    "ComponentInfo",
    "ComponentType",
    "Components",
    "Context",
    "Coordinator",
    "FileKind",
    "HResult",
    "Metadata",
    "Requester",
    "SnapshotProperties",
    "SourceType",
    "Step",
    "UsageType",
    "VssError",
    "Writer",
    "WriterFailure",
    "WriterIdentity",
    "WriterMetadata",
    "WriterState",
    "WriterStatus",
    "abi_version",
    "failed",
    "hresult_meaning",
    "hresult_name",
    "hresults",
    "is_retryable",
    "retry_run",
    "version",
    "writer_state_name",
] + hresults.__all__
