#include "core/session.h"

#include "com/guid.h"
#include "com/utf.h"
#include "core/diagnostics.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <string>

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

namespace {

bool trace_enabled()
{
    static const bool enabled = [] {
        const char *value = std::getenv("VSSAPI_TRACE");
        return value != nullptr && value[0] == '1';
    }();
    return enabled;
}

bool contains(const std::vector<GUID> &ids, const GUID &id)
{
    return std::any_of(ids.begin(), ids.end(), [&](const GUID &entry) { return IsEqualGUID(entry, id); });
}

bool carries_components(Event event)
{
    switch (event) {
    case Event::PrepareBackup:
    case Event::PostSnapshot:
    case Event::BackupComplete:
    case Event::PreRestore:
    case Event::PostRestore:
        return true;
    default:
        return false;
    }
}

// C-3.5: the levels in freeze order. AUTO and UNKNOWN writers freeze with the
// front end (the SDK's default level).
int freeze_rank(VSS_APPLICATION_LEVEL level)
{
    switch (level) {
    case VSS_APP_SYSTEM: return 2;
    case VSS_APP_BACK_END: return 1;
    default: return 0;
    }
}

constexpr VSS_APPLICATION_LEVEL kFreezeOrder[] = {VSS_APP_FRONT_END, VSS_APP_BACK_END, VSS_APP_SYSTEM};

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

constexpr std::size_t kMaxVolumesPerSet = 64;

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
    if (const std::optional<Phase> to = phase_after(call, succeeded)) {
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
    if (!is_valid_context(context)) {
        return E_INVALIDARG;
    }
    context_ = context;
    return S_OK;
}

HRESULT Session::set_backup_state(bool select_components, bool bootable_system_state, VSS_BACKUP_TYPE type,
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
    backup_type_ = type;
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
    running_ = call;
    out = Operation::start(coordinator_->clock(), [this, call, job](Operation &operation) {
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
        return result;
    });
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

std::shared_ptr<const SessionView> Session::make_view(VSS_APPLICATION_LEVEL level) const
{
    auto view = std::make_shared<SessionView>();
    const std::lock_guard<std::mutex> hold(lock_);
    view->session_id = id_;
    view->snapshot_set_id = snapshot_set_id_;
    view->context = context_;
    view->backup_type = backup_type_;
    view->components_selected = select_components_;
    view->bootable_system_state = bootable_system_state_;
    view->partial_file_support = partial_file_support_;
    view->current_level = level;
    for (const SnapshotRecord &snapshot : pending_snapshots_) {
        view->volumes.push_back(snapshot.original_volume);
        view->snapshot_devices.push_back(snapshot.device_name);
    }
    for (const std::u16string &volume : view->volumes) {
        view->volume_array.push_back(volume.c_str());
    }
    return view;
}

std::vector<Session::Participant *> Session::active_participants()
{
    const std::lock_guard<std::mutex> hold(lock_);
    std::vector<Participant *> active;
    for (const auto &participant : participants_) {
        if (participant->identified && !participant->hung && !participant->status.failed()) {
            active.push_back(participant.get());
        }
    }
    return active;
}

// C-3.6: never after OnPostSnapshot; a hung writer cannot take another call.
std::vector<Session::Participant *> Session::abortable_participants()
{
    const std::lock_guard<std::mutex> hold(lock_);
    std::vector<Participant *> targets;
    for (const auto &participant : participants_) {
        if (participant->identified && !participant->hung && !participant->post_snapshot_sent) {
            targets.push_back(participant.get());
        }
    }
    return targets;
}

std::vector<TraceEntry> Session::send(Event event, const std::vector<Participant *> &targets,
                                      VSS_APPLICATION_LEVEL level)
{
    std::vector<TraceEntry> entries;
    if (targets.empty()) {
        return entries;
    }
    const auto view = make_view(level);
    auto batch = std::make_shared<CallBatch>(coordinator_->clock());
    std::vector<WriterMetadata> identify_results(event == Event::Identify ? targets.size() : 0);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        HandlerCall call;
        call.event = event;
        call.view = view;
        if (event == Event::Identify) {
            call.metadata = &identify_results[i];
        }
        if (carries_components(event) && select_components_) {
            call.components = targets[i]->components;
        }
        if (event == Event::BackupShutdown) {
            call.snapshot_set_id = snapshot_set_made(phase()) ? snapshot_set_id_ : GUID_NULL;
        }
        batch->add(targets[i]->writer, std::move(call));
    }
    coordinator_->run(*batch, coordinator_->options().event_timeout);

    for (std::size_t i = 0; i < targets.size(); ++i) {
        Participant &participant = *targets[i];
        const PendingCall &pending = *batch->calls()[i];
        HandlerEnd end = HandlerEnd::ReturnedTrue;
        std::optional<FailureReport> report;
        {
            const std::lock_guard<std::mutex> hold(batch->lock());
            if (!pending.finished) {
                end = HandlerEnd::TimedOut;
                participant.hung = pending.started;
            } else {
                end = pending.result == HandlerResult::True    ? HandlerEnd::ReturnedTrue
                      : pending.result == HandlerResult::False ? HandlerEnd::ReturnedFalse
                                                               : HandlerEnd::Threw;
                report = pending.report;
            }
        }
        TraceEntry &entry = entries.emplace_back();
        entry.session_id = id_;
        entry.writer = participant.identity;
        entry.event = event;
        entry.outcome = end;
        {
            const std::lock_guard<std::mutex> hold(batch->lock());
            entry.started = pending.started;
            entry.thread = pending.thread;
            entry.start = pending.start_time;
            entry.end = pending.finished ? pending.end_time : coordinator_->clock()->now();
        }
        if (event == Event::Freeze) {
            participant.freeze_end = pending.end_time;
        }
        if (event == Event::PostSnapshot) {
            participant.post_snapshot_sent = true;
        }
        if (event == Event::Abort || event == Event::BackupShutdown) {
            // Their outcome changes nothing: C-3.6 sets the status after an abort
            // (send_abort traces it then), and after BackupShutdown the session is gone.
            trace("writer handled %s", event_name(event));
            if (event == Event::BackupShutdown) {
                emit(entry, participant.status);
            }
            continue;
        }
        if (event == Event::Identify && end == HandlerEnd::ReturnedTrue && (!report || report->hr_writer == S_OK)) {
            participant.metadata = std::make_shared<const WriterMetadata>(std::move(identify_results[i]));
            participant.writer->set_last_metadata(participant.metadata);
        }
        record(participant, status_after_handler(participant.status, event, end, report ? &*report : nullptr), event,
               end == HandlerEnd::TimedOut ? "no answer within the event timeout" : "handler returned");
        emit(entry, participant.status);
    }
    return entries;
}

void Session::emit(const TraceEntry &entry) const
{
    if (coordinator_->options().trace) {
        coordinator_->options().trace(entry);
    }
}

void Session::emit(TraceEntry &entry, const WriterStatus &status_after) const
{
    if (coordinator_->options().trace) { // the status (and its message) is copied only for a listener
        entry.status_after = status_after;
        coordinator_->options().trace(entry);
    }
}

void Session::send_abort(const std::vector<Participant *> &targets, bool by_requester)
{
    std::vector<TraceEntry> entries = send(Event::Abort, targets);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        Participant *participant = targets[i];
        const Event last = participant->last_event;
        record(*participant, status_after_abort(participant->status, by_requester, last), last,
               by_requester ? "AbortBackup" : "aborted by the service");
        emit(entries[i], participant->status);
    }
}

