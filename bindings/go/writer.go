package vssapi

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// Writer is what a VSS writer does at each event. Embed BaseWriter to get a
// default (return nil) for every handler and define only those you need.
//
// Handlers run on the library's threads, one at a time per writer. A handler
// answers with its error:
//   - nil: success (true);
//   - ErrVeto, or an error wrapping it: the writer vetoes (false); give the
//     reason first with e.SetFailureEx, or return e.Fail(...) which does both;
//   - any other error, or a panic: the handler failed (negative); the library
//     reports VSS_E_WRITERERROR_NONRETRYABLE and WriterHandle.LastHandlerError
//     keeps the error.
//
// Do not call runtime.Goexit (t.FailNow, t.Fatal) in a handler: the goroutine
// is a C thread's and the process would abort.
type Writer interface {
	OnIdentify(e *Event, m *Metadata) error
	// c is nil when the requester is not in component mode (here and below).
	OnPrepareBackup(e *Event, c *Components) error
	OnPrepareSnapshot(e *Event) error
	OnFreeze(e *Event) error
	OnThaw(e *Event) error
	OnAbort(e *Event) error
	OnPostSnapshot(e *Event, c *Components) error
	OnBackupComplete(e *Event, c *Components) error
	OnBackupShutdown(e *Event, snapshotSetID GUID) error
	OnPreRestore(e *Event, c *Components) error
	OnPostRestore(e *Event, c *Components) error
}

// BaseWriter answers every event with success; embed it in your writer.
type BaseWriter struct{}

func (BaseWriter) OnIdentify(*Event, *Metadata) error         { return nil }
func (BaseWriter) OnPrepareBackup(*Event, *Components) error  { return nil }
func (BaseWriter) OnPrepareSnapshot(*Event) error             { return nil }
func (BaseWriter) OnFreeze(*Event) error                      { return nil }
func (BaseWriter) OnThaw(*Event) error                        { return nil }
func (BaseWriter) OnAbort(*Event) error                       { return nil }
func (BaseWriter) OnPostSnapshot(*Event, *Components) error   { return nil }
func (BaseWriter) OnBackupComplete(*Event, *Components) error { return nil }
func (BaseWriter) OnBackupShutdown(*Event, GUID) error        { return nil }
func (BaseWriter) OnPreRestore(*Event, *Components) error     { return nil }
func (BaseWriter) OnPostRestore(*Event, *Components) error    { return nil }

// WriterInfo identifies a writer (vss_writer_info).
type WriterInfo struct {
	ClassID       GUID   // required
	Name          string // required
	InstanceName  string // optional
	Usage         UsageType
	Source        SourceType
	Level         ApplicationLevel // LevelDefault: front end
	FreezeTimeout time.Duration    // 0: 60 seconds
	VersionMajor  uint32
	VersionMinor  uint32
}

// WriterHandle is a writer registered with a coordinator. It delivers events
// to its Writer once subscribed; Close it when done (after the requesters).
type WriterHandle struct {
	mu     sync.RWMutex
	p      *C.vss_writer
	handle cgo.Handle
	state  *writerState // also reachable from the cgo.Handle, never pointing back here
}

// writerState is what the handlers reach through the user pointer.
type writerState struct {
	impl    Writer
	mu      sync.Mutex
	lastErr *HandlerError
}

func (s *writerState) record(e *HandlerError) {
	s.mu.Lock()
	s.lastErr = e
	s.mu.Unlock()
}

// NewWriter creates a writer that runs impl's handlers. c nil: the default coordinator.
func NewWriter(c *Coordinator, info WriterInfo, impl Writer) (*WriterHandle, error) {
	if impl == nil {
		return nil, &Error{HResult: E_INVALIDARG, Name: "E_INVALIDARG", Message: "NewWriter: impl is nil"}
	}
	unlock := c.rlock()
	defer unlock()
	coordinator, err := c.handle()
	if err != nil {
		return nil, err
	}
	state := &writerState{impl: impl}
	h := cgo.NewHandle(state)
	classID := info.ClassID.c()
	name := cString(info.Name)
	defer freeString(name)
	instanceName := cString(info.InstanceName)
	defer freeString(instanceName)
	var p *C.vss_writer
	err = check(func() C.vss_hresult {
		return C.vssgo_writer_create(coordinator, &classID, name, instanceName, C.int32_t(info.Usage),
			C.int32_t(info.Source), C.int32_t(info.Level), ms32(info.FreezeTimeout),
			C.uint32_t(info.VersionMajor), C.uint32_t(info.VersionMinor), C.uintptr_t(h), &p)
	})
	if err != nil {
		h.Delete()
		return nil, err
	}
	w := &WriterHandle{p: p, handle: h, state: state}
	runtime.SetFinalizer(w, (*WriterHandle).Close)
	return w, nil
}

