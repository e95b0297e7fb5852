// The retry helper's rules (contract C-7.2) on the core function, with a clock
// that records every wait and returns at once, and once with a VirtualClock
// the test advances.
#include "core/retry_policy.h"

#include <vss.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace vssapi::core;
using namespace std::chrono_literals;

namespace {

// A clock whose waits end at once: it jumps to the deadline and notes the span.
class RecordingClock final : public Clock {
public:
    TimePoint now() const override { return now_; }
    bool wait_until(std::unique_lock<std::mutex> &, std::condition_variable &, TimePoint deadline,
                    const std::function<bool()> &done) override
    {
        waits.push_back(deadline - now_);
        if (deadline > now_) {
            now_ = deadline;
        }
        return done();
    }
    void pass(Duration span) { now_ += span; } // an attempt that takes time

    std::vector<Duration> waits;

private:
    TimePoint now_{};
};

// Runs the policy over a script of results (the last one repeats) and keeps
// what the helper did.
struct Run {
    std::vector<unsigned> numbers;
    std::vector<AttemptRecord> reports;
    std::vector<Duration> waits;
    HRESULT result = E_FAIL;
};

Run run(const RetryPolicy &policy, const std::vector<HRESULT> &script, Duration attempt_takes = Duration(0))
{
    RecordingClock clock;
    Run out;
    out.result = run_with_retry(
        clock, policy,
        [&](unsigned number) {
            out.numbers.push_back(number);
            clock.pass(attempt_takes);
            return script[std::min<std::size_t>(out.numbers.size(), script.size()) - 1];
        },
        [&](const AttemptRecord &record) { out.reports.push_back(record); });
    out.waits = clock.waits;
    return out;
}

std::vector<Duration> repeat(Duration span, std::size_t times)
{
    return std::vector<Duration>(times, span);
}

} // namespace

TEST_CASE("C-7.2 default policy: 3 retries 10 minutes apart; SNAPSHOT_SET_IN_PROGRESS 5 retries 30 s apart")
{
    const RetryPolicy policy;
    CHECK(policy.max_retries == 3);
    CHECK(policy.wait == 10min);
    CHECK(policy.wait == Duration(600000));
    CHECK(policy.in_progress_max_retries == 5);
    CHECK(policy.in_progress_wait == 30s);
}

TEST_CASE("C-7.2 a retryable failure is retried with a fresh attempt after the policy's wait, through the clock")
{
    const Run r = run(RetryPolicy{}, {VSS_E_WRITERERROR_RETRYABLE, VSS_E_WRITERERROR_TIMEOUT, S_OK});
    CHECK(r.result == S_OK);
    CHECK(r.numbers == std::vector<unsigned>{1, 2, 3}); // the callable is called anew each time
    CHECK(r.waits == repeat(10min, 2));
}

TEST_CASE("C-7.2 every retryable code of C-7.1 is retried on the long wait")
{
    for (const HRESULT hr : {VSS_E_WRITERERROR_RETRYABLE, VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_WRITERERROR_TIMEOUT,
                             VSS_E_FLUSH_WRITES_TIMEOUT, VSS_E_HOLD_WRITES_TIMEOUT, VSS_E_PROVIDER_VETO,
                             VSS_E_UNEXPECTED_PROVIDER_ERROR}) {
        CAPTURE(hr);
        const Run r = run(RetryPolicy{}, {hr, S_OK});
        CHECK(r.result == S_OK);
        CHECK(r.waits == repeat(10min, 1));
        CHECK(r.reports.front().retry_class == RetryClass::AfterWait);
    }
}

TEST_CASE("C-7.2 at most max_retries retries; the last attempt's result is returned")
{
    const Run r = run(RetryPolicy{}, {VSS_E_WRITERERROR_RETRYABLE});
    CHECK(r.result == VSS_E_WRITERERROR_RETRYABLE);
    CHECK(r.numbers.size() == 4); // the attempt and three retries
    CHECK(r.waits == repeat(10min, 3)); // no wait after the last
}

