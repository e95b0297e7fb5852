// guarded(): a handler of a writer built by another compiler may raise
// anything. Windows' VssApi treats that as a failed handler; so do we
// (contract C-6.1), without letting the exception run through frames that
// cannot unwind it.
#include "windows/msvc_abi.h"

#include <windows.h>

namespace vssapi::windows {

#if defined(__x86_64__)

// x64 Windows finds a frame's handler in the function's unwind table. GCC's
// own handler only takes GCC's exceptions (an MSVC throw passes through a
// catch (...) here), so the call goes through this small function, whose
// table names vssapi_guard_handler: on any exception that reaches it, the
// handler unwinds every frame above (their destructors run) and resumes at
// the landing pad with VSSAPI_HANDLER_THREW in EAX.
extern "C" int32_t vssapi_guarded_call(bool (*body)(void *), void *context);
extern "C" char vssapi_guarded_landing[];

__asm__(R"(
    .text
    .p2align 4
    .globl vssapi_guarded_call
    .def vssapi_guarded_call; .scl 2; .type 32; .endef
    .seh_proc vssapi_guarded_call
vssapi_guarded_call:
    pushq %rbp
    .seh_pushreg %rbp
    movq %rsp, %rbp
    .seh_setframe %rbp, 0
    subq $32, %rsp
    .seh_stackalloc 32
    .seh_endprologue
    .seh_handler vssapi_guard_handler, @except
    movq %rcx, %rax
    movq %rdx, %rcx
    callq *%rax
    movzbl %al, %eax
    jmp 1f
    .globl vssapi_guarded_landing
vssapi_guarded_landing:
    movl $-1, %eax
1:
    addq $32, %rsp
    popq %rbp
    retq
    .seh_endproc
)");

extern "C" EXCEPTION_DISPOSITION vssapi_guard_handler(EXCEPTION_RECORD *record, void *frame, CONTEXT *context,
                                                      DISPATCHER_CONTEXT *dispatcher)
{
    if ((record->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) != 0) {
        return ExceptionContinueSearch; // our own unwind passing by
    }
    RtlUnwindEx(frame, vssapi_guarded_landing, record, reinterpret_cast<void *>(static_cast<intptr_t>(VSSAPI_HANDLER_THREW)),
                context, dispatcher->HistoryTable);
    return ExceptionContinueSearch; // not reached: RtlUnwindEx resumes at the landing pad
}

int32_t guarded(bool (*body)(void *), void *context) noexcept
{
    return vssapi_guarded_call(body, context);
}

#elif defined(__i386__)

// x86 Windows finds handlers through the chain of registration records at
// fs:[0]; Debian's i686 GCC unwinds with DWARF tables that chain does not
// see. So this frame registers its own record: on any exception it unwinds
// the frames above it (RtlUnwind runs their handlers, so MSVC's destructors
// run) and jumps back here.
namespace {

struct GuardRecord {
    GuardRecord *next;         // the layout the system reads: next, handler
    void *handler;
    void *jump[5];             // __builtin_setjmp's buffer
};

extern "C" EXCEPTION_DISPOSITION __cdecl vssapi_guard_handler(EXCEPTION_RECORD *record, void *frame, CONTEXT *,
                                                               void *)
{
    if ((record->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) != 0) {
        return ExceptionContinueSearch; // our own unwind passing by
    }
    auto *guard = static_cast<GuardRecord *>(frame);
    RtlUnwind(frame, nullptr, record, nullptr); // returns once the records above ours are gone
    __builtin_longjmp(guard->jump, 1);
}

GuardRecord *chain_head() noexcept
{
    GuardRecord *head;
    __asm__ volatile("movl %%fs:0, %0" : "=r"(head));
    return head;
}

void set_chain_head(GuardRecord *head) noexcept
{
    __asm__ volatile("movl %0, %%fs:0" : : "r"(head) : "memory");
}

} // namespace

__attribute__((noinline)) int32_t guarded(bool (*body)(void *), void *context) noexcept
{
    GuardRecord record{};
    record.next = chain_head();
    record.handler = reinterpret_cast<void *>(&vssapi_guard_handler);
    volatile int32_t answer = VSSAPI_HANDLER_THREW;
    set_chain_head(&record);
    if (__builtin_setjmp(record.jump) == 0) {
        answer = body(context) ? VSSAPI_HANDLER_TRUE : VSSAPI_HANDLER_FALSE;
    }
    set_chain_head(record.next);
    return answer;
}

#else
#error "guarded(): no Windows exception model for this architecture"
#endif

} // namespace vssapi::windows
