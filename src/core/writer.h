// One subscribed writer instance as the core sees it: who it is, the handlers
// the writer layer gives it, its strand of the dispatcher, and the checks of
// SetWriterFailure(Ex) (contract C-2.1 to C-2.4).
//
// A handler runs as a HandlerCall. While it runs, the call is the thread's
// "current call": that is how SetWriterFailureEx knows it is inside a handler,
// on the handler's thread, of this writer (C-2.3).
#pragma once

#include "core/clock.h"
#include "core/dispatcher.h"
#include "core/metadata.h"
#include "core/state_machine.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vssapi::core {

// What a handler may ask about its session through the CVssWriter getters.
// Immutable once a call starts.
struct SessionView {
    GUID session_id{};
    GUID snapshot_set_id{};
    LONG context = VSS_CTX_BACKUP;
    VSS_BACKUP_TYPE backup_type = VSS_BT_FULL;
    VSS_RESTORE_TYPE restore_type = VSS_RTYPE_UNDEFINED;
    bool components_selected = false;
    bool bootable_system_state = false;
    bool partial_file_support = false;
    VSS_APPLICATION_LEVEL current_level = VSS_APP_AUTO;
    std::vector<std::u16string> volumes;
    std::vector<std::u16string> snapshot_devices; // parallel to volumes, empty before commit
    std::vector<const char16_t *> volume_array;   // GetCurrentVolumeArray, into `volumes`
};

// What the core hands a handler; the writer layer wraps it in COM objects.
struct HandlerCall {
    Event event = Event::Identify;
    WriterMetadata *metadata = nullptr;         // Identify: filled by the handler
    std::shared_ptr<ComponentStore> components; // component events; null in non-component mode
    GUID snapshot_set_id{};                     // BackupShutdown's argument
    std::shared_ptr<const SessionView> view;
};

enum class HandlerResult { True, False, Threw };

// Implemented by the writer layer: runs one user handler. Must not throw.
class WriterHandlers {
public:
    virtual HandlerResult handle(const HandlerCall &call) noexcept = 0;

protected:
    ~WriterHandlers() = default;
};

class Writer;

// One handler invocation, shared by the waiting sequence and the pool thread
// that runs it. A call whose waiter gave up (C-4.4) is `abandoned`: its late
// result and any failure it reports are ignored.
struct PendingCall {
    std::shared_ptr<Writer> writer;
    HandlerCall call;
    Duration timeout{};

    // Filled by the pool thread, read by the waiter, all under the waiter's lock.
    bool started = false;
    bool finished = false;
    bool abandoned = false;
    HandlerResult result = HandlerResult::True;
    std::optional<FailureReport> report;
    TimePoint start_time{};
    TimePoint end_time{};
    std::thread::id thread;
};

// The calls of one sequence step, waited on together.
class CallBatch : public std::enable_shared_from_this<CallBatch> {
public:
    explicit CallBatch(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}

    std::shared_ptr<PendingCall> add(std::shared_ptr<Writer> writer, HandlerCall call);
    // Posts every call and waits until each finished or `timeout` passed
    // since it was posted. Calls still running are abandoned; returns how
    // many of those had started (each holds a pool thread).
    std::size_t run(Dispatcher &dispatcher, Duration timeout);

    const std::vector<std::shared_ptr<PendingCall>> &calls() const { return calls_; }

    // Used by the pool thread and by SetWriterFailureEx.
    std::mutex &lock() { return lock_; }
    // Counts one call as finished, with lock() held; true for the batch's last.
    bool count_finished() { return unfinished_ != 0 && --unfinished_ == 0; }
    void notify() { done_.notify_all(); }

private:
    std::shared_ptr<Clock> clock_;
    std::mutex lock_;
    std::condition_variable done_;
    std::vector<std::shared_ptr<PendingCall>> calls_;
    std::size_t unfinished_ = 0; // calls not yet finished; the waiter wakes when it reaches 0
};

class Writer : public std::enable_shared_from_this<Writer> {
public:
    Writer(WriterIdentity identity, WriterHandlers *handlers, std::shared_ptr<Dispatcher::Strand> strand,
           std::shared_ptr<Clock> clock);

    const WriterIdentity &identity() const noexcept { return identity_; }
    const std::shared_ptr<Dispatcher::Strand> &strand() const noexcept { return strand_; }

    // Runs `pending` on the calling pool thread: sets the current call,
    // invokes the handler unless the writer was detached, records the outcome.
    void run(const std::shared_ptr<CallBatch> &batch, const std::shared_ptr<PendingCall> &pending) noexcept;

    // SetWriterFailure (ex = false) and SetWriterFailureEx (ex = true).
    HRESULT report_failure(HRESULT hr_writer, HRESULT hr_application, const char16_t *message,
                           bool ex) noexcept;

    // The call running on this thread for this writer, or null.
    const HandlerCall *current_call() const noexcept;

    // No more handler calls after this returns; waits for a running one
    // unless called from inside it. Safe to call more than once.
    void detach() noexcept;
    bool detached() const noexcept;

    // IsWriterShuttingDown: set when the writer unsubscribes or detaches.
    void set_shutting_down() noexcept { shutting_down_ = true; }
    bool shutting_down() const noexcept { return shutting_down_; }

    // Sessions this instance is part of right now (C-4.7), guarded by the
    // coordinator's lock.
    unsigned active_sessions = 0;

    // The metadata of the last successful Identify (GetIdentityInformation).
    std::shared_ptr<const WriterMetadata> last_metadata() const;
    void set_last_metadata(std::shared_ptr<const WriterMetadata> metadata);

    // A call of this writer outlived its event timeout and has not returned
    // yet (C-4.4): later sessions report it not responding without calling it
    // (C-4.8). Set and cleared under the abandoned call's batch lock.
    bool hung() const noexcept { return hung_.load(); }

    // Test hook: how many handler calls are running now (C-4.1 checks).
    int running_calls() const noexcept { return running_.load(); }

private:
    const WriterIdentity identity_;
    WriterHandlers *handlers_;
    const std::shared_ptr<Dispatcher::Strand> strand_;
    const std::shared_ptr<Clock> clock_;
    mutable std::mutex lock_;
    std::condition_variable idle_;
    bool detached_ = false;
    std::thread::id running_thread_;
    std::atomic<int> running_{0};
    std::atomic<bool> shutting_down_{false};
    std::atomic<bool> hung_{false};
    friend class CallBatch;
    std::shared_ptr<const WriterMetadata> last_metadata_;
};

// Length of a NUL-terminated UTF-16 string, or npos beyond `limit`.
std::size_t bounded_length(const char16_t *text, std::size_t limit) noexcept;

} // namespace vssapi::core
