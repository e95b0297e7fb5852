//! The scenarios every binding runs: a writer in Rust fails OnFreeze with
//! RETRYABLE, an application code and a non-ASCII message, read back through
//! the Ex status; a PARTIAL_FAILURE with a failed component; bad arguments
//! as clean errors; a step run asynchronously; a panicking handler.
mod common;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

use common::{backup_through_snapshot, eventually, prepare, writer, CLASS_ID, MESSAGE};
use vssapi::{
    AsyncStatus, ClockKind, ComponentType, Components, Coordinator, CoordinatorOptions, FileKind, HResult,
    HandlerResult, Metadata, Requester, Step, Writer, WriterContext, WriterHandler, WriterInfo, WriterState,
};

const APP_CODE: HResult = HResult::from_u32(0x80070020);

// ---- (a) OnFreeze fails RETRYABLE, with an application code and a UTF-8 message

#[derive(Default)]
struct FailFreeze {
    thread: Mutex<Option<ThreadId>>,
}

impl WriterHandler for FailFreeze {
    fn on_freeze(&self, writer: &WriterContext<'_>) -> HandlerResult {
        *self.thread.lock().unwrap() = Some(thread::current().id());
        // The message lives only for the call: the library copies it.
        let message = String::from(MESSAGE);
        writer.set_failure_ex(HResult::VSS_E_WRITERERROR_RETRYABLE, APP_CODE, Some(&message))?;
        Ok(false)
    }
}

#[test]
fn freeze_fails_retryable_with_application_code_and_message() {
    let coordinator = Coordinator::new().unwrap();
    let handler = Arc::new(FailFreeze::default());
    let writer = writer(&coordinator, "Rust Writer", handler.clone());
    let requester = Requester::new(&coordinator).unwrap();
    backup_through_snapshot(&requester, false).unwrap();

    let statuses = requester.writer_statuses().unwrap();
    assert_eq!(statuses.len(), 1);
    let status = &statuses[0];
    assert_eq!(status.name, "Rust Writer");
    assert_eq!(status.state, WriterState::FAILED_AT_FREEZE);
    assert_eq!(status.state.name(), "FAILED_AT_FREEZE");
    assert_eq!(status.state.to_string(), "FAILED_AT_FREEZE");
    assert_eq!(status.hr_failure_writer, HResult::VSS_E_WRITERERROR_RETRYABLE);
    assert_eq!(status.hr_failure_writer.as_u32(), 0x800423F3);
    assert_eq!(status.hr_application, APP_CODE);
    assert_eq!(status.message.as_deref(), Some(MESSAGE));
    assert!(status.is_failed());
    assert!(status.hr_failure_writer.is_retryable());
    assert_eq!(status.instance_id, writer.instance_id().unwrap());
    assert_eq!(status.class_id, CLASS_ID);
    assert_eq!(requester.status(0).unwrap(), *status);

    // The handler ran on one of the library's threads, not on this one.
    let handler_thread = handler.thread.lock().unwrap().expect("on_freeze ran");
    assert_ne!(handler_thread, thread::current().id());
    drop(requester);
}

// ---- (b) PARTIAL_FAILURE with one failed component

#[derive(Default)]
struct TwoComponents {
    seen: Mutex<Vec<String>>,
}

impl WriterHandler for TwoComponents {
    fn on_identify(&self, _writer: &WriterContext<'_>, metadata: &Metadata<'_>) -> HandlerResult {
        for name in ["Alpha", "Beta"] {
            metadata.add_component(ComponentType::FILE_GROUP, Some("Data"), name, Some("caption"), true)?;
            metadata.add_files(FileKind::FILE_GROUP, Some("Data"), name, "/srv/data", "*.db", false)?;
        }
        metadata.add_exclude_files("/srv/data", "*.tmp", true)?;
        Ok(true)
    }

