'use strict';
// The restore and the Backup Components Document (contract C-3.2, C-8): a
// backup saves its document; a second coordinator (a new process, as far as
// the library knows) restores from it. The writer reads its own backup data
// in onPreRestore and fails onPostRestore.
const test = require('node:test');
const assert = require('node:assert/strict');
const { vss, CLASS_ID, withWriter } = require('../test-helpers');

const { HRESULT, ComponentText, ComponentType, FileRestoreStatus, RestoreType, WriterState } = vss;

function declareOrders(metadata) {
  metadata.addComponent({ type: ComponentType.FILEGROUP, logicalPath: 'Data', name: 'Orders' });
  return true;
}

test('C-8.2 a backup saved with saveDocument is restored in a new coordinator', async () => {
  const xml = await withWriter({
    handlers: {
      onIdentify: declareOrders,
      onPrepareBackup(components) {
        const orders = components.get(0);
        orders.setText(ComponentText.BACKUP_METADATA, 'lsn=42 ✓');
        orders.setText(ComponentText.BACKUP_STAMP, 'stamp-5');
        return true;
      },
    },
  }, async (requester) => {
    requester.initializeForBackup();
    requester.setBackupState({ selectComponents: true, backupType: vss.BackupType.FULL });
    await requester.gatherWriterMetadata();
    requester.addAllComponents();
    assert.throws(() => requester.saveDocument(), (error) => error.hresult === HRESULT.VSS_E_BAD_STATE);
    requester.startSnapshotSet();
    requester.addToSnapshotSet('C:\\');
    await requester.prepareForBackup();
    await requester.doSnapshotSet();
    await requester.backupComplete();
    return requester.saveDocument();
  });
  assert.match(xml, /lsn=42 ✓/);

  const seen = [];
  let fileStatus = null;
  await withWriter({
    handlers: {
      onIdentify: declareOrders,
      onPreRestore(components) {
        for (const component of components) {
          seen.push([component.name, component.selectedForRestore, component.backupMetadata,
            component.text(ComponentText.RESTORE_OPTIONS)]);
        }
        return true;
      },
      onPostRestore(components, context) {
        fileStatus = components.get(0).fileRestoreStatus;
        context.setFailureEx(HRESULT.VSS_E_WRITERERROR_NONRETRYABLE, 0x81, 'log 9 is damaged');
        return false;
      },
    },
  }, async (requester) => {
    assert.throws(() => requester.initializeForRestore('<BACKUP_COMPONENTS/>'),
      (error) => error.hresult === HRESULT.VSS_E_INVALID_XML_DOCUMENT);
    requester.initializeForRestore(xml);
    await requester.gatherWriterMetadata();
    assert.throws(() => requester.selectForRestore({ classId: CLASS_ID, logicalPath: 'Data', name: 'Nope' }),
      (error) => error.hresult === HRESULT.VSS_E_OBJECT_NOT_FOUND);
    requester.selectForRestore({ classId: CLASS_ID, logicalPath: 'Data', name: 'Orders' });
    requester.setRestoreOptions({ classId: CLASS_ID, logicalPath: 'Data', name: 'Orders', options: 'overwrite' });
    requester.setRestoreState(RestoreType.BY_COPY);
    await requester.preRestore();
    requester.setFileRestoreStatus({ classId: CLASS_ID, logicalPath: 'Data', name: 'Orders',
      status: FileRestoreStatus.ALL });
    await requester.postRestore();
    assert.deepEqual(seen, [['Orders', true, 'lsn=42 ✓', 'overwrite']]);
    assert.equal(fileStatus, FileRestoreStatus.ALL);
    await requester.gatherWriterStatus();
    const [status] = requester.writerStatuses();
    assert.equal(status.state, WriterState.FAILED_AT_POST_RESTORE);
    assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_NONRETRYABLE);
    assert.equal(status.message, 'log 9 is damaged');
  });
});
