#include "scenario/mock_writer.h"

#include "com/bstr.h"
#include "com/ref.h"
#include "writer/writer_impl.h"

#include <gsl/gsl>

namespace vssapi::scenario {
namespace {

LPCWSTR wide(const std::u16string &text)
{
    return reinterpret_cast<LPCWSTR>(text.c_str());
}

// "logical\path\name", or "name" without a logical path: how scenario files
// name a component.
std::u16string component_key(std::u16string_view logical_path, std::u16string_view name)
{
    if (logical_path.empty()) {
        return std::u16string(name);
    }
    std::u16string key(logical_path);
    key += u'\\';
    key += name;
    return key;
}

constexpr std::size_t index_of(core::Event event)
{
    return static_cast<std::size_t>(event);
}

} // namespace

void HangRelease::release()
{
    {
        const std::lock_guard<std::mutex> hold(lock_);
        released_ = true;
    }
    released_cv_.notify_all();
}

void HangRelease::wait(core::Clock &clock)
{
    std::unique_lock<std::mutex> hold(lock_);
    clock.wait_until(hold, released_cv_, core::TimePoint::max(), [this] { return released_; });
}

MockWriterObject::MockWriterObject(const MockWriter &spec, std::shared_ptr<core::Coordinator> coordinator,
                                   std::shared_ptr<HangRelease> release)
    : spec_(spec), coordinator_(std::move(coordinator)), release_(std::move(release))
{
    Expects(coordinator_ != nullptr && release_ != nullptr);
}

MockWriterObject::~MockWriterObject()
{
    stop();
}

HRESULT MockWriterObject::start()
{
    using core::Event;
    VSSAPI_WRITER_CALLBACKS table{};
    table.cbSize = sizeof table;
    table.pContext = this;
    table.OnIdentifyEx = &on_identify;
    table.OnPrepareBackup = &on_components_event<Event::PrepareBackup>;
    table.OnPrepareSnapshot = &on_event<Event::PrepareSnapshot>;
    table.OnFreeze = &on_event<Event::Freeze>;
    table.OnThaw = &on_event<Event::Thaw>;
    table.OnAbort = &on_event<Event::Abort>;
    table.OnBackupComplete = &on_components_event<Event::BackupComplete>;
    table.OnBackupShutdown = &on_backup_shutdown;
    table.OnPreRestore = &on_components_event<Event::PreRestore>;
    table.OnPostRestore = &on_components_event<Event::PostRestore>;
    table.OnPostSnapshot = &on_components_event<Event::PostSnapshot>;

    Expects(impl_ == nullptr);
    // Held before Initialize: a requester may call the handlers as soon as it subscribes.
    HRESULT hr = vssapi_create_writer_impl(&table, &impl_);
    if (FAILED(hr)) {
        return hr;
    }
    auto *concrete = static_cast<writer::WriterImpl *>(impl_);
    concrete->bind(coordinator_);
    concrete->set_instance_id(spec_.identity.instance_id);
    const core::WriterIdentity &id = spec_.identity;
    hr = impl_->Initialize(id.class_id, wide(id.name), id.instance_name.empty() ? nullptr : wide(id.instance_name),
                          id.version_major, id.version_minor, id.usage, id.source, id.level, id.freeze_timeout_ms,
                          VSS_AWS_NO_ALTERNATE_WRITER, false);
    if (SUCCEEDED(hr)) {
        hr = impl_->Subscribe(0, VSS_SM_BACKUP_EVENTS_FLAG | VSS_SM_RESTORE_EVENTS_FLAG);
    }
    if (FAILED(hr)) {
        stop();
    }
    return hr;
}

void MockWriterObject::stop() noexcept
{
    if (impl_ != nullptr) {
        impl_->Unsubscribe();
        impl_->Uninitialize();
        impl_->Release();
        impl_ = nullptr;
    }
}

template <core::Event E>
int32_t STDMETHODCALLTYPE MockWriterObject::on_event(void *context)
{
    return static_cast<MockWriterObject *>(context)->act(E, nullptr);
}

template <core::Event E>
int32_t STDMETHODCALLTYPE MockWriterObject::on_components_event(void *context, IVssWriterComponents *components)
{
    return static_cast<MockWriterObject *>(context)->act(E, components);
}

int32_t STDMETHODCALLTYPE MockWriterObject::on_identify(void *context, IVssCreateWriterMetadataEx *metadata)
{
    auto *self = static_cast<MockWriterObject *>(context);
    try {
        if (metadata == nullptr || FAILED(self->declare(*metadata))) {
            return VSSAPI_HANDLER_FALSE;
        }
    } catch (...) {
        return VSSAPI_HANDLER_THREW;
    }
    return self->act(core::Event::Identify, nullptr);
}

int32_t STDMETHODCALLTYPE MockWriterObject::on_backup_shutdown(void *context, const VSS_ID * /*snapshot_set_id*/)
{
    return static_cast<MockWriterObject *>(context)->act(core::Event::BackupShutdown, nullptr);
}

HRESULT MockWriterObject::declare(IVssCreateWriterMetadataEx &metadata) const
{
    for (const core::ComponentDecl &component : spec_.metadata.components) {
        const LPCWSTR logical_path = component.logical_path.empty() ? nullptr : wide(component.logical_path);
        HRESULT hr = metadata.AddComponent(component.type, logical_path, wide(component.name),
                                           component.caption.empty() ? nullptr : wide(component.caption), nullptr,
                                           0, component.restore_metadata, component.notify_on_backup_complete,
                                           component.selectable, component.selectable_for_restore, component.flags);
        for (const core::FileSpec &file : component.files) {
            hr = SUCCEEDED(hr) ? metadata.AddFilesToFileGroup(logical_path, wide(component.name), wide(file.path),
                                                              wide(file.filespec), file.recursive, nullptr,
                                                              file.backup_type_mask)
                               : hr;
        }
        for (const core::FileSpec &file : component.databases) {
            hr = SUCCEEDED(hr) ? metadata.AddDatabaseFiles(logical_path, wide(component.name), wide(file.path),
                                                           wide(file.filespec), file.backup_type_mask)
                               : hr;
        }
        for (const core::FileSpec &file : component.logs) {
            hr = SUCCEEDED(hr) ? metadata.AddDatabaseLogFiles(logical_path, wide(component.name), wide(file.path),
                                                              wide(file.filespec), file.backup_type_mask)
                               : hr;
        }
        if (FAILED(hr)) {
            return hr;
        }
    }
    return metadata.SetRestoreMethod(VSS_RME_RESTORE_IF_NOT_THERE, nullptr, nullptr, VSS_WRE_ALWAYS, false);
}

void MockWriterObject::fail_component(IVssWriterComponents &components, const ComponentFailureAction &failure) const
{
    UINT count = 0;
    if (FAILED(components.GetComponentCount(&count))) {
        return;
    }
    for (UINT i = 0; i < count; ++i) {
        com::Ref<IVssComponent> component;
        com::Bstr logical_path;
        com::Bstr name;
        if (FAILED(components.GetComponent(i, component.out())) ||
            FAILED(component->GetLogicalPath(logical_path.put())) ||
            FAILED(component->GetComponentName(name.put()))) {
            continue;
        }
        if (component_key(logical_path.view(), name.view()) != failure.component &&
            name.view() != failure.component) {
            continue;
        }
        com::Ref<IVssComponentEx2> component_ex2;
        if (SUCCEEDED(component->QueryInterface(IID_IVssComponentEx2, reinterpret_cast<void **>(component_ex2.out())))) {
            component_ex2->SetFailure(failure.hr, failure.hr_application,
                                      failure.message.empty() ? nullptr : wide(failure.message), 0);
        }
    }
}

int32_t MockWriterObject::act(core::Event event, IVssWriterComponents *components) noexcept
try {
    const std::optional<EventAction> &action = spec_.on[index_of(event)];
    if (!action) {
        return VSSAPI_HANDLER_TRUE;
    }
    const unsigned call_number = ++calls_[index_of(event)];
    if (action->times != 0 && call_number > action->times) {
        return VSSAPI_HANDLER_TRUE;
    }
    if (action->take.count() > 0) {
        coordinator_->clock()->sleep_for(action->take);
    }
    // What the calls return is the writer's own business, as in real code:
    // a scenario may pass a code SetWriterFailureEx refuses (C-2.1).
    if (action->set_writer_failure) {
        impl_->SetWriterFailure(*action->set_writer_failure);
    }
    if (action->set_writer_failure_ex) {
        const WriterFailure &failure = *action->set_writer_failure_ex;
        impl_->SetWriterFailureEx(failure.hr_writer, failure.hr_application,
                                  failure.message.empty() ? nullptr : wide(failure.message));
    }
    if (components != nullptr) {
        for (const ComponentFailureAction &failure : action->fail_components) {
            fail_component(*components, failure);
        }
    }
    switch (action->ending) {
    case Ending::ReturnTrue:
        return VSSAPI_HANDLER_TRUE;
    case Ending::ReturnFalse:
        return VSSAPI_HANDLER_FALSE;
    case Ending::Throw:
        return VSSAPI_HANDLER_THREW;
    case Ending::NeverReturn:
        release_->wait(*coordinator_->clock());
        return VSSAPI_HANDLER_TRUE; // long after the sequence gave up on it
    }
    return VSSAPI_HANDLER_TRUE;
} catch (...) {
    return VSSAPI_HANDLER_THREW;
}

} // namespace vssapi::scenario
