'use strict';
// The retry helper (vss_retry_run, contract C-7.2) as vss.retryRun: a backup
// retried with a fresh requester, its waits on the coordinator's clock, its
// budgets, its reports, and what JS errors do (tests/capi/retry_test.cpp).
const test = require('node:test');
const assert = require('node:assert/strict');
const { vss, CLASS_ID, MESSAGE } = require('../test-helpers');

const { HRESULT, RetryClass } = vss;

const isVssError = (hresult, pattern) => (error) => {
  assert.ok(error instanceof vss.VssError, `not a VssError: ${error && error.stack}`);
  assert.equal(error.code, vss.hresultName(hresult));
  if (pattern) {
    assert.match(error.message, pattern);
  }
  return true;
};

// A whole backup on the attempt's requester, as a requester would write it:
// a failed step throws its VssError, a failed writer's HRESULT is returned.
async function backup(requester) {
  requester.initializeForBackup();
  requester.setBackupState({ selectComponents: true, backupType: vss.BackupType.FULL });
  await requester.gatherWriterMetadata();
  requester.startSnapshotSet();
  requester.addToSnapshotSet('C:\\');
  await requester.prepareForBackup();
  await requester.doSnapshotSet();
  await requester.gatherWriterStatus();
  for (const status of requester.writerStatuses()) {
    if (status.hrFailureWriter !== HRESULT.S_OK) {
      return status.hrFailureWriter; // a writer's failure does not fail the step (C-3.7)
    }
  }
  await requester.backupComplete();
  return undefined;
}

// Runs body(coordinator, writer, record) with a writer whose onFreeze fails
// with `failures` (one HRESULT per attempt, then success).
async function withFailingWriter(failures, body, clock = 'simulated') {
  const coordinator = new vss.Coordinator({ virtualClock: clock });
  const record = { freezes: 0, shutdowns: 0 };
  const writer = new vss.Writer({
    coordinator, name: 'Retry Writer', classId: CLASS_ID,
    handlers: {
      onFreeze(context) {
        const hr = failures[record.freezes++];
        if (hr !== undefined) {
          context.setFailureEx(hr, 0x80070020, MESSAGE);
          return false;
        }
        return true;
      },
      onBackupShutdown() {
        record.shutdowns++;
      },
    },
  });
  writer.subscribe();
  try {
    return await body(coordinator, writer, record);
  } finally {
    await writer.close();
    await coordinator.close();
  }
}

test('retryPolicyDefault: 3 retries 600000 ms apart, 5 retries 30000 ms apart', () => {
  assert.deepEqual(vss.retryPolicyDefault(),
    { maxRetries: 3, waitMs: 600000, inProgressMaxRetries: 5, inProgressWaitMs: 30000 });
  assert.deepEqual(vss.RetryLimits, { MAX_RETRIES: 100, MAX_WAIT_MS: 86400000 });
});

test('a writer\'s RETRYABLE failure is retried after the wait on the simulated clock, with a fresh requester', async () => {
  await withFailingWriter([HRESULT.VSS_E_WRITERERROR_RETRYABLE], async (coordinator, writer, record) => {
    const sessions = [];
    const numbers = [];
    const reports = [];
    const shutdownsAtReport = [];
    const result = await vss.retryRun(coordinator, null, async (requester, number) => {
      assert.ok(requester instanceof vss.Requester);
      numbers.push(number);
      sessions.push(requester.sessionId);
      return backup(requester);
    }, (attempt) => {
      reports.push(attempt);
      shutdownsAtReport.push(record.shutdowns);
    });
    assert.equal(result, HRESULT.S_OK);
    assert.equal(record.freezes, 2);
    assert.deepEqual(numbers, [1, 2]);
    assert.equal(new Set(sessions).size, 2); // a fresh requester each time
    assert.equal(reports.length, 2);
    assert.deepEqual(reports[0], { number: 1, result: HRESULT.VSS_E_WRITERERROR_RETRYABLE,
      retryClass: RetryClass.AFTER_WAIT, startMs: reports[0].startMs, endMs: reports[0].endMs, waitMs: 600000 });
    assert.equal(reports[1].number, 2);
    assert.equal(reports[1].result, HRESULT.S_OK);
    assert.equal(reports[1].retryClass, RetryClass.NO);
    assert.equal(reports[1].waitMs, 0);
    assert.ok(reports[1].startMs >= reports[0].endMs + 600000, JSON.stringify(reports)); // the coordinator's clock
    // Each requester was released (OnBackupShutdown) before its attempt was reported.
    assert.deepEqual(shutdownsAtReport, [1, 2]);
  });
});

