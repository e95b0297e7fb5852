#include "core/state_machine.h"

namespace vssapi::core {

const char *event_name(Event event) noexcept
{
    switch (event) {
    case Event::Identify: return "Identify";
    case Event::PrepareBackup: return "PrepareForBackup";
    case Event::PrepareSnapshot: return "PrepareForSnapshot";
    case Event::Freeze: return "Freeze";
    case Event::Thaw: return "Thaw";
    case Event::PostSnapshot: return "PostSnapshot";
    case Event::Abort: return "Abort";
    case Event::BackupComplete: return "BackupComplete";
    case Event::BackupShutdown: return "BackupShutdown";
    case Event::PreRestore: return "PreRestore";
    case Event::PostRestore: return "PostRestore";
    }
    return "?";
}

const char *handler_name(Event event) noexcept
{
    switch (event) {
    case Event::Identify: return "OnIdentify";
    case Event::PrepareBackup: return "OnPrepareBackup";
    case Event::PrepareSnapshot: return "OnPrepareSnapshot";
    case Event::Freeze: return "OnFreeze";
    case Event::Thaw: return "OnThaw";
    case Event::PostSnapshot: return "OnPostSnapshot";
    case Event::Abort: return "OnAbort";
    case Event::BackupComplete: return "OnBackupComplete";
    case Event::BackupShutdown: return "OnBackupShutdown";
    case Event::PreRestore: return "OnPreRestore";
    case Event::PostRestore: return "OnPostRestore";
    }
    return "?";
}

const char *state_name(VSS_WRITER_STATE state) noexcept
{
    switch (state) {
    case VSS_WS_UNKNOWN: return "UNKNOWN";
    case VSS_WS_STABLE: return "STABLE";
    case VSS_WS_WAITING_FOR_FREEZE: return "WAITING_FOR_FREEZE";
    case VSS_WS_WAITING_FOR_THAW: return "WAITING_FOR_THAW";
    case VSS_WS_WAITING_FOR_POST_SNAPSHOT: return "WAITING_FOR_POST_SNAPSHOT";
    case VSS_WS_WAITING_FOR_BACKUP_COMPLETE: return "WAITING_FOR_BACKUP_COMPLETE";
    case VSS_WS_FAILED_AT_IDENTIFY: return "FAILED_AT_IDENTIFY";
    case VSS_WS_FAILED_AT_PREPARE_BACKUP: return "FAILED_AT_PREPARE_BACKUP";
    case VSS_WS_FAILED_AT_PREPARE_SNAPSHOT: return "FAILED_AT_PREPARE_SNAPSHOT";
    case VSS_WS_FAILED_AT_FREEZE: return "FAILED_AT_FREEZE";
    case VSS_WS_FAILED_AT_THAW: return "FAILED_AT_THAW";
    case VSS_WS_FAILED_AT_POST_SNAPSHOT: return "FAILED_AT_POST_SNAPSHOT";
    case VSS_WS_FAILED_AT_BACKUP_COMPLETE: return "FAILED_AT_BACKUP_COMPLETE";
    case VSS_WS_FAILED_AT_PRE_RESTORE: return "FAILED_AT_PRE_RESTORE";
    case VSS_WS_FAILED_AT_POST_RESTORE: return "FAILED_AT_POST_RESTORE";
    case VSS_WS_FAILED_AT_BACKUPSHUTDOWN: return "FAILED_AT_BACKUPSHUTDOWN";
    case VSS_WS_COUNT: break;
    }
    return "?";
}

bool WriterStatus::failed() const noexcept
{
    return state >= VSS_WS_FAILED_AT_IDENTIFY && state <= VSS_WS_FAILED_AT_BACKUPSHUTDOWN;
}

VSS_WRITER_STATE state_after_success(Event event, VSS_WRITER_STATE current) noexcept
{
    switch (event) {
    case Event::Identify:
    case Event::PrepareBackup:
    case Event::BackupComplete:
    case Event::PreRestore:
    case Event::PostRestore:
        return VSS_WS_STABLE;
    case Event::PrepareSnapshot: return VSS_WS_WAITING_FOR_FREEZE;
    case Event::Freeze: return VSS_WS_WAITING_FOR_THAW;
    case Event::Thaw: return VSS_WS_WAITING_FOR_POST_SNAPSHOT;
    case Event::PostSnapshot: return VSS_WS_WAITING_FOR_BACKUP_COMPLETE;
    case Event::Abort:
    case Event::BackupShutdown:
        return current; // these leave the sequence state alone (C-3.6 handles abort)
    }
    return current;
}

VSS_WRITER_STATE failed_state(Event event) noexcept
{
    switch (event) {
    case Event::Identify: return VSS_WS_FAILED_AT_IDENTIFY;
    case Event::PrepareBackup: return VSS_WS_FAILED_AT_PREPARE_BACKUP;
    case Event::PrepareSnapshot: return VSS_WS_FAILED_AT_PREPARE_SNAPSHOT;
    case Event::Freeze: return VSS_WS_FAILED_AT_FREEZE;
    case Event::Thaw: return VSS_WS_FAILED_AT_THAW;
    case Event::PostSnapshot: return VSS_WS_FAILED_AT_POST_SNAPSHOT;
    case Event::BackupComplete: return VSS_WS_FAILED_AT_BACKUP_COMPLETE;
    case Event::BackupShutdown: return VSS_WS_FAILED_AT_BACKUPSHUTDOWN;
    case Event::PreRestore: return VSS_WS_FAILED_AT_PRE_RESTORE;
    case Event::PostRestore: return VSS_WS_FAILED_AT_POST_RESTORE;
    case Event::Abort: break; // there is no FAILED_AT_ABORT (vss-facts 2.1)
    }
    return VSS_WS_UNKNOWN;
}

bool is_accepted_writer_failure(HRESULT hr, bool ex) noexcept
{
    switch (hr) {
    case VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT:
    case VSS_E_WRITERERROR_OUTOFRESOURCES:
    case VSS_E_WRITERERROR_TIMEOUT:
    case VSS_E_WRITERERROR_RETRYABLE:
    case VSS_E_WRITERERROR_NONRETRYABLE:
        return true;
    case S_OK:
    case VSS_E_WRITERERROR_PARTIAL_FAILURE:
        return ex; // only SetWriterFailureEx takes these (C-2.1)
    default:
        return false;
    }
}

WriterStatus status_after_handler(const WriterStatus &before, Event event, HandlerEnd end,
                                  const FailureReport *report)
{
    WriterStatus after = before;
    const bool error_set = report != nullptr && report->hr_writer != S_OK;
    auto fail = [&](HRESULT hr_writer, HRESULT hr_application, std::u16string message) {
        if (event != Event::Abort) {
            after.state = failed_state(event);
        }
        after.hr_failure = hr_writer;
        after.hr_application = hr_application;
        after.message = std::move(message);
        return after;
    };
    switch (end) {
    case HandlerEnd::ReturnedTrue:
        if (error_set) {
            return fail(report->hr_writer, report->hr_application, report->message); // a veto
        }
        after.state = state_after_success(event, before.state);
        after.hr_failure = S_OK;
        after.hr_application = report != nullptr ? report->hr_application : S_OK;
        after.message = report != nullptr ? report->message : std::u16string();
        return after;
    case HandlerEnd::ReturnedFalse:
        if (error_set) {
            return fail(report->hr_writer, report->hr_application, report->message);
        }
        return fail(VSS_E_WRITERERROR_NONRETRYABLE, report != nullptr ? report->hr_application : S_OK,
                    report != nullptr ? report->message : std::u16string());
    case HandlerEnd::Threw:
        return fail(VSS_E_WRITERERROR_NONRETRYABLE, S_OK, {});
    case HandlerEnd::TimedOut:
        return fail(VSS_E_WRITER_NOT_RESPONDING, S_OK, {});
    case HandlerEnd::FreezeTimeout:
        after.state = VSS_WS_FAILED_AT_FREEZE;
        after.hr_failure = VSS_E_WRITERERROR_TIMEOUT;
        after.hr_application = S_OK;
        after.message.clear();
        return after;
    case HandlerEnd::NoSession:
        return fail(VSS_E_WRITER_STATUS_NOT_AVAILABLE, S_OK, {});
    }
    return after;
}

WriterStatus status_after_abort(const WriterStatus &before, bool by_requester, Event last_event)
{
    if (before.failed()) {
        return before; // the failure is kept through any number of aborts
    }
    WriterStatus after;
    if (by_requester) {
        after.state = VSS_WS_STABLE;
    } else {
        // "State: Failed, Last error: No error", as vssadmin shows after such aborts.
        after.state = failed_state(last_event);
    }
    return after;
}

} // namespace vssapi::core
