// Runs writer handlers (contract C-4.1): off the requester's thread, one
// writer's handlers strictly one after another, different writers in
// parallel, on a bounded pool of threads however many writers there are.
//
// Each writer instance owns a Strand: a serial queue drained by whichever pool
// thread is free. A handler that never returns keeps its pool thread; the
// coordinator then calls add_worker() so the others are not starved.
//
// On a clock that counts work (the simulated clock, C-4.5) a strand holds one
// work token, for the task at its head that waits for a thread; the running
// task's token is handed on to the next one before it is dropped. Tasks queued
// behind a running task count for nothing: they cannot move before it does,
// so a call queued behind a hung handler does not stop time (C-4.8).
#pragma once

#include "core/clock.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace vssapi::core {

class Dispatcher {
public:
    class Strand;

    // `clock` may be null: no work is counted.
    Dispatcher(unsigned workers, std::shared_ptr<Clock> clock = nullptr);
    ~Dispatcher();
    Dispatcher(const Dispatcher &) = delete;
    Dispatcher &operator=(const Dispatcher &) = delete;

    std::shared_ptr<Strand> make_strand();

    // Queues `task` on `strand`; tasks of one strand never overlap.
    void post(const std::shared_ptr<Strand> &strand, std::function<void()> task);

    // The same for many tasks at once: one lock of the pool and one wake-up
    // of the idle threads instead of one of each per task.
    using Posting = std::pair<std::shared_ptr<Strand>, std::function<void()>>;
    void post_all(std::vector<Posting> postings);

    // One more pool thread, to replace a thread held by a hung handler.
    void add_worker() noexcept; // started later if it cannot start now

    std::size_t worker_count() const;

private:
    void run_worker();
    void schedule(std::shared_ptr<Strand> strand) noexcept;
    void push_ready(std::shared_ptr<Strand> strand) noexcept; // under lock_
    std::shared_ptr<Strand> pop_ready() noexcept;            // under lock_
    void replenish(const std::lock_guard<std::mutex> &held) noexcept;
    void stop() noexcept;
    WorkToken begin_work() const { return clock_ ? clock_->begin_work() : WorkToken(); }

    const std::shared_ptr<Clock> clock_;
    mutable std::mutex lock_;
    std::condition_variable wake_;
    // Strands waiting for a thread, linked through Strand::next_ready_: queueing
    // one allocates nothing, so a task once accepted is never lost (C-6.2).
    std::shared_ptr<Strand> ready_head_;
    Strand *ready_tail_ = nullptr;
    std::vector<std::thread> workers_;
    unsigned wanted_ = 0; // workers asked for that could not start yet
    bool stopping_ = false;
};

class Dispatcher::Strand {
private:
    friend class Dispatcher;
    std::mutex lock_;
    std::deque<std::function<void()>> tasks_;
    WorkToken head_work_; // the head task's work while it waits for a thread
    bool scheduled_ = false;
    std::shared_ptr<Strand> next_ready_; // the dispatcher's, under its lock
};

} // namespace vssapi::core
