use vssapi::{Coordinator, Guid, HResult, HandlerResult, Requester, Writer, WriterContext, WriterHandler, WriterInfo};

struct Database; // a writer that cannot freeze right now
impl WriterHandler for Database {
    fn on_freeze(&self, writer: &WriterContext<'_>) -> HandlerResult {
        let busy = HResult::from_u32(0x80070020); // ERROR_SHARING_VIOLATION
        writer.set_failure_ex(HResult::VSS_E_WRITERERROR_RETRYABLE, busy, Some("database busy"))?;
        Ok(false)
    }
}

fn main() -> vssapi::Result<()> {
    let coordinator = Coordinator::new()?;
    let info = WriterInfo::new(Guid::from_u128(0x5e1f0001_1111_2222_8001_020304050607), "Database Writer");
    let writer = Writer::new(&coordinator, &info, Database)?;
    writer.subscribe()?;
    let requester = Requester::new(&coordinator)?;
    requester.initialize_for_backup()?;
    requester.gather_writer_metadata()?;
    requester.start_snapshot_set()?;
    requester.add_to_snapshot_set("C:\\")?;
    requester.prepare_for_backup()?;
    requester.do_snapshot_set()?;
    requester.gather_writer_status()?;
    for s in requester.writer_statuses()? {
        println!("{}: {} {} {} {:?}", s.name, s.state, s.hr_failure_writer, s.hr_application, s.message);
    }
    Ok(())
}