HRESULT Session::run_gather_metadata(Operation & /*operation*/)
{
    std::vector<Participant *> to_identify;
    for (const auto &writer : coordinator_->subscribed_writers()) {
        const WriterIdentity &identity = writer->identity();
        if (contains(disabled_classes_, identity.class_id) || contains(disabled_instances_, identity.instance_id) ||
            (!enabled_classes_.empty() && !contains(enabled_classes_, identity.class_id))) {
            continue;
        }
        auto participant = std::make_unique<Participant>();
        participant->writer = writer;
        participant->identity = std::make_shared<const WriterIdentity>(identity);
        participant->components->writer_class_id = identity.class_id;
        participant->components->writer_instance_id = identity.instance_id;
        participant->holds_session = coordinator_->acquire_session(*writer);
        participant->listed = true;
        Participant *added = participant.get();
        {
            const std::lock_guard<std::mutex> hold(lock_);
            participants_.push_back(std::move(participant));
        }
        if (added->holds_session) {
            to_identify.push_back(added);
        } else {
            // C-4.7: listed, but the writer has no session state to give.
            record(*added, status_after_handler(added->status, Event::Identify, HandlerEnd::NoSession, nullptr),
                   Event::Identify, "no session slot left (C-4.7)");
            TraceEntry verdict;
            verdict.kind = TraceEntry::Kind::Verdict;
            verdict.session_id = id_;
            verdict.writer = added->identity;
            verdict.event = Event::Identify;
            verdict.outcome = HandlerEnd::NoSession;
            verdict.start = verdict.end = coordinator_->clock()->now();
            emit(verdict, added->status);
        }
    }
    send(Event::Identify, to_identify);
    for (Participant *participant : to_identify) {
        if (participant->metadata && !participant->status.failed()) {
            participant->identified = true;
        } else {
            // C-3.3: absent from both lists; it gets nothing more of this session.
            participant->listed = false;
            coordinator_->release_session(*participant->writer);
            participant->holds_session = false;
        }
    }
    return S_OK;
}