TEST_CASE("C-7.2 SNAPSHOT_SET_IN_PROGRESS has its own budget and its own wait")
{
    SUBCASE("alone: 5 retries 30 s apart")
    {
        const Run r = run(RetryPolicy{}, {VSS_E_SNAPSHOT_SET_IN_PROGRESS});
        CHECK(r.result == VSS_E_SNAPSHOT_SET_IN_PROGRESS);
        CHECK(r.numbers.size() == 6);
        CHECK(r.waits == repeat(30s, 5));
        CHECK(r.reports.front().retry_class == RetryClass::ShortBackOff);
    }
    SUBCASE("spending one budget leaves the other whole")
    {
        std::vector<HRESULT> script(3, VSS_E_WRITERERROR_RETRYABLE);
        script.insert(script.end(), 5, VSS_E_SNAPSHOT_SET_IN_PROGRESS);
        script.push_back(VSS_E_WRITERERROR_RETRYABLE); // 4th long-class failure: its budget is spent
        script.push_back(S_OK);                          // never reached
        const Run r = run(RetryPolicy{}, script);
        CHECK(r.result == VSS_E_WRITERERROR_RETRYABLE);
        CHECK(r.numbers.size() == 9);
        std::vector<Duration> expected = repeat(10min, 3);
        expected.insert(expected.end(), 5, 30s);
        CHECK(r.waits == expected);
    }
    SUBCASE("interleaved")
    {
        const Run r = run(RetryPolicy{}, {VSS_E_SNAPSHOT_SET_IN_PROGRESS, VSS_E_PROVIDER_VETO,
                                          VSS_E_SNAPSHOT_SET_IN_PROGRESS, S_OK});
        CHECK(r.result == S_OK);
        CHECK(r.waits == std::vector<Duration>{30s, 10min, 30s});
    }
}

TEST_CASE("C-7.2 a non-retryable failure stops at once, without a wait")
{
    for (const HRESULT hr : {VSS_E_WRITERERROR_NONRETRYABLE, VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
                             VSS_E_WRITERERROR_PARTIAL_FAILURE, VSS_E_BAD_STATE, E_FAIL, E_OUTOFMEMORY}) {
        CAPTURE(hr);
        const Run r = run(RetryPolicy{}, {hr, S_OK});
        CHECK(r.result == hr);
        CHECK(r.numbers.size() == 1);
        CHECK(r.waits.empty());
        REQUIRE(r.reports.size() == 1);
        CHECK(r.reports[0].retry_class == RetryClass::No);
        CHECK(r.reports[0].wait_after == Duration(0));
    }
}

TEST_CASE("C-7.2 success stops at once, success codes included")
{
    for (const HRESULT hr : {S_OK, S_FALSE, VSS_S_ASYNC_CANCELLED}) {
        CAPTURE(hr);
        const Run r = run(RetryPolicy{}, {hr, VSS_E_WRITERERROR_RETRYABLE});
        CHECK(r.result == hr);
        CHECK(r.numbers.size() == 1);
        CHECK(r.waits.empty());
    }
}

