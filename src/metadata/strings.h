// String conventions shared by the Writer Metadata Document objects.
#pragma once

#include "com/bstr.h"

#include <vssapi/platform.h>

#include <string>
#include <string_view>

namespace vssapi::metadata {

// A caller's LPCWSTR, copied; NULL reads as empty.
inline std::u16string copy_wide(LPCWSTR text)
{
    return std::u16string(com::wide_view(text));
}

// An optional field of the document (alternate location, logical path,
// caption...): absent, stored as empty, is handed out as a NULL BSTR.
inline BSTR optional_bstr(std::u16string_view text)
{
    return text.empty() ? nullptr : com::make_bstr(text);
}

} // namespace vssapi::metadata
