// Bytes from the operating system's random source, for GUIDs (session,
// snapshot and instance ids must not repeat across processes or machines).
#pragma once

#include <cstddef>

namespace vssapi::platform {

// Fills `size` bytes; throws std::system_error if the system gives none.
void random_bytes(void *buffer, std::size_t size);

} // namespace vssapi::platform
