// Benchmark: the Backup Components Document (C-8) for 1, 100 and 1,000
// writers with 10 components each, every component with backup metadata and
// a backup stamp as a database writer leaves them.
//
//   meson test -C build/native --benchmark -v
//
//   SaveAsXML            one call on a session that finished PrepareForBackup
//                        (set up once per writer count, outside the timing)
//   InitializeForRestore CreateVssBackupComponents, InitializeForRestore with
//                        that document, Release: what a restore tool pays
//                        before GatherWriterMetadata
//
// SDK-shaped API only; the coordinator hook gives each writer count its own
// embedded service, as the conformance fixture does. Counters: document size
// in bytes (UTF-16) and time per component.
#include "core/coordinator.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using vssapi::core::Coordinator;

constexpr int kComponents = 10;

std::u16string text(const std::string &ascii)
{
    return std::u16string(ascii.begin(), ascii.end());
}

class DatabaseWriter final : public CVssWriterEx2 {
public:
    ~DatabaseWriter() override
    {
        if (m_pWriterImpl != nullptr) {
            m_pWriterImpl->Uninitialize();
        }
    }
    bool STDMETHODCALLTYPE OnIdentifyEx(IVssCreateWriterMetadataEx *metadata) override
    {
        for (int c = 0; c < kComponents; ++c) {
            const std::u16string name = text("Database " + std::to_string(c));
            if (metadata->AddComponent(VSS_CT_DATABASE, reinterpret_cast<LPCWSTR>(u"Instance\\Databases"),
                                       reinterpret_cast<LPCWSTR>(name.c_str()), nullptr, nullptr, 0, true, true, true,
                                       true, 0) != S_OK) {
                return false;
            }
        }
        return true;
    }
    bool STDMETHODCALLTYPE OnPrepareBackup(IVssWriterComponents *components) override
    {
        UINT count = 0;
        components->GetComponentCount(&count);
        for (UINT c = 0; c < count; ++c) {
            IVssComponent *component = nullptr;
            if (components->GetComponent(c, &component) != S_OK) {
                return false;
            }
            const std::u16string metadata = text("lsn=" + std::to_string(1000000 + c) + ";checkpoint=0x7f3a;pages=8192");
            const std::u16string stamp = text("2026-12-03T08:00:00Z/" + std::to_string(c));
            component->SetBackupMetadata(reinterpret_cast<LPCWSTR>(metadata.c_str()));
            component->SetBackupStamp(reinterpret_cast<LPCWSTR>(stamp.c_str()));
            component->Release();
        }
        return true;
    }
    bool STDMETHODCALLTYPE OnPrepareSnapshot() override { return true; }
    bool STDMETHODCALLTYPE OnFreeze() override { return true; }
    bool STDMETHODCALLTYPE OnThaw() override { return true; }
    bool STDMETHODCALLTYPE OnAbort() override { return true; }
};

// N writers and a session past PrepareForBackup with every component added.
class Backup {
public:
    explicit Backup(int writers) : coordinator_(Coordinator::create()), previous_(Coordinator::set_current(coordinator_))
    {
        for (int i = 0; i < writers; ++i) {
            const auto n = static_cast<unsigned>(i);
            const GUID class_id{0xd0c00000u + n, 0x5eed, 0x4b1d, {0x80, 0, 0, 0, 0, 0, 0, static_cast<BYTE>(n)}};
            const std::u16string name = text("database writer " + std::to_string(i));
            auto writer = std::make_unique<DatabaseWriter>();
            if (writer->Initialize(class_id, reinterpret_cast<LPCWSTR>(name.c_str()), VSS_UT_USERDATA,
                                   VSS_ST_TRANSACTEDDB) != S_OK ||
                writer->Subscribe() != S_OK) {
                error_ = "writer setup failed";
                return;
            }
            writers_.push_back(std::move(writer));
        }
        if (FAILED(CreateVssBackupComponents(&backup_)) || backup_->InitializeForBackup(nullptr) != S_OK ||
            backup_->SetBackupState(true, false, VSS_BT_FULL, false) != S_OK || !run(&IVssBackupComponents::GatherWriterMetadata)) {
            error_ = "backup setup failed";
            return;
        }
        UINT count = 0;
        backup_->GetWriterMetadataCount(&count);
        for (UINT w = 0; w < count; ++w) {
            VSS_ID instance{};
            IVssExamineWriterMetadata *metadata = nullptr;
            if (backup_->GetWriterMetadata(w, &instance, &metadata) != S_OK) {
                error_ = "GetWriterMetadata failed";
                return;
            }
            VSS_ID again{}, writer_class{};
            BSTR name = nullptr;
            VSS_USAGE_TYPE usage{};
            VSS_SOURCE_TYPE source{};
            metadata->GetIdentity(&again, &writer_class, &name, &usage, &source);
            SysFreeString(name);
            metadata->Release();
            for (int c = 0; c < kComponents; ++c) {
                const std::u16string component = text("Database " + std::to_string(c));
                backup_->AddComponent(instance, writer_class, VSS_CT_DATABASE, reinterpret_cast<LPCWSTR>(u"Instance\\Databases"),
                                      reinterpret_cast<LPCWSTR>(component.c_str()));
            }
        }
        VSS_ID set{}, snapshot{};
        WCHAR volume[] = {'C', ':', '\\', 0};
        if (backup_->StartSnapshotSet(&set) != S_OK || backup_->AddToSnapshotSet(volume, GUID_NULL, &snapshot) != S_OK ||
            !run(&IVssBackupComponents::PrepareForBackup)) {
            error_ = "PrepareForBackup failed";
        }
    }
    ~Backup()
    {
        if (backup_ != nullptr) {
            backup_->Release();
        }
        writers_.clear();
        Coordinator::set_current(previous_);
    }
    Backup(const Backup &) = delete;
    Backup &operator=(const Backup &) = delete;