// with runs f with the C writer under the read lock, or fails if closed.
func (w *WriterHandle) with(f func(p *C.vss_writer) C.vss_hresult) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.p == nil {
		return closedError("WriterHandle")
	}
	return check(func() C.vss_hresult { return f(w.p) })
}

// Subscribe starts delivering events to the writer.
func (w *WriterHandle) Subscribe() error {
	return w.with(func(p *C.vss_writer) C.vss_hresult { return C.vss_writer_subscribe(p) })
}

// Unsubscribe stops delivering events.
func (w *WriterHandle) Unsubscribe() error {
	return w.with(func(p *C.vss_writer) C.vss_hresult { return C.vss_writer_unsubscribe(p) })
}

// InstanceID is the writer instance's id, as requesters see it.
func (w *WriterHandle) InstanceID() (GUID, error) {
	var id C.vss_guid
	err := w.with(func(p *C.vss_writer) C.vss_hresult { return C.vss_writer_instance_id(p, &id) })
	return guidOf(&id), err
}

// SessionID is the id of the backup session the writer is taking part in.
func (w *WriterHandle) SessionID() (GUID, error) {
	var id C.vss_guid
	err := w.with(func(p *C.vss_writer) C.vss_hresult { return C.vss_writer_session_id(p, &id) })
	return guidOf(&id), err
}

// SetFailureEx is Event.SetFailureEx; it works only inside a handler.
func (w *WriterHandle) SetFailureEx(hrWriter, hrApplication HResult, message string) error {
	m := cString(message)
	defer freeString(m)
	return w.with(func(p *C.vss_writer) C.vss_hresult {
		return C.vss_writer_set_failure_ex(p, C.vss_hresult(hrWriter), C.vss_hresult(hrApplication), m)
	})
}

// SetFailure is Event.SetFailure; it works only inside a handler.
func (w *WriterHandle) SetFailure(hrWriter HResult) error {
	return w.with(func(p *C.vss_writer) C.vss_hresult {
		return C.vss_writer_set_failure(p, C.vss_hresult(hrWriter))
	})
}

// LastHandlerError is the last handler failure (an error other than ErrVeto,
// or a panic) as a *HandlerError, or nil.
func (w *WriterHandle) LastHandlerError() error {
	w.state.mu.Lock()
	defer w.state.mu.Unlock()
	if w.state.lastErr == nil {
		return nil
	}
	return w.state.lastErr
}

// Close stops the writer: it waits for a running handler, and no handler runs
// after it returns (so never call it from the writer's own handler). Close
// requesters first. Close may be called more than once.
func (w *WriterHandle) Close() error {
	w.mu.Lock()
	p := w.p
	w.p = nil
	w.mu.Unlock()
	if p != nil {
		// Outside the lock: a running handler may still call methods of w.
		C.vss_writer_release(p)
		w.handle.Delete()
		runtime.SetFinalizer(w, nil)
	}
	return nil
}

// Event is the context of one handler call; it is valid only during the call,
// on the handler's goroutine.
type Event struct {
	// Handler is the name of the running handler, "OnFreeze".
	Handler string
	w       *C.vss_writer
}

// SetFailureEx records the writer's failure for this event (C-2.3): the
// VSS_E_WRITERERROR_* code, an application code and a message ("" for none),
// as the requester reads them in WriterStatus. Return ErrVeto afterwards to
// veto the event.
func (e *Event) SetFailureEx(hrWriter, hrApplication HResult, message string) error {
	m := cString(message)
	defer freeString(m)
	return check(func() C.vss_hresult {
		return C.vss_writer_set_failure_ex(e.w, C.vss_hresult(hrWriter), C.vss_hresult(hrApplication), m)
	})
}

// SetFailure records the writer's failure code alone.
func (e *Event) SetFailure(hrWriter HResult) error {
	return check(func() C.vss_hresult { return C.vss_writer_set_failure(e.w, C.vss_hresult(hrWriter)) })
}

// Fail sets the failure and vetoes: `return e.Fail(...)` in a handler. It
// returns ErrVeto, or SetFailureEx's error (then the handler counts as failed).
func (e *Event) Fail(hrWriter, hrApplication HResult, message string) error {
	if err := e.SetFailureEx(hrWriter, hrApplication, message); err != nil {
		return err
	}
	return ErrVeto
}

// SessionID is the id of the running backup session.
func (e *Event) SessionID() (GUID, error) {
	var id C.vss_guid
	err := check(func() C.vss_hresult { return C.vss_writer_session_id(e.w, &id) })
	return guidOf(&id), err
}