    fn on_post_snapshot(&self, writer: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        let components = components.expect("component mode");
        let list = components.list()?;
        self.seen.lock().unwrap().extend(list.iter().map(|c| format!("{:?}/{}", c.logical_path, c.name)));
        let beta = list.iter().find(|c| c.name == "Beta").expect("Beta selected");
        components.set_failure(
            beta.index,
            HResult::VSS_E_WRITERERROR_NONRETRYABLE,
            HResult(7),
            Some("Beta – défaillant"),
        )?;
        // An index past the end is a clean error, not a crash.
        let past = components.set_failure(99, HResult::VSS_E_WRITERERROR_NONRETRYABLE, HResult(0), None);
        self.seen.lock().unwrap().push(format!("past end: {}", past.unwrap_err().name()));
        writer.set_failure_ex(HResult::VSS_E_WRITERERROR_PARTIAL_FAILURE, HResult::S_OK, Some("one of two"))?;
        Ok(true)
    }
}

#[test]
fn partial_failure_with_a_failed_component() {
    let coordinator = Coordinator::new().unwrap();
    let handler = Arc::new(TwoComponents::default());
    let _writer = writer(&coordinator, "Partial Writer", handler.clone());
    let requester = Requester::new(&coordinator).unwrap();
    let (set, snapshot) = backup_through_snapshot(&requester, true).unwrap();

    // What GatherWriterMetadata saw.
    let identities = requester.writer_identities().unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].name, "Partial Writer");
    assert_eq!(identities[0].class_id, CLASS_ID);
    assert_eq!(identities[0].component_count, 2);
    let components = requester.writer_components(0).unwrap();
    assert_eq!(components.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Alpha", "Beta"]);
    assert_eq!(components[1].logical_path.as_deref(), Some("Data"));
    assert_eq!(components[1].caption.as_deref(), Some("caption"));
    assert_eq!(components[1].component_type, ComponentType::FILE_GROUP);
    assert!(components[1].selectable);
    assert_eq!(components[1].file_count, 1);

    // The writer's own status.
    let status = requester.status(0).unwrap();
    assert_eq!(status.hr_failure_writer, HResult::VSS_E_WRITERERROR_PARTIAL_FAILURE);
    assert_eq!(status.message.as_deref(), Some("one of two"));

    // The component failures.
    let failures = requester.component_failures().unwrap();
    assert_eq!(failures.len(), 2);
    assert_eq!(failures[0].name, "Alpha");
    assert_eq!(failures[0].hr, HResult::S_OK);
    assert!(!failures[0].is_failed());
    assert_eq!(failures[1].name, "Beta");
    assert_eq!(failures[1].logical_path.as_deref(), Some("Data"));
    assert_eq!(failures[1].hr, HResult::VSS_E_WRITERERROR_NONRETRYABLE);
    assert_eq!(failures[1].hr_application, HResult(7));
    assert_eq!(failures[1].message.as_deref(), Some("Beta – défaillant"));
    assert_eq!(failures[1].class_id, CLASS_ID);
    let missing = requester.component_failure(2).unwrap_err();
    assert_eq!(missing.hresult(), HResult::VSS_E_OBJECT_NOT_FOUND);

    let seen = handler.seen.lock().unwrap().clone();
    assert_eq!(seen, ["Some(\"Data\")/Alpha", "Some(\"Data\")/Beta", "past end: VSS_E_OBJECT_NOT_FOUND"]);

    // The snapshot exists, with its properties.
    let props = requester.snapshot_properties(snapshot).unwrap();
    assert_eq!(props.snapshot_id, snapshot);
    assert_eq!(props.snapshot_set_id, set);
    assert_eq!(props.snapshots_in_set, 1);
    assert_eq!(props.original_volume, "C:\\");
}

// ---- (c) bad arguments and bad states surface as clean errors

