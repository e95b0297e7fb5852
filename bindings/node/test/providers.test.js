'use strict';
// Snapshot providers (flat API 1.1, C-5.4 to C-5.6): the list and the built-in
// ids, the choice by id, and providers written in JS registered with the
// coordinator, as tests/support/c_provider.c is in C (tests/capi/provider_test.cpp).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { vss, CLASS_ID, withWriter } = require('../test-helpers');

const { HRESULT, ProviderId } = vss;
const PROVIDER_ID = 'c0ffee00-0000-4000-8000-0000000000a1';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const COMMITTED = [
  'prepare', 'endPrepareSnapshots', 'preCommitSnapshots', 'commitSnapshots', 'postCommitSnapshots(1)',
  'preFinalCommitSnapshots', 'postFinalCommitSnapshots', 'snapshotDevice',
];
const ABORTED_AT_COMMIT = ['prepare', 'endPrepareSnapshots', 'preCommitSnapshots', 'commitSnapshots', 'abortSnapshots'];

const isVssError = (hresult, pattern) => (error) => {
  assert.ok(error instanceof vss.VssError, `not a VssError: ${error && error.stack}`);
  assert.equal(error.code, vss.hresultName(hresult));
  assert.equal(error.hresult, hresult);
  if (pattern) {
    assert.match(error.message, pattern);
  }
  return true;
};

// Every step, recorded; volumes under Z:\ only; commit fails on demand
// (failCommit: false to veto, an Error to throw, a function to run).
class Recorder {
  constructor(fields = {}) {
    this.id = PROVIDER_ID;
    this.name = 'JS test provider ✓';
    this.version = '2.1';
    this.steps = [];
    this.sets = new Set();
    this.snapshots = [];
    this.volumes = [];
    this.deleted = [];
    this.errors = [];
    this.failCommit = undefined;
    Object.assign(this, fields);
  }

  note(step, snapshotSetId) {
    this.steps.push(step);
    if (snapshotSetId !== undefined) {
      assert.match(snapshotSetId, GUID);
      this.sets.add(snapshotSetId);
    }
  }

  isVolumeSupported(volume) {
    if (volume === 'Z:\\missing') {
      throw new vss.VssError(HRESULT.VSS_E_OBJECT_NOT_FOUND);
    }
    return volume.startsWith('Z:\\');
  }

  prepareForSnapshot(snapshotSetId, snapshotId, volume) {
    this.snapshots.push(snapshotId);
    this.volumes.push(volume);
    this.note('prepare', snapshotSetId);
  }

  endPrepareSnapshots(snapshotSetId) {
    this.note('endPrepareSnapshots', snapshotSetId);
  }

  preCommitSnapshots(snapshotSetId) {
    this.note('preCommitSnapshots', snapshotSetId);
  }

  // Async: it ends after a timer, while the library's thread waits for it.
  async commitSnapshots(snapshotSetId) {
    this.note('commitSnapshots', snapshotSetId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failCommit instanceof Error) {
      throw this.failCommit;
    }
    if (typeof this.failCommit === 'function') {
      return this.failCommit();
    }
    return this.failCommit;
  }

  postCommitSnapshots(snapshotSetId, count) {
    this.note(`postCommitSnapshots(${count})`, snapshotSetId);
  }

  preFinalCommitSnapshots(snapshotSetId) {
    this.note('preFinalCommitSnapshots', snapshotSetId);
  }

  postFinalCommitSnapshots(snapshotSetId) {
    this.note('postFinalCommitSnapshots', snapshotSetId);
  }

  abortSnapshots(snapshotSetId) {
    this.note('abortSnapshots', snapshotSetId);
  }

  snapshotDevice(snapshotId) {
    this.note('snapshotDevice');
    return `Z:\\snapshots\\${snapshotId}\\データ`;
  }

  async deleteSnapshot(snapshotId) {
    this.deleted.push(snapshotId);
    this.note('deleteSnapshot');
  }

  onError(error, step) {
    this.errors.push({ error, step });
  }
}

