#include "platform/random.h"

#include <cerrno>
#include <cstdint>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
#include <bcrypt.h>
#elif defined(__linux__)
#include <sys/random.h>
#else
#include <random>
#endif

namespace vssapi::platform {

void random_bytes(void *buffer, std::size_t size)
{
#ifdef _WIN32
    // The system-preferred generator, as CoCreateGuid uses.
    if (BCryptGenRandom(nullptr, static_cast<PUCHAR>(buffer), static_cast<ULONG>(size), BCRYPT_USE_SYSTEM_PREFERRED_RNG) !=
        0) {
        throw std::system_error(std::make_error_code(std::errc::io_error), "BCryptGenRandom failed");
    }
#elif defined(__linux__)
    auto *bytes = static_cast<unsigned char *>(buffer);
    while (size > 0) {
        const ssize_t got = getrandom(bytes, size, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "getrandom failed");
        }
        bytes += got;
        size -= static_cast<std::size_t>(got);
    }
#else
    std::random_device device; // the OS's source where the library has one
    auto *bytes = static_cast<unsigned char *>(buffer);
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<unsigned char>(device());
    }
#endif
}

} // namespace vssapi::platform