#[test]
fn an_unknown_step_is_e_invalidarg() {
    let coordinator = Coordinator::new().unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    let error = requester.run(Step(99)).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
    assert_eq!(error.code(), 0x80070057_u32 as i32);
    assert_eq!(error.name(), "E_INVALIDARG");
    assert!(error.message().contains("vss_requester_run"), "{error}");
    assert!(error.message().contains("step is unknown"), "{error}");
    assert!(error.to_string().contains("E_INVALIDARG"), "{error}");
    assert!(!error.is_retryable());
    let error = requester.start(Step(-1)).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
}

#[test]
fn do_snapshot_set_right_after_create_is_bad_state() {
    let coordinator = Coordinator::new().unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    let error = requester.do_snapshot_set().unwrap_err();
    assert_eq!(error.hresult(), HResult::VSS_E_BAD_STATE);
    assert_eq!(error.name(), "VSS_E_BAD_STATE");
    assert_eq!(
        error.message(),
        // C-3.8: the library says why, in words.
        "vss_requester_run: VSS_E_BAD_STATE (DoSnapshotSet before PrepareForBackup completed (admitted only after PrepareForBackup))"
    );
    assert_eq!(requester.start(Step::DO_SNAPSHOT_SET).unwrap_err().hresult(), HResult::VSS_E_BAD_STATE);
}

#[test]
fn a_writer_without_a_name_is_refused() {
    use std::ptr;
    use vssapi::sys;

    let coordinator = Coordinator::new().unwrap();
    // Through the raw API: the library refuses a NULL name with E_INVALIDARG,
    // and `check` turns it into the same Error the safe API returns.
    let class_id = sys::vss_guid::from(CLASS_ID);
    let mut info: sys::vss_writer_info = sys::SizedStruct::sized();
    info.class_id = &class_id;
    let mut out = ptr::null_mut();
    let hr = unsafe { sys::vss_writer_create(coordinator.as_raw(), &info, ptr::null(), ptr::null_mut(), &mut out) };
    let error = vssapi::check(hr).unwrap_err();
    assert!(out.is_null());
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
    assert!(error.message().contains("vss_writer_create"), "{error}");
    assert!(error.message().contains("lacks class_id or name"), "{error}");

    // Through the safe API: an empty name, refused by the library.
    struct Nothing;
    impl WriterHandler for Nothing {}
    let error = Writer::new(&coordinator, &WriterInfo::new(CLASS_ID, ""), Nothing).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
    assert!(error.message().starts_with("vss_writer_create: E_INVALIDARG"), "{error}");

    // And a name that cannot be a C string, refused before it reaches C.
    let error = Writer::new(&coordinator, &WriterInfo::new(CLASS_ID, "bad\0name"), Nothing).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
    assert!(error.message().contains("NUL"), "{error}");
}

#[test]
fn other_bad_arguments_are_clean_errors() {
    use std::ptr;
    use vssapi::sys;

    // NULL out pointer, straight through sys.
    let error = vssapi::check(unsafe { sys::vss_requester_create(ptr::null_mut(), ptr::null_mut()) }).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_INVALIDARG);
    assert!(error.message().contains("vss_requester_create"));
    // An older, smaller struct is refused.
    let coordinator = Coordinator::new().unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    let mut status: sys::vss_writer_status = sys::SizedStruct::sized();
    status.size = 4;
    let hr = unsafe { sys::vss_requester_status(requester.as_raw(), 0, &mut status) };
    assert_eq!(vssapi::check(hr).unwrap_err().hresult(), HResult::E_INVALIDARG);
    // A status row that does not exist.
    assert!(requester.status(3).is_err());
    // Nul bytes in strings never reach C.
    assert_eq!(requester.add_to_snapshot_set("C:\0").unwrap_err().hresult(), HResult::E_INVALIDARG);
    // The real clock cannot be moved.
    let default = Coordinator::process_default().unwrap();
    let error = default.advance_clock(Duration::from_millis(1)).unwrap_err();
    assert_eq!(error.hresult(), HResult::VSS_E_BAD_STATE);
    assert!(error.message().contains("real clock"), "{error}");
    // Nonsense options.
    let options = CoordinatorOptions { event_timeout: Some(Duration::from_secs(1 << 40)), ..Default::default() };
    assert_eq!(Coordinator::with_options(&options).unwrap_err().hresult(), HResult::E_INVALIDARG);
    assert!("not-a-guid".parse::<vssapi::Guid>().is_err());
}

