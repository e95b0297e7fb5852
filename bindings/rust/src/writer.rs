//! Writers: your [`WriterHandler`] behind a `vss_writer`.
use std::any::Any;
use std::marker::PhantomData;
use std::os::raw::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::time::Duration;

use crate::sys::{self, SizedStruct};
use crate::{
    c_string, c_string_opt, check, ptr_opt, take_str, ApplicationLevel, ComponentType, Coordinator, Error, FileKind,
    Guid, HResult, Result, SourceType, UsageType,
};

/// What a handler returns: `Ok(true)` carries on, `Ok(false)` vetoes (say
/// why with [`WriterContext::set_failure_ex`] first), `Err(_)` means the
/// handler failed unexpectedly (-1 to the library, which then reports
/// `VSS_E_WRITERERROR_NONRETRYABLE`, replacing any failure the handler set
/// with `set_failure_ex`). A panic counts as `Err`.
pub type HandlerResult = Result<bool>;

/// The events of a writer. Every method has a default that returns
/// `Ok(true)`; implement the ones you need.
///
/// Handlers run on the library's worker threads, one event at a time per
/// writer, hence `Send + Sync`; keep mutable state behind a `Mutex` or atomics.
/// `components` is `None` when the requester does not back up in component
/// mode.
#[allow(unused_variables)]
pub trait WriterHandler: Send + Sync {
    /// OnIdentify: declare components and files.
    fn on_identify(&self, writer: &WriterContext<'_>, metadata: &Metadata<'_>) -> HandlerResult {
        Ok(true)
    }
    /// OnPrepareBackup.
    fn on_prepare_backup(&self, writer: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        Ok(true)
    }
    /// OnPrepareSnapshot.
    fn on_prepare_snapshot(&self, writer: &WriterContext<'_>) -> HandlerResult {
        Ok(true)
    }
    /// OnFreeze.
    fn on_freeze(&self, writer: &WriterContext<'_>) -> HandlerResult {
        Ok(true)
    }
    /// OnThaw.
    fn on_thaw(&self, writer: &WriterContext<'_>) -> HandlerResult {
        Ok(true)
    }
    /// OnAbort.
    fn on_abort(&self, writer: &WriterContext<'_>) -> HandlerResult {
        Ok(true)
    }
    /// OnPostSnapshot.
    fn on_post_snapshot(&self, writer: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        Ok(true)
    }
    /// OnBackupComplete.
    fn on_backup_complete(&self, writer: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        Ok(true)
    }
    /// OnBackupShutdown (sent when the requester is released).
    fn on_backup_shutdown(&self, writer: &WriterContext<'_>, snapshot_set_id: Guid) -> HandlerResult {
        Ok(true)
    }
    /// OnPreRestore.
    fn on_pre_restore(&self, writer: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        Ok(true)
    }
    /// OnPostRestore.
    fn on_post_restore(&self, writer: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        Ok(true)
    }
}

macro_rules! forward {
    () => {
        fn on_identify(&self, w: &WriterContext<'_>, m: &Metadata<'_>) -> HandlerResult {
            (**self).on_identify(w, m)
        }
        fn on_prepare_backup(&self, w: &WriterContext<'_>, c: Option<&Components<'_>>) -> HandlerResult {
            (**self).on_prepare_backup(w, c)
        }
        fn on_prepare_snapshot(&self, w: &WriterContext<'_>) -> HandlerResult {
            (**self).on_prepare_snapshot(w)
        }
        fn on_freeze(&self, w: &WriterContext<'_>) -> HandlerResult {
            (**self).on_freeze(w)
        }
        fn on_thaw(&self, w: &WriterContext<'_>) -> HandlerResult {
            (**self).on_thaw(w)
        }
        fn on_abort(&self, w: &WriterContext<'_>) -> HandlerResult {
            (**self).on_abort(w)
        }
        fn on_post_snapshot(&self, w: &WriterContext<'_>, c: Option<&Components<'_>>) -> HandlerResult {
            (**self).on_post_snapshot(w, c)
        }
        fn on_backup_complete(&self, w: &WriterContext<'_>, c: Option<&Components<'_>>) -> HandlerResult {
            (**self).on_backup_complete(w, c)
        }
        fn on_backup_shutdown(&self, w: &WriterContext<'_>, id: Guid) -> HandlerResult {
            (**self).on_backup_shutdown(w, id)
        }
        fn on_pre_restore(&self, w: &WriterContext<'_>, c: Option<&Components<'_>>) -> HandlerResult {
            (**self).on_pre_restore(w, c)
        }
        fn on_post_restore(&self, w: &WriterContext<'_>, c: Option<&Components<'_>>) -> HandlerResult {
            (**self).on_post_restore(w, c)
        }
    };
}