// Runs body(coordinator) on an isolated coordinator on the simulated clock, closed after.
async function withCoordinator(body) {
  const coordinator = new vss.Coordinator({ virtualClock: 'simulated' });
  try {
    return await body(coordinator);
  } finally {
    await coordinator.close();
  }
}

// A requester up to the snapshot set; returns [requester, snapshot set id].
async function prepared(coordinator) {
  const requester = new vss.Requester(coordinator);
  requester.initializeForBackup();
  await requester.gatherWriterMetadata();
  return [requester, requester.startSnapshotSet()];
}

test('the list has the built-in providers, the default (simulated) first', async () => {
  await withCoordinator((coordinator) => {
    const providers = coordinator.providers();
    assert.equal(providers[0].id, ProviderId.SIMULATED);
    const byId = new Map(providers.map((p) => [p.id, p]));
    const expected = {
      [ProviderId.SIMULATED]: 'openvss simulated provider',
      [ProviderId.LIVE]: 'openvss live provider',
      [ProviderId.COPY]: 'openvss copy provider',
    };
    if (process.platform === 'linux') {
      Object.assign(expected, {
        [ProviderId.BTRFS]: 'openvss btrfs provider',
        [ProviderId.REFLINK]: 'openvss reflink provider',
        [ProviderId.FSFREEZE]: 'openvss fsfreeze provider',
      });
    }
    for (const [id, name] of Object.entries(expected)) {
      assert.ok(byId.has(id), `${id} (${name}) is not listed`);
      assert.ok(byId.get(id).name.startsWith(name), byId.get(id).name);
      assert.equal(byId.get(id).type, vss.ProviderType.SOFTWARE);
      assert.equal(typeof byId.get(id).version, 'string');
    }
    assert.equal(byId.has(PROVIDER_ID), false);
  });
});

test('a JS provider is listed, chosen by id, and called in order; it deletes its snapshot at release', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder();
    assert.equal(coordinator.registerProvider(provider), PROVIDER_ID);
    const listed = coordinator.providers();
    assert.equal(listed[0].id, ProviderId.SIMULATED); // still the default
    assert.deepEqual(listed.find((p) => p.id === PROVIDER_ID),
      { id: PROVIDER_ID, name: 'JS test provider ✓', type: vss.ProviderType.SOFTWARE, version: '2.1' });

    const [requester, snapshotSetId] = await prepared(coordinator);
    const snapshotId = requester.addToSnapshotSet('Z:\\data', PROVIDER_ID);
    await requester.prepareForBackup();
    await requester.doSnapshotSet();
    assert.deepEqual(provider.steps, COMMITTED);
    assert.deepEqual([...provider.sets], [snapshotSetId]);
    assert.deepEqual(provider.snapshots, [snapshotId]);
    assert.deepEqual(provider.volumes, ['Z:\\data']);
    assert.deepEqual(provider.errors, []);

    const props = requester.snapshotProperties(snapshotId);
    assert.equal(props.providerId, PROVIDER_ID);
    assert.equal(props.originalVolume, 'Z:\\data');
    assert.equal(props.deviceName, `Z:\\snapshots\\${snapshotId}\\データ`);
    assert.equal(props.snapshotSetId, snapshotSetId);

    await requester.close(); // the library deletes the snapshot with its requester
    assert.deepEqual(provider.deleted, [snapshotId]);
    assert.equal(provider.steps.at(-1), 'deleteSnapshot');
  });
});

test('the provider can be named by its id, the object registered, or its entry of providers()', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder();
    coordinator.registerProvider(provider);
    const info = coordinator.providers().find((p) => p.id === PROVIDER_ID);
    const [requester] = await prepared(coordinator);
    try {
      const first = requester.addToSnapshotSet('Z:\\a', provider);
      const second = requester.addToSnapshotSet('Z:\\b', info);
      const third = requester.addToSnapshotSet('Z:\\c', `{${PROVIDER_ID.toUpperCase()}}`);
      await requester.prepareForBackup();
      await requester.doSnapshotSet();
      assert.deepEqual(provider.snapshots, [first, second, third]);
      assert.ok(provider.steps.includes('postCommitSnapshots(3)'), provider.steps.join(' '));
      assert.equal(requester.snapshotProperties(third).providerId, PROVIDER_ID);
    } finally {
      await requester.close();
    }
  });
});