// ---- (d) a step as an async handle: start, status, wait, cancel

#[derive(Default)]
struct SlowPrepare {
    entered: AtomicBool,
    release: AtomicBool,
}

impl WriterHandler for SlowPrepare {
    fn on_prepare_backup(&self, _writer: &WriterContext<'_>, _components: Option<&Components<'_>>) -> HandlerResult {
        self.entered.store(true, Ordering::SeqCst);
        while !self.release.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(1));
        }
        Ok(true)
    }
}

#[test]
fn a_step_started_asynchronously() {
    let coordinator = Coordinator::new().unwrap();
    let handler = Arc::new(SlowPrepare::default());
    let _writer = writer(&coordinator, "Slow Writer", handler.clone());
    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();

    // GatherWriterMetadata: start, wait, status.
    let gather = requester.start(Step::GATHER_WRITER_METADATA).unwrap();
    gather.wait(None).unwrap();
    assert_eq!(gather.status().unwrap(), AsyncStatus::Finished);
    assert_eq!(gather.status_code().unwrap(), HResult::VSS_S_ASYNC_FINISHED);
    drop(gather);
    assert_eq!(requester.writer_count().unwrap(), 1);

    // PrepareForBackup: pending while the handler holds it.
    let prepare = requester.start(Step::PREPARE_FOR_BACKUP).unwrap();
    assert!(eventually(|| handler.entered.load(Ordering::SeqCst)));
    assert_eq!(prepare.status().unwrap(), AsyncStatus::Pending);
    prepare.wait(Some(Duration::from_millis(20))).unwrap(); // times out, still fine
    assert_eq!(prepare.status().unwrap(), AsyncStatus::Pending);
    handler.release.store(true, Ordering::SeqCst);
    assert_eq!(prepare.join().unwrap(), AsyncStatus::Finished);
    assert_eq!(prepare.cancel().unwrap(), HResult::VSS_S_ASYNC_FINISHED);
    drop(prepare);

    // GatherWriterStatus, waited on from another thread.
    let status = requester.start(Step::GATHER_WRITER_STATUS).unwrap();
    thread::scope(|scope| {
        scope.spawn(|| status.wait(None).unwrap());
    });
    assert_eq!(status.status().unwrap(), AsyncStatus::Finished);
    drop(status);
    assert_eq!(requester.status(0).unwrap().state, WriterState::STABLE);
}

#[test]
fn a_hung_handler_times_out_on_the_virtual_clock() {
    let options = CoordinatorOptions { clock: ClockKind::MANUAL, ..Default::default() };
    let coordinator = Coordinator::with_options(&options).unwrap();
    let handler = Arc::new(SlowPrepare::default());
    let _writer = writer(&coordinator, "Hung Writer", handler.clone());
    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    let prepare = requester.start(Step::PREPARE_FOR_BACKUP).unwrap();
    assert!(eventually(|| handler.entered.load(Ordering::SeqCst)));
    assert_eq!(prepare.status().unwrap(), AsyncStatus::Pending);
    // The event timeout runs on the virtual clock: ten minutes pass at once.
    coordinator.advance_clock(Duration::from_millis(600_001)).unwrap();
    assert_eq!(prepare.join().unwrap(), AsyncStatus::Finished);
    drop(prepare);
    requester.gather_writer_status().unwrap();
    assert_eq!(requester.status(0).unwrap().hr_failure_writer, HResult::VSS_E_WRITER_NOT_RESPONDING);
    handler.release.store(true, Ordering::SeqCst);
}

