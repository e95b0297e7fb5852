// Contract C-9.2 and C-9.3 from the other side: writers and a requester
// compiled in Microsoft's C++ ABI (clang --target=*-pc-windows-msvc, no C
// runtime, the SDK's declarations), linked against an import library of
// Windows' own export list, run under Wine against our vssapi.dll.
//
// Three writers built on the SDK's header-inline classes:
// - FreezeFailer (CVssWriterEx2, CreateWriterEx) fails OnFreeze with
//   SetWriterFailureEx and checks the IVssWriterImpl getters MSVC calls,
//   GetCurrentSnapshotSetId's struct return among them;
// - ComponentFailer (CVssWriterEx2) fails one component in OnPrepareBackup
//   through IVssComponentEx2::SetFailure;
// - Thrower (CVssWriter, CreateWriter) throws a C++ exception out of
//   OnPrepareSnapshot, which the DLL must take as a failed handler.
// The requester runs a whole component-mode backup and reads everything
// back through GetWriterStatusEx and IVssComponentEx2::GetFailure.
#include "sdk/nocrt.h"
#include "sdk/requester.h"
#include "sdk/vss_sdk_writer.h"

namespace {

constexpr VSS_ID kFreezeFailerId = {0x1a2b3c4d, 0x0001, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 1}};
constexpr VSS_ID kComponentFailerId = {0x1a2b3c4d, 0x0002, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 2}};
constexpr VSS_ID kThrowerId = {0x1a2b3c4d, 0x0003, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 3}};
constexpr HRESULT kSharingViolation = static_cast<HRESULT>(0x80070020L);
constexpr HRESULT kAccessDenied = static_cast<HRESULT>(0x80070005L);

// What the writers saw, checked by the requester afterwards.
struct Seen {
    int identified = 0;
    bool freeze_called = false;
    bool set_id_nonzero = false;
    LONG context = -1;
    VSS_BACKUP_TYPE backup_type = VSS_BT_UNDEFINED;
    bool components_selected = false;
    bool path_affected = false;
    HRESULT failure_ex = E_UNEXPECTED;
    bool session_id_nonzero = false;
    bool thrower_prepare_snapshot = false;
    int component_failure_set = 0;
} seen;

class FreezeFailer : public CVssWriterEx2 {
public:
    bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *metadata) override
    {
        ++seen.identified;
        return metadata->AddComponent(VSS_CT_FILEGROUP, nullptr, L"db", L"Database", nullptr, 0, false, true, true) ==
                   S_OK &&
               metadata->AddFilesToFileGroup(nullptr, L"db", L"C:\\data", L"*.mdf", false, nullptr) == S_OK;
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
    bool STDMETHODCALLTYPE OnFreeze() override
    {
        seen.freeze_called = true;
        const VSS_ID set = GetCurrentSnapshotSetId();
        seen.set_id_nonzero = !same_guid(set, VSS_ID{});
        seen.context = GetContext();
        seen.backup_type = GetBackupType();
        seen.components_selected = AreComponentsSelected();
        seen.path_affected = IsPathAffected(L"C:\\data\\db.mdf");
        VSS_ID session{};
        seen.session_id_nonzero = GetSessionId(&session) == S_OK && !same_guid(session, VSS_ID{});
        seen.failure_ex = SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, kSharingViolation, L"database locked");
        return false;
    }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
};

class ComponentFailer : public CVssWriterEx2 {
public:
    bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *metadata) override
    {
        ++seen.identified;
        return metadata->AddComponent(VSS_CT_FILEGROUP, nullptr, L"logs", L"Logs", nullptr, 0, false, true, true) ==
                   S_OK &&
               metadata->AddFilesToFileGroup(nullptr, L"logs", L"C:\\logs", L"*.log", false, nullptr) == S_OK;
    }
    bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *components) override
    {
        UINT count = 0;
        if (components == nullptr || components->GetComponentCount(&count) != S_OK || count != 1) {
            return false;
        }
        IVssComponent *component = nullptr;
        if (components->GetComponent(0, &component) != S_OK) {
            return false;
        }
        IVssComponentEx2 *ex2 = nullptr;
        if (component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2)) == S_OK) {
            if (ex2->SetFailure(VSS_E_WRITERERROR_NONRETRYABLE, kAccessDenied, L"log volume offline", 0) == S_OK) {
                ++seen.component_failure_set;
            }
            ex2->Release();
        }
        component->Release();
        return true;
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
    bool STDMETHODCALLTYPE OnFreeze() override { return true; }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
};

