package vssapi_test

// The retry helper (RetryRun over vss_retry_run, contract C-7.2), as
// tests/capi/retry_test.cpp checks it in C.

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vssapi "openvss.dev/openvss/bindings/go"
)

var retryWriterClass = vssapi.MustParseGUID("{5E1F0007-7777-2222-8001-020304050607}")

// observed is what a run did, seen from its callbacks (which run on the
// goroutine that called RetryRun).
type observed struct {
	mu        sync.Mutex
	waiting   bool // a report announced a wait and no attempt has started since
	waitFor   time.Duration
	numbers   []int
	sessions  []vssapi.GUID
	reports   []vssapi.RetryAttempt
	shutdowns []int32 // writer shutdowns when each report came
	script    []error // what scripted returns; the last repeats

	freezes         atomic.Int32
	shutdownsSoFar  atomic.Int32
	failFirstFreeze bool
}

func (o *observed) report(a vssapi.RetryAttempt) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reports = append(o.reports, a)
	o.shutdowns = append(o.shutdowns, o.shutdownsSoFar.Load())
	if a.Wait != 0 {
		o.waiting, o.waitFor = true, a.Wait
	}
}

func (o *observed) note(r *vssapi.Requester, number int) {
	session, _ := r.SessionID()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waiting = false
	o.numbers = append(o.numbers, number)
	o.sessions = append(o.sessions, session)
}

// scripted returns the next error of the script.
func (o *observed) scripted(r *vssapi.Requester, number int) error {
	o.note(r, number)
	if number > len(o.script) {
		return o.script[len(o.script)-1]
	}
	return o.script[number-1]
}

