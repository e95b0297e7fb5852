'use strict';
// Scenario files: mock writers declared in JSON (examples/scenarios/ at the top
// of the source tree), loaded with vss.Scenario into a coordinator on the
// simulated clock, where the examples' 600 s timeouts pass at once.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { vss, backupThroughSnapshot } = require('../test-helpers');

const { HRESULT, WriterState } = vss;
const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'scenarios');

// Runs body(requester, coordinator) on a coordinator with the simulated clock and
// a scenario loaded from `source`; releases requester, scenario and coordinator.
async function withScenario(source, body) {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  let scenario = null;
  let requester = null;
  try {
    scenario = new vss.Scenario(coordinator, source);
    requester = new vss.Requester(coordinator);
    return await body(requester, coordinator, scenario);
  } finally {
    await requester?.close();
    await scenario?.close();
    coordinator.close();
  }
}

test('the partial-failure example reports the writer and its component', async () => {
  await withScenario(path.join(EXAMPLES, 'partial-failure.json'), async (requester) => {
    await backupThroughSnapshot(requester, { selectAll: true });
    await requester.gatherWriterStatus();
    const mail = requester.writerStatuses().find((s) => s.name === 'Mail Store Writer');
    assert.ok(mail, 'Mail Store Writer has a status');
    assert.equal(mail.state, WriterState.FAILED_AT_POST_SNAPSHOT);
    assert.equal(mail.hrFailureWriter, HRESULT.VSS_E_WRITERERROR_PARTIAL_FAILURE);
    assert.equal(mail.message, '1 of 2 mailbox databases failed');
    const failed = requester.componentFailures().filter((f) => f.hr !== 0);
    assert.deepEqual(failed.map((f) => [f.logicalPath, f.name, f.hr, f.hrApplication, f.message]),
      [['Mail', 'Mailbox B', HRESULT.VSS_E_WRITERERROR_NONRETRYABLE, 0x80040115,
        'Mailbox B: database header checksum mismatch']]);
  });
});

test('the hung-writer example times out on the simulated clock at once', async () => {
  // A file: URL works as a path does.
  await withScenario({ path: pathToFileURL(path.join(EXAMPLES, 'hung-writer.json')) }, async (requester) => {
    const started = process.hrtime.bigint();
    await backupThroughSnapshot(requester);
    await requester.gatherWriterStatus();
    const hung = requester.writerStatuses().find((s) => s.name === 'Search Index Writer');
    assert.ok(hung, 'Search Index Writer has a status');
    assert.equal(hung.hrFailureWriter, HRESULT.VSS_E_WRITER_NOT_RESPONDING);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    assert.ok(seconds < 60, `took ${seconds} s: not the 600 s event timeout`);
  });
});

test('a bad scenario throws with its position and loads nothing', async () => {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  let requester = null;
  try {
    assert.throws(() => new vss.Scenario(coordinator, { text: '{"writers": [{"name": "W", "class_id": 42}]}' }),
      (error) => {
        assert.ok(error instanceof vss.VssError);
        assert.equal(error.hresult, HRESULT.E_INVALIDARG);
        assert.equal(error.code, 'E_INVALIDARG');
        assert.match(error.message, /<text>:1:/);
        assert.ok(error.message.includes('writers[0].class_id'), error.message);
        return true;
      });
    assert.throws(() => new vss.Scenario(coordinator, path.join(EXAMPLES, 'no-such-file.json')),
      (error) => error instanceof vss.VssError && error.hresult === HRESULT.E_INVALIDARG &&
        error.message.includes('no-such-file.json'));
    requester = new vss.Requester(coordinator);
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    assert.equal(requester.writerCount, 0);
    await requester.gatherWriterStatus();
    assert.deepEqual(requester.writerStatuses(), []);
  } finally {
    await requester?.close();
    coordinator.close();
  }
});

test('API misuse: a path or { text }, not both; an open coordinator; a clock option it knows', async () => {
  const file = path.join(EXAMPLES, 'hung-writer.json');
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  try {
    assert.throws(() => new vss.Scenario(coordinator, { path: file, text: '{}' }), TypeError);
    assert.throws(() => new vss.Scenario(coordinator), TypeError);
    assert.throws(() => new vss.Scenario(coordinator, {}), TypeError);
    assert.throws(() => new vss.Scenario(coordinator, { text: 42 }), TypeError);
    assert.throws(() => new vss.Scenario({}, file), TypeError);
    assert.throws(() => new vss.Coordinator({ virtualClock: 'fast' }), TypeError);

    // Loaded and closed twice. The simulated clock moves by itself: advanceClock is
    // for the manual one only.
    const scenario = new vss.Scenario(coordinator, file);
    assert.equal(scenario.coordinator, coordinator);
    assert.equal(scenario.closed, false);
    assert.throws(() => coordinator.advanceClock(1), (error) => error.hresult === HRESULT.VSS_E_BAD_STATE);
    const closing = scenario.close();
    assert.equal(scenario.closed, true);
    assert.equal(scenario.close(), closing);
    await closing;
  } finally {
    coordinator.close();
  }
  // A closed coordinator is refused, not taken for the default one.
  assert.throws(() => new vss.Scenario(coordinator, file),
    (error) => error instanceof vss.VssError && error.hresult === HRESULT.E_INVALIDARG && /closed/.test(error.message));
  // The other clock options still mean what they did.
  for (const [option, manual] of [[false, false], ['real', false], [true, true], ['manual', true],
    [vss.Clock.MANUAL, true], [vss.Clock.SIMULATED, false]]) {
    const other = new vss.Coordinator({ virtualClock: option });
    try {
      if (manual) {
        other.advanceClock(1);
      } else {
        assert.throws(() => other.advanceClock(1), (error) => error.hresult === HRESULT.VSS_E_BAD_STATE);
      }
    } finally {
      other.close();
    }
  }
});
