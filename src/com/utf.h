// UTF-8 <-> UTF-16 for the flat C API (contract C-6.2): the COM layer keeps
// UTF-16 exactly as given (lone surrogates included); only at the UTF-8 edge
// does anything invalid become U+FFFD, in both directions.
#pragma once

#include <string>
#include <string_view>

namespace vssapi::com {

std::u16string utf8_to_utf16(std::string_view text);
std::string utf16_to_utf8(std::u16string_view text);

// A malloc'ed, NUL-terminated UTF-8 copy (freed with free / vss_free);
// throws std::bad_alloc.
char *malloc_utf8(std::u16string_view text);

} // namespace vssapi::com
