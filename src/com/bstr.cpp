#include "com/bstr.h"

#include <gsl/gsl>

#include <limits>
#include <new>

namespace vssapi::com {

static_assert(sizeof(OLECHAR) == sizeof(char16_t), "BSTR units are UTF-16");

BSTR make_bstr(std::u16string_view text)
{
    if (text.size() > std::numeric_limits<UINT>::max() / sizeof(OLECHAR)) {
        throw std::bad_alloc();
    }
    // Windows' OLECHAR is wchar_t (16-bit there); the bits are the same.
    const auto *units = reinterpret_cast<const OLECHAR *>(text.data());
    BSTR result = SysAllocStringLen(units, gsl::narrow_cast<UINT>(text.size()));
    if (result == nullptr) {
        throw std::bad_alloc();
    }
    return result;
}

std::u16string_view bstr_view(BSTR value) noexcept
{
    if (value == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char16_t *>(value), SysStringLen(value)};
}

std::u16string_view wide_view(const WCHAR *text) noexcept
{
    if (text == nullptr) {
        return {};
    }
    return std::u16string_view(reinterpret_cast<const char16_t *>(text));
}

} // namespace vssapi::com
