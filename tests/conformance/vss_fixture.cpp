#include "vss_fixture.h"

#include <chrono>

namespace conformance {

const char *on_name(On event)
{
    switch (event) {
    case On::Identify: return "Identify";
    case On::PrepareBackup: return "PrepareBackup";
    case On::PrepareSnapshot: return "PrepareSnapshot";
    case On::Freeze: return "Freeze";
    case On::Thaw: return "Thaw";
    case On::Abort: return "Abort";
    case On::PostSnapshot: return "PostSnapshot";
    case On::BackupComplete: return "BackupComplete";
    case On::BackupShutdown: return "BackupShutdown";
    case On::PreRestore: return "PreRestore";
    case On::PostRestore: return "PostRestore";
    }
    return "?";
}

GUID test_guid(unsigned n)
{
    return GUID{0x7e570000u + n, 0x1234, 0x4321, {0x80, 0, 0, 0, 0, 0, 0, static_cast<unsigned char>(n)}};
}

std::string narrow(const std::u16string &text)
{
    std::string out;
    for (char16_t unit : text) {
        out += unit < 0x80 ? static_cast<char>(unit) : '?';
    }
    return out;
}

void wait_until(const std::function<bool()> &done)
{
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        REQUIRE(std::chrono::steady_clock::now() < give_up);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

TestWriter::TestWriter(const char16_t *name, const GUID &class_id, VSS_APPLICATION_LEVEL level,
                       DWORD freeze_timeout_ms, const char16_t *instance_name)
    : name_(name)
{
    REQUIRE(Initialize(class_id, reinterpret_cast<LPCWSTR>(name), VSS_UT_USERDATA, VSS_ST_OTHER, level,
                       freeze_timeout_ms, VSS_AWS_NO_ALTERNATE_WRITER, false,
                       reinterpret_cast<LPCWSTR>(instance_name)) == S_OK);
    REQUIRE(Subscribe() == S_OK);
}

TestWriter::~TestWriter()
{
    // Detach while this object's members still exist: a handler may be running.
    if (m_pWriterImpl != nullptr) {
        m_pWriterImpl->Uninitialize();
    }
}

void TestWriter::on(On event, Action action)
{
    const std::lock_guard<std::mutex> hold(lock_);
    actions_[event] = std::move(action);
}

void TestWriter::on_identify(IdentifyAction action)
{
    const std::lock_guard<std::mutex> hold(lock_);
    identify_ = std::move(action);
}

std::vector<Delivery> TestWriter::deliveries() const
{
    const std::lock_guard<std::mutex> hold(lock_);
    return deliveries_;
}

std::vector<On> TestWriter::events() const
{
    std::vector<On> events;
    for (const Delivery &delivery : deliveries()) {
        events.push_back(delivery.event);
    }
    return events;
}

int TestWriter::count(On event) const
{
    int n = 0;
    for (const Delivery &delivery : deliveries()) {
        n += delivery.event == event ? 1 : 0;
    }
    return n;
}

bool TestWriter::deliver(On event, IVssWriterComponents *components, GUID argument)
{
    if (running_.fetch_add(1) != 0) {
        overlapped_ = true; // C-4.1: one writer's handlers never overlap
    }
    Action action;
    {
        const std::lock_guard<std::mutex> hold(lock_);
        deliveries_.push_back(Delivery{event, std::this_thread::get_id(), argument});
        auto found = actions_.find(event);
        if (found != actions_.end()) {
            action = found->second;
        }
    }
    struct Leave {
        std::atomic<int> &running;
        ~Leave() { running.fetch_sub(1); }
    } leave{running_};
    return action ? action(*this, components) : true;
}

bool STDMETHODCALLTYPE TestWriter::OnIdentifyEx(IVssCreateWriterMetadataEx *metadata)
{
    IdentifyAction action;
    {
        const std::lock_guard<std::mutex> hold(lock_);
        deliveries_.push_back(Delivery{On::Identify, std::this_thread::get_id(), GUID_NULL});
        action = identify_;
    }
    return action ? action(*this, metadata) : true;
}

bool STDMETHODCALLTYPE TestWriter::OnPrepareBackup(IVssWriterComponents *components)
{
    return deliver(On::PrepareBackup, components);
}
bool STDMETHODCALLTYPE TestWriter::OnPrepareSnapshot() { return deliver(On::PrepareSnapshot, nullptr); }
bool STDMETHODCALLTYPE TestWriter::OnFreeze() { return deliver(On::Freeze, nullptr); }
bool STDMETHODCALLTYPE TestWriter::OnThaw() { return deliver(On::Thaw, nullptr); }
bool STDMETHODCALLTYPE TestWriter::OnAbort() { return deliver(On::Abort, nullptr); }
bool STDMETHODCALLTYPE TestWriter::OnPostSnapshot(IVssWriterComponents *components)
{
    return deliver(On::PostSnapshot, components);
}
bool STDMETHODCALLTYPE TestWriter::OnBackupComplete(IVssWriterComponents *components)
{
    return deliver(On::BackupComplete, components);
}
bool STDMETHODCALLTYPE TestWriter::OnPreRestore(IVssWriterComponents *components)
{
    return deliver(On::PreRestore, components);
}

bool STDMETHODCALLTYPE TestWriter::OnPostRestore(IVssWriterComponents *components)
{
    return deliver(On::PostRestore, components);
}

bool STDMETHODCALLTYPE TestWriter::OnBackupShutdown(VSS_ID snapshot_set_id)
{
    return deliver(On::BackupShutdown, nullptr, snapshot_set_id);
}

Requester::Requester()
{
    IVssBackupComponents *created = nullptr;
    REQUIRE(CreateVssBackupComponents(&created) == S_OK);
    void *ex3 = nullptr;
    REQUIRE(created->QueryInterface(IID_IVssBackupComponentsEx3, &ex3) == S_OK);
    created->Release();
    components_ = static_cast<IVssBackupComponentsEx3 *>(ex3);
}

Requester::~Requester()
{
    release();
}

void Requester::release()
{
    if (components_ != nullptr) {
        components_->Release();
        components_ = nullptr;
    }
}

HRESULT Requester::run(HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*step)(IVssAsync **))
{
    IVssAsync *async = nullptr;
    const HRESULT started = (components_->*step)(&async);
    if (FAILED(started)) {
        REQUIRE(async == nullptr);
        return started;
    }
    REQUIRE(async != nullptr);
    CHECK(async->Wait(INFINITE) == S_OK);
    HRESULT result = E_FAIL;
    CHECK(async->QueryStatus(&result, nullptr) == S_OK);
    async->Release();
    return result;
}

void Requester::gather(bool select_components)
{
    REQUIRE(components_->InitializeForBackup(nullptr) == S_OK);
    REQUIRE(components_->SetBackupState(select_components, false, VSS_BT_FULL, false) == S_OK);
    REQUIRE(run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
}

void Requester::prepare(const char16_t *volume, const GUID &provider)
{
    REQUIRE(components_->StartSnapshotSet(&snapshot_set_id) == S_OK);
    REQUIRE(components_->AddToSnapshotSet(const_cast<VSS_PWSZ>(reinterpret_cast<LPCWSTR>(volume)), provider,
                                          &snapshot_id) == S_OK);
    REQUIRE(run(&IVssBackupComponents::PrepareForBackup) == VSS_S_ASYNC_FINISHED);
}

std::u16string Requester::save_document()
{
    BSTR xml = nullptr;
    REQUIRE(components_->SaveAsXML(&xml) == S_OK);
    REQUIRE(xml != nullptr);
    std::u16string text(reinterpret_cast<const char16_t *>(xml), SysStringLen(xml));
    SysFreeString(xml);
    return text;
}

void Requester::begin_restore(const std::u16string &xml)
{
    BSTR document = SysAllocStringLen(reinterpret_cast<const OLECHAR *>(xml.data()), static_cast<UINT>(xml.size()));
    const HRESULT hr = components_->InitializeForRestore(document);
    SysFreeString(document);
    REQUIRE(hr == S_OK);
    REQUIRE(run(&IVssBackupComponents::GatherWriterMetadata) == VSS_S_ASYNC_FINISHED);
}

HRESULT Requester::snapshot()
{
    gather();
    prepare();
    return run(&IVssBackupComponents::DoSnapshotSet);
}

void Requester::select_all_components()
{
    UINT writers = 0;
    REQUIRE(components_->GetWriterMetadataCount(&writers) == S_OK);
    for (UINT i = 0; i < writers; ++i) {
        VSS_ID instance{};
        IVssExamineWriterMetadata *metadata = nullptr;
        REQUIRE(components_->GetWriterMetadata(i, &instance, &metadata) == S_OK);
        VSS_ID instance_again{}, writer{};
        BSTR name = nullptr;
        VSS_USAGE_TYPE usage{};
        VSS_SOURCE_TYPE source{};
        REQUIRE(metadata->GetIdentity(&instance_again, &writer, &name, &usage, &source) == S_OK);
        SysFreeString(name);
        UINT include = 0, exclude = 0, count = 0;
        REQUIRE(metadata->GetFileCounts(&include, &exclude, &count) == S_OK);
        for (UINT c = 0; c < count; ++c) {
            IVssWMComponent *component = nullptr;
            REQUIRE(metadata->GetComponent(c, &component) == S_OK);
            PVSSCOMPONENTINFO info = nullptr;
            REQUIRE(component->GetComponentInfo(&info) == S_OK);
            REQUIRE(components_->AddComponent(instance, writer, info->type, info->bstrLogicalPath,
                                              info->bstrComponentName) == S_OK);
            component->FreeComponentInfo(info);
            component->Release();
        }
        metadata->Release();
    }
}

std::vector<StatusRow> Requester::status()
{
    REQUIRE(run(&IVssBackupComponents::GatherWriterStatus) == VSS_S_ASYNC_FINISHED);
    UINT count = 0;
    REQUIRE(components_->GetWriterStatusCount(&count) == S_OK);
    std::vector<StatusRow> rows;
    for (UINT i = 0; i < count; ++i) {
        StatusRow row;
        BSTR name = nullptr;
        BSTR message = nullptr;
        REQUIRE(components_->GetWriterStatusEx(i, &row.instance, &row.writer, &name, &row.state, &row.hr_writer,
                                               &row.hr_application, &message) == S_OK);
        row.name.assign(reinterpret_cast<const char16_t *>(name), SysStringLen(name));
        row.message_is_null = message == nullptr;
        if (message != nullptr) {
            row.message.assign(reinterpret_cast<const char16_t *>(message), SysStringLen(message));
        }
        SysFreeString(name);
        SysFreeString(message);
        rows.push_back(std::move(row));
    }
    REQUIRE(components_->FreeWriterStatus() == S_OK);
    return rows;
}

StatusRow Requester::status_of(const std::u16string &writer_name)
{
    for (StatusRow &row : status()) {
        if (row.name == writer_name) {
            return row;
        }
    }
    FAIL("no status row for writer " << narrow(writer_name));
    return {};
}

} // namespace conformance
