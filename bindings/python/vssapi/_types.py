"""Enumerations of abi/vss.h and abi/vswriter.h, and the records the requester reads."""

from __future__ import annotations

import datetime
import enum
import uuid
from dataclasses import dataclass
from typing import Optional, Tuple, Type, TypeVar, Union

from . import _native
from ._errors import HResult, hresult_name, unsigned

GuidLike = Union[uuid.UUID, str, bytes]
"""What a GUID argument takes: a uuid.UUID, its str form, or 16 bytes in Windows order (bytes_le)."""

_E = TypeVar("_E", bound=enum.IntEnum)


class Step(enum.IntEnum):
    """The asynchronous steps of a backup (vss_step)."""

    GATHER_WRITER_METADATA = 0
    PREPARE_FOR_BACKUP = 1
    DO_SNAPSHOT_SET = 2
    BACKUP_COMPLETE = 3
    GATHER_WRITER_STATUS = 4
    PRE_RESTORE = 5
    POST_RESTORE = 6


class ComponentText(enum.IntEnum):
    """The texts of one component in a handler (vss_component_text)."""

    BACKUP_METADATA = 0
    BACKUP_STAMP = 1
    PREVIOUS_BACKUP_STAMP = 2
    BACKUP_OPTIONS = 3
    RESTORE_OPTIONS = 4
    RESTORE_METADATA = 5
    PRE_RESTORE_FAILURE_MSG = 6
    POST_RESTORE_FAILURE_MSG = 7
    PREPARE_FOR_BACKUP_FAILURE_MSG = 8
    POST_SNAPSHOT_FAILURE_MSG = 9


class RestoreType(enum.IntEnum):
    """VSS_RESTORE_TYPE."""

    BY_COPY = 1
    IMPORT = 2
    OTHER = 3


class FileRestoreStatus(enum.IntEnum):
    """VSS_FILE_RESTORE_STATUS."""

    UNDEFINED = 0
    NONE = 1
    ALL = 2
    FAILED = 3


class WriterState(enum.IntEnum):
    """VSS_WRITER_STATE."""

    UNKNOWN = 0
    STABLE = 1
    WAITING_FOR_FREEZE = 2
    WAITING_FOR_THAW = 3
    WAITING_FOR_POST_SNAPSHOT = 4
    WAITING_FOR_BACKUP_COMPLETE = 5
    FAILED_AT_IDENTIFY = 6
    FAILED_AT_PREPARE_BACKUP = 7
    FAILED_AT_PREPARE_SNAPSHOT = 8
    FAILED_AT_FREEZE = 9
    FAILED_AT_THAW = 10
    FAILED_AT_POST_SNAPSHOT = 11
    FAILED_AT_BACKUP_COMPLETE = 12
    FAILED_AT_PRE_RESTORE = 13
    FAILED_AT_POST_RESTORE = 14
    FAILED_AT_BACKUPSHUTDOWN = 15


class BackupType(enum.IntEnum):
    """VSS_BACKUP_TYPE."""

    UNDEFINED = 0
    FULL = 1
    INCREMENTAL = 2
    DIFFERENTIAL = 3
    LOG = 4
    COPY = 5
    OTHER = 6


class UsageType(enum.IntEnum):
    """VSS_USAGE_TYPE."""

    UNDEFINED = 0
    BOOTABLE_SYSTEM_STATE = 1
    SYSTEM_SERVICE = 2
    USER_DATA = 3
    OTHER = 4


class SourceType(enum.IntEnum):
    """VSS_SOURCE_TYPE."""

    UNDEFINED = 0
    TRANSACTED_DB = 1
    NONTRANSACTED_DB = 2
    OTHER = 3


class AppLevel(enum.IntEnum):
    """VSS_APPLICATION_LEVEL (the writer's freeze level)."""

    UNKNOWN = 0
    SYSTEM = 1
    BACK_END = 2
    FRONT_END = 3
    SYSTEM_RM = 4
    AUTO = -1


class ComponentType(enum.IntEnum):
    """VSS_COMPONENT_TYPE."""

    UNDEFINED = 0
    DATABASE = 1
    FILEGROUP = 2


class FileKind(enum.IntEnum):
    """The `kind` of vss_metadata_add_files."""

    FILE_GROUP = 0
    DATABASE = 1
    DATABASE_LOG = 2


class ProviderType(enum.IntEnum):
    """VSS_PROVIDER_TYPE."""

    UNKNOWN = 0
    SYSTEM = 1
    SOFTWARE = 2
    HARDWARE = 3
    FILESHARE = 4


