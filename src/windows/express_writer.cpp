// CreateVssExpressWriterInternal: express writers (Windows 7 and later) have
// no process of their own: a program describes its files once
// (IVssCreateExpressWriterMetadata or a saved Writer Metadata Document),
// registers the description, and VSS answers every event for it. Here the
// registration lives in the process's coordinator, as every other writer
// does, and lasts until Unregister or the end of the process (Windows keeps
// it in its registry across reboots).
#include "com/barrier.h"
#include "com/bstr.h"
#include "com/enum_value.h"
#include "com/guid.h"
#include "com/object.h"
#include "core/coordinator.h"
#include "core/diagnostics.h"
#include "core/writer.h"
#include "documents/writer_metadata.h"
#include "metadata/create_writer_metadata.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <map>
#include <memory>
#include <mutex>

// The two interfaces as vswriter.h declares them (Windows 7 SDK and later).
#undef INTERFACE
#define INTERFACE IVssCreateExpressWriterMetadata
DECLARE_INTERFACE_(IVssCreateExpressWriterMetadata, IUnknown)
{
    STDMETHOD(AddExcludeFiles)(THIS_ LPCWSTR wszPath, LPCWSTR wszFilespec, bool bRecursive) PURE;
    STDMETHOD(AddComponent)(THIS_ VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                            LPCWSTR wszCaption, const BYTE *pbIcon, UINT cbIcon, bool bRestoreMetadata,
                            bool bNotifyOnBackupComplete, bool bSelectable, bool bSelectableForRestore,
                            DWORD dwComponentFlags) PURE;
    STDMETHOD(AddFilesToFileGroup)(THIS_ LPCWSTR wszLogicalPath, LPCWSTR wszGroupName, LPCWSTR wszPath,
                                   LPCWSTR wszFilespec, bool bRecursive, LPCWSTR wszAlternateLocation,
                                   DWORD dwBackupTypeMask) PURE;
    STDMETHOD(SetRestoreMethod)(THIS_ VSS_RESTOREMETHOD_ENUM method, LPCWSTR wszService, LPCWSTR wszUserProcedure,
                                VSS_WRITERRESTORE_ENUM writerRestore, bool bRebootRequired) PURE;
    STDMETHOD(AddComponentDependency)(THIS_ LPCWSTR wszForLogicalPath, LPCWSTR wszForComponentName,
                                      VSS_ID onWriterId, LPCWSTR wszOnLogicalPath, LPCWSTR wszOnComponentName) PURE;
    STDMETHOD(SetBackupSchema)(THIS_ DWORD dwSchemaMask) PURE;
    STDMETHOD(GetDocument)(THIS_ IXMLDOMDocument * *pDoc) PURE;
    STDMETHOD(SaveAsXML)(THIS_ BSTR * pbstrXML) PURE;
};
#undef INTERFACE
#define INTERFACE IVssExpressWriter
DECLARE_INTERFACE_(IVssExpressWriter, IUnknown)
{
    STDMETHOD(CreateMetadata)(THIS_ VSS_ID writerId, LPCWSTR writerName, VSS_USAGE_TYPE usageType,
                              DWORD versionMajor, DWORD versionMinor, DWORD reserved,
                              IVssCreateExpressWriterMetadata * *ppMetadata) PURE;
    STDMETHOD(LoadMetadata)(THIS_ LPCWSTR metadata, DWORD reserved) PURE;
    STDMETHOD(Register)(THIS) PURE;
    STDMETHOD(Unregister)(THIS_ VSS_ID writerId) PURE;
};
#undef INTERFACE

namespace vssapi::windows {
namespace {

// A description: who the writer is and what it declares at Identify.
struct Description {
    core::WriterIdentity identity;
    core::WriterMetadata metadata;
};

// A registered express writer: answers Identify with its description and
// every other event with success, as the service does for one.
class Registration final : private core::WriterHandlers {
public:
    explicit Registration(std::shared_ptr<const Description> description) : description_(std::move(description)) {}

    HRESULT start()
    {
        coordinator_ = core::Coordinator::current();
        core::WriterIdentity identity = description_->identity;
        identity.instance_id = com::new_guid();
        writer_ = coordinator_->make_writer(std::move(identity), this);
        return coordinator_->subscribe(writer_);
    }

