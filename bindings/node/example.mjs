import vss from 'vssapi';

const coordinator = new vss.Coordinator();
const writer = new vss.Writer({ coordinator, name: 'Demo Writer', classId: '5e1f0001-1111-2222-8001-020304050607',
  handlers: { onFreeze: (ctx) => ctx.setFailureEx(vss.HRESULT.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, 'database busy') } });
writer.subscribe();
const requester = new vss.Requester(coordinator);
requester.initializeForBackup();
await requester.gatherWriterMetadata();
requester.startSnapshotSet();
requester.addToSnapshotSet('C:\\');
await requester.prepareForBackup();
await requester.doSnapshotSet();
await requester.gatherWriterStatus();
for (const s of requester.writerStatuses()) {
  console.log(s.name, s.stateName, vss.hresultName(s.hrFailureWriter), s.hrApplication.toString(16), s.message);
}
await requester.close();
await writer.close();
coordinator.close();
