#include "com/guid.h"

#include <array>
#include <cstdio>
#include <mutex>
#include <random>

namespace vssapi::com {

GUID new_guid()
{
    // One generator for the process, seeded once from the OS.
    static std::mutex lock;
    static std::mt19937_64 generator{std::random_device{}()};
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    {
        const std::lock_guard<std::mutex> hold(lock);
        high = generator();
        low = generator();
    }
    GUID id{};
    id.Data1 = static_cast<std::uint32_t>(high >> 32);
    id.Data2 = static_cast<std::uint16_t>(high >> 16);
    id.Data3 = static_cast<std::uint16_t>((high & 0x0FFF) | 0x4000); // version 4
    for (int i = 0; i < 8; ++i) {
        id.Data4[i] = static_cast<std::uint8_t>(low >> (8 * (7 - i)));
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

} // namespace vssapi::com
