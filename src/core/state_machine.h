// The two state machines of one session, in one place, as pure functions:
//  - the requester's: which IVssBackupComponents call each phase admits and
//    the phase it leads to (contract C-3.8), one table in state_machine.cpp;
//  - each writer's: which state follows which event, and the outcome table of
//    contract C-2.5.
// The Session applies them through its single transition points
// (transition() and record()), which log every change when VSSAPI_TRACE=1.
#pragma once

#include <vss.h>
#include <vswriter.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace vssapi::core {

// ---- the requester's sequence (C-3.1, C-3.8) --------------------------------

// Where one IVssBackupComponents object is in its backup.
enum class Phase : std::uint8_t {
    Created,
    Initialized,      // InitializeForBackup
    MetadataGathered, // GatherWriterMetadata finished
    BackupPrepared,   // PrepareForBackup finished
    SnapshotCreated,  // DoSnapshotSet committed the set
    SnapshotFailed,   // DoSnapshotSet ended without a set
    Completed,        // BackupComplete finished
    Aborted,          // AbortBackup
    // A restore (C-3.2): the same object, started with InitializeForRestore.
    RestoreInitialized, // InitializeForRestore read the Backup Components Document
    RestoreGathered,    // GatherWriterMetadata finished during a restore
    PreRestored,        // PreRestore finished
    PostRestored,       // PostRestore finished
};
inline constexpr int kPhaseCount = 12;

// A restore phase (RestoreInitialized on).
bool is_restore(Phase phase) noexcept;

const char *phase_name(Phase phase) noexcept;

// Every requester call whose admission depends on the sequence.
enum class Call : std::uint8_t {
    InitializeForBackup,
    SetContext,
    SetBackupState,
    DisableWriterClasses,
    EnableWriterClasses,
    DisableWriterInstances,
    GatherWriterMetadata,
    GetWriterMetadataCount,
    GetWriterMetadata,
    GetWriterMetadataEx,
    FreeWriterMetadata,
    AddComponent,
    SetBackupOptions,
    SetPreviousBackupStamp,
    GetWriterComponentsCount,
    GetWriterComponents,
    PrepareForBackup,
    StartSnapshotSet,
    AddToSnapshotSet,
    DoSnapshotSet,
    SetBackupSucceeded,
    BackupComplete,
    GatherWriterStatus,
    GetWriterStatusCount,
    GetWriterStatus,
    GetWriterStatusEx,
    FreeWriterStatus,
    AbortBackup,
    // The documents and the restore sequence (C-8).
    SaveAsXML,
    InitializeForRestore,
    SetRestoreState,
    SetSelectedForRestore,
    SetSelectedForRestoreEx,
    SetRestoreOptions,
    SetAdditionalRestores,
    AddRestoreSubcomponent,
    AddNewTarget,
    AddAlternativeLocationMapping,
    SetRangesFilePath,
    SetAuthoritativeRestore,
    SetRollForward,
    SetRestoreName,
    PreRestore,
    SetFileRestoreStatus,
    PostRestore,
    ImportSnapshots,
};
inline constexpr int kCallCount = 46;

const char *call_name(Call call) noexcept; // the SDK method: "DoSnapshotSet"

// What the rules read besides the phase.
struct SessionFacts {
    Phase phase = Phase::Created;
    std::optional<Call> running;  // an asynchronous step that has not finished
    bool writers = true;          // the context has writers (no VSS_VOLSNAP_ATTR_NO_WRITERS)
    bool set_started = false;     // StartSnapshotSet succeeded
    bool set_in_creation = false; // ... and neither DoSnapshotSet's end nor AbortBackup came yet
    bool status_gathered = false; // a GatherWriterStatus finished and FreeWriterStatus did not follow
    bool metadata_freed = false;  // FreeWriterMetadata
    bool shut_down = false;       // the object is being released
    bool resumed = false;         // InitializeForBackup(xml): a saved document resumed
};

// The state machine's answer to a call: S_OK (admitted) or VSS_E_BAD_STATE
// with the reason in words: the call, what had to come first, the phase.
struct Admission {
    HRESULT hr = S_OK;
    std::string reason;
};

Admission admit(Call call, const SessionFacts &facts);

// The phase `call`, made in phase `from`, leads to when it ends (an
// asynchronous step: when its work ends), or nullopt when the phase stays.
// `succeeded` matters for DoSnapshotSet only: a set, or none.
std::optional<Phase> phase_after(Call call, bool succeeded, Phase from) noexcept;

// AbortBackup does something only while a backup is under way: from
// StartSnapshotSet or PrepareForBackup until BackupComplete (the SDK ignores
// it otherwise).
bool backup_under_way(const SessionFacts &facts) noexcept;

// A snapshot set exists (OnBackupShutdown carries its id, else GUID_NULL).
bool snapshot_set_made(Phase phase) noexcept;

// ---- each writer's sequence (C-2.5, C-3.1, C-3.6) -----------------------------

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

// C-2.2: the longest message SetWriterFailureEx, IVssComponentEx2::SetFailure
// and a scenario file's message take, in UTF-16 code units.
inline constexpr std::size_t kMaxFailureMessage = 32767;

// C-2.1: the codes SetWriterFailureEx (ex) or SetWriterFailure (!ex) accept.
bool is_accepted_writer_failure(HRESULT hr, bool ex) noexcept;

// C-2.5 (with C-4.3, C-4.4, C-4.7): a writer's status after a handler.
WriterStatus status_after_handler(const WriterStatus &before, Event event, HandlerEnd end,
                                  const FailureReport *report);

// C-3.6: status after OnAbort. `by_requester` is AbortBackup; otherwise the
// service aborted (commit failure) and `last_event` is the writer's last one.
WriterStatus status_after_abort(const WriterStatus &before, bool by_requester, Event last_event);

} // namespace vssapi::core
