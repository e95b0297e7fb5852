'use strict';
// Bad arguments and bad states surface as VssError (HRESULT, its name, the
// library's message), never as a crash.
const test = require('node:test');
const assert = require('node:assert/strict');
const { vss, CLASS_ID, withWriter } = require('../test-helpers');

const { HRESULT, Step } = vss;

const isVssError = (hresult, pattern) => (error) => {
  assert.ok(error instanceof vss.VssError, `not a VssError: ${error}`);
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'VssError');
  assert.equal(error.hresult, hresult);
  assert.equal(error.code, vss.hresultName(hresult));
  assert.equal(error.meaning, vss.hresultMeaning(hresult));
  if (pattern) {
    assert.match(error.message, pattern);
  }
  return true;
};

test('a requester step with an invalid step value: E_INVALIDARG', async () => {
  const coordinator = new vss.Coordinator();
  const requester = new vss.Requester(coordinator);
  try {
    assert.throws(() => requester.start(99), isVssError(HRESULT.E_INVALIDARG, /^vss_requester_start: .*step is unknown/));
    assert.throws(() => requester.runSync(99), isVssError(HRESULT.E_INVALIDARG, /vss_requester_run/));
    await assert.rejects(requester.run(99), isVssError(HRESULT.E_INVALIDARG, /step is unknown/));
    assert.equal(new vss.VssError(HRESULT.E_INVALIDARG).code, 'E_INVALIDARG');
    assert.equal(new vss.VssError(HRESULT.E_INVALIDARG).hresult, 0x80070057);
  } finally {
    await requester.close();
    coordinator.close();
  }
});

test('vss_writer_create without a name or a class id: E_INVALIDARG', () => {
  const coordinator = new vss.Coordinator();
  try {
    assert.throws(() => new vss.Writer({ coordinator, classId: CLASS_ID, handlers: { onFreeze() {} } }),
      isVssError(HRESULT.E_INVALIDARG, /^vss_writer_create: E_INVALIDARG \(.*lacks class_id or name\)$/));
    assert.throws(() => new vss.Writer({ coordinator, name: 'No Class' }),
      isVssError(HRESULT.E_INVALIDARG, /vss_writer_create/));
    assert.throws(() => new vss.Writer({ coordinator, name: 'Bad', classId: 'not-a-guid' }), TypeError);
  } finally {
    coordinator.close();
  }
});

test('DoSnapshotSet right after create: VSS_E_BAD_STATE, blocking and async', async () => {
  const coordinator = new vss.Coordinator();
  const requester = new vss.Requester(coordinator);
  try {
    // C-3.8: the library says why, in words.
    const expected = 'vss_requester_start: VSS_E_BAD_STATE (DoSnapshotSet before PrepareForBackup completed (admitted only after PrepareForBackup))';
    assert.throws(() => requester.runSync(Step.DO_SNAPSHOT_SET), isVssError(HRESULT.VSS_E_BAD_STATE));
    try {
      requester.runSync(Step.DO_SNAPSHOT_SET);
    } catch (error) {
      assert.equal(error.message, expected.replace('vss_requester_start', 'vss_requester_run'));
      assert.equal(error.retryable, 0);
    }
    await assert.rejects(requester.doSnapshotSet(), isVssError(HRESULT.VSS_E_BAD_STATE));
    await assert.rejects(requester.abort(), isVssError(HRESULT.VSS_E_BAD_STATE, /^vss_requester_abort: VSS_E_BAD_STATE/));
  } finally {
    await requester.close();
    coordinator.close();
  }
});

