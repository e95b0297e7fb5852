#include "core/session_parts.h"

#include "com/guid.h"
#include "com/utf.h"
#include "core/diagnostics.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace vssapi::core {

namespace {

bool trace_enabled()
{
    static const bool enabled = [] {
        const char *value = std::getenv("VSSAPI_TRACE");
        return value != nullptr && value[0] == '1';
    }();
    return enabled;
}

bool is_valid_context(LONG context)
{
    switch (context) {
    case VSS_CTX_BACKUP:
    case VSS_CTX_FILE_SHARE_BACKUP:
    case VSS_CTX_NAS_ROLLBACK:
    case VSS_CTX_APP_ROLLBACK:
    case VSS_CTX_CLIENT_ACCESSIBLE:
    case VSS_CTX_CLIENT_ACCESSIBLE_WRITERS:
    case VSS_CTX_ALL:
        return true;
    default:
        return false;
    }
}

} // namespace

Session::Session(std::shared_ptr<Coordinator> coordinator)
    : coordinator_(std::move(coordinator)), id_(com::new_guid())
{
    Expects(coordinator_ != nullptr);
}

Session::~Session()
{
    shutdown();
}

void Session::trace(const char *format, ...) const
{
    if (!trace_enabled()) {
        return;
    }
    char line[512];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(line, sizeof line, format, arguments);
    va_end(arguments);
    std::fprintf(stderr, "[vssapi] session %08x: %s\n", static_cast<unsigned>(id_.Data1), line);
}


SessionFacts Session::facts() const noexcept
{
    SessionFacts facts;
    facts.phase = phase_;
    facts.running = running_;
    facts.writers = writers_take_part();
    facts.set_started = set_started_;
    facts.set_in_creation = set_in_creation_;
    facts.status_gathered = status_gathered_;
    facts.metadata_freed = metadata_freed_;
    facts.shut_down = shut_down_;
    facts.resumed = resumed_;
    return facts;
}

void Session::refused(Call call, const Admission &admission) const noexcept
{
    note_refusal(call_name(call), admission.hr, admission.reason);
    try {
        trace("refused %s: %s", call_name(call), admission.reason.c_str());
        if (coordinator_->options().trace) {
            TraceEntry entry;
            entry.kind = TraceEntry::Kind::Refusal;
            entry.session_id = id_;
            entry.call = call;
            entry.result = admission.hr;
            entry.reason = admission.reason;
            entry.start = entry.end = coordinator_->clock()->now();
            emit(entry);
        }
    } catch (...) {
        // Out of memory: the HRESULT is the answer.
    }
}

void Session::transition(Call call, bool succeeded)
{
    if (const std::optional<Phase> to = phase_after(call, succeeded, phase_)) {
        trace("%s -> %s (%s)", phase_name(phase_), phase_name(*to), call_name(call));
        phase_ = *to;
    }
}

void Session::record(Participant &participant, const WriterStatus &status, Event event, const char *why)
{
    const std::lock_guard<std::mutex> hold(lock_);
    if (trace_enabled()) {
        const std::string name = com::utf16_to_utf8(participant.identity->name);
        trace("writer '%s' %s: %s -> %s, hrFailureWriter 0x%08x, hrApplication 0x%08x (%s)",
              name.c_str(), event_name(event), state_name(participant.status.state),
              state_name(status.state), static_cast<unsigned>(status.hr_failure),
              static_cast<unsigned>(status.hr_application), why);
    }
    participant.status = status;
    participant.last_event = event;
}

Phase Session::phase() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return phase_;
}

bool Session::writers_take_part() const noexcept
{
    return context_ == VSS_CTX_ALL || (context_ & VSS_VOLSNAP_ATTR_NO_WRITERS) == 0;
}

// ---- set-up -------------------------------------------------------------

HRESULT Session::initialize_for_backup()
{
    const Gate gate(*this, Call::InitializeForBackup);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    transition(Call::InitializeForBackup, true);
    return S_OK;
}

HRESULT Session::set_context(LONG context)
{
    const Gate gate(*this, Call::SetContext);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    const LONG asked = context == VSS_CTX_ALL ? 0 : context & kRequesterAttributes;
    if (!is_valid_context(context == VSS_CTX_ALL ? context : context & ~kRequesterAttributes)) {
        return E_INVALIDARG; // no context at all
    }
    LONG offered = 0; // what some provider can do: the one chosen later must (C-5.3)
    for (const auto &provider : coordinator_->providers()) {
        offered |= provider->context_attributes();
    }
    if ((asked & ~offered) != 0) {
        char reason[160];
        std::snprintf(reason, sizeof reason,
                      "refused: the provider cannot make snapshots with attributes 0x%lx (it offers 0x%lx)",
                      static_cast<unsigned long>(asked & ~offered), static_cast<unsigned long>(offered));
        note_refusal("SetContext", VSS_E_UNSUPPORTED_CONTEXT, reason);
        return VSS_E_UNSUPPORTED_CONTEXT;
    }
    context_ = context;
    return S_OK;
}

HRESULT Session::set_backup_state(bool select_components, bool bootable_system_state, std::int32_t type,
                                  bool partial_file_support)
{
    const Gate gate(*this, Call::SetBackupState);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (type < VSS_BT_UNDEFINED || type > VSS_BT_OTHER) {
        return E_INVALIDARG;
    }
    select_components_ = select_components;
    bootable_system_state_ = bootable_system_state;
    backup_type_ = static_cast<VSS_BACKUP_TYPE>(type);
    partial_file_support_ = partial_file_support;
    return S_OK;
}

