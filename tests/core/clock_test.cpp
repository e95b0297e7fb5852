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
