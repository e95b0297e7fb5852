// The main job: one process, three writers, one full backup.
//
// Written only against the SDK's API (vswriter.h, vsbackup.h), as a Windows
// program would be: three CVssWriterEx2 subclasses register, a requester runs
// GatherWriterMetadata -> PrepareForBackup -> DoSnapshotSet -> BackupComplete,
// and after each step prints what GetWriterStatusEx reports, in the layout of
// `vssadmin list writers`, plus the Ex fields and the component failures.
#include <vsbackup.h>
#include <vswriter.h>

#include <cstdio>
#include <string>

namespace {

// ---- printing -------------------------------------------------------------

std::string utf8(const WCHAR *text, size_t length)
{
    std::string out;
    for (size_t i = 0; i < length; ++i) {
        char32_t c = static_cast<char16_t>(text[i]);
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < length) { // surrogate pair
            c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<char16_t>(text[++i]) - 0xDC00);
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::string utf8(BSTR text)
{
    return text == nullptr ? std::string("(null)") : utf8(text, SysStringLen(text));
}

std::string guid_text(const GUID &id)
{
    char text[40];
    std::snprintf(text, sizeof text, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", static_cast<unsigned>(id.Data1),
                  id.Data2, id.Data3, id.Data4[0], id.Data4[1], id.Data4[2], id.Data4[3], id.Data4[4], id.Data4[5],
                  id.Data4[6], id.Data4[7]);
    return text;
}

// vssadmin's words for a writer state.
const char *state_text(VSS_WRITER_STATE state)
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

// vssadmin's "Last error" words, with the code's name.
const char *error_text(HRESULT hr)
{
    switch (hr) {
    case S_OK: return "No error";
    case VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT: return "Inconsistent shadow copy (VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT)";
    case VSS_E_WRITERERROR_OUTOFRESOURCES: return "Out of resources (VSS_E_WRITERERROR_OUTOFRESOURCES)";
    case VSS_E_WRITERERROR_TIMEOUT: return "Timed out (VSS_E_WRITERERROR_TIMEOUT)";
    case VSS_E_WRITERERROR_RETRYABLE: return "Retryable error (VSS_E_WRITERERROR_RETRYABLE)";
    case VSS_E_WRITERERROR_NONRETRYABLE: return "Non-retryable error (VSS_E_WRITERERROR_NONRETRYABLE)";
    case VSS_E_WRITERERROR_PARTIAL_FAILURE: return "Partial failure (VSS_E_WRITERERROR_PARTIAL_FAILURE)";
    case VSS_E_WRITER_NOT_RESPONDING: return "Not responding (VSS_E_WRITER_NOT_RESPONDING)";
    case VSS_E_WRITER_STATUS_NOT_AVAILABLE: return "Status not available (VSS_E_WRITER_STATUS_NOT_AVAILABLE)";
    default: return "Unexpected error";
    }
}

LPCWSTR W(const char16_t *text)
{
    return reinterpret_cast<LPCWSTR>(text);
}

// ---- three writers ----------------------------------------------------------

// Common handlers: the SDK makes these four pure virtual.
class DemoWriter : public CVssWriterEx2 {
public:
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
    bool STDMETHODCALLTYPE OnFreeze() override { return true; }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
};

// A database engine whose files are locked at freeze time: it vetoes with a
// retryable error, its own Win32 code and a message for the operator.
class DatabaseWriter : public DemoWriter {
public:
    bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *metadata) override
    {
        metadata->AddComponent(VSS_CT_DATABASE, nullptr, W(u"Orders"), W(u"Orders database"), nullptr, 0, false,
                               false, true);
        metadata->AddDatabaseFiles(nullptr, W(u"Orders"), W(u"C:\\Data"), W(u"orders.mdf"));
        metadata->AddDatabaseLogFiles(nullptr, W(u"Orders"), W(u"C:\\Logs"), W(u"orders.ldf"));
        return true;
    }
    bool STDMETHODCALLTYPE OnFreeze() override
    {
        // ERROR_SHARING_VIOLATION (0x80070020) from the engine; the message is copied at the call.
        SetWriterFailureEx(VSS_E_WRITERERROR_RETRYABLE, HRESULT(0x80070020),
                           W(u"Checkpoint could not flush orders.mdf: file in use – réessayez 🔁"));
        return false;
    }
};

// A mail store where one of two mailbox databases fails after the snapshot.
class MailWriter : public DemoWriter {
public:
    bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *metadata) override
    {
        for (const char16_t *name : {u"Mailbox A", u"Mailbox B"}) {
            metadata->AddComponent(VSS_CT_FILEGROUP, W(u"Mail"), W(name), nullptr, nullptr, 0, false, false, true);
            metadata->AddFilesToFileGroup(W(u"Mail"), W(name), W(u"C:\\Mail"), W(u"*.edb"), false, nullptr);
        }
        return true;
    }
    bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *components) override
    {
        UINT count = 0;
        components->GetComponentCount(&count);
        for (UINT i = 0; i < count; ++i) {
            IVssComponent *component = nullptr;
            components->GetComponent(i, &component);
            BSTR name = nullptr;
            component->GetComponentName(&name);
            IVssComponentEx2 *component_ex2 = nullptr;
            component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&component_ex2));
            if (utf8(name) == "Mailbox B") {
                component_ex2->SetFailure(VSS_E_WRITERERROR_NONRETRYABLE, HRESULT(0x80040115),
                                          W(u"Mailbox B: database header checksum mismatch"), 0);
            }
            SysFreeString(name);
            component_ex2->Release();
            component->Release();
        }
        SetWriterFailureEx(VSS_E_WRITERERROR_PARTIAL_FAILURE, S_OK, W(u"1 of 2 mailbox databases failed"));
        return true;
    }
};

