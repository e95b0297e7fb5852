// The work of the asynchronous steps: events to writers in parallel, C-2.5
// applied to each answer, freeze and thaw by level, the snapshot commit.
#include "core/session_parts.h"

#include <algorithm>
#include <new>
#include <condition_variable>
#include <thread>

namespace vssapi::core {

namespace {

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

} // namespace

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
    view->restore_type = is_restore(phase_) ? restore_type_ : VSS_RTYPE_UNDEFINED;
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
    // C-4.8: a writer whose call of an earlier session still hangs is not
    // called (the call would only queue behind the hung one); it is reported
    // as not responding at once.
    std::vector<std::shared_ptr<PendingCall>> calls(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i]->writer->hung()) {
            continue;
        }
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
        calls[i] = batch->add(targets[i]->writer, std::move(call));
    }
    if (!batch->calls().empty()) {
        coordinator_->run(*batch, coordinator_->options().event_timeout);
    }

    const PendingCall never_called; // what a skipped writer's call looks like: not started, not finished
    for (std::size_t i = 0; i < targets.size(); ++i) {
        Participant &participant = *targets[i];
        const PendingCall &pending = calls[i] ? *calls[i] : never_called;
        HandlerEnd end = HandlerEnd::ReturnedTrue;
        std::optional<FailureReport> report;
        {
            const std::lock_guard<std::mutex> hold(batch->lock());
            if (!calls[i]) {
                end = HandlerEnd::TimedOut;
                participant.hung = true; // still hung: it takes no call of this session either
            } else if (!pending.finished) {
                end = HandlerEnd::TimedOut;
                // Queued behind a call that hangs (C-4.8) is as hung as that call
                // (which may time out in its own session at this very moment).
                participant.hung = pending.started || participant.writer->hung() ||
                                   participant.writer->running_calls() > 0;
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
               !calls[i]                     ? "still hung in a call of an earlier session"
               : end == HandlerEnd::TimedOut ? "no answer within the event timeout"
                                             : "handler returned");
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
            // A writer still hung from an earlier session was not asked at all:
            // it stays in the status list, not responding (C-4.8).
            participant->listed = participant->hung;
            coordinator_->release_session(*participant->writer);
            participant->holds_session = false;
        }
    }
    attach_document_stores(); // a restore or a resumed backup: the document's components
    return S_OK;
}

HRESULT Session::run_prepare_for_backup(Operation & /*operation*/)
{
    send(Event::PrepareBackup, active_participants());
    return S_OK;
}

HRESULT Session::commit_snapshot_set()
{
    // One part per provider the set uses, committed in turn on a pool thread.
    struct Part {
        std::shared_ptr<SnapshotProvider> provider;
        SnapshotSetRequest request;
        bool committed = false;
    };
    struct CommitState {
        std::mutex lock;
        std::condition_variable done_cv;
        bool started = false;
        std::thread::id thread;
        bool done = false;
        bool abandoned = false; // the window closed first: whatever it makes is undone (C-5.6)
        HRESULT result = E_UNEXPECTED;
        std::vector<Part> parts;
    };
    auto state = std::make_shared<CommitState>();
    Coordinator &coordinator = *coordinator_;
    {
        const std::lock_guard<std::mutex> hold(lock_);
        for (const SnapshotRecord &record : pending_snapshots_) {
            auto part = std::find_if(state->parts.begin(), state->parts.end(), [&](const Part &entry) {
                return IsEqualGUID(entry.provider->id(), record.provider_id);
            });
            if (part == state->parts.end()) {
                std::shared_ptr<SnapshotProvider> provider = coordinator.find_provider(record.provider_id);
                if (!provider) {
                    return VSS_E_PROVIDER_NOT_REGISTERED; // unregistered since AddToSnapshotSet
                }
                part = state->parts.insert(state->parts.end(), Part{std::move(provider), {}, false});
                part->request.snapshot_set_id = snapshot_set_id_;
                part->request.context = context_;
            }
            part->request.snapshots.push_back(record);
        }
        if (state->parts.empty()) { // an empty set still goes to the default provider, which may refuse it
            state->parts.push_back(Part{coordinator.provider(), {}, false});
            state->parts.back().request.snapshot_set_id = snapshot_set_id_;
            state->parts.back().request.context = context_;
        }
    }
    // Undoes the committed parts; with the state's lock held.
    auto undo = [](CommitState &commit) noexcept {
        for (Part &part : commit.parts) {
            if (part.committed) {
                part.provider->discard(part.request.snapshots);
                part.committed = false;
            }
        }
    };
    coordinator.dispatcher().post(coordinator.dispatcher().make_strand(), [state, undo] {
        {
            const std::lock_guard<std::mutex> hold(state->lock);
            state->started = true;
            state->thread = std::this_thread::get_id();
        }
        HRESULT result = S_OK;
        for (Part &part : state->parts) {
            try {
                result = part.provider->commit(part.request);
            } catch (const std::bad_alloc &) {
                result = E_OUTOFMEMORY; // the library's own want, not the provider's fault
            } catch (...) {
                result = VSS_E_UNEXPECTED_PROVIDER_ERROR;
            }
            if (FAILED(result)) {
                break; // the failing provider undid its own part (SnapshotProvider::commit)
            }
            part.committed = true;
        }
        {
            const std::lock_guard<std::mutex> hold(state->lock);
            state->done = true;
            state->result = result;
            if (FAILED(result) || state->abandoned) {
                undo(*state); // C-5.6: no half-made set, and nothing made too late
            }
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
        state->abandoned = true; // the commit thread undoes what it makes once it returns
        if (state->started) {
            coordinator.dispatcher().add_worker(); // the provider keeps its thread
        }
        return VSS_E_HOLD_WRITES_TIMEOUT; // C-5.2: writes were held longer than the window
    }
    if (FAILED(state->result)) {
        return state->result;
    }
    std::vector<SnapshotRecord> committed;
    for (Part &part : state->parts) {
        committed.insert(committed.end(), part.request.snapshots.begin(), part.request.snapshots.end());
    }
    hold.unlock();
    const std::lock_guard<std::mutex> session_hold(lock_);
    // Back in AddToSnapshotSet's order, whichever provider made each.
    for (SnapshotRecord &record : pending_snapshots_) {
        for (const SnapshotRecord &made : committed) {
            if (IsEqualGUID(made.snapshot_id, record.snapshot_id)) {
                record = made;
            }
        }
    }
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

} // namespace vssapi::core
