// The background work behind one IVssAsync (contract C-4.2): a job on its own
// thread, its status, a cancel request, and waits that go through the clock.
// The session that started it joins the thread before it goes away.
#pragma once

#include "core/clock.h"

#include <vss.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace vssapi::core {

class Operation {
public:
    // The job returns S_OK, VSS_S_ASYNC_CANCELLED or a failure code.
    using Job = std::function<HRESULT(Operation &)>;

    static std::shared_ptr<Operation> start(std::shared_ptr<Clock> clock, Job job);
    ~Operation();
    Operation(const Operation &) = delete;
    Operation &operator=(const Operation &) = delete;

    // IVssAsync::Wait: S_OK once finished or when `milliseconds` ran out.
    HRESULT wait(DWORD milliseconds);
    // IVssAsync::QueryStatus: VSS_S_ASYNC_PENDING, _FINISHED, _CANCELLED or the failure.
    HRESULT status() const;
    // IVssAsync::Cancel, as the SDK page says.
    HRESULT cancel();
    bool cancel_requested() const noexcept { return cancel_requested_.load(); }

    // Blocks until the job ended; from the owner's thread only.
    void join();

private:
    explicit Operation(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}

    std::shared_ptr<Clock> clock_;
    mutable std::mutex lock_;
    std::condition_variable finished_cv_;
    bool finished_ = false;
    HRESULT result_ = VSS_S_ASYNC_PENDING;
    std::atomic<bool> cancel_requested_{false};
    std::thread thread_;
};

} // namespace vssapi::core
