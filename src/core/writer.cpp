#include "core/writer.h"

#include <gsl/gsl>

namespace vssapi::core {
namespace {

// The handler running on this thread, if any (C-2.3).
struct CurrentCall {
    Writer *writer = nullptr;
    PendingCall *pending = nullptr;
    CallBatch *batch = nullptr;
};
thread_local CurrentCall t_current;

} // namespace

std::size_t bounded_length(const char16_t *text, std::size_t limit) noexcept
{
    std::size_t length = 0;
    while (text[length] != 0) {
        if (length == limit) {
            return std::u16string::npos;
        }
        ++length;
    }
    return length;
}

std::shared_ptr<PendingCall> CallBatch::add(std::shared_ptr<Writer> writer, HandlerCall call)
{
    auto pending = std::make_shared<PendingCall>();
    pending->writer = std::move(writer);
    pending->call = std::move(call);
    calls_.push_back(pending);
    return pending;
}

std::size_t CallBatch::run(Dispatcher &dispatcher, Duration timeout)
{
    const TimePoint deadline = clock_->now() + timeout;
    // The tasks keep the batch alive: an abandoned call may finish much later.
    auto self = shared_from_this();
    {
        const std::lock_guard<std::mutex> hold(lock_);
        unfinished_ = calls_.size();
    }
    std::vector<Dispatcher::Posting> postings;
    postings.reserve(calls_.size());
    for (const auto &pending : calls_) {
        postings.emplace_back(pending->writer->strand(), [self, pending] { pending->writer->run(self, pending); });
    }
    dispatcher.post_all(std::move(postings));
    // Woken once, by the last call to finish (not by each: that made a batch
    // of N calls cost N wake-ups and N scans of N calls).
    std::unique_lock<std::mutex> hold(lock_);
    clock_->wait_until(hold, done_, deadline, [this] { return unfinished_ == 0; });
    std::size_t stuck = 0;
    for (const auto &pending : calls_) {
        if (!pending->finished) {
            pending->abandoned = true;
            if (pending->started) {
                pending->writer->hung_ = true; // until this call returns (C-4.8)
                ++stuck;
            }
        }
    }
    return stuck;
}

Writer::Writer(WriterIdentity identity, WriterHandlers *handlers, std::shared_ptr<Dispatcher::Strand> strand,
               std::shared_ptr<Clock> clock)
    : identity_(std::move(identity)), handlers_(handlers), strand_(std::move(strand)), clock_(std::move(clock))
{
    Expects(handlers_ != nullptr);
}

void Writer::run(const std::shared_ptr<CallBatch> &batch, const std::shared_ptr<PendingCall> &pending) noexcept
{
    {
        const std::lock_guard<std::mutex> hold(batch->lock());
        if (pending->abandoned) {
            return; // the sequence already reported it as not responding
        }
        pending->started = true;
        pending->start_time = clock_->now();
        pending->thread = std::this_thread::get_id();
    }
    bool skipped = false;
    {
        const std::lock_guard<std::mutex> hold(lock_);
        if (detached_) {
            skipped = true;
        } else {
            running_thread_ = std::this_thread::get_id();
            ++running_;
        }
    }
    HandlerResult result = HandlerResult::Threw; // a detached writer cannot answer
    if (!skipped) {
        t_current = CurrentCall{this, pending.get(), batch.get()};
        result = handlers_->handle(pending->call);
        t_current = CurrentCall{};
        const std::lock_guard<std::mutex> hold(lock_);
        running_thread_ = std::thread::id();
        --running_;
        idle_.notify_all();
    }
    bool last = false;
    {
        const std::lock_guard<std::mutex> hold(batch->lock());
        pending->finished = true;
        pending->result = result;
        pending->end_time = clock_->now();
        if (pending->abandoned) {
            hung_ = false; // the late return: later sessions may call it again
        }
        last = batch->count_finished();
    }
    if (last) {
        batch->notify();
    }
}

HRESULT Writer::report_failure(HRESULT hr_writer, HRESULT hr_application, const char16_t *message,
                               bool ex) noexcept
try {
    // C-2.1 and C-2.2: bad arguments are refused before anything is looked at.
    if (!is_accepted_writer_failure(hr_writer, ex)) {
        return E_INVALIDARG;
    }
    std::size_t length = 0;
    if (message != nullptr) {
        length = bounded_length(message, kMaxFailureMessage);
        if (length == std::u16string::npos) {
            return E_INVALIDARG;
        }
    }
    // C-2.3: inside one of this writer's handlers, on its thread, not Identify.
    const CurrentCall current = t_current;
    if (current.writer != this || current.pending->call.event == Event::Identify) {
        return VSS_E_BAD_STATE;
    }
    FailureReport report;
    report.hr_writer = hr_writer;
    report.hr_application = ex ? hr_application : S_OK; // SetWriterFailure has no application part
    if (ex && message != nullptr) {
        report.message.assign(message, length); // copied now: the caller's buffer may die (C-2.2)
    }
    const std::lock_guard<std::mutex> hold(current.batch->lock());
    current.pending->report = std::move(report); // C-2.4: the last accepted call wins
    return S_OK;
} catch (const std::bad_alloc &) {
    return E_OUTOFMEMORY;
} catch (...) {
    return E_UNEXPECTED;
}

const HandlerCall *Writer::current_call() const noexcept
{
    return t_current.writer == this ? &t_current.pending->call : nullptr;
}

void Writer::detach() noexcept
{
    set_shutting_down();
    std::unique_lock<std::mutex> hold(lock_);
    detached_ = true;
    if (running_thread_ == std::this_thread::get_id()) {
        return; // Uninitialize from inside a handler: it finishes on its own
    }
    idle_.wait(hold, [this] { return running_ == 0; });
}

bool Writer::detached() const noexcept
{
    const std::lock_guard<std::mutex> hold(lock_);
    return detached_;
}

std::shared_ptr<const WriterMetadata> Writer::last_metadata() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return last_metadata_;
}

void Writer::set_last_metadata(std::shared_ptr<const WriterMetadata> metadata)
{
    const std::lock_guard<std::mutex> hold(lock_);
    last_metadata_ = std::move(metadata);
}

} // namespace vssapi::core