class Thrower : public CVssWriter {
public:
    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *) override
    {
        ++seen.identified;
        return true;
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override
    {
        seen.thrower_prepare_snapshot = true;
        throw 42; // an MSVC C++ exception, leaving the handler into the DLL
    }
    bool STDMETHODCALLTYPE OnFreeze() override { return true; }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
};

// The component failure the ComponentFailer set, read as a requester does (C-2.7).
void check_component_failure(IVssBackupComponents *backup)
{
    UINT writers = 0;
    EXPECT(backup->GetWriterComponentsCount(&writers) == S_OK);
    bool found = false;
    for (UINT i = 0; i < writers; ++i) {
        IVssWriterComponentsExt *components = nullptr;
        if (backup->GetWriterComponents(i, &components) != S_OK) {
            continue;
        }
        VSS_ID instance{}, writer{};
        components->GetWriterInfo(&instance, &writer);
        UINT count = 0;
        components->GetComponentCount(&count);
        for (UINT c = 0; c < count && same_guid(writer, kComponentFailerId); ++c) {
            IVssComponent *component = nullptr;
            if (components->GetComponent(c, &component) != S_OK) {
                continue;
            }
            IVssComponentEx2 *ex2 = nullptr;
            if (component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2)) == S_OK) {
                HRESULT hr = S_OK, application = S_OK;
                BSTR message = nullptr;
                DWORD reserved = 1;
                EXPECT(ex2->GetFailure(&hr, &application, &message, &reserved) == S_OK);
                EXPECT(hr == VSS_E_WRITERERROR_NONRETRYABLE);
                EXPECT(application == kAccessDenied);
                EXPECT(nocrt::same(message, L"log volume offline"));
                found = true;
                SysFreeString(message);
                ex2->Release();
            }
            component->Release();
        }
        components->Release(); // through the second base, IUnknown
    }
    EXPECT(found);
}

} // namespace

