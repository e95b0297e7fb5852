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
	"strings"
	"sync"
	"unsafe"
)

// ProviderType is a provider's VSS_PROVIDER_TYPE.
type ProviderType int32

const (
	ProviderTypeUnknown   ProviderType = 0 // VSS_PROV_UNKNOWN
	ProviderTypeSystem    ProviderType = 1 // VSS_PROV_SYSTEM
	ProviderTypeSoftware  ProviderType = 2 // VSS_PROV_SOFTWARE: every provider of this library
	ProviderTypeHardware  ProviderType = 3 // VSS_PROV_HARDWARE
	ProviderTypeFileShare ProviderType = 4 // VSS_PROV_FILESHARE
)

// String is the type's SDK name without its prefix ("SOFTWARE"), or "ProviderType(9)".
func (t ProviderType) String() string {
	switch t {
	case ProviderTypeUnknown:
		return "UNKNOWN"
	case ProviderTypeSystem:
		return "SYSTEM"
	case ProviderTypeSoftware:
		return "SOFTWARE"
	case ProviderTypeHardware:
		return "HARDWARE"
	case ProviderTypeFileShare:
		return "FILESHARE"
	}
	return fmt.Sprintf("ProviderType(%d)", int32(t))
}

// The ids of the built-in providers (VSS_PROVIDER_*_ID), read from the header.
var (
	// ProviderSimulatedID is every coordinator's default provider: device
	// names that open nothing.
	ProviderSimulatedID = providerID(0)
	// ProviderLiveID reads the volume folder itself.
	ProviderLiveID = providerID(1)
	// ProviderCopyID copies the volume folder's tree.
	ProviderCopyID = providerID(2)
	// ProviderBtrfsID makes read-only btrfs subvolume snapshots (Linux).
	ProviderBtrfsID = providerID(3)
	// ProviderReflinkID makes FICLONE copies (Linux).
	ProviderReflinkID = providerID(4)
	// ProviderFsfreezeID copies with the file system frozen (Linux).
	ProviderFsfreezeID = providerID(5)
)

func providerID(i int) GUID {
	var ids [C.VSSGO_PROVIDER_IDS]C.vss_guid
	C.vssgo_provider_ids(&ids[0])
	return guidOf(&ids[i])
}

// ProviderInfo describes a provider (vss_provider_info): what Providers lists,
// and what RegisterProvider registers.
type ProviderInfo struct {
	ID      GUID   // required: not all zero, no other registered provider's
	Name    string // required
	Type    ProviderType
	Version string // "" when registering: "1.0"
}

// Providers lists the coordinator's providers, its default first
// (vss_coordinator_provider_count, vss_coordinator_provider). c nil: the
// default coordinator.
func (c *Coordinator) Providers() ([]ProviderInfo, error) {
	unlock := c.rlock()
	defer unlock()
	coordinator, err := c.handle()
	if err != nil {
		return nil, err
	}
	return listProviders(coordinator)
}

func listProviders(coordinator *C.vss_coordinator) ([]ProviderInfo, error) {
	var count C.uint32_t
	if err := check(func() C.vss_hresult { return C.vss_coordinator_provider_count(coordinator, &count) }); err != nil {
		return nil, err
	}
	list := make([]ProviderInfo, 0, int(count))
	for i := C.uint32_t(0); i < count; i++ {
		var out C.vss_provider_info
		out.size = C.uint32_t(C.sizeof_vss_provider_info)
		err := check(func() C.vss_hresult { return C.vss_coordinator_provider(coordinator, i, &out) })
		info := ProviderInfo{
			ID: guidOf(&out.id), Name: goString(out.name), Type: ProviderType(out._type), Version: goString(out.version),
		}
		C.vss_provider_info_clear(&out)
		if err != nil {
			return nil, err
		}
		list = append(list, info)
	}
	return list, nil
}

