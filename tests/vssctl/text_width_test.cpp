// vssctl's table columns (src/vssctl/text_width.cpp): how many terminal
// columns UTF-8 text takes, as a terminal's wcwidth() counts them.
#include "vssctl/text_width.h"

#include <doctest/doctest.h>

#include <string>

using vssctl::code_point_width;
using vssctl::display_width;
using vssctl::pad_to_width;

TEST_CASE("ASCII and Latin text take a column a character")
{
    CHECK(display_width("") == 0);
    CHECK(display_width("Mail Writer") == 11);
    CHECK(display_width("Caf\xC3\xA9") == 4); // precomposed U+00E9: two bytes, one column
    CHECK(display_width("\xC2\xAD") == 1);    // SOFT HYPHEN shows
}

TEST_CASE("CJK, Hangul, fullwidth forms and emoji take two columns")
{
    CHECK(display_width("\xE6\x95\xB0\xE6\x8D\xAE\xE5\xBA\x93 Writer") == 13); // 数据库 Writer: 16 bytes, 10 code points
    CHECK(display_width("\xED\x95\x9C") == 2);                                 // 한, a Hangul syllable
    CHECK(display_width("\xEF\xBC\xB4") == 2);                                 // Ｔ FULLWIDTH LATIN CAPITAL T
    CHECK(display_width("\xF0\x9F\x98\x80") == 2);                             // U+1F600, four bytes
    CHECK(code_point_width(0x20000) == 2);                                     // CJK Extension B
    CHECK(code_point_width(0xFF61) == 1);                                      // HALFWIDTH IDEOGRAPHIC FULL STOP
}

TEST_CASE("combining marks, joiners and controls take none")
{
    CHECK(display_width("Cafe\xCC\x81") == 4);   // e + U+0301 COMBINING ACUTE ACCENT
    CHECK(display_width("a\xE2\x80\x8B" "b") == 2); // U+200B ZERO WIDTH SPACE
    CHECK(display_width("\xE2\x80\x8D") == 0);   // U+200D ZERO WIDTH JOINER
    CHECK(display_width("\xE2\x83\x9D") == 0);   // U+20DD COMBINING ENCLOSING CIRCLE (Me)
    CHECK(display_width("\x1B") == 0);
    CHECK(code_point_width(0x1160) == 0); // Hangul medial vowel filler
    CHECK(code_point_width(0x0041) == 1);
}

TEST_CASE("a byte that starts no well-formed sequence counts one column")
{
    CHECK(display_width("\xFF") == 1);
    CHECK(display_width("a\xE6\x95") == 3);         // a sequence cut short: two stray bytes, one each
    CHECK(display_width("\xC0\xAF") == 2);          // overlong '/'
    CHECK(display_width("\xED\xA0\x80") == 3);      // a UTF-16 surrogate written as UTF-8
    CHECK(display_width("\xF4\x90\x80\x80") == 4);  // past U+10FFFF
}

TEST_CASE("padding fills to a display width and always leaves a space")
{
    CHECK(pad_to_width("Mail", 8) == "Mail    ");
    CHECK(pad_to_width("\xE6\x95\xB0\xE6\x8D\xAE", 8) == "\xE6\x95\xB0\xE6\x8D\xAE    "); // 4 columns + 4 spaces
    CHECK(pad_to_width("Cafe\xCC\x81", 6) == "Cafe\xCC\x81  ");
    CHECK(pad_to_width("Writer", 6) == "Writer ");
    CHECK(pad_to_width("Writers", 6) == "Writers ");
}