class RetryClass(enum.IntEnum):
    """What is_retryable answers (vss_retry_class)."""

    NO = 0
    AFTER_WAIT = 1
    SHORT_BACK_OFF = 2


# The built-in providers' ids (VSS_PROVIDER_*_ID in vssapi.h), as uuid.UUID.
PROVIDER_SIMULATED_ID = uuid.UUID("b5946137-7b9f-4925-af80-51abd60b20d5")
PROVIDER_LIVE_ID = uuid.UUID("6f70656e-7673-4c69-7665-000000000001")
PROVIDER_COPY_ID = uuid.UUID("6f70656e-7673-436f-7079-000000000001")
PROVIDER_BTRFS_ID = uuid.UUID("6f70656e-7673-4274-7266-000000000001")  # Linux
PROVIDER_REFLINK_ID = uuid.UUID("6f70656e-7673-5266-6c6b-000000000001")  # Linux
PROVIDER_FSFREEZE_ID = uuid.UUID("6f70656e-7673-4672-7a66-000000000001")  # Linux


class Context(enum.IntEnum):
    """VSS_SNAPSHOT_CONTEXT, for Requester.set_context."""

    BACKUP = 0
    FILE_SHARE_BACKUP = 0x10
    NAS_ROLLBACK = 0x19
    APP_ROLLBACK = 9
    CLIENT_ACCESSIBLE = 0x1D
    CLIENT_ACCESSIBLE_WRITERS = 13
    ALL = -1


def as_enum(kind: Type[_E], value: int) -> _E:
    """kind(value), or the plain int when the library returns a value kind lacks.

    Typed as kind all the same: only a newer library could send such a value,
    and `status.state.name` should type-check."""
    try:
        return kind(value)
    except ValueError:
        return int(value)  # type: ignore[return-value]


def guid_to_uuid(guid: _native.vss_guid) -> uuid.UUID:
    """A vss_guid (Windows layout) as a uuid.UUID, independent of host byte order."""
    return uuid.UUID(
        int=(guid.data1 << 96) | (guid.data2 << 80) | (guid.data3 << 64) | int.from_bytes(bytes(guid.data4), "big")
    )


