// The two state machines of core/state_machine.h, cell by cell. Every
// expected value here is written out: the tests restate the contract (C-2.5,
// C-3.6, C-3.8, C-4.3, C-4.4, C-4.7) and never ask the code under test.
#include "core/state_machine.h"

#include <vsserror.h>

#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <string>

using namespace vssapi::core;

namespace {

constexpr Phase kPhases[] = {Phase::Created,         Phase::Initialized,        Phase::MetadataGathered,
                             Phase::BackupPrepared,  Phase::SnapshotCreated,    Phase::SnapshotFailed,
                             Phase::Completed,       Phase::Aborted,            Phase::RestoreInitialized,
                             Phase::RestoreGathered, Phase::PreRestored,        Phase::PostRestored};

// What a call × phase cell should answer, per configuration of the other facts:
//   WA: writers take part, no snapshot set started, no status gathered
//   WB: writers take part, set started and in creation, status gathered
//   NA, NB: the same in a context without writers (VSS_VOLSNAP_ATTR_NO_WRITERS)
// 'x' admitted (S_OK), '.' VSS_E_BAD_STATE. Phases: Cr In MG BP SC SF Co Ab, then
// the restore's Ri Rg Pr Po.
struct Expected {
    Call call;
    const char *name;
    const char *wa, *wb, *na, *nb;
};

constexpr Expected kExpected[] = {
    {Call::InitializeForBackup, "InitializeForBackup", "x...........", "x...........", "x...........", "x..........."},
    {Call::SetContext, "SetContext", ".x..........", ".x..........", ".x..........", ".x.........."},
    {Call::SetBackupState, "SetBackupState", ".xx.........", ".xx.........", ".xx.........", ".xx........."},
    {Call::DisableWriterClasses, "DisableWriterClasses", ".x......x...", ".x......x...", ".x......x...", ".x......x..."},
    {Call::EnableWriterClasses, "EnableWriterClasses", ".x......x...", ".x......x...", ".x......x...", ".x......x..."},
    {Call::DisableWriterInstances, "DisableWriterInstances", ".x......x...", ".x......x...", ".x......x...", ".x......x..."},
    {Call::GatherWriterMetadata, "GatherWriterMetadata", ".x......x...", ".x......x...", ".x......x...", ".x......x..."},
    {Call::GetWriterMetadataCount, "GetWriterMetadataCount", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx"},
    {Call::GetWriterMetadata, "GetWriterMetadata", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx"},
    {Call::GetWriterMetadataEx, "GetWriterMetadataEx", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx"},
    {Call::FreeWriterMetadata, "FreeWriterMetadata", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx"},
    {Call::AddComponent, "AddComponent", "..x.........", "..x.........", "..x.........", "..x........."},
    {Call::SetBackupOptions, "SetBackupOptions", "..x.........", "..x.........", "..x.........", "..x........."},
    {Call::SetPreviousBackupStamp, "SetPreviousBackupStamp", "..x.........", "..x.........", "..x.........", "..x........."},
    {Call::GetWriterComponentsCount, "GetWriterComponentsCount", "..xxxxxxxxxx", "..xxxxxxxxxx", "..xxxxxxxxxx", "..xxxxxxxxxx"},
    {Call::GetWriterComponents, "GetWriterComponents", "..xxxxxxxxxx", "..xxxxxxxxxx", "..xxxxxxxxxx", "..xxxxxxxxxx"},
    {Call::PrepareForBackup, "PrepareForBackup", "..x.........", "..x.........", "............", "............"},
    {Call::StartSnapshotSet, "StartSnapshotSet", "..xx........", "............", ".xxx........", "............"},
    {Call::AddToSnapshotSet, "AddToSnapshotSet", "............", ".xxxxxxx....", "............", ".xxxxxxx...."},
    {Call::DoSnapshotSet, "DoSnapshotSet", "............", "...x........", "............", ".xxx........"},
    {Call::SetBackupSucceeded, "SetBackupSucceeded", "....x.......", "....x.......", "....x.......", "....x......."},
    {Call::BackupComplete, "BackupComplete", "....x.......", "....x.......", "....x.......", "....x......."},
    {Call::GatherWriterStatus, "GatherWriterStatus", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx", "..xxxxxx.xxx"},
    {Call::GetWriterStatusCount, "GetWriterStatusCount", "............", "..xxxxxx.xxx", "............", "..xxxxxx.xxx"},
    {Call::GetWriterStatus, "GetWriterStatus", "............", "..xxxxxx.xxx", "............", "..xxxxxx.xxx"},
    {Call::GetWriterStatusEx, "GetWriterStatusEx", "............", "..xxxxxx.xxx", "............", "..xxxxxx.xxx"},
    {Call::FreeWriterStatus, "FreeWriterStatus", "............", "..xxxxxx.xxx", "............", "..xxxxxx.xxx"},
    {Call::AbortBackup, "AbortBackup", ".xxxxxxx....", ".xxxxxxx....", ".xxxxxxx....", ".xxxxxxx...."},
    {Call::SaveAsXML, "SaveAsXML", "...xxxx.....", "...xxxx.....", "...xxxx.....", "...xxxx....."},
    {Call::InitializeForRestore, "InitializeForRestore", "x...........", "x...........", "x...........", "x..........."},
    {Call::SetRestoreState, "SetRestoreState", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetSelectedForRestore, "SetSelectedForRestore", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetSelectedForRestoreEx, "SetSelectedForRestoreEx", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetRestoreOptions, "SetRestoreOptions", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetAdditionalRestores, "SetAdditionalRestores", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::AddRestoreSubcomponent, "AddRestoreSubcomponent", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::AddNewTarget, "AddNewTarget", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::AddAlternativeLocationMapping, "AddAlternativeLocationMapping", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetRangesFilePath, "SetRangesFilePath", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetAuthoritativeRestore, "SetAuthoritativeRestore", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetRollForward, "SetRollForward", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::SetRestoreName, "SetRestoreName", "........xx..", "........xx..", "........xx..", "........xx.."},
    {Call::PreRestore, "PreRestore", ".........x..", ".........x..", ".........x..", ".........x.."},
    {Call::SetFileRestoreStatus, "SetFileRestoreStatus", "..........x.", "..........x.", "..........x.", "..........x."},
    {Call::PostRestore, "PostRestore", "..........x.", "..........x.", "..........x.", "..........x."},
    {Call::ImportSnapshots, "ImportSnapshots", "............", "............", "............", "............"},
};
static_assert(std::size(kExpected) == kCallCount, "every call has its row");

SessionFacts facts(Phase phase, bool writers, bool b)
{
    SessionFacts f;
    f.phase = phase;
    f.writers = writers;
    f.set_started = b;
    f.set_in_creation = b;
    f.status_gathered = b;
    return f;
}

bool starts_with(const std::string &text, const char *prefix)
{
    return text.compare(0, std::strlen(prefix), prefix) == 0;
}

} // namespace

TEST_CASE("C-3.8 state machine: every call in every phase, with and without writers, before and after the set")
{
    for (const Expected &row : kExpected) {
        CAPTURE(row.name);
        CHECK(std::string(call_name(row.call)) == row.name);
        const char *const columns[] = {row.wa, row.wb, row.na, row.nb};
        for (int config = 0; config < 4; ++config) {
            CAPTURE(config);
            for (int p = 0; p < kPhaseCount; ++p) {
                CAPTURE(phase_name(kPhases[p]));
                const Admission answer = admit(row.call, facts(kPhases[p], config < 2, config % 2 == 1));
                if (columns[config][p] == 'x') {
                    CHECK(answer.hr == S_OK);
                    CHECK(answer.reason.empty());
                } else {
                    CHECK(answer.hr == VSS_E_BAD_STATE);
                    CHECK(starts_with(answer.reason, row.name)); // the reason names the call first
                }
            }
        }
    }
}

TEST_CASE("C-3.8 state machine: a refusal says what had to come first and where the requester is")
{
    SessionFacts f = facts(Phase::MetadataGathered, true, true);
    CHECK(admit(Call::DoSnapshotSet, f).reason ==
          "DoSnapshotSet before PrepareForBackup completed (admitted only after PrepareForBackup)");

    f = facts(Phase::SnapshotCreated, true, false);
    CHECK(admit(Call::GetWriterStatusEx, f).reason ==
          "GetWriterStatusEx before GatherWriterStatus completed (or after FreeWriterStatus)");

    f = facts(Phase::BackupPrepared, true, false);
    CHECK(admit(Call::AddComponent, f).reason ==
          "AddComponent after PrepareForBackup (admitted only after GatherWriterMetadata)");

    f = facts(Phase::Created, true, false);
    CHECK(admit(Call::GatherWriterMetadata, f).reason ==
          "GatherWriterMetadata before InitializeForBackup (admitted only after InitializeForBackup)");
    CHECK(admit(Call::AbortBackup, f).reason ==
          "AbortBackup before InitializeForBackup (admitted only after InitializeForBackup, after "
          "GatherWriterMetadata, after PrepareForBackup, after DoSnapshotSet made its set, after a DoSnapshotSet "
          "that made no set, after BackupComplete, after AbortBackup)");

    f = facts(Phase::MetadataGathered, false, false);
    CHECK(admit(Call::PrepareForBackup, f).reason ==
          "PrepareForBackup in a context without writers (VSS_VOLSNAP_ATTR_NO_WRITERS): no writer takes part");

    f = facts(Phase::MetadataGathered, true, false);
    CHECK(admit(Call::AddToSnapshotSet, f).reason == "AddToSnapshotSet before StartSnapshotSet");
    CHECK(admit(Call::DoSnapshotSet, facts(Phase::BackupPrepared, true, false)).reason ==
          "DoSnapshotSet before StartSnapshotSet");

    f = facts(Phase::BackupPrepared, true, true);
    CHECK(admit(Call::StartSnapshotSet, f).reason ==
          "StartSnapshotSet a second time: this requester's snapshot set was started already (one set per "
          "IVssBackupComponents)");

    f = facts(Phase::SnapshotCreated, true, true);
    f.set_in_creation = false;
    CHECK(admit(Call::AddToSnapshotSet, f).reason ==
          "AddToSnapshotSet after the snapshot set left creation (DoSnapshotSet ended or AbortBackup came)");
}

TEST_CASE("C-8.2 state machine: ImportSnapshots needs a resumed document")
{
    SessionFacts f = facts(Phase::Initialized, true, false);
    CHECK(admit(Call::ImportSnapshots, f).reason ==
          "ImportSnapshots in a backup that InitializeForBackup did not resume from a saved document");
    f.resumed = true;
    CHECK(admit(Call::ImportSnapshots, f).hr == S_OK);
    f.phase = Phase::MetadataGathered;
    CHECK(admit(Call::ImportSnapshots, f).hr == S_OK);
    f.phase = Phase::BackupPrepared;
    CHECK(admit(Call::ImportSnapshots, f).hr == VSS_E_BAD_STATE);
}

TEST_CASE("C-3.2 state machine: a restore's refusals say which sequence the object is in")
{
    SessionFacts f = facts(Phase::Created, true, false);
    CHECK(admit(Call::PreRestore, f).reason ==
          "PreRestore before GatherWriterMetadata completed (admitted only after GatherWriterMetadata (restore))");
    CHECK(admit(Call::SetSelectedForRestore, f).reason ==
          "SetSelectedForRestore before InitializeForRestore (admitted only after InitializeForRestore, after "
          "GatherWriterMetadata (restore))");

    f = facts(Phase::MetadataGathered, true, false);
    CHECK(admit(Call::PreRestore, f).reason ==
          "PreRestore in a backup (the object was initialized with InitializeForBackup) (admitted only after "
          "GatherWriterMetadata (restore))");

    f = facts(Phase::RestoreGathered, true, false);
    CHECK(admit(Call::PrepareForBackup, f).reason ==
          "PrepareForBackup in a restore (the object was initialized with InitializeForRestore) (admitted only "
          "after GatherWriterMetadata)");
    CHECK(admit(Call::SaveAsXML, f).reason ==
          "SaveAsXML in a restore (the object was initialized with InitializeForRestore) (admitted only after "
          "PrepareForBackup, after DoSnapshotSet made its set, after a DoSnapshotSet that made no set, after "
          "BackupComplete)");
    CHECK(admit(Call::PostRestore, f).reason ==
          "PostRestore before PreRestore completed (admitted only after PreRestore)");

    f = facts(Phase::PostRestored, true, false);
    CHECK(admit(Call::SetSelectedForRestore, f).reason ==
          "SetSelectedForRestore after PostRestore (admitted only after InitializeForRestore, after "
          "GatherWriterMetadata (restore))");
    CHECK(admit(Call::InitializeForRestore, f).reason ==
          "InitializeForRestore in a restore (the object was initialized with InitializeForRestore) (admitted only "
          "on a new object (before InitializeForBackup or InitializeForRestore))");

    f = facts(Phase::BackupPrepared, true, false);
    CHECK(admit(Call::SaveAsXML, f).reason.empty());
    f = facts(Phase::MetadataGathered, true, false);
    CHECK(admit(Call::SaveAsXML, f).reason ==
          "SaveAsXML before PrepareForBackup completed (admitted only after PrepareForBackup, after DoSnapshotSet "
          "made its set, after a DoSnapshotSet that made no set, after BackupComplete)");
}

TEST_CASE("C-3.8 state machine: while a step runs only the calls that do not need it idle are admitted")
{
    SessionFacts f = facts(Phase::MetadataGathered, true, true);
    f.running = Call::PrepareForBackup;
    CHECK(admit(Call::AddComponent, f).hr == VSS_E_BAD_STATE);
    CHECK(admit(Call::AddComponent, f).reason ==
          "AddComponent while PrepareForBackup is still running (wait for its IVssAsync to finish)");
    CHECK(admit(Call::GatherWriterStatus, f).hr == VSS_E_BAD_STATE);
    CHECK(admit(Call::GetWriterStatus, f).hr == VSS_E_BAD_STATE);
    CHECK(admit(Call::AddToSnapshotSet, f).hr == VSS_E_BAD_STATE);
    CHECK(admit(Call::GetWriterComponents, f).hr == VSS_E_BAD_STATE);
    // These read what GatherWriterMetadata left and need no quiet session.
    CHECK(admit(Call::GetWriterMetadataCount, f).hr == S_OK);
    CHECK(admit(Call::GetWriterMetadataEx, f).hr == S_OK);
    CHECK(admit(Call::FreeWriterMetadata, f).hr == S_OK);
    CHECK(admit(Call::AbortBackup, f).hr == S_OK);
}

TEST_CASE("C-3.8 state machine: FreeWriterMetadata ends GetWriterMetadata(Ex); a released object admits nothing")
{
    SessionFacts f = facts(Phase::BackupPrepared, true, false);
    f.metadata_freed = true;
    CHECK(admit(Call::GetWriterMetadata, f).reason == "GetWriterMetadata after FreeWriterMetadata");
    CHECK(admit(Call::GetWriterMetadataEx, f).hr == VSS_E_BAD_STATE);
    CHECK(admit(Call::GetWriterMetadataCount, f).hr == S_OK);
    CHECK(admit(Call::FreeWriterMetadata, f).hr == S_OK);

    f = facts(Phase::Created, true, false);
    f.shut_down = true;
    for (const Expected &row : kExpected) {
        CAPTURE(row.name);
        CHECK(admit(row.call, f).reason == std::string(row.name) + " after the requester object was released");
    }
}

TEST_CASE("C-3.1 state machine: the phase each call leads to")
{
    struct Next {
        Call call;
        std::optional<Phase> done, failed;
    };
    const Next next[] = {
        {Call::InitializeForBackup, Phase::Initialized, Phase::Initialized},
        {Call::GatherWriterMetadata, Phase::MetadataGathered, Phase::MetadataGathered},
        {Call::PrepareForBackup, Phase::BackupPrepared, Phase::BackupPrepared},
        {Call::DoSnapshotSet, Phase::SnapshotCreated, Phase::SnapshotFailed},
        {Call::BackupComplete, Phase::Completed, Phase::Completed},
        {Call::AbortBackup, Phase::Aborted, Phase::Aborted},
    };
    for (const Next &row : next) {
        CAPTURE(call_name(row.call));
        CHECK(phase_after(row.call, true, Phase::Created) == row.done);
        // InitializeForBackup has no failing end (its refusal changes nothing).
        if (row.call != Call::InitializeForBackup) {
            CHECK(phase_after(row.call, false, Phase::Created) == row.failed);
        }
    }
    // C-3.2: the restore's steps.
    CHECK(phase_after(Call::InitializeForRestore, true, Phase::Created) == Phase::RestoreInitialized);
    CHECK(phase_after(Call::GatherWriterMetadata, true, Phase::RestoreInitialized) == Phase::RestoreGathered);
    CHECK(phase_after(Call::PreRestore, true, Phase::RestoreGathered) == Phase::PreRestored);
    CHECK(phase_after(Call::PostRestore, true, Phase::PreRestored) == Phase::PostRestored);
    for (const Call stays : {Call::SaveAsXML, Call::SetSelectedForRestore, Call::SetFileRestoreStatus,
                             Call::SetRestoreState}) {
        CAPTURE(call_name(stays));
        CHECK(phase_after(stays, true, Phase::RestoreGathered) == std::nullopt);
    }
    for (const Call stays : {Call::SetContext, Call::SetBackupState, Call::AddComponent, Call::StartSnapshotSet,
                             Call::AddToSnapshotSet, Call::GatherWriterStatus, Call::GetWriterStatusEx,
                             Call::FreeWriterStatus, Call::SetBackupSucceeded, Call::FreeWriterMetadata}) {
        CAPTURE(call_name(stays));
        CHECK(phase_after(stays, true, Phase::MetadataGathered) == std::nullopt);
        CHECK(phase_after(stays, false, Phase::MetadataGathered) == std::nullopt);
    }
}

TEST_CASE("C-3.6 state machine: AbortBackup acts only while a backup is under way")
{
    //                         Cr     In     MG     BP    SC    SF    Co     Ab     Ri     Rg     Pr     Po
    const bool without_set[] = {false, false, false, true, true, true, false, false, false, false, false, false};
    const bool with_set[] = {false, true, true, true, true, true, false, false, false, false, false, false};
    static_assert(std::size(without_set) == kPhaseCount && std::size(with_set) == kPhaseCount);
    for (int p = 0; p < kPhaseCount; ++p) {
        CAPTURE(phase_name(kPhases[p]));
        CHECK(backup_under_way(facts(kPhases[p], true, false)) == without_set[p]);
        CHECK(backup_under_way(facts(kPhases[p], true, true)) == with_set[p]);
    }
    //                  Cr     In     MG     BP     SC    SF     Co    Ab     Ri     Rg     Pr     Po
    const bool made[] = {false, false, false, false, true, false, true, false, false, false, false, false};
    static_assert(std::size(made) == kPhaseCount);
    for (int p = 0; p < kPhaseCount; ++p) {
        CHECK(snapshot_set_made(kPhases[p]) == made[p]);
    }
}

// ---- each writer's sequence --------------------------------------------------

namespace {

struct Outcome {
    VSS_WRITER_STATE state;
    HRESULT hr_failure;
    HRESULT hr_application;
    const char16_t *message;
};

void check(const WriterStatus &status, const Outcome &expected)
{
    CHECK(status.state == expected.state);
    CHECK(status.hr_failure == expected.hr_failure);
    CHECK(status.hr_application == expected.hr_application);
    CHECK(status.message == std::u16string(expected.message));
}

} // namespace

TEST_CASE("C-2.5 state machine: every event x every handler ending, literal outcomes")
{
    // Per event: the state a success leads to and the FAILED_AT_ state. OnAbort
    // has no FAILED_AT_ state (a failure keeps the state, C-3.6) and OnAbort,
    // OnBackupShutdown leave the sequence state as it was (STABLE here).
    struct EventRow {
        Event event;
        VSS_WRITER_STATE success;
        VSS_WRITER_STATE failed;
    };
    const EventRow events[] = {
        {Event::Identify, VSS_WS_STABLE, VSS_WS_FAILED_AT_IDENTIFY},
        {Event::PrepareBackup, VSS_WS_STABLE, VSS_WS_FAILED_AT_PREPARE_BACKUP},
        {Event::PrepareSnapshot, VSS_WS_WAITING_FOR_FREEZE, VSS_WS_FAILED_AT_PREPARE_SNAPSHOT},
        {Event::Freeze, VSS_WS_WAITING_FOR_THAW, VSS_WS_FAILED_AT_FREEZE},
        {Event::Thaw, VSS_WS_WAITING_FOR_POST_SNAPSHOT, VSS_WS_FAILED_AT_THAW},
        {Event::PostSnapshot, VSS_WS_WAITING_FOR_BACKUP_COMPLETE, VSS_WS_FAILED_AT_POST_SNAPSHOT},
        {Event::Abort, VSS_WS_STABLE, VSS_WS_STABLE},
        {Event::BackupComplete, VSS_WS_STABLE, VSS_WS_FAILED_AT_BACKUP_COMPLETE},
        {Event::BackupShutdown, VSS_WS_STABLE, VSS_WS_FAILED_AT_BACKUPSHUTDOWN},
        {Event::PreRestore, VSS_WS_STABLE, VSS_WS_FAILED_AT_PRE_RESTORE},
        {Event::PostRestore, VSS_WS_STABLE, VSS_WS_FAILED_AT_POST_RESTORE},
    };
    FailureReport ok; // SetWriterFailureEx(S_OK, 9, "m")
    ok.hr_application = 9;
    ok.message = u"m";
    FailureReport error = ok; // SetWriterFailureEx(TIMEOUT, 9, "m")
    error.hr_writer = VSS_E_WRITERERROR_TIMEOUT;

    for (const EventRow &row : events) {
        CAPTURE(event_name(row.event));
        const WriterStatus before; // STABLE, S_OK, S_OK, NULL
        const VSS_WRITER_STATE s = row.success;
        const VSS_WRITER_STATE f = row.failed;
        SUBCASE("returned true")
        {
            check(status_after_handler(before, row.event, HandlerEnd::ReturnedTrue, nullptr), {s, S_OK, S_OK, u""});
            check(status_after_handler(before, row.event, HandlerEnd::ReturnedTrue, &ok), {s, S_OK, 9, u"m"});
            check(status_after_handler(before, row.event, HandlerEnd::ReturnedTrue, &error),
                  {f, VSS_E_WRITERERROR_TIMEOUT, 9, u"m"});
        }
        SUBCASE("returned false")
        {
            check(status_after_handler(before, row.event, HandlerEnd::ReturnedFalse, nullptr),
                  {f, VSS_E_WRITERERROR_NONRETRYABLE, S_OK, u""});
            check(status_after_handler(before, row.event, HandlerEnd::ReturnedFalse, &ok),
                  {f, VSS_E_WRITERERROR_NONRETRYABLE, 9, u"m"});
            check(status_after_handler(before, row.event, HandlerEnd::ReturnedFalse, &error),
                  {f, VSS_E_WRITERERROR_TIMEOUT, 9, u"m"});
        }
        SUBCASE("threw, with or without a failure set")
        {
            check(status_after_handler(before, row.event, HandlerEnd::Threw, nullptr),
                  {f, VSS_E_WRITERERROR_NONRETRYABLE, S_OK, u""});
            check(status_after_handler(before, row.event, HandlerEnd::Threw, &error),
                  {f, VSS_E_WRITERERROR_NONRETRYABLE, S_OK, u""});
        }
        SUBCASE("C-4.4 timed out")
        {
            check(status_after_handler(before, row.event, HandlerEnd::TimedOut, nullptr),
                  {f, VSS_E_WRITER_NOT_RESPONDING, S_OK, u""});
        }
        SUBCASE("C-4.3 freeze timeout: always FAILED_AT_FREEZE")
        {
            check(status_after_handler(before, row.event, HandlerEnd::FreezeTimeout, &ok),
                  {VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_TIMEOUT, S_OK, u""});
        }
        SUBCASE("C-4.7 no session")
        {
            check(status_after_handler(before, row.event, HandlerEnd::NoSession, nullptr),
                  {f, VSS_E_WRITER_STATUS_NOT_AVAILABLE, S_OK, u""});
        }
    }
}

TEST_CASE("C-2.5 state machine: a success replaces an earlier session value; SetWriterFailure codes (C-2.1)")
{
    WriterStatus before;
    before.state = VSS_WS_WAITING_FOR_FREEZE;
    before.hr_application = 5;
    before.message = u"old";
    check(status_after_handler(before, Event::Freeze, HandlerEnd::ReturnedTrue, nullptr),
          {VSS_WS_WAITING_FOR_THAW, S_OK, S_OK, u""});
    // OnAbort and OnBackupShutdown leave the sequence state alone.
    check(status_after_handler(before, Event::BackupShutdown, HandlerEnd::ReturnedTrue, nullptr),
          {VSS_WS_WAITING_FOR_FREEZE, S_OK, S_OK, u""});
    check(status_after_handler(before, Event::Abort, HandlerEnd::ReturnedFalse, nullptr),
          {VSS_WS_WAITING_FOR_FREEZE, VSS_E_WRITERERROR_NONRETRYABLE, S_OK, u""});

    const HRESULT five[] = {VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT, VSS_E_WRITERERROR_OUTOFRESOURCES,
                            VSS_E_WRITERERROR_TIMEOUT, VSS_E_WRITERERROR_RETRYABLE, VSS_E_WRITERERROR_NONRETRYABLE};
    for (const HRESULT hr : five) {
        CHECK(is_accepted_writer_failure(hr, false));
        CHECK(is_accepted_writer_failure(hr, true));
    }
    CHECK(is_accepted_writer_failure(S_OK, true));
    CHECK(is_accepted_writer_failure(VSS_E_WRITERERROR_PARTIAL_FAILURE, true));
    CHECK_FALSE(is_accepted_writer_failure(S_OK, false));
    CHECK_FALSE(is_accepted_writer_failure(VSS_E_WRITERERROR_PARTIAL_FAILURE, false));
    CHECK_FALSE(is_accepted_writer_failure(E_FAIL, true));
    CHECK_FALSE(is_accepted_writer_failure(VSS_E_WRITER_NOT_RESPONDING, true));
}

TEST_CASE("C-3.6 state machine: the status after OnAbort")
{
    WriterStatus waiting;
    waiting.state = VSS_WS_WAITING_FOR_THAW;
    // The requester's AbortBackup: back to STABLE.
    check(status_after_abort(waiting, true, Event::Freeze), {VSS_WS_STABLE, S_OK, S_OK, u""});
    // The service's abort: FAILED_AT_<last event>, "Last error: No error".
    check(status_after_abort(waiting, false, Event::Freeze), {VSS_WS_FAILED_AT_FREEZE, S_OK, S_OK, u""});
    check(status_after_abort(waiting, false, Event::PrepareSnapshot),
          {VSS_WS_FAILED_AT_PREPARE_SNAPSHOT, S_OK, S_OK, u""});
    // A failure is kept through any number of aborts.
    WriterStatus failed;
    failed.state = VSS_WS_FAILED_AT_FREEZE;
    failed.hr_failure = VSS_E_WRITERERROR_RETRYABLE;
    failed.hr_application = 7;
    failed.message = u"busy";
    check(status_after_abort(failed, true, Event::Freeze), {VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_RETRYABLE, 7,
                                                            u"busy"});
    check(status_after_abort(failed, false, Event::Thaw), {VSS_WS_FAILED_AT_FREEZE, VSS_E_WRITERERROR_RETRYABLE, 7,
                                                           u"busy"});
}
