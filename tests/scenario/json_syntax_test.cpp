// Our own reading of RFC 8259 (src/scenario/json_syntax.cpp): each broken
// document gives a literal offset and message, whatever the JSON library's
// exceptions say; documents JSON allows give no error.
#include "scenario/json_text.h"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace {

using vssapi::scenario::json_text::syntax_error;

struct Broken {
    std::string_view text;
    std::size_t offset;
    std::string_view message;
};

constexpr Broken kBroken[] = {
    {"", 0, "expected a value, found the end of the file"},
    {"{", 1, "expected a field name in double quotes, found the end of the file"},
    {"[1,]", 3, "expected a value, found ']' (JSON allows no comma after the last item)"},
    {"{\"a\":1,}", 7, "expected a field name in double quotes, found '}' (JSON allows no comma after the last item)"},
    {"{\"a\" 1}", 5, "expected ':' after the field name, found a number"},
    {"{1:2}", 1, "expected a field name in double quotes, found a number"},
    {"[1 2]", 3, "expected ',' or ']', found a number"},
    {"[1] 2", 4, "expected the end of the file, found a number"},
    {"[tru]", 1, "expected a value, found tru"},
    {"[nul]", 1, "expected a value, found nul"},
    {"[01]", 1, "a number has no leading zeros, found 01"},
    {"[-]", 2, "in a number, expected digit after '-'"},
    {"[1.]", 3, "in a number, expected digit after '.'"},
    {"[1e]", 3, "in a number, expected '+', '-', or digit after exponent"},
    {"[1e+]", 4, "in a number, expected digit after exponent sign"},
    {"[1e999]", 1, "number too large: 1e999"},
    {"[\"a\nb\"]", 3, "a line break inside a string (write it \\n; or is a closing quote missing?)"},
    {"[\"\x01\"]", 2, "in a string, control character U+0001 (SOH) must be escaped to \\u0001"},
    {"[\"\\q\"]", 3, "in a string, forbidden character after backslash"},
    {"[\"\\u12\"]", 6, "in a string, '\\u' must be followed by 4 hex digits"},
    {"[\"\\ud800\"]", 8, "in a string, surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"},
    {"[\"\\ud800\\u0041\"]", 13, "in a string, surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"},
    {"{\"a\": \"\\udc00\"}", 12, "in a string, surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF"},
    {"[\"\xff\"]", 2, "a string holds bytes that are not UTF-8 (a scenario file is UTF-8)"},
};

} // namespace

TEST_CASE("json_syntax: each broken document, where and why in words")
{
    for (const auto &broken : kBroken) {
        CAPTURE(broken.text);
        const auto error = syntax_error(broken.text, "scenario");
        REQUIRE(error.has_value());
        CHECK(error->offset == broken.offset);
        CHECK(error->message == "invalid JSON: " + std::string(broken.message));
    }
}

TEST_CASE("json_syntax: the noun names the kind of file")
{
    const auto error = syntax_error("[\"\xff\"]", "trace");
    REQUIRE(error.has_value());
    CHECK(error->message == "invalid JSON: a string holds bytes that are not UTF-8 (a trace file is UTF-8)");
}

TEST_CASE("json_syntax: what JSON allows is no error")
{
    constexpr std::string_view kGood[] = {
        "{}", "[]", "0", "-0.5e-3", "[1e-999]", "\"\\ud83d\\ude00\"", "true", " \t\r\n null \n",
        "{\"a\":[1,{\"b\":2},3],\"c\":null}", "\"\xc3\xa9\"", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
    };
    for (const auto text : kGood) {
        CAPTURE(text);
        CHECK_FALSE(syntax_error(text, "scenario").has_value());
    }
}
