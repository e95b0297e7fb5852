// Soak and load (issue: fuzzing, faults and soak): W writers x S sequences on
// one coordinator, R requesters at once, with writers that fail
// (SetWriterFailureEx), throw, or hang, on the simulated or the real clock.
// Checks, every sequence: at most one snapshot set in creation (the others
// are refused with VSS_E_SNAPSHOT_SET_IN_PROGRESS), every status read back is
// the one its writer wrote (never another writer's message or code); every
// 100 sequences: the process's RSS and threads, which must stay flat.
// A report, not a timing: `meson test --benchmark` runs the full size,
// `meson test` (and the ThreadSanitizer build) a reduced one.
#include "core/clock.h"
#include "core/coordinator.h"
#include "support/async_result.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using vssapi::core::Coordinator;
using vssapi::core::CoordinatorOptions;

enum class Role { Ok, Fails, Throws, Hangs };

struct Options {
    int writers = 1000;
    int sequences = 1000; // in all, shared by the requesters
    int requesters = 4;
    bool simulated = true;
};

// Released at the end: the hung writers' handlers return then. They wait on
// the coordinator's clock, as the scenarios' hung mock writers do, so the
// simulated clock sees them wait (a handler blocked elsewhere is work in
// progress to it, and simulated time would never reach the timeout).
struct Gate {
    std::mutex lock;
    std::condition_variable open_cv;
    bool open = false;
    std::shared_ptr<vssapi::core::Clock> clock;
    void wait()
    {
        std::unique_lock<std::mutex> hold(lock);
        clock->wait_until(hold, open_cv, vssapi::core::TimePoint::max(), [this] { return open; });
    }
    void release()
    {
        const std::lock_guard<std::mutex> hold(lock);
        open = true;
        open_cv.notify_all();
    }
};

std::u16string message_of(int index)
{
    const std::string text = "writer " + std::to_string(index) + " failed";
    return std::u16string(text.begin(), text.end());
}

HRESULT application_of(int index)
{
    return static_cast<HRESULT>(0x80070000u | static_cast<unsigned>(index));
}

// Seen by writer 0 (always Ok, so it takes part in every set): the set whose
// OnPrepareSnapshot..OnThaw/OnAbort it is in. A second set arriving while one
// is there is two sets in creation at once.
struct Probe {
    std::mutex lock;
    GUID active{};
    bool busy = false;
    std::atomic<int> overlaps{0};
    void enter(const GUID &set)
    {
        const std::lock_guard<std::mutex> hold(lock);
        if (busy && std::memcmp(&active, &set, sizeof set) != 0) {
            ++overlaps;
        }
        active = set;
        busy = true;
    }
    void leave(const GUID &set)
    {
        const std::lock_guard<std::mutex> hold(lock);
        if (busy && std::memcmp(&active, &set, sizeof set) == 0) {
            busy = false;
        }
    }
};

class SoakWriter final : public CVssWriterEx2 {
public:
    SoakWriter(int index, Role role, Gate &gate, Probe *probe)
        : index_(index), role_(role), gate_(gate), probe_(probe), message_(message_of(index))
    {
        GUID klass{};
        klass.Data1 = 0x50a40000u + static_cast<unsigned>(index);
        klass.Data4[0] = 0x80;
        const std::string text = "Soak Writer " + std::to_string(index);
        name_.assign(text.begin(), text.end());
        if (Initialize(klass, reinterpret_cast<LPCWSTR>(name_.c_str()), VSS_UT_USERDATA, VSS_ST_OTHER) != S_OK ||
            Subscribe() != S_OK) {
            throw std::runtime_error("a writer could not subscribe");
        }
    }
    ~SoakWriter() override
    {
        if (m_pWriterImpl != nullptr) {
            m_pWriterImpl->Uninitialize();
        }
    }
    int index() const { return index_; }
    Role role() const { return role_; }

    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *) override { return true; }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override
    {
        if (probe_ != nullptr) {
            probe_->enter(GetCurrentSnapshotSetId());
        }
        if (role_ == Role::Throws) {
            throw std::runtime_error("a writer with a bug");
        }
        if (role_ == Role::Hangs) {
            gate_.wait();
        }
        return true;
    }
    bool STDMETHODCALLTYPE OnFreeze() override
    {
        if (role_ == Role::Fails) {
            (void)SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, application_of(index_),
                                     reinterpret_cast<LPCWSTR>(message_.c_str()));
            return false;
        }
        return true;
    }
    bool STDMETHODCALLTYPE OnThaw() override
    {
        if (probe_ != nullptr) {
            probe_->leave(GetCurrentSnapshotSetId());
        }
        return true;
    }
    bool STDMETHODCALLTYPE OnAbort() override
    {
        if (probe_ != nullptr) {
            probe_->leave(GetCurrentSnapshotSetId());
        }
        return true;
    }

private:
    const int index_;
    const Role role_;
    Gate &gate_;
    Probe *const probe_;
    const std::u16string message_;
    std::u16string name_;
};