// ---- (e) a handler that panics (or fails) reports NONRETRYABLE; the process survives

struct Panics;

const DELIBERATE: &str = "deliberate panic in on_prepare_snapshot (expected by the test)";

/// Keeps the deliberate panic's report (and backtrace) out of the test log;
/// every other panic is reported as usual.
fn quiet_deliberate_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.payload().downcast_ref::<&str>() == Some(&DELIBERATE) {
            eprintln!("(caught at the C boundary as intended: {DELIBERATE})");
        } else {
            previous(info);
        }
    }));
}

impl WriterHandler for Panics {
    fn on_prepare_snapshot(&self, _writer: &WriterContext<'_>) -> HandlerResult {
        std::panic::panic_any(DELIBERATE);
    }
}

struct Fails;

impl WriterHandler for Fails {
    fn on_freeze(&self, writer: &WriterContext<'_>) -> HandlerResult {
        // An Err after set_failure_ex: the library keeps NONRETRYABLE, not this.
        writer.set_failure_ex(HResult::VSS_E_WRITERERROR_RETRYABLE, APP_CODE, Some("set, then failed"))?;
        Err(vssapi::Error::new(HResult::E_FAIL, "the database is gone"))
    }
}

#[test]
fn a_panicking_handler_is_nonretryable_and_the_process_survives() {
    quiet_deliberate_panics();
    let coordinator = Coordinator::new().unwrap();
    let _writer = writer(&coordinator, "Panicking Writer", Panics);
    let requester = Requester::new(&coordinator).unwrap();
    backup_through_snapshot(&requester, false).unwrap();
    let status = requester.status(0).unwrap();
    assert_eq!(status.hr_failure_writer, HResult::VSS_E_WRITERERROR_NONRETRYABLE);
    assert_eq!(status.state, WriterState::FAILED_AT_PREPARE_SNAPSHOT);
    // Still alive: another backup on the same writer runs to the end.
    drop(requester);
    let again = Requester::new(&coordinator).unwrap();
    backup_through_snapshot(&again, false).unwrap();
    assert_eq!(again.status(0).unwrap().hr_failure_writer, HResult::VSS_E_WRITERERROR_NONRETRYABLE);
}

#[test]
fn a_handler_returning_err_is_nonretryable() {
    let coordinator = Coordinator::new().unwrap();
    let _writer = writer(&coordinator, "Failing Writer", Fails);
    let requester = Requester::new(&coordinator).unwrap();
    backup_through_snapshot(&requester, false).unwrap();
    let status = requester.status(0).unwrap();
    assert_eq!(status.hr_failure_writer, HResult::VSS_E_WRITERERROR_NONRETRYABLE);
    assert_eq!(status.state, WriterState::FAILED_AT_FREEZE);
    assert_eq!(status.hr_application, HResult::S_OK);
    assert_eq!(status.message, None);
}

// ---- the rest of the API

#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
    session: Mutex<Option<vssapi::Guid>>,
    shutdown_set: Mutex<Option<vssapi::Guid>>,
    dropped: Option<Arc<AtomicU32>>,
}

impl Recorder {
    fn counting_drops(mut self, dropped: Arc<AtomicU32>) -> Recorder {
        self.dropped = Some(dropped);
        self
    }

