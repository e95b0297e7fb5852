// [out] parameters, one way for every getter: each pointer given is cleared
// before any work, so a failed call (a NULL among them included) leaves NULL
// or zero and never a stale pointer the caller would free; a NULL one gives
// E_INVALIDARG; BSTRs are handed out only once every copy exists, so no call
// returns half a result.
#pragma once

#include "com/bstr.h"

#include <initializer_list>
#include <string_view>

namespace vssapi::com {

// Every pointer given is reset to its empty value (NULL, zero), also when
// the call then fails; E_INVALIDARG is the caller's answer when this is false.
template <class... T>
void clear_given(T *...out) noexcept
{
    ((out != nullptr ? void(*out = T{}) : void()), ...);
}

// clear_given, then: was every pointer given?
template <class... T>
[[nodiscard]] bool clear_out(T *...out) noexcept
{
    clear_given(out...);
    return ((out != nullptr) && ...);
}

struct BstrOut {
    BSTR *out;
    std::u16string_view text;
    bool null_when_empty = false; // an optional string: NULL, not ""
};

// Copies every text, then sets every pointer; a failed allocation throws
// std::bad_alloc (the barrier's E_OUTOFMEMORY) before any is set.
void give_bstrs(std::initializer_list<BstrOut> outs);

} // namespace vssapi::com
