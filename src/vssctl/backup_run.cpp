#include "vssctl/backup_run.h"

#include "com/bstr.h"
#include "com/guid.h"
#include "com/ref.h"
#include "com/utf.h"
#include "core/coordinator.h"
#include "providers/folder_volume.h"
#include "requester/component_selection.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <cstdio>
#include <set>

namespace vssctl {

using vssapi::com::Bstr;
using vssapi::com::Ref;
namespace core = vssapi::core;

std::string utf8(std::u16string_view text)
{
    return vssapi::com::utf16_to_utf8(text);
}

std::string guid_text(const GUID &id)
{
    std::string text = vssapi::com::format_guid(id); // GCC 12 -O3 warns (falsely) on "{" + string
    text.insert(text.begin(), '{');
    text.push_back('}');
    return text;
}

std::string hex(HRESULT hr)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(hr));
    return text;
}

std::string hresult_text(HRESULT hr)
{
    const core::HresultText *row = core::find_hresult(hr);
    return row != nullptr ? row->name : hex(hr);
}

HRESULT wait_for(HRESULT started, IVssAsync *async)
{
    if (FAILED(started)) {
        return started;
    }
    if (async == nullptr) {
        return E_UNEXPECTED;
    }
    Ref<IVssAsync> owned;
    owned.p = async;
    HRESULT hr = owned->Wait(INFINITE);
    if (FAILED(hr)) {
        return hr;
    }
    HRESULT status = E_UNEXPECTED;
    hr = owned->QueryStatus(&status, nullptr);
    if (FAILED(hr)) {
        return hr;
    }
    return status == VSS_S_ASYNC_FINISHED ? S_OK : status;
}

// ---- trace ------------------------------------------------------------------

core::TraceSink TraceLog::sink()
{
    return [lock = lock_, entries = entries_](const core::TraceEntry &entry) {
        const std::lock_guard<std::mutex> hold(*lock);
        entries->push_back(entry);
    };
}

std::vector<core::TraceEntry> TraceLog::take(const GUID &session_id)
{
    const std::lock_guard<std::mutex> hold(*lock_);
    std::vector<core::TraceEntry> mine;
    std::vector<core::TraceEntry> others;
    for (core::TraceEntry &entry : *entries_) {
        (IsEqualGUID(entry.session_id, session_id) ? mine : others).push_back(std::move(entry));
    }
    *entries_ = std::move(others);
    return mine;
}

// ---- one attempt ---------------------------------------------------------

namespace {

// The volumes a scenario's components live on ("C:\" from "C:\Data\..."),
// or C:\ alone when none names a drive.
std::vector<std::u16string> volumes_of(const vssapi::scenario::Scenario &scenario)
{
    std::set<std::u16string> volumes;
    for (const auto &writer : scenario.writers) {
        for (const core::ComponentDecl &component : writer.metadata.components) {
            for (const auto *files : {&component.files, &component.databases, &component.logs}) {
                for (const core::FileSpec &file : *files) {
                    if (file.path.size() >= 2 && file.path[1] == u':') {
                        std::u16string volume = file.path.substr(0, 2) + u"\\";
                        if (volume[0] >= u'a' && volume[0] <= u'z') {
                            volume[0] = static_cast<char16_t>(volume[0] - u'a' + u'A');
                        }
                        volumes.insert(volume);
                    }
                }
            }
        }
    }
    if (volumes.empty()) {
        volumes.insert(u"C:\\");
    }
    return {volumes.begin(), volumes.end()};
}

// What a backup tool sees of a snapshot: GetSnapshotProperties, and with
// `read`, the file read through the device path as it would read it.
SnapshotRow describe_snapshot(IVssBackupComponentsEx3 &backup, const VSS_ID &snapshot_id, const std::u16string &read)
{
    SnapshotRow row;
    VSS_SNAPSHOT_PROP prop{};
    if (FAILED(backup.GetSnapshotProperties(snapshot_id, &prop))) {
        row.device = "(no properties)";
        return row;
    }
    auto text = [](const VSS_PWSZ value) {
        return value == nullptr ? std::string() : utf8(reinterpret_cast<const char16_t *>(value));
    };
    row.volume = text(prop.m_pwszOriginalVolumeName);
    row.device = text(prop.m_pwszSnapshotDeviceObject);
    if (const auto provider = vssapi::core::Coordinator::current()->find_provider(prop.m_ProviderId)) {
        row.provider = utf8(provider->info().name);
    }
    VssFreeSnapshotProperties(&prop);
    if (!read.empty()) {
#ifdef _WIN32
        const char separator = '\\';
#else
        const char separator = '/';
#endif
        const std::string path = row.device + separator + utf8(read);
        std::ifstream file(vssapi::providers::to_path(vssapi::com::utf8_to_utf16(path)), std::ios::binary);
        if (!file) {
            row.read = "cannot open " + path;
        } else {
            std::ostringstream content;
            content << file.rdbuf();
            const std::string held = content.str();
            row.read = path + ": " + std::to_string(held.size()) + " bytes: " + held.substr(0, 200);
        }
    }
    return row;
}

std::string component_key(const Bstr &logical_path, const Bstr &name)
{
    const std::string path = utf8(logical_path.view());
    return path.empty() ? utf8(name.view()) : path + "\\" + utf8(name.view());
}

} // namespace