/// Keep a clone of the `Arc` to look at the handler's state while the
/// writer owns the other.
impl<T: WriterHandler + ?Sized> WriterHandler for Arc<T> {
    forward!();
}

impl<T: WriterHandler + ?Sized> WriterHandler for Box<T> {
    forward!();
}

/// Who a writer is (`vss_writer_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterInfo {
    pub class_id: Guid,
    pub name: String,
    pub instance_name: Option<String>,
    pub usage: UsageType,
    pub source: SourceType,
    /// `UNKNOWN` (0) means `FRONT_END`.
    pub level: ApplicationLevel,
    /// `None`: 60 s.
    pub freeze_timeout: Option<Duration>,
    pub version_major: u32,
    pub version_minor: u32,
}

impl WriterInfo {
    /// A user-data writer of "other" source type; change the public fields
    /// (or use struct update syntax) for the rest.
    pub fn new(class_id: Guid, name: impl Into<String>) -> WriterInfo {
        WriterInfo {
            class_id,
            name: name.into(),
            instance_name: None,
            usage: UsageType::USER_DATA,
            source: SourceType::OTHER,
            level: ApplicationLevel::FRONT_END,
            freeze_timeout: None,
            version_major: 0,
            version_minor: 0,
        }
    }
}

/// What the C user pointer points to: a thin pointer to the trait object.
struct Slot {
    handler: Box<dyn WriterHandler>,
}

/// A subscribed (or not yet subscribed) writer. Owns the handler; dropping
/// it stops the writer (`vss_writer_release` waits for a running handler)
/// and then drops the handler.
pub struct Writer {
    raw: NonNull<sys::vss_writer>,
    // From Box::leak: the library holds this pointer as its `user`, so Rust
    // keeps no unique Box to it. Freed in Drop, after the release.
    slot: NonNull<Slot>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("raw", &self.raw).finish_non_exhaustive()
    }
}

// SAFETY: the library's writer is internally synchronised, and the handler
// it calls is Send + Sync.
unsafe impl Send for Writer {}
unsafe impl Sync for Writer {}

impl Writer {
    /// Creates a writer on `coordinator` that calls `handler` (not yet
    /// subscribed: call [`Writer::subscribe`]).
    pub fn new<H: WriterHandler + 'static>(coordinator: &Coordinator, info: &WriterInfo, handler: H) -> Result<Writer> {
        Self::from_boxed(coordinator, info, Box::new(handler))
    }

    /// [`Writer::new`] with a handler that is already a trait object.
    pub fn from_boxed(coordinator: &Coordinator, info: &WriterInfo, handler: Box<dyn WriterHandler>) -> Result<Writer> {
        let name = c_string(&info.name, "writer name")?;
        let instance_name = c_string_opt(info.instance_name.as_deref(), "writer instance name")?;
        let class_id = sys::vss_guid::from(info.class_id);
        let freeze_timeout_ms = match info.freeze_timeout {
            None => 0,
            Some(d) => match u32::try_from(d.as_millis()) {
                Ok(ms) if ms > 0 => ms,
                _ => return Err(Error::invalid_argument("freeze_timeout must be 1 ms to u32::MAX ms")),
            },
        };
        let mut raw_info = sys::vss_writer_info::sized();
        raw_info.class_id = &class_id;
        raw_info.name = name.as_ptr();
        raw_info.instance_name = ptr_opt(&instance_name);
        raw_info.usage = info.usage.0;
        raw_info.source = info.source.0;
        raw_info.level = info.level.0;
        raw_info.freeze_timeout_ms = freeze_timeout_ms;
        raw_info.version_major = info.version_major;
        raw_info.version_minor = info.version_minor;

        let mut callbacks = sys::vss_writer_callbacks::sized();
        callbacks.on_identify = Some(on_identify);
        callbacks.on_prepare_backup = Some(on_prepare_backup);
        callbacks.on_prepare_snapshot = Some(on_prepare_snapshot);
        callbacks.on_freeze = Some(on_freeze);
        callbacks.on_thaw = Some(on_thaw);
        callbacks.on_abort = Some(on_abort);
        callbacks.on_post_snapshot = Some(on_post_snapshot);
        callbacks.on_backup_complete = Some(on_backup_complete);
        callbacks.on_backup_shutdown = Some(on_backup_shutdown);
        callbacks.on_pre_restore = Some(on_pre_restore);
        callbacks.on_post_restore = Some(on_post_restore);

        let slot = NonNull::from(Box::leak(Box::new(Slot { handler })));
        let user: *mut c_void = slot.as_ptr().cast();
        let mut out = ptr::null_mut();
        // SAFETY: every pointer is valid for the call; the library copies the
        // info strings and the callback table, and keeps `user`, which lives
        // in the heap until the writer is released.
        let created =
            check(unsafe { sys::vss_writer_create(coordinator.as_raw(), &raw_info, &callbacks, user, &mut out) });
        match (created, NonNull::new(out)) {
            (Ok(_), Some(raw)) => Ok(Writer { raw, slot }),
            (result, _) => {
                // SAFETY: no writer kept the pointer; the Box is taken back once.
                drop(unsafe { Box::from_raw(slot.as_ptr()) });
                result.and(Err(Error::new(HResult::E_UNEXPECTED, "the library returned a NULL writer")))
            }
        }
    }

    /// Starts receiving events.
    pub fn subscribe(&self) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_writer_subscribe(self.raw.as_ptr()) }).map(drop)
    }

    /// Stops receiving events.
    pub fn unsubscribe(&self) -> Result<()> {
        // SAFETY: a live handle.
        check(unsafe { sys::vss_writer_unsubscribe(self.raw.as_ptr()) }).map(drop)
    }

    /// This writer instance's id (what the requester's status rows show).
    pub fn instance_id(&self) -> Result<Guid> {
        context_instance_id(self.raw.as_ptr())
    }

    /// The id of the backup session the writer is in.
    pub fn session_id(&self) -> Result<Guid> {
        context_session_id(self.raw.as_ptr())
    }

    /// The handler, as the trait object the writer owns.
    pub fn handler(&self) -> &dyn WriterHandler {
        // SAFETY: the slot lives until Drop; handlers only read it too.
        unsafe { &*self.slot.as_ptr() }.handler.as_ref()
    }

    /// The raw handle, still owned by `self`.
    pub fn as_raw(&self) -> *mut sys::vss_writer {
        self.raw.as_ptr()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // SAFETY: we own the handle; after the release returns no handler
        // runs, so nothing references the slot when it is freed.
        unsafe {
            sys::vss_writer_release(self.raw.as_ptr());
            drop(Box::from_raw(self.slot.as_ptr()));
        }
    }
}