test('without a provider id the coordinator\'s default makes the snapshot', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder();
    coordinator.registerProvider(provider);
    const [requester] = await prepared(coordinator);
    try {
      const snapshotId = requester.addToSnapshotSet('C:\\');
      const simulated = requester.addToSnapshotSet('D:\\', null);
      await requester.prepareForBackup();
      await requester.doSnapshotSet();
      assert.equal(requester.snapshotProperties(snapshotId).providerId, ProviderId.SIMULATED);
      assert.equal(requester.snapshotProperties(simulated).providerId, ProviderId.SIMULATED);
      assert.deepEqual(provider.steps, []);
    } finally {
      await requester.close();
    }
  });
});

// A backup whose commit fails: abortSnapshots is called, no snapshot is left.
async function checkFailedCommit(coordinator, provider, hresult) {
  const [requester] = await prepared(coordinator);
  try {
    const snapshotId = requester.addToSnapshotSet('Z:\\logs', PROVIDER_ID);
    await requester.prepareForBackup();
    await assert.rejects(requester.doSnapshotSet(), isVssError(hresult));
    assert.deepEqual(provider.steps, ABORTED_AT_COMMIT);
    assert.throws(() => requester.snapshotProperties(snapshotId), isVssError(HRESULT.VSS_E_OBJECT_NOT_FOUND));
  } finally {
    await requester.close();
  }
  assert.deepEqual(provider.deleted, []);
}

test('C-5.6: a commit that vetoes (false) ends the set with VSS_E_PROVIDER_VETO and abortSnapshots', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder({ failCommit: false });
    coordinator.registerProvider(provider);
    await checkFailedCommit(coordinator, provider, HRESULT.VSS_E_PROVIDER_VETO);
    assert.deepEqual(provider.errors, []);
  });
});

test('a step that throws a VssError, or returns an HRESULT, fails with it', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder({ failCommit: new vss.VssError(HRESULT.VSS_E_INSUFFICIENT_STORAGE) });
    coordinator.registerProvider(provider);
    await checkFailedCommit(coordinator, provider, HRESULT.VSS_E_INSUFFICIENT_STORAGE);
    provider.steps = [];
    provider.failCommit = () => HRESULT.VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED;
    await checkFailedCommit(coordinator, provider, HRESULT.VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED);
    assert.deepEqual(provider.errors, []);
  });
});

test('any other error is VSS_E_UNEXPECTED_PROVIDER_ERROR, reported, and the next backup works', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder({ failCommit: new RangeError('disk on fire') });
    coordinator.registerProvider(provider);
    await checkFailedCommit(coordinator, provider, HRESULT.VSS_E_UNEXPECTED_PROVIDER_ERROR);
    assert.equal(provider.errors.length, 1);
    assert.equal(provider.errors[0].step, 'commitSnapshots');
    assert.ok(provider.errors[0].error instanceof RangeError);

    provider.failCommit = undefined;
    provider.steps = [];
    const [requester] = await prepared(coordinator);
    try {
      requester.addToSnapshotSet('Z:\\data', PROVIDER_ID);
      await requester.prepareForBackup();
      await requester.doSnapshotSet();
      assert.deepEqual(provider.steps, COMMITTED);
    } finally {
      await requester.close();
    }
  });
});

test('registerProvider\'s onError wins over the provider\'s; a synchronous throw is reported too', async () => {
  await withCoordinator(async (coordinator) => {
    const seen = [];
    const provider = new Recorder();
    provider.preCommitSnapshots = () => {
      throw new Error('sync failure');
    };
    coordinator.registerProvider(provider, { onError: (error, step) => seen.push(`${step}: ${error.message}`) });
    const [requester] = await prepared(coordinator);
    try {
      requester.addToSnapshotSet('Z:\\data', PROVIDER_ID);
      await requester.prepareForBackup();
      await assert.rejects(requester.doSnapshotSet(), isVssError(HRESULT.VSS_E_UNEXPECTED_PROVIDER_ERROR));
    } finally {
      await requester.close();
    }
    assert.deepEqual(seen, ['preCommitSnapshots: sync failure']);
    assert.deepEqual(provider.errors, []);
    assert.deepEqual(provider.steps, ['prepare', 'endPrepareSnapshots', 'abortSnapshots']);
  });
});

