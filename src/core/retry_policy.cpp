#include "core/retry_policy.h"

namespace vssapi::core {

HRESULT run_with_retry(Clock &clock, const RetryPolicy &policy,
                       const std::function<HRESULT(unsigned attempt)> &attempt,
                       const std::function<void(const AttemptRecord &)> &report)
{
    unsigned retries_left = policy.max_retries;
    unsigned in_progress_left = policy.in_progress_max_retries;
    for (unsigned number = 1;; ++number) {
        AttemptRecord record;
        record.number = number;
        record.start = clock.now();
        record.result = attempt(number);
        record.end = clock.now();
        record.retry_class = SUCCEEDED(record.result) ? RetryClass::No : retry_class(record.result);

        bool again = false;
        switch (record.retry_class) {
        case RetryClass::AfterWait:
            if (retries_left > 0) {
                --retries_left;
                again = true;
                record.wait_after = policy.wait;
            }
            break;
        case RetryClass::ShortBackOff:
            if (in_progress_left > 0) {
                --in_progress_left;
                again = true;
                record.wait_after = policy.in_progress_wait;
            }
            break;
        case RetryClass::No:
            break;
        }

        if (report) {
            report(record);
        }
        if (!again) {
            return record.result;
        }
        if (record.wait_after > Duration::zero()) {
            clock.sleep_for(record.wait_after);
        }
    }
}

} // namespace vssapi::core
