// The one clock every timeout of the library goes through (contract C-4.5).
// The real clock is std::chrono::steady_clock; tests install a VirtualClock so
// a 60-second freeze timeout or a 10-minute retry wait runs in milliseconds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace vssapi::core {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
public:
    virtual ~Clock() = default;

    virtual TimePoint now() const = 0;

    // Waits on `cv` (with `lock` held) until `done()` or the clock reaches
    // `deadline`; returns done(). Every timed wait in the library uses this.
    virtual bool wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                            TimePoint deadline, const std::function<bool()> &done) = 0;

    // Sleeps until the clock has moved on by `span`.
    void sleep_for(Duration span);
};

// steady_clock, the default.
class RealClock final : public Clock {
public:
    TimePoint now() const override;
    bool wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                    TimePoint deadline, const std::function<bool()> &done) override;
};

// Time that moves only when a test says so. Waiters re-check their condition
// every millisecond of real time, so advance() needs no registry of waiters.
class VirtualClock final : public Clock {
public:
    TimePoint now() const override;
    bool wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                    TimePoint deadline, const std::function<bool()> &done) override;

    void advance(Duration span);
    // Number of threads currently blocked in wait_until/sleep_for, so a test
    // can advance only once the code under test is waiting.
    int waiters() const;

private:
    mutable std::mutex lock_;
    TimePoint now_{};
    int waiters_ = 0;
};

std::shared_ptr<Clock> make_real_clock();

} // namespace vssapi::core
