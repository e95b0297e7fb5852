// Contract C-7.2: the retry helper for requesters written against the SDK's
// COM interfaces (vssapi/retry.h: vss_retry_run_com and the header-inline
// vssapi::retry), on an isolated coordinator whose virtual clock the test
// moves only while the helper waits.
#include "vss_fixture.h"

#include <vssapi/retry.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

using namespace conformance;
using namespace std::chrono_literals;

namespace {

// One backup attempt as a COM requester writes it: a step's failure, or the
// hrWriterFailure of a writer found failed, is the attempt's result.
HRESULT backup_attempt(IVssBackupComponents *bc)
{
    auto step = [bc](HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*method)(IVssAsync **)) -> HRESULT {
        IVssAsync *async = nullptr;
        const HRESULT started = (bc->*method)(&async);
        if (FAILED(started)) {
            return started;
        }
        async->Wait(INFINITE);
        HRESULT status = E_FAIL;
        async->QueryStatus(&status, nullptr);
        async->Release();
        return status == VSS_S_ASYNC_FINISHED ? S_OK : (FAILED(status) ? status : E_FAIL);
    };
    HRESULT hr = bc->InitializeForBackup(nullptr);
    if (SUCCEEDED(hr)) {
        hr = bc->SetBackupState(false, false, VSS_BT_FULL, false);
    }
    if (SUCCEEDED(hr)) {
        hr = step(&IVssBackupComponents::GatherWriterMetadata);
    }
    VSS_ID set{}, snapshot{};
    if (SUCCEEDED(hr)) {
        hr = bc->StartSnapshotSet(&set);
    }
    if (SUCCEEDED(hr)) {
        hr = bc->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"C:\\")), GUID_NULL, &snapshot);
    }
    if (SUCCEEDED(hr)) {
        hr = step(&IVssBackupComponents::PrepareForBackup);
    }
    if (SUCCEEDED(hr)) {
        hr = step(&IVssBackupComponents::DoSnapshotSet);
    }
    if (SUCCEEDED(hr)) {
        hr = step(&IVssBackupComponents::GatherWriterStatus);
    }
    UINT writers = 0;
    if (SUCCEEDED(hr)) {
        hr = bc->GetWriterStatusCount(&writers);
    }
    for (UINT i = 0; SUCCEEDED(hr) && i < writers; ++i) {
        VSS_ID instance{}, writer{};
        BSTR name = nullptr;
        VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
        HRESULT failure = S_OK;
        hr = bc->GetWriterStatus(i, &instance, &writer, &name, &state, &failure);
        SysFreeString(name);
        if (SUCCEEDED(hr) && FAILED(failure)) {
            hr = failure;
        }
    }
    if (SUCCEEDED(hr)) {
        hr = step(&IVssBackupComponents::BackupComplete);
    }
    return hr;
}

GUID session_of(IVssBackupComponents *bc)
{
    IVssBackupComponentsEx3 *ex3 = nullptr;
    GUID id = GUID_NULL;
    if (SUCCEEDED(bc->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&ex3)))) {
        ex3->GetSessionId(&id);
        ex3->Release();
    }
    return id;
}

// Runs the helper on a thread. Each time a report announces a wait and the
// helper is blocked on the clock, calls between_attempts() and advances the
// virtual clock by exactly that wait.
class Driver {
public:
    explicit Driver(std::shared_ptr<VirtualClock> clock) : clock_(std::move(clock)) {}

    // For the attempt: the helper is running an attempt, not waiting.
    void attempt_started()
    {
        const std::lock_guard<std::mutex> hold(lock_);
        waiting_ = false;
    }
    // For the report.
    void reported(const vss_retry_attempt &record)
    {
        const std::lock_guard<std::mutex> hold(lock_);
        reports.push_back(record);
        if (record.wait_ms != 0) {
            waiting_ = true;
            wait_ms_ = record.wait_ms;
        }
    }

    HRESULT run(const std::function<HRESULT()> &helper, const std::function<void()> &between_attempts = {})
    {
        std::atomic<bool> done{false};
        HRESULT result = E_FAIL;
        std::thread thread([&] {
            result = helper();
            done = true;
        });
        const auto give_up = std::chrono::steady_clock::now() + 30s;
        bool stuck = false;
        while (!done) {
            {
                const std::lock_guard<std::mutex> hold(lock_);
                if (waiting_ && clock_->waiters() > 0) {
                    max_waiters = std::max(max_waiters, clock_->waiters());
                    if (between_attempts) {
                        between_attempts();
                    }
                    clock_->advance(std::chrono::milliseconds(wait_ms_));
                    waiting_ = false;
                } else if (std::chrono::steady_clock::now() > give_up) {
                    stuck = true; // never hang: push the clock on until the helper ends
                    clock_->advance(24h);
                }
            }
            std::this_thread::sleep_for(1ms);
        }
        thread.join();
        CHECK_FALSE(stuck);
        return result;
    }

