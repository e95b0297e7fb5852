"""The rest of the flat API: every handler in order, metadata, selection, session
and instance ids, snapshot properties, abort, subscribe/unsubscribe, and the
release of handles (close, with, garbage collection, close inside a handler)."""

import gc
import threading
import time
import unittest
import uuid
import weakref

import vssapi
from vssapi import VSS_E_WRITERERROR_RETRYABLE, WriterState, _handles

from support import CLASS_ID, IsolatedTest

NULL_ID = uuid.UUID(int=0)


class Recorder(vssapi.Writer):
    """Overrides every backup handler and records what it saw."""

    class_id = CLASS_ID
    name = "Écrivain 写入器"
    instance_name = "instance ✓"
    usage = vssapi.UsageType.SYSTEM_SERVICE
    source = vssapi.SourceType.TRANSACTED_DB
    version = (3, 4)

    def __init__(self, *args, **kwargs):
        self.calls = []
        self.threads = set()
        super().__init__(*args, **kwargs)

    def _record(self, call):
        self.calls.append(call)
        self.threads.add(threading.get_ident())

    def on_identify(self, metadata):
        self._record("identify")
        metadata.add_component(None, "Files", "Plain files")
        metadata.add_files(None, "Files", "/srv/files", "*", recursive=True)
        metadata.add_component("Sql", "Db", type=vssapi.ComponentType.DATABASE, selectable=False)
        metadata.add_database_files("Sql", "Db", "/srv/db", "*.mdf")
        metadata.add_database_log_files("Sql", "Db", "/srv/db", "*.ldf")
        metadata.add_include_files("/srv/extra", "*.cfg")
        metadata.add_exclude_files("/srv/files", "*.tmp", True)

    def on_prepare_backup(self, components):
        self._record(("prepare_backup", components.present, [(c.logical_path, c.name) for c in components]))
        self.session = self.session_id

    def on_prepare_snapshot(self):
        self._record("prepare_snapshot")

    def on_freeze(self):
        self._record("freeze")
        gc.collect()  # the callbacks the library holds must survive a collection

    def on_thaw(self):
        self._record("thaw")

    def on_abort(self):
        self._record("abort")

    def on_post_snapshot(self, components):
        self._record(("post_snapshot", len(components)))

    def on_backup_complete(self, components):
        self._record(("backup_complete", len(components)))

    def on_backup_shutdown(self, snapshot_set_id):
        self._record(("backup_shutdown", snapshot_set_id))


