//! Requesters: one backup session (`vss_requester`) and its async steps.
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::time::Duration;

use crate::sys::{self, SizedStruct};
use crate::{
    c_string, c_string_opt, check, copy_str, ptr_opt, BackupType, ComponentType, Coordinator, Error, Guid, HResult,
    Result, SnapshotContext, SourceType, Step, UsageType, WriterState,
};

/// A writer as GatherWriterMetadata saw it (`vss_writer_identity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterIdentity {
    pub instance_id: Guid,
    pub class_id: Guid,
    pub name: String,
    pub instance_name: Option<String>,
    pub usage: UsageType,
    pub source: SourceType,
    pub component_count: u32,
}

/// A component a writer declared (`vss_component_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentInfo {
    pub component_type: ComponentType,
    pub logical_path: Option<String>,
    pub name: String,
    pub caption: Option<String>,
    pub selectable: bool,
    pub file_count: u32,
    pub database_count: u32,
    pub log_count: u32,
}

/// One row of GatherWriterStatus, with the Ex fields (`vss_writer_status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterStatus {
    pub instance_id: Guid,
    pub class_id: Guid,
    pub name: String,
    pub state: WriterState,
    pub hr_failure_writer: HResult,
    pub hr_application: HResult,
    /// `None` when the writer gave no message.
    pub message: Option<String>,
}

impl WriterStatus {
    /// Whether the writer reported a failure.
    pub fn is_failed(&self) -> bool {
        self.hr_failure_writer.is_failure()
    }
}

/// The failure of one selected component (`vss_component_failure`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentFailure {
    pub instance_id: Guid,
    pub class_id: Guid,
    pub logical_path: Option<String>,
    pub name: String,
    /// `S_OK`: the component did not fail.
    pub hr: HResult,
    pub hr_application: HResult,
    pub message: Option<String>,
}

impl ComponentFailure {
    /// Whether the component failed.
    pub fn is_failed(&self) -> bool {
        self.hr.is_failure()
    }
}

/// A snapshot's properties (`vss_snapshot_props`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotProperties {
    pub snapshot_id: Guid,
    pub snapshot_set_id: Guid,
    pub provider_id: Guid,
    pub snapshots_in_set: i32,
    pub original_volume: String,
    pub device_name: String,
    pub attributes: i32,
    /// FILETIME units (100 ns since 1601-01-01).
    pub creation_time: i64,
}

/// A library-filled struct, cleared (its strings freed) when dropped.
pub(crate) struct Filled<T, F: FnMut(*mut T)> {
    pub(crate) value: T,
    pub(crate) clear: F,
}

impl<T, F: FnMut(*mut T)> Drop for Filled<T, F> {
    fn drop(&mut self) {
        (self.clear)(&mut self.value)
    }
}

/// Copies a string field of a filled struct (freed later by its clear).
pub(crate) fn field(text: *mut std::os::raw::c_char) -> Option<String> {
    // SAFETY: NULL or a NUL-terminated string the struct still owns.
    unsafe { copy_str(text) }
}

/// One backup session (IVssBackupComponents). Dropping it releases the
/// session, which sends OnBackupShutdown to the writers; drop requesters
/// before the writers they talk to (declare the writers first).
#[derive(Debug)]
pub struct Requester {
    raw: NonNull<sys::vss_requester>,
}

// SAFETY: the session object may be used from any thread, one at a time
// (Requester is not Sync).
unsafe impl Send for Requester {}

impl Requester {
    /// A new session on `coordinator`.
    pub fn new(coordinator: &Coordinator) -> Result<Requester> {
        let mut out = ptr::null_mut();
        // SAFETY: a live coordinator and a valid out pointer.
        check(unsafe { sys::vss_requester_create(coordinator.as_raw(), &mut out) })?;
        NonNull::new(out)
            .map(|raw| Requester { raw })
            .ok_or_else(|| Error::new(HResult::E_UNEXPECTED, "the library returned a NULL requester"))
    }

