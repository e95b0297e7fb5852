//! Rust binding of openvss's flat C API (`abi/vssapi/vssapi.h`): VSS writers
//! and requesters over `libvssapi`.
//!
//! * [`sys`] is the raw C API, declaration for declaration.
//! * The crate root is the safe API: [`Coordinator`], [`Writer`] (built from
//!   your [`WriterHandler`]), [`Requester`], [`Async`] and [`Scenario`] (mock
//!   writers from a JSON scenario file) own their handles and
//!   release them on `Drop`; every fallible call returns [`Result<_, Error>`],
//!   where [`Error`] carries the HRESULT, its name and the library's message.
//! * Snapshot providers: [`Coordinator::providers`] lists them, and your
//!   [`Provider`] plugs in with [`Coordinator::register_provider`] (the
//!   [`ProviderRegistration`] unregisters it on `Drop`); a requester chooses
//!   one with [`Requester::add_to_snapshot_set_with`].
//! * [`retry_run`] runs a backup again on a fresh requester while it fails
//!   with a retryable code ([`RetryPolicy`]).
//!
//! Writer handlers and provider steps run on the library's worker threads,
//! never on the thread that drives the requester, hence `Send + Sync`. One
//! that panics does not unwind into C: the panic is caught at the boundary; a
//! handler reports failure (-1), and the library records
//! `VSS_E_WRITERERROR_NONRETRYABLE` for the writer; a provider step returns
//! `VSS_E_UNEXPECTED_PROVIDER_ERROR`. [`retry_run`]'s callbacks run on the
//! calling thread, so their panics are resumed there once the helper returns.
//!
//! ```no_run
//! use vssapi::{Coordinator, Guid, HResult, Requester, Writer, WriterContext, WriterHandler, WriterInfo};
//!
//! struct Busy;
//! impl WriterHandler for Busy {
//!     fn on_freeze(&self, writer: &WriterContext<'_>) -> vssapi::HandlerResult {
//!         writer.set_failure_ex(HResult::VSS_E_WRITERERROR_RETRYABLE, HResult::S_OK, Some("busy"))?;
//!         Ok(false)
//!     }
//! }
//!
//! let coordinator = Coordinator::new()?;
//! let info = WriterInfo::new(Guid::from_u128(0x5e1f0001_1111_2222_8001_020304050607), "Busy Writer");
//! let writer = Writer::new(&coordinator, &info, Busy)?;
//! writer.subscribe()?;
//! let requester = Requester::new(&coordinator)?;
//! requester.initialize_for_backup()?;
//! requester.gather_writer_metadata()?;
//! # Ok::<(), vssapi::Error>(())
//! ```
#![warn(missing_debug_implementations)]

use std::ffi::{CStr, CString};
use std::fmt;
use std::os::raw::c_char;
use std::str::FromStr;

pub mod sys;

mod coordinator;
mod provider;
mod requester;
mod retry;
mod scenario;
mod writer;

pub use coordinator::{Coordinator, CoordinatorOptions};
pub use provider::{
    Provider, ProviderInfo, ProviderRegistration, PROVIDER_BTRFS_ID, PROVIDER_COPY_ID, PROVIDER_FSFREEZE_ID,
    PROVIDER_LIVE_ID, PROVIDER_REFLINK_ID, PROVIDER_SIMULATED_ID,
};
pub use requester::{
    Async, AsyncStatus, ComponentFailure, ComponentInfo, Requester, SnapshotProperties, WriterIdentity, WriterStatus,
};
pub use retry::{retry_run, RetryAttempt, RetryPolicy};
pub use scenario::Scenario;
pub use writer::{Component, Components, HandlerResult, Metadata, Writer, WriterContext, WriterHandler, WriterInfo};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------
// HRESULT

/// An HRESULT (`vss_hresult`): negative values are failures.
///
/// The associated constants are the codes of `vsserror.h` and the common COM
/// ones; [`HResult::name`] and [`HResult::meaning`] ask the library.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct HResult(pub i32);

