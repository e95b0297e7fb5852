// For test programs written against the SDK's vsbackup.h: waits for a step's
// IVssAsync and returns its QueryStatus answer (or the call's own failure).
#pragma once

#include <vsbackup.h>

inline HRESULT finish(HRESULT started, IVssAsync *&async) // by reference: read after the call filled it
{
    if (FAILED(started)) {
        return started;
    }
    async->Wait(INFINITE);
    HRESULT status = E_FAIL;
    async->QueryStatus(&status, nullptr);
    async->Release();
    return status;
}
