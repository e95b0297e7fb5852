// A requester written against the SDK's vsbackup.h only, linked against the
// shared library, that calls out of order as a buggy backup tool would:
// DoSnapshotSet before PrepareForBackup, GetWriterStatus before
// GatherWriterStatus; then in order, PrepareForBackup and DoSnapshotSet, which
// fails when VSSAPI_SCENARIO names a provider that vetoes the commit.
// check_log.py runs it with VSSAPI_LOG set and unset.
#include <vsbackup.h>

#include "support/async_result.h"

#include <cstdio>

namespace {

void print(const char *call, HRESULT hr)
{
    std::printf("%s 0x%08X\n", call, static_cast<unsigned>(hr));
}

} // namespace

int main()
{
    IVssBackupComponents *backup = nullptr;
    if (FAILED(CreateVssBackupComponents(&backup))) {
        return 3;
    }
    IVssAsync *async = nullptr;
    print("InitializeForBackup", backup->InitializeForBackup(nullptr));
    print("GatherWriterMetadata", finish(backup->GatherWriterMetadata(&async), async));
    VSS_ID set_id{};
    print("StartSnapshotSet", backup->StartSnapshotSet(&set_id));
    async = nullptr;
    print("DoSnapshotSet", backup->DoSnapshotSet(&async)); // PrepareForBackup was skipped
    VSS_ID instance{}, writer{};
    BSTR name = nullptr;
    VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
    HRESULT failure = S_OK;
    print("GetWriterStatus",
          backup->GetWriterStatus(0, &instance, &writer, &name, &state, &failure)); // no GatherWriterStatus
    print("PrepareForBackup", finish(backup->PrepareForBackup(&async), async));
    print("DoSnapshotSet", finish(backup->DoSnapshotSet(&async), async));
    std::fflush(stdout);
    backup->Release();
    return 0;
}