impl HResult {
    pub const S_OK: HResult = HResult::from_u32(0x00000000);
    pub const S_FALSE: HResult = HResult::from_u32(0x00000001);
    pub const E_NOTIMPL: HResult = HResult::from_u32(0x80004001);
    pub const E_NOINTERFACE: HResult = HResult::from_u32(0x80004002);
    pub const E_POINTER: HResult = HResult::from_u32(0x80004003);
    pub const E_ABORT: HResult = HResult::from_u32(0x80004004);
    pub const E_FAIL: HResult = HResult::from_u32(0x80004005);
    pub const E_UNEXPECTED: HResult = HResult::from_u32(0x8000FFFF);
    pub const E_ACCESSDENIED: HResult = HResult::from_u32(0x80070005);
    pub const E_OUTOFMEMORY: HResult = HResult::from_u32(0x8007000E);
    pub const E_INVALIDARG: HResult = HResult::from_u32(0x80070057);
    /// HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER).
    pub const E_NOT_SUFFICIENT_BUFFER: HResult = HResult::from_u32(0x8007007A);
    pub const VSS_S_ASYNC_PENDING: HResult = HResult::from_u32(0x00042309);
    pub const VSS_S_ASYNC_FINISHED: HResult = HResult::from_u32(0x0004230A);
    pub const VSS_S_ASYNC_CANCELLED: HResult = HResult::from_u32(0x0004230B);
    pub const VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED: HResult = HResult::from_u32(0x00042321);
    pub const VSS_E_BAD_STATE: HResult = HResult::from_u32(0x80042301);
    pub const VSS_E_UNEXPECTED: HResult = HResult::from_u32(0x80042302);
    pub const VSS_E_PROVIDER_ALREADY_REGISTERED: HResult = HResult::from_u32(0x80042303);
    pub const VSS_E_PROVIDER_NOT_REGISTERED: HResult = HResult::from_u32(0x80042304);
    pub const VSS_E_PROVIDER_VETO: HResult = HResult::from_u32(0x80042306);
    pub const VSS_E_PROVIDER_IN_USE: HResult = HResult::from_u32(0x80042307);
    pub const VSS_E_OBJECT_NOT_FOUND: HResult = HResult::from_u32(0x80042308);
    pub const VSS_E_VOLUME_NOT_SUPPORTED: HResult = HResult::from_u32(0x8004230C);
    pub const VSS_E_OBJECT_ALREADY_EXISTS: HResult = HResult::from_u32(0x8004230D);
    pub const VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER: HResult = HResult::from_u32(0x8004230E);
    pub const VSS_E_UNEXPECTED_PROVIDER_ERROR: HResult = HResult::from_u32(0x8004230F);
    pub const VSS_E_CORRUPT_XML_DOCUMENT: HResult = HResult::from_u32(0x80042310);
    pub const VSS_E_INVALID_XML_DOCUMENT: HResult = HResult::from_u32(0x80042311);
    pub const VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED: HResult = HResult::from_u32(0x80042312);
    pub const VSS_E_FLUSH_WRITES_TIMEOUT: HResult = HResult::from_u32(0x80042313);
    pub const VSS_E_HOLD_WRITES_TIMEOUT: HResult = HResult::from_u32(0x80042314);
    pub const VSS_E_UNEXPECTED_WRITER_ERROR: HResult = HResult::from_u32(0x80042315);
    pub const VSS_E_SNAPSHOT_SET_IN_PROGRESS: HResult = HResult::from_u32(0x80042316);
    pub const VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED: HResult = HResult::from_u32(0x80042317);
    pub const VSS_E_WRITER_INFRASTRUCTURE: HResult = HResult::from_u32(0x80042318);
    pub const VSS_E_WRITER_NOT_RESPONDING: HResult = HResult::from_u32(0x80042319);
    pub const VSS_E_WRITER_ALREADY_SUBSCRIBED: HResult = HResult::from_u32(0x8004231A);
    pub const VSS_E_UNSUPPORTED_CONTEXT: HResult = HResult::from_u32(0x8004231B);
    pub const VSS_E_VOLUME_IN_USE: HResult = HResult::from_u32(0x8004231D);
    pub const VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED: HResult = HResult::from_u32(0x8004231E);
    pub const VSS_E_INSUFFICIENT_STORAGE: HResult = HResult::from_u32(0x8004231F);
    pub const VSS_E_NO_SNAPSHOTS_IMPORTED: HResult = HResult::from_u32(0x80042320);
    pub const VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED: HResult = HResult::from_u32(0x80042321);
    pub const VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED: HResult = HResult::from_u32(0x80042322);
    pub const VSS_E_REMOTE_SERVER_UNAVAILABLE: HResult = HResult::from_u32(0x80042323);
    pub const VSS_E_REMOTE_SERVER_UNSUPPORTED: HResult = HResult::from_u32(0x80042324);
    pub const VSS_E_REVERT_IN_PROGRESS: HResult = HResult::from_u32(0x80042325);
    pub const VSS_E_REVERT_VOLUME_LOST: HResult = HResult::from_u32(0x80042326);
    pub const VSS_E_REBOOT_REQUIRED: HResult = HResult::from_u32(0x80042327);
    pub const VSS_E_TRANSACTION_FREEZE_TIMEOUT: HResult = HResult::from_u32(0x80042328);
    pub const VSS_E_TRANSACTION_THAW_TIMEOUT: HResult = HResult::from_u32(0x80042329);
    pub const VSS_E_UNSELECTED_VOLUME: HResult = HResult::from_u32(0x8004232A);
    pub const VSS_E_SNAPSHOT_NOT_IN_SET: HResult = HResult::from_u32(0x8004232B);
    pub const VSS_E_NESTED_VOLUME_LIMIT: HResult = HResult::from_u32(0x8004232C);
    pub const VSS_E_VOLUME_NOT_LOCAL: HResult = HResult::from_u32(0x8004232D);
    pub const VSS_E_CLUSTER_TIMEOUT: HResult = HResult::from_u32(0x8004232E);
    pub const VSS_E_NOT_SUPPORTED: HResult = HResult::from_u32(0x8004232F);
    pub const VSS_E_WRITERERROR_PARTIAL_FAILURE: HResult = HResult::from_u32(0x80042336);
    pub const VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT: HResult = HResult::from_u32(0x800423F0);
    pub const VSS_E_WRITERERROR_OUTOFRESOURCES: HResult = HResult::from_u32(0x800423F1);
    pub const VSS_E_WRITERERROR_TIMEOUT: HResult = HResult::from_u32(0x800423F2);
    pub const VSS_E_WRITERERROR_RETRYABLE: HResult = HResult::from_u32(0x800423F3);
    pub const VSS_E_WRITERERROR_NONRETRYABLE: HResult = HResult::from_u32(0x800423F4);
    pub const VSS_E_WRITERERROR_RECOVERY_FAILED: HResult = HResult::from_u32(0x800423F5);
    pub const VSS_E_BREAK_REVERT_ID_FAILED: HResult = HResult::from_u32(0x800423F6);
    pub const VSS_E_LEGACY_PROVIDER: HResult = HResult::from_u32(0x800423F7);
    pub const VSS_E_MISSING_DISK: HResult = HResult::from_u32(0x800423F8);
    pub const VSS_E_MISSING_HIDDEN_VOLUME: HResult = HResult::from_u32(0x800423F9);
    pub const VSS_E_MISSING_VOLUME: HResult = HResult::from_u32(0x800423FA);
    pub const VSS_E_AUTORECOVERY_FAILED: HResult = HResult::from_u32(0x800423FB);
    pub const VSS_E_DYNAMIC_DISK_ERROR: HResult = HResult::from_u32(0x800423FC);
    pub const VSS_E_NONTRANSPORTABLE_BCD: HResult = HResult::from_u32(0x800423FD);
    pub const VSS_E_CANNOT_REVERT_DISKID: HResult = HResult::from_u32(0x800423FE);
    pub const VSS_E_RESYNC_IN_PROGRESS: HResult = HResult::from_u32(0x800423FF);
    pub const VSS_E_CLUSTER_ERROR: HResult = HResult::from_u32(0x80042400);
    pub const VSS_E_WRITER_STATUS_NOT_AVAILABLE: HResult = HResult::from_u32(0x80042409);
    pub const VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK: HResult = HResult::from_u32(0x80042411);
    pub const VSS_E_FSS_TIMEOUT: HResult = HResult::from_u32(0x80042417);

