package vssapi

/*
#include <vssapi/vssapi.h>
*/
import "C"

import (
	"errors"
	"fmt"
)

// HResult is a Windows HRESULT (vss_hresult). It is unsigned so that codes
// are written as in the SDK (0x800423F3); the severity bit marks failures.
type HResult uint32

// Name is the symbolic name ("VSS_E_WRITERERROR_RETRYABLE"), or "0x80001234"
// for a code the library does not know.
func (h HResult) Name() string {
	// The library's names stay valid for the process (unknown codes are
	// interned), so no thread needs pinning here.
	return C.GoString(C.vss_hresult_name(C.vss_hresult(h)))
}

// String is Name.
func (h HResult) String() string { return h.Name() }

// Meaning is the library's one-line description of the code.
func (h HResult) Meaning() string { return C.GoString(C.vss_hresult_meaning(C.vss_hresult(h))) }

// Failed reports whether h is a failure code.
func (h HResult) Failed() bool { return h&0x80000000 != 0 }

// Retry is the retry class of h (vss_is_retryable).
func (h HResult) Retry() RetryClass { return RetryClass(C.vss_is_retryable(C.vss_hresult(h))) }

// Retryable reports whether a backup that failed with h may be tried again.
func (h HResult) Retryable() bool { return h.Retry() != NoRetry }

// Hex is the code as an eight-digit hexadecimal number, "0x800423F3".
func (h HResult) Hex() string { return fmt.Sprintf("0x%08X", uint32(h)) }

// RetryClass says whether and when a failed backup may be retried.
type RetryClass int32

const (
	NoRetry           RetryClass = 0 // do not retry
	RetryAfterWait    RetryClass = 1 // retry after the long wait (writer and commit codes)
	RetryShortBackOff RetryClass = 2 // retry soon (VSS_E_SNAPSHOT_SET_IN_PROGRESS)
)

// Error is a failed call: the HRESULT, its name and the message the library
// left for the calling thread.
type Error struct {
	HResult HResult
	Name    string // vss_hresult_name(HResult)
	Message string // vss_last_error_message(), "" when the error did not come from a call
}

func (e *Error) Error() string {
	if e.Message != "" {
		return "vssapi: " + e.Message
	}
	return "vssapi: " + e.Name + " (" + e.HResult.Meaning() + ")"
}

// Is matches another *Error with the same HRESULT, so that
// errors.Is(err, vssapi.ErrInvalidArg) works whatever the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.HResult == e.HResult
}

// Retryable reports whether the operation may be tried again (vss_is_retryable).
func (e *Error) Retryable() bool { return e.HResult.Retryable() }

// Err is the error for h: nil for a success code, else an *Error without a
// library message.
func (h HResult) Err() error {
	if !h.Failed() {
		return nil
	}
	return sentinel(h)
}

func sentinel(h HResult) *Error { return &Error{HResult: h, Name: h.Name()} }

// HResultOf is the HRESULT behind err: S_OK for nil, the code of an *Error in
// its chain, E_FAIL for any other error.
func HResultOf(err error) HResult {
	if err == nil {
		return S_OK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.HResult
	}
	return E_FAIL
}