test('C-5.4: isVolumeSupported answers for the volume, on the JS thread, synchronously', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder();
    coordinator.registerProvider(provider);
    const [requester] = await prepared(coordinator);
    try {
      assert.throws(() => requester.addToSnapshotSet('Y:\\elsewhere', PROVIDER_ID),
        isVssError(HRESULT.VSS_E_VOLUME_NOT_SUPPORTED));
      assert.throws(() => requester.addToSnapshotSet('Z:\\missing', PROVIDER_ID),
        isVssError(HRESULT.VSS_E_OBJECT_NOT_FOUND));
      provider.isVolumeSupported = async () => true; // nothing on the JS thread can wait for it
      assert.throws(() => requester.addToSnapshotSet('Z:\\data', PROVIDER_ID),
        isVssError(HRESULT.VSS_E_VOLUME_NOT_SUPPORTED));
      assert.equal(provider.errors.length, 1);
      assert.equal(provider.errors[0].step, 'isVolumeSupported');
      assert.match(provider.errors[0].error.message, /synchronous/);
      assert.throws(() => requester.addToSnapshotSet('Z:\\data', '11111111-2222-3333-4444-555555555555'),
        isVssError(HRESULT.VSS_E_PROVIDER_NOT_REGISTERED));
      assert.throws(() => requester.addToSnapshotSet('Z:\\data', 'not a guid'), TypeError);
      assert.deepEqual(provider.steps, []);
    } finally {
      await requester.close();
    }
  });
});