class FullBackupTest(IsolatedTest):
    def test_every_handler_in_order(self):
        writer = self.writer(Recorder, name=None)  # the class attribute gives the name
        requester = vssapi.Requester(self.coordinator)
        requester.initialize_for_backup()
        requester.set_context(vssapi.Context.BACKUP)
        requester.set_backup_state(select_components=True, backup_type=vssapi.BackupType.INCREMENTAL)
        requester.gather_writer_metadata()

        self.assertEqual(requester.writer_count, 1)
        identity = requester.writer_identity(0)
        self.assertEqual(identity.name, "Écrivain 写入器")
        self.assertEqual(identity.instance_name, "instance ✓")
        self.assertEqual(identity.instance_id, writer.instance_id)
        self.assertEqual(identity.class_id, CLASS_ID)
        self.assertIs(identity.usage, vssapi.UsageType.SYSTEM_SERVICE)
        self.assertIs(identity.source, vssapi.SourceType.TRANSACTED_DB)
        self.assertEqual(identity.component_count, 2)
        files = requester.writer_component(0, 0)
        self.assertEqual((files.name, files.caption, files.logical_path, files.file_count), ("Files", "Plain files", None, 1))
        db = requester.writer_component(0, 1)
        self.assertIs(db.type, vssapi.ComponentType.DATABASE)
        self.assertEqual((db.logical_path, db.database_count, db.log_count, db.selectable), ("Sql", 1, 1, False))

        requester.add_component(identity.instance_id, identity.class_id, None, "Files")
        snapshot_set = requester.start_snapshot_set()
        snapshot = requester.add_to_snapshot_set("C:\\")
        requester.prepare_for_backup()
        requester.do_snapshot_set()
        requester.backup_complete()
        requester.gather_writer_status()
        (status,) = requester.writer_statuses()
        self.assertIs(status.state, WriterState.STABLE)
        self.assertFalse(status.failed)
        self.assertIsNone(status.message)
        (failure,) = requester.component_failures()
        self.assertEqual((failure.name, failure.hr, failure.message), ("Files", 0, None))

        props = requester.snapshot_properties(snapshot)
        self.assertEqual(props.snapshot_id, snapshot)
        self.assertEqual(props.snapshot_set_id, snapshot_set)
        self.assertEqual(props.snapshots_in_set, 1)
        self.assertEqual(props.original_volume, "C:\\")
        self.assertTrue(props.device_name)
        self.assertGreater(props.created.year, 2000)
        with self.assertRaises(vssapi.VssError) as caught:
            requester.snapshot_properties(uuid.uuid4())
        self.assertEqual(caught.exception.hresult, vssapi.VSS_E_OBJECT_NOT_FOUND)

        self.assertEqual(writer.session, requester.session_id)
        requester.close()  # sends OnBackupShutdown
        self.assertEqual(
            writer.calls,
            [
                "identify",
                ("prepare_backup", True, [(None, "Files")]),
                "prepare_snapshot",
                "freeze",
                "thaw",
                ("post_snapshot", 1),
                ("backup_complete", 1),
                ("backup_shutdown", snapshot_set),
            ],
        )
        self.assertNotIn(threading.get_ident(), writer.threads)

    def test_abort_and_no_component_mode(self):
        writer = self.writer(Recorder)
        with vssapi.Requester(self.coordinator) as requester:
            requester.initialize_for_backup()
            requester.set_backup_state(select_components=False)
            requester.gather_writer_metadata()
            requester.start_snapshot_set()
            requester.add_to_snapshot_set("C:\\")
            requester.prepare_for_backup()
            requester.abort()
        self.assertEqual(
            writer.calls[1:],
            [("prepare_backup", False, []), "abort", ("backup_shutdown", NULL_ID)],
        )


class NoHandlers(vssapi.Writer):
    class_id = CLASS_ID
    name = "Quiet"


class SubscriptionTest(IsolatedTest):
    def count_writers(self):
        with vssapi.Requester(self.coordinator) as requester:
            requester.initialize_for_backup()
            requester.gather_writer_metadata()
            return requester.writer_count

    def test_subscribe_unsubscribe(self):
        writer = self.writer(NoHandlers, subscribe=False)
        self.assertEqual(self.count_writers(), 0)
        writer.subscribe()
        self.assertEqual(self.count_writers(), 1)
        writer.unsubscribe()
        self.assertEqual(self.count_writers(), 0)
        writer.subscribe()
        with writer:
            self.assertEqual(self.count_writers(), 1)
        self.assertTrue(writer.closed)
        self.assertEqual(self.count_writers(), 0)

    def test_forgotten_writer_is_released_by_the_garbage_collector(self):
        before = _handles.live_count("writer")
        writer = NoHandlers(self.coordinator)
        self.assertEqual(_handles.live_count("writer"), before + 1)
        ref = weakref.ref(writer)
        del writer
        gc.collect()
        self.assertIsNone(ref())
        self.assertEqual(_handles.live_count("writer"), before)
        self.assertEqual(self.count_writers(), 0)

    def test_coordinator_options(self):
        with vssapi.Coordinator(workers=2, session_limit=1, event_timeout_ms=5000, commit_window_ms=500) as coordinator:
            with NoHandlers(coordinator), vssapi.Requester(coordinator) as first, vssapi.Requester(coordinator) as second:
                for requester in (first, second):
                    requester.initialize_for_backup()
                    requester.gather_writer_metadata()
                self.assertEqual(first.writer_count, 1)
                self.assertEqual(second.writer_count, 0)  # the writer's one session is taken
                second.gather_writer_status()
                (status,) = second.writer_statuses()
                self.assertEqual(status.hr_failure_writer, vssapi.VSS_E_WRITER_STATUS_NOT_AVAILABLE)

    def test_default_coordinator(self):
        with vssapi.Coordinator.default() as default:
            with self.assertRaises(vssapi.VssError) as caught:
                default.advance_clock(1)
            self.assertEqual(caught.exception.hresult, vssapi.VSS_E_BAD_STATE)
        self.assertTrue(default.closed)


