// How many terminal columns UTF-8 text takes, for vssctl's tables: a
// wcwidth() of our own, the same on every platform (Windows has none).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vssctl {

// Columns of one code point: 0 for combining marks, format characters and
// C0/C1 controls, 2 for East Asian Wide and Fullwidth characters (CJK,
// Hangul syllables, fullwidth forms, most emoji), 1 otherwise.
int code_point_width(char32_t code_point) noexcept;

// Columns of UTF-8 text: the sum over its code points. A byte that does not
// start a well-formed UTF-8 sequence counts one column (it shows as one
// replacement character).
std::size_t display_width(std::string_view utf8) noexcept;

// `text` followed by spaces up to `width` columns; at least one space when
// it is already that wide or wider, so that columns never run together.
std::string pad_to_width(const std::string &text, std::size_t width);

} // namespace vssctl
