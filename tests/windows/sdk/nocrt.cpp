#include "nocrt.h"

extern "C" {
__declspec(dllimport) void *__stdcall GetStdHandle(DWORD which);
__declspec(dllimport) BOOL __stdcall WriteFile(void *file, const void *data, DWORD size, DWORD *written, void *overlapped);
__declspec(dllimport) void *__stdcall GetProcessHeap();
__declspec(dllimport) void *__stdcall HeapAlloc(void *heap, DWORD flags, SIZE_T size);
__declspec(dllimport) BOOL __stdcall HeapFree(void *heap, DWORD flags, void *block);

// What the compiler emits calls to by itself. volatile keeps it from
// turning these loops back into calls to themselves.
void *memset(void *target, int value, SIZE_T size)
{
    volatile unsigned char *p = static_cast<unsigned char *>(target);
    while (size-- != 0) {
        *p++ = static_cast<unsigned char>(value);
    }
    return target;
}

void *memcpy(void *target, const void *source, SIZE_T size)
{
    volatile unsigned char *p = static_cast<unsigned char *>(target);
    const unsigned char *q = static_cast<const unsigned char *>(source);
    while (size-- != 0) {
        *p++ = *q++;
    }
    return target;
}

int _purecall()
{
    nocrt::line("pure virtual call");
    ExitProcess(100);
    return 0;
}

// Where a noexcept function would let an exception out (vcruntime's name).
void __std_terminate()
{
    nocrt::line("terminate");
    ExitProcess(101);
}

int mainCRTStartup()
{
    const int failed = test_main() + nocrt::failures;
    nocrt::line(failed == 0 ? "PASS" : "FAIL");
    ExitProcess(static_cast<unsigned>(failed));
    return failed;
}
}

// The vtable of type_info that thrown objects' type descriptors point at;
// matching a catch compares names, never calls through it.
extern "C" const void *const nocrt_type_info_vtable[2] = {nullptr, nullptr};
#if defined(_M_IX86)
#pragma comment(linker, "/alternatename:??_7type_info@@6B@=_nocrt_type_info_vtable")
#else
#pragma comment(linker, "/alternatename:??_7type_info@@6B@=nocrt_type_info_vtable")
#endif

void *operator new(decltype(sizeof 0) size) { return HeapAlloc(GetProcessHeap(), 8 /* HEAP_ZERO_MEMORY */, size); }
void operator delete(void *block) noexcept { HeapFree(GetProcessHeap(), 0, block); }
void operator delete(void *block, decltype(sizeof 0)) noexcept { HeapFree(GetProcessHeap(), 0, block); }

namespace nocrt {

int failures = 0;

void write(const char *text)
{
    DWORD size = 0;
    while (text[size] != 0) {
        ++size;
    }
    DWORD written = 0;
    WriteFile(GetStdHandle(static_cast<DWORD>(-11)), text, size, &written, nullptr);
}

void write(const WCHAR *text)
{
    char buffer[2];
    buffer[1] = 0;
    for (; text != nullptr && *text != 0; ++text) {
        buffer[0] = *text < 128 ? static_cast<char>(*text) : '?';
        write(buffer);
    }
}

void write_hex(unsigned long value)
{
    char buffer[11] = "0x00000000";
    for (int i = 9; i >= 2; --i) {
        buffer[i] = "0123456789ABCDEF"[value & 0xF];
        value >>= 4;
    }
    write(buffer);
}

void write_number(long value)
{
    char buffer[24];
    int i = 23;
    buffer[i] = 0;
    const bool negative = value < 0;
    unsigned long magnitude = negative ? 0ul - static_cast<unsigned long>(value) : static_cast<unsigned long>(value);
    do {
        buffer[--i] = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (negative) {
        buffer[--i] = '-';
    }
    write(buffer + i);
}

void line(const char *text)
{
    write(text);
    write("\n");
}

bool same(const WCHAR *a, const WCHAR *b)
{
    if (a == nullptr || b == nullptr) {
        return a == b;
    }
    while (*a != 0 && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

void expect(bool condition, const char *what, int line_number)
{
    if (!condition) {
        ++failures;
        write("expectation failed at line ");
        write_number(line_number);
        write(": ");
        line(what);
    }
}

} // namespace nocrt