BackupRun::BackupRun(const vssapi::scenario::Scenario &scenario, std::shared_ptr<core::Coordinator> coordinator,
                     TraceLog &trace, StepStarted started, StepEnded ended)
    : scenario_(scenario), coordinator_(std::move(coordinator)), trace_(trace), started_(std::move(started)),
      ended_(std::move(ended))
{
}

StepReport BackupRun::read_status(IVssBackupComponentsEx3 &backup, const char *step, HRESULT result)
{
    StepReport report;
    report.step = step;
    report.result = result;
    report.at = coordinator_->clock()->now();
    IVssAsync *async = nullptr;
    const HRESULT started = backup.GatherWriterStatus(&async); // before wait_for reads `async`
    report.status_result = wait_for(started, async);
    if (FAILED(report.status_result)) {
        return report;
    }
    UINT count = 0;
    backup.GetWriterStatusCount(&count);
    for (UINT i = 0; i < count; ++i) {
        WriterRow row;
        Bstr name;
        Bstr message;
        if (FAILED(backup.GetWriterStatusEx(i, &row.instance_id, &row.class_id, name.put(), &row.state,
                                            &row.hr_writer, &row.hr_application, message.put()))) {
            continue;
        }
        row.name = utf8(name.view());
        row.message = utf8(message.view());
        for (const auto &writer : scenario_.writers) {
            if (IsEqualGUID(writer.identity.instance_id, row.instance_id)) {
                row.instance_name = utf8(writer.identity.instance_name);
            }
        }
        report.writers.push_back(std::move(row));
    }
    backup.FreeWriterStatus();

    // Component failures (IVssComponentEx2::GetFailure), by writer instance.
    UINT writers = 0;
    if (backup.GetWriterComponentsCount(&writers) == S_OK) {
        for (UINT w = 0; w < writers; ++w) {
            Ref<IVssWriterComponentsExt> components;
            if (FAILED(backup.GetWriterComponents(w, components.out()))) {
                continue;
            }
            VSS_ID instance{}, writer_class{};
            components->GetWriterInfo(&instance, &writer_class);
            UINT component_count = 0;
            components->GetComponentCount(&component_count);
            for (UINT c = 0; c < component_count; ++c) {
                Ref<IVssComponent> component;
                Ref<IVssComponentEx2> component_ex2;
                if (FAILED(components->GetComponent(c, component.out())) ||
                    FAILED(component->QueryInterface(IID_IVssComponentEx2,
                                                     reinterpret_cast<void **>(component_ex2.out())))) {
                    continue;
                }
                ComponentFailureRow failure;
                Bstr message, logical_path, name;
                DWORD reserved = 0;
                if (FAILED(component_ex2->GetFailure(&failure.hr, &failure.hr_application, message.put(), &reserved)) ||
                    failure.hr == S_OK) {
                    continue;
                }
                component->GetLogicalPath(logical_path.put());
                component->GetComponentName(name.put());
                failure.component = component_key(logical_path, name);
                failure.message = utf8(message.view());
                for (WriterRow &row : report.writers) {
                    if (IsEqualGUID(row.instance_id, instance)) {
                        row.failed_components.push_back(failure);
                    }
                }
            }
        }
    }

    for (const auto &writer : scenario_.writers) {
        bool listed = false;
        for (const WriterRow &row : report.writers) {
            listed = listed || IsEqualGUID(row.instance_id, writer.identity.instance_id);
        }
        if (!listed) {
            report.not_listed.push_back(utf8(writer.identity.name));
        }
    }
    return report;
}

