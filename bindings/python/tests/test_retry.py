"""The retry helper (vss_retry_run, C-7.2) as vssapi.retry_run: retryable
failures retried with a fresh requester after the policy's wait on the
coordinator's clock, others not, and Python's exceptions kept."""

import unittest

import vssapi

from support import APPLICATION, CLASS_ID, IsolatedTest


class BusyOnce(vssapi.Writer):
    """Fails its first OnFreeze with VSS_E_WRITERERROR_RETRYABLE, then works."""

    def __init__(self, *args, **kwargs):
        self.freezes = 0
        self.shutdowns = []
        super().__init__(*args, **kwargs)

    def on_freeze(self):
        self.freezes += 1
        if self.freezes == 1:
            raise vssapi.WriterFailure(vssapi.VSS_E_WRITERERROR_RETRYABLE, APPLICATION, "busy, try later")

    def on_backup_shutdown(self, snapshot_set_id):
        self.shutdowns.append(snapshot_set_id)


def backup(requester, number):
    """One attempt as a requester writes it: a failed step raises; a failed writer is returned."""
    requester.initialize_for_backup()
    requester.set_backup_state()
    requester.gather_writer_metadata()
    requester.start_snapshot_set()
    requester.add_to_snapshot_set("C:\\")
    requester.prepare_for_backup()
    requester.do_snapshot_set()
    requester.gather_writer_status()
    for status in requester.writer_statuses():
        if status.failed:
            return status.hr_failure_writer
    requester.backup_complete()
    return None


class RetryTest(IsolatedTest):
    def setUp(self):
        # Simulated time: the policy's waits pass at once, and are still measured.
        self.coordinator = vssapi.Coordinator(virtual_clock="simulated")
        self.addCleanup(self.coordinator.close)

    def test_the_default_policy_is_microsofts_guidance(self):
        self.assertEqual(vssapi.RetryPolicy.default(), vssapi.RetryPolicy(3, 600000, 5, 30000))

    def test_a_retryable_writer_failure_is_retried_after_the_wait_with_a_fresh_requester(self):
        writer = self.writer(BusyOnce, class_id=CLASS_ID)
        seen, reports = [], []

        def attempt(requester, number):
            seen.append((number, requester, requester.session_id))
            return backup(requester, number)

        result = vssapi.retry_run(self.coordinator, vssapi.RetryPolicy(max_retries=2, wait_ms=5000), attempt,
                                  reports.append)
        self.assertEqual(result, vssapi.S_OK)
        self.assertEqual([number for number, _, _ in seen], [1, 2])
        self.assertNotEqual(seen[0][2], seen[1][2])  # a fresh requester, a new session
        self.assertEqual(writer.freezes, 2)
        self.assertEqual(len(writer.shutdowns), 2)  # each requester released by the helper
        self.assertEqual([(r.number, r.result, r.retry_class, r.wait_ms) for r in reports], [
            (1, vssapi.VSS_E_WRITERERROR_RETRYABLE, vssapi.RetryClass.AFTER_WAIT, 5000),
            (2, vssapi.S_OK, vssapi.RetryClass.NO, 0),
        ])
        self.assertIsInstance(reports[0], vssapi.RetryAttempt)
        self.assertGreaterEqual(reports[1].start_ms - reports[0].end_ms, 5000)  # waited on the clock
        for _, requester, _ in seen:  # released: no use after the attempt
            self.assertTrue(requester.closed)
            with self.assertRaises(vssapi.VssError) as raised:
                requester.session_id
            self.assertEqual(raised.exception.hresult, vssapi.E_INVALIDARG)

    def test_a_non_retryable_failure_ends_the_run_and_raises(self):
        attempts = []

        def attempt(requester, number):
            attempts.append(number)
            return vssapi.VSS_E_WRITERERROR_NONRETRYABLE

        with self.assertRaises(vssapi.VssError) as raised:
            vssapi.retry_run(self.coordinator, None, attempt)
        self.assertEqual(raised.exception.hresult, vssapi.VSS_E_WRITERERROR_NONRETRYABLE)
        self.assertEqual(attempts, [1])

    def test_the_in_progress_budget_is_its_own(self):
        reports = []

        def attempt(requester, number):
            requester.initialize_for_backup()
            # As StartSnapshotSet fails while another set is in progress: raised by a step.
            raise vssapi.VssError(vssapi.VSS_E_SNAPSHOT_SET_IN_PROGRESS)

        policy = vssapi.RetryPolicy(max_retries=0, in_progress_max_retries=2, in_progress_wait_ms=100)
        with self.assertRaises(vssapi.VssError) as raised:
            vssapi.retry_run(self.coordinator, policy, attempt, reports.append)
        self.assertEqual(raised.exception.hresult, vssapi.VSS_E_SNAPSHOT_SET_IN_PROGRESS)
        self.assertEqual([(r.number, r.retry_class, r.wait_ms) for r in reports], [
            (1, vssapi.RetryClass.SHORT_BACK_OFF, 100),
            (2, vssapi.RetryClass.SHORT_BACK_OFF, 100),
            (3, vssapi.RetryClass.SHORT_BACK_OFF, 0),
        ])

    def test_a_python_exception_in_the_attempt_ends_the_run_and_is_raised_again(self):
        attempts = []

        def attempt(requester, number):
            attempts.append(number)
            raise KeyError("no such volume")

        with self.assertRaises(KeyError):
            vssapi.retry_run(self.coordinator, None, attempt)
        self.assertEqual(attempts, [1])

    def test_an_exception_in_the_report_does_not_stop_the_run_but_is_raised_after_it(self):
        attempts = []

        def attempt(requester, number):
            attempts.append(number)
            return vssapi.VSS_E_WRITERERROR_RETRYABLE if number == 1 else None

        def report(record):
            raise RuntimeError(f"report {record.number}")

        with self.assertRaises(RuntimeError) as raised:
            vssapi.retry_run(self.coordinator, vssapi.RetryPolicy(wait_ms=10), attempt, report)
        self.assertEqual(str(raised.exception), "report 1")
        self.assertEqual(attempts, [1, 2])

    def test_a_policy_out_of_bounds_runs_nothing(self):
        attempts = []
        for policy, error in (
            (vssapi.RetryPolicy(max_retries=101), vssapi.VssError),  # VSS_RETRY_MAX_RETRIES is 100
            (vssapi.RetryPolicy(wait_ms=86400001), vssapi.VssError),  # more than 24 hours
            (vssapi.RetryPolicy(max_retries=2**32 + 1), ValueError),  # would wrap to 1 in a uint32_t
            (vssapi.RetryPolicy(max_retries=-1), ValueError),
            (vssapi.RetryPolicy(wait_ms="10"), TypeError),
        ):
            with self.subTest(policy=policy), self.assertRaises(error) as raised:
                vssapi.retry_run(self.coordinator, policy, lambda r, n: attempts.append(n))
            if error is vssapi.VssError:
                self.assertEqual(raised.exception.hresult, vssapi.E_INVALIDARG)
        self.assertEqual(attempts, [])
        with self.assertRaises(TypeError):
            vssapi.retry_run(self.coordinator, None, None)
        with self.assertRaises(TypeError):
            vssapi.retry_run(self.coordinator, None, lambda r, n: None, report=42)

    def test_an_attempt_must_return_an_hresult_or_none(self):
        with self.assertRaises(TypeError):
            vssapi.retry_run(self.coordinator, None, lambda requester, number: "ok")


if __name__ == "__main__":
    unittest.main()
