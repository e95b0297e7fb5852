'use strict';
// The async form of the steps (start, then status/wait/cancel), async
// handlers, the virtual clock, and the blocking forms where they are safe.
const test = require('node:test');
const assert = require('node:assert/strict');
const { vss, CLASS_ID, MESSAGE, backupThroughSnapshot, withWriter } = require('../test-helpers');

const { HRESULT, Step } = vss;

function gate() {
  let open;
  const opened = new Promise((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

test('start + status + wait + cancel of a step, by hand', async () => {
  let identified = 0;
  await withWriter({ handlers: { onIdentify() { identified++; } } }, async (requester) => {
    requester.initializeForBackup();
    const operation = requester.start(Step.GATHER_WRITER_METADATA);
    assert.ok(operation instanceof vss.VssAsync);
    assert.equal(operation.step, Step.GATHER_WRITER_METADATA);
    let polls = 0;
    while (operation.status() === HRESULT.VSS_S_ASYNC_PENDING) {
      polls++;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal(operation.status(), HRESULT.VSS_S_ASYNC_FINISHED);
    assert.equal(operation.pending, false);
    assert.equal(await operation.wait(), HRESULT.VSS_S_ASYNC_FINISHED);
    await operation.result();
    assert.equal(operation.cancel(), HRESULT.VSS_S_ASYNC_FINISHED);
    operation.close();
    operation.close();
    assert.equal(identified, 1);
    assert.equal(requester.writerCount, 1);
    assert.ok(polls >= 0);
  });
});

test('an async handler holds the step until its promise settles; the virtual clock times it out', async () => {
  const held = gate();
  const entered = gate();
  let finished = false;
  await withWriter({
    handlers: {
      async onPrepareBackup() {
        entered.open();
        await held.opened;
        finished = true;
      },
    },
  }, async (requester, writer, coordinator) => {
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    const operation = requester.start(Step.PREPARE_FOR_BACKUP);
    await entered.opened;
    assert.equal(operation.status(), HRESULT.VSS_S_ASYNC_PENDING);
    assert.equal(await operation.wait({ timeoutMs: 20 }), HRESULT.VSS_S_ASYNC_PENDING);
    assert.ok(writer.currentHandler instanceof vss.HandlerContext);
    assert.equal(writer.currentHandler.event, 'onPrepareBackup');
    // The event timeout runs on the virtual clock: ten minutes pass at once.
    coordinator.advanceClock(600001);
    assert.equal(await operation.wait(), HRESULT.VSS_S_ASYNC_FINISHED);
    operation.close();
    await requester.gatherWriterStatus();
    assert.equal(requester.status(0).hrFailureWriter, HRESULT.VSS_E_WRITER_NOT_RESPONDING);
    assert.equal(finished, false);
    held.open();
  }, { virtualClock: true });
  assert.equal(finished, true);
});

test('an async handler can set the failure after an await', async () => {
  await withWriter({
    handlers: {
      async onFreeze(context) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        context.setFailureEx(HRESULT.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, MESSAGE);
        return false;
      },
    },
  }, async (requester) => {
    await backupThroughSnapshot(requester);
    const operation = requester.start(Step.GATHER_WRITER_STATUS);
    assert.equal(await operation.wait(), HRESULT.VSS_S_ASYNC_FINISHED);
    operation.close();
    const [status] = requester.writerStatuses();
    assert.equal(status.stateName, 'FAILED_AT_FREEZE');
    assert.equal(status.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_RETRYABLE);
    assert.equal(status.hrApplication, 0x80070020);
    assert.equal(status.message, MESSAGE);
  });
});

test('cancel a DoSnapshotSet under way', async () => {
  const held = gate();
  const entered = gate();
  await withWriter({
    handlers: {
      async onFreeze() {
        entered.open();
        await held.opened;
      },
    },
  }, async (requester) => {
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    requester.startSnapshotSet();
    requester.addToSnapshotSet('C:\\');
    await requester.prepareForBackup();
    const operation = requester.start(Step.DO_SNAPSHOT_SET);
    await entered.opened;
    const answer = operation.cancel();
    assert.ok(answer === HRESULT.S_OK || answer === HRESULT.VSS_S_ASYNC_CANCELLED, vss.hresultName(answer));
    held.open();
    const status = await operation.wait();
    assert.equal(status, HRESULT.VSS_S_ASYNC_CANCELLED, vss.hresultName(status));
    await assert.rejects(operation.result(), (error) => error.hresult === HRESULT.VSS_S_ASYNC_CANCELLED &&
      /^DO_SNAPSHOT_SET: VSS_S_ASYNC_CANCELLED/.test(error.message));
  });
});

test('blocking runSync and waitSync, with a writer that has no JS handlers', async () => {
  const coordinator = new vss.Coordinator();
  const writer = new vss.Writer({ coordinator, name: 'Quiet Writer', classId: CLASS_ID });
  writer.subscribe();
  const requester = new vss.Requester(coordinator);
  try {
    requester.initializeForBackup();
    requester.setContext(vss.Context.BACKUP);
    requester.runSync(Step.GATHER_WRITER_METADATA);
    assert.equal(requester.writerIdentity(0).name, 'Quiet Writer');
    requester.startSnapshotSet();
    requester.addToSnapshotSet('C:\\');
    const operation = requester.start(Step.PREPARE_FOR_BACKUP);
    assert.equal(operation.waitSync(), HRESULT.VSS_S_ASYNC_FINISHED);
    operation.close();
    requester.runSync(Step.DO_SNAPSHOT_SET);
    requester.runSync(Step.BACKUP_COMPLETE);
    requester.runSync(Step.GATHER_WRITER_STATUS);
    assert.equal(requester.status(0).stateName, 'STABLE');
  } finally {
    await requester.close();
    await writer.close();
    coordinator.close();
  }
});
