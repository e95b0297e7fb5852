// The SDK-named headers from C++17, the oldest standard they promise.
#include <vsbackup.h>
#include <vsprov.h>
#include <vswriter.h>

#include <cstdio>

int main()
{
    IVssBackupComponents *components = nullptr;
    const HRESULT hr = CreateVssBackupComponents(&components);
    if (hr != S_OK) {
        return 1;
    }
    components->Release();
    std::printf("CreateVssBackupComponents: ok (C++ %ld)\n", static_cast<long>(__cplusplus));
    return 0;
}
