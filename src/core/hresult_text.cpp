#include "core/hresult_text.h"

#include <vss.h>

namespace vssapi::core {

const HresultText *find_hresult(HRESULT hr) noexcept
{
    for (const HresultText &row : hresult_table()) {
        if (row.value == hr) {
            return &row;
        }
    }
    return nullptr;
}

RetryClass retry_class(HRESULT hr) noexcept
{
    switch (hr) {
    case VSS_E_WRITERERROR_RETRYABLE:
    case VSS_E_WRITERERROR_OUTOFRESOURCES:
    case VSS_E_WRITERERROR_TIMEOUT:
    case VSS_E_FLUSH_WRITES_TIMEOUT:
    case VSS_E_HOLD_WRITES_TIMEOUT:
    case VSS_E_PROVIDER_VETO:
    case VSS_E_UNEXPECTED_PROVIDER_ERROR:
        return RetryClass::AfterWait;
    case VSS_E_SNAPSHOT_SET_IN_PROGRESS:
        return RetryClass::ShortBackOff;
    default:
        return RetryClass::No;
    }
}

} // namespace vssapi::core
