#include "com/object.h"

#include <array>
#include <mutex>

namespace vssapi::com {
namespace {

struct Quarantine {
    std::mutex lock;
    std::array<Tombstone *, kQuarantineSize> ring{};
    std::size_t next = 0;
};

Quarantine &quarantine() noexcept
{
    // Never destroyed: objects may be released from other static destructors.
    // What it still holds at exit stays reachable, so leak checkers stay quiet.
    static Quarantine *const instance = new Quarantine;
    return *instance;
}

} // namespace

Tombstone *quarantine_push(gsl::not_null<Tombstone *> released) noexcept
{
    Quarantine &q = quarantine();
    const std::lock_guard<std::mutex> hold(q.lock);
    Tombstone *evicted = q.ring[q.next];
    q.ring[q.next] = released.get();
    q.next = (q.next + 1) % q.ring.size();
    return evicted;
}

} // namespace vssapi::com
