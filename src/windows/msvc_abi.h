// Calling into and being called from code that Microsoft's compiler built
// (contract C-9.2). Only Windows builds compile this folder; nothing outside
// it knows that a C++ object of another compiler is on the other side.
//
// What MSVC does that matters here (vss-facts.md section 3.6):
// - a virtual function is called through slot N of the object's vtable, one
//   slot for the virtual destructor (the "scalar deleting destructor");
// - a member declared STDMETHODCALLTYPE is __stdcall with `this` as its first
//   argument on x86, and the Microsoft x64 convention with `this` in RCX on
//   x64, so a free function with an explicit `self` parameter is the same call;
// - a member returning a struct takes the hidden result pointer after `this`;
// - constructors and destructors are __thiscall on x86 (`this` in ECX);
// - a 16-byte VSS_ID by value goes on the stack on x86 and as a pointer to a
//   copy on x64, which is what GCC does for the same declaration.
#pragma once

#include <vssapi/writer_callbacks.h>

#include <cstdint>

// MSVC's __thiscall (x86: `this` in ECX, the rest on the stack, callee
// pops) for free functions, which GCC's thiscall attribute does not take:
// it is GCC's fastcall (first argument in ECX, second in EDX) with a pad
// parameter for EDX when there are more arguments than `this`.
#if defined(__i386__)
#define VSSAPI_THISCALL __attribute__((fastcall))
#define VSSAPI_THISCALL_PAD void *,
#else
#define VSSAPI_THISCALL
#define VSSAPI_THISCALL_PAD
#endif

namespace vssapi::windows {

// Slot N of the MSVC vtable of `object`.
inline void *msvc_slot(void *object, int slot) noexcept
{
    return (*static_cast<void *const *const *>(object))[slot];
}

// Calls virtual `bool STDMETHODCALLTYPE Handler(Args...)` in slot N.
template <class... Args>
bool call_msvc_handler(void *object, int slot, Args... args)
{
    using Handler = bool(STDMETHODCALLTYPE *)(void *, Args...);
    return reinterpret_cast<Handler>(msvc_slot(object, slot))(object, args...);
}

// Runs body(context) and returns its VSSAPI_HANDLER_* answer, or
// VSSAPI_HANDLER_THREW when anything is raised inside it: a C++ exception of
// any compiler (MSVC's are SEH exceptions 0xE06D7363) or a structured
// exception. Frames of the raising code are unwound first, so the writer's
// destructors run as they would under Windows' own VssApi.
int32_t guarded(bool (*body)(void *), void *context) noexcept;

// A writer object built by MSVC that the DLL drives by its vtable.
enum class MsvcClass {
    Writer,   // CVssWriter: OnIdentify in slot 1, no OnIdentifyEx
    WriterEx, // CVssWriterEx and CVssWriterEx2: OnIdentifyEx in slot 16
};

// The IVssWriterImpl behind CreateWriter/CreateWriterEx and the legacy
// CVssWriter::Initialize: the library's writer, whose handlers are the
// object's virtual functions.
HRESULT create_msvc_writer_impl(void *object, MsvcClass kind, IVssWriterImpl **impl) noexcept;

} // namespace vssapi::windows
