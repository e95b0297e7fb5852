#include "core/clock.h"

#include <algorithm>
#include <thread>

namespace vssapi::core {
namespace {

// The work the calling thread does (a WorkScope), if any.
thread_local const void *t_work = nullptr;

// What a SimulatedClock token points at: which clock it counts for.
struct WorkMark {
    SimulatedClock *clock;
    bool counted = false; // set once busy_ counts it
};

} // namespace

Clock::WorkScope::WorkScope(const WorkToken &token) noexcept : previous_(t_work)
{
    t_work = token.get();
}

Clock::WorkScope::~WorkScope()
{
    t_work = previous_;
}

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

TimePoint SimulatedClock::now() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return now_;
}

WorkToken SimulatedClock::begin_work()
{
    // Counted only once the token exists: a failed allocation must not leave
    // work counted that no token will end (the clock would never move again).
    // If the control block cannot be allocated, shared_ptr runs the deleter.
    auto *mark = new WorkMark{this};
    WorkToken token(mark, [](void *done) {
        auto *work = static_cast<WorkMark *>(done);
        if (work->counted) {
            work->clock->end_work();
        }
        delete work;
    });
    {
        const std::lock_guard<std::mutex> hold(lock_);
        ++busy_;
        ++generation_;
    }
    mark->counted = true;
    return token;
}

void SimulatedClock::end_work()
{
    const std::lock_guard<std::mutex> hold(lock_);
    --busy_;
    ++generation_;
}

int SimulatedClock::busy() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return busy_;
}

void SimulatedClock::advance_if_idle()
{
    if (busy_ > 0 || first_waiter_ == nullptr) {
        return;
    }
    TimePoint earliest = TimePoint::max();
    for (const Waiter *waiter = first_waiter_; waiter != nullptr; waiter = waiter->next) {
        if (waiter->confirmed != generation_) {
            return; // someone may be done already: let it look first
        }
        earliest = std::min(earliest, waiter->deadline);
    }
    if (earliest != TimePoint::max() && earliest > now_) {
        now_ = earliest;
        ++generation_;
    }
}

bool SimulatedClock::wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                                TimePoint deadline, const std::function<bool()> &done)
{
    const auto *mark = static_cast<const WorkMark *>(t_work);
    const bool carries_work = mark != nullptr && mark->clock == this;
    Waiter self{deadline};
    {
        const std::lock_guard<std::mutex> hold(lock_);
        self.next = first_waiter_;
        if (first_waiter_ != nullptr) {
            first_waiter_->previous = &self;
        }
        first_waiter_ = &self;
        busy_ -= carries_work ? 1 : 0;
        ++generation_;
    }
    bool result = false;
    while (true) {
        std::uint64_t seen = 0;
        {
            const std::lock_guard<std::mutex> hold(lock_);
            seen = generation_; // read before done(): a change after it bumps the generation
        }
        if (done()) {
            result = true;
            break;
        }
        {
            const std::lock_guard<std::mutex> hold(lock_);
            if (now_ >= deadline) {
                break;
            }
            self.confirmed = seen;
            advance_if_idle();
            if (now_ >= deadline) {
                break;
            }
        }
        cv.wait_for(lock, std::chrono::milliseconds(1));
    }
    const std::lock_guard<std::mutex> hold(lock_);
    (self.previous != nullptr ? self.previous->next : first_waiter_) = self.next;
    if (self.next != nullptr) {
        self.next->previous = self.previous;
    }
    busy_ += carries_work ? 1 : 0;
    ++generation_;
    return result;
}

std::shared_ptr<Clock> make_real_clock()
{
    return std::make_shared<RealClock>();
}

} // namespace vssapi::core
