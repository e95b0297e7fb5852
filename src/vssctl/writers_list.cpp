#include "vssctl/writers_list.h"

#include "com/bstr.h"
#include "com/ref.h"
#include "vssctl/backup_run.h"
#include "vssctl/report.h"

#include <vsbackup.h>

#include <nlohmann/json.hpp>

namespace vssctl {
namespace {

using vssapi::com::Bstr;
using vssapi::com::Ref;

// vssadmin's words for a writer state: every failed state reads "Failed".
const char *vssadmin_state(VSS_WRITER_STATE state)
{
    switch (state) {
    case VSS_WS_STABLE: return "Stable";
    case VSS_WS_WAITING_FOR_FREEZE: return "Waiting for freeze";
    case VSS_WS_WAITING_FOR_THAW: return "Waiting for thaw";
    case VSS_WS_WAITING_FOR_POST_SNAPSHOT: return "Waiting for post snapshot";
    case VSS_WS_WAITING_FOR_BACKUP_COMPLETE: return "Waiting for completion";
    case VSS_WS_UNKNOWN: return "Unknown";
    default: return "Failed";
    }
}

// vssadmin's "Last error" words.
const char *vssadmin_error(HRESULT hr)
{
    switch (hr) {
    case S_OK: return "No error";
    case VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT: return "Inconsistent shadow copy";
    case VSS_E_WRITERERROR_OUTOFRESOURCES: return "Out of resources";
    case VSS_E_WRITERERROR_TIMEOUT: return "Timed out";
    case VSS_E_WRITERERROR_RETRYABLE: return "Retryable error";
    case VSS_E_WRITERERROR_NONRETRYABLE: return "Non-retryable error";
    case VSS_E_WRITER_NOT_RESPONDING: return "Not responding";
    case VSS_E_WRITER_STATUS_NOT_AVAILABLE: return "Status not available";
    default: return "Unexpected error";
    }
}

} // namespace

bool list_writers(std::FILE *out, const vssapi::scenario::Scenario &scenario, const std::string &given, bool as_json)
{
    Ref<IVssBackupComponents> backup;
    HRESULT hr = CreateVssBackupComponents(backup.out());
    hr = SUCCEEDED(hr) ? backup->InitializeForBackup(nullptr) : hr;
    IVssAsync *async = nullptr;
    if (SUCCEEDED(hr)) {
        hr = backup->GatherWriterMetadata(&async); // before wait_for reads `async`
        hr = wait_for(hr, async);
    }
    if (SUCCEEDED(hr)) {
        hr = backup->GatherWriterStatus(&async);
        hr = wait_for(hr, async);
    }
    if (FAILED(hr)) {
        std::fprintf(stderr, "vssctl: gathering the writers failed: %s\n", hresult_text(hr).c_str());
        return false;
    }
    Ref<IVssBackupComponentsEx3> backup_ex3;
    backup->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(backup_ex3.out()));
    nlohmann::ordered_json listed = nlohmann::ordered_json::array();
    UINT count = 0;
    backup->GetWriterStatusCount(&count);
    if (!as_json) {
        std::fprintf(out, "Writers of %s (as `vssadmin list writers` shows them)\n\n", scenario.source.c_str());
    }
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, writer{};
        Bstr name, message;
        VSS_WRITER_STATE state{};
        HRESULT hr_writer = S_OK, hr_application = S_OK;
        if (FAILED(backup_ex3->GetWriterStatusEx(i, &instance, &writer, name.put(), &state, &hr_writer,
                                                 &hr_application, message.put()))) {
            continue;
        }
        if (as_json) {
            listed.push_back({{"name", utf8(name.view())},
                              {"writer_id", guid_text(writer)},
                              {"instance_id", guid_text(instance)},
                              {"state", static_cast<int>(state)},
                              {"state_text", vssadmin_state(state)},
                              {"last_error", vssadmin_error(hr_writer)},
                              {"hr_failure_writer", hresult_json(hr_writer)}});
            continue;
        }
        std::fprintf(out,
                     "Writer name: '%s'\n   Writer Id: %s\n   Writer Instance Id: %s\n   State: [%d] %s\n"
                     "   Last error: %s\n\n",
                     utf8(name.view()).c_str(), guid_text(writer).c_str(), guid_text(instance).c_str(),
                     static_cast<int>(state), vssadmin_state(state), vssadmin_error(hr_writer));
    }
    backup->FreeWriterStatus();
    if (as_json) {
        const nlohmann::ordered_json report{
            {"format_version", kReportFormatVersion}, {"scenario", given}, {"writers", listed}};
        std::fprintf(out, "%s\n", report.dump(2).c_str());
    }
    return true;
}

} // namespace vssctl
