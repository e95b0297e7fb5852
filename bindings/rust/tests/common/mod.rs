//! Shared by the test files: one isolated coordinator per test, a class id,
//! and a backup up to DoSnapshotSet.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use vssapi::{BackupType, Coordinator, Guid, Requester, Result, Writer, WriterHandler, WriterInfo};

pub const CLASS_ID: Guid = Guid::from_u128(0x5e1f0001_1111_2222_8001_020304050607);
pub const MESSAGE: &str = "Échec du gel – 数据库忙 😀";

/// A subscribed writer named `name` on `coordinator`.
pub fn writer(coordinator: &Coordinator, name: &str, handler: impl WriterHandler + 'static) -> Writer {
    let writer = Writer::new(coordinator, &WriterInfo::new(CLASS_ID, name), handler).expect("vss_writer_create");
    writer.subscribe().expect("vss_writer_subscribe");
    writer
}

/// The steps of a backup up to, not including, DoSnapshotSet; returns the
/// snapshot set id and the snapshot id.
pub fn prepare(requester: &Requester, select_all: bool) -> Result<(Guid, Guid)> {
    requester.initialize_for_backup()?;
    requester.set_backup_state(true, false, BackupType::FULL, false)?;
    requester.gather_writer_metadata()?;
    if select_all {
        requester.add_all_components()?;
    }
    let set = requester.start_snapshot_set()?;
    let snapshot = requester.add_to_snapshot_set("C:\\")?;
    requester.prepare_for_backup()?;
    Ok((set, snapshot))
}

/// `prepare`, then DoSnapshotSet and GatherWriterStatus.
pub fn backup_through_snapshot(requester: &Requester, select_all: bool) -> Result<(Guid, Guid)> {
    let ids = prepare(requester, select_all)?;
    requester.do_snapshot_set()?;
    requester.gather_writer_status()?;
    Ok(ids)
}

/// Polls `condition` for up to ten seconds.
pub fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    condition()
}
