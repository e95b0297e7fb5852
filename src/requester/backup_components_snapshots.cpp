// Snapshot management and recovery on IVssBackupComponents: expose and
// unexpose, break, import, revert, LUN recovery, and the path helper. The
// in-memory provider is a software provider that keeps no volume contents,
// so what Windows' software provider or a hardware provider does not do is
// refused with the code the method's SDK page gives for that case.
#include "requester/backup_components.h"

#include "com/barrier.h"
#include "com/guid.h"
#include "com/out.h"
#include "core/diagnostics.h"

#include <vssapi/oleauto.h>

#include <cstring>

namespace vssapi::requester {
namespace {

constexpr LONG kExposed = VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY | VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY;
constexpr DWORD kBreakFlags = VSS_BREAKEX_FLAG_MASK_LUNS | VSS_BREAKEX_FLAG_MAKE_READ_WRITE |
                              VSS_BREAKEX_FLAG_REVERT_IDENTITY_ALL | VSS_BREAKEX_FLAG_REVERT_IDENTITY_NONE;

bool persistent(const core::SnapshotRecord &record)
{
    return (record.attributes & VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE) != 0;
}

VSS_PWSZ task_copy(std::u16string_view text)
{
    const std::size_t bytes = (text.size() + 1) * sizeof(char16_t);
    auto *copy = static_cast<VSS_PWSZ>(CoTaskMemAlloc(bytes));
    if (copy == nullptr) {
        throw std::bad_alloc();
    }
    std::memcpy(copy, text.data(), text.size() * sizeof(char16_t));
    copy[text.size()] = 0;
    return copy;
}

std::u16string braced(const GUID &id)
{
    const std::string text = "{" + com::format_guid(id) + "}";
    return std::u16string(text.begin(), text.end());
}

HRESULT refused(const char *call, HRESULT hr, const std::string &why)
{
    core::note_refusal(call, hr, std::string(call) + " " + why);
    return hr;
}

} // namespace

// Exposed locally: at a drive letter or an empty folder (wszExpose, required).
// Exposed remotely: as a share (wszExpose, or the snapshot id when NULL), of
// the folder wszPathFromRoot inside the snapshot (ExposeSnapshot page).
HRESULT STDMETHODCALLTYPE BackupComponents::ExposeSnapshot(VSS_ID SnapshotId, VSS_PWSZ wszPathFromRoot, LONG lAttributes, VSS_PWSZ wszExpose, VSS_PWSZ *pwszExposed) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pwszExposed)) {
        return E_INVALIDARG;
    }
    const bool locally = lAttributes == VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY;
    const bool remotely = lAttributes == VSS_VOLSNAP_ATTR_EXPOSED_REMOTELY;
    const std::u16string_view path = com::wide_view(wszPathFromRoot);
    if ((!locally && !remotely) || (locally && (com::wide_view(wszExpose).empty() || !path.empty()))) {
        return E_INVALIDARG;
    }
    const std::u16string name = com::wide_view(wszExpose).empty() ? braced(SnapshotId) : text_of(wszExpose);
    HRESULT result = S_OK;
    const bool found = session_->coordinator().snapshots().change(SnapshotId, [&](core::SnapshotRecord &record) {
        if ((record.attributes & kExposed) != 0) {
            return VSS_E_OBJECT_ALREADY_EXISTS;
        }
        record.attributes |= lAttributes;
        record.exposed_name = name;
        record.exposed_path = std::u16string(path);
        return S_OK;
    }, result);
    if (!found) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    if (SUCCEEDED(result)) {
        *pwszExposed = task_copy(name);
    }
    return result;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::UnexposeSnapshot(VSS_ID snapshotId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    HRESULT result = S_OK;
    const bool found = session_->coordinator().snapshots().change(snapshotId, [](core::SnapshotRecord &record) {
        if ((record.attributes & kExposed) == 0) {
            return VSS_E_OBJECT_NOT_FOUND; // the page: "does not exist or is not exposed"
        }
        record.attributes &= ~kExposed;
        record.exposed_name.clear();
        record.exposed_path.clear();
        return S_OK;
    }, result);
    return found ? result : VSS_E_OBJECT_NOT_FOUND;
}
VSSAPI_CATCH_RETURN()

// Only a hardware provider's snapshots can be broken; ours are a software
// provider's: VSS_E_PROVIDER_VETO, as the page says.
HRESULT STDMETHODCALLTYPE BackupComponents::BreakSnapshotSet(VSS_ID SnapshotSetId) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!session_->coordinator().snapshots().has_set(SnapshotSetId)) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    return refused("BreakSnapshotSet", VSS_E_PROVIDER_VETO,
                   "refused: the set was made by a software provider (the in-memory one), which cannot break it");
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::BreakSnapshotSetEx(VSS_ID SnapshotSetID, DWORD dwBreakFlags, IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppAsync) || (dwBreakFlags & ~kBreakFlags) != 0) {
        return E_INVALIDARG;
    }
    return BreakSnapshotSet(SnapshotSetID);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::ImportSnapshots(IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return start(&core::Session::import_snapshots, ppAsync);
}
VSSAPI_CATCH_RETURN()

