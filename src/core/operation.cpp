#include "core/operation.h"

#include "com/barrier.h"
#include "core/threads.h"

namespace vssapi::core {

std::shared_ptr<Operation> Operation::start(std::shared_ptr<Clock> clock, Job job)
{
    std::shared_ptr<Operation> operation(new Operation(std::move(clock)));
    // The thread holds a plain pointer: the owning session joins it before
    // the last reference can go.
    Operation *self = operation.get();
    operation->thread_ = start_thread([self, job = std::move(job), work = operation->clock_->begin_work()] {
        const Clock::WorkScope doing(work);
        HRESULT result = E_UNEXPECTED;
        try {
            result = job(*self);
        } catch (...) {
            result = com::hresult_from_current_exception();
        }
        if (result == S_OK) {
            result = VSS_S_ASYNC_FINISHED;
        }
        {
            const std::lock_guard<std::mutex> hold(self->lock_);
            self->finished_ = true;
            self->result_ = result;
        }
        self->finished_cv_.notify_all();
    });
    return operation;
}

Operation::~Operation()
{
    if (thread_.joinable()) {
        thread_.detach(); // only if the owner never joined; the job keeps no reference
    }
}

HRESULT Operation::wait(DWORD milliseconds)
{
    std::unique_lock<std::mutex> hold(lock_);
    const TimePoint deadline =
        milliseconds == INFINITE ? TimePoint::max() : clock_->now() + Duration(milliseconds);
    clock_->wait_until(hold, finished_cv_, deadline, [this] { return finished_; });
    return S_OK;
}

HRESULT Operation::status() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return result_;
}

HRESULT Operation::cancel()
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (finished_) {
        return result_; // FINISHED, CANCELLED, or the failure it ended with
    }
    if (cancel_requested_.exchange(true)) {
        return VSS_S_ASYNC_CANCELLED;
    }
    return S_OK;
}

void Operation::join()
{
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
        thread_.join();
    }
}

} // namespace vssapi::core
