// Contract C-9.3: a requester as a Windows backup tool is one, built in
// MSVC's ABI against the SDK's declarations, linking the decorated
// CreateVssBackupComponents and VssFreeSnapshotProperties. It runs a whole
// component-mode backup of whatever writers the system has (here: the mock
// writers of VSSAPI_SCENARIO) and prints what a requester learns: every
// writer's GetWriterStatusEx and every failed component's
// IVssComponentEx2::GetFailure. run_msvc.py compares that with a golden report.
#include "sdk/requester.h"

namespace {

constexpr UINT kMaxWriters = 16;

struct Known {
    VSS_ID instance;
    WCHAR name[64];
};
Known known[kMaxWriters];
UINT known_count = 0;

const WCHAR *name_of(const VSS_ID &instance)
{
    for (UINT i = 0; i < known_count; ++i) {
        if (same_guid(known[i].instance, instance)) {
            return known[i].name;
        }
    }
    return L"?";
}

void print_hr(const char *label, HRESULT hr)
{
    nocrt::write(label);
    nocrt::write_hex(static_cast<unsigned long>(hr));
}

void report_writers(IVssBackupComponentsEx3 *ex3)
{
    UINT count = 0;
    EXPECT(ex3->GetWriterStatusCount(&count) == S_OK);
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, writer{};
        BSTR name = nullptr, message = nullptr;
        VSS_WRITER_STATE state{};
        HRESULT hr_writer = S_OK, hr_application = S_OK;
        if (ex3->GetWriterStatusEx(i, &instance, &writer, &name, &state, &hr_writer, &hr_application, &message) !=
            S_OK) {
            EXPECT(false);
            continue;
        }
        if (known_count < kMaxWriters) {
            known[known_count].instance = instance;
            for (int k = 0; name != nullptr && name[k] != 0 && k < 63; ++k) {
                known[known_count].name[k] = name[k];
            }
            ++known_count;
        }
        nocrt::write(name);
        nocrt::write(": state ");
        nocrt::write_number(state);
        print_hr(", hrWriter ", hr_writer);
        print_hr(", hrApplication ", hr_application);
        nocrt::write(", message \"");
        nocrt::write(message);
        nocrt::line("\"");
        SysFreeString(name);
        SysFreeString(message);
    }
}

void report_component_failures(IVssBackupComponents *backup)
{
    UINT writers = 0;
    EXPECT(backup->GetWriterComponentsCount(&writers) == S_OK);
    for (UINT i = 0; i < writers; ++i) {
        IVssWriterComponentsExt *components = nullptr;
        if (backup->GetWriterComponents(i, &components) != S_OK) {
            EXPECT(false);
            continue;
        }
        VSS_ID instance{}, writer{};
        UINT count = 0;
        EXPECT(components->GetWriterInfo(&instance, &writer) == S_OK);
        EXPECT(components->GetComponentCount(&count) == S_OK);
        for (UINT c = 0; c < count; ++c) {
            IVssComponent *component = nullptr;
            if (components->GetComponent(c, &component) != S_OK) {
                continue;
            }
            IVssComponentEx2 *ex2 = nullptr;
            if (component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&ex2)) == S_OK) {
                HRESULT hr = S_OK, hr_application = S_OK;
                BSTR message = nullptr, path = nullptr, name = nullptr;
                DWORD reserved = 0;
                if (ex2->GetFailure(&hr, &hr_application, &message, &reserved) == S_OK && hr != S_OK) {
                    ex2->GetLogicalPath(&path);
                    ex2->GetComponentName(&name);
                    nocrt::write(name_of(instance));
                    nocrt::write(" component ");
                    if (path != nullptr && path[0] != 0) {
                        nocrt::write(path);
                        nocrt::write("\\");
                    }
                    nocrt::write(name);
                    print_hr(": hr ", hr);
                    print_hr(", hrApplication ", hr_application);
                    nocrt::write(", message \"");
                    nocrt::write(message);
                    nocrt::line("\"");
                }
                SysFreeString(message);
                SysFreeString(path);
                SysFreeString(name);
                ex2->Release();
            }
            component->Release();
        }
        components->Release();
    }
}

} // namespace

int test_main()
{
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
    const UINT writers = add_all_components(backup);
    nocrt::write("writers: ");
    nocrt::write_number(static_cast<long>(writers));
    nocrt::line("");
    VSS_ID set{}, snapshot{};
    WCHAR volume[] = L"C:\\";
    EXPECT(backup->StartSnapshotSet(&set) == S_OK);
    EXPECT(backup->AddToSnapshotSet(volume, VSS_ID{}, &snapshot) == S_OK);
    EXPECT(wait(backup->PrepareForBackup(&async), &async) == VSS_S_ASYNC_FINISHED);
    const HRESULT snapshot_status = wait(backup->DoSnapshotSet(&async), &async);
    print_hr("DoSnapshotSet: ", snapshot_status);
    nocrt::line("");
    if (snapshot_status == VSS_S_ASYNC_FINISHED) {
        VSS_SNAPSHOT_PROP prop{};
        EXPECT(backup->GetSnapshotProperties(snapshot, &prop) == S_OK);
        nocrt::write("snapshot of ");
        nocrt::write(prop.m_pwszOriginalVolumeName);
        nocrt::line("");
        VssFreeSnapshotProperties(&prop);
    }
    EXPECT(wait(backup->GatherWriterStatus(&async), &async) == VSS_S_ASYNC_FINISHED);
    report_writers(ex3);
    report_component_failures(backup);
    EXPECT(backup->FreeWriterStatus() == S_OK);
    if (snapshot_status == VSS_S_ASYNC_FINISHED) {
        EXPECT(wait(backup->BackupComplete(&async), &async) == VSS_S_ASYNC_FINISHED);
    } else {
        EXPECT(backup->AbortBackup() == S_OK);
    }
    ex3->Release();
    backup->Release();
    return 0;
}