    ~Registration()
    {
        if (writer_) {
            coordinator_->unsubscribe(*writer_);
            writer_->detach();
        }
    }

private:
    core::HandlerResult handle(const core::HandlerCall &call) noexcept override
    {
        if (call.event == core::Event::Identify && call.metadata != nullptr) {
            try {
                *call.metadata = description_->metadata;
            } catch (...) {
                return core::HandlerResult::Threw;
            }
        }
        return core::HandlerResult::True;
    }

    std::shared_ptr<const Description> description_;
    std::shared_ptr<core::Coordinator> coordinator_;
    std::shared_ptr<core::Writer> writer_;
};

struct Registry {
    std::mutex lock;
    std::map<GUID, std::unique_ptr<Registration>, bool (*)(const GUID &, const GUID &)> writers{
        [](const GUID &a, const GUID &b) { return std::memcmp(&a, &b, sizeof a) < 0; }};
};

Registry &registry()
{
    static Registry *const instance = new Registry; // lives as long as the process, like the registration
    return *instance;
}

const char16_t *u16(LPCWSTR text) noexcept { return reinterpret_cast<const char16_t *>(text); }

// IVssCreateExpressWriterMetadata over the library's metadata builder: the
// same checks and the same document as a writer's OnIdentify.
class ExpressMetadata final : public com::ComObject<ExpressMetadata, IVssCreateExpressWriterMetadata> {
public:
    explicit ExpressMetadata(std::shared_ptr<Description> description)
        : description_(std::move(description)),
          builder_(new metadata::CreateWriterMetadata(description_->metadata, description_->identity))
    {
    }
    ~ExpressMetadata() override { builder_->Release(); }

    static gsl::span<const com::InterfaceEntry> interface_table() noexcept
    {
        static constexpr com::InterfaceEntry table[] = {
            {&IID_IVssCreateExpressWriterMetadata, "IVssCreateExpressWriterMetadata",
             &com::interface_cast<ExpressMetadata, IVssCreateExpressWriterMetadata>},
        };
        return table;
    }

    HRESULT STDMETHODCALLTYPE AddExcludeFiles(LPCWSTR p, LPCWSTR f, bool r) noexcept override
    {
        return builder_->AddExcludeFiles(p, f, r);
    }
    HRESULT STDMETHODCALLTYPE AddComponent(VSS_COMPONENT_TYPE ct, LPCWSTR lp, LPCWSTR name, LPCWSTR caption,
                                           const BYTE *icon, UINT cb, bool restore_metadata, bool notify,
                                           bool selectable, bool selectable_for_restore, DWORD flags) noexcept override
    {
        return builder_->AddComponent(ct, lp, name, caption, icon, cb, restore_metadata, notify, selectable,
                                      selectable_for_restore, flags);
    }
    HRESULT STDMETHODCALLTYPE AddFilesToFileGroup(LPCWSTR lp, LPCWSTR group, LPCWSTR p, LPCWSTR f, bool r,
                                                  LPCWSTR alt, DWORD mask) noexcept override
    {
        return builder_->AddFilesToFileGroup(lp, group, p, f, r, alt, mask);
    }
    HRESULT STDMETHODCALLTYPE SetRestoreMethod(VSS_RESTOREMETHOD_ENUM m, LPCWSTR service, LPCWSTR procedure,
                                               VSS_WRITERRESTORE_ENUM wr, bool reboot) noexcept override
    {
        return builder_->SetRestoreMethod(m, service, procedure, wr, reboot);
    }
    HRESULT STDMETHODCALLTYPE AddComponentDependency(LPCWSTR for_lp, LPCWSTR for_name, VSS_ID on_writer,
                                                     LPCWSTR on_lp, LPCWSTR on_name) noexcept override
    {
        return builder_->AddComponentDependency(for_lp, for_name, on_writer, on_lp, on_name);
    }
    HRESULT STDMETHODCALLTYPE SetBackupSchema(DWORD mask) noexcept override { return builder_->SetBackupSchema(mask); }
    HRESULT STDMETHODCALLTYPE GetDocument(IXMLDOMDocument **doc) noexcept override { return builder_->GetDocument(doc); }
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR *xml) noexcept override { return builder_->SaveAsXML(xml); }

private:
    std::shared_ptr<Description> description_;
    metadata::CreateWriterMetadata *builder_;
};

class ExpressWriter final : public com::ComObject<ExpressWriter, IVssExpressWriter> {
public:
    static gsl::span<const com::InterfaceEntry> interface_table() noexcept
    {
        static constexpr com::InterfaceEntry table[] = {
            {&IID_IVssExpressWriter, "IVssExpressWriter", &com::interface_cast<ExpressWriter, IVssExpressWriter>},
        };
        return table;
    }

