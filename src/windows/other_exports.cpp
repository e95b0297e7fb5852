// The rest of what Windows' VssApi.dll exports beyond the requester and the
// writer classes (contract C-9.1).
#include "core/coordinator.h"
#include "core/snapshot_provider.h"

#include <vsbackup.h>

extern "C" {

// GetProviderMgmtInterface(ProviderId, InterfaceId, ppItf), as
// IVssSnapshotMgmt::GetProviderMgmtInterface: the management interfaces of
// a provider (IVssDifferentialSoftwareSnapshotMgmt for the software one
// manages its shadow-storage "diff areas"). The in-memory provider keeps no
// shadow storage, so it offers none: E_NOINTERFACE is the page's answer for
// "the provider does not support the interface".
VSSAPI_EXPORT HRESULT APIENTRY GetProviderMgmtInterfaceInternal(VSS_ID ProviderId, IID InterfaceId,
                                                               IUnknown **ppItf) noexcept
try {
    (void)InterfaceId;
    if (ppItf == nullptr) {
        return E_INVALIDARG;
    }
    *ppItf = nullptr;
    if (IsEqualGUID(ProviderId, GUID_NULL) || !vssapi::core::Coordinator::current()->find_provider(ProviderId)) {
        return VSS_E_PROVIDER_NOT_REGISTERED;
    }
    return E_NOINTERFACE;
} catch (...) {
    return E_UNEXPECTED;
}

// CreateVssSnapshotSetDescription and LoadVssSnapshotSetDescription hand out
// IVssSnapshotSetDescription, which Microsoft never published (no IID, no
// slot list, no header): no program can call what they return, so they
// refuse rather than give out an object of guessed shape.
VSSAPI_EXPORT HRESULT STDAPICALLTYPE vssapi_create_snapshot_set_description(VSS_ID idSnapshotSet, LONG lContext,
                                                                            IUnknown **ppSnapshotSet) noexcept
{
    (void)idSnapshotSet;
    (void)lContext;
    if (ppSnapshotSet != nullptr) {
        *ppSnapshotSet = nullptr;
    }
    return E_NOTIMPL;
}

VSSAPI_EXPORT HRESULT STDAPICALLTYPE vssapi_load_snapshot_set_description(LPCWSTR wszXML, IUnknown **ppSnapshotSet,
                                                                          VSS_ID idSnapshotSet) noexcept
{
    (void)wszXML;
    (void)idSnapshotSet;
    if (ppSnapshotSet != nullptr) {
        *ppSnapshotSet = nullptr;
    }
    return E_NOTIMPL;
}

} // extern "C"
