// Caller bugs the library can see but not undo (contract C-6.3): Release below
// zero, or any call on an object whose last reference is gone. Debug builds
// abort with a message naming the interface; release builds report nothing and
// the call returns a failure without touching any other object.
#pragma once

namespace vssapi::com {

using MisuseHandler = void (*)(const char *interface_name, const char *what) noexcept;

// Reports a caller bug through the current handler.
void report_misuse(const char *interface_name, const char *what) noexcept;

// Replaces the handler (tests observe misuse instead of aborting); returns the
// previous one. nullptr restores the build's default.
MisuseHandler set_misuse_handler(MisuseHandler handler) noexcept;

} // namespace vssapi::com
