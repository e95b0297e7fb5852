/*
 * vsprov.h - Volume Shadow Copy Service: the software provider side.
 *
 * Same names, IIDs and vtable slots as the Windows SDK's vsprov.h for the
 * three interfaces a software provider implements: IVssSoftwareSnapshotProvider,
 * IVssProviderCreateSnapshotSet and IVssProviderNotifications (slots pinned by
 * tests/abi/slots.c). A provider object implementing them plugs into a
 * coordinator with vss_coordinator_register_com_provider (vssapi/vssapi.h);
 * the coordinator calls it as the Windows service calls a provider it loaded
 * (contract C-5.4 to C-5.6). Hardware and file-share providers are not part
 * of this library. Compiles on its own as C11, C++17 and C++20.
 */
#ifndef VSSAPI_VSPROV_H
#define VSSAPI_VSPROV_H

#include "vss.h"

/* ------------------------------------------------------------------ */
/* Interface ids (the SDK's). */

VSSAPI_DEFINE_GUID(IID_IVssSoftwareSnapshotProvider, 0x609e123e, 0x2c5a, 0x44d3, 0x8f, 0x01, 0x0b, 0x1d, 0x9a, 0x47, 0xd1, 0xff);
VSSAPI_DEFINE_GUID(IID_IVssProviderCreateSnapshotSet, 0x5f894e5b, 0x1e39, 0x4778, 0x8e, 0x23, 0x9a, 0xba, 0xd9, 0xf0, 0xe0, 0x8c);
VSSAPI_DEFINE_GUID(IID_IVssProviderNotifications, 0xe561901f, 0x03a5, 0x4afe, 0x86, 0xd0, 0x72, 0xba, 0xee, 0xce, 0x70, 0x04);

/* ------------------------------------------------------------------ */
/* IVssSoftwareSnapshotProvider: slots 3-12. What the coordinator calls:
 * SetContext before each set, BeginPrepareSnapshot once per volume,
 * IsVolumeSupported for AddToSnapshotSet/IsVolumeSupported, GetSnapshotProperties
 * after the commit (m_pwszSnapshotDeviceObject, allocated with CoTaskMemAlloc, is
 * where the snapshot is read), DeleteSnapshots(snapshot id, VSS_OBJECT_SNAPSHOT)
 * when a snapshot goes. SetSnapshotProperty, RevertToSnapshot, QueryRevertStatus,
 * IsVolumeSnapshotted and Query are never called (the library keeps the records). */
#define VSSAPI_IVSSSOFTWARESNAPSHOTPROVIDER_METHODS                                                      \
    STDMETHOD(SetContext)(THIS_ LONG lContext) PURE;                                                     \
    STDMETHOD(GetSnapshotProperties)(THIS_ VSS_ID SnapshotId, VSS_SNAPSHOT_PROP *pProp) PURE;            \
    STDMETHOD(Query)(THIS_ VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType,                   \
                     VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject **ppEnum) PURE;                \
    STDMETHOD(DeleteSnapshots)(THIS_ VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType,           \
                               BOOL bForceDelete, LONG *plDeletedSnapshots,                              \
                               VSS_ID *pNondeletedSnapshotID) PURE;                                      \
    STDMETHOD(BeginPrepareSnapshot)(THIS_ VSS_ID SnapshotSetId, VSS_ID SnapshotId, VSS_PWSZ pwszVolumeName, \
                                    LONG lNewContext) PURE;                                              \
    STDMETHOD(IsVolumeSupported)(THIS_ VSS_PWSZ pwszVolumeName, BOOL *pbSupportedByThisProvider) PURE;   \
    STDMETHOD(IsVolumeSnapshotted)(THIS_ VSS_PWSZ pwszVolumeName, BOOL *pbSnapshotsPresent,              \
                                   LONG *plSnapshotCompatibility) PURE;                                  \
    STDMETHOD(SetSnapshotProperty)(THIS_ VSS_ID SnapshotId, VSS_SNAPSHOT_PROPERTY_ID eSnapshotPropertyId, \
                                   VARIANT vProperty) PURE;                                              \
    STDMETHOD(RevertToSnapshot)(THIS_ VSS_ID SnapshotId) PURE;                                           \
    STDMETHOD(QueryRevertStatus)(THIS_ VSS_PWSZ pwszVolume, IVssAsync **ppAsync) PURE;

#undef INTERFACE
#define INTERFACE IVssSoftwareSnapshotProvider
DECLARE_INTERFACE_(IVssSoftwareSnapshotProvider, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSSOFTWARESNAPSHOTPROVIDER_METHODS
    END_INTERFACE
};

/* IVssProviderCreateSnapshotSet: slots 3-9, called in this order for one set
 * between the writers' last OnFreeze and first OnThaw; a failed step ends the
 * set with AbortSnapshots and no snapshot is kept (C-5.6). */
#define VSSAPI_IVSSPROVIDERCREATESNAPSHOTSET_METHODS                                  \
    STDMETHOD(EndPrepareSnapshots)(THIS_ VSS_ID SnapshotSetId) PURE;                  \
    STDMETHOD(PreCommitSnapshots)(THIS_ VSS_ID SnapshotSetId) PURE;                   \
    STDMETHOD(CommitSnapshots)(THIS_ VSS_ID SnapshotSetId) PURE;                      \
    STDMETHOD(PostCommitSnapshots)(THIS_ VSS_ID SnapshotSetId, LONG lSnapshotsCount) PURE; \
    STDMETHOD(PreFinalCommitSnapshots)(THIS_ VSS_ID SnapshotSetId) PURE;              \
    STDMETHOD(PostFinalCommitSnapshots)(THIS_ VSS_ID SnapshotSetId) PURE;             \
    STDMETHOD(AbortSnapshots)(THIS_ VSS_ID SnapshotSetId) PURE;

#undef INTERFACE
#define INTERFACE IVssProviderCreateSnapshotSet
DECLARE_INTERFACE_(IVssProviderCreateSnapshotSet, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSPROVIDERCREATESNAPSHOTSET_METHODS
    END_INTERFACE
};

/* IVssProviderNotifications: slots 3-4. OnLoad(NULL) when registered, OnUnload(TRUE)
 * when unregistered or when its coordinator goes; optional (found by QueryInterface). */
#define VSSAPI_IVSSPROVIDERNOTIFICATIONS_METHODS              \
    STDMETHOD(OnLoad)(THIS_ IUnknown *pCallback) PURE;        \
    STDMETHOD(OnUnload)(THIS_ BOOL bForceUnload) PURE;

#undef INTERFACE
#define INTERFACE IVssProviderNotifications
DECLARE_INTERFACE_(IVssProviderNotifications, IUnknown)
{
    BEGIN_INTERFACE
#ifndef __cplusplus
    VSSAPI_IUNKNOWN_METHODS
#endif
    VSSAPI_IVSSPROVIDERNOTIFICATIONS_METHODS
    END_INTERFACE
};
#undef INTERFACE

#endif /* VSSAPI_VSPROV_H */