def to_guid(value: GuidLike, what: str = "GUID") -> _native.vss_guid:
    """A uuid.UUID, its str form or 16 bytes_le as a vss_guid."""
    if isinstance(value, str):
        value = uuid.UUID(value)
    elif isinstance(value, bytes):
        value = uuid.UUID(bytes_le=value)
    if not isinstance(value, uuid.UUID):
        raise TypeError(f"{what} must be a uuid.UUID or str, not {type(value).__name__}")
    n = value.int
    guid = _native.vss_guid()
    guid.data1 = n >> 96
    guid.data2 = (n >> 80) & 0xFFFF
    guid.data3 = (n >> 64) & 0xFFFF
    guid.data4[:] = list((n & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big"))
    return guid


@dataclass(frozen=True)
class WriterIdentity:
    """One writer's identity after GatherWriterMetadata (vss_writer_identity)."""

    instance_id: uuid.UUID
    class_id: uuid.UUID
    name: str
    instance_name: Optional[str]
    usage: UsageType
    source: SourceType
    component_count: int


@dataclass(frozen=True)
class ComponentInfo:
    """One component a writer declared (vss_component_info)."""

    type: ComponentType
    logical_path: Optional[str]
    name: str
    caption: Optional[str]
    selectable: bool
    file_count: int
    database_count: int
    log_count: int


@dataclass(frozen=True)
class WriterMetadata:
    """A writer's identity and all its components, from Requester.writers()."""

    identity: WriterIdentity
    components: Tuple[ComponentInfo, ...]


@dataclass(frozen=True)
class WriterStatus:
    """One row of GatherWriterStatus, with the Ex fields (vss_writer_status).

    HRESULTs are unsigned ints; message is None when the writer gave none.
    """

    instance_id: uuid.UUID
    class_id: uuid.UUID
    name: str
    state: WriterState
    hr_failure_writer: HResult
    hr_application: HResult
    message: Optional[str]

    @property
    def failed(self) -> bool:
        return self.hr_failure_writer != 0

    @property
    def failure_name(self) -> str:
        return hresult_name(self.hr_failure_writer)


@dataclass(frozen=True)
class ComponentFailure:
    """IVssComponentEx2::GetFailure of one selected component (vss_component_failure).

    hr is 0 (S_OK) when the component did not fail.
    """

    instance_id: uuid.UUID
    class_id: uuid.UUID
    logical_path: Optional[str]
    name: str
    hr: HResult
    hr_application: HResult
    message: Optional[str]

    @property
    def failed(self) -> bool:
        return self.hr != 0


_FILETIME_EPOCH = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class SnapshotProperties:
    """VSS_SNAPSHOT_PROP of one snapshot (vss_snapshot_props)."""

    snapshot_id: uuid.UUID
    snapshot_set_id: uuid.UUID
    provider_id: uuid.UUID
    snapshots_in_set: int
    original_volume: Optional[str]
    device_name: Optional[str]
    attributes: int
    creation_time: int  # FILETIME units: 100 ns since 1601-01-01 UTC

    @property
    def created(self) -> datetime.datetime:
        """creation_time as an aware datetime (UTC)."""
        return _FILETIME_EPOCH + datetime.timedelta(microseconds=self.creation_time // 10)


@dataclass(frozen=True)
class ProviderInfo:
    """One provider of a coordinator (vss_provider_info), from Coordinator.providers()."""

    id: uuid.UUID
    name: str
    type: ProviderType
    version: str


@dataclass(frozen=True)
class RetryAttempt:
    """One attempt of retry_run, as its report gets it (vss_retry_attempt).

    Times are the coordinator's clock in milliseconds: on a real clock only
    differences mean something; a virtual clock starts at 0.
    """

    number: int  # 1 for the first attempt
    result: HResult
    retry_class: RetryClass
    start_ms: int
    end_ms: int
    wait_ms: int  # the wait before the next attempt; 0 if none follows


def writer_status_from(raw: _native.vss_writer_status) -> WriterStatus:
    return WriterStatus(
        instance_id=guid_to_uuid(raw.instance_id),
        class_id=guid_to_uuid(raw.class_id),
        name=_native.required_text(raw.name),
        state=as_enum(WriterState, raw.state),
        hr_failure_writer=unsigned(raw.hr_failure_writer),
        hr_application=unsigned(raw.hr_application),
        message=_native.text(raw.message),
    )


def component_failure_from(raw: _native.vss_component_failure) -> ComponentFailure:
    return ComponentFailure(
        instance_id=guid_to_uuid(raw.instance_id),
        class_id=guid_to_uuid(raw.class_id),
        logical_path=_native.text(raw.logical_path),
        name=_native.required_text(raw.name),
        hr=unsigned(raw.hr),
        hr_application=unsigned(raw.hr_application),
        message=_native.text(raw.message),
    )


def writer_identity_from(raw: _native.vss_writer_identity) -> WriterIdentity:
    return WriterIdentity(
        instance_id=guid_to_uuid(raw.instance_id),
        class_id=guid_to_uuid(raw.class_id),
        name=_native.required_text(raw.name),
        instance_name=_native.text(raw.instance_name),
        usage=as_enum(UsageType, raw.usage),
        source=as_enum(SourceType, raw.source),
        component_count=int(raw.component_count),
    )


def component_info_from(raw: _native.vss_component_info) -> ComponentInfo:
    return ComponentInfo(
        type=as_enum(ComponentType, raw.type),
        logical_path=_native.text(raw.logical_path),
        name=_native.required_text(raw.name),
        caption=_native.text(raw.caption),
        selectable=bool(raw.selectable),
        file_count=int(raw.file_count),
        database_count=int(raw.database_count),
        log_count=int(raw.log_count),
    )


def snapshot_properties_from(raw: _native.vss_snapshot_props) -> SnapshotProperties:
    return SnapshotProperties(
        snapshot_id=guid_to_uuid(raw.snapshot_id),
        snapshot_set_id=guid_to_uuid(raw.snapshot_set_id),
        provider_id=guid_to_uuid(raw.provider_id),
        snapshots_in_set=int(raw.snapshots_in_set),
        original_volume=_native.text(raw.original_volume),
        device_name=_native.text(raw.device_name),
        attributes=int(raw.attributes),
        creation_time=int(raw.creation_time),
    )


def provider_info_from(raw: _native.vss_provider_info) -> ProviderInfo:
    return ProviderInfo(
        id=guid_to_uuid(raw.id),
        name=_native.required_text(raw.name),
        type=as_enum(ProviderType, raw.type),
        version=_native.required_text(raw.version),
    )


def retry_attempt_from(raw: _native.vss_retry_attempt) -> RetryAttempt:
    return RetryAttempt(
        number=int(raw.number),
        result=unsigned(raw.result),
        retry_class=as_enum(RetryClass, raw.retry_class),
        start_ms=int(raw.start_ms),
        end_ms=int(raw.end_ms),
        wait_ms=int(raw.wait_ms),
    )
