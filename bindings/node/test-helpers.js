'use strict';
// Shared by the tests in test/ (kept out of test/: node --test runs every file there).
const vss = require('vssapi');

const CLASS_ID = '5e1f0001-1111-2222-8001-020304050607';
const MESSAGE = 'Échec du gel – 数据库忙 😀';

// A backup up to and including DoSnapshotSet, each step async.
async function backupThroughSnapshot(requester, { selectAll = false } = {}) {
  requester.initializeForBackup();
  requester.setBackupState({ selectComponents: true, backupType: vss.BackupType.FULL });
  await requester.gatherWriterMetadata();
  if (selectAll) {
    requester.addAllComponents();
  }
  const snapshotSetId = requester.startSnapshotSet();
  const snapshotId = requester.addToSnapshotSet('C:\\');
  await requester.prepareForBackup();
  await requester.doSnapshotSet();
  return { snapshotSetId, snapshotId };
}

// Runs body(requester, writer, coordinator) with one subscribed writer on an
// isolated coordinator, and releases all three (requester first) whatever happens.
async function withWriter(writerOptions, body, coordinatorOptions = {}) {
  const coordinator = new vss.Coordinator(coordinatorOptions);
  let writer = null;
  let requester = null;
  try {
    writer = new vss.Writer({ coordinator, name: 'Node Writer', classId: CLASS_ID, ...writerOptions });
    writer.subscribe();
    requester = new vss.Requester(coordinator);
    return await body(requester, writer, coordinator);
  } finally {
    await requester?.close();
    await writer?.close();
    await coordinator.close();
  }
}

module.exports = { vss, CLASS_ID, MESSAGE, backupThroughSnapshot, withWriter };
