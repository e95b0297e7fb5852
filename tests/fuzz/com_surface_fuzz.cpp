// The SDK-shaped surface: IVssBackupComponentsEx3 called in any order with any
// values (enums out of range, UTF-16 with lone surrogates, NULL where the SDK
// allows it), against CVssWriterEx2 writers whose handlers fail and report
// SetWriterFailureEx with any values. Every call returns an HRESULT; nothing
// crashes, leaks or hangs (C-2, C-3, C-6.2).
#include "fuzz_input.h"

#include "core/clock.h"
#include "core/coordinator.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace {

using vssapi::core::Coordinator;

std::u16string wide(fuzz::Input &in)
{
    const std::size_t length = in.byte() & 0x1f;
    std::u16string out;
    for (std::size_t i = 0; i < length && !in.empty(); ++i) {
        const uint8_t high = in.byte();
        out.push_back(static_cast<char16_t>(high << 8 | in.byte()));
    }
    return out;
}

// An enum value within the bits of the enum's values (0..3), valid or not as
// a VSS value: C++ code cannot pass a value outside them without undefined
// behaviour of its own. Values outside them come from C callers: flat_api_fuzz
// and tests/support/c_callers.c pass those.
template <class Enum>
Enum in_range(fuzz::Input &in)
{
    return static_cast<Enum>(in.byte() & 3);
}

LPCWSTR W(const std::u16string &text)
{
    return reinterpret_cast<LPCWSTR>(text.c_str());
}

class FuzzWriter final : public CVssWriterEx2 {
public:
    FuzzWriter(fuzz::Input &in, const GUID &klass)
    {
        for (uint8_t &action : actions_) {
            action = in.byte();
        }
        hr_ = in.i32();
        application_ = in.i32();
        message_ = wide(in);
        name_ = wide(in);
        // One take per statement: argument order is unspecified, and an input must mean one thing everywhere.
        const auto usage = in_range<VSS_USAGE_TYPE>(in);
        const auto source = in_range<VSS_SOURCE_TYPE>(in);
        const auto level = in_range<VSS_APPLICATION_LEVEL>(in);
        const DWORD timeout = in.u32() % 120000;
        ok_ = Initialize(klass, W(name_), usage, source, level, timeout) == S_OK && Subscribe() == S_OK;
    }
    ~FuzzWriter() override
    {
        if (m_pWriterImpl != nullptr) {
            m_pWriterImpl->Uninitialize();
        }
    }
    bool ok() const { return ok_; }

    bool STDMETHODCALLTYPE OnIdentify(IVssCreateWriterMetadata *metadata) override
    {
        if (metadata != nullptr) {
            (void)metadata->AddComponent(static_cast<VSS_COMPONENT_TYPE>(actions_[0] & 3), nullptr, W(u"data"),
                                         W(message_), nullptr, 0, false, true, true, false, 0);
            (void)metadata->AddFilesToFileGroup(nullptr, W(u"data"), W(u"C:\\data"), W(name_), actions_[1] & 1,
                                                nullptr, 0);
        }
        return act(0);
    }
    bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *components) override
    {
        touch(components);
        return act(1);
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return act(2); }
    bool STDMETHODCALLTYPE OnFreeze() override { return act(3); }
    bool STDMETHODCALLTYPE OnThaw() override { return act(4); }
    bool STDMETHODCALLTYPE OnAbort() override { return act(5); }
    bool STDMETHODCALLTYPE OnPostSnapshot(IVssWriterComponents *components) override
    {
        touch(components);
        return act(6);
    }
    bool STDMETHODCALLTYPE OnBackupComplete(IVssWriterComponents *components) override
    {
        touch(components);
        return act(7);
    }
    bool STDMETHODCALLTYPE OnPreRestore(IVssWriterComponents *components) override
    {
        touch(components);
        return act(8);
    }
    bool STDMETHODCALLTYPE OnPostRestore(IVssWriterComponents *components) override
    {
        touch(components);
        return act(9);
    }

