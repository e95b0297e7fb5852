// IVssAsync over one core::Operation (contract C-4.2).
#pragma once

#include "com/object.h"
#include "core/operation.h"

#include <vss.h>

#include <memory>

namespace vssapi::requester {

class Async final : public com::ComObject<Async, IVssAsync> {
public:
    // Made before its step starts (a step must not start if the object that
    // reports it cannot be made), then given the step's operation.
    Async() noexcept = default;
    void attach(std::shared_ptr<core::Operation> operation) noexcept { operation_ = std::move(operation); }

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE Cancel() noexcept override;
    HRESULT STDMETHODCALLTYPE Wait(DWORD dwMilliseconds) noexcept override;
    HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT *pHrResult, INT *pReserved) noexcept override;

private:
    std::shared_ptr<core::Operation> operation_;
};

} // namespace vssapi::requester