HRESULT Session::run_prepare_for_backup(Operation & /*operation*/)
{
    send(Event::PrepareBackup, active_participants());
    return S_OK;
}

HRESULT Session::commit_snapshot_set()
{
    struct CommitState {
        std::mutex lock;
        std::condition_variable done_cv;
        bool started = false;
        std::thread::id thread;
        bool done = false;
        HRESULT result = E_UNEXPECTED;
        SnapshotSetRequest request;
    };
    auto state = std::make_shared<CommitState>();
    {
        const std::lock_guard<std::mutex> hold(lock_);
        state->request.snapshot_set_id = snapshot_set_id_;
        state->request.context = context_;
        state->request.snapshots = pending_snapshots_;
    }
    Coordinator &coordinator = *coordinator_;
    std::shared_ptr<SnapshotProvider> provider = coordinator.provider();
    coordinator.dispatcher().post(coordinator.dispatcher().make_strand(),
                                  [state, provider, work = coordinator.clock()->begin_work()] {
        const Clock::WorkScope doing(work);
        {
            const std::lock_guard<std::mutex> hold(state->lock);
            state->started = true;
            state->thread = std::this_thread::get_id();
        }
        HRESULT result = E_UNEXPECTED;
        try {
            result = provider->commit(state->request);
        } catch (...) {
            result = VSS_E_UNEXPECTED_PROVIDER_ERROR;
        }
        {
            const std::lock_guard<std::mutex> hold(state->lock);
            state->done = true;
            state->result = result;
        }
        state->done_cv.notify_all();
    });
    std::unique_lock<std::mutex> hold(state->lock);
    TraceEntry entry;
    entry.kind = TraceEntry::Kind::Commit;
    entry.session_id = id_;
    entry.start = coordinator.clock()->now();
    const TimePoint deadline = entry.start + coordinator.options().commit_window;
    const bool in_time = coordinator.clock()->wait_until(hold, state->done_cv, deadline, [&] { return state->done; });
    entry.started = state->started;
    entry.thread = state->thread;
    entry.end = coordinator.clock()->now();
    entry.result = in_time ? state->result : VSS_E_HOLD_WRITES_TIMEOUT;
    emit(entry);
    if (!in_time) {
        if (state->started) {
            coordinator.dispatcher().add_worker(); // the provider keeps its thread
        }
        return VSS_E_HOLD_WRITES_TIMEOUT; // C-5.2: writes were held longer than the window
    }
    if (FAILED(state->result)) {
        return state->result;
    }
    const std::lock_guard<std::mutex> session_hold(lock_);
    pending_snapshots_ = state->request.snapshots;
    const auto count = gsl::narrow<LONG>(pending_snapshots_.size());
    for (SnapshotRecord &record : pending_snapshots_) {
        record.snapshots_in_set = count;
    }
    coordinator.snapshots().add(pending_snapshots_);
    return S_OK;
}

