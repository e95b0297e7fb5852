"""The scenarios every binding runs: a retryable OnFreeze failure read back through
the Ex status, a PARTIAL_FAILURE with a failed component, bad arguments as clean
errors, a step in its async form, and a handler that raises."""

import threading
import unittest

import vssapi
from vssapi import (
    E_INVALIDARG,
    VSS_E_BAD_STATE,
    VSS_E_OBJECT_NOT_FOUND,
    VSS_E_WRITER_NOT_RESPONDING,
    VSS_E_WRITERERROR_NONRETRYABLE,
    VSS_E_WRITERERROR_PARTIAL_FAILURE,
    VSS_E_WRITERERROR_RETRYABLE,
    VSS_S_ASYNC_FINISHED,
    VSS_S_ASYNC_PENDING,
    Step,
    VssError,
    WriterState,
)

from support import APPLICATION, CLASS_ID, MESSAGE, IsolatedTest


class FreezeFailsRetryable(vssapi.Writer):
    def on_freeze(self):
        self.freeze_thread = threading.get_ident()
        message = "".join(MESSAGE)  # a fresh string, dropped as soon as the call returns
        self.set_failure_ex(VSS_E_WRITERERROR_RETRYABLE, APPLICATION, message)
        return False


class RaisesWriterFailure(vssapi.Writer):
    def on_freeze(self):
        raise vssapi.WriterFailure(VSS_E_WRITERERROR_RETRYABLE, APPLICATION, MESSAGE)


class RetryableFreezeTest(IsolatedTest):
    def check_status(self, writer, requester):
        requester.gather_writer_status()
        statuses = requester.writer_statuses()
        self.assertEqual(len(statuses), 1)
        status = statuses[0]
        self.assertEqual(status.name, "Python Writer")
        self.assertIs(status.state, WriterState.FAILED_AT_FREEZE)
        self.assertEqual(vssapi.writer_state_name(status.state), "FAILED_AT_FREEZE")
        self.assertEqual(status.hr_failure_writer, VSS_E_WRITERERROR_RETRYABLE)
        self.assertEqual(status.failure_name, "VSS_E_WRITERERROR_RETRYABLE")
        self.assertEqual(status.hr_application, APPLICATION)
        self.assertEqual(status.message, MESSAGE)
        self.assertEqual(status.instance_id, writer.instance_id)
        self.assertEqual(status.class_id, CLASS_ID)
        self.assertTrue(status.failed)
        self.assertEqual(vssapi.is_retryable(status.hr_failure_writer), 1)

    def test_set_failure_ex_then_veto(self):
        writer = self.writer(FreezeFailsRetryable)
        requester = self.requester()
        self.through_snapshot(requester)
        self.check_status(writer, requester)
        self.assertNotEqual(writer.freeze_thread, threading.get_ident(), "handlers run on the library's threads")

    def test_writer_failure_exception(self):
        writer = self.writer(RaisesWriterFailure)
        requester = self.requester()
        self.through_snapshot(requester)
        self.check_status(writer, requester)
        self.assertEqual(writer.handler_errors, [])


class PartialFailureWriter(vssapi.Writer):
    def on_identify(self, metadata):
        for name in ("Alpha", "Beta"):
            metadata.add_component("Data", name, caption=f"{name} files")
            metadata.add_files("Data", name, "/srv/data", "*.db")
        self.metadata = metadata

    def on_post_snapshot(self, components):
        self.seen = [(c.logical_path, c.name) for c in components]
        self.components = components
        beta = components[1]
        if beta.name != "Beta":
            return False
        beta.set_failure(VSS_E_WRITERERROR_NONRETRYABLE, 7, "Beta corrompu – 损坏")
        self.set_failure_ex(VSS_E_WRITERERROR_PARTIAL_FAILURE, 0, "one of two")
        return True


