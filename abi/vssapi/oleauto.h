/*
 * vssapi/oleauto.h - BSTR and task-memory functions.
 *
 * On Windows these are the real OLE functions (oleaut32/ole32). Elsewhere the
 * library exports its own with the same layout and rules:
 *   - a BSTR points at the first UTF-16 unit; the 4 bytes before it hold the
 *     length in bytes (terminator excluded); a 16-bit NUL follows the data;
 *   - embedded NULs are kept, so the prefix, not the NUL, gives the length;
 *   - NULL is a valid empty string: SysStringLen(NULL) == 0;
 *   - [out] BSTRs from the library are freed by the caller with SysFreeString.
 * CoTaskMemAlloc/CoTaskMemFree are the allocator for VSS_PWSZ results such as
 * ExposeSnapshot's path.
 */
#ifndef VSSAPI_OLEAUTO_H
#define VSSAPI_OLEAUTO_H

#include "vssapi/platform.h"
#include "vssapi/export.h"

#if !VSSAPI_HAVE_SYSTEM_COM
VSSAPI_BEGIN_DECLS

/* Copies a NUL-terminated string; NULL in gives NULL out. */
VSSAPI_EXPORT BSTR STDAPICALLTYPE SysAllocString(const OLECHAR *psz);
/* Copies exactly `ui` units (NULs included); with psz NULL the units are zeroed. */
VSSAPI_EXPORT BSTR STDAPICALLTYPE SysAllocStringLen(const OLECHAR *strIn, UINT ui);
/* Frees a BSTR from this family; NULL is ignored. */
VSSAPI_EXPORT void STDAPICALLTYPE SysFreeString(BSTR bstrString);
/* Length in UTF-16 units, from the prefix; 0 for NULL. */
VSSAPI_EXPORT UINT STDAPICALLTYPE SysStringLen(BSTR pbstr);
/* Length in bytes, from the prefix; 0 for NULL. */
VSSAPI_EXPORT UINT STDAPICALLTYPE SysStringByteLen(BSTR bstr);

/* Task memory; CoTaskMemAlloc(0) returns a unique pointer, CoTaskMemFree(NULL) is a no-op. */
VSSAPI_EXPORT LPVOID STDAPICALLTYPE CoTaskMemAlloc(SIZE_T cb);
VSSAPI_EXPORT void STDAPICALLTYPE CoTaskMemFree(LPVOID pv);

VSSAPI_END_DECLS
#endif

#endif /* VSSAPI_OLEAUTO_H */
