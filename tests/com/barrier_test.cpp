// The exception barrier (C-6.1): what each kind of throw becomes.
#include "com/barrier.h"
#include "com/hresult.h"

#include <doctest/doctest.h>
#include <gsl/gsl>

#include <cstdint>
#include <new>
#include <stdexcept>

namespace {

template <class Throw>
HRESULT guarded(Throw do_throw) noexcept
try {
    do_throw();
    return S_OK;
}
VSSAPI_CATCH_RETURN()

ULONG guarded_count(bool fail) noexcept
try {
    if (fail) {
        throw std::runtime_error("boom");
    }
    return 7;
}
VSSAPI_CATCH_RETURN_VALUE(0)

} // namespace

TEST_SUITE("com") {

TEST_CASE("C-6.1 the exception barrier maps every throw to an HRESULT")
{
    CHECK(guarded([] {}) == S_OK);
    CHECK(guarded([] { throw std::bad_alloc(); }) == E_OUTOFMEMORY);
    CHECK(guarded([] { throw std::bad_array_new_length(); }) == E_OUTOFMEMORY);
    CHECK(guarded([] { throw std::runtime_error("x"); }) == E_UNEXPECTED);
    CHECK(guarded([] { throw std::logic_error("x"); }) == E_UNEXPECTED);
    CHECK(guarded([] { throw 42; }) == E_UNEXPECTED);
    CHECK(guarded([] { throw "a C string"; }) == E_UNEXPECTED);
    CHECK(guarded([] { (void)gsl::narrow<std::uint8_t>(300); }) == E_UNEXPECTED);
    CHECK(guarded([] { vssapi::com::throw_hresult(E_INVALIDARG); }) == E_INVALIDARG);
    CHECK(guarded([] { vssapi::com::throw_if_failed(E_ACCESSDENIED); }) == E_ACCESSDENIED);
    CHECK(guarded([] { vssapi::com::throw_if_failed(S_FALSE); }) == S_OK);
}

TEST_CASE("C-6.1 value-returning methods fall back to their default on a throw")
{
    CHECK(guarded_count(false) == 7);
    CHECK(guarded_count(true) == 0);
}

} // TEST_SUITE
