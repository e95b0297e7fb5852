#include "com/guid.h"

#include "platform/random.h"

#include <array>
#include <charconv>
#include <cstdio>

namespace vssapi::com {

GUID new_guid()
{
    // 122 random bits from the OS for every id (getrandom, BCryptGenRandom):
    // no process-wide generator whose 32-bit seed two processes could share.
    std::uint8_t bytes[16];
    platform::random_bytes(bytes, sizeof bytes);
    GUID id{};
    id.Data1 = static_cast<std::uint32_t>(bytes[0]) << 24 | static_cast<std::uint32_t>(bytes[1]) << 16 |
               static_cast<std::uint32_t>(bytes[2]) << 8 | bytes[3];
    id.Data2 = static_cast<std::uint16_t>(bytes[4] << 8 | bytes[5]);
    id.Data3 = static_cast<std::uint16_t>(((bytes[6] << 8 | bytes[7]) & 0x0FFF) | 0x4000); // version 4
    for (int i = 0; i < 8; ++i) {
        id.Data4[i] = bytes[8 + i];
    }
    id.Data4[0] = static_cast<std::uint8_t>((id.Data4[0] & 0x3F) | 0x80); // RFC 4122 variant
    return id;
}

std::string format_guid(const GUID &id)
{
    std::array<char, 37> text{};
    std::snprintf(text.data(), text.size(), "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                  static_cast<unsigned long>(id.Data1), static_cast<unsigned>(id.Data2),
                  static_cast<unsigned>(id.Data3), id.Data4[0], id.Data4[1], id.Data4[2],
                  id.Data4[3], id.Data4[4], id.Data4[5], id.Data4[6], id.Data4[7]);
    return std::string(text.data());
}

std::optional<GUID> parse_guid(std::string_view text)
{
    if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
        text = text.substr(1, 36);
    }
    if (text.size() != 36) {
        return std::nullopt;
    }
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const char c = text[i];
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex) {
            return std::nullopt;
        }
        if (!dash) {
            digits += c;
        }
    }
    const auto field = [&](std::size_t at, std::size_t count) {
        std::uint32_t value = 0;
        std::from_chars(digits.data() + at, digits.data() + at + count, value, 16);
        return value;
    };
    GUID id{};
    id.Data1 = static_cast<decltype(id.Data1)>(field(0, 8));
    id.Data2 = static_cast<decltype(id.Data2)>(field(8, 4));
    id.Data3 = static_cast<decltype(id.Data3)>(field(12, 4));
    for (std::size_t i = 0; i < 8; ++i) {
        id.Data4[i] = static_cast<unsigned char>(field(16 + 2 * i, 2));
    }
    return id;
}

} // namespace vssapi::com
