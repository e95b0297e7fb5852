// What happened in a session, one entry per handler call, provider commit or
// verdict of the service, for tools that show or check a run (vssctl --json).
// The coordinator hands each entry to its TraceSink as it happens.
#pragma once

#include "core/clock.h"
#include "core/metadata.h"
#include "core/state_machine.h"

#include <functional>
#include <memory>
#include <thread>

namespace vssapi::core {

struct TraceEntry {
    enum class Kind {
        Handler, // a writer's handler ran (or never answered)
        Commit,  // the snapshot provider committed the set (or did not in time)
        Verdict, // the service changed a writer's status without a call (freeze window passed)
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
    HRESULT result = S_OK;                         // Commit: the provider's answer, or VSS_E_HOLD_WRITES_TIMEOUT
    WriterStatus status_after;                     // Handler and Verdict
};

using TraceSink = std::function<void(const TraceEntry &)>;

} // namespace vssapi::core