    /// The code written the Windows way, e.g. `HResult::from_u32(0x800423F3)`.
    pub const fn from_u32(code: u32) -> HResult {
        HResult(code as i32)
    }

    /// The code as the unsigned number Windows documentation shows.
    pub const fn as_u32(self) -> u32 {
        self.0 as u32
    }

    /// `SUCCEEDED(hr)`.
    pub const fn is_success(self) -> bool {
        self.0 >= 0
    }

    /// `FAILED(hr)`.
    pub const fn is_failure(self) -> bool {
        self.0 < 0
    }

    /// The symbolic name (`"VSS_E_WRITERERROR_RETRYABLE"`), or `"0x80004005"`
    /// style when the library does not know the code (`vss_hresult_name`).
    pub fn name(self) -> String {
        // SAFETY: the library returns a NUL-terminated string that stays valid
        // on this thread until the next call; it is copied at once.
        unsafe { copy_str(sys::vss_hresult_name(self.0)) }.unwrap_or_default()
    }

    /// A one-line meaning (`vss_hresult_meaning`).
    pub fn meaning(self) -> String {
        // SAFETY: as in `name`: a static or thread-local string, copied at once.
        unsafe { copy_str(sys::vss_hresult_meaning(self.0)) }.unwrap_or_default()
    }

