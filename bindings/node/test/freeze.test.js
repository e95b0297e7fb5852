'use strict';
// The common scenario: a JS writer fails OnFreeze with VSS_E_WRITERERROR_RETRYABLE,
// an application code and a non-ASCII message; a JS requester in the same
// process reads all three back through the Ex status.
const test = require('node:test');
const assert = require('node:assert/strict');
const { vss, CLASS_ID, MESSAGE, backupThroughSnapshot, withWriter } = require('../test-helpers');

const { HRESULT, WriterState } = vss;

test('OnFreeze fails RETRYABLE with an application code and a UTF-8 message; the requester reads all three', async () => {
  let sessionInHandler = null;
  let eventName = null;
  await withWriter({
    handlers: {
      onFreeze(context) {
        sessionInHandler = context.sessionId;
        // A copy is kept by the library: the JS string may go at once.
        context.setFailureEx(HRESULT.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, MESSAGE);
        eventName = context.event;
        return false;
      },
    },
  }, async (requester, writer) => {
    await backupThroughSnapshot(requester);
    await requester.gatherWriterStatus();
    assert.equal(requester.statusCount, 1);
    const status = requester.status(0);
    assert.equal(status.name, 'Node Writer');
    assert.equal(status.state, WriterState.FAILED_AT_FREEZE);
    assert.equal(status.stateName, 'FAILED_AT_FREEZE');
    assert.equal(vss.writerStateName(status.state), 'FAILED_AT_FREEZE');
    assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_RETRYABLE);
    assert.equal(status.hrFailureWriter, 0x800423f3);
    assert.equal(vss.hresultName(status.hrFailureWriter), 'VSS_E_WRITERERROR_RETRYABLE');
    assert.equal(status.hrApplication, 0x80070020);
    assert.equal(status.message, MESSAGE);
    assert.equal(status.instanceId, writer.instanceId);
    assert.equal(status.classId, CLASS_ID);
    assert.equal(vss.isRetryable(status.hrFailureWriter), 1);
    assert.equal(sessionInHandler, requester.sessionId);
    assert.equal(eventName, 'onFreeze');
  });
});

test('a Writer subclass whose onFreeze calls this.setFailureEx', async () => {
  class FreezeFailingWriter extends vss.Writer {
    onFreeze() {
      this.setFailureEx(HRESULT.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, MESSAGE);
      this.frozeIn = this.sessionId;
      return false;
    }
  }
  const coordinator = new vss.Coordinator();
  const writer = new FreezeFailingWriter({ coordinator, name: 'Subclassed Writer', classId: CLASS_ID });
  writer.subscribe();
  const requester = new vss.Requester(coordinator);
  try {
    await backupThroughSnapshot(requester);
    await requester.gatherWriterStatus();
    const [status] = requester.writerStatuses();
    assert.equal(status.name, 'Subclassed Writer');
    assert.equal(status.stateName, 'FAILED_AT_FREEZE');
    assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_RETRYABLE);
    assert.equal(status.hrApplication, 0x80070020);
    assert.equal(status.message, MESSAGE);
    assert.equal(writer.frozeIn, requester.sessionId);
  } finally {
    await requester.close();
    await writer.close();
    coordinator.close();
  }
});
