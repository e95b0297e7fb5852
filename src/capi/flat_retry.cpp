// The flat API's retry section (C-7.2): vss_retry_run and its COM twin
// vss_retry_run_com (vssapi/retry.h) share the policy check, the report and
// the closing message; both run core's run_with_retry on the coordinator's clock.
#include "capi/flat_common.h"
#include "capi/sized.h"
#include "com/ref.h"
#include "core/retry_policy.h"
#include "requester/backup_components.h"

#include <vssapi/retry.h>

#include <cstdio>
#include <functional>

using namespace vssapi::capi;
using vssapi::com::Ref;
using vssapi::core::AttemptRecord;
using vssapi::core::Coordinator;
using vssapi::core::RetryClass;
using vssapi::core::RetryPolicy;

namespace {

// The caller's policy (NULL: the defaults), within the header's limits.
HRESULT read_policy(const char *function, const vss_retry_policy *policy, RetryPolicy &out)
{
    out = RetryPolicy{};
    if (policy == nullptr) {
        return S_OK;
    }
    const HRESULT sized = check_sized(function, "policy", policy);
    if (FAILED(sized)) {
        return sized;
    }
    const vss_retry_policy given = read_sized(*policy);
    if (given.max_retries > VSS_RETRY_MAX_RETRIES || given.in_progress_max_retries > VSS_RETRY_MAX_RETRIES) {
        return fail(function, E_INVALIDARG, "more retries than VSS_RETRY_MAX_RETRIES (100)");
    }
    if (given.wait_ms > VSS_RETRY_MAX_WAIT_MS || given.in_progress_wait_ms > VSS_RETRY_MAX_WAIT_MS) {
        return fail(function, E_INVALIDARG, "a wait longer than VSS_RETRY_MAX_WAIT_MS (24 hours)");
    }
    if (given.reserved != 0) {
        return fail(function, E_INVALIDARG, "policy->reserved is not 0");
    }
    out.max_retries = given.max_retries;
    out.wait = vssapi::core::Duration(static_cast<int64_t>(given.wait_ms));
    out.in_progress_max_retries = given.in_progress_max_retries;
    out.in_progress_wait = vssapi::core::Duration(static_cast<int64_t>(given.in_progress_wait_ms));
    return S_OK;
}

// What both retry entry points check before running anything.
HRESULT read_retry_arguments(const char *function, bool has_attempt, const vss_retry_policy *policy,
                             RetryPolicy &out)
{
    if (!has_attempt) {
        return fail(function, E_INVALIDARG, "attempt is NULL");
    }
    return read_policy(function, policy, out);
}

uint64_t clock_ms(vssapi::core::TimePoint time)
{
    const auto ms = time.time_since_epoch().count();
    return ms > 0 ? static_cast<uint64_t>(ms) : 0;
}

// Runs the policy; `attempt` makes the fresh requester, calls the caller and
// releases it. Leaves a message saying why the run stopped when it failed.
HRESULT run_retry(const char *function, vssapi::core::Clock &clock, const RetryPolicy &policy,
                  const std::function<HRESULT(unsigned)> &attempt, vss_retry_report_fn report, void *user)
{
    AttemptRecord last;
    const HRESULT hr = vssapi::core::run_with_retry(clock, policy, attempt, [&](const AttemptRecord &record) {
        last = record;
        if (report != nullptr) {
            vss_retry_attempt flat{};
            flat.size = sizeof flat; // the library's layout: the caller reads the fields its size holds
            flat.number = record.number;
            flat.result = record.result;
            flat.retry_class = flat_retry_class(record.retry_class);
            flat.start_ms = clock_ms(record.start);
            flat.end_ms = clock_ms(record.end);
            flat.wait_ms = static_cast<uint64_t>(record.wait_after.count());
            report(user, &flat);
        }
    });
    if (FAILED(hr)) {
        // "attempt 4, retryable but no retry left (max_retries 3): <meaning>"
        char why[96];
        switch (last.retry_class) {
        case RetryClass::No:
            std::snprintf(why, sizeof why, "attempt %u, not retryable", last.number);
            break;
        case RetryClass::AfterWait:
            std::snprintf(why, sizeof why, "attempt %u, retryable but no retry left (max_retries %u)", last.number,
                          policy.max_retries);
            break;
        case RetryClass::ShortBackOff:
            std::snprintf(why, sizeof why, "attempt %u, retryable but no retry left (in_progress_max_retries %u)",
                          last.number, policy.in_progress_max_retries);
            break;
        }
        const vssapi::core::HresultText *text = vssapi::core::find_hresult(hr);
        const std::string detail = text != nullptr ? std::string(why) + ": " + text->meaning : std::string(why);
        return fail(function, hr, detail.c_str());
    }
    return hr;
}

// One attempt's requester, made fresh and released when the attempt ends
// (before any wait); an exception becomes the attempt's result.
template <class Interface, class Call>
HRESULT with_fresh_requester(const std::shared_ptr<Coordinator> &service, Call &&call)
{
    Ref<Interface> fresh;
    try {
        fresh.p = new vssapi::requester::BackupComponents(service);
        return call(fresh.p);
    } catch (...) {
        return vssapi::com::hresult_from_current_exception();
    }
}

} // namespace

