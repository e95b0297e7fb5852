// The retry helper of the flat C API (vss_retry_policy_default, vss_retry_run),
// contract C-7.2, called as another language would.
#include <vsserror.h>
#include <vssapi/vssapi.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

const vss_guid kWriterClass = {0x5e1f0007, 0x7777, 0x2222, {0x80, 1, 2, 3, 4, 5, 6, 7}};

struct Coordinator {
    vss_coordinator *handle = nullptr;
    explicit Coordinator(int32_t virtual_clock)
    {
        vss_coordinator_options options{};
        options.size = sizeof options;
        options.virtual_clock = virtual_clock;
        REQUIRE(vss_coordinator_create(&options, &handle) == S_OK);
    }
    ~Coordinator() { vss_coordinator_release(handle); }
};

// What the helper did, seen from its callbacks (which run on its thread).
struct Observed {
    vss_coordinator *coordinator = nullptr;
    std::mutex lock;
    bool waiting = false; // a report announced a wait and no attempt has started since
    uint64_t wait_ms = 0;
    std::vector<uint32_t> numbers;
    std::vector<vss_guid> sessions;
    std::vector<vss_retry_attempt> reports;
    std::vector<int> shutdowns_when_reported;
    std::vector<vss_hresult> script; // what the simple attempt returns; the last repeats
    std::atomic<int> freezes{0};
    std::atomic<int> shutdowns{0};
};

void VSS_CALL record_report(void *user, const vss_retry_attempt *attempt)
{
    auto &seen = *static_cast<Observed *>(user);
    const std::lock_guard<std::mutex> hold(seen.lock);
    seen.reports.push_back(*attempt);
    seen.shutdowns_when_reported.push_back(seen.shutdowns.load());
    if (attempt->wait_ms != 0) {
        seen.waiting = true;
        seen.wait_ms = attempt->wait_ms;
    }
}

// Notes the attempt and its requester's session.
void note_attempt(Observed &seen, vss_requester *requester, uint32_t number)
{
    vss_guid session{};
    vss_requester_session_id(requester, &session);
    const std::lock_guard<std::mutex> hold(seen.lock);
    seen.waiting = false;
    seen.numbers.push_back(number);
    seen.sessions.push_back(session);
}

// An attempt that returns the next result of the script.
vss_hresult VSS_CALL scripted_attempt(void *user, vss_requester *requester, uint32_t number)
{
    auto &seen = *static_cast<Observed *>(user);
    if (requester == nullptr) {
        return E_POINTER;
    }
    note_attempt(seen, requester, number);
    return seen.script[std::min<std::size_t>(number, seen.script.size()) - 1];
}

// A whole backup, as a requester would write its attempt: a step's failure, or
// the failure of a writer found in the status, makes the attempt fail.
vss_hresult VSS_CALL backup_attempt(void *user, vss_requester *requester, uint32_t number)
{
    auto &seen = *static_cast<Observed *>(user);
    note_attempt(seen, requester, number);
    vss_guid set{}, snapshot{};
    vss_hresult hr = vss_requester_initialize_for_backup(requester);
    if (hr == S_OK) {
        hr = vss_requester_set_backup_state(requester, 1, 0, 1 /* VSS_BT_FULL */, 0);
    }
    if (hr == S_OK) {
        hr = vss_requester_run(requester, VSS_STEP_GATHER_WRITER_METADATA);
    }
    if (hr == S_OK) {
        hr = vss_requester_start_snapshot_set(requester, &set);
    }
    if (hr == S_OK) {
        hr = vss_requester_add_to_snapshot_set(requester, "C:\\", &snapshot);
    }
    for (const vss_step step : {VSS_STEP_PREPARE_FOR_BACKUP, VSS_STEP_DO_SNAPSHOT_SET, VSS_STEP_GATHER_WRITER_STATUS}) {
        if (hr == S_OK) {
            hr = vss_requester_run(requester, step);
        }
    }
    uint32_t count = 0;
    if (hr == S_OK) {
        hr = vss_requester_status_count(requester, &count);
    }
    for (uint32_t i = 0; hr == S_OK && i < count; ++i) {
        vss_writer_status status{};
        status.size = sizeof status;
        hr = vss_requester_status(requester, i, &status);
        if (hr == S_OK && status.hr_failure_writer < 0) {
            hr = status.hr_failure_writer; // the writer's failure is the attempt's
        }
        vss_writer_status_clear(&status);
    }
    if (hr == S_OK) {
        hr = vss_requester_run(requester, VSS_STEP_BACKUP_COMPLETE);
    }
    return hr;
}