    std::vector<vss_retry_attempt> reports;
    int max_waiters = 0;

private:
    std::shared_ptr<VirtualClock> clock_;
    std::mutex lock_;
    bool waiting_ = false;
    uint64_t wait_ms_ = 0;
};

} // namespace

TEST_CASE("C-7.2: vss_retry_run_com retries a writer's RETRYABLE failure with a fresh IVssBackupComponents after 10 minutes on the coordinator's clock")
{
    auto clock = std::make_shared<VirtualClock>();
    Isolated isolated{virtual_time(clock)};
    TestWriter writer{u"Orders", test_guid(1)};
    std::atomic<int> freezes{0};
    writer.on(On::Freeze, [&](TestWriter &w, IVssWriterComponents *) {
        if (++freezes == 1) { // the first attempt only
            w.SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, HRESULT(0x80070020), W(u"busy"));
            return false;
        }
        return true;
    });
    Driver driver(clock);
    std::vector<GUID> sessions;
    std::vector<unsigned> numbers;
    std::vector<int> shutdowns_when_reported;
    const HRESULT hr = driver.run([&] {
        return vssapi::retry(
            nullptr,
            [&](IVssBackupComponents *bc, unsigned attempt) -> HRESULT {
                driver.attempt_started();
                numbers.push_back(attempt);
                sessions.push_back(session_of(bc));
                return backup_attempt(bc);
            },
            [&](const vss_retry_attempt &record) {
                shutdowns_when_reported.push_back(writer.count(On::BackupShutdown));
                driver.reported(record);
            });
    });
    CHECK(hr == S_OK);
    CHECK(freezes.load() == 2);
    CHECK(numbers == std::vector<unsigned>{1, 2});
    REQUIRE(sessions.size() == 2);
    CHECK(sessions[0] != GUID_NULL);
    CHECK(sessions[0] != sessions[1]); // a fresh object for the second attempt
    REQUIRE(driver.reports.size() == 2);
    CHECK(driver.reports[0].number == 1);
    CHECK(driver.reports[0].result == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(driver.reports[0].retry_class == 1);
    CHECK(driver.reports[0].wait_ms == 600000);
    CHECK(driver.reports[1].number == 2);
    CHECK(driver.reports[1].result == S_OK);
    CHECK(driver.reports[1].wait_ms == 0);
    // The 10 minutes passed on the coordinator's clock, and nothing else waited on it meanwhile.
    CHECK(driver.reports[1].start_ms == driver.reports[0].end_ms + 600000);
    CHECK(driver.max_waiters == 1);
    // Each object was released (OnBackupShutdown) before its attempt was reported, so before the wait.
    CHECK(shutdowns_when_reported == std::vector<int>{1, 2});
}

TEST_CASE("C-7.2: vss_retry_run_com stops after the default 3 retries and returns the last attempt's result")
{
    auto clock = std::make_shared<VirtualClock>();
    Isolated isolated{virtual_time(clock)};
    TestWriter writer{u"Always busy", test_guid(2)};
    writer.on(On::Freeze, [](TestWriter &w, IVssWriterComponents *) {
        w.SetWriterFailureEx(VSS_E_WRITERERROR_TIMEOUT, S_OK, nullptr);
        return false;
    });
    Driver driver(clock);
    struct Context {
        Driver *driver;
        unsigned attempts;
    } context{&driver, 0};
    const HRESULT hr = driver.run([&] {
        // The exported C function itself, as a C caller of vssapi/retry.h would use it.
        return vss_retry_run_com(
            nullptr,
            [](void *user, IVssBackupComponents *bc, uint32_t) VSS_CALL -> HRESULT {
                auto *c = static_cast<Context *>(user);
                c->driver->attempt_started();
                ++c->attempts;
                return backup_attempt(bc);
            },
            [](void *user, const vss_retry_attempt *record) VSS_CALL { static_cast<Context *>(user)->driver->reported(*record); },
            &context);
    });
    CHECK(hr == VSS_E_WRITERERROR_TIMEOUT);
    CHECK(context.attempts == 4);
    REQUIRE(driver.reports.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(driver.reports[i].result == VSS_E_WRITERERROR_TIMEOUT);
        CHECK(driver.reports[i].wait_ms == (i < 3 ? 600000u : 0u));
    }
    CHECK(driver.reports[3].end_ms == 3 * 600000u);
    CHECK(writer.count(On::BackupShutdown) == 4);
}

