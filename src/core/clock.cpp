#include "core/clock.h"

#include <thread>

namespace vssapi::core {

void Clock::sleep_for(Duration span)
{
    std::mutex lock;
    std::condition_variable never;
    std::unique_lock<std::mutex> hold(lock);
    wait_until(hold, never, now() + span, [] { return false; });
}

TimePoint RealClock::now() const
{
    return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

bool RealClock::wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                           TimePoint deadline, const std::function<bool()> &done)
{
    if (deadline == TimePoint::max()) {
        cv.wait(lock, done); // INFINITE: converting max() to nanoseconds would overflow
        return true;
    }
    return cv.wait_until(lock, deadline, done);
}

TimePoint VirtualClock::now() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return now_;
}

bool VirtualClock::wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                              TimePoint deadline, const std::function<bool()> &done)
{
    {
        const std::lock_guard<std::mutex> hold(lock_);
        ++waiters_;
    }
    bool result = false;
    while (true) {
        if (done()) {
            result = true;
            break;
        }
        if (now() >= deadline) {
            break;
        }
        cv.wait_for(lock, std::chrono::milliseconds(1));
    }
    const std::lock_guard<std::mutex> hold(lock_);
    --waiters_;
    return result;
}

void VirtualClock::advance(Duration span)
{
    const std::lock_guard<std::mutex> hold(lock_);
    now_ += span;
}

int VirtualClock::waiters() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return waiters_;
}

std::shared_ptr<Clock> make_real_clock()
{
    return std::make_shared<RealClock>();
}

} // namespace vssapi::core