// Runs vss_retry_run on a thread and, while the helper waits between attempts,
// moves the coordinator's virtual clock on (possibly more than once: the checks
// below allow for it). Returns the run's result; *message gets that thread's
// vss_last_error_message.
vss_hresult run_on_virtual_time(Observed &seen, const vss_retry_policy *policy, vss_retry_attempt_fn attempt,
                                std::string *message = nullptr)
{
    std::atomic<bool> done{false};
    vss_hresult result = E_FAIL;
    std::thread helper([&] {
        result = vss_retry_run(seen.coordinator, policy, attempt, &record_report, &seen);
        if (message != nullptr) {
            *message = vss_last_error_message();
        }
        done = true;
    });
    while (!done) {
        {
            const std::lock_guard<std::mutex> hold(seen.lock);
            if (seen.waiting) { // the previous requester is released, the next not yet in use
                vss_coordinator_advance_clock(seen.coordinator, seen.wait_ms);
            }
        }
        std::this_thread::sleep_for(1ms);
    }
    helper.join();
    return result;
}

} // namespace

TEST_CASE("C-7.2: vss_retry_policy_default fills 3 retries 600000 ms apart and 5 retries 30000 ms apart")
{
    vss_retry_policy policy{};
    policy.size = sizeof policy;
    REQUIRE(vss_retry_policy_default(&policy) == S_OK);
    CHECK(policy.size == sizeof policy);
    CHECK(policy.max_retries == 3);
    CHECK(policy.wait_ms == 600000);
    CHECK(policy.in_progress_max_retries == 5);
    CHECK(policy.in_progress_wait_ms == 30000);

    CHECK(vss_retry_policy_default(nullptr) == E_INVALIDARG);
    vss_retry_policy small{};
    small.size = 4;
    CHECK(vss_retry_policy_default(&small) == E_INVALIDARG);
    CHECK(small.max_retries == 0);
    CHECK(std::string(vss_last_error_message()).find("vss_retry_policy_default") != std::string::npos);
}

TEST_CASE("C-7.2: vss_retry_run retries a writer's RETRYABLE failure after 600000 ms on the coordinator's clock, with a fresh requester")
{
    Coordinator coordinator(1);
    Observed seen;
    seen.coordinator = coordinator.handle;
    vss_writer_callbacks callbacks{};
    callbacks.size = sizeof callbacks;
    callbacks.on_freeze = [](void *user, vss_writer *writer) VSS_CALL -> int32_t {
        auto &observed = *static_cast<Observed *>(user);
        if (++observed.freezes == 1) { // the first attempt only
            vss_writer_set_failure_ex(writer, VSS_E_WRITERERROR_RETRYABLE, 0x80070020, "busy, try later");
            return 0;
        }
        return 1;
    };
    callbacks.on_backup_shutdown = [](void *user, vss_writer *, const vss_guid *) VSS_CALL -> int32_t {
        ++static_cast<Observed *>(user)->shutdowns;
        return 1;
    };
    vss_writer_info info{};
    info.size = sizeof info;
    info.class_id = &kWriterClass;
    info.name = "Retry Writer";
    info.usage = 3;
    info.source = 1;
    vss_writer *writer = nullptr;
    REQUIRE(vss_writer_create(coordinator.handle, &info, &callbacks, &seen, &writer) == S_OK);
    REQUIRE(vss_writer_subscribe(writer) == S_OK);

    CHECK(run_on_virtual_time(seen, nullptr, &backup_attempt) == S_OK);

    CHECK(seen.freezes.load() == 2);
    CHECK(seen.numbers == std::vector<uint32_t>{1, 2});
    REQUIRE(seen.sessions.size() == 2);
    CHECK(std::memcmp(&seen.sessions[0], &seen.sessions[1], sizeof(vss_guid)) != 0); // a fresh requester
    REQUIRE(seen.reports.size() == 2);
    const vss_retry_attempt &first = seen.reports[0];
    const vss_retry_attempt &second = seen.reports[1];
    CHECK(first.size == sizeof(vss_retry_attempt));
    CHECK(first.number == 1);
    CHECK(first.result == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(first.retry_class == 1);
    CHECK(first.wait_ms == 600000);
    CHECK(first.start_ms == 0); // a virtual clock starts at 0 and stands still during an attempt
    CHECK(first.end_ms == 0);
    CHECK(second.number == 2);
    CHECK(second.result == S_OK);
    CHECK(second.retry_class == 0);
    CHECK(second.wait_ms == 0);
    CHECK(second.start_ms >= first.end_ms + 600000); // the wait was on the coordinator's clock
    // Each requester was released (OnBackupShutdown) before its attempt was reported, so before the wait.
    CHECK(seen.shutdowns_when_reported == std::vector<int>{1, 2});
    vss_writer_release(writer);
}

TEST_CASE("C-7.2: vss_retry_run stops at once on a non-retryable failure and on success; NULL coordinator and report are allowed")
{
    Observed seen;
    seen.script = {VSS_E_WRITERERROR_NONRETRYABLE, S_OK};
    // The default coordinator on the real clock: no wait may happen, or the test would take 10 minutes.
    CHECK(vss_retry_run(nullptr, nullptr, &scripted_attempt, &record_report, &seen) == VSS_E_WRITERERROR_NONRETRYABLE);
    CHECK(seen.numbers.size() == 1);
    REQUIRE(seen.reports.size() == 1);
    CHECK(seen.reports[0].retry_class == 0);
    CHECK(seen.reports[0].wait_ms == 0);
    const std::string message = vss_last_error_message();
    CHECK(message.find("vss_retry_run: VSS_E_WRITERERROR_NONRETRYABLE") == 0);
    CHECK(message.find("not retryable") != std::string::npos);

    Observed success;
    success.script = {S_FALSE, VSS_E_WRITERERROR_RETRYABLE};
    CHECK(vss_retry_run(nullptr, nullptr, &scripted_attempt, nullptr, &success) == S_FALSE);
    CHECK(success.numbers.size() == 1);
}

TEST_CASE("C-7.2: vss_retry_run honours every number of the policy, SNAPSHOT_SET_IN_PROGRESS on its own budget")
{
    Coordinator coordinator(1);
    Observed seen;
    seen.coordinator = coordinator.handle;
    seen.script = {VSS_E_SNAPSHOT_SET_IN_PROGRESS, VSS_E_PROVIDER_VETO, VSS_E_SNAPSHOT_SET_IN_PROGRESS,
                   VSS_E_PROVIDER_VETO};
    vss_retry_policy policy{};
    policy.size = sizeof policy;
    policy.max_retries = 1;
    policy.wait_ms = 1234;
    policy.in_progress_max_retries = 2;
    policy.in_progress_wait_ms = 77;
    std::string message;
    CHECK(run_on_virtual_time(seen, &policy, &scripted_attempt, &message) == VSS_E_PROVIDER_VETO);
    REQUIRE(seen.reports.size() == 4);
    const uint64_t waits[] = {77, 1234, 77, 0}; // the 4th: PROVIDER_VETO again, its one retry spent
    const int32_t classes[] = {2, 1, 2, 1};
    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(seen.reports[i].number == i + 1);
        CHECK(seen.reports[i].result == seen.script[i]);
        CHECK(seen.reports[i].retry_class == classes[i]);
        CHECK(seen.reports[i].wait_ms == waits[i]);
        if (i > 0) {
            CHECK(seen.reports[i].start_ms >= seen.reports[i - 1].end_ms + waits[i - 1]);
        }
    }
    // Four attempts, four requesters.
    REQUIRE(seen.sessions.size() == 4);
    for (std::size_t i = 1; i < 4; ++i) {
        CHECK(std::memcmp(&seen.sessions[i - 1], &seen.sessions[i], sizeof(vss_guid)) != 0);
    }
    CHECK(message.find("vss_retry_run: VSS_E_PROVIDER_VETO (attempt 4, retryable but no retry left (max_retries 1)") == 0);
}

