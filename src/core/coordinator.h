// The embedded VSS service: one per process by default, more for isolated
// tests. It owns the writer registry, the handler pool, the clock, the
// snapshot provider and store, and the rules that span sessions: one snapshot
// set in creation at a time (C-4.6) and each writer's session limit (C-4.7).
// The per-session sequence lives in core/session.h.
#pragma once

#include "core/clock.h"
#include "core/dispatcher.h"
#include "core/snapshot_provider.h"
#include "core/trace.h"
#include "core/writer.h"

#include <memory>
#include <mutex>
#include <vector>

namespace vssapi::core {

struct CoordinatorOptions {
    unsigned workers = 0;                      // 0: two per core, at least 4
    Duration event_timeout = std::chrono::seconds(600); // C-4.4
    Duration commit_window = std::chrono::seconds(10);  // C-5.2 flush-and-hold
    unsigned session_limit = 64;                        // C-4.7
    std::shared_ptr<Clock> clock;                       // null: the real clock
    std::shared_ptr<SnapshotProvider> provider;         // the default; null: InMemoryProvider
    std::vector<std::shared_ptr<SnapshotProvider>> more_providers; // chosen by id (C-5.5)
    TraceSink trace;                                    // null: no trace
};

class Coordinator : public std::enable_shared_from_this<Coordinator> {
public:
    static std::shared_ptr<Coordinator> create(CoordinatorOptions options = {});

    // The process's coordinator, made at first use. Writers and requesters
    // bind to the one that is current when they are created.
    static std::shared_ptr<Coordinator> current();
    // Makes `replacement` current (null: back to the process default) and
    // returns the previous one. Tests use it to isolate each case.
    static std::shared_ptr<Coordinator> set_current(std::shared_ptr<Coordinator> replacement);
    // How the process default is made at its first use (default: create()).
    // A layer above the core sets it before then (VSSAPI_SCENARIO).
    using DefaultFactory = std::shared_ptr<Coordinator> (*)();
    static void set_default_factory(DefaultFactory factory) noexcept;

    ~Coordinator();
    Coordinator(const Coordinator &) = delete;
    Coordinator &operator=(const Coordinator &) = delete;

    std::shared_ptr<Writer> make_writer(WriterIdentity identity, WriterHandlers *handlers);
    HRESULT subscribe(const std::shared_ptr<Writer> &writer);
    void unsubscribe(const Writer &writer);
    std::vector<std::shared_ptr<Writer>> subscribed_writers() const;

    // C-4.7: takes one of the writer's session slots, if it has one left.
    bool acquire_session(Writer &writer);
    void release_session(Writer &writer);

    // C-4.6: at most one snapshot set between StartSnapshotSet and the end
    // of its DoSnapshotSet.
    bool begin_snapshot_set(const GUID &snapshot_set_id);
    void end_snapshot_set(const GUID &snapshot_set_id);

    // Runs `batch`; replaces the pool threads that hung handlers keep (C-4.4).
    void run(CallBatch &batch, Duration timeout);

    const CoordinatorOptions &options() const noexcept { return options_; }
    const std::shared_ptr<Clock> &clock() const noexcept { return options_.clock; }
    Dispatcher &dispatcher() noexcept { return dispatcher_; }
    // The default provider: the one AddToSnapshotSet(GUID_NULL) uses.
    std::shared_ptr<SnapshotProvider> provider() const;
    // Makes `provider` the default, replacing a provider of the same id (a
    // scenario's provider behaviour wraps the one it scripts).
    void set_provider(std::shared_ptr<SnapshotProvider> provider);
    // Providers are chosen by id, never by a silent fallback (C-5.5).
    std::vector<std::shared_ptr<SnapshotProvider>> providers() const; // the default first
    // GUID_NULL, and Microsoft's software provider id when no provider has it
    // (VSSAPI_PROVIDER made another the default): the default. Null: none.
    std::shared_ptr<SnapshotProvider> find_provider(const GUID &id) const;
    HRESULT register_provider(std::shared_ptr<SnapshotProvider> provider);
    HRESULT unregister_provider(const GUID &id);
    // Hands removed snapshot records back to the providers that made them.
    void discard(const std::vector<SnapshotRecord> &records) noexcept;
    SnapshotStore &snapshots() noexcept { return snapshots_; }

private:
    explicit Coordinator(CoordinatorOptions options);

    const CoordinatorOptions options_;
    Dispatcher dispatcher_;
    SnapshotStore snapshots_;
    mutable std::mutex lock_;
    std::shared_ptr<SnapshotProvider> provider_;
    std::vector<std::shared_ptr<SnapshotProvider>> providers_; // the default among them
    std::vector<std::shared_ptr<Writer>> writers_;
    GUID set_in_creation_{};
    bool set_in_progress_ = false;
};

} // namespace vssapi::core
