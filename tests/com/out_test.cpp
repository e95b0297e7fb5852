// [out] parameters (com/out.h): given pointers are cleared even when another
// is NULL, and BSTRs are handed out together.
#include "com/out.h"

#include <doctest/doctest.h>

#include <string_view>

TEST_CASE("out: clear_out clears every given pointer and says whether all were given")
{
    BSTR text = reinterpret_cast<BSTR>(0x1); // garbage, as a caller's uninitialised variable
    UINT count = 7;
    CHECK(vssapi::com::clear_out(&text, &count));
    CHECK(text == nullptr);
    CHECK(count == 0);

    text = reinterpret_cast<BSTR>(0x1);
    count = 7;
    CHECK_FALSE(vssapi::com::clear_out(&text, static_cast<bool *>(nullptr), &count));
    CHECK(text == nullptr); // never a stale pointer the caller would free
    CHECK(count == 0);
}

TEST_CASE("out: give_bstrs copies every text; an optional empty one is NULL")
{
    BSTR path = nullptr, name = nullptr, lsn = reinterpret_cast<BSTR>(0x1), empty = nullptr;
    vssapi::com::give_bstrs({{&path, u"C:\\data"}, {&name, u"db"}, {&lsn, u"", true}, {&empty, u""}});
    CHECK(vssapi::com::bstr_view(path) == u"C:\\data");
    CHECK(vssapi::com::bstr_view(name) == u"db");
    CHECK(lsn == nullptr);
    REQUIRE(empty != nullptr); // a required string: "" and not NULL
    CHECK(SysStringLen(empty) == 0);
    SysFreeString(path);
    SysFreeString(name);
    SysFreeString(empty);
}