    HRESULT STDMETHODCALLTYPE CreateMetadata(VSS_ID writerId, LPCWSTR writerName, VSS_USAGE_TYPE usageType,
                                             DWORD versionMajor, DWORD versionMinor, DWORD reserved,
                                             IVssCreateExpressWriterMetadata **ppMetadata) noexcept override
    try {
        VSSAPI_CHECK_ALIVE();
        if (ppMetadata == nullptr) {
            return E_INVALIDARG;
        }
        *ppMetadata = nullptr;
        if (IsEqualGUID(writerId, GUID_NULL) || writerName == nullptr || writerName[0] == 0 || reserved != 0 ||
            com::enum_value(usageType) < VSS_UT_UNDEFINED || com::enum_value(usageType) > VSS_UT_OTHER) {
            return E_INVALIDARG;
        }
        auto description = std::make_shared<Description>();
        description->identity.class_id = writerId;
        description->identity.name = u16(writerName);
        description->identity.usage = usageType;
        description->identity.source = VSS_ST_OTHER;
        description->identity.version_major = versionMajor;
        description->identity.version_minor = versionMinor;
        auto *created = new ExpressMetadata(description);
        const std::lock_guard<std::mutex> hold(lock_);
        description_ = std::move(description);
        *ppMetadata = created;
        return S_OK;
    }
    VSSAPI_CATCH_RETURN()

    HRESULT STDMETHODCALLTYPE LoadMetadata(LPCWSTR metadata, DWORD reserved) noexcept override
    try {
        VSSAPI_CHECK_ALIVE();
        if (metadata == nullptr || reserved != 0) {
            return E_INVALIDARG;
        }
        auto description = std::make_shared<Description>();
        std::string why;
        const HRESULT hr = documents::load_writer_metadata(com::wide_view(metadata), description->identity,
                                                           description->metadata, why);
        if (FAILED(hr)) {
            core::note_refusal("IVssExpressWriter::LoadMetadata", hr, "LoadMetadata cannot read the document: " + why);
            return hr;
        }
        const std::lock_guard<std::mutex> hold(lock_);
        description_ = std::move(description);
        return S_OK;
    }
    VSSAPI_CATCH_RETURN()

    // Registers what CreateMetadata built or LoadMetadata read; registering
    // the same writer id again replaces the earlier description.
    HRESULT STDMETHODCALLTYPE Register() noexcept override
    try {
        VSSAPI_CHECK_ALIVE();
        std::shared_ptr<const Description> description;
        {
            const std::lock_guard<std::mutex> hold(lock_);
            if (!description_) {
                core::note_refusal("IVssExpressWriter::Register", VSS_E_BAD_STATE,
                                   "Register needs CreateMetadata or LoadMetadata first");
                return VSS_E_BAD_STATE;
            }
            description = std::make_shared<const Description>(*description_);
        }
        auto registration = std::make_unique<Registration>(description);
        const HRESULT hr = registration->start();
        if (FAILED(hr)) {
            return hr;
        }
        Registry &all = registry();
        std::unique_ptr<Registration> replaced;
        const std::lock_guard<std::mutex> hold(all.lock);
        replaced = std::move(all.writers[description->identity.class_id]);
        all.writers[description->identity.class_id] = std::move(registration);
        return S_OK;
    }
    VSSAPI_CATCH_RETURN()

    HRESULT STDMETHODCALLTYPE Unregister(VSS_ID writerId) noexcept override
    try {
        VSSAPI_CHECK_ALIVE();
        Registry &all = registry();
        std::unique_ptr<Registration> gone;
        {
            const std::lock_guard<std::mutex> hold(all.lock);
            const auto found = all.writers.find(writerId);
            if (found == all.writers.end()) {
                return VSS_E_OBJECT_NOT_FOUND;
            }
            gone = std::move(found->second);
            all.writers.erase(found);
        }
        return S_OK;
    }
    VSSAPI_CATCH_RETURN()

private:
    std::mutex lock_;
    std::shared_ptr<Description> description_;
};

} // namespace
} // namespace vssapi::windows

extern "C" VSSAPI_EXPORT HRESULT STDAPICALLTYPE CreateVssExpressWriterInternal(IVssExpressWriter **ppWriter) noexcept
try {
    if (ppWriter == nullptr) {
        return E_INVALIDARG;
    }
    *ppWriter = new vssapi::windows::ExpressWriter;
    return S_OK;
}
VSSAPI_CATCH_RETURN()