test('writer calls outside a handler, bad failure codes inside one, closed handles', async () => {
  let inside = null;
  await withWriter({
    handlers: {
      onPrepareSnapshot(context) {
        // Not a writer failure code: refused on the handler's thread, and the
        // message of that thread comes back with it.
        assert.throws(() => context.setFailureEx(0x12345678, 0, 'x'),
          isVssError(HRESULT.E_INVALIDARG, /^vss_writer_set_failure_ex: E_INVALIDARG/));
        assert.throws(() => context.setFailure(HRESULT.E_FAIL), isVssError(HRESULT.E_INVALIDARG, /vss_writer_set_failure/));
        inside = context;
      },
    },
  }, async (requester, writer) => {
    assert.throws(() => writer.setFailureEx(HRESULT.VSS_E_WRITERERROR_RETRYABLE, 0, 'x'),
      isVssError(HRESULT.VSS_E_BAD_STATE, /vss_writer_set_failure_ex/));
    assert.throws(() => writer.setFailure(HRESULT.VSS_E_WRITERERROR_RETRYABLE), isVssError(HRESULT.VSS_E_BAD_STATE));
    assert.throws(() => writer.sessionId, isVssError(HRESULT.VSS_E_BAD_STATE));
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    requester.startSnapshotSet();
    requester.addToSnapshotSet('C:\\');
    await requester.prepareForBackup();
    await requester.doSnapshotSet();
    await requester.gatherWriterStatus();
    assert.equal(requester.status(0).hrFailureWriter, HRESULT.S_OK);
    // A context kept past its handler is refused by the library, not used.
    assert.throws(() => inside.setFailureEx(HRESULT.VSS_E_WRITERERROR_RETRYABLE), isVssError(HRESULT.VSS_E_BAD_STATE));
    assert.throws(() => requester.status(5), isVssError(HRESULT.VSS_E_OBJECT_NOT_FOUND, /vss_requester_status/));
    assert.throws(() => requester.addToSnapshotSet(null), isVssError(HRESULT.E_INVALIDARG, /volume or snapshot_id is NULL/));
  });
  const coordinator = new vss.Coordinator();
  const requester = new vss.Requester(coordinator);
  const writer = new vss.Writer({ coordinator, name: 'Closed', classId: CLASS_ID });
  await requester.close();
  await writer.close();
  await writer.close(); // twice is fine
  coordinator.close();
  coordinator.close();
  assert.throws(() => requester.initializeForBackup(), isVssError(HRESULT.E_INVALIDARG, /requester is NULL/));
  assert.throws(() => writer.subscribe(), isVssError(HRESULT.E_INVALIDARG, /writer is NULL/));
  assert.throws(() => coordinator.advanceClock(1), isVssError(HRESULT.E_INVALIDARG, /coordinator is NULL/));
});

test('the default coordinator runs on the real clock', () => {
  const coordinator = vss.Coordinator.default();
  try {
    assert.throws(() => coordinator.advanceClock(1), isVssError(HRESULT.VSS_E_BAD_STATE, /real clock/));
  } finally {
    coordinator.close();
  }
});

test('helpers: names, meanings, states, retry classes, versions, GUIDs', () => {
  assert.equal(vss.hresultName(HRESULT.VSS_E_WRITERERROR_TIMEOUT), 'VSS_E_WRITERERROR_TIMEOUT');
  assert.equal(vss.hresultName(0x12345678), '0x12345678');
  assert.equal(vss.hresultMeaning(0x12345678), 'not a VSS or common COM code');
  assert.ok(vss.hresultMeaning(HRESULT.VSS_E_BAD_STATE).length > 0);
  assert.equal(vss.writerStateName(vss.WriterState.FAILED_AT_FREEZE), 'FAILED_AT_FREEZE');
  assert.equal(vss.writerStateName(99), '?');
  assert.equal(vss.isRetryable(HRESULT.VSS_E_WRITERERROR_RETRYABLE), 1);
  assert.equal(vss.isRetryable(HRESULT.VSS_E_SNAPSHOT_SET_IN_PROGRESS), 2);
  assert.equal(vss.isRetryable(HRESULT.VSS_E_WRITERERROR_NONRETRYABLE), 0);
  assert.equal(vss.version(), '0.1.0');
  assert.equal(vss.abiVersion(), 1);
  assert.equal(vss.guid('{5E1F0001-1111-2222-8001-020304050607}'), CLASS_ID);
  // Every constant the binding names is the library's name for that code.
  for (const [name, value] of Object.entries(HRESULT)) {
    assert.equal(vss.hresultName(value), name);
  }
  for (const [name, value] of Object.entries(vss.WriterState)) {
    assert.equal(vss.writerStateName(value), name);
  }
});
