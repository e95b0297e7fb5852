/*
 * vssapi/export.h - the one export macro.
 *
 * VSSAPI_EXPORT marks a function the library exports. Which names really leave
 * the library is decided by one list per platform (abi/vssapi.map on ELF,
 * abi/vssapi.def on PE) and checked by a test; this macro only tells the
 * compiler, so that -fvisibility=hidden code can call it without a PLT detour.
 */
#ifndef VSSAPI_EXPORT_H
#define VSSAPI_EXPORT_H

#if defined(_WIN32)
#define VSSAPI_EXPORT /* the .def file exports; callers link the import library */
#elif defined(__GNUC__) && defined(VSSAPI_BUILDING_LIBRARY)
#define VSSAPI_EXPORT __attribute__((visibility("default")))
#else
#define VSSAPI_EXPORT
#endif

/* Exported functions never throw (the exception barrier, contract C-6.1). */
#ifdef __cplusplus
#define VSSAPI_NOTHROW noexcept
#else
#define VSSAPI_NOTHROW
#endif

#ifdef __cplusplus
#define VSSAPI_BEGIN_DECLS extern "C" {
#define VSSAPI_END_DECLS }
#else
#define VSSAPI_BEGIN_DECLS
#define VSSAPI_END_DECLS
#endif

#endif /* VSSAPI_EXPORT_H */
