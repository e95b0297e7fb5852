import vssapi

class DatabaseWriter(vssapi.Writer):
    class_id, name = "5e1f0001-1111-2222-8001-020304050607", "Database Writer"

    def on_freeze(self):  # runs on one of the library's threads
        raise vssapi.WriterFailure(vssapi.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, "Échec du gel – 数据库忙 😀")

with vssapi.Coordinator() as c, DatabaseWriter(c), vssapi.Requester(c) as r:
    r.initialize_for_backup()
    r.set_backup_state()
    r.gather_writer_metadata()
    r.start_snapshot_set()
    r.add_to_snapshot_set("C:\\")
    r.prepare_for_backup()
    r.do_snapshot_set()
    r.gather_writer_status()
    for s in r.writer_statuses():
        print(s.name, s.state.name, s.failure_name, hex(s.hr_application), s.message)
