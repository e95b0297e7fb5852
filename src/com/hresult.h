// The project's one exception type and the helpers that throw it. Internal
// code may throw; every exported function and vtable method catches at the
// exception barrier (barrier.h), so nothing crosses the ABI.
#pragma once

#include <vssapi/platform.h>

#include <exception>

namespace vssapi::com {

// Carries an HRESULT up to the barrier, which returns it unchanged.
class HResultError final : public std::exception {
public:
    explicit HResultError(HRESULT hr) noexcept : hr_(hr) {}
    HRESULT code() const noexcept { return hr_; }
    const char *what() const noexcept override { return "vssapi HRESULT error"; }

private:
    HRESULT hr_;
};

[[noreturn]] inline void throw_hresult(HRESULT hr) { throw HResultError(hr); }

inline void throw_if_failed(HRESULT hr)
{
    if (FAILED(hr)) {
        throw_hresult(hr);
    }
}

} // namespace vssapi::com