HRESULT BackupRun::run_step(AttemptReport &report, IVssBackupComponentsEx3 &backup, const char *step,
                            HRESULT (*start)(IVssBackupComponentsEx3 &, IVssAsync **))
{
    if (started_) {
        started_(step);
    }
    IVssAsync *async = nullptr;
    const HRESULT started = start(backup, &async); // before wait_for reads `async`
    const HRESULT result = wait_for(started, async);
    report.steps.push_back(read_status(backup, step, result));
    if (ended_) {
        ended_(report, report.steps.back());
    }
    return result;
}

AttemptReport BackupRun::attempt(unsigned number, IVssBackupComponents &fresh)
{
    AttemptReport report;
    report.number = number;
    report.start = coordinator_->clock()->now();
    HRESULT failed_step = S_OK;
    {
        Ref<IVssBackupComponentsEx3> backup;
        HRESULT hr = fresh.QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(backup.out()));
        if (FAILED(hr)) {
            report.outcome = hr;
            report.outcome_source = "QueryInterface(IVssBackupComponentsEx3)";
            report.end = coordinator_->clock()->now();
            return report;
        }
        backup->GetSessionId(&report.session_id);
        const auto &settings = scenario_.backup;
        hr = backup->InitializeForBackup(nullptr);
        hr = SUCCEEDED(hr) ? backup->SetContext(VSS_CTX_BACKUP) : hr;
        hr = SUCCEEDED(hr) ? backup->SetBackupState(settings.select_components, false, settings.type, false) : hr;
        const char *failed_at = "InitializeForBackup";
        std::vector<VSS_ID> snapshot_ids;
        if (SUCCEEDED(hr)) {
            failed_at = "GatherWriterMetadata";
            hr = run_step(report, *backup, failed_at,
                          [](IVssBackupComponentsEx3 &b, IVssAsync **a) { return b.GatherWriterMetadata(a); });
        }

        // Component mode: the library's one selection policy (requester/component_selection.h).
        std::vector<vssapi::requester::ComponentToAdd> selected;
        if (SUCCEEDED(hr) && settings.select_components) {
            UINT writers = 0;
            backup->GetWriterMetadataCount(&writers);
            for (UINT w = 0; w < writers; ++w) {
                VSS_ID instance{};
                Ref<IVssExamineWriterMetadata> metadata;
                if (SUCCEEDED(backup->GetWriterMetadata(w, &instance, metadata.out()))) {
                    vssapi::requester::components_to_add(*metadata.p, instance, selected); // a writer that fails is skipped
                }
            }
            backup->FreeWriterMetadata();
            for (const vssapi::requester::ComponentToAdd &chosen : selected) {
                const HRESULT added = backup->AddComponent(chosen.instance_id, chosen.class_id, chosen.type,
                                                           chosen.logical_path.get(), chosen.name.get());
                if (FAILED(added)) {
                    hr = added;
                    failed_at = "AddComponent";
                    break;
                }
            }
        }
        if (SUCCEEDED(hr)) {
            VSS_ID set_id{};
            failed_at = "StartSnapshotSet";
            hr = backup->StartSnapshotSet(&set_id);
            for (const std::u16string &volume : volumes_.empty() ? volumes_of(scenario_) : volumes_) {
                VSS_ID snapshot_id{};
                failed_at = "AddToSnapshotSet";
                hr = SUCCEEDED(hr) ? backup->AddToSnapshotSet(
                                         const_cast<VSS_PWSZ>(reinterpret_cast<const WCHAR *>(volume.c_str())),
                                         provider_, &snapshot_id)
                                   : hr;
                snapshot_ids.push_back(snapshot_id);
            }
        }
        if (SUCCEEDED(hr)) {
            failed_at = "PrepareForBackup";
            hr = run_step(report, *backup, failed_at,
                          [](IVssBackupComponentsEx3 &b, IVssAsync **a) { return b.PrepareForBackup(a); });
        }
        if (SUCCEEDED(hr)) {
            failed_at = "DoSnapshotSet";
            hr = run_step(report, *backup, failed_at,
                          [](IVssBackupComponentsEx3 &b, IVssAsync **a) { return b.DoSnapshotSet(a); });
        }
        if (SUCCEEDED(hr)) {
            for (const VSS_ID &snapshot_id : snapshot_ids) {
                report.snapshots.push_back(describe_snapshot(*backup, snapshot_id, read_));
            }
            // A component succeeded unless its writer or itself failed.
            const StepReport &last = report.steps.back();
            for (const vssapi::requester::ComponentToAdd &chosen : selected) {
                bool succeeded = true;
                for (const WriterRow &row : last.writers) {
                    if (!IsEqualGUID(row.instance_id, chosen.instance_id)) {
                        continue;
                    }
                    succeeded = row.hr_writer == S_OK;
                    for (const ComponentFailureRow &failure : row.failed_components) {
                        succeeded = succeeded && failure.component != component_key(chosen.logical_path, chosen.name);
                    }
                }
                backup->SetBackupSucceeded(chosen.instance_id, chosen.class_id, chosen.type,
                                           chosen.logical_path.get(), chosen.name.get(), succeeded);
            }
            failed_at = "BackupComplete";
            hr = run_step(report, *backup, failed_at,
                          [](IVssBackupComponentsEx3 &b, IVssAsync **a) { return b.BackupComplete(a); });
        }
        if (SUCCEEDED(hr) && save_document_) {
            Bstr document;
            failed_at = "SaveAsXML";
            hr = backup->SaveAsXML(document.put());
            saved_document_ = std::u16string(document.view());
        }
        if (FAILED(hr)) {
            failed_step = hr;
            report.outcome = hr;
            report.outcome_source = failed_at;
            if (report.steps.empty() || report.steps.back().step != failed_at) {
                report.steps.push_back(read_status(*backup, failed_at, hr));
                if (ended_) {
                    ended_(report, report.steps.back());
                }
            }
            const HRESULT aborted = backup->AbortBackup();
            report.steps.push_back(read_status(*backup, "AbortBackup", aborted));
            if (ended_) {
                ended_(report, report.steps.back());
            }
        }
    }
    report.end = coordinator_->clock()->now();
    report.trace = trace_.take(report.session_id); // OnBackupShutdown comes when the caller releases `fresh`

    if (failed_step == S_OK && !report.steps.empty()) {
        // Writer failures do not fail the steps (C-3.7): the first failed writer decides.
        for (const WriterRow &row : report.steps.back().writers) {
            if (row.hr_writer != S_OK || row.state >= VSS_WS_FAILED_AT_IDENTIFY) {
                report.outcome = row.hr_writer != S_OK ? row.hr_writer : E_FAIL;
                report.outcome_source = row.name;
                break;
            }
        }
        if (report.outcome == S_OK && !report.steps.back().not_listed.empty()) {
            // C-3.3: a writer failed OnIdentify; its status then is in the trace.
            report.outcome_source = report.steps.back().not_listed.front();
            report.outcome = VSS_E_WRITERERROR_NONRETRYABLE;
            for (const core::TraceEntry &entry : report.trace) {
                if (entry.writer && entry.event == core::Event::Identify &&
                    utf8(entry.writer->name) == report.outcome_source && entry.status_after.hr_failure != S_OK) {
                    report.outcome = entry.status_after.hr_failure;
                }
            }
        }
    }
    report.retry_class = core::retry_class(report.outcome);
    return report;
}