    /// The retry class (`vss_is_retryable`).
    pub fn retry_class(self) -> RetryClass {
        // SAFETY: a pure function of its argument.
        match unsafe { sys::vss_is_retryable(self.0) } {
            1 => RetryClass::AfterWait,
            2 => RetryClass::ShortBackOff,
            _ => RetryClass::No,
        }
    }

    /// Whether a backup that failed with this code is worth retrying.
    pub fn is_retryable(self) -> bool {
        self.retry_class() != RetryClass::No
    }

    /// `Ok(self)` for a success code, else an [`Error`] with this thread's
    /// last library message (call it right after the failing call).
    pub fn ok(self) -> Result<HResult> {
        check(self.0)
    }
}

impl fmt::Debug for HResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HResult(0x{:08X} {})", self.as_u32(), self.name())
    }
}

impl fmt::Display for HResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl fmt::UpperHex for HResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::UpperHex::fmt(&self.as_u32(), f)
    }
}

impl fmt::LowerHex for HResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerHex::fmt(&self.as_u32(), f)
    }
}

impl From<i32> for HResult {
    fn from(code: i32) -> HResult {
        HResult(code)
    }
}

impl From<u32> for HResult {
    fn from(code: u32) -> HResult {
        HResult::from_u32(code)
    }
}

/// What [`vss_is_retryable`](sys::vss_is_retryable) answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// Do not retry.
    No,
    /// Retry after the long wait (writer and commit codes).
    AfterWait,
    /// Retry on the short back-off (`VSS_E_SNAPSHOT_SET_IN_PROGRESS`).
    ShortBackOff,
}

// ---------------------------------------------------------------------------
// Error

/// A failed call: the HRESULT, its name and the library's message.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    hresult: HResult,
    name: String,
    message: String,
}

impl Error {
    /// An error with your own message (for example to return from a handler).
    pub fn new(hresult: HResult, message: impl Into<String>) -> Error {
        Error { hresult, name: hresult.name(), message: message.into() }
    }

    /// An error for `hresult` with this thread's `vss_last_error_message()`;
    /// call it on the thread of the failing call, right after it.
    pub fn from_last_error(hresult: HResult) -> Error {
        let message = last_error_message();
        if message.is_empty() {
            Error::new(hresult, format!("{} ({})", hresult.name(), hresult.meaning()))
        } else {
            Error::new(hresult, message)
        }
    }

    /// The HRESULT.
    pub fn hresult(&self) -> HResult {
        self.hresult
    }

    /// The HRESULT as a number.
    pub fn code(&self) -> i32 {
        self.hresult.0
    }

