"""Snapshot providers (flat API 1.1, C-5.4 to C-5.6): the list, the built-in ids,
the choice by id, and a provider written in Python registered with the coordinator
(as tests/support/c_provider.c is in C)."""

import gc
import os
import pathlib
import sys
import tempfile
import threading
import unittest
import uuid
import weakref

import vssapi
from vssapi import _provider

from support import IsolatedTest

PROVIDER_ID = uuid.UUID("c0ffee00-0000-4000-8000-0000000000a1")


class Recorder(vssapi.Provider):
    """Every step, recorded; volumes under Z:\\ only; commit fails on demand."""

    id = PROVIDER_ID
    name = "Python test provider ✓"
    version = "2.1"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.steps = []
        self.sets = set()
        self.snapshots = []
        self.deleted = []
        self.volumes = []
        self.threads = set()
        self.fail_commit = None  # an exception to raise in commit_snapshots, or False to veto
        self.lock = threading.Lock()

    def _note(self, step, snapshot_set_id=None):
        with self.lock:
            self.steps.append(step)
            self.threads.add(threading.get_ident())
            if snapshot_set_id is not None:
                self.sets.add(snapshot_set_id)

    def is_volume_supported(self, volume):
        if volume == "Z:\\missing":
            raise vssapi.VssError(vssapi.VSS_E_OBJECT_NOT_FOUND)
        return volume.startswith("Z:\\")

    def prepare_for_snapshot(self, snapshot_set_id, snapshot_id, volume):
        self.snapshots.append(snapshot_id)
        self.volumes.append(volume)
        self._note("prepare", snapshot_set_id)

    def end_prepare_snapshots(self, snapshot_set_id):
        self._note("end_prepare_snapshots", snapshot_set_id)

    def pre_commit_snapshots(self, snapshot_set_id):
        self._note("pre_commit_snapshots", snapshot_set_id)

    def commit_snapshots(self, snapshot_set_id):
        self._note("commit_snapshots", snapshot_set_id)
        gc.collect()  # the thunks the library holds must survive a collection
        if isinstance(self.fail_commit, BaseException):
            raise self.fail_commit
        return self.fail_commit

    def post_commit_snapshots(self, snapshot_set_id, count):
        self._note(f"post_commit_snapshots({count})", snapshot_set_id)

    def pre_final_commit_snapshots(self, snapshot_set_id):
        self._note("pre_final_commit_snapshots", snapshot_set_id)

    def post_final_commit_snapshots(self, snapshot_set_id):
        self._note("post_final_commit_snapshots", snapshot_set_id)

    def abort_snapshots(self, snapshot_set_id):
        self._note("abort_snapshots", snapshot_set_id)

    def snapshot_device(self, snapshot_id):
        self._note("snapshot_device")
        return f"Z:\\snapshots\\{snapshot_id}\\データ"

    def delete_snapshot(self, snapshot_id):
        self.deleted.append(snapshot_id)
        self._note("delete_snapshot")


COMMITTED = [
    "prepare",
    "end_prepare_snapshots",
    "pre_commit_snapshots",
    "commit_snapshots",
    "post_commit_snapshots(1)",
    "pre_final_commit_snapshots",
    "post_final_commit_snapshots",
    "snapshot_device",
]
ABORTED_AT_COMMIT = ["prepare", "end_prepare_snapshots", "pre_commit_snapshots", "commit_snapshots", "abort_snapshots"]


