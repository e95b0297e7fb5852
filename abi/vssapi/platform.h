/*
 * vssapi/platform.h - the Windows base types the VSS headers are written in.
 *
 * On Windows everything here comes from the system headers and nothing is
 * redefined. Elsewhere this header supplies the same names with the widths
 * Windows gives them (LLP64): HRESULT, LONG, DWORD and UINT are 32-bit, WCHAR is
 * a 16-bit UTF-16 code unit (char16_t, never wchar_t), GUID.Data1 is uint32_t.
 *
 * IUnknown is declared once for C (an lpVtbl struct) and once for C++ (an
 * abstract struct). It deliberately has no destructor and no data member: on
 * the Itanium C++ ABI a virtual destructor adds two vtable slots and every
 * interface derived from IUnknown would stop matching Windows.
 *
 * Compiles on its own as C11, C++17 and C++20.
 */
#ifndef VSSAPI_PLATFORM_H
#define VSSAPI_PLATFORM_H

/* The oldest standards every openvss header needs: C11 (_Static_assert,
 * char16_t) and C++17 (inline variables for the IIDs). tests/abi checks
 * both, and that older ones stop here with this message. */
#if defined(__cplusplus)
#if (defined(_MSVC_LANG) ? _MSVC_LANG : __cplusplus) < 201703L
#error "the openvss headers need C++17 or later (-std=c++17, /std:c++17)"
#endif
#elif !defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L
#error "the openvss headers need C11 or later (-std=c11, /std:c11)"
#endif

#ifdef _WIN32
/* ------------------------------------------------------------------ Windows */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#define VSSAPI_HAVE_SYSTEM_COM 1

#else /* !_WIN32 */
/* ------------------------------------------------------------- elsewhere */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifndef __cplusplus
#include <stdbool.h>
#include <uchar.h>
#endif

#define VSSAPI_HAVE_SYSTEM_COM 0

/* Calling conventions exist only on 32-bit Windows; FFI callers on Linux
 * expect the platform's C convention, so these stay empty. */
#define STDMETHODCALLTYPE
#define STDMETHODVCALLTYPE
#define STDAPICALLTYPE
#define STDAPIVCALLTYPE
#define WINAPI
#define APIENTRY
#define __stdcall
#define __RPC_FAR

#ifdef __cplusplus
#define EXTERN_C extern "C"
#else
#define EXTERN_C extern
#endif

typedef int32_t HRESULT;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef int32_t INT;
typedef uint32_t UINT;
typedef uint32_t DWORD;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef uint8_t BYTE;
typedef uint8_t UCHAR;
typedef int32_t BOOL; /* 4 bytes, as on Windows; the SDK's C++ `bool` stays `bool` */
typedef unsigned char BOOLEAN;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef size_t SIZE_T;
typedef void VOID;
typedef void *PVOID;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef BYTE *PBYTE;
typedef BYTE *LPBYTE;
typedef DWORD *LPDWORD;
typedef LONG *PLONG;
typedef LONG *LPLONG;
typedef UINT *PUINT;
typedef BOOL *PBOOL;
typedef BOOL *LPBOOL;

typedef char16_t WCHAR; /* one UTF-16 code unit on every platform */
typedef WCHAR *PWCHAR;
typedef WCHAR *LPWSTR;
typedef WCHAR *PWSTR;
typedef const WCHAR *LPCWSTR;
typedef const WCHAR *PCWSTR;
typedef WCHAR OLECHAR;
typedef OLECHAR *LPOLESTR;
typedef const OLECHAR *LPCOLESTR;
typedef OLECHAR *BSTR; /* 4-byte byte-length prefix before the pointer, 16-bit NUL after */
typedef BSTR *LPBSTR;

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    uint32_t Data1; /* not `unsigned long`: that is 64-bit on LP64 */
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
#endif
typedef GUID IID;
typedef GUID CLSID;
typedef GUID *LPGUID;
typedef IID *LPIID;
typedef CLSID *LPCLSID;

#ifdef __cplusplus
#define REFGUID const GUID &
#define REFIID const IID &
#define REFCLSID const CLSID &
#else
#define REFGUID const GUID *
#define REFIID const IID *
#define REFCLSID const CLSID *
#endif

#ifdef __cplusplus
inline bool IsEqualGUID(REFGUID a, REFGUID b)
{
    return memcmp(&a, &b, sizeof(GUID)) == 0;
}
inline bool operator==(REFGUID a, REFGUID b) { return IsEqualGUID(a, b); }
inline bool operator!=(REFGUID a, REFGUID b) { return !IsEqualGUID(a, b); }
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)
#else
#define IsEqualGUID(a, b) (!memcmp((a), (b), sizeof(GUID)))
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#define INFINITE 0xFFFFFFFFu

