// Package vssapi is the Go binding of openvss, a portable re-creation of the
// Volume Shadow Copy Service writer and requester API, over its flat C API
// (<vssapi/vssapi.h>, libvssapi.so), found through pkg-config (vssapi.pc).
//
// A writer is any value implementing [Writer]; embed [BaseWriter] and define
// only the handlers you need. Handlers run on the library's threads, never on
// the goroutine that drives the [Requester]. Every failing call returns an
// [*Error] carrying the HRESULT, its symbolic name and the library's message;
// use errors.Is with the Err* values (errors.Is(err, vssapi.ErrBadState)).
//
// Coordinators, writers, requesters and async operations own library handles:
// Close them (defer x.Close()). A finalizer releases a handle you forgot, but
// only once the Go value is unreachable, so keep a subscribed writer reachable
// as long as it should answer.
package vssapi

/*
#cgo pkg-config: vssapi
#include <stdlib.h>
#include <vssapi/vssapi.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// ABIVersion is the version of vssapi.h this package was written against.
const ABIVersion = 1

// Version is the library's version string ("0.1.0").
func Version() string { return C.GoString(C.vss_version()) }

// LibraryABIVersion is the ABI version the loaded library implements.
func LibraryABIVersion() int { return int(C.vss_abi_version()) }

// call runs one C function and turns a failed HRESULT into an *Error. The
// goroutine stays on one OS thread for the call and the read of
// vss_last_error_message, which is per thread.
func call(f func() C.vss_hresult) (HResult, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	hr := HResult(f())
	if hr.Failed() {
		return hr, &Error{HResult: hr, Name: hr.Name(), Message: C.GoString(C.vss_last_error_message())}
	}
	return hr, nil
}

// check is call without the success code.
func check(f func() C.vss_hresult) error {
	_, err := call(f)
	return err
}

// cString is a C copy of s, or NULL for "" (the C API's "none"); free it with freeString.
func cString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeString(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// goString copies a library string ("" for NULL).
func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// takeString copies a string the library allocated and frees it with vss_free.
func takeString(p *C.char) string {
	s := goString(p)
	C.vss_free(unsafe.Pointer(p))
	return s
}

func cBool(b bool) C.int32_t {
	if b {
		return 1
	}
	return 0
}