class PartialFailureTest(IsolatedTest):
    def test_failed_component_read_back(self):
        writer = self.writer(PartialFailureWriter)
        requester = self.requester()
        self.through_snapshot(requester, select_all=True)
        self.assertEqual(writer.seen, [("Data", "Alpha"), ("Data", "Beta")])

        (metadata,) = requester.writers()
        self.assertEqual(metadata.identity.name, "Python Writer")
        self.assertEqual(metadata.identity.component_count, 2)
        beta = metadata.components[1]
        self.assertEqual((beta.logical_path, beta.name, beta.caption), ("Data", "Beta", "Beta files"))
        self.assertIs(beta.type, vssapi.ComponentType.FILEGROUP)
        self.assertEqual(beta.file_count, 1)
        self.assertTrue(beta.selectable)

        requester.gather_writer_status()
        (status,) = requester.writer_statuses()
        self.assertEqual(status.hr_failure_writer, VSS_E_WRITERERROR_PARTIAL_FAILURE)
        self.assertEqual(status.message, "one of two")

        self.assertEqual(requester.component_count, 2)
        alpha_failure, beta_failure = requester.component_failures()
        self.assertEqual(alpha_failure.name, "Alpha")
        self.assertEqual(alpha_failure.hr, 0)
        self.assertFalse(alpha_failure.failed)
        self.assertEqual(beta_failure.name, "Beta")
        self.assertEqual(beta_failure.logical_path, "Data")
        self.assertEqual(beta_failure.hr, VSS_E_WRITERERROR_NONRETRYABLE)
        self.assertEqual(beta_failure.hr_application, 7)
        self.assertEqual(beta_failure.message, "Beta corrompu – 损坏")
        self.assertEqual(beta_failure.instance_id, writer.instance_id)
        self.assertEqual(beta_failure.class_id, CLASS_ID)
        with self.assertRaises(VssError) as caught:
            requester.component_failure(2)
        self.assertEqual(caught.exception.hresult, VSS_E_OBJECT_NOT_FOUND)

        # The handler's objects are dead once it returned: clean errors, no crash.
        with self.assertRaises(VssError) as caught:
            len(writer.components)
        self.assertEqual(caught.exception.hresult, VSS_E_BAD_STATE)
        with self.assertRaises(VssError) as caught:
            writer.metadata.add_component(None, "Gamma")
        self.assertEqual(caught.exception.hresult, VSS_E_BAD_STATE)


class NoHandlers(vssapi.Writer):
    pass


class BadArgumentTest(IsolatedTest):
    def test_invalid_step(self):
        requester = self.requester()
        with self.assertRaises(VssError) as caught:
            requester.run(99)
        error = caught.exception
        self.assertEqual(error.hresult, E_INVALIDARG)
        self.assertEqual(error.name, "E_INVALIDARG")
        self.assertIn("vss_requester_run", error.message)
        with self.assertRaises(VssError) as caught:
            requester.start(-1)
        self.assertEqual(caught.exception.hresult, E_INVALIDARG)

    def test_writer_without_name_or_class(self):
        with self.assertRaises(VssError) as caught:
            vssapi.Writer(self.coordinator, class_id=CLASS_ID)
        self.assertEqual(caught.exception.hresult, E_INVALIDARG)
        self.assertIn("vss_writer_create", caught.exception.message)
        self.assertIn("name", str(caught.exception))
        with self.assertRaises(VssError) as caught:
            NoHandlers(self.coordinator, name="No class id")
        self.assertEqual(caught.exception.hresult, E_INVALIDARG)

    def test_snapshot_right_after_create_is_bad_state(self):
        requester = self.requester()
        with self.assertRaises(VssError) as caught:
            requester.do_snapshot_set()
        error = caught.exception
        self.assertEqual(error.hresult, VSS_E_BAD_STATE)
        self.assertEqual(error.name, "VSS_E_BAD_STATE")
        # C-3.8: the library says why, in words.
        self.assertEqual(error.message, "vss_requester_run: VSS_E_BAD_STATE (DoSnapshotSet before PrepareForBackup completed (admitted only after PrepareForBackup))")
        self.assertEqual(error.retryable, 0)

    def test_closed_handles_and_python_types(self):
        requester = vssapi.Requester(self.coordinator)
        requester.close()
        requester.close()  # twice is fine
        self.assertTrue(requester.closed)
        with self.assertRaises(VssError) as caught:
            requester.initialize_for_backup()
        self.assertEqual(caught.exception.hresult, E_INVALIDARG)
        requester = self.requester()
        with self.assertRaises(TypeError):
            requester.add_to_snapshot_set(42)
        with self.assertRaises(ValueError):
            requester.add_to_snapshot_set("C:\\\0D:\\")
        with self.assertRaises(ValueError):
            requester.add_component("not a guid", CLASS_ID, None, "x")

    def test_set_failure_outside_a_handler(self):
        writer = self.writer(NoHandlers)
        with self.assertRaises(VssError) as caught:
            writer.set_failure_ex(VSS_E_WRITERERROR_RETRYABLE, 0, "not in a handler")
        self.assertEqual(caught.exception.hresult, VSS_E_BAD_STATE)