// Revert needs a persistent snapshot (VSS_E_UNSUPPORTED_CONTEXT otherwise);
// the in-memory provider keeps no volume contents to revert to, so every
// volume is one on which revert is not supported (VSS_E_VOLUME_NOT_SUPPORTED).
HRESULT STDMETHODCALLTYPE BackupComponents::RevertToSnapshot(VSS_ID SnapshotId, BOOL /*bForceDismount*/) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    const auto record = session_->coordinator().snapshots().find(SnapshotId);
    if (!record) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    if (!persistent(*record)) {
        return refused("RevertToSnapshot", VSS_E_UNSUPPORTED_CONTEXT,
                       "refused: only persistent snapshots (VSS_CTX_APP_ROLLBACK, CLIENT_ACCESSIBLE, NAS_ROLLBACK) revert");
    }
    return refused("RevertToSnapshot", VSS_E_VOLUME_NOT_SUPPORTED,
                   "refused: the in-memory provider keeps no volume contents to revert to");
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::QueryRevertStatus(VSS_PWSZ pwszVolume, IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppAsync)) {
        return E_POINTER;
    }
    if (com::wide_view(pwszVolume).empty()) {
        return E_INVALIDARG;
    }
    if (!session_->coordinator().snapshots().has_volume(com::wide_view(pwszVolume))) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    return VSS_E_VOLUME_NOT_SUPPORTED; // no revert can have started on it (RevertToSnapshot above)
}
VSSAPI_CATCH_RETURN()

// "Not supported. This method is reserved for future use." (both SDK pages):
// E_NOTIMPL is that answer.
HRESULT STDMETHODCALLTYPE BackupComponents::PreFastRecovery(VSS_ID /*SnapshotSetID*/, DWORD /*dwPreFastRecoveryFlags*/, IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    com::clear_given(ppAsync);
    return E_NOTIMPL;
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::FastRecovery(VSS_ID /*SnapshotSetID*/, DWORD /*dwFastRecoveryFlags*/, IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    com::clear_given(ppAsync);
    return E_NOTIMPL;
}
VSSAPI_CATCH_RETURN()

// LUN resynchronization needs a hardware provider that supports it; with
// none, both calls answer VSS_E_BAD_STATE (AddSnapshotToRecoverySet page).
HRESULT STDMETHODCALLTYPE BackupComponents::AddSnapshotToRecoverySet(VSS_ID snapshotId, DWORD dwFlags, VSS_PWSZ /*pwszDestinationVolume*/) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (IsEqualGUID(snapshotId, GUID_NULL) || dwFlags != 0) {
        return E_INVALIDARG;
    }
    if (!session_->coordinator().snapshots().find(snapshotId)) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    return refused("AddSnapshotToRecoverySet", VSS_E_BAD_STATE,
                   "refused: no hardware provider supports LUN resynchronization here");
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE BackupComponents::RecoverSet(DWORD dwFlags, IVssAsync **ppAsync) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppAsync) || (dwFlags & ~DWORD(VSS_RECOVERY_REVERT_IDENTITY_ALL | VSS_RECOVERY_NO_VOLUME_CHECK)) != 0) {
        return E_INVALIDARG;
    }
    return refused("RecoverSet", VSS_E_BAD_STATE, "refused: no snapshot was added to the recovery set");
}
VSSAPI_CATCH_RETURN()

// A local path's root and logical prefix are its drive ("C:\"); a UNC path's
// are its share ("\\server\share\").
HRESULT STDMETHODCALLTYPE BackupComponents::GetRootAndLogicalPrefixPaths(VSS_PWSZ pwszFilePath, VSS_PWSZ *ppwszRootPath, VSS_PWSZ *ppwszLogicalPrefix, BOOL /*bNormalizeFQDNforRootPath*/) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppwszRootPath, ppwszLogicalPrefix)) {
        return E_INVALIDARG;
    }
    const std::u16string_view path = com::wide_view(pwszFilePath);
    std::u16string root;
    const auto letter = [](char16_t c) { return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z'); };
    if (path.size() >= 2 && letter(path[0]) && path[1] == u':' && (path.size() == 2 || path[2] == u'\\')) {
        root = std::u16string(path.substr(0, 2)) + u"\\";
    } else if (path.size() > 2 && path.substr(0, 2) == u"\\\\") {
        const std::size_t server_end = path.find(u'\\', 2);
        const std::size_t share_end = server_end == std::u16string_view::npos ? server_end : path.find(u'\\', server_end + 1);
        if (server_end == std::u16string_view::npos || server_end == 2 || share_end == server_end + 1) {
            return E_INVALIDARG;
        }
        root = std::u16string(path.substr(0, share_end)) + u"\\";
    } else {
        return E_INVALIDARG;
    }
    VSS_PWSZ root_copy = task_copy(root);
    try {
        *ppwszLogicalPrefix = task_copy(root);
    } catch (...) {
        CoTaskMemFree(root_copy);
        throw;
    }
    *ppwszRootPath = root_copy;
    return S_OK;
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::requester
