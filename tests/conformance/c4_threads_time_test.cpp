// Contract C-4: handler threads, IVssAsync, the freeze and event timeouts on
// the replaceable clock, one snapshot set at a time, the session limit.
#include "vss_fixture.h"

#include "core/snapshot_provider.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>

using namespace conformance;
using vssapi::core::Clock;
using vssapi::core::SimulatedClock;
using vssapi::core::TimePoint;
using vssapi::core::WorkToken;
using namespace std::chrono_literals;

namespace {

// A gate a handler waits at until the test opens it (real time, bounded).
class Gate {
public:
    bool wait_open()
    {
        entered_ = true;
        const auto give_up = std::chrono::steady_clock::now() + 20s;
        while (!open_) {
            if (std::chrono::steady_clock::now() > give_up) {
                return false;
            }
            std::this_thread::sleep_for(1ms);
        }
        return true;
    }
    void open() { open_ = true; }
    bool entered() const { return entered_; }

private:
    std::atomic<bool> open_{false};
    std::atomic<bool> entered_{false};
};

// Starts an asynchronous step and hands back the IVssAsync.
IVssAsync *start(Requester &requester, HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*step)(IVssAsync **))
{
    IVssAsync *async = nullptr;
    REQUIRE((requester.get()->*step)(&async) == S_OK);
    return async;
}

HRESULT status_of(IVssAsync *async)
{
    HRESULT hr = E_FAIL;
    REQUIRE(async->QueryStatus(&hr, nullptr) == S_OK);
    return hr;
}

} // namespace

