#include "requester/async.h"

#include "com/barrier.h"

namespace vssapi::requester {

gsl::span<const com::InterfaceEntry> Async::interface_table() noexcept
{
    static constexpr com::InterfaceEntry table[] = {
        {&IID_IVssAsync, "IVssAsync", &com::interface_cast<Async, IVssAsync>},
    };
    return table;
}

HRESULT STDMETHODCALLTYPE Async::Cancel() noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return operation_->cancel();
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Async::Wait(DWORD dwMilliseconds) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return operation_->wait(dwMilliseconds);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Async::QueryStatus(HRESULT *pHrResult, INT * /*pReserved: the SDK says pass NULL*/) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pHrResult == nullptr) {
        return E_INVALIDARG;
    }
    *pHrResult = operation_->status();
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::requester