// InstanceID is the writer instance's id.
func (e *Event) InstanceID() (GUID, error) {
	var id C.vss_guid
	err := check(func() C.vss_hresult { return C.vss_writer_instance_id(e.w, &id) })
	return guidOf(&id), err
}

// Metadata declares the writer's components and files, in OnIdentify only.
type Metadata struct{ p *C.vss_metadata }

// AddComponent declares a component; logicalPath and caption may be "".
func (m *Metadata) AddComponent(t ComponentType, logicalPath, name, caption string, selectable bool) error {
	lp, n, c := cString(logicalPath), cString(name), cString(caption)
	defer freeString(lp)
	defer freeString(n)
	defer freeString(c)
	return check(func() C.vss_hresult {
		return C.vss_metadata_add_component(m.p, C.int32_t(t), lp, n, c, cBool(selectable))
	})
}

// AddFiles adds files to a component: a file group's files, or a database's
// files or log files, by kind.
func (m *Metadata) AddFiles(kind FileKind, logicalPath, componentName, path, filespec string, recursive bool) error {
	lp, n, p, f := cString(logicalPath), cString(componentName), cString(path), cString(filespec)
	defer freeString(lp)
	defer freeString(n)
	defer freeString(p)
	defer freeString(f)
	return check(func() C.vss_hresult {
		return C.vss_metadata_add_files(m.p, C.int32_t(kind), lp, n, p, f, cBool(recursive))
	})
}

// AddIncludeFiles declares files the writer wants backed up.
func (m *Metadata) AddIncludeFiles(path, filespec string, recursive bool) error {
	p, f := cString(path), cString(filespec)
	defer freeString(p)
	defer freeString(f)
	return check(func() C.vss_hresult { return C.vss_metadata_add_include_files(m.p, p, f, cBool(recursive)) })
}

// AddExcludeFiles declares files the backup should leave out.
func (m *Metadata) AddExcludeFiles(path, filespec string, recursive bool) error {
	p, f := cString(path), cString(filespec)
	defer freeString(p)
	defer freeString(f)
	return check(func() C.vss_hresult { return C.vss_metadata_add_exclude_files(m.p, p, f, cBool(recursive)) })
}

// Components are the session's components of this writer, in component
// handlers only. A nil *Components (no component mode) has none.
type Components struct{ p *C.vss_components }

// Component is one selected component.
type Component struct {
	LogicalPath string
	Name        string
}

// Count is the number of components.
func (c *Components) Count() (int, error) {
	if c == nil {
		return 0, nil
	}
	var n C.uint32_t
	err := check(func() C.vss_hresult { return C.vss_components_count(c.p, &n) })
	return int(n), err
}

// Get is component i.
func (c *Components) Get(i int) (Component, error) {
	var lp, n *C.char
	var p *C.vss_components
	if c != nil {
		p = c.p
	}
	err := check(func() C.vss_hresult { return C.vss_components_get(p, C.uint32_t(i), &lp, &n) })
	return Component{LogicalPath: takeString(lp), Name: takeString(n)}, err
}

// All lists the components in order.
func (c *Components) All() ([]Component, error) {
	n, err := c.Count()
	if err != nil {
		return nil, err
	}
	list := make([]Component, 0, n)
	for i := 0; i < n; i++ {
		comp, err := c.Get(i)
		if err != nil {
			return list, err
		}
		list = append(list, comp)
	}
	return list, nil
}

// SetFailure records the failure of component i (IVssComponentEx2::SetFailure):
// a VSS_E_WRITERERROR_* code, an application code and a message ("" for none).
func (c *Components) SetFailure(i int, hr, hrApplication HResult, message string) error {
	var p *C.vss_components
	if c != nil {
		p = c.p
	}
	m := cString(message)
	defer freeString(m)
	return check(func() C.vss_hresult {
		return C.vss_components_set_failure(p, C.uint32_t(i), C.vss_hresult(hr), C.vss_hresult(hrApplication), m)
	})
}

func (c *Components) raw() *C.vss_components {
	if c == nil {
		return nil
	}
	return c.p
}

// Text is one text of component i; ok is false when it was never set.
func (c *Components) Text(i int, which ComponentText) (text string, ok bool, err error) {
	var out *C.char
	var hr C.vss_hresult
	err = check(func() C.vss_hresult {
		hr = C.vss_components_get_text(c.raw(), C.uint32_t(i), C.int32_t(which), &out)
		return hr
	})
	return takeString(out), err == nil && hr == 0, err
}

// SetText sets a text a writer may set in this handler.
func (c *Components) SetText(i int, which ComponentText, text string) error {
	t := C.CString(text) // "" is a text, not NULL
	defer freeString(t)
	return check(func() C.vss_hresult { return C.vss_components_set_text(c.raw(), C.uint32_t(i), C.int32_t(which), t) })
}