// backup is an attempt as a requester writes one: a step's failure, or the
// failure of a writer found in the status, fails the attempt.
func (o *observed) backup(r *vssapi.Requester, number int) error {
	defer r.Close() // harmless: the helper owns r
	o.note(r, number)
	steps := []func() error{
		r.InitializeForBackup,
		func() error { return r.SetBackupState(true, false, vssapi.BackupFull, false) },
		r.GatherWriterMetadata,
		func() error { _, err := r.StartSnapshotSet(); return err },
		func() error { _, err := r.AddToSnapshotSet(`C:\`); return err },
		r.PrepareForBackup, r.DoSnapshotSet, r.GatherWriterStatus,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	statuses, err := r.WriterStatuses()
	if err != nil {
		return err
	}
	for _, s := range statuses {
		if s.HrFailureWriter.Failed() {
			return fmt.Errorf("%s failed: %w", s.Name, s.HrFailureWriter.Err())
		}
	}
	return r.BackupComplete()
}

// retryWriter fails its first OnFreeze with VSS_E_WRITERERROR_RETRYABLE and counts shutdowns.
type retryWriter struct {
	vssapi.BaseWriter
	seen *observed
}

func (w retryWriter) OnFreeze(e *vssapi.Event) error {
	if w.seen.freezes.Add(1) == 1 && w.seen.failFirstFreeze {
		return e.Fail(vssapi.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, "busy, try later")
	}
	return nil
}

func (w retryWriter) OnBackupShutdown(*vssapi.Event, vssapi.GUID) error {
	w.seen.shutdownsSoFar.Add(1)
	return nil
}

// runOnManualClock runs RetryRun and, while the helper waits between attempts,
// moves the coordinator's manual clock on (possibly more than once: the checks
// allow for it).
func runOnManualClock(t *testing.T, c *vssapi.Coordinator, seen *observed, policy *vssapi.RetryPolicy,
	attempt func(*vssapi.Requester, int) error) error {
	t.Helper()
	stop := make(chan struct{})
	advanced := make(chan struct{})
	go func() {
		defer close(advanced)
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			seen.mu.Lock()
			waiting, d := seen.waiting, seen.waitFor
			seen.mu.Unlock()
			if waiting {
				if err := c.AdvanceClock(d); err != nil {
					t.Errorf("AdvanceClock: %v", err)
					return
				}
			}
		}
	}()
	err := vssapi.RetryRun(c, policy, attempt, seen.report)
	close(stop)
	<-advanced
	return err
}

func TestDefaultRetryPolicyIsMicrosoftsGuidance(t *testing.T) {
	want := vssapi.RetryPolicy{MaxRetries: 3, Wait: 10 * time.Minute, InProgressMaxRetries: 5, InProgressWait: 30 * time.Second}
	if got := vssapi.DefaultRetryPolicy(); got != want {
		t.Errorf("DefaultRetryPolicy() = %+v, want %+v", got, want)
	}
}

func TestRetryRunRetriesARetryableWriterAfterTheWaitWithAFreshRequester(t *testing.T) {
	c := newCoordinator(t, &vssapi.CoordinatorOptions{Clock: vssapi.ClockManual})
	seen := &observed{failFirstFreeze: true}
	w, err := vssapi.NewWriter(c, vssapi.WriterInfo{
		ClassID: retryWriterClass, Name: "Retry Writer", Usage: vssapi.UsageUserData, Source: vssapi.SourceTransactedDB,
	}, retryWriter{seen: seen})
	must(t, err)
	defer w.Close()
	must(t, w.Subscribe())

	must(t, runOnManualClock(t, c, seen, nil, seen.backup))

	seen.mu.Lock()
	defer seen.mu.Unlock()
	if n := seen.freezes.Load(); n != 2 {
		t.Errorf("%d freezes, want 2", n)
	}
	if fmt.Sprint(seen.numbers) != "[1 2]" {
		t.Errorf("attempts %v, want [1 2]", seen.numbers)
	}
	if len(seen.sessions) != 2 || seen.sessions[0] == seen.sessions[1] {
		t.Errorf("sessions %v: want two, each attempt's own requester", seen.sessions)
	}
	if len(seen.reports) != 2 {
		t.Fatalf("reports %+v, want 2", seen.reports)
	}
	first, second := seen.reports[0], seen.reports[1]
	if first != (vssapi.RetryAttempt{Number: 1, Result: vssapi.VSS_E_WRITERERROR_RETRYABLE,
		Retry: vssapi.RetryAfterWait, Wait: 10 * time.Minute}) { // a manual clock starts at 0 and stands still
		t.Errorf("first report %+v", first)
	}
	if second.Number != 2 || second.Result != vssapi.S_OK || second.Retry != vssapi.NoRetry || second.Wait != 0 {
		t.Errorf("second report %+v", second)
	}
	if second.Start < first.End+10*time.Minute {
		t.Errorf("attempt 2 began at %v, before attempt 1's end (%v) + 10 minutes on the coordinator's clock",
			second.Start, first.End)
	}
	// Each requester was released (OnBackupShutdown) before its attempt was reported, so before the wait.
	if fmt.Sprint(seen.shutdowns) != "[1 2]" {
		t.Errorf("shutdowns when reported %v, want [1 2]", seen.shutdowns)
	}
}

func TestRetryRunOnTheSimulatedClockDoesNotWait(t *testing.T) {
	c := simulatedCoordinator(t)
	seen := &observed{failFirstFreeze: true}
	newWriter(t, c, "Retry Writer", retryWriter{seen: seen})
	began := time.Now()
	must(t, vssapi.RetryRun(c, nil, seen.backup, seen.report)) // the default policy: 10 minutes
	if elapsed := time.Since(began); elapsed > time.Minute {
		t.Errorf("the run took %v of real time", elapsed)
	}
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if len(seen.reports) != 2 || seen.reports[0].Wait != 10*time.Minute || seen.reports[1].Start < 10*time.Minute {
		t.Errorf("reports %+v", seen.reports)
	}
}

func TestRetryRunStopsAtOnceOnANonRetryableFailureAndOnSuccess(t *testing.T) {
	// The default coordinator on the real clock: a wait would take 10 minutes.
	seen := &observed{script: []error{vssapi.VSS_E_WRITERERROR_NONRETRYABLE.Err(), nil}}
	err := vssapi.RetryRun(nil, nil, seen.scripted, seen.report)
	e := asError(t, err, vssapi.VSS_E_WRITERERROR_NONRETRYABLE)
	if !strings.HasPrefix(e.Message, "vss_retry_run: VSS_E_WRITERERROR_NONRETRYABLE") || !strings.Contains(e.Message, "not retryable") {
		t.Errorf("message %q", e.Message)
	}
	if len(seen.numbers) != 1 || len(seen.reports) != 1 || seen.reports[0].Retry != vssapi.NoRetry || seen.reports[0].Wait != 0 {
		t.Errorf("attempts %v, reports %+v", seen.numbers, seen.reports)
	}

	success := &observed{script: []error{nil, vssapi.VSS_E_WRITERERROR_RETRYABLE.Err()}}
	must(t, vssapi.RetryRun(nil, nil, success.scripted, nil)) // no report
	if len(success.numbers) != 1 {
		t.Errorf("a success was retried: attempts %v", success.numbers)
	}
}

func TestRetryRunHonoursEveryNumberOfThePolicy(t *testing.T) {
	c := newCoordinator(t, &vssapi.CoordinatorOptions{Clock: vssapi.ClockManual})
	seen := &observed{script: []error{
		fmt.Errorf("wrapped: %w", vssapi.ErrSnapshotSetInProgress), // an HRESULT in the chain counts
		vssapi.ErrProviderVeto,
		vssapi.VSS_E_SNAPSHOT_SET_IN_PROGRESS.Err(),
		vssapi.ErrProviderVeto,
	}}
	policy := &vssapi.RetryPolicy{MaxRetries: 1, Wait: 1234 * time.Millisecond, InProgressMaxRetries: 2,
		InProgressWait: 76*time.Millisecond + time.Microsecond} // rounded up to 77 ms
	err := runOnManualClock(t, c, seen, policy, seen.scripted)
	e := asError(t, err, vssapi.VSS_E_PROVIDER_VETO)
	if want := "vss_retry_run: VSS_E_PROVIDER_VETO (attempt 4, retryable but no retry left (max_retries 1)"; !strings.HasPrefix(e.Message, want) {
		t.Errorf("message %q, want it to start with %q", e.Message, want)
	}
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if len(seen.reports) != 4 {
		t.Fatalf("reports %+v, want 4", seen.reports)
	}
	waits := []time.Duration{77 * time.Millisecond, 1234 * time.Millisecond, 77 * time.Millisecond, 0}
	classes := []vssapi.RetryClass{vssapi.RetryShortBackOff, vssapi.RetryAfterWait, vssapi.RetryShortBackOff, vssapi.RetryAfterWait}
	results := []vssapi.HResult{vssapi.VSS_E_SNAPSHOT_SET_IN_PROGRESS, vssapi.VSS_E_PROVIDER_VETO,
		vssapi.VSS_E_SNAPSHOT_SET_IN_PROGRESS, vssapi.VSS_E_PROVIDER_VETO}
	for i, r := range seen.reports {
		if r.Number != i+1 || r.Result != results[i] || r.Retry != classes[i] || r.Wait != waits[i] {
			t.Errorf("report %d: %+v, want result %v, class %d, wait %v", i+1, r, results[i], classes[i], waits[i])
		}
		if i > 0 && r.Start < seen.reports[i-1].End+waits[i-1] {
			t.Errorf("attempt %d began at %v, before %v + %v", i+1, r.Start, seen.reports[i-1].End, waits[i-1])
		}
	}
	for i := 1; i < len(seen.sessions); i++ {
		if seen.sessions[i] == seen.sessions[i-1] {
			t.Errorf("attempts %d and %d had the same requester", i, i+1)
		}
	}
}

func TestRetryRunRefusesBadInputsAndRunsNothing(t *testing.T) {
	seen := &observed{script: []error{nil}}
	e := asError(t, vssapi.RetryRun(nil, nil, nil, seen.report), vssapi.E_INVALIDARG)
	if !strings.Contains(e.Message, "vss_retry_run") {
		t.Errorf("message %q", e.Message)
	}
	good := vssapi.DefaultRetryPolicy()
	for _, bad := range []func(p *vssapi.RetryPolicy){
		func(p *vssapi.RetryPolicy) { p.MaxRetries = vssapi.RetryMaxRetries + 1 },
		func(p *vssapi.RetryPolicy) { p.InProgressMaxRetries = vssapi.RetryMaxRetries + 1 },
		func(p *vssapi.RetryPolicy) { p.Wait = vssapi.RetryMaxWait + time.Millisecond },
		func(p *vssapi.RetryPolicy) { p.InProgressWait = math.MaxInt64 },
	} {
		p := good
		bad(&p)
		e := asError(t, vssapi.RetryRun(nil, &p, seen.scripted, seen.report), vssapi.E_INVALIDARG)
		if !strings.Contains(e.Message, "VSS_RETRY_MAX") {
			t.Errorf("policy %+v: message %q", p, e.Message)
		}
	}
	if len(seen.numbers) != 0 || len(seen.reports) != 0 {
		t.Errorf("a refused run ran: attempts %v, reports %v", seen.numbers, seen.reports)
	}
	// The limits themselves are accepted (and with no failure, nothing waits).
	limits := vssapi.RetryPolicy{MaxRetries: vssapi.RetryMaxRetries, Wait: vssapi.RetryMaxWait,
		InProgressMaxRetries: vssapi.RetryMaxRetries, InProgressWait: vssapi.RetryMaxWait}
	must(t, vssapi.RetryRun(nil, &limits, seen.scripted, nil))
	if len(seen.numbers) != 1 {
		t.Errorf("attempts %v, want 1", seen.numbers)
	}

	closed := newCoordinator(t, nil)
	must(t, closed.Close())
	asError(t, vssapi.RetryRun(closed, nil, seen.scripted, nil), vssapi.E_INVALIDARG)
	if len(seen.numbers) != 1 {
		t.Errorf("a run on a closed coordinator ran: attempts %v", seen.numbers)
	}
}

func TestRetryRunPlainErrorsAreEFailAndPanicsComeBack(t *testing.T) {
	plain := &observed{script: []error{errors.New("not an HRESULT"), nil}}
	asError(t, vssapi.RetryRun(nil, nil, plain.scripted, plain.report), vssapi.E_FAIL)
	if len(plain.numbers) != 1 || plain.reports[0].Result != vssapi.E_FAIL {
		t.Errorf("attempts %v, reports %+v", plain.numbers, plain.reports)
	}
	// An error with a success code (a cancelled step) failed the attempt all the same.
	cancelled := &observed{script: []error{vssapi.ErrCancelled, nil}}
	asError(t, vssapi.RetryRun(nil, nil, cancelled.scripted, cancelled.report), vssapi.E_FAIL)
	if len(cancelled.numbers) != 1 || cancelled.reports[0].Result != vssapi.E_FAIL {
		t.Errorf("attempts %v, reports %+v", cancelled.numbers, cancelled.reports)
	}

	// A panic in the attempt: the run stops (E_UNEXPECTED is not retryable) and
	// RetryRun panics with the value; the requester is let go.
	type boom struct{ n int }
	var kept *vssapi.Requester
	attempts := 0
	recovered := func() (v any) {
		defer func() { v = recover() }()
		vssapi.RetryRun(nil, nil, func(r *vssapi.Requester, number int) error {
			attempts++
			kept = r
			panic(boom{number})
		}, nil)
		return nil
	}()
	if recovered != (boom{1}) || attempts != 1 {
		t.Errorf("RetryRun panicked with %#v after %d attempts, want boom{1} after 1", recovered, attempts)
	}
	asError(t, kept.InitializeForBackup(), vssapi.E_INVALIDARG) // closed: the helper released it
	must(t, kept.Close())

	// A panic in the report: no further attempt runs, and RetryRun panics with it.
	c := simulatedCoordinator(t)
	seen := &observed{script: []error{vssapi.ErrSnapshotSetInProgress, nil}}
	recovered = func() (v any) {
		defer func() { v = recover() }()
		vssapi.RetryRun(c, nil, seen.scripted, func(a vssapi.RetryAttempt) { panic(fmt.Sprintf("report %d", a.Number)) })
		return nil
	}()
	if recovered != "report 1" || len(seen.numbers) != 1 {
		t.Errorf("RetryRun panicked with %#v after attempts %v, want \"report 1\" after [1]", recovered, seen.numbers)
	}
}
