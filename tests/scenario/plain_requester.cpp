// A requester that knows nothing of scenarios: the SDK's calls only, linked
// against the shared library. Run with VSSAPI_SCENARIO=file it must see the
// file's mock writers (tests/scenario/check_environment.py).
#include <vsbackup.h>

#include "support/async_result.h"

#include <cstdio>
#include <string>

namespace {

std::string utf8(BSTR text)
{
    std::string out;
    for (UINT i = 0; text != nullptr && i < SysStringLen(text); ++i) {
        const unsigned unit = static_cast<unsigned>(text[i]);
        out += unit < 0x80 ? static_cast<char>(unit) : '?'; // names and messages here are ASCII
    }
    return out;
}


} // namespace

int main()
{
    IVssBackupComponents *backup = nullptr;
    HRESULT hr = CreateVssBackupComponents(&backup);
    std::printf("CreateVssBackupComponents 0x%08X\n", static_cast<unsigned>(hr));
    if (FAILED(hr)) {
        return 3;
    }
    IVssAsync *async = nullptr;
    backup->InitializeForBackup(nullptr);
    backup->SetBackupState(false, false, VSS_BT_FULL, false);
    std::printf("GatherWriterMetadata 0x%08X\n", static_cast<unsigned>(finish(backup->GatherWriterMetadata(&async), async)));
    VSS_ID set_id{}, snapshot_id{};
    backup->StartSnapshotSet(&set_id);
    WCHAR volume[] = {'C', ':', '\\', 0};
    backup->AddToSnapshotSet(volume, GUID_NULL, &snapshot_id);
    std::printf("PrepareForBackup 0x%08X\n", static_cast<unsigned>(finish(backup->PrepareForBackup(&async), async)));
    std::printf("DoSnapshotSet 0x%08X\n", static_cast<unsigned>(finish(backup->DoSnapshotSet(&async), async)));
    finish(backup->GatherWriterStatus(&async), async);
    IVssBackupComponentsEx3 *backup_ex3 = nullptr;
    backup->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&backup_ex3));
    UINT count = 0;
    backup->GetWriterStatusCount(&count);
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, writer{};
        BSTR name = nullptr, message = nullptr;
        VSS_WRITER_STATE state{};
        HRESULT hr_writer = S_OK, hr_application = S_OK;
        backup_ex3->GetWriterStatusEx(i, &instance, &writer, &name, &state, &hr_writer, &hr_application, &message);
        std::printf("writer '%s' state %d hrFailureWriter 0x%08X hrApplication 0x%08X message '%s'\n",
                    utf8(name).c_str(), static_cast<int>(state), static_cast<unsigned>(hr_writer),
                    static_cast<unsigned>(hr_application), utf8(message).c_str());
        SysFreeString(name);
        SysFreeString(message);
    }
    backup->FreeWriterStatus();
    backup_ex3->Release();
    backup->Release();
    return 0;
}
