// Where the library starts its threads (the dispatcher's workers, each
// asynchronous operation): one place, so that a test can make thread creation
// fail the way pthread_create/CreateThread does when a process has no more
// (tests/faults). A failed start throws std::system_error, which the COM and
// flat API barriers turn into E_OUTOFMEMORY.
#pragma once

#include <atomic>
#include <system_error>
#include <thread>
#include <utility>

namespace vssapi::core {

namespace testing {
// While above zero, each thread start fails and counts it down.
extern std::atomic<int> failing_thread_starts;
} // namespace testing

template <class Function>
std::thread start_thread(Function &&function)
{
    int failing = testing::failing_thread_starts.load(std::memory_order_relaxed);
    while (failing > 0) {
        if (testing::failing_thread_starts.compare_exchange_weak(failing, failing - 1)) {
            throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                                    "thread creation failed (injected by a test)");
        }
    }
    return std::thread(std::forward<Function>(function));
}

} // namespace vssapi::core