/* HRESULT anatomy, as winerror.h defines it. */
#define SEVERITY_SUCCESS 0
#define SEVERITY_ERROR 1
#define FACILITY_NULL 0
#define FACILITY_RPC 1
#define FACILITY_DISPATCH 2
#define FACILITY_STORAGE 3
#define FACILITY_ITF 4
#define FACILITY_WIN32 7
#define FACILITY_WINDOWS 8
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#define IS_ERROR(status) (((uint32_t)(status)) >> 31 == SEVERITY_ERROR)
#define HRESULT_CODE(hr) ((hr) & 0xFFFF)
#define HRESULT_FACILITY(hr) (((hr) >> 16) & 0x1FFF)
#define HRESULT_SEVERITY(hr) (((hr) >> 31) & 0x1)
#define MAKE_HRESULT(sev, fac, code) \
    ((HRESULT)(((uint32_t)(sev) << 31) | ((uint32_t)(fac) << 16) | ((uint32_t)(code))))
#define HRESULT_FROM_WIN32(x)                                   \
    ((HRESULT)(x) <= 0 ? (HRESULT)(x)                           \
                       : (HRESULT)((((uint32_t)(x)) & 0x0000FFFFu) | \
                                   ((uint32_t)FACILITY_WIN32 << 16) | 0x80000000u))

#define ERROR_SUCCESS 0L
#define NO_ERROR 0L

/* The generic COM codes VSS documents (vss-facts.md section 1.2). */
#define S_OK ((HRESULT)0x00000000)
#define S_FALSE ((HRESULT)0x00000001)
#define E_NOTIMPL ((HRESULT)0x80004001u)
#define E_NOINTERFACE ((HRESULT)0x80004002u)
#define E_POINTER ((HRESULT)0x80004003u)
#define E_ABORT ((HRESULT)0x80004004u)
#define E_FAIL ((HRESULT)0x80004005u)
#define E_UNEXPECTED ((HRESULT)0x8000FFFFu)
#define E_ACCESSDENIED ((HRESULT)0x80070005u)
#define E_OUTOFMEMORY ((HRESULT)0x8007000Eu)
#define E_INVALIDARG ((HRESULT)0x80070057u)

/* COM interface declaration macros, the objbase.h idiom: one declaration gives
 * a C++ abstract struct, or in C an lpVtbl struct plus its Vtbl type. In C the
 * methods of base interfaces are listed again, in slot order. */
#ifdef __cplusplus
#define STDMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#define STDMETHOD_(type, method) virtual type STDMETHODCALLTYPE method
#define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#define STDMETHODIMP_(type) type STDMETHODCALLTYPE
#define PURE = 0
#define THIS_
#define THIS void
#define DECLARE_INTERFACE(iface) struct iface
#define DECLARE_INTERFACE_(iface, baseiface) struct iface : public baseiface
#else
#define STDMETHOD(method) HRESULT(STDMETHODCALLTYPE *method)
#define STDMETHOD_(type, method) type(STDMETHODCALLTYPE *method)
#define PURE
#define THIS_ INTERFACE *This,
#define THIS INTERFACE *This
#define CONST_VTBL const
#define DECLARE_INTERFACE(iface)                                      \
    typedef struct iface {                                            \
        const struct iface##Vtbl *lpVtbl;                             \
    } iface;                                                          \
    typedef struct iface##Vtbl iface##Vtbl;                           \
    struct iface##Vtbl
#define DECLARE_INTERFACE_(iface, baseiface) DECLARE_INTERFACE(iface)
#endif
#define BEGIN_INTERFACE
#define END_INTERFACE

#define STDAPI EXTERN_C HRESULT STDAPICALLTYPE
#define STDAPI_(type) EXTERN_C type STDAPICALLTYPE

/* IUnknown: three slots, nothing else. */
#ifdef __cplusplus
struct IUnknown {
    virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) = 0;
    virtual ULONG STDMETHODCALLTYPE AddRef() = 0;
    virtual ULONG STDMETHODCALLTYPE Release() = 0;
};
#else
typedef struct IUnknown IUnknown;
typedef struct IUnknownVtbl {
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IUnknown *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IUnknown *This);
    ULONG(STDMETHODCALLTYPE *Release)(IUnknown *This);
} IUnknownVtbl;
struct IUnknown {
    const IUnknownVtbl *lpVtbl;
};
#define IUnknown_QueryInterface(This, riid, ppv) ((This)->lpVtbl->QueryInterface(This, riid, ppv))
#define IUnknown_AddRef(This) ((This)->lpVtbl->AddRef(This))
#define IUnknown_Release(This) ((This)->lpVtbl->Release(This))
#endif
typedef IUnknown *LPUNKNOWN;