TEST_CASE("C-7.2: vss_retry_run: bad inputs return E_INVALIDARG and run nothing")
{
    Observed seen;
    seen.script = {S_OK};
    vss_retry_policy good{};
    good.size = sizeof good;
    REQUIRE(vss_retry_policy_default(&good) == S_OK);

    CHECK(vss_retry_run(nullptr, &good, nullptr, &record_report, &seen) == E_INVALIDARG);
    CHECK(std::string(vss_last_error_message()).find("vss_retry_run") != std::string::npos);

    vss_retry_policy bad = good;
    bad.size = 0;
    CHECK(vss_retry_run(nullptr, &bad, &scripted_attempt, &record_report, &seen) == E_INVALIDARG);
    bad = good;
    bad.max_retries = VSS_RETRY_MAX_RETRIES + 1;
    CHECK(vss_retry_run(nullptr, &bad, &scripted_attempt, &record_report, &seen) == E_INVALIDARG);
    bad = good;
    bad.in_progress_max_retries = VSS_RETRY_MAX_RETRIES + 1;
    CHECK(vss_retry_run(nullptr, &bad, &scripted_attempt, &record_report, &seen) == E_INVALIDARG);
    bad = good;
    bad.wait_ms = uint64_t{VSS_RETRY_MAX_WAIT_MS} + 1;
    CHECK(vss_retry_run(nullptr, &bad, &scripted_attempt, &record_report, &seen) == E_INVALIDARG);
    bad = good;
    bad.in_progress_wait_ms = ~uint64_t{0};
    CHECK(vss_retry_run(nullptr, &bad, &scripted_attempt, &record_report, &seen) == E_INVALIDARG);
    CHECK(std::string(vss_last_error_message()).find("24 hours") != std::string::npos);

    CHECK(seen.numbers.empty());
    CHECK(seen.reports.empty());

    // The limits themselves are accepted (and with no failure, nothing waits).
    bad = good;
    bad.max_retries = bad.in_progress_max_retries = VSS_RETRY_MAX_RETRIES;
    bad.wait_ms = bad.in_progress_wait_ms = VSS_RETRY_MAX_WAIT_MS;
    CHECK(vss_retry_run(nullptr, &bad, &scripted_attempt, nullptr, &seen) == S_OK);
    CHECK(seen.numbers.size() == 1);
}