    IVssBackupComponents *get() const { return backup_; }
    const std::string &error() const { return error_; }

private:
    bool run(HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*step)(IVssAsync **))
    {
        IVssAsync *async = nullptr;
        if ((backup_->*step)(&async) != S_OK) {
            return false;
        }
        async->Wait(INFINITE);
        HRESULT status = E_FAIL;
        async->QueryStatus(&status, nullptr);
        async->Release();
        return status == VSS_S_ASYNC_FINISHED;
    }

    std::shared_ptr<Coordinator> coordinator_;
    std::shared_ptr<Coordinator> previous_;
    std::vector<std::unique_ptr<DatabaseWriter>> writers_;
    IVssBackupComponents *backup_ = nullptr;
    std::string error_;
};

Backup &backup_of(int writers)
{
    static std::map<int, std::unique_ptr<Backup>> made;
    auto &slot = made[writers];
    if (!slot) {
        slot = std::make_unique<Backup>(writers);
    }
    return *slot;
}

void save_as_xml(benchmark::State &state)
{
    Backup &backup = backup_of(static_cast<int>(state.range(0)));
    if (!backup.error().empty()) {
        state.SkipWithError(backup.error().c_str());
        return;
    }
    UINT units = 0;
    for (auto _ : state) {
        BSTR xml = nullptr;
        if (backup.get()->SaveAsXML(&xml) != S_OK) {
            state.SkipWithError("SaveAsXML failed");
            return;
        }
        units = SysStringLen(xml);
        SysFreeString(xml);
    }
    state.counters["doc_bytes"] = static_cast<double>(units) * 2;
    state.counters["per_component"] =
        benchmark::Counter(static_cast<double>(state.range(0) * kComponents), benchmark::Counter::kIsIterationInvariantRate |
                                                                                  benchmark::Counter::kInvert);
}

void initialize_for_restore(benchmark::State &state)
{
    Backup &backup = backup_of(static_cast<int>(state.range(0)));
    if (!backup.error().empty()) {
        state.SkipWithError(backup.error().c_str());
        return;
    }
    BSTR xml = nullptr;
    if (backup.get()->SaveAsXML(&xml) != S_OK) {
        state.SkipWithError("SaveAsXML failed");
        return;
    }
    for (auto _ : state) {
        IVssBackupComponents *restore = nullptr;
        if (FAILED(CreateVssBackupComponents(&restore)) || restore->InitializeForRestore(xml) != S_OK) {
            state.SkipWithError("InitializeForRestore failed");
            break;
        }
        restore->Release();
    }
    state.counters["doc_bytes"] = static_cast<double>(SysStringLen(xml)) * 2;
    state.counters["per_component"] =
        benchmark::Counter(static_cast<double>(state.range(0) * kComponents), benchmark::Counter::kIsIterationInvariantRate |
                                                                                  benchmark::Counter::kInvert);
    SysFreeString(xml);
}

BENCHMARK(save_as_xml)->Arg(1)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(initialize_for_restore)->Arg(1)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
