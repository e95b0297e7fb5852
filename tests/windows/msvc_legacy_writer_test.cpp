// Contract C-9.2 for binaries built against the XP/2003 SDK: a CVssWriter
// and a CVssJetWriter whose members are all imported from VssApi.dll by
// their decorated names (constructor, destructor, Initialize, Subscribe,
// the getters, the base handlers), run against our DLL under Wine.
//
// - LegacyWriter fails OnFreeze with SetWriterFailure and reads the
//   exported getters, GetCurrentSnapshotSetId's struct return among them;
// - JetWriter keeps the base Begin/End hooks but for OnPrepareSnapshotEnd,
//   which fails, and OnThawEnd, which records what the DLL passed it.
#include "sdk/requester.h"
#include "sdk/vss_sdk_legacy.h"

namespace {

constexpr GUID kLegacyId = {0x2b3c4d5e, 0x0001, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 1}};
constexpr GUID kJetId = {0x2b3c4d5e, 0x0002, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 2}};

struct Seen {
    bool freeze_called = false;
    bool set_id_nonzero = false;
    LONG context = -1;
    VSS_BACKUP_TYPE backup_type = VSS_BT_UNDEFINED;
    UINT volume_count = 0;
    bool path_affected = false;
    bool prepare_snapshot_end = false;
    bool prepare_snapshot_end_argument = false;
    int identified = 0;
} seen;

class LegacyWriter : public CVssWriter {
public:
    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *metadata) override
    {
        ++seen.identified;
        return CVssWriter::OnIdentify(metadata) && // the exported base body
               metadata->AddComponent(VSS_CT_FILEGROUP, nullptr, L"legacy", L"Legacy files", nullptr, 0, false, false,
                                      true) == S_OK &&
               metadata->AddFilesToFileGroup(nullptr, L"legacy", L"C:\\legacy", L"*", true, nullptr) == S_OK;
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
    bool STDMETHODCALLTYPE OnFreeze() override
    {
        seen.freeze_called = true;
        seen.set_id_nonzero = !same_guid(GetCurrentSnapshotSetId(), GUID{});
        seen.context = GetContext();
        seen.backup_type = GetBackupType();
        seen.volume_count = GetCurrentVolumeCount();
        seen.path_affected = IsPathAffected(legacy(L"C:\\legacy\\file.txt"));
        SetWriterFailure(VSS_E_WRITERERROR_RETRYABLE);
        return false;
    }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
};

class JetWriter : public CVssJetWriter {
public:
    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *metadata) override
    {
        ++seen.identified;
        return metadata->AddComponent(VSS_CT_DATABASE, nullptr, L"jetdb", L"Jet database", nullptr, 0, false, false,
                                      true) == S_OK &&
               metadata->AddDatabaseFiles(nullptr, L"jetdb", L"C:\\jet", L"*.edb") == S_OK;
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshotEnd(bool succeeded) override
    {
        seen.prepare_snapshot_end = true;
        seen.prepare_snapshot_end_argument = succeeded;
        SetWriterFailure(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT);
        return false;
    }
};

} // namespace

int test_main()
{
    LegacyWriter *writer = new LegacyWriter;
    JetWriter *jet = new JetWriter;
    EXPECT(writer->Initialize(kLegacyId, legacy(L"MSVC legacy writer"), VSS_UT_USERDATA, VSS_ST_NONTRANSACTEDDB) ==
           S_OK);
    EXPECT(writer->Subscribe() == S_OK);
    EXPECT(jet->Initialize(kJetId, legacy(L"MSVC Jet writer"), false, false, nullptr, nullptr) == S_OK);

    IVssBackupComponents *backup = nullptr;
    EXPECT(CreateVssBackupComponents(&backup) == S_OK);
    if (backup == nullptr) {
        return 1;
    }
    IVssBackupComponentsEx3 *ex3 = nullptr;
    EXPECT(backup->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&ex3)) == S_OK);
    if (ex3 == nullptr) {
        return 1;
    }
    IVssAsync *async = nullptr;
    EXPECT(backup->InitializeForBackup() == S_OK);
    EXPECT(backup->SetBackupState(true, false, VSS_BT_FULL) == S_OK);
    EXPECT(wait(backup->GatherWriterMetadata(&async), &async) == VSS_S_ASYNC_FINISHED);
    EXPECT(seen.identified == 2);
    EXPECT(add_all_components(backup) == 2);
    VSS_ID set{}, snapshot{};
    WCHAR volume[] = L"C:\\";
    EXPECT(backup->StartSnapshotSet(&set) == S_OK);
    EXPECT(backup->AddToSnapshotSet(volume, VSS_ID{}, &snapshot) == S_OK);
    EXPECT(wait(backup->PrepareForBackup(&async), &async) == VSS_S_ASYNC_FINISHED);
    EXPECT(wait(backup->DoSnapshotSet(&async), &async) == VSS_S_ASYNC_FINISHED);

    EXPECT(seen.freeze_called);
    EXPECT(seen.set_id_nonzero);
    EXPECT(seen.context == VSS_CTX_BACKUP);
    EXPECT(seen.backup_type == VSS_BT_FULL);
    EXPECT(seen.volume_count == 1);
    EXPECT(seen.path_affected);
    EXPECT(seen.prepare_snapshot_end);
    EXPECT(seen.prepare_snapshot_end_argument); // the Jet work between the hooks succeeded

    EXPECT(wait(backup->GatherWriterStatus(&async), &async) == VSS_S_ASYNC_FINISHED);
    nocrt::line("writer status after DoSnapshotSet:");
    const Status legacy_status = status_of(ex3, kLegacyId, true);
    EXPECT(legacy_status.found);
    EXPECT(legacy_status.state == VSS_WS_FAILED_AT_FREEZE);
    EXPECT(legacy_status.writer == VSS_E_WRITERERROR_RETRYABLE);
    EXPECT(legacy_status.application == S_OK); // SetWriterFailure has no application code (C-2.5)
    const Status jet_status = status_of(ex3, kJetId);
    EXPECT(jet_status.found);
    EXPECT(jet_status.state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
    EXPECT(jet_status.writer == VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT);
    EXPECT(backup->FreeWriterStatus() == S_OK);
    EXPECT(wait(backup->BackupComplete(&async), &async) == VSS_S_ASYNC_FINISHED);
    ex3->Release();
    backup->Release();

    EXPECT(writer->Unsubscribe() == S_OK);
    delete writer; // the exported destructor releases the wrapper
    jet->Uninitialize();
    delete jet;
    return 0;
}