    /// The HRESULT's symbolic name (`vss_hresult_name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The library's message (`vss_last_error_message`), e.g.
    /// `"vss_requester_start: VSS_E_BAD_STATE (...)"`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the operation is worth retrying (`vss_is_retryable`).
    pub fn is_retryable(&self) -> bool {
        self.hresult.is_retryable()
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(HResult::E_INVALIDARG, message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("hresult", &format_args!("0x{:08X}", self.hresult.as_u32()))
            .field("name", &self.name)
            .field("message", &self.message)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.contains(&self.name) {
            write!(f, "{} [0x{:08X}]", self.message, self.hresult.as_u32())
        } else {
            write!(f, "{}: {} [0x{:08X}]", self.name, self.message, self.hresult.as_u32())
        }
    }
}

impl std::error::Error for Error {}

/// Turns a returned HRESULT into `Ok(code)` (success codes included) or an
/// [`Error`] with this thread's last library message. Use it right after a
/// [`sys`] call, on the same thread.
pub fn check(hr: sys::vss_hresult) -> Result<HResult> {
    if hr < 0 {
        Err(Error::from_last_error(HResult(hr)))
    } else {
        Ok(HResult(hr))
    }
}

// ---------------------------------------------------------------------------
// GUID

/// A GUID with the Windows layout (`vss_guid`).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Guid {
    pub data1: u32,
    pub data2: u16,
    pub data3: u16,
    pub data4: [u8; 8],
}

impl Guid {
    /// `GUID_NULL`.
    pub const NULL: Guid = Guid { data1: 0, data2: 0, data3: 0, data4: [0; 8] };

    /// The GUID written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` as one number:
    /// `Guid::from_u128(0x5e1f0001_1111_2222_8001_020304050607)`.
    pub const fn from_u128(value: u128) -> Guid {
        let tail = (value as u64).to_be_bytes();
        Guid { data1: (value >> 96) as u32, data2: (value >> 80) as u16, data3: (value >> 64) as u16, data4: tail }
    }

    /// The inverse of [`Guid::from_u128`].
    pub const fn to_u128(self) -> u128 {
        ((self.data1 as u128) << 96)
            | ((self.data2 as u128) << 80)
            | ((self.data3 as u128) << 64)
            | (u64::from_be_bytes(self.data4) as u128)
    }

    /// Whether this is `GUID_NULL`.
    pub const fn is_null(self) -> bool {
        self.to_u128() == 0
    }
}

impl From<sys::vss_guid> for Guid {
    fn from(id: sys::vss_guid) -> Guid {
        Guid { data1: id.data1, data2: id.data2, data3: id.data3, data4: id.data4 }
    }
}

impl From<Guid> for sys::vss_guid {
    fn from(id: Guid) -> sys::vss_guid {
        sys::vss_guid { data1: id.data1, data2: id.data2, data3: id.data3, data4: id.data4 }
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.data4;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            self.data1, self.data2, self.data3, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{self}}}")
    }
}

impl FromStr for Guid {
    type Err = Error;

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, with or without braces.
    fn from_str(text: &str) -> Result<Guid> {
        let bad = || Error::invalid_argument(format!("not a GUID: {text:?}"));
        let inner = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
        let groups: Vec<&str> = inner.split('-').collect();
        let lengths = [8, 4, 4, 4, 12];
        if groups.len() != 5
            || groups.iter().zip(lengths).any(|(g, n)| g.len() != n || !g.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(bad());
        }
        let value = u128::from_str_radix(&groups.concat(), 16).map_err(|_| bad())?;
        Ok(Guid::from_u128(value))
    }
}

// ---------------------------------------------------------------------------
// The C enums, as open newtypes (any i32 is representable, as in C).

