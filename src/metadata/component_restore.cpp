// The restore side of IVssComponent and IVssComponentEx (component.h): what
// a restore requester sets and the writer reads, and the writer's own restore
// data (directed targets, restore metadata, restore target and messages).
// In a backup session the requester's restore values read as their defaults.
#include "metadata/component.h"

#include "com/barrier.h"
#include "com/enum_value.h"
#include "com/out.h"
#include "metadata/strings.h"
#include "metadata/wm_filedesc.h"

#include <string>
#include <utility>

namespace vssapi::metadata {

using core::SelectedComponent;

HRESULT STDMETHODCALLTYPE Component::IsSelectedForRestore(bool *pbSelectedForRestore) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbSelectedForRestore)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pbSelectedForRestore = c.selected_for_restore;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetAdditionalRestores(bool *pbAdditionalRestores) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbAdditionalRestores)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pbAdditionalRestores = c.additional_restores;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetNewTargetCount(UINT *pcNewTarget) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return count(&SelectedComponent::new_targets, pcNewTarget);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetNewTarget(UINT iNewTarget, IVssWMFiledesc **ppFiledesc) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(ppFiledesc)) {
        return E_INVALIDARG;
    }
    return item(&SelectedComponent::new_targets, iNewTarget,
                [&](const core::FileSpec &target) { *ppFiledesc = new WmFiledesc(target); });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::AddDirectedTarget(LPCWSTR wszSourcePath, LPCWSTR wszSourceFilename, LPCWSTR wszSourceRangeList, LPCWSTR wszDestinationPath, LPCWSTR wszDestinationFilename, LPCWSTR wszDestinationRangeList) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::RestoreData)) {
        return VSS_E_BAD_STATE;
    }
    // Range lists may be NULL (the whole file); names may not hold wildcards.
    if (wszSourcePath == nullptr || wszSourceFilename == nullptr || wszDestinationPath == nullptr ||
        wszDestinationFilename == nullptr || has_wildcard(com::wide_view(wszSourceFilename)) ||
        has_wildcard(com::wide_view(wszDestinationFilename))) {
        return E_INVALIDARG;
    }
    return append(&SelectedComponent::directed_targets,
                  SelectedComponent::DirectedTarget{
                      copy_wide(wszSourcePath),
                      copy_wide(wszSourceFilename),
                      copy_wide(wszSourceRangeList),
                      copy_wide(wszDestinationPath),
                      copy_wide(wszDestinationFilename),
                      copy_wide(wszDestinationRangeList),
                  });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDirectedTargetCount(UINT *pcDirectedTarget) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return count(&SelectedComponent::directed_targets, pcDirectedTarget);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetDirectedTarget(UINT iDirectedTarget, BSTR *pbstrSourcePath, BSTR *pbstrSourceFileName, BSTR *pbstrSourceRangeList, BSTR *pbstrDestinationPath, BSTR *pbstrDestinationFilename, BSTR *pbstrDestinationRangeList) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrSourcePath, pbstrSourceFileName, pbstrSourceRangeList, pbstrDestinationPath,
                        pbstrDestinationFilename, pbstrDestinationRangeList)) {
        return E_INVALIDARG;
    }
    return item(&SelectedComponent::directed_targets, iDirectedTarget,
                [&](const SelectedComponent::DirectedTarget &t) {
                    com::give_bstrs({{pbstrSourcePath, t.source_path},
                                     {pbstrSourceFileName, t.source_filename},
                                     {pbstrSourceRangeList, t.source_ranges},
                                     {pbstrDestinationPath, t.destination_path},
                                     {pbstrDestinationFilename, t.destination_filename},
                                     {pbstrDestinationRangeList, t.destination_ranges}});
                });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetRestoreMetadata(LPCWSTR wszRestoreMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_once(WriteKind::RestoreData, &SelectedComponent::restore_metadata,
                      &SelectedComponent::restore_metadata_set, wszRestoreMetadata);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreMetadata(BSTR *pbstrRestoreMetadata) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_once(&SelectedComponent::restore_metadata, &SelectedComponent::restore_metadata_set, pbstrRestoreMetadata);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetRestoreTarget(VSS_RESTORE_TARGET target) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!may_write(access_, WriteKind::RestoreData)) {
        return VSS_E_BAD_STATE;
    }
    if (com::enum_value(target) < VSS_RT_ORIGINAL || com::enum_value(target) > VSS_RT_ORIGINAL_LOCATION) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        c.restore_target = target;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreTarget(VSS_RESTORE_TARGET *pTarget) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pTarget)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pTarget = c.restore_target;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetPreRestoreFailureMsg(LPCWSTR wszPreRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_string(WriteKind::RestoreMsg, &SelectedComponent::pre_restore_failure_msg, wszPreRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPreRestoreFailureMsg(BSTR *pbstrPreRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::pre_restore_failure_msg, pbstrPreRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::SetPostRestoreFailureMsg(LPCWSTR wszPostRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return write_string(WriteKind::RestoreMsg, &SelectedComponent::post_restore_failure_msg, wszPostRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetPostRestoreFailureMsg(BSTR *pbstrPostRestoreFailureMsg) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::post_restore_failure_msg, pbstrPostRestoreFailureMsg);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreOptions(BSTR *pbstrRestoreOptions) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return read_string(&SelectedComponent::restore_options, pbstrRestoreOptions);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreSubcomponentCount(UINT *pcRestoreSubcomponent) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    return count(&SelectedComponent::restore_subcomponents, pcRestoreSubcomponent);
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreSubcomponent(UINT iComponent, BSTR *pbstrLogicalPath, BSTR *pbstrComponentName, bool *pbRepair) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrLogicalPath, pbstrComponentName, pbRepair)) {
        return E_INVALIDARG;
    }
    return item(&SelectedComponent::restore_subcomponents, iComponent,
                [&](const SelectedComponent::Subcomponent &sub) {
                    com::give_bstrs({{pbstrLogicalPath, sub.logical_path, true}, {pbstrComponentName, sub.name}});
                    *pbRepair = sub.repair;
                });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetFileRestoreStatus(VSS_FILE_RESTORE_STATUS *pStatus) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pStatus)) {
        return E_INVALIDARG;
    }
    if (!access_.restore) {
        return VSS_E_BAD_STATE; // the SDK page: only part of a restore
    }
    return with_component([&](SelectedComponent &c) {
        *pStatus = c.file_restore_status;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

// IVssComponentEx

HRESULT STDMETHODCALLTYPE Component::GetAuthoritativeRestore(bool *pbAuth) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbAuth)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        *pbAuth = c.authoritative_restore;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRollForward(VSS_ROLLFORWARD_TYPE *pRollType, BSTR *pbstrPoint) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pRollType, pbstrPoint)) {
        return E_INVALIDARG;
    }
    return with_component([&](SelectedComponent &c) {
        com::give_bstrs({{pbstrPoint, c.roll_forward_point, true}});
        *pRollType = c.roll_forward;
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

HRESULT STDMETHODCALLTYPE Component::GetRestoreName(BSTR *pbstrName) noexcept
try {
    VSSAPI_CHECK_ALIVE();
    if (!com::clear_out(pbstrName)) {
        return E_INVALIDARG;
    }
    // The SDK page lists no S_FALSE: no name is S_OK with NULL.
    return with_component([&](SelectedComponent &c) {
        com::give_bstrs({{pbstrName, c.restore_name, true}});
        return S_OK;
    });
}
VSSAPI_CATCH_RETURN()

} // namespace vssapi::metadata