Role role_of(int index, int writers)
{
    if (index == 11 || (writers > 500 && index == 511)) {
        return Role::Hangs;
    }
    if (index % 50 == 7) {
        return Role::Throws;
    }
    return index % 10 == 3 ? Role::Fails : Role::Ok;
}

struct Totals {
    std::atomic<int> done{0};
    std::atomic<int> sets{0};
    std::atomic<int> refused{0};      // VSS_E_SNAPSHOT_SET_IN_PROGRESS
    std::atomic<int> overlaps{0};     // more than one set in creation
    std::atomic<int> mismatches{0};   // a status that is not its writer's
    std::atomic<int> errors{0};       // a call that failed unexpectedly
    std::mutex lock;
    std::string first_problem;
    void problem(std::atomic<int> &counter, const std::string &what)
    {
        if (counter.fetch_add(1) == 0) {
            const std::lock_guard<std::mutex> hold(lock);
            if (first_problem.empty()) {
                first_problem = what;
            }
        }
    }
};

HRESULT run(IVssBackupComponents *c, HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*step)(IVssAsync **))
{
    IVssAsync *async = nullptr;
    return finish((c->*step)(&async), async);
}

std::string narrow(const char16_t *text)
{
    std::string out;
    for (; text != nullptr && *text != 0; ++text) {
        out.push_back(static_cast<char>(*text));
    }
    return out;
}

void check_statuses(IVssBackupComponentsEx3 *c, const std::map<GUID, const SoakWriter *, bool (*)(const GUID &, const GUID &)> &by_class,
                    Totals &totals)
{
    UINT count = 0;
    if (c->GetWriterStatusCount(&count) != S_OK) {
        totals.problem(totals.errors, "GetWriterStatusCount failed");
        return;
    }
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, klass{};
        BSTR name = nullptr, message = nullptr;
        VSS_WRITER_STATE state{};
        HRESULT writer_hr = S_OK, application_hr = S_OK;
        if (c->GetWriterStatusEx(i, &instance, &klass, &name, &state, &writer_hr, &application_hr, &message) != S_OK) {
            totals.problem(totals.errors, "GetWriterStatusEx failed");
            continue;
        }
        const auto found = by_class.find(klass);
        if (found != by_class.end()) {
            const SoakWriter &writer = *found->second;
            const std::string said = narrow(reinterpret_cast<const char16_t *>(message));
            const std::string own = narrow(message_of(writer.index()).c_str());
            const bool own_message = said.empty() || said == own;
            const bool own_application =
                application_hr == S_OK || application_hr == S_FALSE || application_hr == application_of(writer.index());
            bool right = own_message && own_application;
            switch (writer.role()) {
            case Role::Ok: right = right && said.empty() && application_hr != application_of(writer.index()); break;
            case Role::Fails:
                // Its own triple, or none if the set never reached OnFreeze.
                right = right && (said.empty() || (writer_hr == VSS_E_WRITERERROR_RETRYABLE &&
                                                   application_hr == application_of(writer.index())));
                break;
            case Role::Throws: // no OnPrepareSnapshot in a session refused its set: still S_OK
                right = right && said.empty() && application_hr != application_of(writer.index());
                break;
            case Role::Hangs: right = right && said.empty(); break;
            }
            if (!right) {
                totals.problem(totals.mismatches, narrow(reinterpret_cast<const char16_t *>(name)) + ": message '" +
                                                      said + "', hr 0x" + std::to_string(writer_hr));
            }
        }
        SysFreeString(name);
        SysFreeString(message);
    }
    (void)c->FreeWriterStatus();
}

bool guid_less(const GUID &a, const GUID &b)
{
    return std::memcmp(&a, &b, sizeof a) < 0;
}

