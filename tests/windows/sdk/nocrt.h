// The little runtime a test program built in MSVC's ABI needs without a C
// runtime: output through WriteFile, memory through the process heap, the
// helpers the compiler calls on its own, and a check counter.
#pragma once

#include "vss_sdk.h"

extern "C" {
__declspec(dllimport) void __stdcall ExitProcess(unsigned code);
__declspec(dllimport) void __stdcall Sleep(DWORD ms);
__declspec(dllimport) BSTR __stdcall SysAllocString(const WCHAR *text);
__declspec(dllimport) void __stdcall SysFreeString(BSTR text);
__declspec(dllimport) void *__stdcall CoTaskMemAlloc(SIZE_T size);
__declspec(dllimport) void __stdcall CoTaskMemFree(void *block);
}

namespace nocrt {

void write(const char *text);
void write(const WCHAR *text);
void write_hex(unsigned long value);
void write_number(long value);
void line(const char *text);

bool same(const WCHAR *a, const WCHAR *b);

// CHECK-style expectations: each failure is printed; the exit code counts them.
extern int failures;
void expect(bool condition, const char *what, int line_number);

} // namespace nocrt

#define EXPECT(condition) ::nocrt::expect((condition), #condition, __LINE__)

// Each program defines this; mainCRTStartup runs it and exits with the
// number of failed expectations (0: the test passed).
int test_main();