test('without isVolumeSupported a volume must be a folder that exists', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vssapi-node-'));
  try {
    await withCoordinator(async (coordinator) => {
      coordinator.registerProvider({ id: PROVIDER_ID, name: 'Only a commit', commitSnapshots() {} });
      const [requester] = await prepared(coordinator);
      try {
        assert.throws(() => requester.addToSnapshotSet(path.join(folder, 'absent'), PROVIDER_ID),
          isVssError(HRESULT.VSS_E_OBJECT_NOT_FOUND));
        const snapshotId = requester.addToSnapshotSet(folder, PROVIDER_ID);
        await requester.prepareForBackup();
        await requester.doSnapshotSet();
        const props = requester.snapshotProperties(snapshotId);
        assert.equal(props.providerId, PROVIDER_ID);
        assert.equal(props.deviceName, ''); // no snapshotDevice
      } finally {
        await requester.close();
      }
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('a device path that is not a string, or too long, fails the set', async () => {
  for (const [device, kind] of [[() => null, TypeError], [() => `Z:\\${'x'.repeat(5000)}`, RangeError],
    [async () => 42, TypeError], [() => 'Z:\\snap\0shot', TypeError]]) {
    await withCoordinator(async (coordinator) => {
      const provider = new Recorder();
      provider.snapshotDevice = device;
      coordinator.registerProvider(provider);
      const [requester] = await prepared(coordinator);
      try {
        const snapshotId = requester.addToSnapshotSet('Z:\\data', PROVIDER_ID);
        await requester.prepareForBackup();
        await assert.rejects(requester.doSnapshotSet(), isVssError(HRESULT.VSS_E_UNEXPECTED_PROVIDER_ERROR));
        assert.equal(provider.steps.at(-1), 'abortSnapshots');
        assert.throws(() => requester.snapshotProperties(snapshotId), isVssError(HRESULT.VSS_E_OBJECT_NOT_FOUND));
      } finally {
        await requester.close();
      }
      assert.equal(provider.errors.length, 1);
      assert.equal(provider.errors[0].step, 'snapshotDevice');
      assert.ok(provider.errors[0].error instanceof kind, String(provider.errors[0].error));
    });
  }
});

test('C-6.2: registration refuses bad providers and changes nothing', async () => {
  await withCoordinator(async (coordinator) => {
    const before = coordinator.providers().length;
    assert.throws(() => coordinator.registerProvider(new Recorder({ id: undefined })), isVssError(HRESULT.E_INVALIDARG,
      /id is all zero/));
    assert.throws(() => coordinator.registerProvider(new Recorder({ name: undefined })), isVssError(HRESULT.E_INVALIDARG,
      /name is NULL/));
    assert.throws(() => coordinator.registerProvider(new Recorder({ id: ProviderId.SIMULATED })),
      isVssError(HRESULT.VSS_E_PROVIDER_ALREADY_REGISTERED));
    assert.throws(() => coordinator.registerProvider(new Recorder({ id: 'c0ffee' })), TypeError);
    assert.throws(() => coordinator.registerProvider(new Recorder({ name: 7 })), TypeError);
    assert.throws(() => coordinator.registerProvider(null), TypeError);
    assert.equal(coordinator.providers().length, before);
    coordinator.registerProvider(new Recorder());
    assert.throws(() => coordinator.registerProvider(new Recorder()), isVssError(HRESULT.VSS_E_PROVIDER_ALREADY_REGISTERED));
    assert.equal(coordinator.providers().length, before + 1);
  });
});

test('unregistering: then VSS_E_PROVIDER_NOT_REGISTERED; the default is VSS_E_PROVIDER_IN_USE', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder();
    coordinator.registerProvider(provider);
    const [requester] = await prepared(coordinator);
    try {
      await coordinator.unregisterProvider(provider);
      assert.equal(coordinator.providers().some((p) => p.id === PROVIDER_ID), false);
      assert.throws(() => requester.addToSnapshotSet('Z:\\data', PROVIDER_ID),
        isVssError(HRESULT.VSS_E_PROVIDER_NOT_REGISTERED));
      requester.addToSnapshotSet('C:\\'); // the default still works
    } finally {
      await requester.close();
    }
    await assert.rejects(coordinator.unregisterProvider(PROVIDER_ID), isVssError(HRESULT.VSS_E_PROVIDER_NOT_REGISTERED,
      /vss_coordinator_unregister_provider/));
    await assert.rejects(coordinator.unregisterProvider('11111111-2222-3333-4444-555555555555'),
      isVssError(HRESULT.VSS_E_PROVIDER_NOT_REGISTERED));
    await assert.rejects(coordinator.unregisterProvider(ProviderId.SIMULATED),
      isVssError(HRESULT.VSS_E_PROVIDER_IN_USE));
    await assert.rejects(coordinator.unregisterProvider(42), TypeError);
    // The same id can be registered again, by another object.
    const again = new Recorder();
    coordinator.registerProvider(again);
    const [second] = await prepared(coordinator);
    try {
      second.addToSnapshotSet('Z:\\data', PROVIDER_ID);
      await second.prepareForBackup();
      await second.doSnapshotSet();
    } finally {
      await second.close();
    }
    assert.deepEqual(provider.deleted, []);
    assert.equal(again.deleted.length, 1);
    // Two unregistrations at once: one does it, the other is told it is gone.
    const results = await Promise.allSettled([coordinator.unregisterProvider(PROVIDER_ID),
      coordinator.unregisterProvider(again)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected']);
    assert.equal(results[1].reason.hresult, HRESULT.VSS_E_PROVIDER_NOT_REGISTERED);
  });
});

test('a provider cannot unregister itself from inside its own step (VSS_E_BAD_STATE)', async () => {
  await withCoordinator(async (coordinator) => {
    const provider = new Recorder();
    let refused = null;
    provider.failCommit = async () => {
      await coordinator.unregisterProvider(PROVIDER_ID).catch((error) => {
        refused = error;
      });
    };
    coordinator.registerProvider(provider);
    const [requester] = await prepared(coordinator);
    try {
      requester.addToSnapshotSet('Z:\\data', PROVIDER_ID);
      await requester.prepareForBackup();
      await requester.doSnapshotSet();
    } finally {
      await requester.close();
    }
    assert.ok(refused !== null, 'the unregistration was not refused');
    isVssError(HRESULT.VSS_E_BAD_STATE, /inside one of its own steps/)(refused);
    assert.deepEqual(provider.steps, [...COMMITTED, 'deleteSnapshot']);
    await coordinator.unregisterProvider(PROVIDER_ID); // from outside it works
  });
});

test('closing the coordinator object unregisters the providers registered through it', async () => {
  const registering = vss.Coordinator.default();
  const watching = vss.Coordinator.default();
  try {
    registering.registerProvider(new Recorder());
    assert.ok(watching.providers().some((p) => p.id === PROVIDER_ID));
    await registering.close();
    assert.equal(watching.providers().some((p) => p.id === PROVIDER_ID), false);
    assert.throws(() => registering.providers(), isVssError(HRESULT.E_INVALIDARG, /closed/));
    assert.throws(() => registering.registerProvider(new Recorder()), isVssError(HRESULT.E_INVALIDARG, /closed/));
    await registering.close(); // twice is harmless
  } finally {
    await watching.close();
  }
});

test('a JS writer and a JS provider in one backup: the commit comes between freeze and thaw', async () => {
  const order = [];
  const provider = new Recorder();
  const commit = provider.commitSnapshots.bind(provider);
  provider.commitSnapshots = async (setId) => {
    order.push('commitSnapshots');
    return commit(setId);
  };
  await withWriter({
    handlers: {
      onFreeze: () => {
        order.push('onFreeze');
      },
      onThaw: () => {
        order.push('onThaw');
      },
    },
  }, async (requester, writer, coordinator) => {
    coordinator.registerProvider(provider);
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    requester.startSnapshotSet();
    requester.addToSnapshotSet('Z:\\data', PROVIDER_ID);
    await requester.prepareForBackup();
    await requester.doSnapshotSet();
    await requester.gatherWriterStatus();
    assert.equal(requester.writerStatuses()[0].stateName, 'WAITING_FOR_BACKUP_COMPLETE'); // no failure
    assert.equal(requester.writerStatuses()[0].classId, CLASS_ID);
  });
  assert.deepEqual(order, ['onFreeze', 'commitSnapshots', 'onThaw']);
});

test('the copy and live providers snapshot a folder; the copy reads as it was at the commit', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vssapi-node-'));
  const file = path.join(folder, 'orders.db');
  fs.writeFileSync(file, 'before');
  try {
    await withWriter({
      handlers: {
        onThaw: () => {
          fs.writeFileSync(file, 'after'); // written once the snapshot was made
        },
      },
    }, async (requester) => {
      requester.initializeForBackup();
      await requester.gatherWriterMetadata();
      requester.startSnapshotSet();
      assert.throws(() => requester.addToSnapshotSet(path.join(folder, 'absent'), ProviderId.COPY),
        isVssError(HRESULT.VSS_E_OBJECT_NOT_FOUND));
      const copy = requester.addToSnapshotSet(folder, ProviderId.COPY);
      await requester.prepareForBackup();
      await requester.doSnapshotSet();
      const props = requester.snapshotProperties(copy);
      assert.equal(props.providerId, ProviderId.COPY);
      assert.equal(fs.readFileSync(file, 'utf8'), 'after');
      assert.equal(fs.readFileSync(path.join(props.deviceName, 'orders.db'), 'utf8'), 'before');
    });
    await withWriter({}, async (requester) => {
      requester.initializeForBackup();
      await requester.gatherWriterMetadata();
      requester.startSnapshotSet();
      const live = requester.addToSnapshotSet(folder, { id: ProviderId.LIVE });
      await requester.prepareForBackup();
      await requester.doSnapshotSet();
      const props = requester.snapshotProperties(live);
      assert.equal(props.providerId, ProviderId.LIVE);
      assert.equal(fs.readFileSync(path.join(props.deviceName, 'orders.db'), 'utf8'), 'after');
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
