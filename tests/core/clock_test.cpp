#include "core/clock.h"
#include "core/operation.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

using namespace vssapi::core;
using namespace std::chrono_literals;

TEST_CASE("C-4.5 a virtual clock's deadline passes only when the test advances it")
{
    VirtualClock clock;
    std::mutex lock;
    std::condition_variable cv;
    std::atomic<bool> timed_out{false};
    std::thread waiter([&] {
        std::unique_lock<std::mutex> hold(lock);
        timed_out = !clock.wait_until(hold, cv, clock.now() + 60s, [] { return false; });
    });
    while (clock.waiters() == 0) {
        std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(20ms);
    CHECK_FALSE(timed_out.load());
    CHECK(clock.waiters() == 1);
    clock.advance(60s);
    waiter.join();
    CHECK(timed_out.load());
    CHECK(clock.waiters() == 0);
}

TEST_CASE("C-4.5 the real clock waits for a condition and for INFINITE without overflow")
{
    RealClock clock;
    std::mutex lock;
    std::condition_variable cv;
    std::unique_lock<std::mutex> hold(lock);
    CHECK_FALSE(clock.wait_until(hold, cv, clock.now() + 5ms, [] { return false; }));
    CHECK(clock.wait_until(hold, cv, TimePoint::max(), [] { return true; }));
}

TEST_CASE("C-4.2 operation: status while pending, result when done, Cancel's answers")
{
    auto clock = std::make_shared<RealClock>();
    std::atomic<bool> go{false};
    auto operation = Operation::start(clock, [&](Operation &self) {
        while (!go.load()) {
            std::this_thread::sleep_for(1ms);
        }
        return self.cancel_requested() ? VSS_S_ASYNC_CANCELLED : S_OK;
    });
    CHECK(operation->status() == VSS_S_ASYNC_PENDING);
    CHECK(operation->wait(5) == S_OK);
    CHECK(operation->status() == VSS_S_ASYNC_PENDING);
    CHECK(operation->cancel() == S_OK);
    CHECK(operation->cancel() == VSS_S_ASYNC_CANCELLED);
    go = true;
    CHECK(operation->wait(INFINITE) == S_OK);
    CHECK(operation->status() == VSS_S_ASYNC_CANCELLED);
    CHECK(operation->cancel() == VSS_S_ASYNC_CANCELLED);
    operation->join();

    auto failing = Operation::start(clock, [](Operation &) -> HRESULT { throw std::bad_alloc(); });
    failing->join();
    CHECK(failing->status() == E_OUTOFMEMORY);
    CHECK(failing->cancel() == E_OUTOFMEMORY);
}

// ---- SimulatedClock: virtual time that moves when every piece of work waits

namespace {

// Sleeps `span` on `clock` as the piece of work `work`, on its own thread.
std::thread sleeper(SimulatedClock &clock, Duration span, TimePoint &woke, WorkToken work)
{
    return std::thread([&clock, span, &woke, work = std::move(work)] {
        const Clock::WorkScope doing(work);
        clock.sleep_for(span);
        woke = clock.now();
    });
}

} // namespace

TEST_CASE("C-4.5 simulated clock: a 10-minute sleep ends at once, exactly 10 minutes later")
{
    SimulatedClock clock;
    TimePoint woke{};
    const auto real_start = std::chrono::steady_clock::now();
    sleeper(clock, 600s, woke, clock.begin_work()).join();
    CHECK(woke == TimePoint{} + 600s);
    CHECK(std::chrono::steady_clock::now() - real_start < 5s);
    CHECK(clock.busy() == 0);
}

TEST_CASE("C-4.5 simulated clock: parallel sleeps overlap, each wakes at its own time")
{
    SimulatedClock clock;
    TimePoint first{}, second{};
    // Both pieces of work exist before either sleeps: time cannot move on
    // while the second has not started waiting.
    WorkToken work_a = clock.begin_work();
    WorkToken work_b = clock.begin_work();
    std::thread a = sleeper(clock, 5s, first, std::move(work_a));
    std::thread b = sleeper(clock, 7s, second, std::move(work_b));
    a.join();
    b.join();
    CHECK(first == TimePoint{} + 5s);
    CHECK(second == TimePoint{} + 7s);
}

TEST_CASE("C-4.5 simulated clock: time stands still while some work is running")
{
    SimulatedClock clock;
    WorkToken busy = clock.begin_work(); // running, not waiting
    TimePoint woke{};
    std::thread a = sleeper(clock, 60s, woke, clock.begin_work());
    std::this_thread::sleep_for(50ms);
    CHECK(clock.now() == TimePoint{});
    busy.reset();
    a.join();
    CHECK(woke == TimePoint{} + 60s);
}

TEST_CASE("C-4.5 simulated clock: a wait that work ends in time does not move time on")
{
    SimulatedClock clock;
    std::mutex lock;
    std::condition_variable cv;
    bool flag = false;
    std::thread worker([&, work = clock.begin_work()]() mutable {
        std::this_thread::sleep_for(20ms); // real work, not on the clock
        {
            const std::lock_guard<std::mutex> hold(lock);
            flag = true;
        }
        cv.notify_all();
        work.reset(); // ends after its result is visible, as dispatcher tasks do
    });
    bool finished = false;
    {
        const WorkToken mine = clock.begin_work();
        const Clock::WorkScope doing(mine);
        std::unique_lock<std::mutex> hold(lock);
        finished = clock.wait_until(hold, cv, clock.now() + 600s, [&] { return flag; });
    }
    worker.join();
    CHECK(finished);
    CHECK(clock.now() == TimePoint{});
}

TEST_CASE("C-4.5 simulated clock: a wait nobody ends times out at its deadline")
{
    SimulatedClock clock;
    std::mutex lock;
    std::condition_variable cv;
    const WorkToken mine = clock.begin_work();
    const Clock::WorkScope doing(mine);
    std::unique_lock<std::mutex> hold(lock);
    CHECK_FALSE(clock.wait_until(hold, cv, clock.now() + 600s, [] { return false; }));
    CHECK(clock.now() == TimePoint{} + 600s);
}
