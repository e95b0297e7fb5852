// Contract C-5.5 as a Windows backup tool meets it: a requester built in
// MSVC's ABI makes a snapshot set of two volumes, C:\ by the default provider
// (VSSAPI_PROVIDER=live, set by the test) and a folder by the copy provider's
// id, then reads files through m_pwszSnapshotDeviceObject with CreateFileW,
// as restic does: the live one as it is, the copy as it was at the commit.
// DeleteSnapshots takes the copy away.
#include "sdk/requester.h"

extern "C" {
__declspec(dllimport) void *__stdcall CreateFileW(const WCHAR *name, DWORD access, DWORD share, void *security,
                                                  DWORD creation, DWORD flags, void *templ);
__declspec(dllimport) BOOL __stdcall ReadFile(void *file, void *data, DWORD size, DWORD *read, void *overlapped);
__declspec(dllimport) BOOL __stdcall WriteFile(void *file, const void *data, DWORD size, DWORD *written,
                                               void *overlapped);
__declspec(dllimport) BOOL __stdcall CloseHandle(void *handle);
__declspec(dllimport) BOOL __stdcall CreateDirectoryW(const WCHAR *name, void *security);
__declspec(dllimport) DWORD __stdcall GetFileAttributesW(const WCHAR *name);
__declspec(dllimport) BOOL __stdcall DeleteFileW(const WCHAR *name);
__declspec(dllimport) BOOL __stdcall RemoveDirectoryW(const WCHAR *name);
}