// A system writer with nothing to say: it succeeds.
class RegistryWriter : public DemoWriter {
public:
    bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *metadata) override
    {
        metadata->AddComponent(VSS_CT_FILEGROUP, nullptr, W(u"Registry"), nullptr, nullptr, 0, false, false, true);
        metadata->AddFilesToFileGroup(nullptr, W(u"Registry"), W(u"C:\\Windows\\System32\\config"), W(u"*"),
                                      false, nullptr);
        return true;
    }
};

// ---- the requester ----------------------------------------------------------

int g_failures = 0;

// Waits for an asynchronous step and returns its result.
HRESULT finish(HRESULT started, IVssAsync *&async) // by reference: read after the call filled it
{
    if (FAILED(started)) {
        return started;
    }
    async->Wait(INFINITE);
    HRESULT result = E_FAIL;
    async->QueryStatus(&result, nullptr);
    async->Release();
    return result;
}

const char *result_name(HRESULT hr)
{
    switch (hr) {
    case S_OK: return "S_OK";
    case VSS_S_ASYNC_FINISHED: return "VSS_S_ASYNC_FINISHED";
    case VSS_E_BAD_STATE: return "VSS_E_BAD_STATE";
    default: return FAILED(hr) ? "failed" : "";
    }
}

void check(const char *what, HRESULT hr)
{
    std::printf("%-26s 0x%08x %s\n", what, static_cast<unsigned>(hr), result_name(hr));
    if (FAILED(hr)) {
        ++g_failures;
    }
}