    fn record(&self, event: &str) {
        self.events.lock().unwrap().push(event.to_owned());
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(dropped) = &self.dropped {
            dropped.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl WriterHandler for Recorder {
    fn on_identify(&self, _w: &WriterContext<'_>, metadata: &Metadata<'_>) -> HandlerResult {
        self.record("identify");
        metadata.add_component(ComponentType::DATABASE, None, "Main", None, false)?;
        metadata.add_files(FileKind::DATABASE, None, "Main", "/srv/db", "main.db", false)?;
        metadata.add_files(FileKind::DATABASE_LOG, None, "Main", "/srv/db", "main.log", false)?;
        metadata.add_include_files("/srv/extra", "*", true)?;
        Ok(true)
    }
    fn on_prepare_backup(&self, w: &WriterContext<'_>, c: Option<&Components<'_>>) -> HandlerResult {
        *self.session.lock().unwrap() = Some(w.session_id()?);
        self.record(&format!("prepare_backup {}", c.map_or(0, |c| c.count().unwrap_or(99))));
        Ok(true)
    }
    fn on_prepare_snapshot(&self, _w: &WriterContext<'_>) -> HandlerResult {
        self.record("prepare_snapshot");
        Ok(true)
    }
    fn on_freeze(&self, _w: &WriterContext<'_>) -> HandlerResult {
        self.record("freeze");
        Ok(true)
    }
    fn on_thaw(&self, _w: &WriterContext<'_>) -> HandlerResult {
        self.record("thaw");
        Ok(true)
    }
    fn on_abort(&self, _w: &WriterContext<'_>) -> HandlerResult {
        self.record("abort");
        Ok(true)
    }
    fn on_post_snapshot(&self, _w: &WriterContext<'_>, _c: Option<&Components<'_>>) -> HandlerResult {
        self.record("post_snapshot");
        Ok(true)
    }
    fn on_backup_complete(&self, _w: &WriterContext<'_>, c: Option<&Components<'_>>) -> HandlerResult {
        let names: Vec<String> =
            c.map(|c| c.list()).transpose()?.unwrap_or_default().into_iter().map(|c| c.name).collect();
        self.record(&format!("backup_complete {}", names.join(",")));
        Ok(true)
    }
    fn on_backup_shutdown(&self, _w: &WriterContext<'_>, snapshot_set_id: vssapi::Guid) -> HandlerResult {
        *self.shutdown_set.lock().unwrap() = Some(snapshot_set_id);
        self.record("backup_shutdown");
        Ok(true)
    }
}

#[test]
fn a_whole_backup_calls_every_handler_in_order() {
    let coordinator = Coordinator::new().unwrap();
    let dropped = Arc::new(AtomicU32::new(0));
    let handler = Arc::new(Recorder::default().counting_drops(dropped.clone()));
    let info = WriterInfo {
        instance_name: Some("instance ü".into()),
        version_major: 2,
        version_minor: 1,
        freeze_timeout: Some(Duration::from_secs(30)),
        ..WriterInfo::new(CLASS_ID, "Recording Writer")
    };
    let writer = Writer::new(&coordinator, &info, handler.clone()).unwrap();
    writer.subscribe().unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.set_context(vssapi::SnapshotContext::BACKUP).unwrap();
    requester.set_backup_state(true, false, vssapi::BackupType::FULL, false).unwrap();
    requester.gather_writer_metadata().unwrap();
    let identity = requester.writer_identity(0).unwrap();
    assert_eq!(identity.instance_name.as_deref(), Some("instance ü"));
    assert_eq!(identity.instance_id, writer.instance_id().unwrap());
    assert_eq!(identity.usage, vssapi::UsageType::USER_DATA);
    let main = requester.writer_component(0, 0).unwrap();
    assert_eq!((main.name.as_str(), main.logical_path.as_deref()), ("Main", None));
    assert_eq!((main.component_type, main.database_count, main.log_count), (ComponentType::DATABASE, 1, 1));
    requester.add_component(identity.instance_id, identity.class_id, ComponentType::DATABASE, None, "Main").unwrap();
    let set = requester.start_snapshot_set().unwrap();
    requester.add_to_snapshot_set("C:\\").unwrap();
    requester.prepare_for_backup().unwrap();
    requester.do_snapshot_set().unwrap();
    requester.backup_complete().unwrap();
    requester.gather_writer_status().unwrap();
    assert_eq!(requester.status(0).unwrap().state, WriterState::STABLE);
    assert_eq!(*handler.session.lock().unwrap(), Some(requester.session_id().unwrap()));
    drop(requester); // sends OnBackupShutdown
    assert!(eventually(|| handler.shutdown_set.lock().unwrap().is_some()));
    assert_eq!(*handler.shutdown_set.lock().unwrap(), Some(set));
    assert_eq!(
        *handler.events.lock().unwrap(),
        [
            "identify",
            "prepare_backup 1",
            "prepare_snapshot",
            "freeze",
            "thaw",
            "post_snapshot",
            "backup_complete Main",
            "backup_shutdown"
        ]
    );
    // Dropping the writer drops its handler (our Arc keeps the Recorder).
    drop(writer);
    assert_eq!(Arc::strong_count(&handler), 1);
    drop(handler);
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}

#[test]
fn abort_and_unsubscribe() {
    let coordinator = Coordinator::new().unwrap();
    let handler = Arc::new(Recorder::default());
    let writer = writer(&coordinator, "Aborted Writer", handler.clone());
    let requester = Requester::new(&coordinator).unwrap();
    prepare(&requester, false).unwrap();
    requester.abort().unwrap();
    assert!(eventually(|| handler.events.lock().unwrap().iter().any(|e| e == "abort")));
    drop(requester);

    writer.unsubscribe().unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    requester.initialize_for_backup().unwrap();
    requester.gather_writer_metadata().unwrap();
    assert_eq!(requester.writer_count().unwrap(), 0);
    writer.subscribe().unwrap();
}

#[test]
fn helpers() {
    assert_eq!(vssapi::version(), "0.1.0");
    assert_eq!(vssapi::abi_version(), vssapi::sys::VSSAPI_ABI_VERSION);
    assert_eq!(HResult::VSS_E_WRITERERROR_TIMEOUT.name(), "VSS_E_WRITERERROR_TIMEOUT");
    assert_eq!(vssapi::hresult_name(0x12345678), "0x12345678");
    assert!(!vssapi::hresult_meaning(HResult::VSS_E_BAD_STATE).is_empty());
    assert_eq!(vssapi::writer_state_name(9), "FAILED_AT_FREEZE");
    assert_eq!(vssapi::writer_state_name(99), "?");
    assert!(vssapi::is_retryable(HResult::VSS_E_WRITERERROR_RETRYABLE));
    assert!(!vssapi::is_retryable(HResult::VSS_E_WRITERERROR_NONRETRYABLE));
    assert_eq!(vssapi::retry_class(HResult::VSS_E_SNAPSHOT_SET_IN_PROGRESS), vssapi::RetryClass::ShortBackOff);
    assert_eq!(vssapi::retry_class(HResult::VSS_E_WRITERERROR_RETRYABLE), vssapi::RetryClass::AfterWait);
    assert_eq!(format!("{:?}", HResult::E_INVALIDARG), "HResult(0x80070057 E_INVALIDARG)");
    assert_eq!(format!("{:?}", WriterState(9)), "WriterState::FAILED_AT_FREEZE");
    assert_eq!(format!("{:?}", Step(42)), "Step(42)");
    let guid = CLASS_ID;
    assert_eq!(guid.to_string(), "5e1f0001-1111-2222-8001-020304050607");
    assert_eq!("{5E1F0001-1111-2222-8001-020304050607}".parse::<vssapi::Guid>().unwrap(), guid);
    assert_eq!(guid.data4, [0x80, 1, 2, 3, 4, 5, 6, 7]);
    assert!(vssapi::Guid::NULL.is_null());
    // The library's last error is per thread.
    let coordinator = Coordinator::new().unwrap();
    let requester = Requester::new(&coordinator).unwrap();
    assert!(requester.run(Step(7)).is_err());
    assert!(vssapi::last_error_message().contains("step is unknown"));
    let elsewhere = thread::spawn(vssapi::last_error_message).join().unwrap();
    assert_eq!(elsewhere, "");
}
