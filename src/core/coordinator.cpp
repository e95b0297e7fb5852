#include "core/coordinator.h"

#include <gsl/gsl>

#include <algorithm>
#include <atomic>
#include <thread>

namespace vssapi::core {
namespace {

CoordinatorOptions with_defaults(CoordinatorOptions options)
{
    if (options.workers == 0) {
        options.workers = std::max(4u, 2 * std::thread::hardware_concurrency());
    }
    if (!options.clock) {
        options.clock = make_real_clock();
    }
    if (!options.provider) {
        options.provider = std::make_shared<InMemoryProvider>();
    }
    return options;
}

std::mutex g_current_lock;
std::shared_ptr<Coordinator> g_current;
std::atomic<Coordinator::DefaultFactory> g_default_factory{nullptr};

std::shared_ptr<Coordinator> &process_default()
{
    // Deliberately never destroyed: writers and requesters may outlive main()
    // through static objects, and pool threads must not be joined at exit.
    static auto *instance = new std::shared_ptr<Coordinator>([] {
        const Coordinator::DefaultFactory factory = g_default_factory.load();
        return factory != nullptr ? factory() : Coordinator::create();
    }());
    return *instance;
}

} // namespace

std::shared_ptr<Coordinator> Coordinator::create(CoordinatorOptions options)
{
    return std::shared_ptr<Coordinator>(new Coordinator(with_defaults(std::move(options))));
}

Coordinator::Coordinator(CoordinatorOptions options)
    : options_(std::move(options)), dispatcher_(options_.workers, options_.clock), provider_(options_.provider)
{
    providers_.push_back(provider_);
    for (const auto &provider : options_.more_providers) {
        if (provider && !find_provider(provider->id())) {
            providers_.push_back(provider);
        }
    }
}

std::shared_ptr<SnapshotProvider> Coordinator::provider() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return provider_;
}

void Coordinator::set_provider(std::shared_ptr<SnapshotProvider> provider)
{
    Expects(provider != nullptr);
    const std::lock_guard<std::mutex> hold(lock_);
    std::erase_if(providers_, [&](const auto &entry) { return IsEqualGUID(entry->id(), provider->id()); });
    providers_.insert(providers_.begin(), provider);
    provider_ = std::move(provider);
}

std::vector<std::shared_ptr<SnapshotProvider>> Coordinator::providers() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    std::vector<std::shared_ptr<SnapshotProvider>> listed{provider_};
    for (const auto &provider : providers_) {
        if (provider != provider_) {
            listed.push_back(provider);
        }
    }
    return listed;
}

std::shared_ptr<SnapshotProvider> Coordinator::find_provider(const GUID &id) const
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (IsEqualGUID(id, GUID_NULL)) {
        return provider_;
    }
    for (const auto &provider : providers_) {
        if (IsEqualGUID(provider->id(), id)) {
            return provider;
        }
    }
    // Programs name Microsoft's software provider by its id (restic does) to
    // mean the system's own provider: that is the configured default here.
    if (IsEqualGUID(id, kInMemoryProviderId)) {
        return provider_;
    }
    return nullptr;
}

HRESULT Coordinator::register_provider(std::shared_ptr<SnapshotProvider> provider)
{
    if (!provider || IsEqualGUID(provider->id(), GUID_NULL)) {
        return E_INVALIDARG;
    }
    const std::lock_guard<std::mutex> hold(lock_);
    for (const auto &entry : providers_) {
        if (IsEqualGUID(entry->id(), provider->id())) {
            return VSS_E_PROVIDER_ALREADY_REGISTERED;
        }
    }
    providers_.push_back(std::move(provider));
    return S_OK;
}

HRESULT Coordinator::unregister_provider(const GUID &id)
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (provider_ && IsEqualGUID(provider_->id(), id)) {
        return VSS_E_PROVIDER_IN_USE; // the default stays
    }
    const auto gone = std::erase_if(providers_, [&](const auto &entry) { return IsEqualGUID(entry->id(), id); });
    return gone == 0 ? VSS_E_PROVIDER_NOT_REGISTERED : S_OK;
}