class BlocksInPrepareBackup(vssapi.Writer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entered = threading.Event()
        self.release = threading.Event()

    def on_prepare_backup(self, components):
        self.entered.set()
        self.release.wait(60)
        return True


class AsyncTest(IsolatedTest):
    def test_start_wait_status(self):
        writer = self.writer(BlocksInPrepareBackup)
        self.addCleanup(writer.release.set)
        requester = self.requester()
        requester.initialize_for_backup()
        requester.set_backup_state()
        with requester.start(Step.GATHER_WRITER_METADATA) as operation:
            self.assertEqual(operation.wait(), VSS_S_ASYNC_FINISHED)
        with requester.start(Step.PREPARE_FOR_BACKUP) as operation:
            self.assertTrue(writer.entered.wait(30))
            self.assertEqual(operation.status(), VSS_S_ASYNC_PENDING)
            self.assertFalse(operation.done)
            self.assertEqual(operation.wait(timeout=0.05), VSS_S_ASYNC_PENDING)
            with self.assertRaises(TimeoutError):
                operation.result(timeout=0.01)
            writer.release.set()
            self.assertEqual(operation.wait(), VSS_S_ASYNC_FINISHED)
            self.assertEqual(operation.result(), VSS_S_ASYNC_FINISHED)
            self.assertTrue(operation.done)
            self.assertEqual(operation.cancel(), VSS_S_ASYNC_FINISHED)
        self.assertTrue(operation.closed)
        with self.assertRaises(VssError):
            operation.status()
        operation = requester.start(Step.GATHER_WRITER_STATUS)
        self.assertEqual(operation.result(), VSS_S_ASYNC_FINISHED)
        operation.close()
        (status,) = requester.writer_statuses()
        self.assertIs(status.state, WriterState.STABLE)

    def test_virtual_clock_times_the_writer_out(self):
        coordinator = vssapi.Coordinator(virtual_clock=True)
        self.addCleanup(coordinator.close)
        writer = BlocksInPrepareBackup(coordinator, class_id=CLASS_ID, name="Slow")
        self.addCleanup(writer.close)
        self.addCleanup(writer.release.set)
        requester = vssapi.Requester(coordinator)
        self.addCleanup(requester.close)
        requester.initialize_for_backup()
        requester.gather_writer_metadata()
        operation = requester.start(Step.PREPARE_FOR_BACKUP)
        self.addCleanup(operation.close)
        self.assertTrue(writer.entered.wait(30))
        self.assertEqual(operation.status(), VSS_S_ASYNC_PENDING)
        coordinator.advance_clock(600_001)  # the event timeout passes at once
        self.assertEqual(operation.wait(), VSS_S_ASYNC_FINISHED)
        requester.gather_writer_status()
        (status,) = requester.writer_statuses()
        self.assertEqual(status.hr_failure_writer, VSS_E_WRITER_NOT_RESPONDING)
        writer.release.set()


class FreezeRaises(vssapi.Writer):
    def on_freeze(self):
        raise RuntimeError("a bug in the writer")


class ThawExits(vssapi.Writer):
    def on_prepare_snapshot(self):
        raise SystemExit(3)  # even this must not leave the handler


class HandlerRaisesTest(IsolatedTest):
    def test_exception_becomes_nonretryable(self):
        writer = self.writer(FreezeRaises)
        requester = self.requester()
        with self.assertLogs("vssapi", "ERROR") as logs:
            self.through_snapshot(requester)
        self.assertIn("on_freeze raised in FreezeRaises", logs.output[0])
        self.assertIn("RuntimeError: a bug in the writer", logs.output[0])
        requester.gather_writer_status()
        (status,) = requester.writer_statuses()
        self.assertIs(status.state, WriterState.FAILED_AT_FREEZE)
        self.assertEqual(status.hr_failure_writer, VSS_E_WRITERERROR_NONRETRYABLE)
        self.assertEqual(len(writer.handler_errors), 1)
        self.assertIsInstance(writer.handler_errors[0], RuntimeError)
        # The process and the library carry on.
        requester.backup_complete()
        requester.gather_writer_status()
        self.assertEqual(len(requester.writer_statuses()), 1)

    def test_system_exit_is_caught_too(self):
        writer = self.writer(ThawExits)
        requester = self.requester()
        with self.assertLogs("vssapi", "ERROR"):
            self.through_snapshot(requester)
        requester.gather_writer_status()
        (status,) = requester.writer_statuses()
        self.assertIs(status.state, WriterState.FAILED_AT_PREPARE_SNAPSHOT)
        self.assertEqual(status.hr_failure_writer, VSS_E_WRITERERROR_NONRETRYABLE)
        self.assertIsInstance(writer.handler_errors[0], SystemExit)


if __name__ == "__main__":
    unittest.main()