// Well-known failures, for errors.Is.
var (
	ErrFail                     = sentinel(E_FAIL)
	ErrInvalidArg               = sentinel(E_INVALIDARG)
	ErrOutOfMemory              = sentinel(E_OUTOFMEMORY)
	ErrAccessDenied             = sentinel(E_ACCESSDENIED)
	ErrNotImplemented           = sentinel(E_NOTIMPL)
	ErrUnexpected               = sentinel(E_UNEXPECTED)
	ErrBadState                 = sentinel(VSS_E_BAD_STATE)
	ErrVSSUnexpected            = sentinel(VSS_E_UNEXPECTED)
	ErrObjectNotFound           = sentinel(VSS_E_OBJECT_NOT_FOUND)
	ErrObjectAlreadyExists      = sentinel(VSS_E_OBJECT_ALREADY_EXISTS)
	ErrVolumeNotSupported       = sentinel(VSS_E_VOLUME_NOT_SUPPORTED)
	ErrSnapshotSetInProgress    = sentinel(VSS_E_SNAPSHOT_SET_IN_PROGRESS)
	ErrWriterInfrastructure     = sentinel(VSS_E_WRITER_INFRASTRUCTURE)
	ErrWriterNotResponding      = sentinel(VSS_E_WRITER_NOT_RESPONDING)
	ErrWriterAlreadySubscribed  = sentinel(VSS_E_WRITER_ALREADY_SUBSCRIBED)
	ErrUnsupportedContext       = sentinel(VSS_E_UNSUPPORTED_CONTEXT)
	ErrNotSupported             = sentinel(VSS_E_NOT_SUPPORTED)
	ErrPartialFailure           = sentinel(VSS_E_WRITERERROR_PARTIAL_FAILURE)
	ErrInconsistentSnapshot     = sentinel(VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT)
	ErrOutOfResources           = sentinel(VSS_E_WRITERERROR_OUTOFRESOURCES)
	ErrWriterTimeout            = sentinel(VSS_E_WRITERERROR_TIMEOUT)
	ErrRetryable                = sentinel(VSS_E_WRITERERROR_RETRYABLE)
	ErrNonRetryable             = sentinel(VSS_E_WRITERERROR_NONRETRYABLE)
	ErrRecoveryFailed           = sentinel(VSS_E_WRITERERROR_RECOVERY_FAILED)
	ErrWriterStatusNotAvailable = sentinel(VSS_E_WRITER_STATUS_NOT_AVAILABLE)
	ErrFlushWritesTimeout       = sentinel(VSS_E_FLUSH_WRITES_TIMEOUT)
	ErrHoldWritesTimeout        = sentinel(VSS_E_HOLD_WRITES_TIMEOUT)

	// Providers (RegisterProvider, UnregisterProvider, AddToSnapshotSetWith,
	// and the answers of a Provider's steps).
	ErrProviderVeto              = sentinel(VSS_E_PROVIDER_VETO)
	ErrUnexpectedProviderError   = sentinel(VSS_E_UNEXPECTED_PROVIDER_ERROR)
	ErrProviderNotRegistered     = sentinel(VSS_E_PROVIDER_NOT_REGISTERED)
	ErrProviderAlreadyRegistered = sentinel(VSS_E_PROVIDER_ALREADY_REGISTERED)
	ErrProviderInUse             = sentinel(VSS_E_PROVIDER_IN_USE)

	// ErrCancelled is the result of a step that was cancelled
	// (VSS_S_ASYNC_CANCELLED, a success code that is not a finished step).
	ErrCancelled = &Error{HResult: VSS_S_ASYNC_CANCELLED, Name: "VSS_S_ASYNC_CANCELLED"}
)

// ErrVeto, returned by a handler, answers false: the writer vetoes the event.
// Set the reason first with Event.SetFailureEx, or return Event.Fail.
var ErrVeto = errors.New("vssapi: the writer vetoed the event")

// HandlerError is a handler that returned an error other than ErrVeto, or
// panicked; the library was told the handler failed (it reports
// VSS_E_WRITERERROR_NONRETRYABLE). WriterHandle.LastHandlerError returns it.
type HandlerError struct {
	Handler string // "OnFreeze"
	Err     error  // the error returned, or the panic as an error
	Panic   any    // the value the handler panicked with, nil if it returned Err
}

func (e *HandlerError) Error() string {
	if e.Panic != nil {
		return fmt.Sprintf("vssapi: %s panicked: %v", e.Handler, e.Panic)
	}
	return fmt.Sprintf("vssapi: %s failed: %v", e.Handler, e.Err)
}

func (e *HandlerError) Unwrap() error { return e.Err }

// closedError is the error of a method called after Close.
func closedError(what string) *Error {
	return &Error{HResult: E_INVALIDARG, Name: "E_INVALIDARG", Message: "the " + what + " is closed"}
}