// Provider is a snapshot provider written in Go: the steps of the SDK's
// IVssProviderCreateSnapshotSet. For one snapshot set the library calls, in
// this order, PrepareForSnapshot once per volume, EndPrepareSnapshots,
// PreCommitSnapshots, CommitSnapshots, PostCommitSnapshots,
// PreFinalCommitSnapshots, PostFinalCommitSnapshots, then SnapshotDevice once
// per snapshot, on one of its threads, between the writers' last OnFreeze and
// first OnThaw (the requester's DoSnapshotSet is pending meanwhile).
// Embed BaseProvider for every step but SnapshotDevice, which says where the
// snapshot is read (the snapshot properties' DeviceName).
//
// A step answers with its error:
//   - nil: done;
//   - an error carrying a failed HRESULT (an *Error in its chain: ErrProviderVeto,
//     VSS_E_UNEXPECTED_PROVIDER_ERROR.Err(), ...): the library gets that code;
//   - any other error, or a panic: VSS_E_UNEXPECTED_PROVIDER_ERROR, and
//     ProviderRegistration.LastStepError keeps the error.
//
// A failed step ends the set: AbortSnapshots is called and no snapshot is
// made. AbortSnapshots' and DeleteSnapshot's answers are not looked at.
//
// Steps must not register or unregister providers or close the coordinator
// (VSS_E_BAD_STATE: the library waits for the running step), nor call
// runtime.Goexit (t.FailNow, t.Fatal): the goroutine is a C thread's.
type Provider interface {
	// PrepareForSnapshot is called once per volume of the set.
	PrepareForSnapshot(snapshotSetID, snapshotID GUID, volume string) error
	EndPrepareSnapshots(snapshotSetID GUID) error
	PreCommitSnapshots(snapshotSetID GUID) error
	// CommitSnapshots makes the snapshots.
	CommitSnapshots(snapshotSetID GUID) error
	// PostCommitSnapshots gets the number of snapshots in the set.
	PostCommitSnapshots(snapshotSetID GUID, count int) error
	PreFinalCommitSnapshots(snapshotSetID GUID) error
	PostFinalCommitSnapshots(snapshotSetID GUID) error
	// AbortSnapshots is called after a failed step.
	AbortSnapshots(snapshotSetID GUID) error
	// SnapshotDevice is where the committed snapshot is read: at most 4,095
	// bytes of UTF-8 without NUL (else VSS_E_UNEXPECTED_PROVIDER_ERROR).
	SnapshotDevice(snapshotID GUID) (string, error)
	// DeleteSnapshot: the snapshot is deleted, released with its requester,
	// or was made by a commit that finished too late.
	DeleteSnapshot(snapshotID GUID) error
}

// VolumeChecker is what a Provider implements to say which volumes it can
// snapshot (AddToSnapshotSetWith asks it). nil: supported; an error with
// VSS_E_OBJECT_NOT_FOUND: no such volume; any other error:
// VSS_E_VOLUME_NOT_SUPPORTED. A provider without it takes volumes that are
// folders that exist (the library's own check).
type VolumeChecker interface {
	IsVolumeSupported(volume string) error
}

// BaseProvider answers every step but SnapshotDevice with nil; embed it in
// your provider.
type BaseProvider struct{}

func (BaseProvider) PrepareForSnapshot(GUID, GUID, string) error { return nil }
func (BaseProvider) EndPrepareSnapshots(GUID) error              { return nil }
func (BaseProvider) PreCommitSnapshots(GUID) error               { return nil }
func (BaseProvider) CommitSnapshots(GUID) error                  { return nil }
func (BaseProvider) PostCommitSnapshots(GUID, int) error         { return nil }
func (BaseProvider) PreFinalCommitSnapshots(GUID) error          { return nil }
func (BaseProvider) PostFinalCommitSnapshots(GUID) error         { return nil }
func (BaseProvider) AbortSnapshots(GUID) error                   { return nil }
func (BaseProvider) DeleteSnapshot(GUID) error                   { return nil }

// providerState is one registration: what the steps reach through their
// cgo.Handle, kept in registeredProviders until the library can call it no more.
type providerState struct {
	impl   Provider
	id     GUID
	handle cgo.Handle
	// owner is the Coordinator it was registered through (nil: the default
	// one). Reachable from the handle, it keeps that Coordinator from its
	// finalizer while the provider is registered; Close unregisters it.
	owner       *Coordinator
	coordinator *C.vss_coordinator // owner's handle (NULL: the default), live while registered

	mu      sync.Mutex
	lastErr *HandlerError
}

// drop frees the handle of a registration the library can call no more.
func (s *providerState) drop() {
	s.handle.Delete()
	if s.owner != nil {
		s.owner.ownedProviders.Add(-1)
	}
}

