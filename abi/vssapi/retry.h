/*
 * vssapi/retry.h - the retry helper (contract C-7.2) for requesters written
 * against the SDK's COM interfaces (<vsbackup.h>).
 *
 * The same helper as vss_retry_run in <vssapi/vssapi.h>, with the same policy
 * and report structs, but every attempt gets a fresh IVssBackupComponents,
 * made as CreateVssBackupComponents makes it: on the coordinator that is
 * current when the run starts (the process's embedded service unless a test
 * made another one current), whose clock the waits go through.
 *
 *     HRESULT hr = vssapi::retry(nullptr, [&](IVssBackupComponents *bc, unsigned attempt) -> HRESULT {
 *         ... InitializeForBackup ... DoSnapshotSet ... GatherWriterStatus ...
 *         return failed_writer ? its_hrWriterFailure : S_OK;
 *     });
 */
#ifndef VSSAPI_RETRY_H
#define VSSAPI_RETRY_H

#include "../vsbackup.h"
#include "vssapi.h"

VSSAPI_BEGIN_DECLS

/* One attempt: run the backup on `fresh` and return S_OK, or the HRESULT that made the attempt
 * fail: a step's failure (IVssAsync::QueryStatus's result, or e.g. StartSnapshotSet's
 * VSS_E_SNAPSHOT_SET_IN_PROGRESS), or the hrWriterFailure of a writer it found failed in
 * GetWriterStatus(Ex) (a writer's failure does not fail DoSnapshotSet, C-3.7). The helper holds
 * the reference to `fresh` and releases it right after the callback returns (OnBackupShutdown),
 * before any wait: do not Release it yourself (AddRef it to keep it longer). */
typedef HRESULT(VSS_CALL *vss_retry_com_attempt_fn)(void *user, IVssBackupComponents *fresh, uint32_t attempt);

/* As vss_retry_run (same policy, limits, report and E_INVALIDARG rules), with a fresh
 * IVssBackupComponents per attempt on the current coordinator. policy NULL: the defaults;
 * report may be NULL. Returns the last attempt's result; on failure
 * vss_last_error_message() says why the run stopped. */
VSSAPI_EXPORT HRESULT VSS_CALL vss_retry_run_com(const vss_retry_policy *policy, vss_retry_com_attempt_fn attempt,
                                                 vss_retry_report_fn report, void *user) VSSAPI_NOTHROW;

VSSAPI_END_DECLS

#ifdef __cplusplus
#include <new>
#include <type_traits>

namespace vssapi {

/* Header-inline C++ over vss_retry_run_com: `attempt` is any callable taking
 * (IVssBackupComponents *, unsigned attempt) and returning an HRESULT; `report` any callable
 * taking (const vss_retry_attempt &). No exception crosses into the library: one thrown by
 * `attempt` becomes that attempt's result (std::bad_alloc E_OUTOFMEMORY, anything else
 * E_UNEXPECTED, neither retryable), one thrown by `report` is dropped. */
namespace retry_detail {

struct NoReport {
    void operator()(const vss_retry_attempt &) const {}
};

template <class Attempt, class Report>
struct Context {
    Attempt &attempt;
    Report &report;
};

template <class Attempt, class Report>
HRESULT VSS_CALL attempt_trampoline(void *user, IVssBackupComponents *fresh, uint32_t number)
{
    try {
        return static_cast<HRESULT>(static_cast<Context<Attempt, Report> *>(user)->attempt(
            fresh, static_cast<unsigned>(number)));
    } catch (const std::bad_alloc &) {
        return E_OUTOFMEMORY;
    } catch (...) {
        return E_UNEXPECTED;
    }
}

template <class Attempt, class Report>
void VSS_CALL report_trampoline(void *user, const vss_retry_attempt *record)
{
    try {
        static_cast<Context<Attempt, Report> *>(user)->report(*record);
    } catch (...) {
        /* a report cannot stop the run; its exception goes no further */
    }
}

} // namespace retry_detail

template <class Attempt, class Report = retry_detail::NoReport>
HRESULT retry(const vss_retry_policy *policy, Attempt &&attempt, Report &&report = Report()) noexcept
{
    typedef typename std::remove_reference<Attempt>::type A;
    typedef typename std::remove_reference<Report>::type R;
    retry_detail::Context<A, R> context = {attempt, report};
    return vss_retry_run_com(policy, &retry_detail::attempt_trampoline<A, R>,
                             &retry_detail::report_trampoline<A, R>, &context);
}

template <class Attempt, class Report = retry_detail::NoReport>
HRESULT retry(const vss_retry_policy &policy, Attempt &&attempt, Report &&report = Report()) noexcept
{
    return vssapi::retry(&policy, static_cast<Attempt &&>(attempt), static_cast<Report &&>(report));
}

} // namespace vssapi
#endif /* __cplusplus */

#endif /* VSSAPI_RETRY_H */