class ProviderTest(IsolatedTest):
    def setUp(self):
        super().setUp()
        self.registered_before = _provider.registered_count()

    def register(self, provider):
        self.coordinator.register_provider(provider)
        return provider

    def prepared(self, requester):
        """A requester up to the snapshot set: returns the set's id."""
        requester.initialize_for_backup()
        requester.gather_writer_metadata()
        return requester.start_snapshot_set()

    def test_the_list_has_the_built_in_providers_the_default_first(self):
        providers = self.coordinator.providers()
        self.assertEqual(providers[0].id, vssapi.PROVIDER_SIMULATED_ID)
        by_id = {p.id: p for p in providers}
        expected = {
            vssapi.PROVIDER_SIMULATED_ID: "openvss simulated provider",
            vssapi.PROVIDER_LIVE_ID: "openvss live provider",
            vssapi.PROVIDER_COPY_ID: "openvss copy provider",
        }
        if sys.platform.startswith("linux"):
            expected.update({
                vssapi.PROVIDER_BTRFS_ID: "openvss btrfs provider",
                vssapi.PROVIDER_REFLINK_ID: "openvss reflink provider",
                vssapi.PROVIDER_FSFREEZE_ID: "openvss fsfreeze provider",
            })
        for provider_id, name in expected.items():
            self.assertIn(provider_id, by_id)
            self.assertTrue(by_id[provider_id].name.startswith(name), by_id[provider_id])
            self.assertEqual(by_id[provider_id].type, vssapi.ProviderType.SOFTWARE)
            self.assertIsInstance(by_id[provider_id], vssapi.ProviderInfo)
        self.assertNotIn(PROVIDER_ID, by_id)

    def test_a_python_provider_is_listed_chosen_by_id_and_called_in_order(self):
        provider = self.register(Recorder())
        listed = {p.id: p for p in self.coordinator.providers()}
        self.assertEqual(listed[PROVIDER_ID], vssapi.ProviderInfo(PROVIDER_ID, "Python test provider ✓",
                                                                  vssapi.ProviderType.SOFTWARE, "2.1"))
        self.assertEqual(self.coordinator.providers()[0].id, vssapi.PROVIDER_SIMULATED_ID)  # still the default

        requester = self.requester()
        snapshot_set = self.prepared(requester)
        snapshot = requester.add_to_snapshot_set("Z:\\data", provider=PROVIDER_ID)
        requester.prepare_for_backup()
        requester.do_snapshot_set()
        self.assertEqual(provider.steps, COMMITTED)
        self.assertEqual(provider.sets, {snapshot_set})
        self.assertEqual(provider.snapshots, [snapshot])
        self.assertEqual(provider.volumes, ["Z:\\data"])
        self.assertNotIn(threading.get_ident(), provider.threads)  # the library's threads
        self.assertEqual(provider.handler_errors, [])

        props = requester.snapshot_properties(snapshot)
        self.assertEqual(props.provider_id, PROVIDER_ID)
        self.assertEqual(props.original_volume, "Z:\\data")
        self.assertEqual(props.device_name, f"Z:\\snapshots\\{snapshot}\\データ")
        self.assertEqual(props.snapshot_set_id, snapshot_set)

        requester.close()  # auto-release: the provider deletes its snapshot
        self.assertEqual(provider.deleted, [snapshot])
        self.assertEqual(provider.steps[-1], "delete_snapshot")

    def test_the_provider_can_be_named_by_the_object_or_its_info(self):
        provider = self.register(Recorder())
        info = next(p for p in self.coordinator.providers() if p.id == PROVIDER_ID)
        requester = self.requester()
        self.prepared(requester)
        first = requester.add_to_snapshot_set("Z:\\a", provider=provider)
        second = requester.add_to_snapshot_set("Z:\\b", provider=info)
        third = requester.add_to_snapshot_set("Z:\\c", provider=str(PROVIDER_ID))
        requester.prepare_for_backup()
        requester.do_snapshot_set()
        self.assertEqual(provider.snapshots, [first, second, third])
        self.assertIn("post_commit_snapshots(3)", provider.steps)
        self.assertEqual(requester.snapshot_properties(third).provider_id, PROVIDER_ID)

    def test_the_default_stays_the_simulated_provider_without_an_id(self):
        provider = self.register(Recorder())
        requester = self.requester()
        self.prepared(requester)
        snapshot = requester.add_to_snapshot_set("C:\\")
        requester.prepare_for_backup()
        requester.do_snapshot_set()
        self.assertEqual(requester.snapshot_properties(snapshot).provider_id, vssapi.PROVIDER_SIMULATED_ID)
        self.assertEqual(provider.steps, [])

    def check_failed_commit(self, provider, expected_hr):
        requester = self.requester()
        self.prepared(requester)
        snapshot = requester.add_to_snapshot_set("Z:\\logs", provider=PROVIDER_ID)
        requester.prepare_for_backup()
        with self.assertRaises(vssapi.VssError) as raised:
            requester.do_snapshot_set()
        self.assertEqual(raised.exception.hresult, expected_hr)
        self.assertEqual(provider.steps, ABORTED_AT_COMMIT)
        with self.assertRaises(vssapi.VssError) as missing:
            requester.snapshot_properties(snapshot)  # no half-made snapshot (C-5.6)
        self.assertEqual(missing.exception.hresult, vssapi.VSS_E_OBJECT_NOT_FOUND)
        requester.close()
        self.assertEqual(provider.deleted, [])

    def test_a_commit_failing_with_vss_error_aborts_and_leaves_no_snapshot(self):
        provider = self.register(Recorder())
        provider.fail_commit = vssapi.VssError(vssapi.VSS_E_PROVIDER_VETO)
        self.check_failed_commit(provider, vssapi.VSS_E_PROVIDER_VETO)
        self.assertEqual(provider.handler_errors, [])

    def test_a_commit_returning_false_is_a_veto(self):
        provider = self.register(Recorder())
        provider.fail_commit = False
        self.check_failed_commit(provider, vssapi.VSS_E_PROVIDER_VETO)

    def test_an_exception_in_a_step_is_an_unexpected_provider_error_and_never_crashes(self):
        provider = self.register(Recorder())
        provider.fail_commit = RuntimeError("disk on fire")
        with self.assertLogs("vssapi", "ERROR") as logs:
            self.check_failed_commit(provider, vssapi.VSS_E_UNEXPECTED_PROVIDER_ERROR)
        self.assertEqual([type(e) for e in provider.handler_errors], [RuntimeError])
        self.assertIn("commit_snapshots", logs.output[0])
        # The provider and the process carry on: the next backup works.
        provider.fail_commit = None
        provider.steps.clear()
        requester = self.requester()
        self.prepared(requester)
        requester.add_to_snapshot_set("Z:\\data", provider=PROVIDER_ID)
        requester.prepare_for_backup()
        requester.do_snapshot_set()
        self.assertEqual(provider.steps, COMMITTED)

    def test_a_bad_device_path_fails_the_set(self):
        class NoDevice(Recorder):
            def snapshot_device(self, snapshot_id):
                self._note("snapshot_device")
                return None

        class LongDevice(Recorder):
            def snapshot_device(self, snapshot_id):
                self._note("snapshot_device")
                return "Z:\\" + "x" * 5000  # the library has 4,096 bytes for it

        for cls, error in ((NoDevice, TypeError), (LongDevice, ValueError)):
            with self.subTest(cls.__name__):
                provider = self.register(cls())
                try:
                    with vssapi.Requester(self.coordinator) as requester:
                        self.prepared(requester)
                        snapshot = requester.add_to_snapshot_set("Z:\\data", provider=PROVIDER_ID)
                        requester.prepare_for_backup()
                        with self.assertLogs("vssapi", "ERROR"), self.assertRaises(vssapi.VssError) as raised:
                            requester.do_snapshot_set()
                        self.assertEqual(raised.exception.hresult, vssapi.VSS_E_UNEXPECTED_PROVIDER_ERROR)
                        self.assertEqual(provider.steps[-2:], ["snapshot_device", "abort_snapshots"])
                        self.assertEqual([type(e) for e in provider.handler_errors], [error])
                        with self.assertRaises(vssapi.VssError):
                            requester.snapshot_properties(snapshot)
                    self.assertEqual(provider.deleted, [])
                finally:
                    self.coordinator.unregister_provider(PROVIDER_ID)

    def test_is_volume_supported_answers_for_the_provider(self):
        provider = self.register(Recorder())
        requester = self.requester()
        self.prepared(requester)
        for volume, expected in (("C:\\", vssapi.VSS_E_VOLUME_NOT_SUPPORTED),
                                 ("Z:\\missing", vssapi.VSS_E_OBJECT_NOT_FOUND)):
            with self.subTest(volume), self.assertRaises(vssapi.VssError) as raised:
                requester.add_to_snapshot_set(volume, provider=PROVIDER_ID)
            self.assertEqual(raised.exception.hresult, expected)
        self.assertEqual(provider.snapshots, [])

    def test_without_is_volume_supported_a_volume_is_a_folder_that_exists(self):
        class Minimal(vssapi.Provider):
            id, name = PROVIDER_ID, "Minimal"

            def __init__(self):
                super().__init__()
                self.committed = []

            def commit_snapshots(self, snapshot_set_id):
                self.committed.append(snapshot_set_id)

        provider = self.register(Minimal())
        self.assertEqual(next(p for p in self.coordinator.providers() if p.id == PROVIDER_ID).version, "1.0")
        requester = self.requester()
        snapshot_set = self.prepared(requester)
        with self.assertRaises(vssapi.VssError) as raised:
            requester.add_to_snapshot_set("/nonexistent/openvss", provider=PROVIDER_ID)
        self.assertEqual(raised.exception.hresult, vssapi.VSS_E_OBJECT_NOT_FOUND)
        with tempfile.TemporaryDirectory() as folder:
            snapshot = requester.add_to_snapshot_set(folder, provider=PROVIDER_ID)
            requester.prepare_for_backup()
            requester.do_snapshot_set()
            self.assertEqual(provider.committed, [snapshot_set])
            self.assertEqual(requester.snapshot_properties(snapshot).provider_id, PROVIDER_ID)

    def test_unregister_then_its_id_is_not_registered(self):
        provider = Recorder()
        self.coordinator.register_provider(provider)
        self.assertEqual(_provider.registered_count(), self.registered_before + 1)
        self.coordinator.unregister_provider(PROVIDER_ID)
        self.assertEqual(_provider.registered_count(), self.registered_before)
        self.assertNotIn(PROVIDER_ID, [p.id for p in self.coordinator.providers()])
        requester = self.requester()
        self.prepared(requester)
        with self.assertRaises(vssapi.VssError) as raised:
            requester.add_to_snapshot_set("Z:\\data", provider=PROVIDER_ID)
        self.assertEqual(raised.exception.hresult, vssapi.VSS_E_PROVIDER_NOT_REGISTERED)
        with self.assertRaises(vssapi.VssError) as again:
            self.coordinator.unregister_provider(provider)
        self.assertEqual(again.exception.hresult, vssapi.VSS_E_PROVIDER_NOT_REGISTERED)
        self.assertEqual(provider.steps, [])
        # Registered again after that, it works again.
        self.register(provider)
        requester.add_to_snapshot_set("Z:\\data", provider=PROVIDER_ID)

    def test_an_unknown_provider_id_is_not_registered(self):
        requester = self.requester()
        self.prepared(requester)
        with self.assertRaises(vssapi.VssError) as raised:
            requester.add_to_snapshot_set("C:\\", provider=uuid.UUID("0badc0de-0000-4000-8000-000000000000"))
        self.assertEqual(raised.exception.hresult, vssapi.VSS_E_PROVIDER_NOT_REGISTERED)
        with self.assertRaises(ValueError):
            requester.add_to_snapshot_set("C:\\", provider="not a guid")
        with self.assertRaises(TypeError):
            requester.add_to_snapshot_set("C:\\", provider=42)

    def test_registration_refuses_bad_providers_and_changes_nothing(self):
        before = self.coordinator.providers()
        class NoId(Recorder):
            id = None

        class NoName(Recorder):
            name = None

        cases = [
            (NoId(), vssapi.E_INVALIDARG),  # the library gets an all-zero id
            (NoName(), vssapi.E_INVALIDARG),
            (Recorder(id=vssapi.PROVIDER_SIMULATED_ID), vssapi.VSS_E_PROVIDER_ALREADY_REGISTERED),
        ]
        for provider, expected in cases:
            with self.subTest(provider=type(provider).__name__, id=provider.id):
                with self.assertRaises(vssapi.VssError) as raised:
                    self.coordinator.register_provider(provider)
                self.assertEqual(raised.exception.hresult, expected)
        with self.assertRaises(TypeError):
            self.coordinator.register_provider(object())
        self.register(Recorder())
        with self.assertRaises(vssapi.VssError) as twice:
            self.coordinator.register_provider(Recorder())
        self.assertEqual(twice.exception.hresult, vssapi.VSS_E_PROVIDER_ALREADY_REGISTERED)
        self.coordinator.unregister_provider(PROVIDER_ID)
        self.assertEqual(self.coordinator.providers(), before)
        self.assertEqual(_provider.registered_count(), self.registered_before)
        with self.assertRaises(vssapi.VssError) as default:
            self.coordinator.unregister_provider(vssapi.PROVIDER_SIMULATED_ID)
        self.assertEqual(default.exception.hresult, vssapi.VSS_E_PROVIDER_IN_USE)

    def test_a_registered_provider_lives_while_registered_and_no_longer(self):
        provider = Recorder()
        alive = weakref.ref(provider)
        self.coordinator.register_provider(provider)
        del provider
        gc.collect()
        self.assertIsNotNone(alive())  # the coordinator keeps it
        requester = self.requester()
        self.prepared(requester)
        requester.add_to_snapshot_set("Z:\\data", provider=PROVIDER_ID)
        requester.prepare_for_backup()
        requester.do_snapshot_set()
        self.assertEqual(alive().steps, COMMITTED)
        requester.close()
        self.coordinator.unregister_provider(PROVIDER_ID)
        gc.collect()
        self.assertIsNone(alive())

    def test_closing_the_coordinator_unregisters_its_providers(self):
        coordinator = vssapi.Coordinator()
        provider = Recorder()
        alive = weakref.ref(provider)
        coordinator.register_provider(provider)
        del provider
        coordinator.close()
        gc.collect()
        self.assertIsNone(alive())
        self.assertEqual(_provider.registered_count(), self.registered_before)
        with self.assertRaises(vssapi.VssError):
            coordinator.register_provider(Recorder())

    def test_unregistering_from_inside_its_own_step_is_refused_not_a_deadlock(self):
        coordinator = self.coordinator

        class SelfRemoving(Recorder):
            def commit_snapshots(self, snapshot_set_id):
                try:
                    coordinator.unregister_provider(PROVIDER_ID)
                except vssapi.VssError as error:
                    self.refused = error.hresult
                    raise

        provider = self.register(SelfRemoving())
        requester = self.requester()
        self.prepared(requester)
        requester.add_to_snapshot_set("Z:\\data", provider=PROVIDER_ID)
        requester.prepare_for_backup()
        with self.assertRaises(vssapi.VssError) as raised:
            requester.do_snapshot_set()
        self.assertEqual(provider.refused, vssapi.VSS_E_BAD_STATE)
        self.assertEqual(raised.exception.hresult, vssapi.VSS_E_BAD_STATE)
        self.assertIn(PROVIDER_ID, [p.id for p in coordinator.providers()])  # still registered


