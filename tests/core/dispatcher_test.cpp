#include "core/dispatcher.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using vssapi::core::Dispatcher;

TEST_CASE("dispatcher: tasks of one strand run one at a time and in order")
{
    Dispatcher dispatcher(4);
    auto strand = dispatcher.make_strand();
    std::atomic<int> running{0};
    std::atomic<bool> overlapped{false};
    std::vector<int> order;
    std::atomic<int> done{0};
    for (int i = 0; i < 200; ++i) {
        dispatcher.post(strand, [&, i] {
            if (running.fetch_add(1) != 0) {
                overlapped = true;
            }
            order.push_back(i); // safe only if the strand is serial
            running.fetch_sub(1);
            ++done;
        });
    }
    while (done.load() < 200) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK_FALSE(overlapped);
    for (int i = 0; i < 200; ++i) {
        REQUIRE(order[static_cast<std::size_t>(i)] == i);
    }
}

TEST_CASE("dispatcher: different strands run in parallel on a fixed number of threads")
{
    Dispatcher dispatcher(2);
    auto a = dispatcher.make_strand();
    auto b = dispatcher.make_strand();
    std::atomic<int> arrived{0};
    std::atomic<int> passed{0};
    auto meet = [&] {
        ++arrived;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (arrived.load() < 2 && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        passed += arrived.load() >= 2 ? 1 : 0;
    };
    dispatcher.post(a, meet);
    dispatcher.post(b, meet);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (passed.load() < 2 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK(passed.load() == 2);
    CHECK(dispatcher.worker_count() == 2);
}

TEST_CASE("dispatcher: a task that blocks its thread does not starve others once a worker is added")
{
    // Declared before the dispatcher: its threads read them until it is destroyed.
    std::atomic<bool> release{false};
    std::atomic<bool> other_ran{false};
    Dispatcher dispatcher(1);
    dispatcher.post(dispatcher.make_strand(), [&] {
        while (!release.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    dispatcher.add_worker();
    dispatcher.post(dispatcher.make_strand(), [&] { other_ran = true; });
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!other_ran.load() && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK(other_ran.load());
    release = true;
}