AttemptReport BackupRun::restore(IVssBackupComponents &fresh, const std::u16string &document)
{
    AttemptReport report;
    report.start = coordinator_->clock()->now();
    Ref<IVssBackupComponentsEx3> backup;
    HRESULT hr = fresh.QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(backup.out()));
    const char *failed_at = "QueryInterface(IVssBackupComponentsEx3)";
    if (SUCCEEDED(hr)) {
        backup->GetSessionId(&report.session_id);
        Bstr xml(document);
        failed_at = "InitializeForRestore";
        hr = backup->InitializeForRestore(xml.get());
    }
    if (SUCCEEDED(hr)) {
        failed_at = "GatherWriterMetadata";
        hr = run_step(report, *backup, failed_at,
                      [](IVssBackupComponentsEx3 &b, IVssAsync **a) { return b.GatherWriterMetadata(a); });
    }
    // The selection: the scenario's list, or every component of the document.
    struct Chosen {
        GUID writer;
        VSS_COMPONENT_TYPE type;
        Bstr logical_path, name;
    };
    std::vector<Chosen> chosen;
    std::vector<std::u16string> wanted = scenario_.restore.select;
    if (SUCCEEDED(hr)) {
        UINT writers = 0;
        backup->GetWriterComponentsCount(&writers);
        for (UINT w = 0; w < writers; ++w) {
            Ref<IVssWriterComponentsExt> components;
            if (FAILED(backup->GetWriterComponents(w, components.out()))) {
                continue;
            }
            VSS_ID instance{}, writer_class{};
            components->GetWriterInfo(&instance, &writer_class);
            UINT count = 0;
            components->GetComponentCount(&count);
            for (UINT c = 0; c < count; ++c) {
                Ref<IVssComponent> component;
                if (FAILED(components->GetComponent(c, component.out()))) {
                    continue;
                }
                Chosen one{writer_class, VSS_CT_UNDEFINED, {}, {}};
                component->GetComponentType(&one.type);
                component->GetLogicalPath(one.logical_path.put());
                component->GetComponentName(one.name.put());
                const std::u16string path(one.logical_path.view());
                const std::u16string full = path.empty() ? std::u16string(one.name.view())
                                                         : path + u"\\" + std::u16string(one.name.view());
                const auto listed = std::find(wanted.begin(), wanted.end(), full);
                if (scenario_.restore.select.empty() || listed != wanted.end()) {
                    if (listed != wanted.end()) {
                        wanted.erase(listed);
                    }
                    chosen.push_back(std::move(one));
                }
            }
        }
        if (!wanted.empty()) {
            hr = VSS_E_OBJECT_NOT_FOUND;
            failed_at = "SetSelectedForRestore";
            std::fprintf(stderr, "vssctl: restore.select: the document has no component \"%s\"\n",
                         utf8(wanted.front()).c_str());
        }
    }
    const auto full_path_of = [](const Chosen &one) {
        const std::u16string path(one.logical_path.view());
        return path.empty() ? std::u16string(one.name.view()) : path + u"\\" + std::u16string(one.name.view());
    };
    for (const Chosen &one : chosen) {
        if (SUCCEEDED(hr)) {
            failed_at = "SetSelectedForRestore";
            hr = backup->SetSelectedForRestore(one.writer, one.type, one.logical_path.get(), one.name.get(), true);
            report.requester_calls.push_back("SetSelectedForRestore " + utf8(full_path_of(one)) + " -> " +
                                             hresult_text(hr));
        }
    }
    for (const auto &target : scenario_.restore.new_targets) {
        if (FAILED(hr)) {
            break;
        }
        const auto named = std::find_if(chosen.begin(), chosen.end(),
                                        [&](const Chosen &one) { return full_path_of(one) == target.component; });
        failed_at = "AddNewTarget";
        if (named == chosen.end()) {
            hr = VSS_E_OBJECT_NOT_FOUND;
            std::fprintf(stderr, "vssctl: restore.new_targets: \"%s\" is not a selected component\n",
                         utf8(target.component).c_str());
            break;
        }
        const Bstr path(target.path), filespec(target.filespec), alternate(target.alternate_path);
        hr = backup->AddNewTarget(named->writer, named->type, named->logical_path.get(), named->name.get(), path.get(),
                                  filespec.get(), target.recursive, alternate.get());
        report.requester_calls.push_back("AddNewTarget " + utf8(target.component) + ": " + utf8(target.path) + "\\" +
                                         utf8(target.filespec) + " -> " + utf8(target.alternate_path) + " -> " +
                                         hresult_text(hr));
    }
    if (SUCCEEDED(hr)) {
        failed_at = "PreRestore";
        hr = run_step(report, *backup, failed_at,
                      [](IVssBackupComponentsEx3 &b, IVssAsync **a) { return b.PreRestore(a); });
    }
    for (const Chosen &one : chosen) {
        if (SUCCEEDED(hr)) {
            failed_at = "SetFileRestoreStatus"; // the files are back (this requester copies none)
            hr = backup->SetFileRestoreStatus(one.writer, one.type, one.logical_path.get(), one.name.get(), VSS_RS_ALL);
        }
    }
    if (SUCCEEDED(hr)) {
        failed_at = "PostRestore";
        hr = run_step(report, *backup, failed_at,
                      [](IVssBackupComponentsEx3 &b, IVssAsync **a) { return b.PostRestore(a); });
    }
    if (FAILED(hr)) {
        report.outcome = hr;
        report.outcome_source = failed_at;
        if (backup.p != nullptr && (report.steps.empty() || report.steps.back().step != failed_at)) {
            report.steps.push_back(read_status(*backup, failed_at, hr));
            if (ended_) {
                ended_(report, report.steps.back());
            }
        }
    }
    report.end = coordinator_->clock()->now();
    report.trace = trace_.take(report.session_id);
    if (SUCCEEDED(hr) && !report.steps.empty()) {
        for (const WriterRow &row : report.steps.back().writers) {
            if (row.hr_writer != S_OK || row.state >= VSS_WS_FAILED_AT_IDENTIFY) {
                report.outcome = row.hr_writer != S_OK ? row.hr_writer : E_FAIL;
                report.outcome_source = row.name;
                break;
            }
        }
    }
    report.retry_class = core::retry_class(report.outcome);
    return report;
}

} // namespace vssctl
