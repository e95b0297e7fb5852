// The retry helper of contract C-7.2: run an attempt, classify its result
// with retry_class (C-7.1), wait through the replaceable clock (C-4.5), try
// again with a fresh attempt, within two separate budgets. The flat C API
// (vss_retry_run) and the COM one (vss_retry_run_com) are thin layers over it.
#pragma once

#include "core/clock.h"
#include "core/hresult_text.h"

#include <vssapi/platform.h>

#include <chrono>
#include <functional>

namespace vssapi::core {

// Every number is a setting (C-7.2).
struct RetryPolicy {
    // The writer and commit codes of C-7.1 (RetryClass::AfterWait): Microsoft's
    // guidance on the GetWriterStatus, SetWriterFailureEx and DoSnapshotSet
    // pages is "wait ten minutes, then repeat, at most three times".
    unsigned max_retries = 3;
    Duration wait = std::chrono::minutes(10);
    // VSS_E_SNAPSHOT_SET_IN_PROGRESS (RetryClass::ShortBackOff): another set is
    // being created, so a short back-off. Microsoft gives no numbers; 5 retries
    // 30 s apart is UrBackup's client (urbackupclient/client_winvss.cpp), the
    // most careful policy among the peers (peers.md §1.5).
    unsigned in_progress_max_retries = 5;
    Duration in_progress_wait = std::chrono::seconds(30);
};

// One attempt, as reported once its outcome and the wait after it are known.
struct AttemptRecord {
    unsigned number = 0;          // 1 for the first attempt
    HRESULT result = S_OK;        // what the attempt returned
    RetryClass retry_class = RetryClass::No; // of result; No for a success code
    TimePoint start{};            // the clock's time when the attempt began
    TimePoint end{};              // ... and when it returned
    Duration wait_after{0};       // the wait before the next attempt; 0 if none
};

// Runs attempt(1); while its result is a failure of a retryable class whose
// budget is not spent, reports it, waits that class's wait through
// clock.sleep_for, and runs attempt(n + 1). The AfterWait and ShortBackOff
// budgets are counted separately. A success code or a non-retryable failure
// ends the run at once. Every attempt, the last included, is reported once
// (before the wait that follows it); `report` may be empty. Returns the last
// attempt's result. Exceptions from `attempt` or `report` propagate.
HRESULT run_with_retry(Clock &clock, const RetryPolicy &policy,
                       const std::function<HRESULT(unsigned attempt)> &attempt,
                       const std::function<void(const AttemptRecord &)> &report);

} // namespace vssapi::core