func (s *providerState) record(e *HandlerError) {
	s.mu.Lock()
	s.lastErr = e
	s.mu.Unlock()
}

// registeredProviders is the handle table: every registration of this
// process. Its lock is held across registering, unregistering and a
// Coordinator's Close, which steps may therefore not call (they get
// VSS_E_BAD_STATE instead of a deadlock).
var registeredProviders struct {
	mu     sync.Mutex
	states []*providerState
}

// inProviderStep is a VSS_E_BAD_STATE error when the calling thread runs a
// provider's step, else nil. The goroutine of a step is its C thread's, so
// the thread says which step is running.
func inProviderStep(what string) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if C.vssgo_provider_running() != 0 {
		return &Error{HResult: VSS_E_BAD_STATE, Name: VSS_E_BAD_STATE.Name(),
			Message: what + " inside a provider's step: the library would wait for that step"}
	}
	return nil
}

// listed says whether coordinator still has a provider with id; true when
// it cannot tell (a registration is kept rather than freed too early).
func listed(coordinator *C.vss_coordinator, id GUID) bool {
	list, err := listProviders(coordinator)
	if err != nil {
		return true
	}
	for _, p := range list {
		if p.ID == id {
			return true
		}
	}
	return false
}

// forget drops the registrations of id that the library no longer has: those
// made through `gone` (a coordinator that has just unregistered id, or NULL
// for none) and those whose coordinator lists id no more (unregistered through
// another Coordinator value of the same coordinator). Under registeredProviders.mu.
func forget(id GUID, gone *C.vss_coordinator, goneKnown bool) {
	kept := registeredProviders.states[:0]
	for _, s := range registeredProviders.states {
		if s.id == id && ((goneKnown && s.coordinator == gone) || !listed(s.coordinator, id)) {
			s.drop()
			continue
		}
		kept = append(kept, s)
	}
	for i := len(kept); i < len(registeredProviders.states); i++ {
		registeredProviders.states[i] = nil
	}
	registeredProviders.states = kept
}

// ProviderRegistration is a provider registered by RegisterProvider.
type ProviderRegistration struct{ state *providerState }

// ID is the provider's id.
func (r *ProviderRegistration) ID() GUID { return r.state.id }

// LastStepError is the last step failure that carried no HRESULT (an error
// without an *Error, or a panic) as a *HandlerError, or nil.
func (r *ProviderRegistration) LastStepError() error {
	r.state.mu.Lock()
	defer r.state.mu.Unlock()
	if r.state.lastErr == nil {
		return nil
	}
	return r.state.lastErr
}

// Unregister unregisters this registration through the Coordinator it was made
// with; VSS_E_PROVIDER_NOT_REGISTERED once it is no longer registered.
func (r *ProviderRegistration) Unregister() error {
	if err := inProviderStep("Unregister"); err != nil {
		return err
	}
	registeredProviders.mu.Lock()
	defer registeredProviders.mu.Unlock()
	for _, s := range registeredProviders.states {
		if s == r.state {
			return r.state.owner.unregisterLocked(r.state.id)
		}
	}
	return &Error{HResult: VSS_E_PROVIDER_NOT_REGISTERED, Name: VSS_E_PROVIDER_NOT_REGISTERED.Name(),
		Message: "the provider is no longer registered"}
}