int test_main()
{
    FreezeFailer *freeze_failer = new FreezeFailer;
    ComponentFailer *component_failer = new ComponentFailer;
    Thrower *thrower = new Thrower;
    EXPECT(freeze_failer->InitializeEx(kFreezeFailerId, L"MSVC freeze failer", 1, 2, VSS_UT_USERDATA,
                                       VSS_ST_TRANSACTEDDB) == S_OK);
    EXPECT(freeze_failer->InitializeEx(kFreezeFailerId, L"again", 1, 2, VSS_UT_USERDATA, VSS_ST_TRANSACTEDDB) ==
           E_FAIL);
    EXPECT(component_failer->InitializeEx(kComponentFailerId, L"MSVC component failer", 1, 0, VSS_UT_USERDATA,
                                          VSS_ST_NONTRANSACTEDDB) == S_OK);
    EXPECT(thrower->Initialize(kThrowerId, L"MSVC thrower", VSS_UT_USERDATA, VSS_ST_NONTRANSACTEDDB) == S_OK);
    EXPECT(freeze_failer->Subscribe() == S_OK);
    EXPECT(component_failer->Subscribe() == S_OK);
    EXPECT(thrower->Subscribe() == S_OK);

    IVssBackupComponents *backup = nullptr;
    EXPECT(CreateVssBackupComponents(&backup) == S_OK); // the decorated C++ import
    if (backup == nullptr) {
        return 1;
    }
    IVssBackupComponentsEx3 *ex3 = nullptr;
    EXPECT(backup->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&ex3)) == S_OK);
    if (ex3 == nullptr) {
        return 1;
    }
    EXPECT(backup->InitializeForBackup() == S_OK);
    EXPECT(backup->SetContext(VSS_CTX_BACKUP) == S_OK);
    EXPECT(backup->SetBackupState(true, false, VSS_BT_FULL) == S_OK);
    IVssAsync *async = nullptr;
    EXPECT(wait(backup->GatherWriterMetadata(&async), &async) == VSS_S_ASYNC_FINISHED);
    EXPECT(seen.identified == 3);
    EXPECT(add_all_components(backup) == 3);

    VSS_ID set{}, snapshot{};
    EXPECT(backup->StartSnapshotSet(&set) == S_OK);
    WCHAR volume[] = L"C:\\";
    EXPECT(backup->AddToSnapshotSet(volume, VSS_ID{}, &snapshot) == S_OK);
    EXPECT(wait(backup->PrepareForBackup(&async), &async) == VSS_S_ASYNC_FINISHED);
    EXPECT(seen.component_failure_set == 1);
    EXPECT(wait(backup->DoSnapshotSet(&async), &async) == VSS_S_ASYNC_FINISHED);

    // The writers' own view (C-9.2: the IVssWriterImpl slots MSVC called).
    EXPECT(seen.freeze_called);
    EXPECT(seen.set_id_nonzero);
    EXPECT(seen.context == VSS_CTX_BACKUP);
    EXPECT(seen.backup_type == VSS_BT_FULL);
    EXPECT(seen.components_selected);
    EXPECT(seen.path_affected);
    EXPECT(seen.session_id_nonzero);
    EXPECT(seen.failure_ex == S_OK);
    EXPECT(seen.thrower_prepare_snapshot);

    EXPECT(wait(backup->GatherWriterStatus(&async), &async) == VSS_S_ASYNC_FINISHED);
    nocrt::line("writer status after DoSnapshotSet:");
    const Status frozen = status_of(ex3, kFreezeFailerId, true);
    EXPECT(frozen.found);
    EXPECT(frozen.state == VSS_WS_FAILED_AT_FREEZE);
    EXPECT(frozen.writer == VSS_E_WRITERERROR_RETRYABLE);
    EXPECT(frozen.application == kSharingViolation);
    EXPECT(frozen.message_is(L"database locked"));
    const Status thrown = status_of(ex3, kThrowerId);
    EXPECT(thrown.found);
    EXPECT(thrown.state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
    EXPECT(thrown.writer == VSS_E_WRITERERROR_NONRETRYABLE); // C-2.5: a throw is a failed handler
    EXPECT(thrown.application == S_OK);
    const Status partial = status_of(ex3, kComponentFailerId);
    EXPECT(partial.found);
    EXPECT(partial.writer == S_OK); // a component failure alone leaves the writer's status alone
    check_component_failure(backup);
    EXPECT(backup->FreeWriterStatus() == S_OK);

    VSS_SNAPSHOT_PROP prop{};
    EXPECT(backup->GetSnapshotProperties(snapshot, &prop) == S_OK);
    EXPECT(nocrt::same(prop.m_pwszOriginalVolumeName, L"C:\\"));
    VssFreeSnapshotProperties(&prop);
    EXPECT(prop.m_pwszOriginalVolumeName == nullptr);
    BOOL present = FALSE;
    LONG capability = -1;
    EXPECT(IsVolumeSnapshotted(volume, &present, &capability) == S_OK);
    EXPECT(present == TRUE);

    EXPECT(wait(backup->BackupComplete(&async), &async) == VSS_S_ASYNC_FINISHED);
    ex3->Release();
    backup->Release();

    EXPECT(freeze_failer->Unsubscribe() == S_OK);
    delete freeze_failer; // the SDK's destructor: Uninitialize and Release on the impl
    delete component_failer;
    delete thrower;
    return 0;
}
