// GUID helpers: fresh random ids (session, snapshot, instance ids) and the
// canonical text form used in logs, tests and examples, and reading it back.
#pragma once

#include <vssapi/platform.h>

#include <optional>
#include <string>
#include <string_view>

namespace vssapi::com {

// A random (version 4, RFC 4122 variant) GUID.
GUID new_guid();

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase, no braces.
std::string format_guid(const GUID &id);

// The inverse: that form in either case, with or without braces; none otherwise.
std::optional<GUID> parse_guid(std::string_view text);

} // namespace vssapi::com