// SelectedForRestore tells, in OnPreRestore and OnPostRestore, whether the requester selected component i.
func (c *Components) SelectedForRestore(i int) (bool, error) {
	var v C.int32_t
	err := check(func() C.vss_hresult { return C.vss_components_selected_for_restore(c.raw(), C.uint32_t(i), &v) })
	return v != 0, err
}

// FileRestoreStatus is, in OnPostRestore, what the requester set for component i.
func (c *Components) FileRestoreStatus(i int) (FileRestoreStatus, error) {
	var v C.int32_t
	err := check(func() C.vss_hresult { return C.vss_components_file_restore_status(c.raw(), C.uint32_t(i), &v) })
	return FileRestoreStatus(v), err
}

var handlerNames = [...]string{
	C.VSSGO_IDENTIFY:         "OnIdentify",
	C.VSSGO_PREPARE_BACKUP:   "OnPrepareBackup",
	C.VSSGO_PREPARE_SNAPSHOT: "OnPrepareSnapshot",
	C.VSSGO_FREEZE:           "OnFreeze",
	C.VSSGO_THAW:             "OnThaw",
	C.VSSGO_ABORT:            "OnAbort",
	C.VSSGO_POST_SNAPSHOT:    "OnPostSnapshot",
	C.VSSGO_BACKUP_COMPLETE:  "OnBackupComplete",
	C.VSSGO_BACKUP_SHUTDOWN:  "OnBackupShutdown",
	C.VSSGO_PRE_RESTORE:      "OnPreRestore",
	C.VSSGO_POST_RESTORE:     "OnPostRestore",
}

// vssgoDispatch is every handler of every Go writer, called by shim.c on a
// library thread. Nothing may unwind into C: panics become -1.
//
//export vssgoDispatch
func vssgoDispatch(user C.uintptr_t, event C.int, w *C.vss_writer, arg unsafe.Pointer) (result C.int32_t) {
	name := "handler"
	if int(event) >= 0 && int(event) < len(handlerNames) {
		name = handlerNames[event]
	}
	e := &Event{Handler: name, w: w}
	var state *writerState
	var metadata *Metadata
	var components *Components
	returned := false
	defer func() {
		e.w = nil // the event, metadata and components die with the call
		if metadata != nil {
			metadata.p = nil
		}
		if components != nil {
			components.p = nil
		}
		if returned {
			return
		}
		r := recover() // nil for panic(nil) before Go 1.21: still a failure
		err, ok := r.(error)
		if !ok {
			err = fmt.Errorf("%v", r)
		}
		if r == nil {
			err = errors.New("panic with a nil value")
		}
		if state != nil {
			state.record(&HandlerError{Handler: name, Err: err, Panic: r})
		}
		result = -1
	}()

	state = cgo.Handle(user).Value().(*writerState)
	if arg != nil {
		switch event {
		case C.VSSGO_IDENTIFY:
			metadata = &Metadata{p: (*C.vss_metadata)(arg)}
		case C.VSSGO_BACKUP_SHUTDOWN:
		default:
			components = &Components{p: (*C.vss_components)(arg)}
		}
	}
	var err error
	impl := state.impl
	switch event {
	case C.VSSGO_IDENTIFY:
		if metadata == nil {
			metadata = &Metadata{}
		}
		err = impl.OnIdentify(e, metadata)
	case C.VSSGO_PREPARE_BACKUP:
		err = impl.OnPrepareBackup(e, components)
	case C.VSSGO_PREPARE_SNAPSHOT:
		err = impl.OnPrepareSnapshot(e)
	case C.VSSGO_FREEZE:
		err = impl.OnFreeze(e)
	case C.VSSGO_THAW:
		err = impl.OnThaw(e)
	case C.VSSGO_ABORT:
		err = impl.OnAbort(e)
	case C.VSSGO_POST_SNAPSHOT:
		err = impl.OnPostSnapshot(e, components)
	case C.VSSGO_BACKUP_COMPLETE:
		err = impl.OnBackupComplete(e, components)
	case C.VSSGO_BACKUP_SHUTDOWN:
		var id GUID
		if arg != nil {
			id = guidOf((*C.vss_guid)(arg))
		}
		err = impl.OnBackupShutdown(e, id)
	case C.VSSGO_PRE_RESTORE:
		err = impl.OnPreRestore(e, components)
	case C.VSSGO_POST_RESTORE:
		err = impl.OnPostRestore(e, components)
	default:
		err = fmt.Errorf("unknown event %d", int(event))
	}
	returned = true
	switch {
	case err == nil:
		return 1
	case errors.Is(err, ErrVeto):
		return 0
	default:
		state.record(&HandlerError{Handler: name, Err: err})
		return -1
	}
}
