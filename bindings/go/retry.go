package vssapi

/*
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"time"
)

// RetryPolicy is vss_retry_policy: how often and after how long RetryRun
// tries again. The zero value retries nothing; DefaultRetryPolicy is
// Microsoft's guidance. Waits are rounded up to whole milliseconds.
type RetryPolicy struct {
	// MaxRetries retries after a RetryAfterWait failure (the retryable writer
	// and commit codes), each after Wait.
	MaxRetries uint32
	Wait       time.Duration
	// InProgressMaxRetries retries after RetryShortBackOff
	// (VSS_E_SNAPSHOT_SET_IN_PROGRESS), each after InProgressWait; counted apart.
	InProgressMaxRetries uint32
	InProgressWait       time.Duration
}

// The largest values RetryRun accepts (VSS_RETRY_MAX_RETRIES, VSS_RETRY_MAX_WAIT_MS);
// beyond them it returns E_INVALIDARG and runs nothing.
const (
	RetryMaxRetries = 100
	RetryMaxWait    = 24 * time.Hour
)

// The header's values, checked at compile time.
var _ = [1]int{}[RetryMaxRetries-C.VSS_RETRY_MAX_RETRIES]
var _ = [1]int{}[RetryMaxWait/time.Millisecond-C.VSS_RETRY_MAX_WAIT_MS]

// DefaultRetryPolicy is vss_retry_policy_default: 3 retries 10 minutes apart,
// and 5 retries 30 seconds apart for VSS_E_SNAPSHOT_SET_IN_PROGRESS.
func DefaultRetryPolicy() RetryPolicy {
	var p C.vss_retry_policy
	p.size = C.uint32_t(C.sizeof_vss_retry_policy)
	C.vss_retry_policy_default(&p)
	return RetryPolicy{
		MaxRetries:           uint32(p.max_retries),
		Wait:                 time.Duration(p.wait_ms) * time.Millisecond,
		InProgressMaxRetries: uint32(p.in_progress_max_retries),
		InProgressWait:       time.Duration(p.in_progress_wait_ms) * time.Millisecond,
	}
}

func (p *RetryPolicy) c() C.vss_retry_policy {
	return C.vss_retry_policy{
		size:                    C.uint32_t(C.sizeof_vss_retry_policy),
		max_retries:             C.uint32_t(p.MaxRetries),
		wait_ms:                 C.uint64_t(ceilMilliseconds(p.Wait)),
		in_progress_max_retries: C.uint32_t(p.InProgressMaxRetries),
		in_progress_wait_ms:     C.uint64_t(ceilMilliseconds(p.InProgressWait)),
	}
}

// RetryAttempt is one attempt as RetryRun reports it (vss_retry_attempt),
// once its outcome and the wait after it are known, before that wait.
type RetryAttempt struct {
	Number int        // 1 for the first attempt
	Result HResult    // what the attempt returned (S_OK, or its failure)
	Retry  RetryClass // Result's retry class (vss_is_retryable)
	// Start and End are the coordinator's clock when the attempt began and
	// ended: on the real clock only differences mean something; a virtual
	// clock starts at 0.
	Start, End time.Duration
	Wait       time.Duration // before the next attempt; 0 if none follows
}

// retryRun is what the attempt and report callbacks reach through their cgo.Handle.
type retryRun struct {
	attempt func(r *Requester, number int) error
	report  func(RetryAttempt)
	// panicked: a callback panicked with panicValue; later attempts fail at
	// once and RetryRun panics with it once the helper returns.
	panicked   bool
	panicValue any
}

// RetryRun is vss_retry_run, the retry helper of contract C-7.2: it calls
// attempt(r, 1) with a fresh Requester; while the attempt fails with a
// retryable code whose budget in policy is not spent, it waits that class's
// wait on the coordinator's clock (a manual clock waits for AdvanceClock, a
// simulated one passes at once) and calls the next attempt with another fresh
// Requester. A success or a failure that is not retryable ends the run.
// c nil: the default coordinator; policy nil: DefaultRetryPolicy; report
// (may be nil) is told of every attempt.
//
// An attempt runs a whole backup on r and returns nil, or the error that made
// it fail: a step's error, or the HrFailureWriter of a writer its status shows
// failed (a writer's failure does not fail DoSnapshotSet), as
// s.HrFailureWriter.Err(). An error with a failed HRESULT in its chain (an
// *Error) is the attempt's result; any other error is E_FAIL (not retryable).
// The helper owns r and releases it as soon as attempt returns (the writers
// get OnBackupShutdown then, before any wait); r.Close only lets go of it.
//
// Everything runs on the calling goroutine, which blocks during the waits.
// RetryRun returns nil when the last attempt succeeded, else an *Error with the
// last attempt's HRESULT and a message saying why the run stopped
// ("vss_retry_run: VSS_E_WRITERERROR_RETRYABLE (attempt 4, retryable but no
// retry left (max_retries 3): ...)"); E_INVALIDARG, with nothing run, for a
// nil attempt, more than RetryMaxRetries retries or a wait longer than
// RetryMaxWait. A panic in attempt (which then counts as E_UNEXPECTED) or in
// report is raised again by RetryRun once the helper has returned; do not call
// runtime.Goexit (t.Fatal) in them.
func RetryRun(c *Coordinator, policy *RetryPolicy, attempt func(r *Requester, number int) error,
	report func(RetryAttempt)) error {
	run := &retryRun{attempt: attempt, report: report}
	h := cgo.NewHandle(run)
	defer h.Delete()
	var cPolicy *C.vss_retry_policy
	if policy != nil {
		p := policy.c()
		cPolicy = &p
	}
	unlock := c.rlock()
	coordinator, err := c.handle()
	if err == nil {
		if attempt == nil {
			err = check(func() C.vss_hresult { return C.vss_retry_run(coordinator, cPolicy, nil, nil, nil) })
		} else {
			err = check(func() C.vss_hresult {
				return C.vssgo_retry_run(coordinator, cPolicy, cBool(report != nil), C.uintptr_t(h))
			})
		}
	}
	unlock()
	if run.panicked {
		panic(run.panicValue)
	}
	return err
}

// vssgoRetryAttempt is every RetryRun attempt, called by shim.c on the
// goroutine that called RetryRun. Nothing may unwind into C.
//
//export vssgoRetryAttempt
func vssgoRetryAttempt(user C.uintptr_t, p *C.vss_requester, number C.uint32_t) (result C.vss_hresult) {
	run := cgo.Handle(user).Value().(*retryRun)
	if run.panicked {
		return hresultC(E_UNEXPECTED)
	}
	r := &Requester{p: p, borrowed: true}
	returned := false
	defer func() {
		r.Close() // the helper releases p: the Go value must not use it after
		if !returned {
			run.panicked, run.panicValue = true, recover()
			result = hresultC(E_UNEXPECTED)
		}
	}()
	err := run.attempt(r, int(number))
	returned = true
	if err == nil {
		return 0
	}
	if hr := HResultOf(err); hr.Failed() {
		return hresultC(hr)
	}
	return hresultC(E_FAIL)
}

// vssgoRetryReport is every RetryRun report.
//
//export vssgoRetryReport
func vssgoRetryReport(user C.uintptr_t, a *C.vss_retry_attempt) {
	run := cgo.Handle(user).Value().(*retryRun)
	returned := false
	defer func() {
		if !returned {
			if v := recover(); !run.panicked {
				run.panicked, run.panicValue = true, v
			}
		}
	}()
	run.report(RetryAttempt{
		Number: int(a.number),
		Result: HResult(uint32(a.result)),
		Retry:  RetryClass(a.retry_class),
		Start:  time.Duration(a.start_ms) * time.Millisecond,
		End:    time.Duration(a.end_ms) * time.Millisecond,
		Wait:   time.Duration(a.wait_ms) * time.Millisecond,
	})
	returned = true
}
