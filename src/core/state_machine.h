// The writer state machine of one session, in one place: which state follows
// which event, and the outcome table of contract C-2.5. Pure functions; the
// Session applies them through its single transition point, which can log
// every change (VSSAPI_TRACE=1).
#pragma once

#include <vss.h>
#include <vswriter.h>

#include <string>

namespace vssapi::core {

enum class Event {
    Identify,
    PrepareBackup,
    PrepareSnapshot,
    Freeze,
    Thaw,
    PostSnapshot,
    Abort,
    BackupComplete,
    BackupShutdown,
    PreRestore,
    PostRestore,
};

const char *event_name(Event event) noexcept;   // the VSS event: "PrepareForBackup"
const char *handler_name(Event event) noexcept; // the CVssWriter handler: "OnPrepareBackup"

// What a writer reports about itself in one session (GetWriterStatusEx).
// An empty message is reported as a NULL BSTR (C-2.2).
struct WriterStatus {
    VSS_WRITER_STATE state = VSS_WS_STABLE;
    HRESULT hr_failure = S_OK;
    HRESULT hr_application = S_OK;
    std::u16string message;

    bool failed() const noexcept;
};

// A SetWriterFailure(Ex) call accepted during the running handler.
struct FailureReport {
    HRESULT hr_writer = S_OK;
    HRESULT hr_application = S_OK;
    std::u16string message;
};

// How a handler ended.
enum class HandlerEnd {
    ReturnedTrue,
    ReturnedFalse,
    Threw,       // a C++ exception reached the library (C-2.5 last row)
    TimedOut,    // did not return within the event timeout (C-4.4)
    FreezeTimeout, // missed its dwTimeoutFreeze window (C-4.3)
    NoSession,   // its session limit was reached (C-4.7)
};

const char *state_name(VSS_WRITER_STATE state) noexcept;

// C-3.1 / C-3.2: the state a writer reaches when `event` succeeds.
VSS_WRITER_STATE state_after_success(Event event, VSS_WRITER_STATE current) noexcept;

// FAILED_AT_<event>.
VSS_WRITER_STATE failed_state(Event event) noexcept;

// C-2.1: the codes SetWriterFailureEx (ex) or SetWriterFailure (!ex) accept.
bool is_accepted_writer_failure(HRESULT hr, bool ex) noexcept;

// C-2.5 (with C-4.3, C-4.4, C-4.7): a writer's status after a handler.
WriterStatus status_after_handler(const WriterStatus &before, Event event, HandlerEnd end,
                                  const FailureReport *report);

// C-3.6: status after OnAbort. `by_requester` is AbortBackup; otherwise the
// service aborted (commit failure) and `last_event` is the writer's last one.
WriterStatus status_after_abort(const WriterStatus &before, bool by_requester, Event last_event);

} // namespace vssapi::core
