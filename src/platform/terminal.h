// Whether a stream is a terminal (vssctl shows progress only there), and a
// console that prints UTF-8 as such on Windows.
#pragma once

#include <cstdio>

namespace vssapi::platform {

bool is_terminal(std::FILE *stream) noexcept;

// Windows consoles print UTF-8 only when told; elsewhere nothing to do.
void use_utf8_console() noexcept;

} // namespace vssapi::platform
