// GUIDs as text: format_guid and parse_guid are each other's inverse, and
// parse_guid refuses anything but the 36-character form (braces allowed).
#include "com/guid.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <string_view>

TEST_CASE("guid: parse_guid reads every field, in either case, with or without braces")
{
    for (std::string_view text : {"6f5b15b5-da24-4d88-b737-63063e3a1f86", "{6F5B15B5-DA24-4D88-B737-63063E3A1F86}"}) {
        CAPTURE(text);
        const auto id = vssapi::com::parse_guid(text);
        REQUIRE(id.has_value());
        CHECK(id->Data1 == 0x6f5b15b5u);
        CHECK(id->Data2 == 0xda24u);
        CHECK(id->Data3 == 0x4d88u);
        const unsigned char data4[8] = {0xb7, 0x37, 0x63, 0x06, 0x3e, 0x3a, 0x1f, 0x86};
        CHECK(std::memcmp(id->Data4, data4, 8) == 0);
        CHECK(vssapi::com::format_guid(*id) == "6f5b15b5-da24-4d88-b737-63063e3a1f86");
    }
}

TEST_CASE("guid: parse_guid refuses what is not a GUID")
{
    for (std::string_view text : {"", "6f5b15b5da244d88b73763063e3a1f86", "{6f5b15b5-da24-4d88-b737-63063e3a1f86",
                                  "6f5b15b5-da24-4d88-b737-63063e3a1f8g", "6f5b15b5-da24-4d88-b737_63063e3a1f86",
                                  "6f5b15b5-da24-4d88-b737-63063e3a1f867", "(6f5b15b5-da24-4d88-b737-63063e3a1f86)"}) {
        CAPTURE(text);
        CHECK_FALSE(vssapi::com::parse_guid(text).has_value());
    }
}

TEST_CASE("guid: new_guid is a version 4, RFC 4122 variant GUID and round-trips as text")
{
    const GUID id = vssapi::com::new_guid();
    CHECK((id.Data3 >> 12) == 4);
    CHECK((id.Data4[0] & 0xC0) == 0x80);
    const auto back = vssapi::com::parse_guid(vssapi::com::format_guid(id));
    REQUIRE(back.has_value());
    CHECK(std::memcmp(&*back, &id, sizeof id) == 0);
}

TEST_CASE("guid: ids come from the OS's random source: 100,000 are all different and every random bit varies")
{
    std::set<std::string> seen;
    std::uint8_t ones[16] = {}, zeros[16] = {};
    for (int i = 0; i < 100000; ++i) {
        const GUID id = vssapi::com::new_guid();
        REQUIRE(seen.insert(vssapi::com::format_guid(id)).second);
        std::uint8_t bytes[16];
        std::memcpy(bytes, &id, sizeof bytes);
        for (int b = 0; b < 16; ++b) {
            ones[b] |= bytes[b];
            zeros[b] |= static_cast<std::uint8_t>(~bytes[b]);
        }
    }
    // Every bit but the 6 fixed ones (version, variant) was seen both set and clear.
    int fixed = 0;
    for (int b = 0; b < 16; ++b) {
        fixed += __builtin_popcount(static_cast<unsigned>(static_cast<std::uint8_t>(~(ones[b] & zeros[b]))));
    }
    CHECK(fixed == 6);
}