HRESULT Session::disable_writer_classes(gsl::span<const GUID> class_ids)
{
    const Gate gate(*this, Call::DisableWriterClasses);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    disabled_classes_.insert(disabled_classes_.end(), class_ids.begin(), class_ids.end());
    return S_OK;
}

HRESULT Session::enable_writer_classes(gsl::span<const GUID> class_ids)
{
    const Gate gate(*this, Call::EnableWriterClasses);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    enabled_classes_.insert(enabled_classes_.end(), class_ids.begin(), class_ids.end());
    return S_OK;
}

HRESULT Session::disable_writer_instances(gsl::span<const GUID> instance_ids)
{
    const Gate gate(*this, Call::DisableWriterInstances);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    disabled_instances_.insert(disabled_instances_.end(), instance_ids.begin(), instance_ids.end());
    return S_OK;
}

// ---- asynchronous steps ---------------------------------------------------

HRESULT Session::begin_operation(std::shared_ptr<Operation> &out, Call call, HRESULT (Session::*job)(Operation &))
{
    const Gate gate(*this, call);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    auto step = [this, call, job](Operation &operation) {
        HRESULT result = E_UNEXPECTED;
        try {
            result = (this->*job)(operation);
        } catch (...) {
            const std::lock_guard<std::mutex> done(lock_);
            running_.reset();
            throw;
        }
        const std::lock_guard<std::mutex> done(lock_);
        running_.reset();
        transition(call, result == S_OK); // one lock with the end of running_: no call sees a half state
        if (FAILED(result)) {
            note_failure(call_name(call), result, std::string("its IVssAsync ended in failure; the requester is now in phase ") +
                                                      phase_name(phase_));
        }
        return result;
    };
    // Nothing changes if the step cannot start (no memory, no thread): room for
    // its record first, and running_ undone when the start throws (C-6.2).
    operations_.reserve(operations_.size() + 1);
    running_ = call;
    try {
        out = Operation::start(coordinator_->clock(), std::move(step));
    } catch (...) {
        running_.reset();
        throw;
    }
    operations_.push_back(out);
    return S_OK;
}

HRESULT Session::gather_writer_metadata(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::GatherWriterMetadata, &Session::run_gather_metadata);
}

HRESULT Session::prepare_for_backup(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::PrepareForBackup, &Session::run_prepare_for_backup);
}

HRESULT Session::do_snapshot_set(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::DoSnapshotSet, &Session::run_do_snapshot_set);
}

HRESULT Session::backup_complete(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::BackupComplete, &Session::run_backup_complete);
}

HRESULT Session::gather_writer_status(std::shared_ptr<Operation> &out)
{
    return begin_operation(out, Call::GatherWriterStatus, &Session::run_gather_status);
}

// ---- abort and the end ------------------------------------------------

HRESULT Session::abort_backup()
{
    std::vector<std::shared_ptr<Operation>> running;
    {
        const Gate gate(*this, Call::AbortBackup);
        if (!gate.admitted()) {
            return gate.refusal();
        }
        running = operations_;
    }
    for (const auto &operation : running) {
        operation->cancel(); // a DoSnapshotSet stops before its commit
        operation->join();
    }
    {
        const std::lock_guard<std::mutex> hold(lock_);
        if (!backup_under_way(facts())) {
            return S_OK; // nothing under way: the SDK ignores the call
        }
    }
    send_abort(abortable_participants(), true);
    // Writers past OnPostSnapshot get no OnAbort but the backup is still off.
    {
        std::vector<Participant *> others;
        {
            const std::lock_guard<std::mutex> hold(lock_);
            for (const auto &participant : participants_) {
                if (participant->identified && participant->post_snapshot_sent) {
                    others.push_back(participant.get());
                }
            }
        }
        for (Participant *participant : others) {
            record(*participant, status_after_abort(participant->status, true, participant->last_event),
                   participant->last_event, "AbortBackup (after PostSnapshot: no OnAbort)");
        }
    }
    coordinator_->end_snapshot_set(snapshot_set_id_);
    const std::lock_guard<std::mutex> hold(lock_);
    set_in_creation_ = false;
    transition(Call::AbortBackup, true);
    return S_OK;
}

void Session::shutdown() noexcept
{
    std::vector<std::shared_ptr<Operation>> running;
    {
        const std::lock_guard<std::mutex> hold(lock_);
        if (shut_down_) {
            return;
        }
        shut_down_ = true;
        running.swap(operations_); // no copy: nothing here may allocate and fail
    }
    for (const auto &operation : running) {
        operation->join();
    }
    try {
        std::vector<Participant *> targets;
        {
            const std::lock_guard<std::mutex> hold(lock_);
            for (const auto &participant : participants_) {
                if (participant->identified && !participant->hung) {
                    targets.push_back(participant.get());
                }
            }
        }
        send(Event::BackupShutdown, targets); // C-3.1, to failed writers too (C-3.4)
    } catch (...) {
        trace("OnBackupShutdown could not be sent: out of memory");
    }
    for (const auto &participant : participants_) {
        if (participant->holds_session) {
            coordinator_->release_session(*participant->writer);
            participant->holds_session = false;
        }
    }
    if (set_in_creation_) {
        coordinator_->end_snapshot_set(snapshot_set_id_);
    }
    try {
        coordinator_->discard(coordinator_->snapshots().release_session(id_));
    } catch (...) {
        trace("the session's snapshots could not be released: out of memory; they go with the coordinator");
    }
    trace("shut down");
}

} // namespace vssapi::core