class ClosesItselfInBackupComplete(vssapi.Writer):
    class_id = CLASS_ID
    name = "Closes itself"

    def on_backup_complete(self, components):
        self.close()  # must not deadlock: the release waits for this very handler
        return True


class SurrogateMessage(vssapi.Writer):
    class_id = CLASS_ID
    name = "Surrogates"

    def on_prepare_backup(self, components):
        self.set_failure_ex(VSS_E_WRITERERROR_RETRYABLE, 0, "a\ud800b \ud83d\ude00")
        return True


class EdgeCaseTest(IsolatedTest):
    def test_close_inside_own_handler(self):
        writer = ClosesItselfInBackupComplete(self.coordinator)
        with vssapi.Requester(self.coordinator) as requester:
            self.through_snapshot(requester)
            requester.backup_complete()
        deadline = time.monotonic() + 30
        while _handles.live_count("writer") and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertTrue(writer.closed)
        self.assertEqual(_handles.live_count("writer"), 0)

    def test_surrogates_read_as_utf16(self):
        self.writer(SurrogateMessage)
        requester = self.requester()
        requester.initialize_for_backup()
        requester.gather_writer_metadata()
        requester.prepare_for_backup()
        requester.gather_writer_status()
        (status,) = requester.writer_statuses()
        self.assertEqual(status.message, "a\ufffdb 😀")


class HelperTest(unittest.TestCase):
    def test_versions(self):
        self.assertEqual(vssapi.abi_version(), vssapi.ABI_VERSION)
        self.assertRegex(vssapi.version(), r"^\d+\.\d+\.\d+")
        self.assertEqual(vssapi.__version__, vssapi.version())

    def test_hresult_constants_match_the_library(self):
        for name in vssapi.hresults.__all__:
            value = getattr(vssapi, name)
            library_name = vssapi.hresult_name(value)
            if not library_name.startswith("0x"):  # the library knows it: same spelling
                # VSS_S_ and VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED share their code bits
                self.assertEqual(library_name.replace("VSS_S_", "VSS_E_"), name.replace("VSS_S_", "VSS_E_"))
        self.assertEqual(vssapi.hresult_name(vssapi.VSS_E_WRITERERROR_TIMEOUT), "VSS_E_WRITERERROR_TIMEOUT")
        self.assertEqual(vssapi.hresult_name(0x12345678), "0x12345678")
        self.assertEqual(vssapi.hresult_name(-2147212301), "VSS_E_WRITERERROR_RETRYABLE")  # signed form too
        self.assertTrue(vssapi.hresult_meaning(vssapi.E_INVALIDARG))

    def test_retry_classes_and_states(self):
        self.assertEqual(vssapi.is_retryable(vssapi.VSS_E_WRITERERROR_RETRYABLE), 1)
        self.assertEqual(vssapi.is_retryable(vssapi.VSS_E_SNAPSHOT_SET_IN_PROGRESS), 2)
        self.assertEqual(vssapi.is_retryable(vssapi.VSS_E_WRITERERROR_NONRETRYABLE), 0)
        for state in WriterState:
            self.assertEqual(vssapi.writer_state_name(state), state.name)
        self.assertEqual(vssapi.writer_state_name(99), "?")

    def test_hresult_values(self):
        hr = vssapi.HResult(-2147212301)
        self.assertEqual(hr, vssapi.VSS_E_WRITERERROR_RETRYABLE)
        self.assertEqual(hr.name, "VSS_E_WRITERERROR_RETRYABLE")
        self.assertTrue(hr.failed)
        self.assertEqual(repr(hr), "HResult(0x800423F3 VSS_E_WRITERERROR_RETRYABLE)")
        self.assertEqual(str(hr), str(0x800423F3))
        error = vssapi.VssError(vssapi.E_INVALIDARG)
        self.assertEqual(error.name, "E_INVALIDARG")
        self.assertIn("E_INVALIDARG", str(error))


if __name__ == "__main__":
    unittest.main()