TEST_CASE("C-4.1 handlers never run on the requester's thread and different writers run in parallel")
{
    Isolated isolated;
    TestWriter a{u"A", test_guid(1)};
    TestWriter b{u"B", test_guid(2)};
    std::atomic<int> in_freeze{0};
    auto meet = [&](TestWriter &, IVssWriterComponents *) {
        ++in_freeze;
        // Each waits until the other is inside OnFreeze too: only parallel dispatch gets both through.
        const auto give_up = std::chrono::steady_clock::now() + 10s;
        while (in_freeze.load() < 2) {
            if (std::chrono::steady_clock::now() > give_up) {
                return false;
            }
            std::this_thread::sleep_for(1ms);
        }
        return true;
    };
    a.on(On::Freeze, meet);
    b.on(On::Freeze, meet);
    Requester requester;
    CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    CHECK(requester.status_of(u"A").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    CHECK(requester.status_of(u"B").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
    for (TestWriter *writer : {&a, &b}) {
        for (const Delivery &delivery : writer->deliveries()) {
            CHECK(delivery.thread != std::this_thread::get_id());
        }
    }
}

TEST_CASE("C-4.1 one writer's handlers never overlap, even across parallel sessions")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on(On::PrepareBackup, [](TestWriter &, IVssWriterComponents *) {
        std::this_thread::sleep_for(2ms);
        return true;
    });
    auto session = [] {
        for (int i = 0; i < 5; ++i) {
            Requester requester;
            requester.gather();
            REQUIRE(requester.run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
        }
    };
    std::thread first(session);
    std::thread second(session);
    first.join();
    second.join();
    CHECK(writer.count(On::PrepareBackup) == 10);
    CHECK_FALSE(writer.overlapped());
}

TEST_CASE("C-4.1 a bounded pool serves 1,000 writers without a thread each")
{
    Isolated isolated;
    const std::size_t workers = isolated.coordinator().dispatcher().worker_count();
    std::deque<TestWriter> writers;
    for (unsigned i = 0; i < 1000; ++i) {
        const std::u16string name = u"Writer " + std::u16string(1, char16_t(u'A' + i % 26)) + char16_t(u'0' + i % 10);
        writers.emplace_back(name.c_str(), test_guid(1000 + i));
    }
    Requester requester;
    CHECK(requester.snapshot() == VSS_S_ASYNC_FINISHED);
    CHECK(requester.status().size() == 1000);
    for (const TestWriter &writer : writers) {
        REQUIRE(writer.count(On::PostSnapshot) == 1);
    }
    CHECK(isolated.coordinator().dispatcher().worker_count() == workers);
    CHECK(workers < 100);
}

TEST_CASE("C-4.2 IVssAsync: Wait returns S_OK on time-out with QueryStatus PENDING; Cancel follows the SDK")
{
    Isolated isolated;
    Gate gate;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on(On::PrepareBackup, [&](TestWriter &, IVssWriterComponents *) { return gate.wait_open(); });
    Requester requester;
    requester.gather();
    VSS_ID set{};
    REQUIRE(requester->StartSnapshotSet(&set) == S_OK);
    IVssAsync *async = start(requester, &IVssBackupComponents::PrepareForBackup);
    wait_until([&] { return gate.entered(); });
    CHECK(async->Wait(10) == S_OK);
    CHECK(status_of(async) == VSS_S_ASYNC_PENDING);
    CHECK(async->QueryStatus(nullptr, nullptr) == E_INVALIDARG);
    // Another step while one runs is out of order (C-3.8).
    IVssAsync *second = nullptr;
    CHECK(requester->GatherWriterStatus(&second) == VSS_E_BAD_STATE);
    CHECK(second == nullptr);
    gate.open();
    CHECK(async->Wait(INFINITE) == S_OK);
    CHECK(status_of(async) == VSS_S_ASYNC_FINISHED);
    CHECK(async->Cancel() == VSS_S_ASYNC_FINISHED);
    async->Release();
}

TEST_CASE("C-4.2 Cancel during DoSnapshotSet: S_OK, then VSS_S_ASYNC_CANCELLED; writers are aborted and no set is made")
{
    Isolated isolated;
    Gate gate;
    TestWriter writer{u"Writer", test_guid(1)};
    writer.on(On::Freeze, [&](TestWriter &, IVssWriterComponents *) { return gate.wait_open(); });
    Requester requester;
    requester.gather();
    requester.prepare();
    IVssAsync *async = start(requester, &IVssBackupComponents::DoSnapshotSet);
    wait_until([&] { return gate.entered(); });
    CHECK(async->Cancel() == S_OK);
    CHECK(async->Cancel() == VSS_S_ASYNC_CANCELLED);
    gate.open();
    CHECK(async->Wait(INFINITE) == S_OK);
    CHECK(status_of(async) == VSS_S_ASYNC_CANCELLED);
    async->Release();
    CHECK(writer.count(On::Abort) == 1);
    CHECK(writer.count(On::Thaw) == 0);
    VSS_SNAPSHOT_PROP prop{};
    CHECK(requester->GetSnapshotProperties(requester.snapshot_id, &prop) == VSS_E_OBJECT_NOT_FOUND);
}

TEST_CASE("C-4.3 a writer that misses its freeze window: FAILED_AT_FREEZE, WRITERERROR_TIMEOUT, OnAbort, no OnThaw")
{
    auto clock = std::make_shared<VirtualClock>();
    Isolated isolated(virtual_time(clock));
    Gate gate;
    TestWriter quick{u"Quick", test_guid(1), VSS_APP_FRONT_END, 60000};
    TestWriter slow{u"Slow", test_guid(2), VSS_APP_SYSTEM, 60000};
    // SYSTEM freezes after FRONT_END; while it holds, a minute passes.
    slow.on(On::Freeze, [&](TestWriter &, IVssWriterComponents *) { return gate.wait_open(); });
    Requester requester;
    requester.gather();
    requester.prepare();
    IVssAsync *async = start(requester, &IVssBackupComponents::DoSnapshotSet);
    wait_until([&] { return gate.entered(); });
    clock->advance(61s);
    gate.open();
    CHECK(async->Wait(INFINITE) == S_OK);
    CHECK(status_of(async) == VSS_S_ASYNC_FINISHED);
    async->Release();
    const StatusRow row = requester.status_of(u"Quick");
    CHECK(row.state == VSS_WS_FAILED_AT_FREEZE);
    CHECK(row.hr_writer == VSS_E_WRITERERROR_TIMEOUT);
    CHECK(quick.count(On::Abort) == 1);
    CHECK(quick.count(On::Thaw) == 0);
    // The slow writer's own window started at the end of its OnFreeze: it is fine.
    CHECK(slow.count(On::Thaw) == 1);
    CHECK(requester.status_of(u"Slow").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
}

TEST_CASE("C-4.4 a hung handler: NOT_RESPONDING after the event timeout, the sequence goes on, the late return is ignored")
{
    auto clock = std::make_shared<VirtualClock>();
    Gate gate;
    std::atomic<bool> returned{false};
    Isolated isolated(virtual_time(clock));
    const std::size_t workers = isolated.coordinator().dispatcher().worker_count();
    TestWriter hung{u"Hung", test_guid(1)};
    TestWriter fine{u"Fine", test_guid(2)};
    hung.on(On::PrepareSnapshot, [&](TestWriter &w, IVssWriterComponents *) {
        gate.wait_open();
        w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, 1, W(u"too late"));
        returned = true;
        return false;
    });
    {
        Requester requester;
        requester.gather();
        requester.prepare();
        IVssAsync *async = start(requester, &IVssBackupComponents::DoSnapshotSet);
        wait_until([&] { return hung.count(On::PrepareSnapshot) == 1; });
        clock->advance(600s + 1ms);
        CHECK(async->Wait(INFINITE) == S_OK);
        CHECK(status_of(async) == VSS_S_ASYNC_FINISHED);
        async->Release();
        StatusRow row = requester.status_of(u"Hung");
        CHECK(row.state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
        CHECK(row.hr_writer == VSS_E_WRITER_NOT_RESPONDING);
        CHECK(fine.count(On::PostSnapshot) == 1);
        // The hung handler's thread was replaced, so others are not starved.
        CHECK(isolated.coordinator().dispatcher().worker_count() == workers + 1);
        gate.open();
        wait_until([&] { return returned.load(); });
        row = requester.status_of(u"Hung");
        CHECK(row.hr_writer == VSS_E_WRITER_NOT_RESPONDING); // late answer ignored
        CHECK(row.message_is_null);
    }
    CHECK(hung.count(On::Freeze) == 0);
}

namespace {

// A gate a hung handler waits at on the coordinator's own clock, as a handler
// blocked in the application would: on the simulated clock it counts as idle.
class ClockGate {
public:
    explicit ClockGate(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}
    void wait_open()
    {
        std::unique_lock<std::mutex> hold(lock_);
        entered_ = true;
        clock_->wait_until(hold, cv_, TimePoint::max(), [this] { return open_; });
    }
    void open()
    {
        {
            const std::lock_guard<std::mutex> hold(lock_);
            open_ = true;
        }
        cv_.notify_all();
    }
    bool entered()
    {
        const std::lock_guard<std::mutex> hold(lock_);
        return entered_;
    }

private:
    std::shared_ptr<Clock> clock_;
    std::mutex lock_;
    std::condition_variable cv_;
    bool open_ = false;
    bool entered_ = false;
};

// Opens a gate when the test leaves, failed or not, before the writers go
// (a writer's destructor waits for its running handler).
struct OpenAtExit {
    ClockGate &gate;
    ~OpenAtExit() { gate.open(); }
};

} // namespace

TEST_CASE("C-4.8 a writer still hung from an earlier session is NOT_RESPONDING in the next one, which never blocks")
{
    // The same story on each clock: the manual clock moves only when the test
    // says so, the simulated one by itself, the real one in real time.
    enum class Kind { Simulated, Manual, Real };
    Kind kind = Kind::Simulated;
    SUBCASE("simulated clock") { kind = Kind::Simulated; }
    SUBCASE("manual clock") { kind = Kind::Manual; }
    SUBCASE("real clock") { kind = Kind::Real; }
    CoordinatorOptions options;
    std::shared_ptr<VirtualClock> manual;
    if (kind == Kind::Simulated) {
        options.clock = std::make_shared<SimulatedClock>();
    } else if (kind == Kind::Manual) {
        manual = std::make_shared<VirtualClock>();
        options.clock = manual;
    } else {
        options.event_timeout = 300ms;
    }
    Isolated isolated(options);
    ClockGate gate(isolated.coordinator().clock());
    std::atomic<bool> returned{false};
    TestWriter hung{u"Hung", test_guid(1)};
    TestWriter fine{u"Fine", test_guid(2)};
    const OpenAtExit opener{gate};
    hung.on(On::PrepareSnapshot, [&](TestWriter &, IVssWriterComponents *) {
        gate.wait_open();
        returned = true;
        return true;
    });
    {
        Requester first;
        first.gather();
        first.prepare();
        IVssAsync *async = start(first, &IVssBackupComponents::DoSnapshotSet);
        if (manual) {
            wait_until([&] { return gate.entered(); });
            manual->advance(600s + 1ms);
        }
        CHECK(async->Wait(INFINITE) == S_OK);
        CHECK(status_of(async) == VSS_S_ASYNC_FINISHED);
        async->Release();
        CHECK(first.status_of(u"Hung").state == VSS_WS_FAILED_AT_PREPARE_SNAPSHOT);
        CHECK(first.status_of(u"Hung").hr_writer == VSS_E_WRITER_NOT_RESPONDING);
    }
    CHECK(hung.count(On::Identify) == 1);
    // Sessions after it, while the handler still hangs: no wait at all, on any
    // clock (the manual one is never moved), the hung writer reported at the
    // event it would get, the other writer's backup unaffected.
    for (int session = 0; session < 2; ++session) {
        CAPTURE(session);
        Requester next;
        next.gather(); // Wait(INFINITE) inside: it returns
        const StatusRow row = next.status_of(u"Hung");
        CHECK(row.state == VSS_WS_FAILED_AT_IDENTIFY);
        CHECK(row.hr_writer == VSS_E_WRITER_NOT_RESPONDING);
        next.prepare();
        CHECK(next.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
        CHECK(next.status_of(u"Fine").state == VSS_WS_WAITING_FOR_BACKUP_COMPLETE);
        CHECK(next.status_of(u"Hung").state == VSS_WS_FAILED_AT_IDENTIFY);
    }
    CHECK(hung.count(On::Identify) == 1); // never called while hung
    CHECK_FALSE(returned.load());
    gate.open();
    wait_until([&] { return returned.load(); });
    // Once the hung call has returned, the writer takes part again.
    wait_until([&] {
        for (const auto &writer : isolated.coordinator().subscribed_writers()) {
            if (writer->hung()) {
                return false;
            }
        }
        return true;
    });
    Requester after;
    after.gather();
    CHECK(after.status_of(u"Hung").state == VSS_WS_STABLE);
    CHECK(hung.count(On::Identify) == 2);
}

TEST_CASE("C-4.8 a call queued behind a hung handler does not hold the simulated clock")
{
    auto clock = std::make_shared<SimulatedClock>();
    CoordinatorOptions options;
    options.clock = clock;
    Isolated isolated(options);
    ClockGate gate(clock);
    TestWriter hung{u"Hung", test_guid(1)};
    const OpenAtExit opener{gate};
    hung.on(On::PrepareSnapshot, [&](TestWriter &, IVssWriterComponents *) {
        gate.wait_open();
        return true;
    });
    Requester first;
    first.gather();
    first.prepare();
    IVssAsync *snapshot = nullptr;
    IVssAsync *gather = nullptr;
    Requester second;
    REQUIRE(second->InitializeForBackup(nullptr) == S_OK);
    {
        // Time stands still while this token lives, so the second session's
        // OnIdentify is surely posted while OnPrepareSnapshot still runs.
        const WorkToken hold = clock->begin_work();
        snapshot = start(first, &IVssBackupComponents::DoSnapshotSet);
        wait_until([&] { return gate.entered(); });
        gather = start(second, &IVssBackupComponents::GatherWriterMetadata);
    }
    CHECK(snapshot->Wait(INFINITE) == S_OK);
    CHECK(gather->Wait(INFINITE) == S_OK);
    CHECK(status_of(snapshot) == VSS_S_ASYNC_FINISHED);
    CHECK(status_of(gather) == VSS_S_ASYNC_FINISHED);
    snapshot->Release();
    gather->Release();
    CHECK(first.status_of(u"Hung").hr_writer == VSS_E_WRITER_NOT_RESPONDING);
    const StatusRow row = second.status_of(u"Hung");
    CHECK(row.state == VSS_WS_FAILED_AT_IDENTIFY);
    CHECK(row.hr_writer == VSS_E_WRITER_NOT_RESPONDING);
    gate.open();
}

TEST_CASE("C-4.5 every timeout runs on the coordinator's clock: a virtual clock that does not move never times out")
{
    auto clock = std::make_shared<VirtualClock>();
    CoordinatorOptions options = virtual_time(clock);
    options.event_timeout = 100ms;
    Isolated isolated(options);
    Gate gate; // outlives the writer, whose destructor waits for the handler
    TestWriter hung{u"Hung", test_guid(1)};
    hung.on(On::PrepareBackup, [&](TestWriter &, IVssWriterComponents *) { return gate.wait_open(); });
    Requester requester;
    requester.gather();
    IVssAsync *async = start(requester, &IVssBackupComponents::PrepareForBackup);
    wait_until([&] { return gate.entered(); });
    std::this_thread::sleep_for(300ms); // real time passes; virtual time does not
    CHECK(status_of(async) == VSS_S_ASYNC_PENDING);
    clock->advance(100ms);
    CHECK(async->Wait(INFINITE) == S_OK);
    CHECK(status_of(async) == VSS_S_ASYNC_FINISHED);
    async->Release();
    CHECK(requester.status_of(u"Hung").hr_writer == VSS_E_WRITER_NOT_RESPONDING);
    gate.open();
}

TEST_CASE("C-4.6 one snapshot set in creation per coordinator; separate coordinators never collide")
{
    Isolated isolated;
    TestWriter writer{u"Writer", test_guid(1)};
    Requester first;
    first.gather();
    first.prepare();
    Requester second;
    second.gather();
    VSS_ID set{};
    CHECK(second->StartSnapshotSet(&set) == VSS_E_SNAPSHOT_SET_IN_PROGRESS);
    {
        Isolated elsewhere;
        TestWriter other{u"Other", test_guid(2)};
        Requester third;
        third.gather();
        CHECK(third->StartSnapshotSet(&set) == S_OK);
    }
    CHECK(first.run(&IVssBackupComponents::DoSnapshotSet) == VSS_S_ASYNC_FINISHED);
    CHECK(second->StartSnapshotSet(&set) == S_OK);

    SUBCASE("releasing the object between StartSnapshotSet and DoSnapshotSet frees the slot")
    {
        second.release();
        Requester fourth;
        fourth.gather();
        CHECK(fourth->StartSnapshotSet(&set) == S_OK);
    }
}

TEST_CASE("C-4.7 beyond its session limit a writer is FAILED_AT_IDENTIFY with WRITER_STATUS_NOT_AVAILABLE")
{
    CoordinatorOptions options;
    options.session_limit = 2;
    Isolated isolated(options);
    TestWriter writer{u"Writer", test_guid(1)};
    TestWriter other{u"Other", test_guid(2)};
    auto first = std::make_unique<Requester>();
    first->gather();
    Requester second;
    second.gather();
    Requester third;
    third.gather();
    const StatusRow row = third.status_of(u"Writer");
    CHECK(row.state == VSS_WS_FAILED_AT_IDENTIFY);
    CHECK(row.hr_writer == VSS_E_WRITER_STATUS_NOT_AVAILABLE);
    CHECK(writer.count(On::Identify) == 2);
    UINT count = 0;
    REQUIRE(third->GetWriterMetadataCount(&count) == S_OK);
    CHECK(count == 0);
    first.reset(); // frees a slot
    Requester fourth;
    fourth.gather();
    CHECK(fourth.status_of(u"Writer").state == VSS_WS_STABLE);
}
