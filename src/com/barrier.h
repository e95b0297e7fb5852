// The exception barrier (contract C-6.1). Every exported function and every
// vtable method is declared noexcept and written as a function-try-block:
//
//     HRESULT STDMETHODCALLTYPE Foo() noexcept override
//     try {
//         ...
//     }
//     VSSAPI_CATCH_RETURN()
//
// std::bad_alloc becomes E_OUTOFMEMORY, HResultError its own code, anything
// else (including throws of non-std types) E_UNEXPECTED.
#pragma once

#include <vssapi/platform.h>

namespace vssapi::com {

// Maps the exception being handled to an HRESULT; call only inside a catch.
HRESULT hresult_from_current_exception() noexcept;

} // namespace vssapi::com

#define VSSAPI_CATCH_RETURN() \
    catch (...) { return ::vssapi::com::hresult_from_current_exception(); }

// For the few SDK methods that return a value instead of an HRESULT.
#define VSSAPI_CATCH_RETURN_VALUE(value) \
    catch (...) { return (value); }
