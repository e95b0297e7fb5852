#include "core/dispatcher.h"

#include <gsl/gsl>

namespace vssapi::core {

Dispatcher::Dispatcher(unsigned workers, std::shared_ptr<Clock> clock) : clock_(std::move(clock))
{
    Expects(workers > 0);
    for (unsigned i = 0; i < workers; ++i) {
        add_worker();
    }
}

Dispatcher::~Dispatcher()
{
    {
        const std::lock_guard<std::mutex> hold(lock_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto &worker : workers_) {
        worker.join();
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
    }
    wake_.notify_one();
}

void Dispatcher::add_worker()
{
    const std::lock_guard<std::mutex> hold(lock_);
    workers_.emplace_back([this] { run_worker(); });
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
            schedule(std::move(strand)); // back of the line: fairness between writers
        }
    }
}

} // namespace vssapi::core
