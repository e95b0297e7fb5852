'use strict';
// Run by test/writer.test.js with --expose-gc: writers and requesters dropped
// without close() are released by their finalizers (the writers unsubscribe),
// and the process exits normally.
const vss = require('vssapi');

async function forget(coordinator) {
  const writer = new vss.Writer({ coordinator, name: 'Forgotten', classId: '5e1f0001-1111-2222-8001-020304050607',
    handlers: { onFreeze: () => true } });
  writer.subscribe();
  const requester = new vss.Requester(coordinator);
  requester.initializeForBackup();
  await requester.gatherWriterMetadata();
  requester.start(vss.Step.GATHER_WRITER_STATUS);
  return requester.writerCount;
}

async function listed(coordinator) {
  const requester = new vss.Requester(coordinator);
  try {
    requester.initializeForBackup();
    await requester.gatherWriterMetadata();
    return requester.writerCount;
  } finally {
    await requester.close();
  }
}

(async () => {
  const coordinator = new vss.Coordinator();
  for (let i = 1; i <= 3; i++) {
    if (await forget(coordinator) !== i) {
      throw new Error('the writers were not all listed');
    }
  }
  let count = await listed(coordinator);
  for (let i = 0; i < 50 && count !== 0; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    count = await listed(coordinator);
  }
  coordinator.close();
  if (count !== 0) {
    throw new Error(`${count} forgotten writers are still subscribed`);
  }
  console.log('forgotten handles released');
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