/* VARIANT, only as far as the provider interfaces need it (vsprov.h passes one
 * by value): the layout and size of Windows' (16 bytes on 32-bit, 24 on 64-bit),
 * with the members a VSS property uses. */
typedef unsigned short VARTYPE;
typedef short VARIANT_BOOL;
typedef struct tagVARIANT {
    VARTYPE vt;
    WORD wReserved1;
    WORD wReserved2;
    WORD wReserved3;
    union {
        LONGLONG llVal;
        LONG lVal;
        VARIANT_BOOL boolVal;
        BSTR bstrVal;
        PVOID byref;
        PVOID record[2]; /* BRECORD: the largest member, which sets the size */
    };
} VARIANT;
#define VT_EMPTY 0
#define VT_I4 3
#define VT_BSTR 8
#define VT_BOOL 11
#define VT_I8 20

/* OLESTR("text") is the Windows way to write a WCHAR literal: L"" there, u"" here. */
#define OLESTR(str) u##str

#endif /* !_WIN32 */

/* ------------------------------------------------------------ both worlds */

/* Defines a GUID constant in a header, usable from C and C++ without a
 * separate uuid library. The values are the SDK's (vss-facts.md section 3.9). */
#ifdef __cplusplus
#define VSSAPI_DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    inline constexpr GUID name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#else
#define VSSAPI_DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    static const GUID name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#endif

#if !VSSAPI_HAVE_SYSTEM_COM
VSSAPI_DEFINE_GUID(GUID_NULL, 0x00000000, 0x0000, 0x0000, 0, 0, 0, 0, 0, 0, 0, 0);
VSSAPI_DEFINE_GUID(IID_IUnknown, 0x00000000, 0x0000, 0x0000, 0xC0, 0, 0, 0, 0, 0, 0, 0x46);
#endif

/* IUnknown's three slots, for the C view of interfaces derived from it (the
 * C++ view inherits them). */
#define VSSAPI_IUNKNOWN_METHODS                                           \
    STDMETHOD(QueryInterface)(THIS_ REFIID riid, void **ppvObject) PURE; \
    STDMETHOD_(ULONG, AddRef)(THIS) PURE;                                 \
    STDMETHOD_(ULONG, Release)(THIS) PURE;

/* Default arguments exist only in the C++ view of an interface. */
#ifdef __cplusplus
#define VSSAPI_DEFAULT(value) = value
#else
#define VSSAPI_DEFAULT(value)
#endif

/* `const` member functions exist only in the C++ view of an interface. */
#ifdef __cplusplus
#define VSSAPI_CONST const
#else
#define VSSAPI_CONST
#endif

/* Static assertions usable from both languages. */
#ifdef __cplusplus
#define VSSAPI_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define VSSAPI_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* Widths the SDK pins; a wrong one would silently break every caller. */
VSSAPI_STATIC_ASSERT(sizeof(GUID) == 16, "GUID is 16 bytes");
VSSAPI_STATIC_ASSERT(sizeof(HRESULT) == 4, "HRESULT is 32-bit");
VSSAPI_STATIC_ASSERT(sizeof(LONG) == 4, "LONG is 32-bit");
VSSAPI_STATIC_ASSERT(sizeof(ULONG) == 4, "ULONG is 32-bit");
VSSAPI_STATIC_ASSERT(sizeof(DWORD) == 4, "DWORD is 32-bit");
VSSAPI_STATIC_ASSERT(sizeof(UINT) == 4, "UINT is 32-bit");
VSSAPI_STATIC_ASSERT(sizeof(BOOL) == 4, "BOOL is 4 bytes");
VSSAPI_STATIC_ASSERT(sizeof(bool) == 1, "C++ bool (C _Bool) is 1 byte, as in the SDK");
VSSAPI_STATIC_ASSERT(sizeof(WCHAR) == 2, "WCHAR is one UTF-16 code unit");
VSSAPI_STATIC_ASSERT(sizeof(LONGLONG) == 8, "LONGLONG is 64-bit");
VSSAPI_STATIC_ASSERT(sizeof(FILETIME) == 8, "FILETIME is two DWORDs");

#endif /* VSSAPI_PLATFORM_H */
