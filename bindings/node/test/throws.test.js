'use strict';
// A handler that throws never unwinds into C: the library gets -1 and reports
// VSS_E_WRITERERROR_NONRETRYABLE, and the process goes on.
const test = require('node:test');
const assert = require('node:assert/strict');
const { once } = require('node:events');
const { vss, backupThroughSnapshot, withWriter } = require('../test-helpers');

const { HRESULT, WriterState } = vss;

test('a handler that throws: NONRETRYABLE, reported to onError, and the process survives', async () => {
  const reported = [];
  const failure = new Error('disk on fire');
  await withWriter({
    onError: (error, event) => reported.push([error, event]),
    handlers: {
      onFreeze() {
        throw failure;
      },
    },
  }, async (requester, writer) => {
    await backupThroughSnapshot(requester);
    await requester.gatherWriterStatus();
    const [status] = requester.writerStatuses();
    assert.equal(status.state, WriterState.FAILED_AT_FREEZE);
    assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_NONRETRYABLE);
    assert.equal(vss.isRetryable(status.hrFailureWriter), 0);
    assert.deepEqual(reported, [[failure, 'onFreeze']]);
    assert.equal(writer.lastHandlerError, failure);
    await requester.backupComplete().catch(() => {});
  });
  // And the next backup in this process works.
  await withWriter({ handlers: { onFreeze() { return true; } } }, async (requester) => {
    await backupThroughSnapshot(requester);
    await requester.gatherWriterStatus();
    assert.equal(requester.status(0).hrFailureWriter, HRESULT.S_OK);
    assert.equal(requester.status(0).stateName, 'WAITING_FOR_BACKUP_COMPLETE');
  });
});

test('an async handler that rejects, and a throw with no onError (a process warning)', async () => {
  const warnings = [];
  const onWarning = (warning) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    await withWriter({
      handlers: {
        async onPrepareSnapshot() {
          await null;
          throw new TypeError('not today');
        },
      },
    }, async (requester) => {
      await backupThroughSnapshot(requester);
      await requester.gatherWriterStatus();
      const [status] = requester.writerStatuses();
      assert.equal(status.stateName, 'FAILED_AT_PREPARE_SNAPSHOT');
      assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_NONRETRYABLE);
      if (warnings.length === 0) {
        await once(process, 'warning');
      }
    });
  } finally {
    process.off('warning', onWarning);
  }
  assert.ok(warnings.some((message) => /onPrepareSnapshot threw: TypeError: not today/.test(message)), warnings.join('\n'));
});

test('a throwing onIdentify: the writer is left out of the session (C-3.3)', async () => {
  const reported = [];
  await withWriter({
    onError: (error, event) => reported.push(event),
    handlers: {
      onIdentify() {
        throw new RangeError('no metadata today');
      },
    },
  }, async (requester) => {
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    assert.equal(requester.writerCount, 0);
    await requester.gatherWriterStatus();
    assert.equal(requester.statusCount, 0);
    assert.deepEqual(reported, ['onIdentify']);
  });
});