HRESULT Session::run_do_snapshot_set(Operation &operation)
{
    const bool with_writers = writers_take_part();
    auto finish = [&](HRESULT result) { // S_OK: the set exists (begin_operation moves the phase)
        coordinator_->end_snapshot_set(snapshot_set_id_);
        const std::lock_guard<std::mutex> hold(lock_);
        set_in_creation_ = false;
        return result;
    };
    if (with_writers) {
        send(Event::PrepareSnapshot, active_participants());
    }
    // Freeze by level (C-3.5); a writer that fails OnFreeze gets OnAbort (C-3.6).
    for (VSS_APPLICATION_LEVEL level : with_writers ? gsl::span<const VSS_APPLICATION_LEVEL>(kFreezeOrder)
                                                    : gsl::span<const VSS_APPLICATION_LEVEL>()) {
        std::vector<Participant *> at_level;
        for (Participant *participant : active_participants()) {
            if (freeze_rank(participant->identity->level) == freeze_rank(level)) {
                at_level.push_back(participant);
            }
        }
        send(Event::Freeze, at_level, level);
        std::vector<Participant *> failed;
        for (Participant *participant : at_level) {
            if (participant->status.failed() && !participant->hung) {
                failed.push_back(participant);
            }
        }
        send_abort(failed, false);
    }
    if (operation.cancel_requested()) {
        send_abort(abortable_participants(), true);
        return finish(VSS_S_ASYNC_CANCELLED);
    }
    const HRESULT committed = commit_snapshot_set();
    if (FAILED(committed)) {
        // C-5.2, C-3.7: no set, every writer hears OnAbort.
        send_abort(abortable_participants(), false);
        return finish(committed);
    }
    // Thaw in reverse level order; first drop writers whose freeze window
    // has passed (C-4.3).
    for (auto level = std::rbegin(kFreezeOrder); with_writers && level != std::rend(kFreezeOrder); ++level) {
        std::vector<Participant *> at_level;
        std::vector<Participant *> timed_out;
        const TimePoint now = coordinator_->clock()->now();
        for (Participant *participant : active_participants()) {
            if (freeze_rank(participant->identity->level) != freeze_rank(*level)) {
                continue;
            }
            if (now - participant->freeze_end > Duration(participant->identity->freeze_timeout_ms)) {
                record(*participant,
                       status_after_handler(participant->status, Event::Freeze, HandlerEnd::FreezeTimeout, nullptr),
                       Event::Freeze, "freeze window passed before Thaw");
                TraceEntry verdict;
                verdict.kind = TraceEntry::Kind::Verdict;
                verdict.session_id = id_;
                verdict.writer = participant->identity;
                verdict.event = Event::Freeze;
                verdict.outcome = HandlerEnd::FreezeTimeout;
                verdict.start = participant->freeze_end;
                verdict.end = now;
                emit(verdict, participant->status);
                timed_out.push_back(participant);
            } else {
                at_level.push_back(participant);
            }
        }
        send_abort(timed_out, false);
        send(Event::Thaw, at_level, *level);
        std::vector<Participant *> failed;
        for (Participant *participant : at_level) {
            if (participant->status.failed() && !participant->hung) {
                failed.push_back(participant);
            }
        }
        send_abort(failed, false);
    }
    if (with_writers) {
        send(Event::PostSnapshot, active_participants());
    }
    // C-3.7: writer failures do not fail DoSnapshotSet.
    return finish(S_OK);
}

HRESULT Session::run_backup_complete(Operation & /*operation*/)
{
    send(Event::BackupComplete, active_participants());
    return S_OK;
}

HRESULT Session::run_gather_status(Operation & /*operation*/)
{
    std::vector<StatusEntry> gathered;
    const std::lock_guard<std::mutex> hold(lock_);
    for (const auto &participant : participants_) {
        if (participant->listed) {
            gathered.push_back(StatusEntry{participant->identity, participant->status});
        }
    }
    gathered_status_ = std::move(gathered);
    status_gathered_ = true;
    return S_OK;
}

// ---- metadata ---------------------------------------------------------

