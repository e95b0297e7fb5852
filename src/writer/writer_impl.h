// The library's side of a writer: IVssWriterImpl with the SDK's 25 slots.
// It calls the writer only through the C table of handlers it was created
// with (vssapi/writer_callbacks.h), wrapping what the core hands a handler in
// the SDK's COM objects (IVssCreateWriterMetadataEx for Identify,
// IVssWriterComponents for component events).
#pragma once

#include "com/object.h"
#include "core/coordinator.h"
#include "core/writer.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <memory>
#include <mutex>
#include <optional>

namespace vssapi::writer {

class WriterImpl final : public com::ComObject<WriterImpl, IVssWriterImpl>, private core::WriterHandlers {
public:
    explicit WriterImpl(const VSSAPI_WRITER_CALLBACKS &callbacks) noexcept;
    ~WriterImpl() override;

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept;
    void on_final_release() noexcept;

    HRESULT STDMETHODCALLTYPE Initialize(VSS_ID writerId, LPCWSTR wszWriterName, LPCWSTR wszWriterInstanceName,
                                         DWORD dwMajorVersion, DWORD dwMinorVersion, VSS_USAGE_TYPE ut,
                                         VSS_SOURCE_TYPE st, VSS_APPLICATION_LEVEL nLevel, DWORD dwTimeoutFreeze,
                                         VSS_ALTERNATE_WRITER_STATE aws, bool bIOThrottlingOnly) noexcept override;
    HRESULT STDMETHODCALLTYPE Subscribe(DWORD dwSubscribeTimeout, DWORD dwEventFlags) noexcept override;
    HRESULT STDMETHODCALLTYPE Unsubscribe() noexcept override;
    void STDMETHODCALLTYPE Uninitialize() noexcept override;
    LPCWSTR *STDMETHODCALLTYPE GetCurrentVolumeArray() const noexcept override;
    UINT STDMETHODCALLTYPE GetCurrentVolumeCount() const noexcept override;
    HRESULT STDMETHODCALLTYPE GetSnapshotDeviceName(LPCWSTR wszOriginalVolume,
                                                    LPCWSTR *ppwszSnapshotDevice) const noexcept override;
    VSS_ID *STDMETHODCALLTYPE GetCurrentSnapshotSetId(VSS_ID *result) const noexcept override;
    LONG STDMETHODCALLTYPE GetContext() const noexcept override;
    VSS_APPLICATION_LEVEL STDMETHODCALLTYPE GetCurrentLevel() const noexcept override;
    bool STDMETHODCALLTYPE IsPathAffected(LPCWSTR wszPath) const noexcept override;
    bool STDMETHODCALLTYPE IsBootableSystemStateBackedUp() const noexcept override;
    bool STDMETHODCALLTYPE AreComponentsSelected() const noexcept override;
    VSS_BACKUP_TYPE STDMETHODCALLTYPE GetBackupType() const noexcept override;
    VSS_RESTORE_TYPE STDMETHODCALLTYPE GetRestoreType() const noexcept override;
    HRESULT STDMETHODCALLTYPE SetWriterFailure(HRESULT hr) noexcept override;
    bool STDMETHODCALLTYPE IsPartialFileSupportEnabled() const noexcept override;
    HRESULT STDMETHODCALLTYPE InstallAlternateWriter(VSS_ID idWriter, CLSID clsid) noexcept override;
    IVssExamineWriterMetadata *STDMETHODCALLTYPE GetIdentityInformation() const noexcept override;
    HRESULT STDMETHODCALLTYPE SetWriterFailureEx(HRESULT hr, HRESULT hrApplication,
                                                 LPCWSTR wszApplicationMessage) noexcept override;
    HRESULT STDMETHODCALLTYPE GetSessionId(VSS_ID *idSession) noexcept override;
    bool STDMETHODCALLTYPE IsWriterShuttingDown() noexcept override;

    // Chooses the coordinator Initialize registers with (default: the current one).
    void bind(std::shared_ptr<core::Coordinator> coordinator);
    // The instance id Initialize gives the writer (default: a new one, as
    // the service does). Scenario files fix it so reports can be compared.
    void set_instance_id(const GUID &instance_id);

    // For tests: the core writer behind this object (null before Initialize).
    std::shared_ptr<core::Writer> core_writer() const;

private:
    core::HandlerResult handle(const core::HandlerCall &call) noexcept override;
    const core::SessionView *current_view() const noexcept;

    VSSAPI_WRITER_CALLBACKS callbacks_{};
    mutable std::mutex lock_;
    std::shared_ptr<core::Coordinator> coordinator_;
    std::optional<GUID> instance_id_;
    std::shared_ptr<core::Writer> writer_;
    // GetIdentityInformation's object, rebuilt when the metadata changes.
    mutable IVssExamineWriterMetadata *identity_information_ = nullptr;
    mutable std::shared_ptr<const core::WriterMetadata> identity_information_source_;
};

} // namespace vssapi::writer
