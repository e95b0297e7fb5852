#include "core/dispatcher.h"

#include "core/threads.h"

#include <gsl/gsl>

namespace vssapi::core {

namespace testing {
std::atomic<int> failing_thread_starts{0};
} // namespace testing

Dispatcher::Dispatcher(unsigned workers, std::shared_ptr<Clock> clock) : clock_(std::move(clock))
{
    Expects(workers > 0);
    try {
        workers_.reserve(workers);
        for (unsigned i = 0; i < workers; ++i) {
            workers_.push_back(start_thread([this] { run_worker(); }));
        }
    } catch (...) {
        stop(); // no destructor runs for a constructor that throws: join what started
        throw;
    }
}

Dispatcher::~Dispatcher()
{
    stop();
}

void Dispatcher::stop() noexcept
{
    {
        const std::lock_guard<std::mutex> hold(lock_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto &worker : workers_) {
        if (worker.joinable()) {
            worker.join();
        }
    }
}

std::shared_ptr<Dispatcher::Strand> Dispatcher::make_strand()
{
    return std::make_shared<Strand>();
}

void Dispatcher::post(const std::shared_ptr<Strand> &strand, std::function<void()> task)
{
    bool must_schedule = false;
    {
        const std::lock_guard<std::mutex> hold(strand->lock_);
        strand->tasks_.push_back(std::move(task));
        if (!strand->scheduled_) {
            strand->scheduled_ = true;
            strand->head_work_ = begin_work();
            must_schedule = true;
        }
    }
    if (must_schedule) {
        schedule(strand);
    }
}

void Dispatcher::post_all(std::vector<Posting> postings)
{
    std::vector<std::shared_ptr<Strand>> to_schedule;
    to_schedule.reserve(postings.size());
    for (auto &[strand, task] : postings) {
        const std::lock_guard<std::mutex> hold(strand->lock_);
        strand->tasks_.push_back(std::move(task));
        if (!strand->scheduled_) {
            strand->scheduled_ = true;
            strand->head_work_ = begin_work();
            to_schedule.push_back(std::move(strand));
        }
    }
    if (to_schedule.empty()) {
        return;
    }
    {
        const std::lock_guard<std::mutex> hold(lock_);
        for (auto &strand : to_schedule) {
            ready_.push_back(std::move(strand));
        }
        replenish(hold);
    }
    if (to_schedule.size() == 1) {
        wake_.notify_one();
    } else {
        wake_.notify_all();
    }
}

void Dispatcher::schedule(std::shared_ptr<Strand> strand)
{
    {
        const std::lock_guard<std::mutex> hold(lock_);
        ready_.push_back(std::move(strand));
        replenish(hold);
    }
    wake_.notify_one();
}

void Dispatcher::add_worker() noexcept
{
    const std::lock_guard<std::mutex> hold(lock_);
    ++wanted_;
    replenish(hold);
}

// Starts the workers that could not be started before (no thread or no
// memory then): a hung handler's replacement must come once the process can
// start it, or the others would be starved for good.
void Dispatcher::replenish(const std::lock_guard<std::mutex> &) noexcept
{
    while (wanted_ > 0) {
        try {
            workers_.reserve(workers_.size() + 1);
            workers_.push_back(start_thread([this] { run_worker(); }));
            --wanted_;
        } catch (...) {
            return; // tried again at the next schedule
        }
    }
}

std::size_t Dispatcher::worker_count() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return workers_.size();
}

void Dispatcher::run_worker()
{
    std::shared_ptr<Strand> kept; // a strand this thread could not queue again
    while (true) {
        std::shared_ptr<Strand> strand = std::move(kept);
        if (!strand) {
            std::unique_lock<std::mutex> hold(lock_);
            wake_.wait(hold, [this] { return stopping_ || !ready_.empty(); });
            if (ready_.empty()) {
                return; // stopping, nothing left
            }
            strand = std::move(ready_.front());
            ready_.pop_front();
        }
        std::function<void()> task;
        WorkToken work;
        {
            const std::lock_guard<std::mutex> hold(strand->lock_);
            task = std::move(strand->tasks_.front());
            strand->tasks_.pop_front();
            work = std::move(strand->head_work_);
        }
        {
            const Clock::WorkScope doing(work);
            task(); // tasks catch their own exceptions (the handler adapter does)
        }
        bool more = false;
        {
            const std::lock_guard<std::mutex> hold(strand->lock_);
            more = !strand->tasks_.empty();
            strand->scheduled_ = more;
            if (more) {
                strand->head_work_ = begin_work(); // before `work` ends: time must not slip in between
            }
        }
        work.reset();
        if (more) {
            try {
                schedule(strand); // back of the line: fairness between writers
            } catch (...) {
                kept = std::move(strand); // no memory to queue it: run its next task here
            }
        }
    }
}

} // namespace vssapi::core
