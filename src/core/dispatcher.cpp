#include "core/dispatcher.h"

#include "core/threads.h"

#include <gsl/gsl>

#include <exception>

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

// Each post either takes its task or throws having changed nothing: the work
// token and the task's place are made before the strand is marked scheduled,
// and queueing the strand cannot fail.
void Dispatcher::post(const std::shared_ptr<Strand> &strand, std::function<void()> task)
{
    WorkToken work = begin_work();
    bool must_schedule = false;
    {
        const std::lock_guard<std::mutex> hold(strand->lock_);
        strand->tasks_.push_back(std::move(task));
        if (!strand->scheduled_) {
            strand->scheduled_ = true;
            strand->head_work_ = std::move(work);
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
    std::vector<WorkToken> work;
    work.reserve(postings.size());
    for (std::size_t i = 0; i < postings.size(); ++i) {
        work.push_back(begin_work());
    }
    std::exception_ptr failure;
    for (std::size_t i = 0; i < postings.size(); ++i) {
        auto &[strand, task] = postings[i];
        const std::lock_guard<std::mutex> hold(strand->lock_);
        try {
            strand->tasks_.push_back(std::move(task));
        } catch (...) {
            failure = std::current_exception(); // the ones posted so far still run
            break;
        }
        if (!strand->scheduled_) {
            strand->scheduled_ = true;
            strand->head_work_ = std::move(work[i]);
            to_schedule.push_back(strand);
        }
    }
    if (!to_schedule.empty()) {
        {
            const std::lock_guard<std::mutex> hold(lock_);
            for (auto &strand : to_schedule) {
                push_ready(std::move(strand));
            }
            replenish(hold);
        }
        if (to_schedule.size() == 1) {
            wake_.notify_one();
        } else {
            wake_.notify_all();
        }
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

void Dispatcher::schedule(std::shared_ptr<Strand> strand) noexcept
{
    {
        const std::lock_guard<std::mutex> hold(lock_);
        push_ready(std::move(strand));
        replenish(hold);
    }
    wake_.notify_one();
}

void Dispatcher::push_ready(std::shared_ptr<Strand> strand) noexcept
{
    Strand *const last = strand.get();
    if (ready_tail_ != nullptr) {
        ready_tail_->next_ready_ = std::move(strand);
    } else {
        ready_head_ = std::move(strand);
    }
    ready_tail_ = last;
}

std::shared_ptr<Dispatcher::Strand> Dispatcher::pop_ready() noexcept
{
    std::shared_ptr<Strand> first = std::move(ready_head_);
    if (first) {
        ready_head_ = std::move(first->next_ready_);
        if (!ready_head_) {
            ready_tail_ = nullptr;
        }
    }
    return first;
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
    while (true) {
        std::shared_ptr<Strand> strand;
        {
            std::unique_lock<std::mutex> hold(lock_);
            wake_.wait(hold, [this] { return stopping_ || ready_head_ != nullptr; });
            strand = pop_ready();
            if (!strand) {
                return; // stopping, nothing left
            }
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
                // The next task's work is this one's, handed over: no time can slip in
                // between, and nothing is allocated (so nothing here can fail).
                strand->head_work_ = std::move(work);
            }
        }
        work.reset();
        if (more) {
            schedule(std::move(strand)); // back of the line: fairness between writers
        }
    }
}

} // namespace vssapi::core
