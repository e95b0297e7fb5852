package vssapi

/*
#include <vssapi/vssapi.h>
*/
import "C"

import (
	"runtime"
	"sync"
	"time"
)

// Infinite, as a timeout, waits without limit.
const Infinite time.Duration = -1

// Async is a step started with Requester.Start (IVssAsync). Close it when done.
type Async struct {
	mu   sync.RWMutex
	p    *C.vss_async
	step Step
}

func newAsync(p *C.vss_async, step Step) *Async {
	a := &Async{p: p, step: step}
	runtime.SetFinalizer(a, (*Async).Close)
	return a
}

// Step is the step this operation runs.
func (a *Async) Step() Step { return a.step }

func (a *Async) with(f func(p *C.vss_async) C.vss_hresult) (HResult, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.p == nil {
		return E_INVALIDARG, closedError("Async")
	}
	return call(func() C.vss_hresult { return f(a.p) })
}

// Status is VSS_S_ASYNC_PENDING, VSS_S_ASYNC_FINISHED, VSS_S_ASYNC_CANCELLED
// or the step's failure code; err is set only when the query itself failed.
func (a *Async) Status() (HResult, error) {
	var status C.vss_hresult
	if _, err := a.with(func(p *C.vss_async) C.vss_hresult { return C.vss_async_status(p, &status) }); err != nil {
		return 0, err
	}
	return HResult(status), nil
}

// WaitTimeout waits at most d (d < 0: without limit) and reports whether the
// step has ended; err is set only when the wait itself failed. On a coordinator
// with a virtual clock, d is virtual time: only AdvanceClock ends the wait.
func (a *Async) WaitTimeout(d time.Duration) (done bool, err error) {
	ms := C.uint32_t(0xFFFFFFFF)
	if d >= 0 {
		ms = ms32(d)
		if ms == 0xFFFFFFFF {
			ms-- // a finite wait stays finite
		}
	}
	if _, err := a.with(func(p *C.vss_async) C.vss_hresult { return C.vss_async_wait(p, ms) }); err != nil {
		return false, err
	}
	status, err := a.Status()
	return err == nil && status != VSS_S_ASYNC_PENDING, err
}

// Wait blocks until the step ends and returns its result as Requester.Run
// would: nil when it finished, ErrCancelled-like when cancelled, else the failure.
func (a *Async) Wait() error {
	if _, err := a.WaitTimeout(-1); err != nil {
		return err
	}
	status, err := a.Status()
	if err != nil {
		return err
	}
	if status == VSS_S_ASYNC_FINISHED {
		return nil
	}
	return stepError(a.step, status)
}

// Cancel asks the step to stop; it returns the library's answer
// (VSS_S_ASYNC_FINISHED when the step had already ended).
func (a *Async) Cancel() (HResult, error) {
	return a.with(func(p *C.vss_async) C.vss_hresult { return C.vss_async_cancel(p) })
}

// Close releases the operation (the step itself goes on). It may be called
// more than once.
func (a *Async) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.p != nil {
		C.vss_async_release(a.p)
		a.p = nil
		runtime.SetFinalizer(a, nil)
	}
	return nil
}

// stepError is the error for a step that ended with status (not FINISHED).
func stepError(step Step, status HResult) error {
	return &Error{HResult: status, Name: status.Name(),
		Message: step.String() + ": " + status.Name() + " (" + status.Meaning() + ")"}
}
