'use strict';
// A JS writer and a JS requester in one process through a whole backup: every
// handler, in order, on the JS thread; abort; unsubscribe; forgotten handles.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { vss, CLASS_ID, backupThroughSnapshot, withWriter } = require('../test-helpers');

const { HRESULT, Step } = vss;

function recordingHandlers(calls) {
  const handlers = {};
  for (const event of ['onPrepareSnapshot', 'onFreeze', 'onThaw', 'onAbort']) {
    handlers[event] = (context) => {
      assert.equal(context.event, event);
      calls.push(event);
    };
  }
  for (const event of ['onPrepareBackup', 'onPostSnapshot', 'onBackupComplete']) {
    handlers[event] = (components) => {
      calls.push(`${event}(${components === null ? 'null' : components.length})`);
    };
  }
  handlers.onIdentify = (metadata) => {
    metadata.addComponent({ logicalPath: 'Data', name: 'Alpha' });
    calls.push('onIdentify');
  };
  handlers.onBackupShutdown = (snapshotSetId, context) => {
    calls.push(`onBackupShutdown(${snapshotSetId})`);
    assert.equal(context.writer !== undefined, true);
  };
  return handlers;
}

test('a whole backup: every handler in order, session ids, snapshot properties', async () => {
  const calls = [];
  const sessions = new Set();
  const handlers = recordingHandlers(calls);
  const freeze = handlers.onFreeze;
  handlers.onFreeze = (context) => {
    sessions.add(context.sessionId);
    freeze(context);
  };
  let snapshotSetId = null;
  let requesterSession = null;
  await withWriter({ handlers, instanceName: 'first', usage: vss.UsageType.USER_DATA, source: vss.SourceType.OTHER,
    versionMajor: 2, versionMinor: 1 }, async (requester, writer) => {
    requesterSession = requester.sessionId;
    const ids = await backupThroughSnapshot(requester, { selectAll: true });
    snapshotSetId = ids.snapshotSetId;
    const identity = requester.writerIdentity(0);
    assert.equal(identity.instanceName, 'first');
    assert.equal(identity.usage, vss.UsageType.USER_DATA);
    assert.equal(identity.source, vss.SourceType.OTHER);
    assert.equal(identity.instanceId, writer.instanceId);
    const props = requester.snapshotProperties(ids.snapshotId);
    assert.equal(props.snapshotId, ids.snapshotId);
    assert.equal(props.snapshotSetId, ids.snapshotSetId);
    assert.equal(props.snapshotsInSet, 1);
    assert.equal(props.originalVolume, 'C:\\');
    assert.equal(typeof props.deviceName, 'string');
    assert.equal(typeof props.creationTime, 'bigint');
    await requester.backupComplete();
    await requester.gatherWriterStatus();
    const [status] = requester.writerStatuses();
    assert.equal(status.stateName, 'STABLE');
    assert.equal(status.hrFailureWriter, HRESULT.S_OK);
    assert.equal(status.message, null);
  });
  assert.deepEqual(calls, [
    'onIdentify', 'onPrepareBackup(1)', 'onPrepareSnapshot', 'onFreeze', 'onThaw', 'onPostSnapshot(1)',
    'onBackupComplete(1)', `onBackupShutdown(${snapshotSetId})`,
  ]);
  assert.deepEqual([...sessions], [requesterSession]);
});

test('abort sends onAbort; a requester not in component mode gives null components', async () => {
  const calls = [];
  await withWriter({ handlers: recordingHandlers(calls) }, async (requester) => {
    requester.initializeForBackup();
    requester.setBackupState({ selectComponents: false });
    await requester.gatherWriterMetadata();
    requester.startSnapshotSet();
    requester.addToSnapshotSet('C:\\');
    await requester.prepareForBackup();
    await requester.abort();
  });
  assert.deepEqual(calls.slice(0, 3), ['onIdentify', 'onPrepareBackup(null)', 'onAbort']);
});

test('an unsubscribed writer is not listed; a closed writer gets no more events', async () => {
  const calls = [];
  await withWriter({ handlers: recordingHandlers(calls) }, async (requester, writer) => {
    writer.unsubscribe();
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    assert.equal(requester.writerCount, 0);
    writer.subscribe();
    writer.unref().ref();
    await writer.close();
    await requester.run(Step.GATHER_WRITER_STATUS);
    assert.equal(requester.statusCount, 0);
  });
  assert.deepEqual(calls, []);
});

test('setFailure: a writer failure without an application part', async () => {
  await withWriter({
    handlers: {
      onPrepareSnapshot(context) {
        context.setFailure(HRESULT.VSS_E_WRITERERROR_OUTOFRESOURCES);
        return false;
      },
    },
  }, async (requester) => {
    await backupThroughSnapshot(requester);
    await requester.gatherWriterStatus();
    const [status] = requester.writerStatuses();
    assert.equal(status.stateName, 'FAILED_AT_PREPARE_SNAPSHOT');
    assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_OUTOFRESOURCES);
    assert.equal(status.hrApplication, HRESULT.S_OK);
    assert.equal(status.message, null);
  });
});

test('handles the program forgot are released by the garbage collector', async () => {
  const script = path.join(__dirname, '..', 'test-forgotten.js');
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script], { timeout: 60000 });
  assert.match(stdout, /^forgotten handles released$/m);
});