    /// A handle someone else owns and releases (the retry helper's), as a
    /// `Requester` that must never be dropped.
    pub(crate) fn borrowed(raw: NonNull<sys::vss_requester>) -> std::mem::ManuallyDrop<Requester> {
        std::mem::ManuallyDrop::new(Requester { raw })
    }

    fn raw(&self) -> *mut sys::vss_requester {
        self.raw.as_ptr()
    }

    /// The raw handle, still owned by `self`.
    pub fn as_raw(&self) -> *mut sys::vss_requester {
        self.raw()
    }

    /// The session id.
    pub fn session_id(&self) -> Result<Guid> {
        let mut id = sys::vss_guid::default();
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_requester_session_id(self.raw(), &mut id) })?;
        Ok(id.into())
    }

    /// InitializeForBackup.
    pub fn initialize_for_backup(&self) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_requester_initialize_for_backup(self.raw()) }).map(drop)
    }

    /// SetContext.
    pub fn set_context(&self, context: SnapshotContext) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_requester_set_context(self.raw(), context.0) }).map(drop)
    }

    /// SetBackupState.
    pub fn set_backup_state(
        &self,
        select_components: bool,
        bootable_system_state: bool,
        backup_type: BackupType,
        partial_file_support: bool,
    ) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe {
            sys::vss_requester_set_backup_state(
                self.raw(),
                i32::from(select_components),
                i32::from(bootable_system_state),
                backup_type.0,
                i32::from(partial_file_support),
            )
        })
        .map(drop)
    }

    /// SaveAsXML: the Backup Components Document, from PrepareForBackup's end on.
    pub fn save_document(&self) -> Result<String> {
        let mut out = ptr::null_mut();
        // SAFETY: a live handle and a valid out pointer; the string is ours to free.
        check(unsafe { sys::vss_requester_save_document(self.raw(), &mut out) })?;
        // SAFETY: allocated by the library; freed once here.
        Ok(unsafe { crate::take_str(out) }.unwrap_or_default())
    }

    /// InitializeForRestore with a document [`save_document`](Self::save_document) gave.
    pub fn initialize_for_restore(&self, xml: &str) -> Result<()> {
        let xml = crate::c_string(xml, "document")?;
        // SAFETY: a live handle; the text is read during the call.
        check(unsafe { sys::vss_requester_initialize_for_restore(self.raw(), xml.as_ptr()) }).map(drop)
    }

    /// InitializeForBackup with a saved document.
    pub fn resume_backup(&self, xml: &str) -> Result<()> {
        let xml = crate::c_string(xml, "document")?;
        // SAFETY: a live handle; the text is read during the call.
        check(unsafe { sys::vss_requester_resume_backup(self.raw(), xml.as_ptr()) }).map(drop)
    }

    /// SetRestoreState.
    pub fn set_restore_state(&self, restore_type: crate::RestoreType) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_requester_set_restore_state(self.raw(), restore_type.0) }).map(drop)
    }

    /// SetSelectedForRestore on a component of the document.
    pub fn select_for_restore(
        &self,
        writer_class: Guid,
        component_type: ComponentType,
        logical_path: Option<&str>,
        name: &str,
        selected: bool,
    ) -> Result<()> {
        let (class, path, name) =
            (sys::vss_guid::from(writer_class), c_string_opt(logical_path, "logical path")?, c_string(name, "name")?);
        // SAFETY: a live handle; the strings are read during the call.
        check(unsafe {
            sys::vss_requester_select_for_restore(
                self.raw(),
                &class,
                component_type.0,
                ptr_opt(&path),
                name.as_ptr(),
                i32::from(selected),
            )
        })
        .map(drop)
    }

    /// SetRestoreOptions on a component of the document.
    pub fn set_restore_options(
        &self,
        writer_class: Guid,
        component_type: ComponentType,
        logical_path: Option<&str>,
        name: &str,
        options: &str,
    ) -> Result<()> {
        let (class, path, name) =
            (sys::vss_guid::from(writer_class), c_string_opt(logical_path, "logical path")?, c_string(name, "name")?);
        let options = c_string(options, "options")?;
        // SAFETY: a live handle; the strings are read during the call.
        check(unsafe {
            sys::vss_requester_set_restore_options(
                self.raw(),
                &class,
                component_type.0,
                ptr_opt(&path),
                name.as_ptr(),
                options.as_ptr(),
            )
        })
        .map(drop)
    }

    /// SetFileRestoreStatus, between PreRestore and PostRestore.
    pub fn set_file_restore_status(
        &self,
        writer_class: Guid,
        component_type: ComponentType,
        logical_path: Option<&str>,
        name: &str,
        status: crate::FileRestoreStatus,
    ) -> Result<()> {
        let (class, path, name) =
            (sys::vss_guid::from(writer_class), c_string_opt(logical_path, "logical path")?, c_string(name, "name")?);
        // SAFETY: a live handle; the strings are read during the call.
        check(unsafe {
            sys::vss_requester_set_file_restore_status(
                self.raw(),
                &class,
                component_type.0,
                ptr_opt(&path),
                name.as_ptr(),
                status.0,
            )
        })
        .map(drop)
    }

    /// `run(Step::PRE_RESTORE)`.
    pub fn pre_restore(&self) -> Result<()> {
        self.run(Step::PRE_RESTORE)
    }

    /// `run(Step::POST_RESTORE)`.
    pub fn post_restore(&self) -> Result<()> {
        self.run(Step::POST_RESTORE)
    }

    /// Runs one step and waits for it: `Ok(())` when it finished, else its
    /// failure (`vss_requester_run`).
    pub fn run(&self, step: Step) -> Result<()> {
        // SAFETY: a live handle; an unknown step is refused with E_INVALIDARG.
        check(unsafe { sys::vss_requester_run(self.raw(), step.0) }).map(drop)
    }

    /// Starts one step without waiting (`vss_requester_start`).
    pub fn start(&self, step: Step) -> Result<Async<'_>> {
        let mut out = ptr::null_mut();
        // SAFETY: a live handle and a valid out pointer.
        let started = check(unsafe { sys::vss_requester_start(self.raw(), step.0, &mut out) });
        // Own whatever came back, even alongside a failure.
        let handle = NonNull::new(out).map(|raw| Async { raw, _session: PhantomData });
        started?;
        handle.ok_or_else(|| Error::new(HResult::E_UNEXPECTED, "the library returned a NULL async handle"))
    }

    /// `run(Step::GATHER_WRITER_METADATA)`.
    pub fn gather_writer_metadata(&self) -> Result<()> {
        self.run(Step::GATHER_WRITER_METADATA)
    }

    /// `run(Step::PREPARE_FOR_BACKUP)`.
    pub fn prepare_for_backup(&self) -> Result<()> {
        self.run(Step::PREPARE_FOR_BACKUP)
    }

    /// `run(Step::DO_SNAPSHOT_SET)`.
    pub fn do_snapshot_set(&self) -> Result<()> {
        self.run(Step::DO_SNAPSHOT_SET)
    }

    /// `run(Step::BACKUP_COMPLETE)`.
    pub fn backup_complete(&self) -> Result<()> {
        self.run(Step::BACKUP_COMPLETE)
    }

    /// `run(Step::GATHER_WRITER_STATUS)`.
    pub fn gather_writer_status(&self) -> Result<()> {
        self.run(Step::GATHER_WRITER_STATUS)
    }

    /// How many writers GatherWriterMetadata found.
    pub fn writer_count(&self) -> Result<u32> {
        let mut count = 0;
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_requester_writer_count(self.raw(), &mut count) })?;
        Ok(count)
    }

    /// One writer's identity.
    pub fn writer_identity(&self, index: u32) -> Result<WriterIdentity> {
        let mut filled = Filled {
            value: sys::vss_writer_identity::sized(),
            // SAFETY: clears what the library filled (or the zeroed struct).
            clear: |v| unsafe { sys::vss_writer_identity_clear(v) },
        };
        // SAFETY: a live handle and a sized struct.
        check(unsafe { sys::vss_requester_writer_identity(self.raw(), index, &mut filled.value) })?;
        let v = &filled.value;
        Ok(WriterIdentity {
            instance_id: v.instance_id.into(),
            class_id: v.class_id.into(),
            name: field(v.name).unwrap_or_default(),
            instance_name: field(v.instance_name),
            usage: UsageType(v.usage),
            source: SourceType(v.source),
            component_count: v.component_count,
        })
    }

    /// Every writer's identity.
    pub fn writer_identities(&self) -> Result<Vec<WriterIdentity>> {
        (0..self.writer_count()?).map(|i| self.writer_identity(i)).collect()
    }

    /// One component a writer declared.
    pub fn writer_component(&self, writer_index: u32, component_index: u32) -> Result<ComponentInfo> {
        let mut filled = Filled {
            value: sys::vss_component_info::sized(),
            // SAFETY: clears what the library filled (or the zeroed struct).
            clear: |v| unsafe { sys::vss_component_info_clear(v) },
        };
        // SAFETY: a live handle and a sized struct.
        check(unsafe {
            sys::vss_requester_writer_component(self.raw(), writer_index, component_index, &mut filled.value)
        })?;
        let v = &filled.value;
        Ok(ComponentInfo {
            component_type: ComponentType(v.type_),
            logical_path: field(v.logical_path),
            name: field(v.name).unwrap_or_default(),
            caption: field(v.caption),
            selectable: v.selectable != 0,
            file_count: v.file_count,
            database_count: v.database_count,
            log_count: v.log_count,
        })
    }

    /// Every component one writer declared.
    pub fn writer_components(&self, writer_index: u32) -> Result<Vec<ComponentInfo>> {
        let count = self.writer_identity(writer_index)?.component_count;
        (0..count).map(|c| self.writer_component(writer_index, c)).collect()
    }

    /// Selects one component (AddComponent).
    pub fn add_component(
        &self,
        instance_id: Guid,
        class_id: Guid,
        component_type: ComponentType,
        logical_path: Option<&str>,
        name: &str,
    ) -> Result<()> {
        let logical_path = c_string_opt(logical_path, "logical path")?;
        let name = c_string(name, "component name")?;
        let (instance_id, class_id) = (sys::vss_guid::from(instance_id), sys::vss_guid::from(class_id));
        // SAFETY: a live handle; every pointer is valid for the call.
        check(unsafe {
            sys::vss_requester_add_component(
                self.raw(),
                &instance_id,
                &class_id,
                component_type.0,
                ptr_opt(&logical_path),
                name.as_ptr(),
            )
        })
        .map(drop)
    }

    /// Selects every component every writer declared.
    pub fn add_all_components(&self) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_requester_add_all_components(self.raw()) }).map(drop)
    }

    /// StartSnapshotSet: the new snapshot set's id.
    pub fn start_snapshot_set(&self) -> Result<Guid> {
        let mut id = sys::vss_guid::default();
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_requester_start_snapshot_set(self.raw(), &mut id) })?;
        Ok(id.into())
    }

    /// AddToSnapshotSet: the new snapshot's id.
    pub fn add_to_snapshot_set(&self, volume: &str) -> Result<Guid> {
        let volume = c_string(volume, "volume")?;
        let mut id = sys::vss_guid::default();
        // SAFETY: a live handle, a C string and a valid out pointer.
        check(unsafe { sys::vss_requester_add_to_snapshot_set(self.raw(), volume.as_ptr(), &mut id) })?;
        Ok(id.into())
    }

    /// AddToSnapshotSet with a provider chosen by id (`PROVIDER_*_ID`, or a
    /// registered [`Provider`](crate::Provider)'s; `Guid::NULL`: the
    /// coordinator's default): the new snapshot's id.
    /// `VSS_E_PROVIDER_NOT_REGISTERED` for an id no provider has,
    /// `VSS_E_OBJECT_NOT_FOUND` or `VSS_E_VOLUME_NOT_SUPPORTED` for a volume
    /// the provider does not take.
    pub fn add_to_snapshot_set_with(&self, volume: &str, provider_id: Guid) -> Result<Guid> {
        let volume = c_string(volume, "volume")?;
        let provider = sys::vss_guid::from(provider_id);
        let mut id = sys::vss_guid::default();
        // SAFETY: a live handle, a C string, a GUID and a valid out pointer.
        check(unsafe { sys::vss_requester_add_to_snapshot_set_with(self.raw(), volume.as_ptr(), &provider, &mut id) })?;
        Ok(id.into())
    }

    /// AbortBackup.
    pub fn abort(&self) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_requester_abort(self.raw()) }).map(drop)
    }

    /// How many status rows GatherWriterStatus produced.
    pub fn status_count(&self) -> Result<u32> {
        let mut count = 0;
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_requester_status_count(self.raw(), &mut count) })?;
        Ok(count)
    }

    /// One status row, with the Ex fields.
    pub fn status(&self, index: u32) -> Result<WriterStatus> {
        let mut filled = Filled {
            value: sys::vss_writer_status::sized(),
            // SAFETY: clears what the library filled (or the zeroed struct).
            clear: |v| unsafe { sys::vss_writer_status_clear(v) },
        };
        // SAFETY: a live handle and a sized struct.
        check(unsafe { sys::vss_requester_status(self.raw(), index, &mut filled.value) })?;
        let v = &filled.value;
        Ok(WriterStatus {
            instance_id: v.instance_id.into(),
            class_id: v.class_id.into(),
            name: field(v.name).unwrap_or_default(),
            state: WriterState(v.state),
            hr_failure_writer: HResult(v.hr_failure_writer),
            hr_application: HResult(v.hr_application),
            message: field(v.message),
        })
    }

    /// Every status row.
    pub fn writer_statuses(&self) -> Result<Vec<WriterStatus>> {
        (0..self.status_count()?).map(|i| self.status(i)).collect()
    }

    /// How many components are selected, over every writer.
    pub fn component_count(&self) -> Result<u32> {
        let mut count = 0;
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_requester_component_count(self.raw(), &mut count) })?;
        Ok(count)
    }

    /// One selected component's failure (IVssComponentEx2::GetFailure).
    pub fn component_failure(&self, index: u32) -> Result<ComponentFailure> {
        let mut filled = Filled {
            value: sys::vss_component_failure::sized(),
            // SAFETY: clears what the library filled (or the zeroed struct).
            clear: |v| unsafe { sys::vss_component_failure_clear(v) },
        };
        // SAFETY: a live handle and a sized struct.
        check(unsafe { sys::vss_requester_component_failure(self.raw(), index, &mut filled.value) })?;
        let v = &filled.value;
        Ok(ComponentFailure {
            instance_id: v.instance_id.into(),
            class_id: v.class_id.into(),
            logical_path: field(v.logical_path),
            name: field(v.name).unwrap_or_default(),
            hr: HResult(v.hr),
            hr_application: HResult(v.hr_application),
            message: field(v.message),
        })
    }

    /// Every selected component with its failure (`hr` is `S_OK` for those
    /// that did not fail).
    pub fn component_failures(&self) -> Result<Vec<ComponentFailure>> {
        (0..self.component_count()?).map(|i| self.component_failure(i)).collect()
    }

    /// A snapshot's properties.
    pub fn snapshot_properties(&self, snapshot_id: Guid) -> Result<SnapshotProperties> {
        let id = sys::vss_guid::from(snapshot_id);
        let mut filled = Filled {
            value: sys::vss_snapshot_props::sized(),
            // SAFETY: clears what the library filled (or the zeroed struct).
            clear: |v| unsafe { sys::vss_snapshot_props_clear(v) },
        };
        // SAFETY: a live handle, a valid GUID and a sized struct.
        check(unsafe { sys::vss_requester_snapshot_props(self.raw(), &id, &mut filled.value) })?;
        let v = &filled.value;
        Ok(SnapshotProperties {
            snapshot_id: v.snapshot_id.into(),
            snapshot_set_id: v.snapshot_set_id.into(),
            provider_id: v.provider_id.into(),
            snapshots_in_set: v.snapshots_in_set,
            original_volume: field(v.original_volume).unwrap_or_default(),
            device_name: field(v.device_name).unwrap_or_default(),
            attributes: v.attributes,
            creation_time: v.creation_time,
        })
    }
}