macro_rules! c_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:expr),* $(,)? }) => {
        $(#[$meta])*
        #[repr(transparent)]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
        pub struct $name(pub i32);

        impl $name {
            $($(#[$vmeta])* pub const $variant: $name = $name($value);)*

            /// The constant's name, if the value is one of them.
            pub fn constant_name(self) -> Option<&'static str> {
                $(if self.0 == $value { return Some(stringify!($variant)); })*
                None
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.constant_name() {
                    Some(name) => write!(f, concat!(stringify!($name), "::{}"), name),
                    None => write!(f, concat!(stringify!($name), "({})"), self.0),
                }
            }
        }

        impl From<i32> for $name {
            fn from(value: i32) -> $name {
                $name(value)
            }
        }
    };
}

c_enum! {
    /// `vss_step`: the asynchronous steps of a backup, for [`Requester::run`]
    /// and [`Requester::start`].
    Step {
        GATHER_WRITER_METADATA = 0,
        PREPARE_FOR_BACKUP = 1,
        DO_SNAPSHOT_SET = 2,
        BACKUP_COMPLETE = 3,
        GATHER_WRITER_STATUS = 4,
        PRE_RESTORE = 5,
        POST_RESTORE = 6,
    }
}

c_enum! {
    /// `vss_component_text`: the texts of one component, for
    /// [`Components::text`] and [`Components::set_text`].
    ComponentText {
        BACKUP_METADATA = 0,
        BACKUP_STAMP = 1,
        PREVIOUS_BACKUP_STAMP = 2,
        BACKUP_OPTIONS = 3,
        RESTORE_OPTIONS = 4,
        RESTORE_METADATA = 5,
        PRE_RESTORE_FAILURE_MSG = 6,
        POST_RESTORE_FAILURE_MSG = 7,
        PREPARE_FOR_BACKUP_FAILURE_MSG = 8,
        POST_SNAPSHOT_FAILURE_MSG = 9,
    }
}

c_enum! {
    /// `VSS_FILE_RESTORE_STATUS`.
    FileRestoreStatus {
        UNDEFINED = 0,
        NONE = 1,
        ALL = 2,
        FAILED = 3,
    }
}

c_enum! {
    /// `VSS_RESTORE_TYPE`.
    RestoreType {
        UNDEFINED = 0,
        BY_COPY = 1,
        IMPORT = 2,
        OTHER = 3,
    }
}

c_enum! {
    /// `VSS_WRITER_STATE`.
    WriterState {
        UNKNOWN = 0,
        STABLE = 1,
        WAITING_FOR_FREEZE = 2,
        WAITING_FOR_THAW = 3,
        WAITING_FOR_POST_SNAPSHOT = 4,
        WAITING_FOR_BACKUP_COMPLETE = 5,
        FAILED_AT_IDENTIFY = 6,
        FAILED_AT_PREPARE_BACKUP = 7,
        FAILED_AT_PREPARE_SNAPSHOT = 8,
        FAILED_AT_FREEZE = 9,
        FAILED_AT_THAW = 10,
        FAILED_AT_POST_SNAPSHOT = 11,
        FAILED_AT_BACKUP_COMPLETE = 12,
        FAILED_AT_PRE_RESTORE = 13,
        FAILED_AT_POST_RESTORE = 14,
        FAILED_AT_BACKUPSHUTDOWN = 15,
    }
}

impl WriterState {
    /// The library's name for the state (`vss_writer_state_name`), e.g.
    /// `"FAILED_AT_FREEZE"`; `"?"` when out of range.
    pub fn name(self) -> String {
        writer_state_name(self.0)
    }
}

impl fmt::Display for WriterState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

c_enum! {
    /// `VSS_USAGE_TYPE`.
    UsageType {
        UNDEFINED = 0,
        BOOTABLE_SYSTEM_STATE = 1,
        SYSTEM_SERVICE = 2,
        USER_DATA = 3,
        OTHER = 4,
    }
}

c_enum! {
    /// `VSS_SOURCE_TYPE`.
    SourceType {
        UNDEFINED = 0,
        TRANSACTED_DB = 1,
        NON_TRANSACTED_DB = 2,
        OTHER = 3,
    }
}

c_enum! {
    /// `VSS_APPLICATION_LEVEL` (0, `UNKNOWN`, makes the library use `FRONT_END`).
    ApplicationLevel {
        UNKNOWN = 0,
        SYSTEM = 1,
        BACK_END = 2,
        FRONT_END = 3,
        SYSTEM_RM = 4,
        AUTO = -1,
    }
}

c_enum! {
    /// `VSS_COMPONENT_TYPE`.
    ComponentType {
        UNDEFINED = 0,
        DATABASE = 1,
        FILE_GROUP = 2,
    }
}

c_enum! {
    /// `VSS_BACKUP_TYPE`.
    BackupType {
        UNDEFINED = 0,
        FULL = 1,
        INCREMENTAL = 2,
        DIFFERENTIAL = 3,
        LOG = 4,
        COPY = 5,
        OTHER = 6,
    }
}

c_enum! {
    /// `VSS_SNAPSHOT_CONTEXT`, for [`Requester::set_context`].
    SnapshotContext {
        BACKUP = 0,
        FILE_SHARE_BACKUP = 0x10,
        NAS_ROLLBACK = 0x19,
        APP_ROLLBACK = 9,
        CLIENT_ACCESSIBLE = 0x1d,
        CLIENT_ACCESSIBLE_WRITERS = 13,
        ALL = -1,
    }
}

c_enum! {
    /// `VSS_PROVIDER_TYPE`, of [`ProviderInfo::provider_type`].
    ProviderType {
        UNKNOWN = 0,
        SYSTEM = 1,
        SOFTWARE = 2,
        HARDWARE = 3,
        FILESHARE = 4,
    }
}

c_enum! {
    /// `vss_clock_kind`, for [`CoordinatorOptions::clock`].
    ClockKind {
        /// Steady real time.
        REAL = sys::VSS_CLOCK_REAL,
        /// Virtual; moves only with [`Coordinator::advance_clock`].
        MANUAL = sys::VSS_CLOCK_MANUAL,
        /// Virtual; jumps to the next deadline once all the library's work
        /// waits on it, so a 10-minute timeout passes at once.
        SIMULATED = sys::VSS_CLOCK_SIMULATED,
    }
}

c_enum! {
    /// The `kind` of [`Metadata::add_files`].
    FileKind {
        FILE_GROUP = 0,
        DATABASE = 1,
        DATABASE_LOG = 2,
    }
}

// ---------------------------------------------------------------------------
// Library helpers

/// The library's version (`vss_version`), e.g. `"0.1.0"`.
pub fn version() -> String {
    // SAFETY: a static string.
    unsafe { copy_str(sys::vss_version()) }.unwrap_or_default()
}

/// The library's ABI version (`vss_abi_version`); this crate was written
/// against [`sys::VSSAPI_ABI_VERSION`].
pub fn abi_version() -> i32 {
    // SAFETY: no arguments.
    unsafe { sys::vss_abi_version() }
}

/// This thread's last library failure message (`vss_last_error_message`);
/// `""` if none.
pub fn last_error_message() -> String {
    // SAFETY: a thread-local string, copied at once.
    unsafe { copy_str(sys::vss_last_error_message()) }.unwrap_or_default()
}

/// `vss_hresult_name`.
pub fn hresult_name(hr: impl Into<HResult>) -> String {
    hr.into().name()
}

/// `vss_hresult_meaning`.
pub fn hresult_meaning(hr: impl Into<HResult>) -> String {
    hr.into().meaning()
}

/// `vss_writer_state_name`.
pub fn writer_state_name(state: i32) -> String {
    // SAFETY: a static string.
    unsafe { copy_str(sys::vss_writer_state_name(state)) }.unwrap_or_default()
}

/// `vss_is_retryable` as a yes/no: worth retrying after a wait or a back-off.
pub fn is_retryable(hr: impl Into<HResult>) -> bool {
    hr.into().is_retryable()
}

/// `vss_is_retryable`: which retry class the code is in.
pub fn retry_class(hr: impl Into<HResult>) -> RetryClass {
    hr.into().retry_class()
}

// ---------------------------------------------------------------------------
// String plumbing shared by the modules

/// Copies a NUL-terminated UTF-8 string; `None` for NULL.
pub(crate) unsafe fn copy_str(text: *const c_char) -> Option<String> {
    if text.is_null() {
        None
    } else {
        Some(CStr::from_ptr(text).to_string_lossy().into_owned())
    }
}

/// Copies and frees (`vss_free`) a string the library allocated.
pub(crate) unsafe fn take_str(text: *mut c_char) -> Option<String> {
    let copy = copy_str(text);
    if !text.is_null() {
        sys::vss_free(text.cast());
    }
    copy
}

/// A Rust string as a C argument; a NUL inside is E_INVALIDARG.
pub(crate) fn c_string(text: &str, what: &str) -> Result<CString> {
    CString::new(text).map_err(|_| Error::invalid_argument(format!("{what} contains a NUL byte")))
}

pub(crate) fn c_string_opt(text: Option<&str>, what: &str) -> Result<Option<CString>> {
    text.map(|t| c_string(t, what)).transpose()
}

pub(crate) fn ptr_opt(text: &Option<CString>) -> *const c_char {
    text.as_ref().map_or(std::ptr::null(), |t| t.as_ptr())
}
