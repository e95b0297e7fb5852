'use strict';
// PARTIAL_FAILURE: the writer declares two file-group components, the requester
// selects both, and in OnPostSnapshot the writer fails the second one through
// its components object; the requester reads the component failures.
const test = require('node:test');
const assert = require('node:assert/strict');
const { vss, CLASS_ID, backupThroughSnapshot, withWriter } = require('../test-helpers');

const { HRESULT, ComponentType, FileKind } = vss;

test('PARTIAL_FAILURE with a failed component, read through the component failures', async () => {
  const seen = [];
  let staleMetadata = null;
  await withWriter({
    handlers: {
      onIdentify(metadata) {
        for (const name of ['Alpha', 'Beta']) {
          metadata.addComponent({ type: ComponentType.FILEGROUP, logicalPath: 'Data', name, caption: `${name} files` });
          metadata.addFiles({ kind: FileKind.FILE_GROUP, logicalPath: 'Data', componentName: name, path: '/srv/data',
            filespec: '*.db' });
        }
        metadata.addIncludeFiles('/srv/extra', '*.cfg', true);
        metadata.addExcludeFiles('/srv/data', '*.tmp', false);
        staleMetadata = metadata;
      },
      onPostSnapshot(components, context) {
        assert.equal(components.length, 2);
        seen.push(...[...components].map((c) => `${c.logicalPath}\\${c.name}`));
        const beta = components.get(1);
        assert.equal(beta.name, 'Beta');
        beta.setFailure(HRESULT.VSS_E_WRITERERROR_NONRETRYABLE, 0x80070020, 'Beta corrompu – 损坏');
        context.setFailureEx(HRESULT.VSS_E_WRITERERROR_PARTIAL_FAILURE, 0, 'one of two');
        return true;
      },
    },
  }, async (requester, writer) => {
    await backupThroughSnapshot(requester, { selectAll: true });

    const writers = requester.writers();
    assert.equal(writers.length, 1);
    assert.equal(writers[0].name, 'Node Writer');
    assert.equal(writers[0].instanceId, writer.instanceId);
    assert.equal(writers[0].classId, CLASS_ID);
    assert.equal(writers[0].componentCount, 2);
    assert.deepEqual(writers[0].components.map((c) => c.name), ['Alpha', 'Beta']);
    const beta = requester.writerComponent(0, 1);
    assert.equal(beta.name, 'Beta');
    assert.equal(beta.logicalPath, 'Data');
    assert.equal(beta.caption, 'Beta files');
    assert.equal(beta.type, ComponentType.FILEGROUP);
    assert.equal(beta.selectable, true);
    assert.equal(beta.fileCount, 1);
    assert.deepEqual(seen, ['Data\\Alpha', 'Data\\Beta']);

    await requester.gatherWriterStatus();
    const [status] = requester.writerStatuses();
    assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_PARTIAL_FAILURE);
    assert.equal(status.message, 'one of two');

    assert.equal(requester.componentCount, 2);
    const failures = requester.componentFailures();
    assert.equal(failures[0].name, 'Alpha');
    assert.equal(failures[0].hr, HRESULT.S_OK);
    assert.equal(failures[0].message, null);
    assert.equal(failures[1].name, 'Beta');
    assert.equal(failures[1].logicalPath, 'Data');
    assert.equal(failures[1].instanceId, writer.instanceId);
    assert.equal(failures[1].hr, HRESULT.VSS_E_WRITERERROR_NONRETRYABLE);
    assert.equal(failures[1].hrApplication, 0x80070020);
    assert.equal(failures[1].message, 'Beta corrompu – 损坏');
    assert.throws(() => requester.componentFailure(2), (error) => error instanceof vss.VssError &&
      error.hresult === HRESULT.VSS_E_OBJECT_NOT_FOUND && error.code === 'VSS_E_OBJECT_NOT_FOUND');

    // The metadata object dies with its handler: a clean error, not a dangling pointer.
    assert.throws(() => staleMetadata.addComponent({ name: 'Late' }),
      (error) => error.hresult === HRESULT.E_INVALIDARG && /metadata is NULL/.test(error.message));
  });
});

test('a component selected by addComponent reaches the writer', async () => {
  let names = null;
  await withWriter({
    handlers: {
      onIdentify(metadata) {
        metadata.addComponent({ logicalPath: 'Data', name: 'Alpha' });
        metadata.addComponent({ logicalPath: 'Data', name: 'Beta' });
      },
      onPrepareBackup(components) {
        names = [...components].map((c) => c.name);
      },
    },
  }, async (requester) => {
    requester.initializeForBackup();
    requester.setBackupState();
    await requester.gatherWriterMetadata();
    const [identity] = requester.writers();
    requester.addComponent({ instanceId: identity.instanceId, classId: identity.classId,
      type: ComponentType.FILEGROUP, logicalPath: 'Data', name: 'Beta' });
    assert.throws(() => requester.addComponent({ instanceId: identity.instanceId, classId: identity.classId,
      logicalPath: 'Data', name: 'Beta' }), (error) => error.code === 'VSS_E_OBJECT_ALREADY_EXISTS');
    requester.startSnapshotSet();
    requester.addToSnapshotSet('C:\\');
    await requester.prepareForBackup();
    assert.deepEqual(names, ['Beta']);
  });
});
