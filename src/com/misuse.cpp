#include "com/misuse.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace vssapi::com {
namespace {

void default_handler(const char *interface_name, const char *what) noexcept
{
#ifdef NDEBUG
    (void)interface_name;
    (void)what;
#else
    std::fprintf(stderr, "vssapi: caller bug on %s: %s\n", interface_name, what);
    std::fflush(stderr);
    std::abort();
#endif
}

std::atomic<MisuseHandler> current_handler{&default_handler};

} // namespace

void report_misuse(const char *interface_name, const char *what) noexcept
{
    current_handler.load(std::memory_order_acquire)(interface_name, what);
}

MisuseHandler set_misuse_handler(MisuseHandler handler) noexcept
{
    return current_handler.exchange(handler != nullptr ? handler : &default_handler,
                                    std::memory_order_acq_rel);
}

} // namespace vssapi::com