extern "C" {

VSSAPI_EXPORT vss_hresult VSS_CALL vss_retry_policy_default(vss_retry_policy *policy) noexcept
try {
    VSSAPI_FLAT_REQUIRE_SIZED(policy)
    const RetryPolicy defaults;
    vss_retry_policy filled{};
    filled.max_retries = defaults.max_retries;
    filled.wait_ms = static_cast<uint64_t>(defaults.wait.count());
    filled.in_progress_max_retries = defaults.in_progress_max_retries;
    filled.reserved = 0;
    filled.in_progress_wait_ms = static_cast<uint64_t>(defaults.in_progress_wait.count());
    write_sized(*policy, filled);
    return S_OK;
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT vss_hresult VSS_CALL vss_retry_run(vss_coordinator *coordinator, const vss_retry_policy *policy,
                                                 vss_retry_attempt_fn attempt, vss_retry_report_fn report,
                                                 void *user) noexcept
try {
    RetryPolicy settings;
    const HRESULT checked = read_retry_arguments(__func__, attempt != nullptr, policy, settings);
    if (FAILED(checked)) {
        return checked;
    }
    const std::shared_ptr<Coordinator> service = coordinator_of(coordinator);
    return run_retry(
        __func__, *service->clock(), settings,
        [&](unsigned number) -> HRESULT {
            return with_fresh_requester<IVssBackupComponentsEx4>(service, [&](IVssBackupComponentsEx4 *fresh) {
                return attempt(user, reinterpret_cast<vss_requester *>(fresh), number);
            });
        },
        report, user);
}
VSSAPI_FLAT_CATCH

VSSAPI_EXPORT HRESULT VSS_CALL vss_retry_run_com(const vss_retry_policy *policy, vss_retry_com_attempt_fn attempt,
                                                 vss_retry_report_fn report, void *user) noexcept
try {
    RetryPolicy settings;
    const HRESULT checked = read_retry_arguments(__func__, attempt != nullptr, policy, settings);
    if (FAILED(checked)) {
        return checked;
    }
    // CreateVssBackupComponents' object, on the coordinator current now.
    const std::shared_ptr<Coordinator> service = Coordinator::current();
    return run_retry(
        __func__, *service->clock(), settings,
        [&](unsigned number) -> HRESULT {
            return with_fresh_requester<IVssBackupComponents>(
                service, [&](IVssBackupComponents *fresh) { return attempt(user, fresh, number); });
        },
        report, user);
}
VSSAPI_FLAT_CATCH

} // extern "C"
