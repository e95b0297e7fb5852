#include "metadata/writer_components.h"

#include "com/barrier.h"
#include "com/out.h"
#include "metadata/component.h"

#include <mutex>
#include <utility>

namespace vssapi::metadata {

WriterComponents::WriterComponents(std::shared_ptr<core::ComponentStore> store,
                                   core::ComponentAccess access) noexcept
    : store_(std::move(store)), access_(access)
{
}

gsl::span<const com::InterfaceEntry> WriterComponents::interface_table() noexcept
{
    // The SDK declares no IID for IVssWriterComponentsExt (vss-facts 3.0), so
    // QueryInterface answers IUnknown only (ComObject handles it before this
    // table). The row exists to name the interface in misuse reports.
    static constexpr com::InterfaceEntry table[] = {
        {&IID_IUnknown, "IVssWriterComponentsExt", &com::interface_cast<WriterComponents, IUnknown>},
    };
    return table;
}

HRESULT STDMETHODCALLTYPE WriterComponents::GetComponentCount(UINT *pcComponents) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pcComponents == nullptr) {
        return E_INVALIDARG;
    }
    std::lock_guard<std::mutex> guard(store_->lock);
    *pcComponents = static_cast<UINT>(store_->components.size());
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WriterComponents::GetWriterInfo(VSS_ID *pidInstance, VSS_ID *pidWriter) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (pidInstance == nullptr || pidWriter == nullptr) {
        return E_INVALIDARG;
    }
    std::lock_guard<std::mutex> guard(store_->lock);
    *pidInstance = store_->writer_instance_id;
    *pidWriter = store_->writer_class_id;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE WriterComponents::GetComponent(UINT iComponent, IVssComponent **ppComponent) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppComponent)) {
        return E_INVALIDARG;
    }
    {
        std::lock_guard<std::mutex> guard(store_->lock);
        if (iComponent >= store_->components.size()) {
            return VSS_E_OBJECT_NOT_FOUND; // the SDK page: "the specified component was not found"
        }
    }
    // The Component rechecks its index on every call.
    *ppComponent = new Component(store_, iComponent, access_);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
