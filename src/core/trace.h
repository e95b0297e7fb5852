// What happened in a session, one entry per handler call, provider commit,
// verdict of the service or refused requester call, for tools that show or check a run (vssctl --json).
// The coordinator hands each entry to its TraceSink as it happens.
#pragma once

#include "core/clock.h"
#include "core/metadata.h"
#include "core/state_machine.h"

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace vssapi::core {

struct TraceEntry {
    enum class Kind {
        Handler, // a writer's handler ran (or never answered)
        Commit,  // the snapshot provider committed the set (or did not in time)
        Verdict, // the service changed a writer's status without a call (freeze window passed, no session slot)
        Refusal, // the state machine refused a requester call (C-3.8); `call`, `result` and `reason` say which and why
    };
    Kind kind = Kind::Handler;
    GUID session_id{};
    std::shared_ptr<const WriterIdentity> writer; // null for Commit
    Event event = Event::Identify;
    bool started = false; // false: the call never began before the sequence gave up
    std::thread::id thread;
    TimePoint start{};
    TimePoint end{};
    HandlerEnd outcome = HandlerEnd::ReturnedTrue; // Handler and Verdict
    HRESULT result = S_OK;                         // Commit: the provider's answer, or VSS_E_HOLD_WRITES_TIMEOUT;
                                                   // Refusal: the call's answer
    Call call = Call::InitializeForBackup;         // Refusal
    std::string reason;                            // Refusal
    WriterStatus status_after;                     // Handler and Verdict
};

using TraceSink = std::function<void(const TraceEntry &)>;

} // namespace vssapi::core