namespace {

constexpr DWORD kGenericRead = 0x80000000u;
constexpr DWORD kGenericWrite = 0x40000000u;
constexpr DWORD kShareAll = 7;
constexpr DWORD kCreateAlways = 2;
constexpr DWORD kOpenExisting = 3;
constexpr DWORD kNoAttributes = 0xFFFFFFFFu;
void *const kInvalidHandle = reinterpret_cast<void *>(~static_cast<unsigned long long>(0) >> (64 - 8 * sizeof(void *)));

// 6f70656e-7673-436f-7079-000000000001: the copy provider (abi/vssapi/vssapi.h).
const VSS_ID kCopyProvider = {0x6f70656e, 0x7673, 0x436f, {0x70, 0x79, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};
const VSS_ID kLiveProvider = {0x6f70656e, 0x7673, 0x4c69, {0x76, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

// `a` + `b` into `out` (at most 511 characters).
const WCHAR *join(WCHAR (&out)[512], const WCHAR *a, const WCHAR *b)
{
    int n = 0;
    const WCHAR *parts[] = {a, b};
    for (const WCHAR *part : parts) {
        for (int i = 0; part[i] != 0 && n < 511; ++i) {
            out[n++] = part[i];
        }
    }
    out[n] = 0;
    return out;
}

bool write_file(const WCHAR *name, const char *text)
{
    void *file = CreateFileW(name, kGenericWrite, kShareAll, nullptr, kCreateAlways, 0x80, nullptr);
    if (file == kInvalidHandle) {
        return false;
    }
    DWORD size = 0;
    while (text[size] != 0) {
        ++size;
    }
    DWORD written = 0;
    const BOOL ok = WriteFile(file, text, size, &written, nullptr);
    CloseHandle(file);
    return ok && written == size;
}

// Reads up to 63 bytes of `name` into `out`; the size read, or -1.
long read_file(const WCHAR *name, char (&out)[64])
{
    void *file = CreateFileW(name, kGenericRead, kShareAll, nullptr, kOpenExisting, 0x80, nullptr);
    if (file == kInvalidHandle) {
        return -1;
    }
    DWORD read = 0;
    const BOOL ok = ReadFile(file, out, 63, &read, nullptr);
    CloseHandle(file);
    out[ok ? read : 0] = 0;
    return ok ? static_cast<long>(read) : -1;
}

bool same_text(const char *a, const char *b)
{
    int i = 0;
    for (; a[i] != 0 && a[i] == b[i]; ++i) {
    }
    return a[i] == b[i];
}

} // namespace

int test_main()
{
    const WCHAR *folder = L"C:\\openvss-reader";
    const WCHAR *data = L"C:\\openvss-reader\\data.txt";
    CreateDirectoryW(folder, nullptr);
    EXPECT(write_file(data, "version 1"));

    IVssBackupComponents *backup = nullptr;
    EXPECT(CreateVssBackupComponents(&backup) == S_OK);
    if (backup == nullptr) {
        return 1;
    }
    IVssAsync *async = nullptr;
    EXPECT(backup->InitializeForBackup() == S_OK);
    EXPECT(backup->SetBackupState(false, false, VSS_BT_FULL) == S_OK);
    EXPECT(wait(backup->GatherWriterMetadata(&async), &async) == VSS_S_ASYNC_FINISHED);
    VSS_ID set{}, live{}, copy{};
    WCHAR drive[] = L"C:\\";
    WCHAR tree[] = L"C:\\openvss-reader";
    EXPECT(backup->StartSnapshotSet(&set) == S_OK);
    EXPECT(backup->AddToSnapshotSet(drive, VSS_ID{}, &live) == S_OK); // the default: VSSAPI_PROVIDER=live
    EXPECT(backup->AddToSnapshotSet(tree, kCopyProvider, &copy) == S_OK);
    WCHAR missing[] = L"Q:\\";
    VSS_ID none{};
    EXPECT(backup->AddToSnapshotSet(missing, VSS_ID{}, &none) == VSS_E_OBJECT_NOT_FOUND); // C-5.4
    EXPECT(wait(backup->PrepareForBackup(&async), &async) == VSS_S_ASYNC_FINISHED);
    EXPECT(wait(backup->DoSnapshotSet(&async), &async) == VSS_S_ASYNC_FINISHED);
    EXPECT(write_file(data, "version 2")); // after the commit

    WCHAR path[512];
    char content[64];
    VSS_SNAPSHOT_PROP prop{};
    EXPECT(backup->GetSnapshotProperties(live, &prop) == S_OK);
    EXPECT(same_guid(prop.m_ProviderId, kLiveProvider));
    if (prop.m_pwszSnapshotDeviceObject != nullptr) {
        const long size = read_file(join(path, prop.m_pwszSnapshotDeviceObject, L"\\windows\\win.ini"), content);
        nocrt::write("live snapshot of ");
        nocrt::write(prop.m_pwszOriginalVolumeName);
        nocrt::write(": ");
        nocrt::write(path);
        nocrt::write(": ");
        nocrt::write_number(size);
        nocrt::line(" bytes");
        EXPECT(size > 0);
        read_file(join(path, prop.m_pwszSnapshotDeviceObject, L"\\openvss-reader\\data.txt"), content);
        EXPECT(same_text(content, "version 2")); // live: as it is now
    }
    VssFreeSnapshotProperties(&prop);

    EXPECT(backup->GetSnapshotProperties(copy, &prop) == S_OK);
    EXPECT(same_guid(prop.m_ProviderId, kCopyProvider));
    WCHAR device[512] = {};
    if (prop.m_pwszSnapshotDeviceObject != nullptr) {
        join(device, prop.m_pwszSnapshotDeviceObject, L"");
        const long size = read_file(join(path, device, L"\\data.txt"), content);
        nocrt::write("copy snapshot: ");
        nocrt::write(path);
        nocrt::write(": \"");
        nocrt::write(content);
        nocrt::line("\"");
        EXPECT(size == 9 && same_text(content, "version 1")); // as it was at the commit
    }
    VssFreeSnapshotProperties(&prop);

    LONG deleted = 0;
    VSS_ID failed{};
    EXPECT(backup->DeleteSnapshots(set, VSS_OBJECT_SNAPSHOT_SET, TRUE, &deleted, &failed) == S_OK);
    EXPECT(deleted == 2);
    EXPECT(device[0] != 0 && GetFileAttributesW(device) == kNoAttributes); // the copy went with it
    backup->Release();
    DeleteFileW(data);
    RemoveDirectoryW(folder);
    return 0;
}
