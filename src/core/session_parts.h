// The parts of core::Session that its three source files share; nothing
// outside src/core/session*.cpp includes this.
//   session.cpp        the object, its gate and set-up calls, the steps' start, abort, the end
//   session_events.cpp the steps' work: writer events, freeze by level, the commit
//   session_data.cpp   what the requester reads and sets between the steps
#pragma once

#include "core/diagnostics.h"
#include "core/session.h"

#include <memory>
#include <mutex>

namespace vssapi::core {

struct Session::Participant {
    std::shared_ptr<Writer> writer;
    std::shared_ptr<const WriterIdentity> identity;
    WriterStatus status;
    Event last_event = Event::Identify;
    bool holds_session = false; // one of the writer's session slots (C-4.7)
    bool listed = false;        // in the status list
    bool identified = false;    // in the metadata list; receives the sequence's events
    bool post_snapshot_sent = false;
    bool hung = false;          // a handler of this session never returned (C-4.4)
    TimePoint freeze_end{};
    std::shared_ptr<const WriterMetadata> metadata;
    std::shared_ptr<ComponentStore> components = std::make_shared<ComponentStore>();
};

// Asks the state machine under lock_ and, for a refusal, reports it once the
// lock is released (the trace sink is the caller's code).
class Session::Gate {
public:
    Gate(const Session &session, Call call)
        : session_(session), call_(call), hold_(session.lock_), admission_(admit(call, session.facts()))
    {
    }
    ~Gate()
    {
        if (FAILED(admission_.hr)) {
            hold_.unlock();
            session_.refused(call_, admission_);
        } else {
            clear_refusal();
        }
    }
    Gate(const Gate &) = delete;
    Gate &operator=(const Gate &) = delete;

    bool admitted() const noexcept { return SUCCEEDED(admission_.hr); }
    HRESULT refusal() const noexcept { return admission_.hr; }

private:
    const Session &session_;
    const Call call_;
    std::unique_lock<std::mutex> hold_;
    const Admission admission_;
};

} // namespace vssapi::core
