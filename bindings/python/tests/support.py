"""Shared by the tests: one isolated coordinator per test."""

import unittest
import uuid

import vssapi

CLASS_ID = uuid.UUID("5e1f0001-1111-2222-8001-020304050607")
MESSAGE = "Échec du gel – 数据库忙 😀"
APPLICATION = 0x80070020


class IsolatedTest(unittest.TestCase):
    """One isolated coordinator per test, closed at the end."""

    def setUp(self):
        self.coordinator = vssapi.Coordinator()
        self.addCleanup(self.coordinator.close)

    def writer(self, cls, **kwargs):
        kwargs.setdefault("class_id", CLASS_ID)
        kwargs.setdefault("name", "Python Writer")
        writer = cls(self.coordinator, **kwargs)
        self.addCleanup(writer.close)
        return writer

    def requester(self):
        requester = vssapi.Requester(self.coordinator)
        self.addCleanup(requester.close)  # cleanups run LIFO: before the writers
        return requester

    def through_snapshot(self, requester, select_all=False):
        requester.initialize_for_backup()
        requester.set_backup_state(select_components=True, backup_type=vssapi.BackupType.FULL)
        requester.gather_writer_metadata()
        if select_all:
            requester.add_all_components()
        snapshot_set = requester.start_snapshot_set()
        snapshot = requester.add_to_snapshot_set("C:\\")
        requester.prepare_for_backup()
        requester.do_snapshot_set()
        return snapshot_set, snapshot
