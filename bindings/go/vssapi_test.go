package vssapi_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	vssapi "openvss.dev/openvss/bindings/go"
)

var writerClass = vssapi.MustParseGUID("{5E1F0001-1111-2222-8001-020304050607}")

const freezeMessage = "Échec du gel – 数据库忙 😀"

// ---- helpers ---------------------------------------------------------------

func newCoordinator(t *testing.T, options *vssapi.CoordinatorOptions) *vssapi.Coordinator {
	t.Helper()
	c, err := vssapi.NewCoordinator(options)
	if err != nil {
		t.Fatalf("NewCoordinator: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// newWriter creates and subscribes a writer, closed when the test ends
// (after the requesters created later: cleanups run last first).
func newWriter(t *testing.T, c *vssapi.Coordinator, name string, impl vssapi.Writer) *vssapi.WriterHandle {
	t.Helper()
	w, err := vssapi.NewWriter(c, vssapi.WriterInfo{
		ClassID: writerClass, Name: name, Usage: vssapi.UsageUserData, Source: vssapi.SourceTransactedDB,
	}, impl)
	if err != nil {
		t.Fatalf("NewWriter: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.Subscribe(); err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	return w
}

func newRequester(t *testing.T, c *vssapi.Coordinator) *vssapi.Requester {
	t.Helper()
	r, err := vssapi.NewRequester(c)
	if err != nil {
		t.Fatalf("NewRequester: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// backupThroughSnapshot runs a backup up to and including DoSnapshotSet and
// returns DoSnapshotSet's result.
func backupThroughSnapshot(t *testing.T, r *vssapi.Requester, selectAll bool) error {
	t.Helper()
	must(t, r.InitializeForBackup())
	must(t, r.SetBackupState(true, false, vssapi.BackupFull, false))
	must(t, r.GatherWriterMetadata())
	if selectAll {
		must(t, r.AddAllComponents())
	}
	_, err := r.StartSnapshotSet()
	must(t, err)
	_, err = r.AddToSnapshotSet(`C:\`)
	must(t, err)
	must(t, r.PrepareForBackup())
	return r.DoSnapshotSet()
}

func onlyStatus(t *testing.T, r *vssapi.Requester) vssapi.WriterStatus {
	t.Helper()
	must(t, r.GatherWriterStatus())
	statuses, err := r.WriterStatuses()
	must(t, err)
	if len(statuses) != 1 {
		t.Fatalf("got %d status rows, want 1", len(statuses))
	}
	return statuses[0]
}

// asError checks that err is an *Error with the HRESULT want and returns it.
func asError(t *testing.T, err error, want vssapi.HResult) *vssapi.Error {
	t.Helper()
	var e *vssapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want an *vssapi.Error with %v", err, err, want)
	}
	if e.HResult != want || e.Name != want.Name() {
		t.Fatalf("got %v (%s), want %v", e.HResult, e.Name, want)
	}
	return e
}

// ---- (a) OnFreeze fails RETRYABLE with an application code and a message -----

type freezeFailer struct {
	vssapi.BaseWriter
	instance chan vssapi.GUID
}

func (f *freezeFailer) OnFreeze(e *vssapi.Event) error {
	id, err := e.InstanceID()
	if err != nil {
		return err
	}
	f.instance <- id
	message := strings.Clone(freezeMessage) // the library copies it
	return e.Fail(vssapi.VSS_E_WRITERERROR_RETRYABLE, 0x80070020, message)
}

func TestFreezeFailsRetryableWithApplicationCodeAndMessage(t *testing.T) {
	c := newCoordinator(t, nil)
	impl := &freezeFailer{instance: make(chan vssapi.GUID, 1)}
	w := newWriter(t, c, "Go Writer", impl)
	r := newRequester(t, c)
	if err := backupThroughSnapshot(t, r, false); err != nil {
		t.Fatalf("DoSnapshotSet: %v (a writer failure is reported in its status)", err)
	}
	s := onlyStatus(t, r)
	if s.Name != "Go Writer" {
		t.Errorf("Name = %q", s.Name)
	}
	if s.State != vssapi.WriterStateFailedAtFreeze || s.State.String() != "FAILED_AT_FREEZE" {
		t.Errorf("State = %v (%d), want FAILED_AT_FREEZE", s.State, int32(s.State))
	}
	if s.HrFailureWriter != vssapi.VSS_E_WRITERERROR_RETRYABLE || vssapi.VSS_E_WRITERERROR_RETRYABLE != 0x800423F3 {
		t.Errorf("HrFailureWriter = %v", s.HrFailureWriter)
	}
	if s.HrApplication != 0x80070020 {
		t.Errorf("HrApplication = %s", s.HrApplication.Hex())
	}
	if s.Message != freezeMessage {
		t.Errorf("Message = %q, want %q", s.Message, freezeMessage)
	}
	if !s.Failed() || !s.HrFailureWriter.Retryable() || s.HrFailureWriter.Retry() != vssapi.RetryAfterWait {
		t.Errorf("Failed %v, Retryable %v, Retry %v", s.Failed(), s.HrFailureWriter.Retryable(), s.HrFailureWriter.Retry())
	}
	instance, err := w.InstanceID()
	must(t, err)
	if s.InstanceID != instance || <-impl.instance != instance {
		t.Errorf("InstanceID = %v, want %v", s.InstanceID, instance)
	}
	if s.ClassID != writerClass {
		t.Errorf("ClassID = %v, want %v", s.ClassID, writerClass)
	}
	if w.LastHandlerError() != nil {
		t.Errorf("LastHandlerError = %v, want nil for a veto", w.LastHandlerError())
	}
}

// ---- (b) PARTIAL_FAILURE with a failed component ----------------------------

type partialWriter struct {
	vssapi.BaseWriter
	seen chan []vssapi.Component
}

func (partialWriter) OnIdentify(e *vssapi.Event, m *vssapi.Metadata) error {
	for _, name := range []string{"Alpha", "Beta"} {
		if err := m.AddComponent(vssapi.ComponentFileGroup, "Data", name, name+" files", true); err != nil {
			return err
		}
		if err := m.AddFiles(vssapi.FileGroupFiles, "Data", name, "/srv/data/"+name, "*.db", false); err != nil {
			return err
		}
	}
	return m.AddExcludeFiles("/srv/data", "*.tmp", true)
}

func (p partialWriter) OnPostSnapshot(e *vssapi.Event, c *vssapi.Components) error {
	list, err := c.All()
	if err != nil {
		return err
	}
	p.seen <- list
	if len(list) != 2 || list[1].Name != "Beta" {
		return errors.New("unexpected components")
	}
	if err := c.SetFailure(1, vssapi.VSS_E_WRITERERROR_NONRETRYABLE, 0x80070017, "Beta corrompu – 损坏"); err != nil {
		return err
	}
	// One of two components failed: the writer reports a partial failure and still answers true.
	return e.SetFailureEx(vssapi.VSS_E_WRITERERROR_PARTIAL_FAILURE, 0, "one of two")
}

func TestPartialFailureWithFailedComponent(t *testing.T) {
	c := newCoordinator(t, nil)
	impl := partialWriter{seen: make(chan []vssapi.Component, 1)}
	w := newWriter(t, c, "Partial Writer", impl)
	r := newRequester(t, c)
	must(t, backupThroughSnapshot(t, r, true))

	writers, err := r.WriterMetadata()
	must(t, err)
	if len(writers) != 1 || writers[0].Name != "Partial Writer" || len(writers[0].Components) != 2 {
		t.Fatalf("WriterMetadata = %+v", writers)
	}
	instance, _ := w.InstanceID()
	if writers[0].InstanceID != instance || writers[0].ClassID != writerClass ||
		writers[0].Usage != vssapi.UsageUserData || writers[0].Source != vssapi.SourceTransactedDB {
		t.Errorf("identity = %+v", writers[0].WriterIdentity)
	}
	beta := writers[0].Components[1]
	if beta.Name != "Beta" || beta.LogicalPath != "Data" || beta.Caption != "Beta files" ||
		beta.Type != vssapi.ComponentFileGroup || !beta.Selectable || beta.FileCount != 1 {
		t.Errorf("component 1 = %+v", beta)
	}
	if got := <-impl.seen; len(got) != 2 || got[0] != (vssapi.Component{LogicalPath: "Data", Name: "Alpha"}) {
		t.Errorf("the writer saw %+v", got)
	}

	s := onlyStatus(t, r)
	if s.HrFailureWriter != vssapi.VSS_E_WRITERERROR_PARTIAL_FAILURE || s.Message != "one of two" {
		t.Errorf("status = %+v", s)
	}
	failures, err := r.ComponentFailures()
	must(t, err)
	if len(failures) != 2 {
		t.Fatalf("ComponentFailures = %+v", failures)
	}
	if failures[0].Name != "Alpha" || failures[0].Failed() || failures[0].Hr != vssapi.S_OK {
		t.Errorf("Alpha = %+v", failures[0])
	}
	f := failures[1]
	if f.Name != "Beta" || f.LogicalPath != "Data" || f.Hr != vssapi.VSS_E_WRITERERROR_NONRETRYABLE ||
		f.HrApplication != 0x80070017 || f.Message != "Beta corrompu – 损坏" || f.InstanceID != instance ||
		f.ClassID != writerClass || !f.Failed() {
		t.Errorf("Beta = %+v", f)
	}
	_, err = r.ComponentFailure(2)
	if !errors.Is(err, vssapi.ErrObjectNotFound) {
		t.Errorf("ComponentFailure(2) = %v, want VSS_E_OBJECT_NOT_FOUND", err)
	}
}

// ---- (c) bad arguments and bad state are clean errors ----------------------

func TestBadArgumentsAreErrors(t *testing.T) {
	c := newCoordinator(t, nil)
	r := newRequester(t, c)

	err := r.Run(vssapi.Step(99))
	e := asError(t, err, vssapi.E_INVALIDARG)
	if !errors.Is(err, vssapi.ErrInvalidArg) || errors.Is(err, vssapi.ErrBadState) {
		t.Errorf("errors.Is is wrong for %v", err)
	}
	if !strings.Contains(e.Message, "vss_requester_run") || !strings.Contains(err.Error(), "step is unknown") {
		t.Errorf("Message = %q", e.Message)
	}
	if _, err := r.Start(vssapi.Step(-1)); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("Start(-1) = %v", err)
	}

	_, err = vssapi.NewWriter(c, vssapi.WriterInfo{ClassID: writerClass}, vssapi.BaseWriter{})
	e = asError(t, err, vssapi.E_INVALIDARG)
	if !strings.Contains(e.Message, "vss_writer_create") {
		t.Errorf("Message = %q", e.Message)
	}
	if _, err := vssapi.NewWriter(c, vssapi.WriterInfo{Name: "x"}, nil); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("NewWriter(nil impl) = %v", err)
	}

	// DoSnapshotSet right after create: the wrong order.
	err = r.DoSnapshotSet()
	e = asError(t, err, vssapi.VSS_E_BAD_STATE)
	want := "vss_requester_run: VSS_E_BAD_STATE (DoSnapshotSet before PrepareForBackup completed (admitted only after PrepareForBackup))" // C-3.8: the reason in words
	if e.Message != want || err.Error() != "vssapi: "+want || !errors.Is(err, vssapi.ErrBadState) {
		t.Errorf("got %q, want %q", e.Message, want)
	}
	if e.Retryable() {
		t.Error("VSS_E_BAD_STATE is not retryable")
	}

	// The message is read on the calling thread: concurrent failures keep theirs.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				var err error
				var want string
				if (i+j)%2 == 0 {
					err, want = r.Run(vssapi.Step(99)), "step is unknown"
				} else {
					err, want = r.DoSnapshotSet(), "VSS_E_BAD_STATE"
				}
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v, want a message with %q", err, want)
					return
				}
			}
		}(i)
	}
	wg.Wait()

	// A writer's failure can be set only inside a handler.
	w := newWriter(t, c, "Idle Writer", vssapi.BaseWriter{})
	err = w.SetFailureEx(vssapi.VSS_E_WRITERERROR_RETRYABLE, 0, "x")
	if e := asError(t, err, vssapi.VSS_E_BAD_STATE); !strings.Contains(e.Message, "vss_writer_set_failure_ex") {
		t.Errorf("SetFailureEx outside a handler: %v", err)
	}
	if err := w.Subscribe(); !errors.Is(err, vssapi.ErrWriterAlreadySubscribed) {
		t.Errorf("Subscribe twice = %v", err)
	}
	// A nil *Components (no component mode) has none; failing one is an error.
	var none *vssapi.Components
	if n, err := none.Count(); n != 0 || err != nil {
		t.Errorf("nil Components: %d, %v", n, err)
	}
	if err := none.SetFailure(0, vssapi.VSS_E_WRITERERROR_NONRETRYABLE, 0, ""); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("SetFailure on nil Components = %v", err)
	}

	// Closed objects answer E_INVALIDARG, not a crash.
	r2, err := vssapi.NewRequester(c)
	must(t, err)
	must(t, r2.Close())
	must(t, r2.Close())
	if err := r2.InitializeForBackup(); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("closed requester: %v", err)
	}
	c2, err := vssapi.NewCoordinator(nil)
	must(t, err)
	must(t, c2.Close())
	if _, err := vssapi.NewRequester(c2); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("closed coordinator: %v", err)
	}
	if err := c.AdvanceClock(time.Second); !errors.Is(err, vssapi.ErrBadState) {
		t.Errorf("AdvanceClock on a real clock = %v", err)
	}
	if _, err := r.AddToSnapshotSet(""); err == nil {
		t.Error("AddToSnapshotSet before StartSnapshotSet succeeded")
	}
	if _, err := r.SnapshotProperties(vssapi.NewGUID()); err == nil {
		t.Error("SnapshotProperties of an unknown snapshot succeeded")
	}
}

// ---- (d) a step as an async operation ---------------------------------------

type blockingWriter struct {
	vssapi.BaseWriter
	entered, release chan struct{}
}

func (b *blockingWriter) OnPrepareBackup(e *vssapi.Event, c *vssapi.Components) error {
	close(b.entered)
	<-b.release
	return nil
}

func TestAsyncStep(t *testing.T) {
	c := newCoordinator(t, nil)
	impl := &blockingWriter{entered: make(chan struct{}), release: make(chan struct{})}
	newWriter(t, c, "Slow Writer", impl)
	r := newRequester(t, c)
	must(t, r.InitializeForBackup())

	a, err := r.Start(vssapi.StepGatherWriterMetadata)
	must(t, err)
	must(t, a.Wait())
	if status, err := a.Status(); err != nil || status != vssapi.VSS_S_ASYNC_FINISHED {
		t.Errorf("Status = %v, %v", status, err)
	}
	if hr, err := a.Cancel(); err != nil || hr != vssapi.VSS_S_ASYNC_FINISHED {
		t.Errorf("Cancel after the end = %v, %v", hr, err)
	}
	must(t, a.Close())
	if n, err := r.WriterCount(); err != nil || n != 1 {
		t.Errorf("WriterCount = %d, %v", n, err)
	}

	a, err = r.Start(vssapi.StepPrepareForBackup)
	must(t, err)
	defer a.Close()
	if a.Step() != vssapi.StepPrepareForBackup || a.Step().String() != "PrepareForBackup" {
		t.Errorf("Step = %v", a.Step())
	}
	<-impl.entered
	if status, err := a.Status(); err != nil || status != vssapi.VSS_S_ASYNC_PENDING {
		t.Errorf("Status while the handler runs = %v, %v", status, err)
	}
	if done, err := a.WaitTimeout(20 * time.Millisecond); done || err != nil {
		t.Errorf("WaitTimeout while the handler runs = %v, %v", done, err)
	}
	close(impl.release)
	if done, err := a.WaitTimeout(vssapi.Infinite); !done || err != nil {
		t.Errorf("WaitTimeout(Infinite) = %v, %v", done, err)
	}
	must(t, a.Wait())
	if status, _ := a.Status(); status != vssapi.VSS_S_ASYNC_FINISHED {
		t.Errorf("Status = %v", status)
	}
	s := onlyStatus(t, r)
	if s.Failed() || s.State != vssapi.WriterStateStable {
		t.Errorf("status = %+v", s)
	}
}

// The event timeout on a virtual clock: ten minutes pass at once.
func TestAsyncStepOnVirtualClock(t *testing.T) {
	c := newCoordinator(t, &vssapi.CoordinatorOptions{VirtualClock: true, Workers: 2})
	impl := &blockingWriter{entered: make(chan struct{}), release: make(chan struct{})}
	defer close(impl.release) // before the writer closes: Close waits for the handler
	newWriter(t, c, "Stuck Writer", impl)
	r := newRequester(t, c)
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	a, err := r.Start(vssapi.StepPrepareForBackup)
	must(t, err)
	defer a.Close()
	<-impl.entered
	// A wait's timeout is virtual time too: it ends when the clock moves.
	waited := make(chan bool, 1)
	go func() {
		done, err := a.WaitTimeout(20 * time.Millisecond)
		if err != nil {
			t.Errorf("WaitTimeout: %v", err)
		}
		waited <- done
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case <-waited:
		t.Error("WaitTimeout(20ms) ended on real time")
	default:
	}
	must(t, c.AdvanceClock(30*time.Millisecond))
	if done := <-waited; done {
		t.Error("the step ended before the event timeout")
	}
	must(t, c.AdvanceClock(10*time.Minute+time.Millisecond))
	must(t, a.Wait())
	s := onlyStatus(t, r)
	if s.HrFailureWriter != vssapi.VSS_E_WRITER_NOT_RESPONDING {
		t.Errorf("status = %+v, want VSS_E_WRITER_NOT_RESPONDING", s)
	}
}

// ---- (e) a handler that panics or fails ------------------------------------

type panicker struct{ vssapi.BaseWriter }

func (panicker) OnFreeze(*vssapi.Event) error { panic("boom in OnFreeze") }

type failer struct{ vssapi.BaseWriter }

var errDisk = errors.New("disk on fire")

func (failer) OnPrepareSnapshot(*vssapi.Event) error { return errDisk }

type vetoer struct{ vssapi.BaseWriter }

func (vetoer) OnThaw(*vssapi.Event) error { return vssapi.ErrVeto }

func TestPanickingHandlerReportsNonRetryable(t *testing.T) {
	cases := []struct {
		name  string
		impl  vssapi.Writer
		state vssapi.WriterState
		check func(t *testing.T, err error)
	}{
		{"panic", panicker{}, vssapi.WriterStateFailedAtFreeze, func(t *testing.T, err error) {
			var he *vssapi.HandlerError
			if !errors.As(err, &he) || he.Handler != "OnFreeze" || he.Panic != "boom in OnFreeze" ||
				!strings.Contains(err.Error(), "boom in OnFreeze") {
				t.Errorf("LastHandlerError = %#v", err)
			}
		}},
		{"error", failer{}, vssapi.WriterStateFailedAtPrepareSnapshot, func(t *testing.T, err error) {
			var he *vssapi.HandlerError
			if !errors.Is(err, errDisk) || !errors.As(err, &he) || he.Handler != "OnPrepareSnapshot" || he.Panic != nil {
				t.Errorf("LastHandlerError = %#v", err)
			}
		}},
		{"veto without a reason", vetoer{}, vssapi.WriterStateFailedAtThaw, func(t *testing.T, err error) {
			if err != nil {
				t.Errorf("LastHandlerError = %v, want nil for a veto", err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCoordinator(t, nil)
			w := newWriter(t, c, "Bad Writer", tc.impl)
			r := newRequester(t, c)
			if err := backupThroughSnapshot(t, r, false); err != nil {
				t.Logf("DoSnapshotSet: %v", err)
			}
			s := onlyStatus(t, r)
			if s.HrFailureWriter != vssapi.VSS_E_WRITERERROR_NONRETRYABLE || s.State != tc.state {
				t.Errorf("status = %v %v, want %v NONRETRYABLE", s.State, s.HrFailureWriter, tc.state)
			}
			tc.check(t, w.LastHandlerError())
		})
	}
}

// ---- a whole backup: every handler, ids, snapshot properties, shutdown -----

type recorder struct {
	mu       sync.Mutex
	events   []string
	sessions map[vssapi.GUID]bool
	shutdown chan vssapi.GUID
	kept     *vssapi.Event
}

func (r *recorder) note(e *vssapi.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e.Handler)
	if id, err := e.SessionID(); err == nil {
		r.sessions[id] = true
	}
	r.kept = e
	return nil
}

func (r *recorder) OnIdentify(e *vssapi.Event, m *vssapi.Metadata) error {
	if err := m.AddComponent(vssapi.ComponentDatabase, "", "Main", "", true); err != nil {
		return err
	}
	if err := m.AddFiles(vssapi.DatabaseFiles, "", "Main", "/srv/db", "main.db", false); err != nil {
		return err
	}
	if err := m.AddFiles(vssapi.DatabaseLogFiles, "", "Main", "/srv/db", "main.log", false); err != nil {
		return err
	}
	if err := m.AddFiles(vssapi.FileKind(7), "", "Main", "/srv/db", "x", false); !errors.Is(err, vssapi.ErrInvalidArg) {
		return errors.New("AddFiles accepted kind 7")
	}
	if err := m.AddIncludeFiles("/srv/db", "*.cfg", false); err != nil {
		return err
	}
	return r.note(e)
}
func (r *recorder) OnPrepareBackup(e *vssapi.Event, c *vssapi.Components) error {
	if n, err := c.Count(); err != nil || n != 1 {
		return errors.New("want one component")
	}
	return r.note(e)
}
func (r *recorder) OnPrepareSnapshot(e *vssapi.Event) error                    { return r.note(e) }
func (r *recorder) OnFreeze(e *vssapi.Event) error                             { return r.note(e) }
func (r *recorder) OnThaw(e *vssapi.Event) error                               { return r.note(e) }
func (r *recorder) OnAbort(e *vssapi.Event) error                              { return r.note(e) }
func (r *recorder) OnPostSnapshot(e *vssapi.Event, c *vssapi.Components) error { return r.note(e) }
func (r *recorder) OnBackupComplete(e *vssapi.Event, c *vssapi.Components) error {
	return r.note(e)
}
func (r *recorder) OnBackupShutdown(e *vssapi.Event, id vssapi.GUID) error {
	r.shutdown <- id
	return r.note(e)
}
func (r *recorder) OnPreRestore(e *vssapi.Event, c *vssapi.Components) error  { return r.note(e) }
func (r *recorder) OnPostRestore(e *vssapi.Event, c *vssapi.Components) error { return r.note(e) }

func TestWholeBackup(t *testing.T) {
	c := newCoordinator(t, &vssapi.CoordinatorOptions{Workers: 4, EventTimeout: time.Minute})
	rec := &recorder{sessions: map[vssapi.GUID]bool{}, shutdown: make(chan vssapi.GUID, 1)}
	w := newWriter(t, c, "Recorder", rec)
	r, err := vssapi.NewRequester(c)
	must(t, err)
	must(t, r.InitializeForBackup())
	must(t, r.SetContext(vssapi.ContextBackup))
	must(t, r.SetBackupState(true, false, vssapi.BackupFull, false))
	must(t, r.GatherWriterMetadata())
	md, err := r.WriterMetadata()
	must(t, err)
	if len(md) != 1 || len(md[0].Components) != 1 {
		t.Fatalf("WriterMetadata = %+v", md)
	}
	main := md[0].Components[0]
	if main.Type != vssapi.ComponentDatabase || main.DatabaseCount != 1 || main.LogCount != 1 || main.LogicalPath != "" {
		t.Errorf("component = %+v", main)
	}
	must(t, r.AddComponent(md[0].InstanceID, md[0].ClassID, main.Type, main.LogicalPath, main.Name))
	if err := r.AddComponent(md[0].InstanceID, md[0].ClassID, main.Type, "", "Nope"); err == nil {
		t.Error("AddComponent of an undeclared component succeeded")
	}
	set, err := r.StartSnapshotSet()
	must(t, err)
	snapshot, err := r.AddToSnapshotSet(`C:\`)
	must(t, err)
	must(t, r.PrepareForBackup())
	must(t, r.DoSnapshotSet())
	props, err := r.SnapshotProperties(snapshot)
	must(t, err)
	if props.SnapshotID != snapshot || props.SnapshotSetID != set || props.SnapshotsInSet != 1 ||
		props.OriginalVolume != `C:\` || props.DeviceName == "" {
		t.Errorf("SnapshotProperties = %+v", props)
	}
	if props.CreationFileTime != 0 && time.Since(props.CreationTime) > time.Hour {
		t.Errorf("CreationTime = %v", props.CreationTime)
	}
	must(t, r.BackupComplete())
	s := onlyStatus(t, r)
	if s.Failed() || s.State != vssapi.WriterStateStable {
		t.Errorf("status = %+v", s)
	}
	session, err := r.SessionID()
	must(t, err)
	must(t, r.Close()) // OnBackupShutdown
	if got := <-rec.shutdown; got != set {
		t.Errorf("OnBackupShutdown got %v, want the snapshot set %v", got, set)
	}
	must(t, w.Close()) // waits for the running handler, if any
	must(t, w.Close())

	rec.mu.Lock()
	defer rec.mu.Unlock()
	want := []string{"OnIdentify", "OnPrepareBackup", "OnPrepareSnapshot", "OnFreeze", "OnThaw", "OnPostSnapshot",
		"OnBackupComplete", "OnBackupShutdown"}
	if strings.Join(rec.events, ",") != strings.Join(want, ",") {
		t.Errorf("events = %v, want %v", rec.events, want)
	}
	if !rec.sessions[session] {
		t.Errorf("handlers saw sessions %v, not the requester's %v", rec.sessions, session)
	}
	// An event kept past its handler is dead, not dangling.
	if err := rec.kept.SetFailure(vssapi.VSS_E_WRITERERROR_RETRYABLE); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("a kept Event: %v", err)
	}
	if err := w.Subscribe(); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("closed writer: %v", err)
	}
}

// An aborted backup calls OnAbort.
func TestAbort(t *testing.T) {
	c := newCoordinator(t, nil)
	rec := &recorder{sessions: map[vssapi.GUID]bool{}, shutdown: make(chan vssapi.GUID, 1)}
	newWriter(t, c, "Recorder", rec)
	r := newRequester(t, c)
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	_, err := r.StartSnapshotSet()
	must(t, err)
	must(t, r.PrepareForBackup())
	must(t, r.Abort())
	must(t, r.GatherWriterStatus())
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.events[len(rec.events)-1] != "OnAbort" {
		t.Errorf("events = %v, want OnAbort last", rec.events)
	}
}

// A writer nobody closes is released by its finalizer once unreachable.
func TestForgottenWriterIsReleased(t *testing.T) {
	c := newCoordinator(t, nil)
	writers := func() int { return answeringWriters(t, c) }
	func() {
		w, err := vssapi.NewWriter(c, vssapi.WriterInfo{ClassID: writerClass, Name: "Forgotten"}, vssapi.BaseWriter{})
		must(t, err)
		must(t, w.Subscribe())
		if n := writers(); n != 1 {
			t.Fatalf("%d writers answer, want 1", n)
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		n := writers()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the forgotten writer still answers (%d writers)", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ---- helpers of the library ------------------------------------------------

func TestHelpers(t *testing.T) {
	if vssapi.Version() == "" || vssapi.LibraryABIVersion() != vssapi.ABIVersion {
		t.Errorf("Version %q, ABI %d", vssapi.Version(), vssapi.LibraryABIVersion())
	}
	if vssapi.VSS_E_WRITERERROR_TIMEOUT.String() != "VSS_E_WRITERERROR_TIMEOUT" {
		t.Errorf("name = %s", vssapi.VSS_E_WRITERERROR_TIMEOUT)
	}
	if vssapi.HResult(0x12345678).Name() != "0x12345678" {
		t.Errorf("unknown name = %s", vssapi.HResult(0x12345678).Name())
	}
	if vssapi.VSS_E_BAD_STATE.Meaning() == "" || !vssapi.E_INVALIDARG.Failed() || vssapi.VSS_S_ASYNC_FINISHED.Failed() {
		t.Error("Meaning/Failed")
	}
	if vssapi.VSS_E_SNAPSHOT_SET_IN_PROGRESS.Retry() != vssapi.RetryShortBackOff || vssapi.E_INVALIDARG.Retryable() {
		t.Error("Retry")
	}
	if vssapi.WriterStateFailedAtFreeze.String() != "FAILED_AT_FREEZE" || vssapi.WriterState(99).String() != "?" ||
		!vssapi.WriterStateFailedAtFreeze.Failed() || vssapi.WriterStateStable.Failed() {
		t.Error("WriterState")
	}
	if err := vssapi.S_OK.Err(); err != nil {
		t.Errorf("S_OK.Err() = %v", err)
	}
	if err := vssapi.VSS_E_BAD_STATE.Err(); !errors.Is(err, vssapi.ErrBadState) || !strings.Contains(err.Error(), "VSS_E_BAD_STATE") {
		t.Errorf("Err() = %v", err)
	}
	if vssapi.HResultOf(nil) != vssapi.S_OK || vssapi.HResultOf(errors.New("x")) != vssapi.E_FAIL ||
		vssapi.HResultOf(vssapi.ErrRetryable) != vssapi.VSS_E_WRITERERROR_RETRYABLE {
		t.Error("HResultOf")
	}
	g := vssapi.NewGUID()
	if back, err := vssapi.ParseGUID(g.String()); err != nil || back != g || g.IsZero() {
		t.Errorf("GUID round trip: %v %v %v", g, back, err)
	}
	if writerClass.String() != "{5E1F0001-1111-2222-8001-020304050607}" {
		t.Errorf("GUID String = %s", writerClass)
	}
	if _, err := vssapi.ParseGUID("not a guid"); err == nil {
		t.Error("ParseGUID accepted garbage")
	}
	d, err := vssapi.DefaultCoordinator()
	must(t, err)
	if err := d.AdvanceClock(time.Millisecond); !errors.Is(err, vssapi.ErrBadState) {
		t.Errorf("AdvanceClock on the default coordinator = %v", err)
	}
	must(t, d.Close())
}

// ---- the README's example runs as written ----------------------------------

func TestExample(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go tool to run example.go")
		}
	}
	var stderr strings.Builder
	cmd := exec.Command(goTool, "run", "example.go")
	cmd.Stderr = &stderr // build chatter (linker warnings) is not the example's output
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run example.go: %v\n%s%s", err, out, stderr.String())
	}
	want := "DB Writer FAILED_AT_FREEZE VSS_E_WRITERERROR_RETRYABLE 0x80070020 base occupée – réessayez\n"
	if string(out) != want {
		t.Errorf("example printed %q, want %q", out, want)
	}
}

// The README shows example.go verbatim.
func TestReadmeShowsTheExample(t *testing.T) {
	example, err := os.ReadFile("example.go")
	must(t, err)
	readme, err := os.ReadFile("README.md")
	must(t, err)
	if !strings.Contains(string(readme), "```go\n"+string(example)+"```\n") {
		t.Error("README.md does not show example.go verbatim in a ```go block")
	}
}

// With VSSAPI_LIBRARY set (the Meson test sets it), the process runs that very library.
func TestLoadsVSSAPILibrary(t *testing.T) {
	want := os.Getenv("VSSAPI_LIBRARY")
	if want == "" {
		t.Skip("VSSAPI_LIBRARY is not set")
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	wantPath, err := filepath.EvalSymlinks(want)
	must(t, err)
	var loaded []string
	for _, line := range strings.Split(string(maps), "\n") {
		if i := strings.Index(line, "/"); i >= 0 && strings.Contains(line, "libvssapi") {
			loaded = append(loaded, line[i:])
		}
	}
	for _, path := range loaded {
		if real, err := filepath.EvalSymlinks(path); err == nil && real == wantPath {
			return
		}
	}
	t.Errorf("libvssapi loaded from %v, not %s", loaded, wantPath)
}