private:
    bool act(int event)
    {
        switch (actions_[event] % 5) {
        case 1:
            return false;
        case 2:
            (void)SetWriterFailureEx(hr_, application_, W(message_));
            return false;
        case 3:
            (void)SetWriterFailure(hr_);
            return true;
        case 4:
            (void)SetWriterFailureEx(hr_, application_, nullptr);
            return true;
        default:
            return true;
        }
    }
    void touch(IVssWriterComponents *components)
    {
        UINT count = 0;
        if (components == nullptr || components->GetComponentCount(&count) != S_OK) {
            return;
        }
        for (UINT i = 0; i <= count; ++i) {
            IVssComponent *component = nullptr;
            if (components->GetComponent(i, &component) == S_OK && component != nullptr) {
                (void)component->SetBackupMetadata(W(message_));
                (void)component->SetPostRestoreFailureMsg(W(message_));
                component->Release();
            }
        }
    }

    std::array<uint8_t, 10> actions_{};
    HRESULT hr_ = S_OK;
    HRESULT application_ = S_OK;
    std::u16string message_;
    std::u16string name_;
    bool ok_ = false;
};

HRESULT finish(IVssAsync *async)
{
    if (async == nullptr) {
        return E_FAIL;
    }
    (void)async->Wait(INFINITE);
    HRESULT status = E_FAIL;
    (void)async->QueryStatus(&status, nullptr);
    async->Release();
    return status;
}

