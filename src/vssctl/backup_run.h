// vssctl's requester: one backup attempt against a scenario's writers, with
// a fresh IVssBackupComponents, through the public SDK interfaces, and what
// GetWriterStatusEx reads after each step.
#pragma once

#include "core/coordinator.h"
#include "core/hresult_text.h"
#include "core/trace.h"
#include "scenario/scenario.h"

#include <vsbackup.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vssctl {

using vssapi::core::Duration;
using vssapi::core::TimePoint;

struct ComponentFailureRow {
    std::string component; // "logical\path\name" or "name"
    HRESULT hr = S_OK;
    HRESULT hr_application = S_OK;
    std::string message;
};

// One writer as GetWriterStatusEx reports it, plus its failed components.
struct WriterRow {
    std::string name;
    std::string instance_name; // from the scenario: GetWriterStatusEx does not report it
    GUID class_id{};
    GUID instance_id{};
    VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
    HRESULT hr_writer = S_OK;
    HRESULT hr_application = S_OK;
    std::string message;
    std::vector<ComponentFailureRow> failed_components;
};

struct StepReport {
    std::string step;       // "GatherWriterMetadata", "DoSnapshotSet", ...
    HRESULT result = S_OK;  // the step's own result (IVssAsync)
    TimePoint at{};         // when it ended, on the run's clock
    HRESULT status_result = S_OK; // GatherWriterStatus afterwards
    std::vector<WriterRow> writers;
    std::vector<std::string> not_listed; // scenario writers absent from the list (C-3.3)
};

// A snapshot the attempt made: where a backup tool reads it (C-5.5).
struct SnapshotRow {
    std::string volume;   // the original volume, by its unique name
    std::string device;   // m_pwszSnapshotDeviceObject
    std::string provider; // the provider's name
    std::string read;     // --read: what the file held through the device, or why it could not be read
};

struct AttemptReport {
    unsigned number = 1;
    GUID session_id{};
    TimePoint start{};
    TimePoint end{};
    HRESULT outcome = S_OK; // the failed step's result, else the first failed writer's hrFailureWriter
    std::string outcome_source; // "DoSnapshotSet" or the writer's name
    vssapi::core::RetryClass retry_class = vssapi::core::RetryClass::No;
    Duration wait_after{0};
    std::vector<StepReport> steps;
    std::vector<SnapshotRow> snapshots; // after DoSnapshotSet succeeded
    std::vector<vssapi::core::TraceEntry> trace;
    // A restore's decisions, in order: "SetSelectedForRestore Data\\Orders -> S_OK".
    std::vector<std::string> requester_calls;
};

// Every trace entry of a coordinator, kept for the attempts to take theirs.
class TraceLog {
public:
    vssapi::core::TraceSink sink();
    std::vector<vssapi::core::TraceEntry> take(const GUID &session_id);

private:
    std::shared_ptr<std::mutex> lock_ = std::make_shared<std::mutex>();
    std::shared_ptr<std::vector<vssapi::core::TraceEntry>> entries_ =
        std::make_shared<std::vector<vssapi::core::TraceEntry>>();
};

class BackupRun {
public:
    // Called when a step ends (text output prints its table then) and when
    // one starts (the progress line shows it).
    using StepEnded = std::function<void(const AttemptReport &, const StepReport &)>;
    using StepStarted = std::function<void(const std::string &step)>;

    BackupRun(const vssapi::scenario::Scenario &scenario, std::shared_ptr<vssapi::core::Coordinator> coordinator,
              TraceLog &trace, StepStarted started, StepEnded ended);

    // One attempt on `backup`, a fresh IVssBackupComponents (the retry
    // helper's); the caller releases it. With save_document_after_snapshot,
    // the Backup Components Document is saved after BackupComplete, as a
    // backup tool keeps it (saved_document()).
    AttemptReport attempt(unsigned number, IVssBackupComponents &backup);
    void save_document_after_snapshot(bool save) { save_document_ = save; }
    // Snapshots of `volumes` (empty: the scenario's drives) by `provider`
    // (GUID_NULL: the default); with `read`, that file is read through each
    // snapshot's device after the commit.
    void choose_snapshots(GUID provider, std::vector<std::u16string> volumes, std::u16string read)
    {
        provider_ = provider;
        volumes_ = std::move(volumes);
        read_ = std::move(read);
    }
    const std::u16string &saved_document() const { return saved_document_; }

    // The restore sequence from a saved document (C-3.2): InitializeForRestore,
    // GatherWriterMetadata, the scenario's selection, PreRestore,
    // SetFileRestoreStatus(all), PostRestore; the writer table after each step.
    AttemptReport restore(IVssBackupComponents &backup, const std::u16string &document);

private:
    HRESULT run_step(AttemptReport &report, IVssBackupComponentsEx3 &backup, const char *step,
                     HRESULT (*start)(IVssBackupComponentsEx3 &, IVssAsync **));
    StepReport read_status(IVssBackupComponentsEx3 &backup, const char *step, HRESULT result);

    const vssapi::scenario::Scenario &scenario_;
    const std::shared_ptr<vssapi::core::Coordinator> coordinator_;
    TraceLog &trace_;
    StepStarted started_;
    StepEnded ended_;
    bool save_document_ = false;
    std::u16string saved_document_;
    GUID provider_{};
    std::vector<std::u16string> volumes_;
    std::u16string read_;
};

// Waits for an asynchronous step: S_OK when it finished, else its failure
// (or the failure to start it). Takes the IVssAsync reference.
HRESULT wait_for(HRESULT started, IVssAsync *async);

std::string utf8(std::u16string_view text);
std::string guid_text(const GUID &id); // "{xxxxxxxx-...}", lower case
std::string hresult_text(HRESULT hr);  // "VSS_E_WRITERERROR_RETRYABLE" or "0x80070020"
std::string hex(HRESULT hr);           // "0x80070020"

} // namespace vssctl
