// A program that loads VssApi from System32 only, as restic does
// (LoadLibraryEx with LOAD_LIBRARY_SEARCH_SYSTEM32): a vssapi.dll beside it
// is never seen. It prints whose DLL it got: "openvss <version>" when the
// DLL has our vss_version export, "not openvss" for Wine's own stub, and
// checks that the real entry point creates a requester.
#include "sdk/nocrt.h"

extern "C" {
__declspec(dllimport) void *__stdcall LoadLibraryExW(const WCHAR *name, void *file, DWORD flags);
__declspec(dllimport) void *__stdcall GetProcAddress(void *module, const char *name);
}

int test_main()
{
    constexpr DWORD kSearchSystem32 = 0x00000800; // LOAD_LIBRARY_SEARCH_SYSTEM32
    void *module = LoadLibraryExW(L"vssapi.dll", nullptr, kSearchSystem32);
    if (module == nullptr) {
        nocrt::line("no vssapi.dll in System32");
        return 1;
    }
    using Version = const char *(__cdecl *)();
    auto version = reinterpret_cast<Version>(GetProcAddress(module, "vss_version"));
    if (version == nullptr) {
        nocrt::line("not openvss");
        return 0;
    }
    nocrt::write("openvss ");
    nocrt::line(version());
    using Create = HRESULT(STDAPICALLTYPE *)(IVssBackupComponents **);
    auto create = reinterpret_cast<Create>(GetProcAddress(module, "CreateVssBackupComponentsInternal"));
    EXPECT(create != nullptr);
    IVssBackupComponents *backup = nullptr;
    if (create != nullptr) {
        EXPECT(create(&backup) == S_OK);
    }
    if (backup != nullptr) {
        EXPECT(backup->InitializeForBackup() == S_OK);
        backup->Release();
    }
    return 0;
}