void call(IVssBackupComponentsEx3 *c, fuzz::Input &in, BSTR &saved)
{
    IVssAsync *async = nullptr;
    const GUID a = in.guid<GUID>(), b = in.guid<GUID>();
    const auto type = in_range<VSS_COMPONENT_TYPE>(in);
    const std::u16string path = wide(in), name = wide(in);
    LPCWSTR logical = in.byte() % 2 == 0 ? nullptr : W(path);
    switch (in.byte() % 26) {
    case 0:
        (void)c->InitializeForBackup(in.byte() % 4 == 0 ? saved : nullptr);
        break;
    case 1: {
        const bool select = (in.byte() & 1) != 0, bootable = (in.byte() & 1) != 0;
        const auto backup = in_range<VSS_BACKUP_TYPE>(in);
        const bool partial = (in.byte() & 1) != 0;
        (void)c->SetBackupState(select, bootable, backup, partial);
        break;
    }
    case 2:
        (void)c->SetContext(in.i32());
        break;
    case 3:
        if (SUCCEEDED(c->GatherWriterMetadata(&async))) {
            (void)finish(async);
        }
        break;
    case 4:
        (void)c->AddComponent(a, b, type, logical, W(name));
        break;
    case 5:
        if (SUCCEEDED(c->PrepareForBackup(&async))) {
            (void)finish(async);
        }
        break;
    case 6: {
        VSS_ID set{};
        (void)c->StartSnapshotSet(&set);
        break;
    }
    case 7: {
        VSS_ID id{};
        const std::u16string volume = in.byte() % 2 == 0 ? std::u16string(u"C:\\") : name;
        (void)c->AddToSnapshotSet(const_cast<VSS_PWSZ>(W(volume)), a, &id);
        break;
    }
    case 8:
        if (SUCCEEDED(c->DoSnapshotSet(&async))) {
            (void)finish(async);
        }
        break;
    case 9:
        if (SUCCEEDED(c->BackupComplete(&async))) {
            (void)finish(async);
        }
        break;
    case 10:
        if (SUCCEEDED(c->GatherWriterStatus(&async))) {
            (void)finish(async);
        }
        break;
    case 11: {
        UINT count = 0;
        (void)c->GetWriterStatusCount(&count);
        VSS_ID instance{}, writer{};
        BSTR writer_name = nullptr;
        VSS_WRITER_STATE state{};
        HRESULT failure = S_OK, application = S_OK;
        BSTR message = nullptr;
        const UINT index = in.u32() % (count + 2);
        HRESULT *want_application = in.byte() % 2 == 0 ? &application : nullptr;
        BSTR *want_message = in.byte() % 2 == 0 ? &message : nullptr;
        if (c->GetWriterStatusEx(index, &instance, &writer, &writer_name, &state, &failure, want_application,
                                 want_message) == S_OK) {
            SysFreeString(writer_name);
            SysFreeString(message);
        }
        break;
    }
    case 12:
        (void)c->FreeWriterStatus();
        break;
    case 13:
        (void)c->AbortBackup();
        break;
    case 14:
        (void)c->SetBackupSucceeded(a, b, type, logical, W(name), in.byte() & 1);
        break;
    case 15:
        (void)c->SetBackupOptions(b, type, logical, W(name), W(path));
        break;
    case 16: {
        BSTR xml = nullptr;
        if (c->SaveAsXML(&xml) == S_OK) {
            SysFreeString(saved);
            saved = xml;
        }
        break;
    }
    case 17:
        if (in.byte() % 4 == 0) {
            BSTR text = SysAllocString(W(name));
            (void)c->InitializeForRestore(text);
            SysFreeString(text);
        } else {
            (void)c->InitializeForRestore(saved);
        }
        break;
    case 18:
        (void)c->SetSelectedForRestore(b, type, logical, W(name), in.byte() & 1);
        break;
    case 19:
        if (SUCCEEDED(c->PreRestore(&async))) {
            (void)finish(async);
        }
        break;
    case 20:
        (void)c->SetFileRestoreStatus(b, type, logical, W(name), in_range<VSS_FILE_RESTORE_STATUS>(in));
        break;
    case 21:
        if (SUCCEEDED(c->PostRestore(&async))) {
            (void)finish(async);
        }
        break;
    case 22: {
        VSS_SNAPSHOT_PROP prop{};
        if (c->GetSnapshotProperties(a, &prop) == S_OK) {
            VssFreeSnapshotProperties(&prop);
        }
        LONG deleted = 0;
        VSS_ID kept{};
        const auto source = in_range<VSS_OBJECT_TYPE>(in);
        const BOOL force = in.byte() & 1;
        (void)c->DeleteSnapshots(a, source, force, &deleted, &kept);
        break;
    }
    case 23: {
        IVssEnumObject *found = nullptr;
        const auto queried = in_range<VSS_OBJECT_TYPE>(in);
        const auto returned = in_range<VSS_OBJECT_TYPE>(in);
        if (c->Query(a, queried, returned, &found) == S_OK && found != nullptr) {
            VSS_OBJECT_PROP prop{};
            ULONG fetched = 0;
            while (found->Next(1, &prop, &fetched) == S_OK && fetched == 1) {
                if (prop.Type == VSS_OBJECT_SNAPSHOT) {
                    VssFreeSnapshotProperties(&prop.Obj.Snap);
                } else {
                    CoTaskMemFree(prop.Obj.Prov.m_pwszProviderName);
                    CoTaskMemFree(prop.Obj.Prov.m_pwszProviderVersion);
                }
            }
            found->Release();
        }
        break;
    }
    case 24: {
        BOOL supported = FALSE;
        (void)c->IsVolumeSupported(a, const_cast<VSS_PWSZ>(W(name)), &supported);
        break;
    }
    case 25: {
        UINT count = 0;
        (void)c->GetWriterMetadataCount(&count);
        VSS_ID instance{};
        IVssExamineWriterMetadata *metadata = nullptr;
        if (c->GetWriterMetadata(in.u32() % (count + 2), &instance, &metadata) == S_OK && metadata != nullptr) {
            BSTR xml = nullptr;
            if (metadata->SaveAsXML(&xml) == S_OK) {
                SysFreeString(xml);
            }
            metadata->Release();
        }
        (void)c->FreeWriterMetadata();
        break;
    }
    default:
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
    fuzz::Input in(data, size);
    vssapi::core::CoordinatorOptions options;
    options.clock = std::make_shared<vssapi::core::SimulatedClock>();
    const auto coordinator = Coordinator::create(std::move(options));
    const auto previous = Coordinator::set_current(coordinator);
    {
        std::array<std::unique_ptr<FuzzWriter>, 2> writers;
        for (std::size_t i = 0; i < writers.size() && in.byte() % 2 == 0; ++i) {
            GUID klass{};
            klass.Data1 = static_cast<uint32_t>(i + 1);
            writers[i] = std::make_unique<FuzzWriter>(in, klass);
        }
        IVssBackupComponents *created = nullptr;
        if (CreateVssBackupComponents(&created) == S_OK) {
            void *ex3 = nullptr;
            if (created->QueryInterface(IID_IVssBackupComponentsEx3, &ex3) == S_OK) {
                auto *components = static_cast<IVssBackupComponentsEx3 *>(ex3);
                BSTR saved = nullptr;
                for (int calls = 0; calls < 48 && !in.empty(); ++calls) {
                    call(components, in, saved);
                }
                SysFreeString(saved);
                components->Release();
            }
            created->Release();
        }
    }
    Coordinator::set_current(previous);
    return 0;
}
