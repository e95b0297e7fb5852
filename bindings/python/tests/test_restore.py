"""The restore and the Backup Components Document (contract C-3.2, C-8).

A backup saves its document; a second coordinator (a new process, as far as
the library knows) restores from it: the writer reads its own backup data in
on_pre_restore, the requester's choices, and fails on_post_restore with a
component failure that the requester reads back.
"""

import unittest

import vssapi

from support import CLASS_ID, IsolatedTest


class Backup(vssapi.Writer):
    def on_identify(self, metadata):
        metadata.add_component("Data", "Orders")
        metadata.add_component("Data", "Audit")
        return True

    def on_prepare_backup(self, components):
        for component in components:
            component.set_text(vssapi.ComponentText.BACKUP_METADATA, f"lsn of {component.name} ✓")
            component.set_text(vssapi.ComponentText.BACKUP_STAMP, "stamp-7")
        return True


class Restore(Backup):
    seen = None

    def on_pre_restore(self, components):
        Restore.seen = {
            c.name: (c.selected_for_restore, c.backup_metadata, c.backup_stamp, c.text(vssapi.ComponentText.RESTORE_OPTIONS))
            for c in components
        }
        return True

    def on_post_restore(self, components):
        for component in components:
            if component.name == "Orders":
                Restore.status = component.file_restore_status
                component.set_text(vssapi.ComponentText.POST_RESTORE_FAILURE_MSG, "replay stopped")
                component.set_failure(vssapi.VSS_E_WRITERERROR_RETRYABLE, 0x55, "log 9 missing")
        self.set_failure_ex(vssapi.VSS_E_WRITERERROR_PARTIAL_FAILURE, 0x56, "one component failed")
        return True


class RestoreTest(IsolatedTest):
    def test_C_8_2_backup_saved_then_restored_in_a_new_coordinator(self):
        self.writer(Backup)
        backup = self.requester()
        backup.initialize_for_backup()
        backup.set_backup_state(select_components=True)
        backup.gather_writer_metadata()
        backup.add_all_components()
        with self.assertRaises(vssapi.VssError) as refused:
            backup.save_document()  # before PrepareForBackup
        self.assertEqual(refused.exception.hresult, vssapi.VSS_E_BAD_STATE)
        backup.start_snapshot_set()
        backup.add_to_snapshot_set("C:\\")
        backup.prepare_for_backup()
        backup.do_snapshot_set()
        backup.backup_complete()
        xml = backup.save_document()
        self.assertIn('componentName="Orders"', xml)
        self.assertIn("lsn of Orders ✓", xml)

        second = vssapi.Coordinator()
        self.addCleanup(second.close)
        writer = Restore(second, class_id=CLASS_ID, name="Python Writer")
        self.addCleanup(writer.close)
        restore = vssapi.Requester(second)
        self.addCleanup(restore.close)
        with self.assertRaises(vssapi.VssError) as bad:
            restore.initialize_for_restore("<BACKUP_COMPONENTS/>")
        self.assertEqual(bad.exception.hresult, vssapi.VSS_E_INVALID_XML_DOCUMENT)
        restore.initialize_for_restore(xml)
        restore.gather_writer_metadata()
        restore.select_for_restore(CLASS_ID, "Data", "Orders")
        restore.set_restore_options(CLASS_ID, "Data", "Orders", "overwrite")
        with self.assertRaises(vssapi.VssError) as unknown:
            restore.select_for_restore(CLASS_ID, "Data", "Nothing")
        self.assertEqual(unknown.exception.hresult, vssapi.VSS_E_OBJECT_NOT_FOUND)
        restore.set_restore_state(vssapi.RestoreType.BY_COPY)
        restore.pre_restore()
        restore.set_file_restore_status(CLASS_ID, "Data", "Orders", vssapi.FileRestoreStatus.ALL)
        restore.post_restore()

        self.assertEqual(Restore.seen["Orders"], (True, "lsn of Orders ✓", "stamp-7", "overwrite"))
        self.assertEqual(Restore.seen["Audit"], (False, "lsn of Audit ✓", "stamp-7", None))
        self.assertEqual(Restore.status, vssapi.FileRestoreStatus.ALL)
        restore.gather_writer_status()
        (status,) = restore.writer_statuses()
        self.assertEqual(status.state, vssapi.WriterState.FAILED_AT_POST_RESTORE)
        self.assertEqual(status.hr_failure_writer, vssapi.VSS_E_WRITERERROR_PARTIAL_FAILURE)
        self.assertEqual(status.message, "one component failed")


if __name__ == "__main__":
    unittest.main()