fn context_instance_id(raw: *mut sys::vss_writer) -> Result<Guid> {
    let mut id = sys::vss_guid::default();
    // SAFETY: a live handle and a valid out pointer.
    check(unsafe { sys::vss_writer_instance_id(raw, &mut id) })?;
    Ok(id.into())
}

fn context_session_id(raw: *mut sys::vss_writer) -> Result<Guid> {
    let mut id = sys::vss_guid::default();
    // SAFETY: a live handle and a valid out pointer.
    check(unsafe { sys::vss_writer_session_id(raw, &mut id) })?;
    Ok(id.into())
}

/// The writer, as seen from inside one of its handlers. Only valid for the
/// handler's duration and on its thread (it is neither `Send` nor `Sync`),
/// which is where `vss_writer_set_failure_ex` works.
#[derive(Debug)]
pub struct WriterContext<'a> {
    raw: *mut sys::vss_writer,
    _handler: PhantomData<&'a ()>,
}

impl WriterContext<'_> {
    /// Reports a failure with an application code and a message the
    /// requester reads back in its status rows (`vss_writer_set_failure_ex`).
    pub fn set_failure_ex(&self, hr_writer: HResult, hr_application: HResult, message: Option<&str>) -> Result<()> {
        let message = c_string_opt(message, "failure message")?;
        // SAFETY: a live handle inside its handler; the message is copied.
        check(unsafe { sys::vss_writer_set_failure_ex(self.raw, hr_writer.0, hr_application.0, ptr_opt(&message)) })
            .map(drop)
    }

    /// Reports a failure (`vss_writer_set_failure`).
    pub fn set_failure(&self, hr_writer: HResult) -> Result<()> {
        // SAFETY: a live handle inside its handler.
        check(unsafe { sys::vss_writer_set_failure(self.raw, hr_writer.0) }).map(drop)
    }

    /// The current backup session's id.
    pub fn session_id(&self) -> Result<Guid> {
        context_session_id(self.raw)
    }

    /// This writer instance's id.
    pub fn instance_id(&self) -> Result<Guid> {
        context_instance_id(self.raw)
    }

    /// The raw handle (valid during the handler).
    pub fn as_raw(&self) -> *mut sys::vss_writer {
        self.raw
    }
}

/// The writer metadata being built in [`WriterHandler::on_identify`].
#[derive(Debug)]
pub struct Metadata<'a> {
    raw: *mut sys::vss_metadata,
    _handler: PhantomData<&'a ()>,
}