test('a non-retryable failure ends the run at once and rejects with the library\'s message', async () => {
  await withFailingWriter([HRESULT.VSS_E_WRITERERROR_NONRETRYABLE], async (coordinator, writer, record) => {
    const reports = [];
    await assert.rejects(vss.retryRun(coordinator, null, backup, (attempt) => reports.push(attempt)),
      isVssError(HRESULT.VSS_E_WRITERERROR_NONRETRYABLE, /^vss_retry_run: VSS_E_WRITERERROR_NONRETRYABLE.*not retryable/));
    assert.equal(record.freezes, 1);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].retryClass, RetryClass.NO);
    assert.equal(reports[0].waitMs, 0);
  });
});

test('every number of the policy is honoured; SNAPSHOT_SET_IN_PROGRESS has its own budget', async () => {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  const script = [HRESULT.VSS_E_SNAPSHOT_SET_IN_PROGRESS, HRESULT.VSS_E_PROVIDER_VETO,
    HRESULT.VSS_E_SNAPSHOT_SET_IN_PROGRESS, HRESULT.VSS_E_PROVIDER_VETO];
  const reports = [];
  try {
    await assert.rejects(vss.retryRun(coordinator,
      { maxRetries: 1, waitMs: 1234, inProgressMaxRetries: 2, inProgressWaitMs: 77 },
      (requester, number) => script[number - 1], (attempt) => reports.push(attempt)),
    isVssError(HRESULT.VSS_E_PROVIDER_VETO, /attempt 4, retryable but no retry left \(max_retries 1\)/));
  } finally {
    await coordinator.close();
  }
  assert.deepEqual(reports.map((r) => r.number), [1, 2, 3, 4]);
  assert.deepEqual(reports.map((r) => r.result), script);
  assert.deepEqual(reports.map((r) => r.retryClass), [RetryClass.SHORT_BACK_OFF, RetryClass.AFTER_WAIT,
    RetryClass.SHORT_BACK_OFF, RetryClass.AFTER_WAIT]);
  assert.deepEqual(reports.map((r) => r.waitMs), [77, 1234, 77, 0]);
});

test('a success code ends the run; a VssError thrown by a step is the attempt\'s result', async () => {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  try {
    let calls = 0;
    assert.equal(await vss.retryRun(coordinator, null, () => {
      calls++;
      return HRESULT.S_FALSE;
    }), HRESULT.S_FALSE);
    assert.equal(calls, 1);
    calls = 0;
    // DoSnapshotSet before anything: the step fails with VSS_E_BAD_STATE, not retryable.
    await assert.rejects(vss.retryRun(coordinator, null, async (requester) => {
      calls++;
      await requester.doSnapshotSet();
    }), isVssError(HRESULT.VSS_E_BAD_STATE));
    assert.equal(calls, 1);
  } finally {
    await coordinator.close();
  }
});

test('the attempt\'s requester is the library\'s: it is closed once the attempt settles', async () => {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  try {
    let kept = null;
    await vss.retryRun(coordinator, null, async (requester) => {
      kept = requester;
      requester.initializeForBackup();
      const operation = requester.start(vss.Step.GATHER_WRITER_METADATA);
      await operation.wait(); // left open: released with the attempt
    });
    assert.throws(() => kept.initializeForBackup(), isVssError(HRESULT.E_INVALIDARG));
    await kept.close(); // harmless
  } finally {
    await coordinator.close();
  }
});

test('an error that is not a VssError ends the run (E_UNEXPECTED, not retried) and is the rejection', async () => {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  try {
    const reports = [];
    const failure = new RangeError('attempt went wrong');
    await assert.rejects(vss.retryRun(coordinator, { maxRetries: 5, waitMs: 10 }, () => {
      throw failure;
    }, (attempt) => reports.push(attempt)), (error) => error === failure);
    assert.deepEqual(reports.map((r) => [r.number, r.result]), [[1, HRESULT.E_UNEXPECTED]]);
    await assert.rejects(vss.retryRun(coordinator, null, async () => 'not an HRESULT'), TypeError);
  } finally {
    await coordinator.close();
  }
});

