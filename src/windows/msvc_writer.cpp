// CreateWriter and CreateWriterEx: the SDK's header-inline CVssWriter,
// CVssWriterEx and CVssWriterEx2 (built by MSVC) pass their raw C++ object
// here from Initialize, then drive everything through the IVssWriterImpl
// slots. The library's writer calls the object's virtual handlers by the
// slots MSVC gives them (vss-facts.md section 3.6).
#include "windows/msvc_abi.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <tuple>

namespace vssapi::windows {
namespace {

// The MSVC vtable of CVssWriter: one slot for the destructor, then the
// handlers in declaration order; CVssWriterEx appends OnIdentifyEx.
enum Slot : int {
    kOnIdentify = 1,
    kOnPrepareBackup = 2,
    kOnPrepareSnapshot = 3,
    kOnFreeze = 4,
    kOnThaw = 5,
    kOnAbort = 6,
    kOnBackupComplete = 7,
    kOnBackupShutdown = 8,
    kOnPreRestore = 9,
    kOnPostRestore = 10,
    kOnPostSnapshot = 11,
    kOnBackOffIOOnVolume = 12,
    kOnContinueIOOnVolume = 13,
    kOnVSSShutdown = 14,
    kOnVSSApplicationStartup = 15,
    kOnIdentifyEx = 16,
};

// Calls handler `S` of the object with `args`, inside guarded().
template <int S, class... Args>
int32_t invoke(void *object, Args... args) noexcept
{
    struct Call {
        void *object;
        std::tuple<Args...> args;
    } call{object, {args...}};
    return guarded(
        [](void *raw) {
            auto &c = *static_cast<Call *>(raw);
            return std::apply([&](auto... a) { return call_msvc_handler(c.object, S, a...); }, c.args);
        },
        &call);
}

template <int S>
int32_t STDMETHODCALLTYPE plain(void *object)
{
    return invoke<S>(object);
}

template <int S>
int32_t STDMETHODCALLTYPE with_components(void *object, IVssWriterComponents *components)
{
    return invoke<S>(object, components);
}

template <int S>
int32_t STDMETHODCALLTYPE on_volume(void *object, VSS_PWSZ volume, const VSS_ID *snapshot, const VSS_ID *provider)
{
    return invoke<S>(object, volume, *snapshot, *provider);
}

int32_t STDMETHODCALLTYPE on_identify(void *object, IVssCreateWriterMetadata *metadata)
{
    return invoke<kOnIdentify>(object, metadata);
}

int32_t STDMETHODCALLTYPE on_identify_ex(void *object, IVssCreateWriterMetadataEx *metadata)
{
    return invoke<kOnIdentifyEx>(object, metadata);
}

int32_t STDMETHODCALLTYPE on_backup_shutdown(void *object, const VSS_ID *snapshot_set)
{
    return invoke<kOnBackupShutdown>(object, *snapshot_set);
}

} // namespace

HRESULT create_msvc_writer_impl(void *object, MsvcClass kind, IVssWriterImpl **impl) noexcept
{
    VSSAPI_WRITER_CALLBACKS callbacks{};
    callbacks.cbSize = sizeof callbacks;
    callbacks.pContext = object;
    callbacks.OnIdentify = &on_identify;
    callbacks.OnPrepareBackup = &with_components<kOnPrepareBackup>;
    callbacks.OnPrepareSnapshot = &plain<kOnPrepareSnapshot>;
    callbacks.OnFreeze = &plain<kOnFreeze>;
    callbacks.OnThaw = &plain<kOnThaw>;
    callbacks.OnAbort = &plain<kOnAbort>;
    callbacks.OnBackupComplete = &with_components<kOnBackupComplete>;
    callbacks.OnBackupShutdown = &on_backup_shutdown;
    callbacks.OnPreRestore = &with_components<kOnPreRestore>;
    callbacks.OnPostRestore = &with_components<kOnPostRestore>;
    callbacks.OnPostSnapshot = &with_components<kOnPostSnapshot>;
    callbacks.OnBackOffIOOnVolume = &on_volume<kOnBackOffIOOnVolume>;
    callbacks.OnContinueIOOnVolume = &on_volume<kOnContinueIOOnVolume>;
    callbacks.OnVSSShutdown = &plain<kOnVSSShutdown>;
    callbacks.OnVSSApplicationStartup = &plain<kOnVSSApplicationStartup>;
    // The library calls OnIdentifyEx when there is one; the SDK's base
    // OnIdentifyEx calls OnIdentify, so an Ex writer may override either.
    callbacks.OnIdentifyEx = kind == MsvcClass::WriterEx ? &on_identify_ex : nullptr;
    return vssapi_create_writer_impl(&callbacks, impl);
}

} // namespace vssapi::windows

extern "C" {

// HRESULT STDAPICALLTYPE CreateWriter(CVssWriter *pWriter, IVssWriterImpl **ppImpl)
// (the SDK documents both parameters as reserved: only its header calls this).
VSSAPI_EXPORT HRESULT STDAPICALLTYPE CreateWriter(void *pWriter, IVssWriterImpl **ppImpl) noexcept
{
    if (ppImpl == nullptr) {
        return E_INVALIDARG;
    }
    *ppImpl = nullptr;
    if (pWriter == nullptr) {
        return E_INVALIDARG;
    }
    return vssapi::windows::create_msvc_writer_impl(pWriter, vssapi::windows::MsvcClass::Writer, ppImpl);
}

// HRESULT STDMETHODCALLTYPE CreateWriterEx(CVssWriterEx *pWriter, IVssWriterImpl **ppImpl)
VSSAPI_EXPORT HRESULT STDMETHODCALLTYPE CreateWriterEx(void *pWriter, IVssWriterImpl **ppImpl) noexcept
{
    if (ppImpl == nullptr) {
        return E_INVALIDARG;
    }
    *ppImpl = nullptr;
    if (pWriter == nullptr) {
        return E_INVALIDARG;
    }
    return vssapi::windows::create_msvc_writer_impl(pWriter, vssapi::windows::MsvcClass::WriterEx, ppImpl);
}

} // extern "C"
