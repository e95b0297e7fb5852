// The one clock every timeout of the library goes through (contract C-4.5).
// The real clock is std::chrono::steady_clock; tests install a VirtualClock so
// a 60-second freeze timeout or a 10-minute retry wait runs in milliseconds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <functional>
#include <memory>
#include <mutex>

namespace vssapi::core {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

// A unit of work that will finish or wait on the clock before simulated time
// may move on (a posted handler call, an operation's thread, vssctl's main
// thread). Real and manual clocks hand out empty tokens and ignore them.
using WorkToken = std::shared_ptr<void>;

class Clock {
public:
    virtual ~Clock() = default;

    virtual WorkToken begin_work() { return {}; }

    // While it lives, the calling thread is doing `token`'s work: its waits
    // on the clock count as that work being idle.
    class WorkScope {
    public:
        explicit WorkScope(const WorkToken &token) noexcept;
        ~WorkScope();
        WorkScope(const WorkScope &) = delete;
        WorkScope &operator=(const WorkScope &) = delete;

    private:
        const void *previous_;
    };

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

// Virtual time that moves on by itself: when every piece of work of the
// clock waits on it, time jumps to the earliest deadline. A 10-minute event
// timeout or retry wait takes no real time, and the same scenario gives the
// same times on every run (vssctl, VSSAPI_SCENARIO). Threads that carry no
// work (an application's own requester thread) may wait on it too; their
// deadlines count, their running does not hold time back.
class SimulatedClock final : public Clock {
public:
    TimePoint now() const override;
    bool wait_until(std::unique_lock<std::mutex> &lock, std::condition_variable &cv,
                    TimePoint deadline, const std::function<bool()> &done) override;
    WorkToken begin_work() override;

    int busy() const; // work not waiting now (tests)

private:
    // On the waiting thread's stack, linked in while it waits: waiting
    // allocates nothing, so it cannot fail (C-6.2).
    struct Waiter {
        TimePoint deadline;
        std::uint64_t confirmed = ~std::uint64_t(0); // generation at which it last saw itself not done
        Waiter *previous = nullptr;
        Waiter *next = nullptr;
    };
    void end_work();
    void advance_if_idle(); // with lock_ held

    mutable std::mutex lock_;
    TimePoint now_{};
    int busy_ = 0;
    // Bumped by every change that may let a waiter finish: work starting or
    // ending, a waiter coming or going, time moving. Time moves only when all
    // waiters saw themselves not done at the current generation.
    std::uint64_t generation_ = 0;
    Waiter *first_waiter_ = nullptr;
};

std::shared_ptr<Clock> make_real_clock();

} // namespace vssapi::core
