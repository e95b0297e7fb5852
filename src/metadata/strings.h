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

// S_FALSE with a NULL BSTR when the value was never set: the SDK pages of
// every IVssComponent string getter say so.
inline HRESULT optional_string(const std::u16string &value, bool present, BSTR *out)
{
    *out = present ? com::make_bstr(value) : nullptr;
    return present ? S_OK : S_FALSE;
}

inline HRESULT optional_string(const std::u16string &value, BSTR *out)
{
    return optional_string(value, !value.empty(), out);
}

inline bool has_wildcard(std::u16string_view text) noexcept
{
    return text.find_first_of(u"*?") != std::u16string_view::npos;
}

// GetDocument's answer on both metadata interfaces: the SDK hands out an
// MSXML IXMLDOMDocument, which this library does not have (there is no MSXML
// off Windows). E_NOINTERFACE with NULL says so; SaveAsXML gives the same
// document as text.
inline constexpr HRESULT kNoXmlDomDocument = E_NOINTERFACE;

} // namespace vssapi::metadata