impl Drop for Requester {
    fn drop(&mut self) {
        // SAFETY: we own the handle; async handles borrowing it are gone.
        unsafe { sys::vss_requester_release(self.raw()) }
    }
}

/// Where a started step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AsyncStatus {
    /// `VSS_S_ASYNC_PENDING`.
    Pending,
    /// `VSS_S_ASYNC_FINISHED`.
    Finished,
    /// `VSS_S_ASYNC_CANCELLED`.
    Cancelled,
}

/// A step started with [`Requester::start`] (`vss_async`); it borrows the
/// requester, so the session outlives it. Released on drop (the step itself
/// keeps running).
#[derive(Debug)]
pub struct Async<'r> {
    raw: NonNull<sys::vss_async>,
    _session: PhantomData<&'r ()>,
}

// SAFETY: the operation behind the handle is guarded by its own mutex.
unsafe impl Send for Async<'_> {}
unsafe impl Sync for Async<'_> {}

impl Async<'_> {
    /// Waits until the step ended, or `timeout` ran out (`None`: forever).
    /// Returns `Ok(())` either way; ask [`Async::status`] which it was.
    pub fn wait(&self, timeout: Option<Duration>) -> Result<()> {
        let ms = match timeout {
            None => u32::MAX, // INFINITE
            Some(d) => u32::try_from(d.as_millis()).unwrap_or(u32::MAX - 1).min(u32::MAX - 1),
        };
        // SAFETY: a live handle.
        check(unsafe { sys::vss_async_wait(self.raw.as_ptr(), ms) }).map(drop)
    }

    /// The raw status: `VSS_S_ASYNC_PENDING`, `VSS_S_ASYNC_FINISHED`,
    /// `VSS_S_ASYNC_CANCELLED` or the failure code (`vss_async_status`).
    pub fn status_code(&self) -> Result<HResult> {
        let mut status = 0;
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_async_status(self.raw.as_ptr(), &mut status) })?;
        Ok(HResult(status))
    }

    /// Pending, finished or cancelled; a step that failed is an `Err` with
    /// its HRESULT.
    pub fn status(&self) -> Result<AsyncStatus> {
        let code = self.status_code()?;
        match code {
            HResult::VSS_S_ASYNC_PENDING => Ok(AsyncStatus::Pending),
            HResult::VSS_S_ASYNC_FINISHED | HResult::S_OK => Ok(AsyncStatus::Finished),
            HResult::VSS_S_ASYNC_CANCELLED => Ok(AsyncStatus::Cancelled),
            failed if failed.is_failure() => {
                Err(Error::new(failed, format!("the step failed: {} ({})", failed.name(), failed.meaning())))
            }
            other => Err(Error::new(other, format!("unexpected async status {:?}", other))),
        }
    }

    /// Waits for the end and returns how it ended: [`Requester::run`] in two halves.
    pub fn join(&self) -> Result<AsyncStatus> {
        self.wait(None)?;
        self.status()
    }

    /// Asks the step to stop (`vss_async_cancel`): `S_OK`, or
    /// `VSS_S_ASYNC_CANCELLED` / `VSS_S_ASYNC_FINISHED` when it already
    /// was; a step that already failed returns its failure.
    pub fn cancel(&self) -> Result<HResult> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_async_cancel(self.raw.as_ptr()) })
    }

    /// The raw handle, still owned by `self`.
    pub fn as_raw(&self) -> *mut sys::vss_async {
        self.raw.as_ptr()
    }
}

impl Drop for Async<'_> {
    fn drop(&mut self) {
        // SAFETY: we own this reference.
        unsafe { sys::vss_async_release(self.raw.as_ptr()) }
    }
}
