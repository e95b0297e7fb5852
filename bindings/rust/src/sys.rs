//! The raw flat C API of `abi/vssapi/vssapi.h`, declaration for declaration.
//!
//! Everything here is `unsafe` and follows the header's rules: strings are
//! NUL-terminated UTF-8, GUIDs travel by pointer, booleans are `i32`, structs
//! start with a `size` the caller sets, memory the library allocates is freed
//! with [`vss_free`] or the typed `*_clear` functions, and every function
//! returns an HRESULT and leaves [`vss_last_error_message`] on failure.
//! The safe API of the crate root is built on these; use them directly only
//! for what it does not cover.
//!
//! Every function and callback is `extern "system"`: the header's `VSS_CALL`
//! is `__stdcall` on 32-bit Windows and the C convention everywhere else,
//! which is exactly what Rust's "system" ABI means.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_void};

/// `VSSAPI_ABI_VERSION` of the header these declarations copy.
pub const VSSAPI_ABI_VERSION: i32 = 1;

pub type vss_hresult = i32;

/// The layout of a Windows GUID (Data1 little-endian on every platform here).
#[repr(C)]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct vss_guid {
    pub data1: u32,
    pub data2: u16,
    pub data3: u16,
    pub data4: [u8; 8],
}

macro_rules! opaque {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[repr(C)]
        #[derive(Debug)]
        pub struct $name {
            _data: [u8; 0],
            // Not Send, Sync or Unpin by itself: only a pointer to it is used.
            _marker: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
        }
    )*};
}

opaque! {
    /// The embedded VSS service.
    vss_coordinator;
    /// One IVssBackupComponents session.
    vss_requester;
    /// One writer instance.
    vss_writer;
    /// One IVssAsync.
    vss_async;
    /// IVssCreateWriterMetadataEx, in on_identify.
    vss_metadata;
    /// IVssWriterComponents, in component handlers.
    vss_components;
    /// The loaded mock writers of one scenario file.
    vss_scenario;
}

#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct vss_coordinator_options {
    pub size: u32,
    pub workers: u32,
    pub event_timeout_ms: u32,
    pub commit_window_ms: u32,
    pub session_limit: u32,
    /// One of the `VSS_CLOCK_*` values (`vss_clock_kind`).
    pub virtual_clock: i32,
}

/// `vss_clock_kind`: the clock every timeout of a coordinator goes through.
pub type vss_clock_kind = i32;
/// Steady real time.
pub const VSS_CLOCK_REAL: vss_clock_kind = 0;
/// Virtual; moves only with [`vss_coordinator_advance_clock`].
pub const VSS_CLOCK_MANUAL: vss_clock_kind = 1;
/// Virtual; jumps to the next deadline once all the library's work waits on it.
pub const VSS_CLOCK_SIMULATED: vss_clock_kind = 2;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_writer_info {
    pub size: u32,
    pub class_id: *const vss_guid,
    pub name: *const c_char,
    pub instance_name: *const c_char,
    pub usage: i32,
    pub source: i32,
    pub level: i32,
    pub freeze_timeout_ms: u32,
    pub version_major: u32,
    pub version_minor: u32,
}

/// What a handler returns: 1 true, 0 false (a veto), negative: it failed.
pub type vss_handler = Option<unsafe extern "system" fn(user: *mut c_void, writer: *mut vss_writer) -> i32>;
pub type vss_components_handler = Option<
    unsafe extern "system" fn(user: *mut c_void, writer: *mut vss_writer, components: *mut vss_components) -> i32,
>;
pub type vss_identify_handler =
    Option<unsafe extern "system" fn(user: *mut c_void, writer: *mut vss_writer, metadata: *mut vss_metadata) -> i32>;
pub type vss_backup_shutdown_handler = Option<
    unsafe extern "system" fn(user: *mut c_void, writer: *mut vss_writer, snapshot_set_id: *const vss_guid) -> i32,
>;

