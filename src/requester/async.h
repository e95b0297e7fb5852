// IVssAsync over one core::Operation (contract C-4.2).
#pragma once

#include "com/object.h"
#include "core/operation.h"

#include <vss.h>

#include <memory>

namespace vssapi::requester {

class Async final : public com::ComObject<Async, IVssAsync> {
public:
    explicit Async(std::shared_ptr<core::Operation> operation) noexcept : operation_(std::move(operation)) {}

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;

    HRESULT STDMETHODCALLTYPE Cancel() noexcept override;
    HRESULT STDMETHODCALLTYPE Wait(DWORD dwMilliseconds) noexcept override;
    HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT *pHrResult, INT *pReserved) noexcept override;

private:
    const std::shared_ptr<core::Operation> operation_;
};

} // namespace vssapi::requester