test('an error in report does not stop the run; the run rejects with it once it has ended', async () => {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  try {
    let attempts = 0;
    const failure = new Error('report went wrong');
    await assert.rejects(vss.retryRun(coordinator, { waitMs: 10 }, () => {
      attempts++;
      return attempts < 3 ? HRESULT.VSS_E_WRITERERROR_RETRYABLE : undefined;
    }, () => {
      throw failure;
    }), (error) => error === failure);
    assert.equal(attempts, 3);
  } finally {
    await coordinator.close();
  }
});

test('a manual clock: the next attempt waits for advanceClock, and the JS thread stays free meanwhile', async () => {
  const coordinator = new vss.Coordinator({ virtualClock: 'manual' });
  try {
    const numbers = [];
    let waiting = null;
    const run = vss.retryRun(coordinator, { waitMs: 5000 }, (requester, number) => {
      numbers.push(number);
      return number === 1 ? HRESULT.VSS_E_WRITERERROR_RETRYABLE : HRESULT.S_OK;
    }, (attempt) => {
      waiting = attempt.waitMs;
    });
    while (waiting === null) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(numbers, [1]); // still waiting for the clock
    coordinator.advanceClock(5000);
    assert.equal(await run, HRESULT.S_OK);
    assert.deepEqual(numbers, [1, 2]);
  } finally {
    await coordinator.close();
  }
});

test('the real clock really waits', async () => {
  const coordinator = new vss.Coordinator();
  try {
    let attempts = 0;
    const started = Date.now();
    await assert.rejects(vss.retryRun(coordinator, { maxRetries: 1, waitMs: 60 }, () => {
      attempts++;
      return HRESULT.VSS_E_WRITERERROR_RETRYABLE;
    }), isVssError(HRESULT.VSS_E_WRITERERROR_RETRYABLE));
    assert.equal(attempts, 2);
    assert.ok(Date.now() - started >= 55, `${Date.now() - started} ms`);
  } finally {
    await coordinator.close();
  }
});

test('bad policies and arguments are refused and run nothing', async () => {
  let attempts = 0;
  const attempt = () => {
    attempts++;
  };
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  try {
    await assert.rejects(vss.retryRun(coordinator, { maxRetries: 101 }, attempt),
      isVssError(HRESULT.E_INVALIDARG, /vss_retry_run/));
    await assert.rejects(vss.retryRun(coordinator, { inProgressMaxRetries: 101 }, attempt),
      isVssError(HRESULT.E_INVALIDARG));
    await assert.rejects(vss.retryRun(coordinator, { waitMs: 86400001 }, attempt),
      isVssError(HRESULT.E_INVALIDARG, /24 hours/));
    await assert.rejects(vss.retryRun(coordinator, { maxRetries: -1 }, attempt), RangeError);
    await assert.rejects(vss.retryRun(coordinator, { waitMs: 1.5 }, attempt), TypeError);
    await assert.rejects(vss.retryRun(coordinator, { waitMS: 10 }, attempt), /no field waitMS/);
    await assert.rejects(vss.retryRun(coordinator, null, null), TypeError);
    await assert.rejects(vss.retryRun(coordinator, null, attempt, 'report'), TypeError);
    await assert.rejects(vss.retryRun({}, null, attempt), TypeError);
    const closed = new vss.Coordinator();
    await closed.close();
    await assert.rejects(vss.retryRun(closed, null, attempt), isVssError(HRESULT.E_INVALIDARG, /closed/));
    assert.equal(attempts, 0);
    // The limits themselves are accepted (with no failure, nothing waits).
    assert.equal(await vss.retryRun(coordinator, { maxRetries: 100, waitMs: 86400000, inProgressMaxRetries: 100,
      inProgressWaitMs: 86400000 }, attempt), HRESULT.S_OK);
    assert.equal(attempts, 1);
  } finally {
    await coordinator.close();
  }
});