HRESULT Session::writer_metadata_count(UINT &count)
{
    const Gate gate(*this, Call::GetWriterMetadataCount);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    count = 0;
    if (!metadata_freed_) {
        for (const auto &participant : participants_) {
            count += participant->identified ? 1 : 0;
        }
    }
    return S_OK;
}

HRESULT Session::writer_metadata(UINT index, MetadataEntry &out, Call call)
{
    const Gate gate(*this, call);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    UINT position = 0;
    for (const auto &participant : participants_) {
        if (!participant->identified) {
            continue;
        }
        if (position++ == index) {
            out.identity = participant->identity;
            out.metadata = participant->metadata;
            return S_OK;
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

HRESULT Session::free_writer_metadata()
{
    const Gate gate(*this, Call::FreeWriterMetadata);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    metadata_freed_ = true;
    return S_OK;
}

// ---- components -------------------------------------------------------

std::shared_ptr<ComponentStore> *Session::find_store(const ComponentKey &key, SelectedComponent *&component)
{
    component = nullptr;
    for (const auto &participant : participants_) {
        if (!participant->identified || !IsEqualGUID(participant->identity->class_id, key.writer_class_id) ||
            (key.instance_id && !IsEqualGUID(participant->identity->instance_id, *key.instance_id))) {
            continue;
        }
        const std::lock_guard<std::mutex> hold(participant->components->lock);
        for (SelectedComponent &selected : participant->components->components) {
            if (selected.type == key.type && selected.logical_path == key.logical_path && selected.name == key.name) {
                component = &selected;
                return &participant->components;
            }
        }
    }
    return nullptr;
}

HRESULT Session::add_component(const ComponentKey &key)
{
    const Gate gate(*this, Call::AddComponent);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (key.name.empty() || (key.type != VSS_CT_DATABASE && key.type != VSS_CT_FILEGROUP)) {
        return E_INVALIDARG;
    }
    SelectedComponent *existing = nullptr;
    if (find_store(key, existing) != nullptr) {
        return VSS_E_OBJECT_ALREADY_EXISTS;
    }
    for (const auto &participant : participants_) {
        if (!participant->identified || !IsEqualGUID(participant->identity->class_id, key.writer_class_id) ||
            !IsEqualGUID(participant->identity->instance_id, key.instance_id.value_or(GUID_NULL))) {
            continue;
        }
        for (const ComponentDecl &declared : participant->metadata->components) {
            if (declared.type == key.type && declared.logical_path == key.logical_path && declared.name == key.name) {
                SelectedComponent selected;
                selected.type = key.type;
                selected.logical_path = key.logical_path;
                selected.name = key.name;
                const std::lock_guard<std::mutex> store_hold(participant->components->lock);
                participant->components->components.push_back(std::move(selected));
                return S_OK;
            }
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

namespace {
template <class Change>
HRESULT change_component(std::shared_ptr<ComponentStore> *store, SelectedComponent *component, Change change)
{
    // find_store sets both or neither; testing both also keeps GCC 12's
    // -Warray-bounds quiet at -O3 (it cannot see that and warns on *component).
    if (store == nullptr || component == nullptr) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    const std::lock_guard<std::mutex> hold((*store)->lock);
    change(*component);
    return S_OK;
}
} // namespace

HRESULT Session::set_backup_succeeded(const ComponentKey &key, bool succeeded)
{
    const Gate gate(*this, Call::SetBackupSucceeded);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    SelectedComponent *component = nullptr;
    auto *store = find_store(key, component); // sets `component`: call it first
    return change_component(store, component,
                            [&](SelectedComponent &selected) { selected.backup_succeeded = succeeded; });
}

HRESULT Session::set_backup_options(const ComponentKey &key, std::u16string options)
{
    const Gate gate(*this, Call::SetBackupOptions);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    SelectedComponent *component = nullptr;
    auto *store = find_store(key, component); // sets `component`: call it first
    return change_component(store, component,
                            [&](SelectedComponent &selected) { selected.backup_options = std::move(options); });
}

HRESULT Session::set_previous_backup_stamp(const ComponentKey &key, std::u16string stamp)
{
    const Gate gate(*this, Call::SetPreviousBackupStamp);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    SelectedComponent *component = nullptr;
    auto *store = find_store(key, component); // sets `component`: call it first
    return change_component(store, component,
                            [&](SelectedComponent &selected) { selected.previous_backup_stamp = std::move(stamp); });
}

HRESULT Session::writer_components_count(UINT &count)
{
    const Gate gate(*this, Call::GetWriterComponentsCount);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    count = 0;
    for (const auto &participant : participants_) {
        const std::lock_guard<std::mutex> store_hold(participant->components->lock);
        count += participant->identified && !participant->components->components.empty() ? 1 : 0;
    }
    return S_OK;
}

HRESULT Session::writer_components(UINT index, std::shared_ptr<ComponentStore> &out)
{
    const Gate gate(*this, Call::GetWriterComponents);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    UINT position = 0;
    for (const auto &participant : participants_) {
        bool has_components = false;
        {
            const std::lock_guard<std::mutex> store_hold(participant->components->lock);
            has_components = participant->identified && !participant->components->components.empty();
        }
        if (has_components && position++ == index) {
            out = participant->components;
            return S_OK;
        }
    }
    return VSS_E_OBJECT_NOT_FOUND;
}

// ---- snapshot set -----------------------------------------------------

HRESULT Session::start_snapshot_set(GUID &snapshot_set_id)
{
    const Gate gate(*this, Call::StartSnapshotSet);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    const GUID candidate = com::new_guid();
    if (!coordinator_->begin_snapshot_set(candidate)) {
        return VSS_E_SNAPSHOT_SET_IN_PROGRESS; // C-4.6
    }
    set_started_ = true;
    set_in_creation_ = true;
    snapshot_set_id_ = candidate;
    snapshot_set_id = candidate;
    trace("StartSnapshotSet");
    return S_OK;
}

HRESULT Session::add_to_snapshot_set(std::u16string volume, const GUID &provider_id, GUID &snapshot_id)
{
    const Gate gate(*this, Call::AddToSnapshotSet);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (volume.empty()) {
        return E_INVALIDARG;
    }
    if (!IsEqualGUID(provider_id, GUID_NULL) && !IsEqualGUID(provider_id, coordinator_->provider()->id())) {
        return VSS_E_PROVIDER_NOT_REGISTERED;
    }
    if (volume.back() != u'\\' && volume.back() != u'/') {
        volume.push_back(u'\\'); // VSS names volumes with their trailing separator
    }
    for (const SnapshotRecord &pending : pending_snapshots_) {
        if (pending.original_volume == volume) {
            return VSS_E_OBJECT_ALREADY_EXISTS;
        }
    }
    if (pending_snapshots_.size() == kMaxVolumesPerSet) {
        return VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED;
    }
    SnapshotRecord record;
    record.snapshot_id = com::new_guid();
    record.snapshot_set_id = snapshot_set_id_;
    record.provider_id = coordinator_->provider()->id();
    record.original_volume = std::move(volume);
    record.originating_machine = u"localhost";
    record.service_machine = u"localhost";
    record.attributes = context_ == VSS_CTX_ALL ? 0 : context_;
    record.session_id = id_;
    pending_snapshots_.push_back(std::move(record));
    snapshot_id = pending_snapshots_.back().snapshot_id;
    return S_OK;
}

// ---- status -----------------------------------------------------------

HRESULT Session::writer_status_count(UINT &count)
{
    const Gate gate(*this, Call::GetWriterStatusCount);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    count = gsl::narrow<UINT>(gathered_status_.size());
    return S_OK;
}

HRESULT Session::writer_status(UINT index, StatusEntry &out, Call call)
{
    const Gate gate(*this, call);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    if (index >= gathered_status_.size()) {
        return VSS_E_OBJECT_NOT_FOUND; // C-3.9
    }
    out = gathered_status_[index];
    return S_OK;
}

HRESULT Session::free_writer_status()
{
    const Gate gate(*this, Call::FreeWriterStatus);
    if (!gate.admitted()) {
        return gate.refusal();
    }
    gathered_status_.clear();
    status_gathered_ = false;
    return S_OK;
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
        running = operations_;
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
    coordinator_->snapshots().release_session(id_);
    trace("shut down");
}

} // namespace vssapi::core