class BuiltInProviderTest(IsolatedTest):
    def test_the_copy_provider_by_its_id_reads_the_files_as_they_were(self):
        with tempfile.TemporaryDirectory() as volume:
            path = os.path.join(volume, "orders.db")
            with open(path, "w", encoding="utf-8") as f:
                f.write("orders v1")
            requester = self.requester()
            requester.initialize_for_backup()
            requester.gather_writer_metadata()
            requester.start_snapshot_set()
            snapshot = requester.add_to_snapshot_set(volume, provider=vssapi.PROVIDER_COPY_ID)
            requester.prepare_for_backup()
            requester.do_snapshot_set()
            with open(path, "w", encoding="utf-8") as f:
                f.write("orders v2")
            props = requester.snapshot_properties(snapshot)
            self.assertEqual(props.provider_id, vssapi.PROVIDER_COPY_ID)
            with open(os.path.join(props.device_name, "orders.db"), encoding="utf-8") as f:
                self.assertEqual(f.read(), "orders v1")
            requester.close()
            self.assertFalse(os.path.exists(props.device_name))  # deleted with the snapshot

    def test_the_live_provider_by_its_id_reads_the_volume_as_it_is(self):
        with tempfile.TemporaryDirectory() as volume:
            requester = self.requester()
            requester.initialize_for_backup()
            requester.gather_writer_metadata()
            requester.start_snapshot_set()
            snapshot = requester.add_to_snapshot_set(pathlib.Path(volume), provider=vssapi.PROVIDER_LIVE_ID)
            requester.prepare_for_backup()
            requester.do_snapshot_set()
            with open(os.path.join(volume, "later.txt"), "w", encoding="utf-8") as f:
                f.write("after the commit")
            device = requester.snapshot_properties(snapshot).device_name
            with open(os.path.join(device, "later.txt"), encoding="utf-8") as f:
                self.assertEqual(f.read(), "after the commit")


if __name__ == "__main__":
    unittest.main()