void print_component_failures(IVssBackupComponentsEx3 *backup)
{
    UINT writers = 0;
    if (backup->GetWriterComponentsCount(&writers) != S_OK) {
        return;
    }
    std::printf("\n--- component failures (IVssComponentEx2::GetFailure) ---\n");
    for (UINT w = 0; w < writers; ++w) {
        IVssWriterComponentsExt *components = nullptr;
        backup->GetWriterComponents(w, &components);
        UINT count = 0;
        components->GetComponentCount(&count);
        for (UINT c = 0; c < count; ++c) {
            IVssComponent *component = nullptr;
            components->GetComponent(c, &component);
            IVssComponentEx2 *component_ex2 = nullptr;
            component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(&component_ex2));
            HRESULT hr = S_OK, application = S_OK;
            BSTR message = nullptr, name = nullptr, path = nullptr;
            DWORD reserved = 0;
            component_ex2->GetFailure(&hr, &application, &message, &reserved);
            component->GetComponentName(&name);
            component->GetLogicalPath(&path);
            if (hr != S_OK) {
                std::printf("   Component failed: '%s%s%s'\n      Error: %s\n      Application error: 0x%08x\n"
                            "      Message: %s\n",
                            path != nullptr ? utf8(path).c_str() : "", path != nullptr ? "\\" : "",
                            utf8(name).c_str(), error_text(hr), static_cast<unsigned>(application),
                            utf8(message).c_str());
            }
            SysFreeString(message);
            SysFreeString(name);
            SysFreeString(path);
            component_ex2->Release();
            component->Release();
        }
        components->Release();
    }
}

void print_writers(IVssBackupComponentsEx3 *backup, const char *after)
{
    std::printf("\n--- writers after %s ---\n", after);
    IVssAsync *async = nullptr;
    if (finish(backup->GatherWriterStatus(&async), async) != VSS_S_ASYNC_FINISHED) {
        ++g_failures;
        return;
    }
    UINT count = 0;
    backup->GetWriterStatusCount(&count);
    for (UINT i = 0; i < count; ++i) {
        VSS_ID instance{}, writer{};
        BSTR name = nullptr, message = nullptr;
        VSS_WRITER_STATE state{};
        HRESULT hr_writer = S_OK, hr_application = S_OK;
        backup->GetWriterStatusEx(i, &instance, &writer, &name, &state, &hr_writer, &hr_application, &message);
        std::printf("Writer name: '%s'\n   Writer Id: %s\n   Writer Instance Id: %s\n   State: [%d] %s\n"
                    "   Last error: %s\n   Application error: 0x%08x\n   Application message: %s\n",
                    utf8(name).c_str(), guid_text(writer).c_str(), guid_text(instance).c_str(),
                    static_cast<int>(state), state_text(state), error_text(hr_writer),
                    static_cast<unsigned>(hr_application), utf8(message).c_str());
        SysFreeString(name);
        SysFreeString(message);
    }
    backup->FreeWriterStatus();
}

} // namespace