void Coordinator::discard(const std::vector<SnapshotRecord> &records) noexcept
{
    if (records.empty()) {
        return;
    }
    // Usually all of one provider: handed over as they are, with no copy that
    // could fail for want of memory.
    const bool one_provider = std::all_of(records.begin(), records.end(), [&](const SnapshotRecord &record) {
        return IsEqualGUID(record.provider_id, records.front().provider_id);
    });
    if (one_provider) {
        if (const auto provider = find_provider(records.front().provider_id)) {
            provider->discard(records);
        }
        return;
    }
    for (const SnapshotRecord &record : records) {
        try {
            if (const auto provider = find_provider(record.provider_id)) {
                provider->discard({record});
            }
        } catch (...) {
            // no memory for the copy: the provider's own clean-up at its end stays
        }
    }
}

Coordinator::~Coordinator()
{
    try {
        discard(snapshots_.remove_all()); // a copy provider's stores go with the process's service
    } catch (...) {
    }
}

void Coordinator::set_default_factory(DefaultFactory factory) noexcept
{
    g_default_factory.store(factory);
}

std::shared_ptr<Coordinator> Coordinator::current()
{
    const std::lock_guard<std::mutex> hold(g_current_lock);
    if (g_current) {
        return g_current;
    }
    return process_default();
}

std::shared_ptr<Coordinator> Coordinator::set_current(std::shared_ptr<Coordinator> replacement)
{
    const std::lock_guard<std::mutex> hold(g_current_lock);
    auto previous = g_current ? g_current : process_default();
    g_current = std::move(replacement);
    return previous;
}

std::shared_ptr<Writer> Coordinator::make_writer(WriterIdentity identity, WriterHandlers *handlers)
{
    return std::make_shared<Writer>(std::move(identity), handlers, dispatcher_.make_strand(), options_.clock);
}

HRESULT Coordinator::subscribe(const std::shared_ptr<Writer> &writer)
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (std::find(writers_.begin(), writers_.end(), writer) != writers_.end()) {
        return VSS_E_WRITER_ALREADY_SUBSCRIBED;
    }
    writers_.push_back(writer);
    return S_OK;
}

void Coordinator::unsubscribe(const Writer &writer)
{
    const std::lock_guard<std::mutex> hold(lock_);
    std::erase_if(writers_, [&](const std::shared_ptr<Writer> &entry) { return entry.get() == &writer; });
}

std::vector<std::shared_ptr<Writer>> Coordinator::subscribed_writers() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return writers_;
}

bool Coordinator::acquire_session(Writer &writer)
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (writer.active_sessions >= options_.session_limit) {
        return false;
    }
    ++writer.active_sessions;
    return true;
}

void Coordinator::release_session(Writer &writer)
{
    const std::lock_guard<std::mutex> hold(lock_);
    Expects(writer.active_sessions > 0);
    --writer.active_sessions;
}

bool Coordinator::begin_snapshot_set(const GUID &snapshot_set_id)
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (set_in_progress_) {
        return false;
    }
    set_in_progress_ = true;
    set_in_creation_ = snapshot_set_id;
    return true;
}

void Coordinator::end_snapshot_set(const GUID &snapshot_set_id)
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (set_in_progress_ && IsEqualGUID(set_in_creation_, snapshot_set_id)) {
        set_in_progress_ = false;
    }
}

void Coordinator::run(CallBatch &batch, Duration timeout)
{
    const std::size_t stuck = batch.run(dispatcher_, timeout);
    for (std::size_t i = 0; i < stuck; ++i) {
        dispatcher_.add_worker(); // the hung handler keeps its thread (C-4.4)
    }
}

} // namespace vssapi::core