impl Metadata<'_> {
    /// Declares a component (`vss_metadata_add_component`).
    pub fn add_component(
        &self,
        component_type: ComponentType,
        logical_path: Option<&str>,
        name: &str,
        caption: Option<&str>,
        selectable: bool,
    ) -> Result<()> {
        let logical_path = c_string_opt(logical_path, "logical path")?;
        let name = c_string(name, "component name")?;
        let caption = c_string_opt(caption, "caption")?;
        // SAFETY: a live metadata handle inside on_identify; strings are copied.
        check(unsafe {
            sys::vss_metadata_add_component(
                self.raw,
                component_type.0,
                ptr_opt(&logical_path),
                name.as_ptr(),
                ptr_opt(&caption),
                i32::from(selectable),
            )
        })
        .map(drop)
    }

    /// Adds files to a component (`vss_metadata_add_files`).
    pub fn add_files(
        &self,
        kind: FileKind,
        logical_path: Option<&str>,
        component_name: &str,
        path: &str,
        filespec: &str,
        recursive: bool,
    ) -> Result<()> {
        let logical_path = c_string_opt(logical_path, "logical path")?;
        let component_name = c_string(component_name, "component name")?;
        let path = c_string(path, "path")?;
        let filespec = c_string(filespec, "filespec")?;
        // SAFETY: as above.
        check(unsafe {
            sys::vss_metadata_add_files(
                self.raw,
                kind.0,
                ptr_opt(&logical_path),
                component_name.as_ptr(),
                path.as_ptr(),
                filespec.as_ptr(),
                i32::from(recursive),
            )
        })
        .map(drop)
    }

    /// `vss_metadata_add_include_files`.
    pub fn add_include_files(&self, path: &str, filespec: &str, recursive: bool) -> Result<()> {
        let path = c_string(path, "path")?;
        let filespec = c_string(filespec, "filespec")?;
        // SAFETY: as above.
        check(unsafe {
            sys::vss_metadata_add_include_files(self.raw, path.as_ptr(), filespec.as_ptr(), i32::from(recursive))
        })
        .map(drop)
    }

    /// `vss_metadata_add_exclude_files`.
    pub fn add_exclude_files(&self, path: &str, filespec: &str, recursive: bool) -> Result<()> {
        let path = c_string(path, "path")?;
        let filespec = c_string(filespec, "filespec")?;
        // SAFETY: as above.
        check(unsafe {
            sys::vss_metadata_add_exclude_files(self.raw, path.as_ptr(), filespec.as_ptr(), i32::from(recursive))
        })
        .map(drop)
    }

    /// The raw handle (valid during on_identify).
    pub fn as_raw(&self) -> *mut sys::vss_metadata {
        self.raw
    }
}

/// One of the session's components of this writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub index: u32,
    pub logical_path: Option<String>,
    pub name: String,
}

/// The session's components of this writer, in a component handler.
#[derive(Debug)]
pub struct Components<'a> {
    raw: *mut sys::vss_components,
    _handler: PhantomData<&'a ()>,
}

