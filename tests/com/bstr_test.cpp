// BSTR semantics (C-1.3): the same expectations hold for our functions on
// Linux and for OleAut32's under Wine, which proves ours behave like Windows.
#include "com/bstr.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace {

std::uint32_t prefix_of(BSTR value)
{
    std::uint32_t bytes = 0;
    std::memcpy(&bytes, reinterpret_cast<const unsigned char *>(value) - 4, sizeof bytes);
    return bytes;
}

} // namespace

TEST_SUITE("com") {

TEST_CASE("C-1.3 SysAllocString copies up to the NUL, with a byte-length prefix and a NUL after")
{
    BSTR value = SysAllocString(OLESTR("VSS writer"));
    REQUIRE(value != nullptr);
    CHECK(SysStringLen(value) == 10);
    CHECK(SysStringByteLen(value) == 20);
    CHECK(prefix_of(value) == 20);
    CHECK(value[10] == 0);
    CHECK(vssapi::com::bstr_view(value) == u"VSS writer");
    SysFreeString(value);
}

TEST_CASE("C-1.3 SysAllocStringLen keeps embedded NULs and characters outside the BMP")
{
    // "a", NUL, "b", U+1F4BE (a surrogate pair), "é"
    const char16_t text[] = {u'a', 0, u'b', 0xD83D, 0xDCBE, 0x00E9};
    BSTR value = SysAllocStringLen(reinterpret_cast<const OLECHAR *>(text), 6);
    REQUIRE(value != nullptr);
    CHECK(SysStringLen(value) == 6);
    CHECK(SysStringByteLen(value) == 12);
    CHECK(value[6] == 0);
    CHECK(std::memcmp(value, text, sizeof text) == 0);
    CHECK(vssapi::com::bstr_view(value).size() == 6);
    SysFreeString(value);
}

TEST_CASE("C-1.3 SysAllocStringLen with a NULL source gives a zeroed string of that length")
{
    BSTR value = SysAllocStringLen(nullptr, 3);
    REQUIRE(value != nullptr);
    CHECK(SysStringLen(value) == 3);
    CHECK(value[3] == 0);
    SysFreeString(value);
}

TEST_CASE("C-1.3 NULL is the empty BSTR")
{
    CHECK(SysAllocString(nullptr) == nullptr);
    CHECK(SysStringLen(nullptr) == 0);
    CHECK(SysStringByteLen(nullptr) == 0);
    SysFreeString(nullptr); // must be harmless
    CHECK(vssapi::com::bstr_view(nullptr).empty());
    BSTR empty = SysAllocString(OLESTR(""));
    REQUIRE(empty != nullptr); // an empty string is a real allocation, not NULL
    CHECK(SysStringLen(empty) == 0);
    CHECK(empty[0] == 0);
    SysFreeString(empty);
}

TEST_CASE("C-1.3 Bstr owns, moves and releases")
{
    vssapi::com::Bstr owner(std::u16string_view(u"x\0y", 3));
    CHECK(owner.view() == std::u16string_view(u"x\0y", 3));
    vssapi::com::Bstr moved(std::move(owner));
    CHECK(owner.get() == nullptr); // NOLINT(bugprone-use-after-move): checking the moved-from state
    CHECK(moved.view().size() == 3);
    BSTR raw = moved.release();
    CHECK(moved.get() == nullptr);
    SysFreeString(raw);
    vssapi::com::Bstr empty(std::u16string_view{});
    CHECK(empty.get() != nullptr);
    CHECK(empty.view().empty());
}

TEST_CASE("C-1.3 CoTaskMemAlloc gives writable memory that CoTaskMemFree releases")
{
    void *block = CoTaskMemAlloc(64);
    REQUIRE(block != nullptr);
    std::memset(block, 0xAB, 64);
    CoTaskMemFree(block);
    CoTaskMemFree(nullptr);
}

} // TEST_SUITE
