// GUID helpers: fresh random ids (session, snapshot, instance ids) and the
// canonical text form used in logs, tests and examples.
#pragma once

#include <vssapi/platform.h>

#include <string>

namespace vssapi::com {

// A random (version 4, RFC 4122 variant) GUID.
GUID new_guid();

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase, no braces.
std::string format_guid(const GUID &id);

} // namespace vssapi::com