/// NULL (`None`) handlers return true.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct vss_writer_callbacks {
    pub size: u32,
    pub on_identify: vss_identify_handler,
    pub on_prepare_backup: vss_components_handler,
    pub on_prepare_snapshot: vss_handler,
    pub on_freeze: vss_handler,
    pub on_thaw: vss_handler,
    pub on_abort: vss_handler,
    pub on_post_snapshot: vss_components_handler,
    pub on_backup_complete: vss_components_handler,
    pub on_backup_shutdown: vss_backup_shutdown_handler,
    pub on_pre_restore: vss_components_handler,
    pub on_post_restore: vss_components_handler,
}

/// `vss_step`: the asynchronous steps of a backup.
pub type vss_step = i32;
pub const VSS_STEP_GATHER_WRITER_METADATA: vss_step = 0;
pub const VSS_STEP_PREPARE_FOR_BACKUP: vss_step = 1;
pub const VSS_STEP_DO_SNAPSHOT_SET: vss_step = 2;
pub const VSS_STEP_BACKUP_COMPLETE: vss_step = 3;
pub const VSS_STEP_GATHER_WRITER_STATUS: vss_step = 4;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_writer_identity {
    pub size: u32,
    pub instance_id: vss_guid,
    pub class_id: vss_guid,
    pub name: *mut c_char,
    pub instance_name: *mut c_char,
    pub usage: i32,
    pub source: i32,
    pub component_count: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_component_info {
    pub size: u32,
    pub type_: i32,
    pub logical_path: *mut c_char,
    pub name: *mut c_char,
    pub caption: *mut c_char,
    pub selectable: i32,
    pub file_count: u32,
    pub database_count: u32,
    pub log_count: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_writer_status {
    pub size: u32,
    pub instance_id: vss_guid,
    pub class_id: vss_guid,
    pub name: *mut c_char,
    pub state: i32,
    pub hr_failure_writer: vss_hresult,
    pub hr_application: vss_hresult,
    pub message: *mut c_char,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_component_failure {
    pub size: u32,
    pub instance_id: vss_guid,
    pub class_id: vss_guid,
    pub logical_path: *mut c_char,
    pub name: *mut c_char,
    pub hr: vss_hresult,
    pub hr_application: vss_hresult,
    pub message: *mut c_char,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_snapshot_props {
    pub size: u32,
    pub snapshot_id: vss_guid,
    pub snapshot_set_id: vss_guid,
    pub provider_id: vss_guid,
    pub snapshots_in_set: i32,
    pub original_volume: *mut c_char,
    pub device_name: *mut c_char,
    pub attributes: i32,
    pub creation_time: i64,
}

/// `VSS_PROVIDER_*_ID`: the built-in providers (`VSS_PROVIDER_SIMULATED_ID`
/// is every coordinator's default; the last three are Linux only).
pub const VSS_PROVIDER_SIMULATED_ID: vss_guid = vss_guid {
    data1: 0xb5946137,
    data2: 0x7b9f,
    data3: 0x4925,
    data4: [0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5],
};
pub const VSS_PROVIDER_LIVE_ID: vss_guid =
    vss_guid { data1: 0x6f70656e, data2: 0x7673, data3: 0x4c69, data4: [0x76, 0x65, 0, 0, 0, 0, 0, 0x01] };
pub const VSS_PROVIDER_COPY_ID: vss_guid =
    vss_guid { data1: 0x6f70656e, data2: 0x7673, data3: 0x436f, data4: [0x70, 0x79, 0, 0, 0, 0, 0, 0x01] };
pub const VSS_PROVIDER_BTRFS_ID: vss_guid =
    vss_guid { data1: 0x6f70656e, data2: 0x7673, data3: 0x4274, data4: [0x72, 0x66, 0, 0, 0, 0, 0, 0x01] };
pub const VSS_PROVIDER_REFLINK_ID: vss_guid =
    vss_guid { data1: 0x6f70656e, data2: 0x7673, data3: 0x5266, data4: [0x6c, 0x6b, 0, 0, 0, 0, 0, 0x01] };
pub const VSS_PROVIDER_FSFREEZE_ID: vss_guid =
    vss_guid { data1: 0x6f70656e, data2: 0x7673, data3: 0x4672, data4: [0x7a, 0x66, 0, 0, 0, 0, 0, 0x01] };

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_provider_info {
    pub size: u32,
    pub id: vss_guid,
    /// Allocated; [`vss_provider_info_clear`] frees.
    pub name: *mut c_char,
    /// `VSS_PROVIDER_TYPE`: 2 software.
    pub type_: i32,
    /// Allocated.
    pub version: *mut c_char,
}

/// The shape of six of the provider's steps (the header spells it out in each field).
pub type vss_provider_step =
    Option<unsafe extern "system" fn(user: *mut c_void, snapshot_set_id: *const vss_guid) -> vss_hresult>;

/// A provider's callbacks, in the order the library calls them; `None` ones
/// are skipped, except `commit_snapshots`, which is required.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct vss_provider_callbacks {
    pub size: u32,
    /// Not all zero, not a registered provider's.
    pub id: vss_guid,
    /// Copied.
    pub name: *const c_char,
    /// Copied; NULL: "1.0".
    pub version: *const c_char,
    /// S_OK, VSS_E_OBJECT_NOT_FOUND or VSS_E_VOLUME_NOT_SUPPORTED. `None`: the
    /// volume must be a folder that exists.
    pub is_volume_supported: Option<unsafe extern "system" fn(user: *mut c_void, volume: *const c_char) -> vss_hresult>,
    pub prepare_for_snapshot: Option<
        unsafe extern "system" fn(
            user: *mut c_void,
            snapshot_set_id: *const vss_guid,
            snapshot_id: *const vss_guid,
            volume: *const c_char,
        ) -> vss_hresult,
    >,
    pub end_prepare_snapshots: vss_provider_step,
    pub pre_commit_snapshots: vss_provider_step,
    pub commit_snapshots: vss_provider_step,
    pub post_commit_snapshots: Option<
        unsafe extern "system" fn(user: *mut c_void, snapshot_set_id: *const vss_guid, count: i32) -> vss_hresult,
    >,
    pub pre_final_commit_snapshots: vss_provider_step,
    pub post_final_commit_snapshots: vss_provider_step,
    pub abort_snapshots: vss_provider_step,
    /// Writes the device path (UTF-8, NUL-terminated) into `buffer` of `size` bytes.
    pub snapshot_device: Option<
        unsafe extern "system" fn(
            user: *mut c_void,
            snapshot_id: *const vss_guid,
            buffer: *mut c_char,
            size: u32,
        ) -> vss_hresult,
    >,
    pub delete_snapshot:
        Option<unsafe extern "system" fn(user: *mut c_void, snapshot_id: *const vss_guid) -> vss_hresult>,
}

/// `vss_retry_class`: what [`vss_is_retryable`] answers.
pub type vss_retry_class = i32;
pub const VSS_RETRY_NO: vss_retry_class = 0;
pub const VSS_RETRY_AFTER_WAIT: vss_retry_class = 1;
pub const VSS_RETRY_SHORT_BACK_OFF: vss_retry_class = 2;

/// The largest retry counts [`vss_retry_run`] accepts.
pub const VSS_RETRY_MAX_RETRIES: u32 = 100;
/// The longest wait [`vss_retry_run`] accepts (24 hours).
pub const VSS_RETRY_MAX_WAIT_MS: u32 = 86_400_000;

#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct vss_retry_policy {
    pub size: u32,
    pub max_retries: u32,
    pub wait_ms: u64,
    pub in_progress_max_retries: u32,
    /// 0.
    pub reserved: u32,
    pub in_progress_wait_ms: u64,
}

/// Filled by the library, whose `size` it is: read only the fields yours holds.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub struct vss_retry_attempt {
    pub size: u32,
    pub number: u32,
    pub result: vss_hresult,
    pub retry_class: vss_retry_class,
    pub start_ms: u64,
    pub end_ms: u64,
    pub wait_ms: u64,
}

/// One attempt on a fresh `requester`, which the helper releases afterwards.
pub type vss_retry_attempt_fn =
    Option<unsafe extern "system" fn(user: *mut c_void, requester: *mut vss_requester, attempt: u32) -> vss_hresult>;
/// Called once per attempt; `attempt` is valid during the call only.
pub type vss_retry_report_fn = Option<unsafe extern "system" fn(user: *mut c_void, attempt: *const vss_retry_attempt)>;

/// A zeroed struct with its leading `size` field set, ready to pass as `out`.
pub trait SizedStruct: Sized {
    /// All zero, `size` = `size_of::<Self>()`.
    fn sized() -> Self;
}

macro_rules! sized_struct {
    ($($t:ty),*) => {$(
        impl SizedStruct for $t {
            fn sized() -> Self {
                // SAFETY: every field is an integer, a GUID, a nullable pointer or
                // an Option of a function pointer: all-zero is a valid value.
                let mut value: Self = unsafe { std::mem::zeroed() };
                value.size = std::mem::size_of::<Self>() as u32;
                value
            }
        }
    )*};
}
sized_struct!(
    vss_coordinator_options,
    vss_writer_info,
    vss_writer_callbacks,
    vss_writer_identity,
    vss_component_info,
    vss_writer_status,
    vss_component_failure,
    vss_snapshot_props,
    vss_provider_info,
    vss_provider_callbacks,
    vss_retry_policy,
    vss_retry_attempt
);

extern "system" {
    // ---- library
    pub fn vss_version() -> *const c_char;
    pub fn vss_abi_version() -> i32;
    pub fn vss_last_error_message() -> *const c_char;
    pub fn vss_free(memory: *mut c_void);
    pub fn vss_hresult_name(hr: vss_hresult) -> *const c_char;
    pub fn vss_hresult_meaning(hr: vss_hresult) -> *const c_char;
    pub fn vss_writer_state_name(state: i32) -> *const c_char;
    pub fn vss_is_retryable(hr: vss_hresult) -> i32;

    // ---- coordinator
    pub fn vss_coordinator_default(out: *mut *mut vss_coordinator) -> vss_hresult;
    pub fn vss_coordinator_create(
        options: *const vss_coordinator_options,
        out: *mut *mut vss_coordinator,
    ) -> vss_hresult;
    pub fn vss_coordinator_advance_clock(coordinator: *mut vss_coordinator, milliseconds: u64) -> vss_hresult;
    pub fn vss_coordinator_release(coordinator: *mut vss_coordinator);

    // ---- writer
    pub fn vss_writer_create(
        coordinator: *mut vss_coordinator,
        info: *const vss_writer_info,
        callbacks: *const vss_writer_callbacks,
        user: *mut c_void,
        out: *mut *mut vss_writer,
    ) -> vss_hresult;
    pub fn vss_writer_subscribe(writer: *mut vss_writer) -> vss_hresult;
    pub fn vss_writer_unsubscribe(writer: *mut vss_writer) -> vss_hresult;
    pub fn vss_writer_release(writer: *mut vss_writer);
    pub fn vss_writer_instance_id(writer: *mut vss_writer, out: *mut vss_guid) -> vss_hresult;
    pub fn vss_writer_set_failure_ex(
        writer: *mut vss_writer,
        hr_writer: vss_hresult,
        hr_application: vss_hresult,
        message: *const c_char,
    ) -> vss_hresult;
    pub fn vss_writer_set_failure(writer: *mut vss_writer, hr_writer: vss_hresult) -> vss_hresult;
    pub fn vss_writer_session_id(writer: *mut vss_writer, out: *mut vss_guid) -> vss_hresult;

    pub fn vss_metadata_add_component(
        metadata: *mut vss_metadata,
        type_: i32,
        logical_path: *const c_char,
        name: *const c_char,
        caption: *const c_char,
        selectable: i32,
    ) -> vss_hresult;
    pub fn vss_metadata_add_files(
        metadata: *mut vss_metadata,
        kind: i32,
        logical_path: *const c_char,
        component_name: *const c_char,
        path: *const c_char,
        filespec: *const c_char,
        recursive: i32,
    ) -> vss_hresult;
    pub fn vss_metadata_add_include_files(
        metadata: *mut vss_metadata,
        path: *const c_char,
        filespec: *const c_char,
        recursive: i32,
    ) -> vss_hresult;
    pub fn vss_metadata_add_exclude_files(
        metadata: *mut vss_metadata,
        path: *const c_char,
        filespec: *const c_char,
        recursive: i32,
    ) -> vss_hresult;

    pub fn vss_components_count(components: *mut vss_components, count: *mut u32) -> vss_hresult;
    pub fn vss_components_get(
        components: *mut vss_components,
        index: u32,
        logical_path: *mut *mut c_char,
        name: *mut *mut c_char,
    ) -> vss_hresult;
    pub fn vss_components_set_failure(
        components: *mut vss_components,
        index: u32,
        hr: vss_hresult,
        hr_application: vss_hresult,
        message: *const c_char,
    ) -> vss_hresult;

    // ---- requester
    pub fn vss_requester_create(coordinator: *mut vss_coordinator, out: *mut *mut vss_requester) -> vss_hresult;
    pub fn vss_requester_release(requester: *mut vss_requester);
    pub fn vss_requester_session_id(requester: *mut vss_requester, out: *mut vss_guid) -> vss_hresult;
    pub fn vss_requester_initialize_for_backup(requester: *mut vss_requester) -> vss_hresult;
    pub fn vss_requester_set_context(requester: *mut vss_requester, context: i32) -> vss_hresult;
    pub fn vss_requester_set_backup_state(
        requester: *mut vss_requester,
        select_components: i32,
        bootable_system_state: i32,
        backup_type: i32,
        partial_file_support: i32,
    ) -> vss_hresult;

    // ---- the Backup Components Document and the restore (1.1)
    pub fn vss_requester_save_document(requester: *mut vss_requester, xml: *mut *mut c_char) -> vss_hresult;
    pub fn vss_requester_initialize_for_restore(requester: *mut vss_requester, xml: *const c_char) -> vss_hresult;
    pub fn vss_requester_resume_backup(requester: *mut vss_requester, xml: *const c_char) -> vss_hresult;
    pub fn vss_requester_set_restore_state(requester: *mut vss_requester, restore_type: i32) -> vss_hresult;
    pub fn vss_requester_select_for_restore(
        requester: *mut vss_requester,
        writer_class: *const vss_guid,
        type_: i32,
        logical_path: *const c_char,
        name: *const c_char,
        selected: i32,
    ) -> vss_hresult;
    pub fn vss_requester_set_restore_options(
        requester: *mut vss_requester,
        writer_class: *const vss_guid,
        type_: i32,
        logical_path: *const c_char,
        name: *const c_char,
        options: *const c_char,
    ) -> vss_hresult;
    pub fn vss_requester_set_file_restore_status(
        requester: *mut vss_requester,
        writer_class: *const vss_guid,
        type_: i32,
        logical_path: *const c_char,
        name: *const c_char,
        status: i32,
    ) -> vss_hresult;
    pub fn vss_components_get_text(
        components: *mut vss_components,
        index: u32,
        which: i32,
        text: *mut *mut c_char,
    ) -> vss_hresult;
    pub fn vss_components_set_text(
        components: *mut vss_components,
        index: u32,
        which: i32,
        text: *const c_char,
    ) -> vss_hresult;
    pub fn vss_components_selected_for_restore(
        components: *mut vss_components,
        index: u32,
        selected: *mut i32,
    ) -> vss_hresult;
    pub fn vss_components_file_restore_status(
        components: *mut vss_components,
        index: u32,
        status: *mut i32,
    ) -> vss_hresult;

    pub fn vss_requester_run(requester: *mut vss_requester, step: vss_step) -> vss_hresult;
    pub fn vss_requester_start(requester: *mut vss_requester, step: vss_step, out: *mut *mut vss_async) -> vss_hresult;
    pub fn vss_async_wait(async_: *mut vss_async, milliseconds: u32) -> vss_hresult;
    pub fn vss_async_status(async_: *mut vss_async, status: *mut vss_hresult) -> vss_hresult;
    pub fn vss_async_cancel(async_: *mut vss_async) -> vss_hresult;
    pub fn vss_async_release(async_: *mut vss_async);

    pub fn vss_requester_writer_count(requester: *mut vss_requester, count: *mut u32) -> vss_hresult;
    pub fn vss_requester_writer_identity(
        requester: *mut vss_requester,
        index: u32,
        out: *mut vss_writer_identity,
    ) -> vss_hresult;
    pub fn vss_writer_identity_clear(identity: *mut vss_writer_identity);
    pub fn vss_requester_writer_component(
        requester: *mut vss_requester,
        writer_index: u32,
        component_index: u32,
        out: *mut vss_component_info,
    ) -> vss_hresult;
    pub fn vss_component_info_clear(info: *mut vss_component_info);

    pub fn vss_requester_add_component(
        requester: *mut vss_requester,
        instance_id: *const vss_guid,
        class_id: *const vss_guid,
        type_: i32,
        logical_path: *const c_char,
        name: *const c_char,
    ) -> vss_hresult;
    pub fn vss_requester_add_all_components(requester: *mut vss_requester) -> vss_hresult;

    pub fn vss_requester_start_snapshot_set(
        requester: *mut vss_requester,
        snapshot_set_id: *mut vss_guid,
    ) -> vss_hresult;
    pub fn vss_requester_add_to_snapshot_set(
        requester: *mut vss_requester,
        volume: *const c_char,
        snapshot_id: *mut vss_guid,
    ) -> vss_hresult;
    pub fn vss_requester_abort(requester: *mut vss_requester) -> vss_hresult;

    pub fn vss_requester_status_count(requester: *mut vss_requester, count: *mut u32) -> vss_hresult;
    pub fn vss_requester_status(requester: *mut vss_requester, index: u32, out: *mut vss_writer_status) -> vss_hresult;
    pub fn vss_writer_status_clear(status: *mut vss_writer_status);

    pub fn vss_requester_component_count(requester: *mut vss_requester, count: *mut u32) -> vss_hresult;
    pub fn vss_requester_component_failure(
        requester: *mut vss_requester,
        index: u32,
        out: *mut vss_component_failure,
    ) -> vss_hresult;
    pub fn vss_component_failure_clear(failure: *mut vss_component_failure);

    pub fn vss_requester_snapshot_props(
        requester: *mut vss_requester,
        snapshot_id: *const vss_guid,
        out: *mut vss_snapshot_props,
    ) -> vss_hresult;
    pub fn vss_snapshot_props_clear(props: *mut vss_snapshot_props);

    // ---- snapshot providers (1.1)
    pub fn vss_requester_add_to_snapshot_set_with(
        requester: *mut vss_requester,
        volume: *const c_char,
        provider_id: *const vss_guid,
        snapshot_id: *mut vss_guid,
    ) -> vss_hresult;
    pub fn vss_coordinator_provider_count(coordinator: *mut vss_coordinator, count: *mut u32) -> vss_hresult;
    pub fn vss_coordinator_provider(
        coordinator: *mut vss_coordinator,
        index: u32,
        out: *mut vss_provider_info,
    ) -> vss_hresult;
    pub fn vss_provider_info_clear(info: *mut vss_provider_info);
    pub fn vss_coordinator_register_provider(
        coordinator: *mut vss_coordinator,
        callbacks: *const vss_provider_callbacks,
        user: *mut c_void,
    ) -> vss_hresult;
    pub fn vss_coordinator_unregister_provider(coordinator: *mut vss_coordinator, id: *const vss_guid) -> vss_hresult;

    // ---- retry helper
    pub fn vss_retry_policy_default(policy: *mut vss_retry_policy) -> vss_hresult;
    pub fn vss_retry_run(
        coordinator: *mut vss_coordinator,
        policy: *const vss_retry_policy,
        attempt: vss_retry_attempt_fn,
        report: vss_retry_report_fn,
        user: *mut c_void,
    ) -> vss_hresult;

    // ---- scenarios: mock writers from a JSON file (abi/scenario.schema.json)
    pub fn vss_scenario_load(
        coordinator: *mut vss_coordinator,
        path: *const c_char,
        out: *mut *mut vss_scenario,
    ) -> vss_hresult;
    pub fn vss_scenario_load_text(
        coordinator: *mut vss_coordinator,
        json: *const c_char,
        out: *mut *mut vss_scenario,
    ) -> vss_hresult;
    pub fn vss_scenario_release(scenario: *mut vss_scenario);
}

/// VSS_CALL is "system", never "C": the two differ on 32-bit Windows only, so
/// nothing at run time here would catch a declaration that slipped back.
#[cfg(test)]
mod calling_convention {
    #[test]
    fn every_declaration_and_trampoline_is_extern_system() {
        let needle = concat!("extern \"", "C\""); // not spelt out, or this file would match
        let files = [
            ("sys.rs", include_str!("sys.rs")),
            ("writer.rs", include_str!("writer.rs")),
            ("provider.rs", include_str!("provider.rs")),
            ("retry.rs", include_str!("retry.rs")),
        ];
        for (file, text) in files {
            for (number, line) in text.lines().enumerate() {
                assert!(!line.contains(needle), "{file}:{}: {line}", number + 1);
            }
            assert!(text.contains("extern \"system\""), "{file} declares nothing extern \"system\"");
        }
    }
}

/// The sizes and offsets gcc gives the C header on LP64 platforms.
#[cfg(all(test, target_pointer_width = "64"))]
mod layout {
    use super::*;
    use std::mem::size_of;

    // std::mem::offset_of! needs Rust 1.77; this works from 1.51 on.
    macro_rules! offset_of {
        ($t:ty, $field:ident) => {{
            let value = std::mem::MaybeUninit::<$t>::uninit();
            let base = value.as_ptr();
            // SAFETY: only the field's address is taken, nothing is read.
            let field = unsafe { std::ptr::addr_of!((*base).$field) };
            field as usize - base as usize
        }};
    }

    #[test]
    fn structs_match_the_c_header() {
        assert_eq!(size_of::<vss_guid>(), 16);
        assert_eq!(size_of::<vss_coordinator_options>(), 24);
        assert_eq!(size_of::<vss_writer_info>(), 56);
        assert_eq!(offset_of!(vss_writer_info, freeze_timeout_ms), 44);
        assert_eq!(size_of::<vss_writer_callbacks>(), 96);
        assert_eq!(offset_of!(vss_writer_callbacks, on_post_restore), 88);
        assert_eq!(size_of::<vss_writer_identity>(), 72);
        assert_eq!(offset_of!(vss_writer_identity, component_count), 64);
        assert_eq!(size_of::<vss_component_info>(), 48);
        assert_eq!(offset_of!(vss_component_info, log_count), 44);
        assert_eq!(size_of::<vss_writer_status>(), 72);
        assert_eq!(offset_of!(vss_writer_status, hr_application), 56);
        assert_eq!(offset_of!(vss_writer_status, message), 64);
        assert_eq!(size_of::<vss_component_failure>(), 72);
        assert_eq!(offset_of!(vss_component_failure, message), 64);
        assert_eq!(size_of::<vss_snapshot_props>(), 88);
        assert_eq!(offset_of!(vss_snapshot_props, creation_time), 80);
        assert_eq!(size_of::<vss_provider_info>(), 48);
        assert_eq!(offset_of!(vss_provider_info, name), 24);
        assert_eq!(offset_of!(vss_provider_info, type_), 32);
        assert_eq!(offset_of!(vss_provider_info, version), 40);
        assert_eq!(size_of::<vss_provider_callbacks>(), 128);
        assert_eq!(offset_of!(vss_provider_callbacks, id), 4);
        assert_eq!(offset_of!(vss_provider_callbacks, name), 24);
        assert_eq!(offset_of!(vss_provider_callbacks, version), 32);
        assert_eq!(offset_of!(vss_provider_callbacks, is_volume_supported), 40);
        assert_eq!(offset_of!(vss_provider_callbacks, commit_snapshots), 72);
        assert_eq!(offset_of!(vss_provider_callbacks, snapshot_device), 112);
        assert_eq!(offset_of!(vss_provider_callbacks, delete_snapshot), 120);
        assert_eq!(size_of::<vss_retry_policy>(), 32);
        assert_eq!(offset_of!(vss_retry_policy, wait_ms), 8);
        assert_eq!(offset_of!(vss_retry_policy, reserved), 20);
        assert_eq!(offset_of!(vss_retry_policy, in_progress_wait_ms), 24);
        assert_eq!(size_of::<vss_retry_attempt>(), 40);
        assert_eq!(offset_of!(vss_retry_attempt, retry_class), 12);
        assert_eq!(offset_of!(vss_retry_attempt, start_ms), 16);
        assert_eq!(offset_of!(vss_retry_attempt, wait_ms), 32);
    }
}