// RegisterProvider plugs impl in (vss_coordinator_register_provider): a
// requester chooses it by info.ID with AddToSnapshotSetWith. c nil: the
// default coordinator. It stays registered, and impl and c reachable, until
// UnregisterProvider or c.Close; closing requesters and writers does not
// unregister it.
//
// E_INVALIDARG for a nil impl, an all-zero id, an empty name, a NUL in the
// name or version, or a Type other than ProviderTypeSoftware (or 0);
// VSS_E_PROVIDER_ALREADY_REGISTERED for an id in use; VSS_E_BAD_STATE inside
// a provider's step.
func (c *Coordinator) RegisterProvider(info ProviderInfo, impl Provider) (*ProviderRegistration, error) {
	invalid := func(why string) error {
		return &Error{HResult: E_INVALIDARG, Name: "E_INVALIDARG", Message: "RegisterProvider: " + why}
	}
	switch {
	case impl == nil:
		return nil, invalid("impl is nil")
	case info.Type != ProviderTypeUnknown && info.Type != ProviderTypeSoftware:
		return nil, invalid("only software providers plug in (Type " + info.Type.String() + ")")
	case strings.IndexByte(info.Name, 0) >= 0 || strings.IndexByte(info.Version, 0) >= 0:
		return nil, invalid("a NUL in the name or version")
	}
	if err := inProviderStep("RegisterProvider"); err != nil {
		return nil, err
	}
	registeredProviders.mu.Lock()
	defer registeredProviders.mu.Unlock()
	unlock := c.rlock()
	defer unlock()
	coordinator, err := c.handle()
	if err != nil {
		return nil, err
	}
	// A registration of this id that its coordinator no longer has is dropped
	// first: unregistered through another Coordinator value.
	forget(info.ID, nil, false)

	state := &providerState{impl: impl, id: info.ID, owner: c, coordinator: coordinator}
	state.handle = cgo.NewHandle(state)
	_, checksVolumes := impl.(VolumeChecker)
	id := info.ID.c()
	name := cString(info.Name)
	defer freeString(name)
	version := cString(info.Version)
	defer freeString(version)
	err = check(func() C.vss_hresult {
		return C.vssgo_provider_register(coordinator, &id, name, version, cBool(checksVolumes),
			C.uintptr_t(state.handle))
	})
	if err != nil {
		state.handle.Delete()
		return nil, err
	}
	registeredProviders.states = append(registeredProviders.states, state)
	if c != nil {
		c.ownedProviders.Add(1) // under c's read lock: a Close inside a step sees it
	}
	return &ProviderRegistration{state: state}, nil
}

// UnregisterProvider unplugs the provider with id (vss_coordinator_unregister_provider):
// it waits for a running step, and none runs after it returns. c nil: the
// default coordinator. VSS_E_PROVIDER_NOT_REGISTERED for an id no provider
// has, VSS_E_PROVIDER_IN_USE for the default provider, VSS_E_BAD_STATE inside
// a provider's step.
func (c *Coordinator) UnregisterProvider(id GUID) error {
	if err := inProviderStep("UnregisterProvider"); err != nil {
		return err
	}
	registeredProviders.mu.Lock()
	defer registeredProviders.mu.Unlock()
	return c.unregisterLocked(id)
}

// unregisterLocked is UnregisterProvider under registeredProviders.mu.
func (c *Coordinator) unregisterLocked(id GUID) error {
	unlock := c.rlock()
	defer unlock()
	coordinator, err := c.handle()
	if err != nil {
		return err
	}
	cid := id.c()
	hr, err := call(func() C.vss_hresult { return C.vss_coordinator_unregister_provider(coordinator, &cid) })
	if err == nil || hr == VSS_E_PROVIDER_NOT_REGISTERED {
		forget(id, coordinator, true)
	}
	return err
}

// closeProviders unregisters, before c's handle is released, the providers
// registered through c. The caller holds registeredProviders.mu.
func (c *Coordinator) closeProviders(coordinator *C.vss_coordinator) {
	kept := registeredProviders.states[:0]
	for _, s := range registeredProviders.states {
		if s.owner == c {
			id := s.id.c()
			C.vss_coordinator_unregister_provider(coordinator, &id) // NOT_REGISTERED if done elsewhere
			s.drop()
			continue
		}
		kept = append(kept, s)
	}
	for i := len(kept); i < len(registeredProviders.states); i++ {
		registeredProviders.states[i] = nil
	}
	registeredProviders.states = kept
}

var providerStepNames = [...]string{
	C.VSSGO_IS_VOLUME_SUPPORTED:         "IsVolumeSupported",
	C.VSSGO_PREPARE_FOR_SNAPSHOT:        "PrepareForSnapshot",
	C.VSSGO_END_PREPARE_SNAPSHOTS:       "EndPrepareSnapshots",
	C.VSSGO_PRE_COMMIT_SNAPSHOTS:        "PreCommitSnapshots",
	C.VSSGO_COMMIT_SNAPSHOTS:            "CommitSnapshots",
	C.VSSGO_POST_COMMIT_SNAPSHOTS:       "PostCommitSnapshots",
	C.VSSGO_PRE_FINAL_COMMIT_SNAPSHOTS:  "PreFinalCommitSnapshots",
	C.VSSGO_POST_FINAL_COMMIT_SNAPSHOTS: "PostFinalCommitSnapshots",
	C.VSSGO_ABORT_SNAPSHOTS:             "AbortSnapshots",
	C.VSSGO_SNAPSHOT_DEVICE:             "SnapshotDevice",
	C.VSSGO_DELETE_SNAPSHOT:             "DeleteSnapshot",
}

