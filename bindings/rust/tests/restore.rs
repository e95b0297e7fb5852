//! The restore and the Backup Components Document (contract C-3.2, C-8): a
//! backup saves its document, a second coordinator (a new process, as far as
//! the library knows) restores from it; the writer reads its own backup data
//! in OnPreRestore and fails OnPostRestore.
mod common;

use std::sync::{Arc, Mutex};

use common::{writer, CLASS_ID};
use vssapi::{
    BackupType, ComponentText, ComponentType, Components, Coordinator, FileRestoreStatus, HResult, HandlerResult,
    Metadata, Requester, RestoreType, WriterContext, WriterHandler, WriterState,
};

#[derive(Default)]
struct Database {
    seen: Mutex<Vec<(String, bool, Option<String>, Option<String>)>>,
    file_status: Mutex<Option<FileRestoreStatus>>,
}

impl WriterHandler for Database {
    fn on_identify(&self, _w: &WriterContext<'_>, metadata: &Metadata<'_>) -> HandlerResult {
        metadata.add_component(ComponentType::FILE_GROUP, Some("Data"), "Orders", None, true)?;
        Ok(true)
    }

    fn on_prepare_backup(&self, _w: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        let components = components.expect("component mode");
        components.set_text(0, ComponentText::BACKUP_METADATA, "lsn=42 ✓")?;
        components.set_text(0, ComponentText::BACKUP_STAMP, "stamp-3")?;
        Ok(true)
    }

    fn on_pre_restore(&self, _w: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        let components = components.expect("component mode");
        for component in components.list()? {
            self.seen.lock().unwrap().push((
                component.name.clone(),
                components.selected_for_restore(component.index)?,
                components.text(component.index, ComponentText::BACKUP_METADATA)?,
                components.text(component.index, ComponentText::RESTORE_OPTIONS)?,
            ));
        }
        Ok(true)
    }

    fn on_post_restore(&self, w: &WriterContext<'_>, components: Option<&Components<'_>>) -> HandlerResult {
        let components = components.expect("component mode");
        *self.file_status.lock().unwrap() = Some(components.file_restore_status(0)?);
        w.set_failure_ex(HResult::VSS_E_WRITERERROR_NONRETRYABLE, HResult::from_u32(0x81), Some("log 9 is damaged"))?;
        Ok(false)
    }
}

#[test]
fn c_8_2_backup_saved_then_restored_in_a_new_coordinator() {
    let xml = {
        let coordinator = Coordinator::new().unwrap();
        let _writer = writer(&coordinator, "Rust Writer", Database::default());
        let backup = Requester::new(&coordinator).unwrap();
        backup.initialize_for_backup().unwrap();
        backup.set_backup_state(true, false, BackupType::FULL, false).unwrap();
        backup.gather_writer_metadata().unwrap();
        backup.add_all_components().unwrap();
        assert_eq!(backup.save_document().unwrap_err().hresult(), HResult::VSS_E_BAD_STATE);
        backup.start_snapshot_set().unwrap();
        backup.add_to_snapshot_set("C:\\").unwrap();
        backup.prepare_for_backup().unwrap();
        backup.do_snapshot_set().unwrap();
        backup.backup_complete().unwrap();
        backup.save_document().unwrap()
    };
    assert!(xml.contains("lsn=42 ✓"));

    let coordinator = Coordinator::new().unwrap();
    let handler = Arc::new(Database::default());
    let _writer = writer(&coordinator, "Rust Writer", Arc::clone(&handler));
    let restore = Requester::new(&coordinator).unwrap();
    assert_eq!(
        restore.initialize_for_restore("<BACKUP_COMPONENTS/>").unwrap_err().hresult(),
        HResult::VSS_E_INVALID_XML_DOCUMENT
    );
    restore.initialize_for_restore(&xml).unwrap();
    restore.gather_writer_metadata().unwrap();
    assert_eq!(
        restore
            .select_for_restore(CLASS_ID, ComponentType::FILE_GROUP, Some("Data"), "Nope", true)
            .unwrap_err()
            .hresult(),
        HResult::VSS_E_OBJECT_NOT_FOUND
    );
    restore.select_for_restore(CLASS_ID, ComponentType::FILE_GROUP, Some("Data"), "Orders", true).unwrap();
    restore.set_restore_options(CLASS_ID, ComponentType::FILE_GROUP, Some("Data"), "Orders", "overwrite").unwrap();
    restore.set_restore_state(RestoreType::BY_COPY).unwrap();
    restore.pre_restore().unwrap();
    restore
        .set_file_restore_status(CLASS_ID, ComponentType::FILE_GROUP, Some("Data"), "Orders", FileRestoreStatus::ALL)
        .unwrap();
    restore.post_restore().unwrap();

    assert_eq!(
        *handler.seen.lock().unwrap(),
        vec![("Orders".to_string(), true, Some("lsn=42 ✓".to_string()), Some("overwrite".to_string()))]
    );
    assert_eq!(*handler.file_status.lock().unwrap(), Some(FileRestoreStatus::ALL));
    restore.gather_writer_status().unwrap();
    let statuses = restore.writer_statuses().unwrap();
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].state, WriterState::FAILED_AT_POST_RESTORE);
    assert_eq!(statuses[0].hr_failure_writer, HResult::VSS_E_WRITERERROR_NONRETRYABLE);
    assert_eq!(statuses[0].message.as_deref(), Some("log 9 is damaged"));
}
