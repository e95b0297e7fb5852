// The C functions VssApi.dll exports. This folder is the only place with
// extern "C" definitions; every body sits behind the exception barrier.
#include "com/barrier.h"
#include "requester/backup_components.h"

#include <vsbackup.h>

extern "C" {

VSSAPI_EXPORT HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents **ppBackup) noexcept
try {
    if (ppBackup == nullptr) {
        return E_INVALIDARG;
    }
    *ppBackup = nullptr;
    *ppBackup = new vssapi::requester::BackupComponents;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // extern "C"