void one_sequence(const std::map<GUID, const SoakWriter *, bool (*)(const GUID &, const GUID &)> &by_class, Totals &totals)
{
    IVssBackupComponents *created = nullptr;
    if (CreateVssBackupComponents(&created) != S_OK) {
        totals.problem(totals.errors, "CreateVssBackupComponents failed");
        return;
    }
    void *ex3 = nullptr;
    (void)created->QueryInterface(IID_IVssBackupComponentsEx3, &ex3);
    created->Release();
    auto *c = static_cast<IVssBackupComponentsEx3 *>(ex3);
    if (c->InitializeForBackup(nullptr) == S_OK && c->SetBackupState(false, false, VSS_BT_FULL, false) == S_OK &&
        run(c, &IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED) {
        VSS_ID set{}, snapshot{};
        const HRESULT started = c->StartSnapshotSet(&set);
        if (started == VSS_E_SNAPSHOT_SET_IN_PROGRESS) {
            ++totals.refused;
        } else if (started != S_OK) {
            totals.problem(totals.errors, "StartSnapshotSet: " + std::to_string(started));
        } else {
            (void)c->AddToSnapshotSet(const_cast<VSS_PWSZ>(reinterpret_cast<LPCWSTR>(u"C:\\")), GUID_NULL, &snapshot);
            if (run(c, &IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED) {
                if (run(c, &IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED) {
                    ++totals.sets;
                }
            } else {
                (void)c->AbortBackup();
            }
        }
        if (run(c, &IVssBackupComponents::GatherWriterStatus) == VSS_S_ASYNC_FINISHED) {
            check_statuses(c, by_class, totals);
        }
        (void)run(c, &IVssBackupComponents::BackupComplete);
    }
    c->Release();
}

long status_field(const char *field)
{
#ifdef __linux__
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t length = std::strlen(field);
    while (std::getline(in, line)) {
        if (line.compare(0, length, field) == 0) {
            return std::atol(line.c_str() + length);
        }
    }
#else
    (void)field;
#endif
    return -1;
}

Options parse(int argc, char **argv)
{
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (key == "--writers") {
            options.writers = value;
        } else if (key == "--sequences") {
            options.sequences = value;
        } else if (key == "--requesters") {
            options.requesters = value;
        } else if (key == "--clock") {
            options.simulated = std::string(argv[i + 1]) != "real";
        }
    }
    return options;
}

} // namespace

int main(int argc, char **argv)
{
    const Options options = parse(argc, argv);
    CoordinatorOptions settings;
    if (options.simulated) {
        settings.clock = std::make_shared<vssapi::core::SimulatedClock>();
    } else {
        settings.event_timeout = std::chrono::milliseconds(300); // a hung writer costs 0.3 s, once
    }
    const auto coordinator = Coordinator::create(std::move(settings));
    const auto previous = Coordinator::set_current(coordinator);
    Gate gate;
    gate.clock = coordinator->clock();
    Probe probe;
    int failed = 0;
    {
        std::vector<std::unique_ptr<SoakWriter>> writers;
        std::map<GUID, const SoakWriter *, bool (*)(const GUID &, const GUID &)> by_class(&guid_less);
        for (int i = 0; i < options.writers; ++i) {
            writers.push_back(std::make_unique<SoakWriter>(i, role_of(i, options.writers), gate, i == 0 ? &probe : nullptr));
            by_class.emplace(GUID{0x50a40000u + static_cast<unsigned>(i), 0, 0, {0x80, 0, 0, 0, 0, 0, 0, 0}},
                             writers.back().get());
        }
        std::printf("soak: %d writers, %d sequences, %d requesters at once, %s clock\n", options.writers,
                    options.sequences, options.requesters, options.simulated ? "simulated" : "real");
        std::printf("%10s %10s %8s %8s %10s %8s\n", "sequences", "RSS (KiB)", "threads", "sets", "refused", "seconds");
        Totals totals;
        std::atomic<int> next{0};
        const auto start = std::chrono::steady_clock::now();
        std::mutex report_lock;
        long first_rss = -1, first_threads = -1, last_rss = -1, last_threads = -1;
        auto requester = [&] {
            while (true) {
                const int n = next.fetch_add(1);
                if (n >= options.sequences) {
                    return;
                }
                one_sequence(by_class, totals);
                const int done = ++totals.done;
                if (done % 100 == 0 || done == options.sequences) {
                    const std::lock_guard<std::mutex> hold(report_lock);
                    const long rss = status_field("VmRSS:");
                    const long threads = status_field("Threads:");
                    if (first_rss < 0) {
                        first_rss = rss;
                        first_threads = threads;
                    }
                    last_rss = rss;
                    last_threads = threads;
                    const double seconds =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                    std::printf("%10d %10ld %8ld %8d %10d %8.1f\n", done, rss, threads, totals.sets.load(),
                                totals.refused.load(), seconds);
                    std::fflush(stdout);
                }
            }
        };
        std::vector<std::thread> threads;
        for (int i = 0; i < options.requesters; ++i) {
            threads.emplace_back(requester);
        }
        for (auto &thread : threads) {
            thread.join();
        }
        totals.overlaps += probe.overlaps.load();
        std::printf("overlapping sets: %d, statuses not their writer's: %d, failed calls: %d\n",
                    totals.overlaps.load(), totals.mismatches.load(), totals.errors.load());
        if (!totals.first_problem.empty()) {
            std::printf("first problem: %s\n", totals.first_problem.c_str());
        }
        failed = totals.overlaps + totals.mismatches + totals.errors;
        if (totals.sets == 0) {
            std::printf("no snapshot set was ever made\n");
            ++failed;
        }
        // Flat: no thread per sequence (a hung writer keeps one, once), and the
        // memory of the last 100 sequences within 25% (+ 2 MiB) of the first 100's.
        if (first_threads >= 0 && last_threads > first_threads + 2) {
            std::printf("threads grew from %ld to %ld\n", first_threads, last_threads);
            ++failed;
        }
        if (first_rss >= 0 && options.sequences >= 300 && last_rss > first_rss + first_rss / 4 + 2048) {
            std::printf("RSS grew from %ld KiB to %ld KiB\n", first_rss, last_rss);
            ++failed;
        }
        gate.release();
    }
    Coordinator::set_current(previous);
    std::printf("%s\n", failed == 0 ? "soak: ok" : "soak: FAILED");
    return failed == 0 ? 0 : 1;
}
