// The C functions VssApi.dll exports. This folder is the only place with
// extern "C" definitions; every body sits behind the exception barrier.
#include "com/barrier.h"
#include "com/bstr.h"
#include "core/coordinator.h"
#include "metadata/examine_writer_metadata.h"
#include "requester/backup_components.h"
#include "scenario/load.h"
#include "writer/writer_impl.h"

#include <vsbackup.h>
#include <vswriter.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace {
// Every program that loads the library honours VSSAPI_SCENARIO: the default
// coordinator is made from that file at its first use.
const bool g_scenario_from_environment = (vssapi::scenario::use_environment(), true);
} // namespace

extern "C" {

VSSAPI_EXPORT HRESULT STDAPICALLTYPE CreateVssBackupComponentsInternal(IVssBackupComponents **ppBackup) noexcept
try {
    if (ppBackup == nullptr) {
        return E_INVALIDARG;
    }
    *ppBackup = nullptr;
    if (vssapi::scenario::environment_error()) {
        return VSS_E_UNEXPECTED; // a broken VSSAPI_SCENARIO file (told on stderr) is not "no writers"
    }
    *ppBackup = new vssapi::requester::BackupComponents;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

VSSAPI_EXPORT HRESULT STDAPICALLTYPE CreateVssExamineWriterMetadataInternal(BSTR bstrXML,
                                                                            IVssExamineWriterMetadata **ppMetadata) noexcept
{
    return vssapi::metadata::examine_saved_writer_metadata(bstrXML, ppMetadata);
}

VSSAPI_EXPORT void STDAPICALLTYPE VssFreeSnapshotPropertiesInternal(VSS_SNAPSHOT_PROP *pProp) noexcept
{
    if (pProp == nullptr) {
        return;
    }
    // The strings GetSnapshotProperties allocated, as VSS does, with CoTaskMemAlloc.
    for (VSS_PWSZ *text : {&pProp->m_pwszSnapshotDeviceObject, &pProp->m_pwszOriginalVolumeName,
                           &pProp->m_pwszOriginatingMachine, &pProp->m_pwszServiceMachine,
                           &pProp->m_pwszExposedName, &pProp->m_pwszExposedPath}) {
        CoTaskMemFree(*text);
        *text = nullptr;
    }
}

// The snapshots of the process's coordinator are the "shadow copies on the
// system" these two ask about; the in-memory provider restricts nothing on a
// volume it has copied, so the capability mask is 0 (all operations allowed).
VSSAPI_EXPORT HRESULT APIENTRY IsVolumeSnapshottedInternal(VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent,
                                                           LONG *plSnapshotCapability) noexcept
try {
    if (pbSnapshotsPresent == nullptr || plSnapshotCapability == nullptr) {
        return E_INVALIDARG;
    }
    *pbSnapshotsPresent = FALSE;
    *plSnapshotCapability = 0;
    const std::u16string_view volume = vssapi::com::wide_view(pwszVolumeName);
    if (volume.empty()) {
        return E_INVALIDARG;
    }
    *pbSnapshotsPresent = vssapi::core::Coordinator::current()->snapshots().has_volume(volume) ? TRUE : FALSE;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

// Windows reads the writers that cannot take part in a revert from the
// registry key VSS\Settings\WritersBlockingRevert; no such list exists here,
// so no writer blocks a revert. The volume is still checked like Windows does.
VSSAPI_EXPORT HRESULT APIENTRY ShouldBlockRevertInternal(LPCWSTR wszVolumeName, bool *pbBlock) noexcept
try {
    if (pbBlock == nullptr) {
        return E_INVALIDARG;
    }
    *pbBlock = false;
    if (vssapi::com::wide_view(wszVolumeName).empty()) {
        return E_INVALIDARG;
    }
    return S_OK;
}
VSSAPI_CATCH_RETURN()

VSSAPI_EXPORT HRESULT STDAPICALLTYPE vssapi_create_writer_impl(const VSSAPI_WRITER_CALLBACKS *pCallbacks,
                                                                          IVssWriterImpl **ppImpl) noexcept
try {
    if (ppImpl == nullptr) {
        return E_INVALIDARG;
    }
    *ppImpl = nullptr;
    if (pCallbacks == nullptr || pCallbacks->cbSize < offsetof(VSSAPI_WRITER_CALLBACKS, OnIdentify)) {
        return E_INVALIDARG;
    }
    // A smaller (older) table: the fields it lacks read as NULL.
    VSSAPI_WRITER_CALLBACKS callbacks{};
    std::memcpy(&callbacks, pCallbacks, std::min<std::size_t>(pCallbacks->cbSize, sizeof callbacks));
    callbacks.cbSize = sizeof callbacks;
    *ppImpl = new vssapi::writer::WriterImpl(callbacks);
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // extern "C"
