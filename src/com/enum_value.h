// The integer a caller passed for an enum parameter. A C caller may pass any
// value; reading it through the enum type is undefined for values outside
// the enum's range (UBSan: "load of value 99"), so the bytes are copied.
#pragma once

#include <cstring>
#include <type_traits>

namespace vssapi::com {

template <class Enum>
std::underlying_type_t<Enum> enum_value(const Enum &value) noexcept
{
    static_assert(std::is_enum_v<Enum>);
    std::underlying_type_t<Enum> raw;
    std::memcpy(&raw, &value, sizeof raw);
    return raw;
}

} // namespace vssapi::com