impl Components<'_> {
    /// How many components the requester selected (`vss_components_count`).
    pub fn count(&self) -> Result<u32> {
        let mut count = 0;
        // SAFETY: a live handle inside its handler.
        check(unsafe { sys::vss_components_count(self.raw, &mut count) })?;
        Ok(count)
    }

    /// One component (`vss_components_get`).
    pub fn get(&self, index: u32) -> Result<Component> {
        let mut logical_path = ptr::null_mut();
        let mut name = ptr::null_mut();
        // SAFETY: valid out pointers; the strings are ours to free.
        check(unsafe { sys::vss_components_get(self.raw, index, &mut logical_path, &mut name) })?;
        // SAFETY: allocated by the library (or NULL); freed once here.
        let (logical_path, name) = unsafe { (take_str(logical_path), take_str(name)) };
        Ok(Component { index, logical_path, name: name.unwrap_or_default() })
    }

    /// All of them, in order.
    pub fn list(&self) -> Result<Vec<Component>> {
        (0..self.count()?).map(|i| self.get(i)).collect()
    }

    /// Fails one component (`vss_components_set_failure`, IVssComponentEx2::SetFailure).
    pub fn set_failure(&self, index: u32, hr: HResult, hr_application: HResult, message: Option<&str>) -> Result<()> {
        let message = c_string_opt(message, "failure message")?;
        // SAFETY: a live handle; the message is copied.
        check(unsafe { sys::vss_components_set_failure(self.raw, index, hr.0, hr_application.0, ptr_opt(&message)) })
            .map(drop)
    }

    /// One text of a component (`vss_components_get_text`); `None` when it was never set.
    pub fn text(&self, index: u32, which: crate::ComponentText) -> Result<Option<String>> {
        let mut out = ptr::null_mut();
        // SAFETY: a live handle and a valid out pointer; the string is ours to free.
        check(unsafe { sys::vss_components_get_text(self.raw, index, which.0, &mut out) })?;
        // SAFETY: allocated by the library (or NULL); freed once here.
        Ok(unsafe { take_str(out) })
    }

    /// Sets a text a writer may set in this handler (`vss_components_set_text`).
    pub fn set_text(&self, index: u32, which: crate::ComponentText, text: &str) -> Result<()> {
        let text = crate::c_string(text, "text")?;
        // SAFETY: a live handle; the text is copied.
        check(unsafe { sys::vss_components_set_text(self.raw, index, which.0, text.as_ptr()) }).map(drop)
    }

    /// In OnPreRestore and OnPostRestore: whether the requester selected the component.
    pub fn selected_for_restore(&self, index: u32) -> Result<bool> {
        let mut selected = 0;
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_components_selected_for_restore(self.raw, index, &mut selected) })?;
        Ok(selected != 0)
    }

    /// In OnPostRestore: what the requester set with SetFileRestoreStatus.
    pub fn file_restore_status(&self, index: u32) -> Result<crate::FileRestoreStatus> {
        let mut status = 0;
        // SAFETY: a live handle and a valid out pointer.
        check(unsafe { sys::vss_components_file_restore_status(self.raw, index, &mut status) })?;
        Ok(crate::FileRestoreStatus(status))
    }

    /// The raw handle (valid during the handler).
    pub fn as_raw(&self) -> *mut sys::vss_components {
        self.raw
    }
}

// ---- the extern "system" (VSS_CALL) trampolines -----------------------------

/// Runs a handler: a panic or an `Err` becomes -1, never an unwind into C.
fn guard(user: *mut c_void, body: impl FnOnce(&dyn WriterHandler) -> HandlerResult) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `user` is the Slot the Writer owns; the library calls
        // handlers only between create and release.
        let slot = unsafe { &*(user as *const Slot) };
        body(&*slot.handler)
    }));
    match outcome {
        Ok(Ok(true)) => 1,
        Ok(Ok(false)) => 0,
        Ok(Err(_)) => -1,
        Err(payload) => {
            drop_payload(payload);
            -1
        }
    }
}

/// Drops a panic payload without letting a panicking Drop escape.
pub(crate) fn drop_payload(payload: Box<dyn Any + Send>) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        std::mem::forget(again);
    }
}

fn context<'a>(writer: *mut sys::vss_writer) -> WriterContext<'a> {
    WriterContext { raw: writer, _handler: PhantomData }
}

fn components<'a>(raw: *mut sys::vss_components) -> Option<Components<'a>> {
    (!raw.is_null()).then_some(Components { raw, _handler: PhantomData })
}

extern "system" fn on_identify(
    user: *mut c_void,
    writer: *mut sys::vss_writer,
    metadata: *mut sys::vss_metadata,
) -> i32 {
    guard(user, |h| h.on_identify(&context(writer), &Metadata { raw: metadata, _handler: PhantomData }))
}

extern "system" fn on_backup_shutdown(
    user: *mut c_void,
    writer: *mut sys::vss_writer,
    snapshot_set_id: *const sys::vss_guid,
) -> i32 {
    // SAFETY: the library passes a valid GUID (or NULL, read as GUID_NULL).
    let id = if snapshot_set_id.is_null() { Guid::NULL } else { Guid::from(unsafe { *snapshot_set_id }) };
    guard(user, |h| h.on_backup_shutdown(&context(writer), id))
}

macro_rules! trampoline {
    ($name:ident) => {
        extern "system" fn $name(user: *mut c_void, writer: *mut sys::vss_writer) -> i32 {
            guard(user, |h| h.$name(&context(writer)))
        }
    };
    ($name:ident, components) => {
        extern "system" fn $name(
            user: *mut c_void,
            writer: *mut sys::vss_writer,
            raw: *mut sys::vss_components,
        ) -> i32 {
            guard(user, |h| h.$name(&context(writer), components(raw).as_ref()))
        }
    };
}

trampoline!(on_prepare_snapshot);
trampoline!(on_freeze);
trampoline!(on_thaw);
trampoline!(on_abort);
trampoline!(on_prepare_backup, components);
trampoline!(on_post_snapshot, components);
trampoline!(on_backup_complete, components);
trampoline!(on_pre_restore, components);
trampoline!(on_post_restore, components);