TEST_CASE("C-7.2 every attempt is reported once, in order, the last included, with its times and the wait after it")
{
    RetryPolicy policy;
    policy.max_retries = 2;
    const Run r = run(policy, {VSS_E_WRITERERROR_RETRYABLE, VSS_E_SNAPSHOT_SET_IN_PROGRESS, VSS_E_HOLD_WRITES_TIMEOUT,
                               VSS_E_WRITERERROR_RETRYABLE},
                      7s);
    CHECK(r.result == VSS_E_WRITERERROR_RETRYABLE);
    REQUIRE(r.reports.size() == 4);
    const HRESULT results[] = {VSS_E_WRITERERROR_RETRYABLE, VSS_E_SNAPSHOT_SET_IN_PROGRESS, VSS_E_HOLD_WRITES_TIMEOUT,
                               VSS_E_WRITERERROR_RETRYABLE};
    const Duration waits[] = {10min, 30s, 10min, Duration(0)}; // the 4th is the 3rd long-class failure: out of budget
    TimePoint expected_start{};
    for (std::size_t i = 0; i < r.reports.size(); ++i) {
        CAPTURE(i);
        const AttemptRecord &record = r.reports[i];
        CHECK(record.number == i + 1);
        CHECK(record.result == results[i]);
        CHECK(record.start == expected_start);
        CHECK(record.end == record.start + 7s);
        CHECK(record.wait_after == waits[i]);
        expected_start = record.end + record.wait_after;
    }
    CHECK(r.reports[1].retry_class == RetryClass::ShortBackOff);
    CHECK(r.reports[3].retry_class == RetryClass::AfterWait); // retryable, but no retries left
}

TEST_CASE("C-7.2 every number of the policy is a setting")
{
    RetryPolicy policy;
    policy.max_retries = 1;
    policy.wait = 1500ms;
    policy.in_progress_max_retries = 2;
    policy.in_progress_wait = 250ms;
    const Run r = run(policy, {VSS_E_SNAPSHOT_SET_IN_PROGRESS, VSS_E_SNAPSHOT_SET_IN_PROGRESS,
                               VSS_E_WRITERERROR_OUTOFRESOURCES, VSS_E_SNAPSHOT_SET_IN_PROGRESS});
    CHECK(r.result == VSS_E_SNAPSHOT_SET_IN_PROGRESS);
    CHECK(r.numbers.size() == 4);
    CHECK(r.waits == std::vector<Duration>{250ms, 250ms, 1500ms});

    policy.max_retries = 0;
    policy.in_progress_max_retries = 0;
    const Run none = run(policy, {VSS_E_WRITERERROR_RETRYABLE, S_OK});
    CHECK(none.numbers.size() == 1);
    CHECK(none.result == VSS_E_WRITERERROR_RETRYABLE);

    policy.max_retries = 1;
    policy.wait = Duration(0); // retry at once: no call to the clock at all
    const Run at_once = run(policy, {VSS_E_WRITERERROR_RETRYABLE, S_OK});
    CHECK(at_once.result == S_OK);
    CHECK(at_once.waits.empty());
}

TEST_CASE("C-7.2 without a report function the helper still runs")
{
    RecordingClock clock;
    unsigned calls = 0;
    const HRESULT hr = run_with_retry(
        clock, RetryPolicy{}, [&](unsigned) { return ++calls < 2 ? VSS_E_WRITERERROR_RETRYABLE : S_OK; }, {});
    CHECK(hr == S_OK);
    CHECK(calls == 2);
}

TEST_CASE("C-7.2 the wait goes through the replaceable clock: on a VirtualClock the next attempt waits for the test")
{
    VirtualClock clock;
    RetryPolicy policy;
    policy.max_retries = 1;
    std::atomic<unsigned> calls{0};
    std::atomic<bool> finished{false};
    HRESULT result = E_FAIL;
    std::thread helper([&] {
        result = run_with_retry(
            clock, policy, [&](unsigned) { return ++calls == 1 ? VSS_E_WRITERERROR_RETRYABLE : S_OK; }, {});
        finished = true;
    });
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (clock.waiters() == 0 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(1ms);
    }
    REQUIRE(clock.waiters() == 1);
    std::this_thread::sleep_for(20ms); // real time passes; virtual time does not
    CHECK(calls.load() == 1);
    clock.advance(10min - 1ms);
    std::this_thread::sleep_for(20ms);
    CHECK(calls.load() == 1);
    CHECK_FALSE(finished.load());
    clock.advance(1ms);
    helper.join();
    CHECK(calls.load() == 2);
    CHECK(result == S_OK);
    CHECK(clock.now() == TimePoint(10min));
}