TEST_CASE("C-7.2: SNAPSHOT_SET_IN_PROGRESS from another requester is retried on its own 30 s back-off")
{
    auto clock = std::make_shared<VirtualClock>();
    Isolated isolated{virtual_time(clock)};
    TestWriter writer{u"Writer", test_guid(3)};
    Requester blocker; // holds a set in creation (C-4.6) until the helper's first wait
    blocker.gather();
    blocker.prepare();
    Driver driver(clock);
    const HRESULT hr = driver.run(
        [&] {
            return vssapi::retry(
                nullptr,
                [&](IVssBackupComponents *bc, unsigned) {
                    driver.attempt_started();
                    return backup_attempt(bc);
                },
                [&](const vss_retry_attempt &record) { driver.reported(record); });
        },
        [&] { blocker.release(); });
    CHECK(hr == S_OK);
    REQUIRE(driver.reports.size() == 2);
    CHECK(driver.reports[0].result == VSS_E_SNAPSHOT_SET_IN_PROGRESS);
    CHECK(driver.reports[0].retry_class == 2);
    CHECK(driver.reports[0].wait_ms == 30000);
    CHECK(driver.reports[1].start_ms == driver.reports[0].end_ms + 30000);
}

TEST_CASE("C-7.2: vssapi::retry takes a policy by reference; an exception from the attempt ends the run as its result")
{
    auto clock = std::make_shared<VirtualClock>();
    Isolated isolated{virtual_time(clock)};
    vss_retry_policy policy{};
    policy.size = sizeof policy;
    REQUIRE(vss_retry_policy_default(&policy) == S_OK);
    policy.max_retries = 1;
    policy.wait_ms = 5;

    std::vector<vss_retry_attempt> reports;
    unsigned calls = 0;
    auto record = [&](const vss_retry_attempt &r) {
        reports.push_back(r);
        throw std::runtime_error("a report that throws goes no further");
    };
    CHECK(vssapi::retry(policy, [&](IVssBackupComponents *, unsigned) -> HRESULT {
              ++calls;
              throw std::runtime_error("attempt failed unexpectedly");
          }, record) == E_UNEXPECTED);
    CHECK(calls == 1); // E_UNEXPECTED is not retryable
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].result == E_UNEXPECTED);

    CHECK(vssapi::retry(policy, [](IVssBackupComponents *, unsigned) -> HRESULT { throw std::bad_alloc(); }) ==
          E_OUTOFMEMORY);

    // The fresh object is a usable requester, on the current coordinator.
    CHECK(vssapi::retry(&policy, [](IVssBackupComponents *bc, unsigned) {
              return bc != nullptr && session_of(bc) != GUID_NULL ? bc->InitializeForBackup(nullptr) : E_POINTER;
          }) == S_OK);
}

TEST_CASE("C-7.2: vss_retry_run_com: bad inputs return E_INVALIDARG and run nothing")
{
    Isolated isolated;
    unsigned calls = 0;
    auto attempt = [](void *user, IVssBackupComponents *, uint32_t) VSS_CALL -> HRESULT {
        ++*static_cast<unsigned *>(user);
        return S_OK;
    };
    CHECK(vss_retry_run_com(nullptr, nullptr, nullptr, &calls) == E_INVALIDARG);
    CHECK(std::string(vss_last_error_message()).find("vss_retry_run_com") != std::string::npos);
    vss_retry_policy policy{};
    policy.size = sizeof policy;
    REQUIRE(vss_retry_policy_default(&policy) == S_OK);
    vss_retry_policy bad = policy;
    bad.size = sizeof bad - 1;
    CHECK(vss_retry_run_com(&bad, attempt, nullptr, &calls) == E_INVALIDARG);
    bad = policy;
    bad.max_retries = 101;
    CHECK(vss_retry_run_com(&bad, attempt, nullptr, &calls) == E_INVALIDARG);
    bad = policy;
    bad.wait_ms = 86400001;
    CHECK(vss_retry_run_com(&bad, attempt, nullptr, &calls) == E_INVALIDARG);
    CHECK(vssapi::retry(bad, [&](IVssBackupComponents *, unsigned) -> HRESULT {
              ++calls;
              return S_OK;
          }) == E_INVALIDARG);
    CHECK(calls == 0);
    CHECK(vss_retry_run_com(&policy, attempt, nullptr, &calls) == S_OK);
    CHECK(calls == 1);
}