// hresultC is h as the C API's signed vss_hresult.
func hresultC(h HResult) C.vss_hresult { return C.vss_hresult(int32(h)) }

// vssgoProviderStep is every step of every Go provider, called by shim.c on
// a library thread. Nothing may unwind into C: a panic becomes
// VSS_E_UNEXPECTED_PROVIDER_ERROR.
//
//export vssgoProviderStep
func vssgoProviderStep(user C.uintptr_t, step C.int, set, snapshot *C.vss_guid, volume *C.char, count C.int32_t,
	buffer *C.char, size C.uint32_t) (result C.vss_hresult) {
	name := "step"
	if int(step) >= 0 && int(step) < len(providerStepNames) {
		name = providerStepNames[step]
	}
	var state *providerState
	returned := false
	defer func() {
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
		result = hresultC(VSS_E_UNEXPECTED_PROVIDER_ERROR)
	}()

	state = cgo.Handle(user).Value().(*providerState)
	var setID, snapshotID GUID
	if set != nil {
		setID = guidOf(set)
	}
	if snapshot != nil {
		snapshotID = guidOf(snapshot)
	}
	impl := state.impl
	var err error
	switch step {
	case C.VSSGO_IS_VOLUME_SUPPORTED:
		checker, ok := impl.(VolumeChecker)
		if !ok {
			err = errors.New("the provider has no IsVolumeSupported")
			break
		}
		err = checker.IsVolumeSupported(C.GoString(volume))
	case C.VSSGO_PREPARE_FOR_SNAPSHOT:
		err = impl.PrepareForSnapshot(setID, snapshotID, C.GoString(volume))
	case C.VSSGO_END_PREPARE_SNAPSHOTS:
		err = impl.EndPrepareSnapshots(setID)
	case C.VSSGO_PRE_COMMIT_SNAPSHOTS:
		err = impl.PreCommitSnapshots(setID)
	case C.VSSGO_COMMIT_SNAPSHOTS:
		err = impl.CommitSnapshots(setID)
	case C.VSSGO_POST_COMMIT_SNAPSHOTS:
		err = impl.PostCommitSnapshots(setID, int(count))
	case C.VSSGO_PRE_FINAL_COMMIT_SNAPSHOTS:
		err = impl.PreFinalCommitSnapshots(setID)
	case C.VSSGO_POST_FINAL_COMMIT_SNAPSHOTS:
		err = impl.PostFinalCommitSnapshots(setID)
	case C.VSSGO_ABORT_SNAPSHOTS:
		err = impl.AbortSnapshots(setID)
	case C.VSSGO_SNAPSHOT_DEVICE:
		var device string
		device, err = impl.SnapshotDevice(snapshotID)
		if err == nil {
			err = writeDevice(device, buffer, size)
		}
	case C.VSSGO_DELETE_SNAPSHOT:
		err = impl.DeleteSnapshot(snapshotID)
	default:
		err = fmt.Errorf("unknown provider step %d", int(step))
	}
	returned = true
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) && e.HResult.Failed() {
		return hresultC(e.HResult)
	}
	state.record(&HandlerError{Handler: name, Err: err})
	return hresultC(VSS_E_UNEXPECTED_PROVIDER_ERROR)
}

// writeDevice copies a device path and its NUL into the library's buffer.
func writeDevice(device string, buffer *C.char, size C.uint32_t) error {
	if strings.IndexByte(device, 0) >= 0 {
		return errors.New("the device path has a NUL byte")
	}
	if buffer == nil || uint64(len(device)) >= uint64(size) {
		return fmt.Errorf("the device path takes %d bytes; the library has room for %d", len(device), int64(size)-1)
	}
	out := unsafe.Slice((*byte)(unsafe.Pointer(buffer)), int(size))
	copy(out, device)
	out[len(device)] = 0
	return nil
}
