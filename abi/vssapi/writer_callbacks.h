/*
 * vssapi/writer_callbacks.h - how the library calls a writer.
 *
 * Windows' VssApi.dll calls a CVssWriter's virtual On* handlers through the
 * C++ vtable of the writer object, so a writer built by another compiler
 * (MSVC vs MinGW vs GCC) or in another language cannot work with it. This
 * library calls writers only through the C table below: one function per
 * event plus a context pointer. The header-inline CVssWriter classes of
 * <vswriter.h> fill it with trampolines to their virtual handlers; writers in
 * C or other languages fill it themselves.
 *
 * <vswriter.h> includes this file; including it alone works too.
 */
/* Before the guard: vswriter.h includes this file back once its interfaces
 * are declared, and its CVssWriter classes need the table. */
#include "../vswriter.h"

#ifndef VSSAPI_WRITER_CALLBACKS_H
#define VSSAPI_WRITER_CALLBACKS_H

#include <stdint.h>

#include "export.h"

/* What a handler returns. Any other negative value counts as "threw". */
#define VSSAPI_HANDLER_FALSE 0 /* the handler returned false (a veto, C-2.5) */
#define VSSAPI_HANDLER_TRUE 1  /* the handler returned true */
#define VSSAPI_HANDLER_THREW (-1) /* an exception left the handler */

typedef int32_t(STDMETHODCALLTYPE VSSAPI_HANDLER)(void *pContext);
typedef int32_t(STDMETHODCALLTYPE VSSAPI_COMPONENTS_HANDLER)(void *pContext, IVssWriterComponents *pComponents);
typedef int32_t(STDMETHODCALLTYPE VSSAPI_VOLUME_HANDLER)(void *pContext, VSS_PWSZ wszVolumeName,
                                                         const VSS_ID *pSnapshotId, const VSS_ID *pProviderId);

/*
 * The handlers of one writer, in the order of CVssWriter's virtual handlers.
 * cbSize must be set to sizeof(VSSAPI_WRITER_CALLBACKS); fields beyond an
 * older, smaller cbSize read as NULL. A NULL handler behaves as CVssWriter's
 * base handler: it returns true. When OnIdentifyEx is set the library calls
 * it instead of OnIdentify. GUIDs are passed by pointer (never by value, so
 * the table means the same on every architecture).
 */
typedef struct VSSAPI_WRITER_CALLBACKS {
    uint32_t cbSize;
    void *pContext; /* passed back to every handler */
    int32_t(STDMETHODCALLTYPE *OnIdentify)(void *pContext, IVssCreateWriterMetadata *pMetadata);
    VSSAPI_COMPONENTS_HANDLER *OnPrepareBackup;
    VSSAPI_HANDLER *OnPrepareSnapshot;
    VSSAPI_HANDLER *OnFreeze;
    VSSAPI_HANDLER *OnThaw;
    VSSAPI_HANDLER *OnAbort;
    VSSAPI_COMPONENTS_HANDLER *OnBackupComplete;
    int32_t(STDMETHODCALLTYPE *OnBackupShutdown)(void *pContext, const VSS_ID *pSnapshotSetId);
    VSSAPI_COMPONENTS_HANDLER *OnPreRestore;
    VSSAPI_COMPONENTS_HANDLER *OnPostRestore;
    VSSAPI_COMPONENTS_HANDLER *OnPostSnapshot;
    VSSAPI_VOLUME_HANDLER *OnBackOffIOOnVolume;
    VSSAPI_VOLUME_HANDLER *OnContinueIOOnVolume;
    VSSAPI_HANDLER *OnVSSShutdown;
    VSSAPI_HANDLER *OnVSSApplicationStartup;
    int32_t(STDMETHODCALLTYPE *OnIdentifyEx)(void *pContext, IVssCreateWriterMetadataEx *pMetadata);
} VSSAPI_WRITER_CALLBACKS;

VSSAPI_BEGIN_DECLS

/*
 * Creates the library's writer object for the handlers in *pCallbacks (the
 * table is copied). Then call IVssWriterImpl::Initialize and Subscribe, as
 * CVssWriter does. Returns E_INVALIDARG for a NULL argument or a cbSize
 * smaller than the first version of the table, E_OUTOFMEMORY.
 */
VSSAPI_EXPORT HRESULT STDAPICALLTYPE vssapi_create_writer_impl(const VSSAPI_WRITER_CALLBACKS *pCallbacks,
                                                               IVssWriterImpl **ppImpl) VSSAPI_NOTHROW;

VSSAPI_END_DECLS

#endif /* VSSAPI_WRITER_CALLBACKS_H */
