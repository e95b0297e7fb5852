"""Scenario files: mock writers declared in JSON, loaded with vssapi.Scenario."""

import time
import unittest
from pathlib import Path

import vssapi

from support import IsolatedTest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "scenarios"


class ScenarioFiles(IsolatedTest):
    def setUp(self):
        # Simulated time: the examples' timeouts (600 s) pass at once.
        self.coordinator = vssapi.Coordinator(virtual_clock="simulated")
        self.addCleanup(self.coordinator.close)

    def test_partial_failure_example_reports_the_writer_and_its_component(self):
        scenario = vssapi.Scenario(self.coordinator, EXAMPLES / "partial-failure.json")
        self.addCleanup(scenario.close)
        requester = self.requester()
        self.through_snapshot(requester, select_all=True)
        requester.gather_writer_status()
        mail = next(s for s in requester.writer_statuses() if s.name == "Mail Store Writer")
        self.assertEqual(mail.state, vssapi.WriterState.FAILED_AT_POST_SNAPSHOT)
        self.assertEqual(mail.hr_failure_writer, vssapi.VSS_E_WRITERERROR_PARTIAL_FAILURE)
        self.assertEqual(mail.message, "1 of 2 mailbox databases failed")
        failed = [f for f in requester.component_failures() if f.hr != 0]
        self.assertEqual([(f.logical_path, f.name, f.hr, f.hr_application) for f in failed],
                         [("Mail", "Mailbox B", vssapi.VSS_E_WRITERERROR_NONRETRYABLE, 0x80040115)])

    def test_hung_writer_times_out_on_the_simulated_clock_at_once(self):
        scenario = vssapi.Scenario(self.coordinator, EXAMPLES / "hung-writer.json")
        self.addCleanup(scenario.close)
        requester = self.requester()
        started = time.monotonic()
        self.through_snapshot(requester)
        requester.gather_writer_status()
        hung = next(s for s in requester.writer_statuses() if s.name == "Search Index Writer")
        self.assertEqual(hung.hr_failure_writer, vssapi.VSS_E_WRITER_NOT_RESPONDING)
        self.assertLess(time.monotonic() - started, 60)  # not the 600 s event timeout

    def test_a_bad_scenario_raises_with_its_position_and_loads_nothing(self):
        with self.assertRaises(vssapi.VssError) as raised:
            vssapi.Scenario(self.coordinator, text='{"writers": [{"name": "W", "class_id": 42}]}')
        self.assertEqual(raised.exception.hresult, vssapi.E_INVALIDARG)
        self.assertIn("<text>:1:", str(raised.exception))
        self.assertIn("writers[0].class_id", str(raised.exception))
        requester = self.requester()
        requester.initialize_for_backup()
        requester.gather_writer_metadata()
        requester.gather_writer_status()
        self.assertEqual(requester.writer_statuses(), [])

    def test_path_or_text_not_both(self):
        with self.assertRaises(TypeError):
            vssapi.Scenario(self.coordinator, EXAMPLES / "hung-writer.json", text="{}")
        with self.assertRaises(TypeError):
            vssapi.Scenario(self.coordinator)


if __name__ == "__main__":
    unittest.main()
