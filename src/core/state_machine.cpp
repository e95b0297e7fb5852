#include "core/state_machine.h"

#include <array>

namespace vssapi::core {

// ---- the requester's sequence ------------------------------------------------

namespace {

using PhaseSet = std::uint16_t; // bit i: Phase(i)

// One row's cells, one per phase in the order of the header below:
// 'x' admitted, 'w' admitted only when writers take part, 'n' only in a
// context without writers, '.' refused.
struct Cells {
    PhaseSet with_writers = 0;
    PhaseSet without_writers = 0;
};

consteval Cells cells(const char *row)
{
    Cells out;
    int phase = 0;
    for (const char *cell = row; *cell != '\0'; ++cell) {
        if (*cell == ' ') {
            continue;
        }
        if (phase == kPhaseCount) {
            throw "a row has one cell per phase";
        }
        const auto bit = static_cast<PhaseSet>(1u << phase++);
        switch (*cell) {
        case 'x': out.with_writers |= bit; out.without_writers |= bit; break;
        case 'w': out.with_writers |= bit; break;
        case 'n': out.without_writers |= bit; break;
        case '.': break;
        default: throw "a cell is x, w, n or .";
        }
    }
    if (phase != kPhaseCount) {
        throw "a row has one cell per phase";
    }
    return out;
}

// What a call needs besides its phase.
enum Need : unsigned {
    None = 0,
    Idle = 1u << 0,           // no asynchronous step running
    SetNotStarted = 1u << 1,  // one snapshot set per requester object
    SetStarted = 1u << 2,     // StartSnapshotSet came first
    SetInCreation = 1u << 3,  // StartSnapshotSet came first and DoSnapshotSet has not ended
    StatusGathered = 1u << 4, // a GatherWriterStatus finished (and FreeWriterStatus did not follow)
    MetadataKept = 1u << 5,   // FreeWriterMetadata did not come
    Resumed = 1u << 6,        // InitializeForBackup(xml) resumed a saved document
};

constexpr std::optional<Phase> kStays = std::nullopt;

struct CallRule {
    Call call;
    const char *name;
    Cells phases;
    unsigned needs;
    std::optional<Phase> next;        // when the call (or its asynchronous work) ends
    std::optional<Phase> next_failed; // when it ends without doing its work (DoSnapshotSet: no set)
    std::optional<Phase> next_in_restore = std::nullopt; // GatherWriterMetadata during a restore
};

using P = Phase;

// The whole sequence of IVssBackupComponents, backup (contract C-3.1, C-3.8)
// and restore (C-3.2, C-8). Phases: Created, Initialized, MetadataGathered,
// BackupPrepared, SnapshotCreated, SnapshotFailed, Completed, Aborted; then
// the restore's RestoreInitialized, RestoreGathered, PreRestored, PostRestored.
constexpr CallRule kRules[] = {
    //                                                        Cr In MG BP SC SF Co Ab Ri Rg Pr Po
    {Call::InitializeForBackup,      "InitializeForBackup",      cells("x  .  .  .  .  .  .  .  .  .  .  ."), None,
     P::Initialized, kStays},
    {Call::SetContext,               "SetContext",               cells(".  x  .  .  .  .  .  .  .  .  .  ."), Idle, kStays, kStays},
    {Call::SetBackupState,           "SetBackupState",           cells(".  x  x  .  .  .  .  .  .  .  .  ."), Idle, kStays, kStays},
    {Call::DisableWriterClasses,     "DisableWriterClasses",     cells(".  x  .  .  .  .  .  .  x  .  .  ."), Idle, kStays, kStays},
    {Call::EnableWriterClasses,      "EnableWriterClasses",      cells(".  x  .  .  .  .  .  .  x  .  .  ."), Idle, kStays, kStays},
    {Call::DisableWriterInstances,   "DisableWriterInstances",   cells(".  x  .  .  .  .  .  .  x  .  .  ."), Idle, kStays, kStays},
    {Call::GatherWriterMetadata,     "GatherWriterMetadata",     cells(".  x  .  .  .  .  .  .  x  .  .  ."), Idle,
     P::MetadataGathered, P::MetadataGathered, P::RestoreGathered},
    {Call::GetWriterMetadataCount,   "GetWriterMetadataCount",   cells(".  .  x  x  x  x  x  x  .  x  x  x"), None, kStays, kStays},
    {Call::GetWriterMetadata,        "GetWriterMetadata",        cells(".  .  x  x  x  x  x  x  .  x  x  x"), MetadataKept,
     kStays, kStays},
    {Call::GetWriterMetadataEx,      "GetWriterMetadataEx",      cells(".  .  x  x  x  x  x  x  .  x  x  x"), MetadataKept,
     kStays, kStays},
    {Call::FreeWriterMetadata,       "FreeWriterMetadata",       cells(".  .  x  x  x  x  x  x  .  x  x  x"), None, kStays, kStays},
    {Call::AddComponent,             "AddComponent",             cells(".  .  x  .  .  .  .  .  .  .  .  ."), Idle, kStays, kStays},
    {Call::SetBackupOptions,         "SetBackupOptions",         cells(".  .  x  .  .  .  .  .  .  .  .  ."), Idle, kStays, kStays},
    {Call::SetPreviousBackupStamp,   "SetPreviousBackupStamp",   cells(".  .  x  .  .  .  .  .  .  .  .  ."), Idle, kStays, kStays},
    {Call::GetWriterComponentsCount, "GetWriterComponentsCount", cells(".  .  x  x  x  x  x  x  x  x  x  x"), Idle, kStays, kStays},
    {Call::GetWriterComponents,      "GetWriterComponents",      cells(".  .  x  x  x  x  x  x  x  x  x  x"), Idle, kStays, kStays},
    {Call::PrepareForBackup,         "PrepareForBackup",         cells(".  .  w  .  .  .  .  .  .  .  .  ."), Idle,
     P::BackupPrepared, P::BackupPrepared},
    {Call::StartSnapshotSet,         "StartSnapshotSet",         cells(".  n  x  x  .  .  .  .  .  .  .  ."), Idle | SetNotStarted,
     kStays, kStays},
    {Call::AddToSnapshotSet,         "AddToSnapshotSet",         cells(".  x  x  x  x  x  x  x  .  .  .  ."), Idle | SetInCreation,
     kStays, kStays},
    {Call::DoSnapshotSet,            "DoSnapshotSet",            cells(".  n  n  x  .  .  .  .  .  .  .  ."), Idle | SetStarted,
     P::SnapshotCreated, P::SnapshotFailed},
    {Call::SetBackupSucceeded,       "SetBackupSucceeded",       cells(".  .  .  .  x  .  .  .  .  .  .  ."), Idle, kStays, kStays},
    {Call::BackupComplete,           "BackupComplete",           cells(".  .  .  .  x  .  .  .  .  .  .  ."), Idle,
     P::Completed, P::Completed},
    {Call::GatherWriterStatus,       "GatherWriterStatus",       cells(".  .  x  x  x  x  x  x  .  x  x  x"), Idle, kStays, kStays},
    {Call::GetWriterStatusCount,     "GetWriterStatusCount",     cells(".  .  x  x  x  x  x  x  .  x  x  x"), Idle | StatusGathered,
     kStays, kStays},
    {Call::GetWriterStatus,          "GetWriterStatus",          cells(".  .  x  x  x  x  x  x  .  x  x  x"), Idle | StatusGathered,
     kStays, kStays},
    {Call::GetWriterStatusEx,        "GetWriterStatusEx",        cells(".  .  x  x  x  x  x  x  .  x  x  x"), Idle | StatusGathered,
     kStays, kStays},
    {Call::FreeWriterStatus,         "FreeWriterStatus",         cells(".  .  x  x  x  x  x  x  .  x  x  x"), Idle | StatusGathered,
     kStays, kStays},
    {Call::AbortBackup,              "AbortBackup",              cells(".  x  x  x  x  x  x  x  .  .  .  ."), None,
     P::Aborted, P::Aborted},
    // C-8.1: the document holds what PrepareForBackup's writers wrote; not in a restore.
    {Call::SaveAsXML,                "SaveAsXML",                cells(".  .  .  x  x  x  x  .  .  .  .  ."), Idle, kStays, kStays},
    {Call::InitializeForRestore,     "InitializeForRestore",     cells("x  .  .  .  .  .  .  .  .  .  .  ."), None,
     P::RestoreInitialized, kStays},
    // C-8.6: what the requester decides about the restore, before PreRestore.
    {Call::SetRestoreState,          "SetRestoreState",          cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetSelectedForRestore,    "SetSelectedForRestore",    cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetSelectedForRestoreEx,  "SetSelectedForRestoreEx",  cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetRestoreOptions,        "SetRestoreOptions",        cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetAdditionalRestores,    "SetAdditionalRestores",    cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::AddRestoreSubcomponent,   "AddRestoreSubcomponent",   cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::AddNewTarget,             "AddNewTarget",             cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::AddAlternativeLocationMapping, "AddAlternativeLocationMapping",
                                                                 cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetRangesFilePath,        "SetRangesFilePath",        cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetAuthoritativeRestore,  "SetAuthoritativeRestore",  cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetRollForward,           "SetRollForward",           cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::SetRestoreName,           "SetRestoreName",           cells(".  .  .  .  .  .  .  .  x  x  .  ."), Idle, kStays, kStays},
    {Call::PreRestore,               "PreRestore",               cells(".  .  .  .  .  .  .  .  .  x  .  ."), Idle,
     P::PreRestored, P::PreRestored},
    // After the files are back, before PostRestore (SetFileRestoreStatus page).
    {Call::SetFileRestoreStatus,     "SetFileRestoreStatus",     cells(".  .  .  .  .  .  .  .  .  .  x  ."), Idle, kStays, kStays},
    {Call::PostRestore,              "PostRestore",              cells(".  .  .  .  .  .  .  .  .  .  x  ."), Idle,
     P::PostRestored, P::PostRestored},
    // Transportable snapshots of a resumed backup document (InitializeForBackup(xml)).
    {Call::ImportSnapshots,          "ImportSnapshots",          cells(".  x  x  .  .  .  .  .  .  .  .  ."), Idle | Resumed,
     kStays, kStays},
};

static_assert(std::size(kRules) == kCallCount, "one rule per call");
static_assert([] {
    for (int i = 0; i < kCallCount; ++i) {
        if (static_cast<int>(kRules[i].call) != i) {
            return false;
        }
    }
    return true;
}(), "rules in the order of enum Call");

const CallRule &rule_of(Call call) noexcept
{
    return kRules[static_cast<int>(call)];
}

constexpr PhaseSet kRestorePhases = static_cast<PhaseSet>(
    (1u << static_cast<int>(Phase::RestoreInitialized)) | (1u << static_cast<int>(Phase::RestoreGathered)) |
    (1u << static_cast<int>(Phase::PreRestored)) | (1u << static_cast<int>(Phase::PostRestored)));

bool in(PhaseSet phases, Phase phase) noexcept
{
    return (phases >> static_cast<int>(phase) & 1u) != 0;
}

// How a refusal names the phase: what the requester did last.
const char *phase_story(Phase phase) noexcept
{
    switch (phase) {
    case Phase::Created: return "on a new object (before InitializeForBackup or InitializeForRestore)";
    case Phase::Initialized: return "after InitializeForBackup";
    case Phase::MetadataGathered: return "after GatherWriterMetadata";
    case Phase::BackupPrepared: return "after PrepareForBackup";
    case Phase::SnapshotCreated: return "after DoSnapshotSet made its set";
    case Phase::SnapshotFailed: return "after a DoSnapshotSet that made no set";
    case Phase::Completed: return "after BackupComplete";
    case Phase::Aborted: return "after AbortBackup";
    case Phase::RestoreInitialized: return "after InitializeForRestore";
    case Phase::RestoreGathered: return "after GatherWriterMetadata (restore)";
    case Phase::PreRestored: return "after PreRestore";
    case Phase::PostRestored: return "after PostRestore";
    }
    return "?";
}

// The call whose end leads into `phase`, for "X before <call> completed".
std::string arrival(Phase phase)
{
    for (const CallRule &rule : kRules) {
        if ((rule.next == phase || rule.next_in_restore == phase) && rule.call != Call::AbortBackup) {
            const bool asynchronous = rule.call != Call::InitializeForBackup && rule.call != Call::InitializeForRestore;
            return std::string(rule.name) + (asynchronous ? " completed" : "");
        }
    }
    return phase_name(phase);
}

std::string admitted_phases(PhaseSet phases)
{
    std::string out;
    for (int i = 0; i < kPhaseCount; ++i) {
        if (in(phases, static_cast<Phase>(i))) {
            out += out.empty() ? "" : ", ";
            out += phase_story(static_cast<Phase>(i));
        }
    }
    return out;
}

Admission refuse(const CallRule &rule, const std::string &why)
{
    return {VSS_E_BAD_STATE, std::string(rule.name) + " " + why};
}

} // namespace

const char *phase_name(Phase phase) noexcept
{
    switch (phase) {
    case Phase::Created: return "Created";
    case Phase::Initialized: return "Initialized";
    case Phase::MetadataGathered: return "MetadataGathered";
    case Phase::BackupPrepared: return "BackupPrepared";
    case Phase::SnapshotCreated: return "SnapshotCreated";
    case Phase::SnapshotFailed: return "SnapshotFailed";
    case Phase::Completed: return "Completed";
    case Phase::Aborted: return "Aborted";
    case Phase::RestoreInitialized: return "RestoreInitialized";
    case Phase::RestoreGathered: return "RestoreGathered";
    case Phase::PreRestored: return "PreRestored";
    case Phase::PostRestored: return "PostRestored";
    }
    return "?";
}

bool is_restore(Phase phase) noexcept
{
    return static_cast<int>(phase) >= static_cast<int>(Phase::RestoreInitialized);
}

const char *call_name(Call call) noexcept
{
    return rule_of(call).name;
}

Admission admit(Call call, const SessionFacts &facts)
{
    const CallRule &rule = rule_of(call);
    if (facts.shut_down) {
        return refuse(rule, "after the requester object was released");
    }
    const PhaseSet phases = facts.writers ? rule.phases.with_writers : rule.phases.without_writers;
    if (!in(phases, facts.phase)) {
        if (phases == 0) {
            return refuse(rule, "in a context without writers (VSS_VOLSNAP_ATTR_NO_WRITERS): no writer takes part");
        }
        // Created starts both sequences; past it, only the phases of the
        // object's own sequence (backup or restore) say what had to come first.
        // Created starts both sequences (counted as the backup's here); past
        // it, the phases of the object's own sequence say what had to come first.
        const bool restore = is_restore(facts.phase);
        const PhaseSet mode = restore ? kRestorePhases : static_cast<PhaseSet>(~kRestorePhases);
        const PhaseSet listed = (phases & mode) != 0 ? (phases & mode) : phases;
        std::string when;
        if (facts.phase != Phase::Created && (phases & mode) == 0) {
            when = restore ? "in a restore (the object was initialized with InitializeForRestore)"
                           : "in a backup (the object was initialized with InitializeForBackup)";
        } else {
            int first = 0;
            while (!in(listed, static_cast<Phase>(first))) {
                ++first;
            }
            when = static_cast<int>(facts.phase) < first ? "before " + arrival(static_cast<Phase>(first))
                                                         : std::string(phase_story(facts.phase));
        }
        return refuse(rule, when + " (admitted only " + admitted_phases(listed) + ")");
    }
    if ((rule.needs & Idle) != 0 && facts.running) {
        return refuse(rule, std::string("while ") + call_name(*facts.running) +
                                " is still running (wait for its IVssAsync to finish)");
    }
    if ((rule.needs & SetNotStarted) != 0 && facts.set_started) {
        return refuse(rule, "a second time: this requester's snapshot set was started already "
                            "(one set per IVssBackupComponents)");
    }
    if ((rule.needs & (SetStarted | SetInCreation)) != 0 && !facts.set_started) {
        return refuse(rule, "before StartSnapshotSet");
    }
    if ((rule.needs & SetInCreation) != 0 && !facts.set_in_creation) {
        return refuse(rule, "after the snapshot set left creation (DoSnapshotSet ended or AbortBackup came)");
    }
    if ((rule.needs & StatusGathered) != 0 && !facts.status_gathered) {
        return refuse(rule, "before GatherWriterStatus completed (or after FreeWriterStatus)");
    }
    if ((rule.needs & MetadataKept) != 0 && facts.metadata_freed) {
        return refuse(rule, "after FreeWriterMetadata");
    }
    if ((rule.needs & Resumed) != 0 && !facts.resumed) {
        return refuse(rule, "in a backup that InitializeForBackup did not resume from a saved document");
    }
    return {};
}

std::optional<Phase> phase_after(Call call, bool succeeded, Phase from) noexcept
{
    const CallRule &rule = rule_of(call);
    if (is_restore(from) && rule.next_in_restore) {
        return rule.next_in_restore;
    }
    return succeeded ? rule.next : rule.next_failed;
}

bool backup_under_way(const SessionFacts &facts) noexcept
{
    switch (facts.phase) {
    case Phase::Created:
    case Phase::Completed:
    case Phase::Aborted:
    case Phase::RestoreInitialized:
    case Phase::RestoreGathered:
    case Phase::PreRestored:
    case Phase::PostRestored:
        return false;
    case Phase::BackupPrepared:
    case Phase::SnapshotCreated:
    case Phase::SnapshotFailed:
        return true;
    case Phase::Initialized:
    case Phase::MetadataGathered:
        return facts.set_started;
    }
    return false;
}

bool snapshot_set_made(Phase phase) noexcept
{
    return phase == Phase::SnapshotCreated || phase == Phase::Completed;
}

// ---- each writer's sequence ----------------------------------------------------

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