int main()
{
    std::puts("openvss main job: three writers (vswriter.h) and one requester (vsbackup.h) in one process.\n"
              "The database writer vetoes OnFreeze (retryable), the mail writer reports a partial failure,\n"
              "the registry writer succeeds; the tables show what GetWriterStatusEx reads back.\n");
    DatabaseWriter database;
    MailWriter mail;
    RegistryWriter registry;
    const VSS_ID database_id = {0xa65faa63, 0x5ea8, 0x4ebc, {0x9d, 0xbd, 0xa0, 0xc4, 0xdb, 0x26, 0x91, 0x2a}};
    const VSS_ID mail_id = {0x76fe1ac4, 0x15f7, 0x4bcd, {0x98, 0x7e, 0x8e, 0x1a, 0xcb, 0x46, 0x2f, 0xb7}};
    const VSS_ID registry_id = {0xafbab4a2, 0x367d, 0x4d15, {0xa5, 0x86, 0x71, 0xdb, 0xb1, 0x8f, 0x84, 0x85}};
    check("Initialize (database)", database.Initialize(database_id, W(u"Orders Database Writer"), VSS_UT_USERDATA,
                                                       VSS_ST_TRANSACTEDDB, VSS_APP_BACK_END));
    check("Initialize (mail)", mail.Initialize(mail_id, W(u"Mail Store Writer"), VSS_UT_USERDATA,
                                               VSS_ST_TRANSACTEDDB, VSS_APP_FRONT_END));
    check("Initialize (registry)", registry.Initialize(registry_id, W(u"Registry Writer"), VSS_UT_BOOTABLESYSTEMSTATE,
                                                       VSS_ST_OTHER, VSS_APP_SYSTEM));
    check("Subscribe (x3)", database.Subscribe() | mail.Subscribe() | registry.Subscribe());

    IVssBackupComponents *created = nullptr;
    check("CreateVssBackupComponents", CreateVssBackupComponents(&created));
    IVssBackupComponentsEx3 *backup = nullptr;
    check("QueryInterface(Ex3)", created->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(&backup)));
    created->Release();

    IVssAsync *async = nullptr;
    check("InitializeForBackup", backup->InitializeForBackup(nullptr));
    check("SetBackupState", backup->SetBackupState(true, true, VSS_BT_FULL, false));
    check("GatherWriterMetadata", finish(backup->GatherWriterMetadata(&async), async));

    // Select every component every writer declared.
    UINT writers = 0;
    backup->GetWriterMetadataCount(&writers);
    for (UINT w = 0; w < writers; ++w) {
        VSS_ID instance{};
        IVssExamineWriterMetadata *metadata = nullptr;
        backup->GetWriterMetadata(w, &instance, &metadata);
        VSS_ID instance_again{}, writer{};
        BSTR name = nullptr;
        VSS_USAGE_TYPE usage{};
        VSS_SOURCE_TYPE source{};
        metadata->GetIdentity(&instance_again, &writer, &name, &usage, &source);
        UINT include = 0, exclude = 0, components = 0;
        metadata->GetFileCounts(&include, &exclude, &components);
        for (UINT c = 0; c < components; ++c) {
            IVssWMComponent *component = nullptr;
            metadata->GetComponent(c, &component);
            PVSSCOMPONENTINFO info = nullptr;
            component->GetComponentInfo(&info);
            backup->AddComponent(instance, writer, info->type, info->bstrLogicalPath, info->bstrComponentName);
            component->FreeComponentInfo(info);
            component->Release();
        }
        SysFreeString(name);
        metadata->Release();
    }

    VSS_ID set_id{}, snapshot_id{};
    check("StartSnapshotSet", backup->StartSnapshotSet(&set_id));
    check("AddToSnapshotSet(C:\\)", backup->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(u"C:\\")), GUID_NULL, &snapshot_id));
    check("PrepareForBackup", finish(backup->PrepareForBackup(&async), async));
    print_writers(backup, "PrepareForBackup");
    // A writer failure does not fail DoSnapshotSet: the requester reads it in the status.
    check("DoSnapshotSet", finish(backup->DoSnapshotSet(&async), async));
    print_writers(backup, "DoSnapshotSet");
    print_component_failures(backup);

    VSS_SNAPSHOT_PROP prop{};
    if (backup->GetSnapshotProperties(snapshot_id, &prop) == S_OK) {
        std::printf("\nShadow copy %s of %s: %s\n", guid_text(prop.m_SnapshotId).c_str(),
                    utf8(prop.m_pwszOriginalVolumeName, std::char_traits<char16_t>::length(
                                                            reinterpret_cast<const char16_t *>(prop.m_pwszOriginalVolumeName))).c_str(),
                    utf8(prop.m_pwszSnapshotDeviceObject,
                         std::char_traits<char16_t>::length(reinterpret_cast<const char16_t *>(prop.m_pwszSnapshotDeviceObject)))
                        .c_str());
        VssFreeSnapshotProperties(&prop);
    }
    check("BackupComplete", finish(backup->BackupComplete(&async), async));
    print_writers(backup, "BackupComplete");
    backup->Release(); // OnBackupShutdown to every writer

    database.Unsubscribe();
    mail.Unsubscribe();
    registry.Unsubscribe();
    std::printf("\n%s\n", g_failures == 0 ? "Backup sequence ran; the table shows each writer's own outcome."
                                          : "Some library calls failed (see above).");
    return g_failures == 0 ? 0 : 1;
}
