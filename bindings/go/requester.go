package vssapi

/*
#include <stdlib.h>
#include <vssapi/vssapi.h>
*/
import "C"

import (
	"runtime"
	"sync"
	"time"
)

// Requester is one backup session (IVssBackupComponents). Close it before
// the writers; closing sends OnBackupShutdown to them.
type Requester struct {
	mu sync.RWMutex
	p  *C.vss_requester
	// borrowed: the retry helper's requester for one attempt, released by the
	// helper; Close only lets go of it.
	borrowed bool
}

// NewRequester starts a session on c (nil: the default coordinator).
func NewRequester(c *Coordinator) (*Requester, error) {
	unlock := c.rlock()
	defer unlock()
	coordinator, err := c.handle()
	if err != nil {
		return nil, err
	}
	var p *C.vss_requester
	if err := check(func() C.vss_hresult { return C.vss_requester_create(coordinator, &p) }); err != nil {
		return nil, err
	}
	r := &Requester{p: p}
	runtime.SetFinalizer(r, (*Requester).Close)
	return r, nil
}

// Close ends the session (the writers get OnBackupShutdown). It may be called
// more than once.
func (r *Requester) Close() error {
	r.mu.Lock()
	p := r.p
	r.p = nil
	r.mu.Unlock()
	if p != nil && !r.borrowed {
		C.vss_requester_release(p)
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// with runs f with the C requester under the read lock, or fails if closed.
func (r *Requester) with(f func(p *C.vss_requester) C.vss_hresult) (HResult, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.p == nil {
		return E_INVALIDARG, closedError("Requester")
	}
	return call(func() C.vss_hresult { return f(r.p) })
}

func (r *Requester) do(f func(p *C.vss_requester) C.vss_hresult) error {
	_, err := r.with(f)
	return err
}

// SessionID is the id of this backup session.
func (r *Requester) SessionID() (GUID, error) {
	var id C.vss_guid
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_session_id(p, &id) })
	return guidOf(&id), err
}

// InitializeForBackup starts a backup (IVssBackupComponents::InitializeForBackup).
func (r *Requester) InitializeForBackup() error {
	return r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_initialize_for_backup(p) })
}

// SetContext sets the snapshot context.
func (r *Requester) SetContext(ctx Context) error {
	return r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_set_context(p, C.int32_t(ctx)) })
}

// SetBackupState says how the backup selects and what it is.
func (r *Requester) SetBackupState(selectComponents, bootableSystemState bool, backupType BackupType,
	partialFileSupport bool) error {
	return r.do(func(p *C.vss_requester) C.vss_hresult {
		return C.vss_requester_set_backup_state(p, cBool(selectComponents), cBool(bootableSystemState),
			C.int32_t(backupType), cBool(partialFileSupport))
	})
}

// Run runs one step and blocks until it ends: nil when it finished, else its
// failure (ErrCancelled when it was cancelled).
func (r *Requester) Run(step Step) error {
	hr, err := r.with(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_run(p, C.vss_step(step)) })
	if err == nil && hr == VSS_S_ASYNC_CANCELLED {
		return stepError(step, hr)
	}
	return err
}

// Start starts one step and returns at once; see Async.
func (r *Requester) Start(step Step) (*Async, error) {
	var a *C.vss_async
	if err := r.do(func(p *C.vss_requester) C.vss_hresult {
		return C.vss_requester_start(p, C.vss_step(step), &a)
	}); err != nil {
		if a != nil {
			C.vss_async_release(a)
		}
		return nil, err
	}
	return newAsync(a, step), nil
}

// SaveDocument is SaveAsXML: the Backup Components Document, from PrepareForBackup's end on.
func (r *Requester) SaveDocument() (string, error) {
	var out *C.char
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_save_document(p, &out) })
	return takeString(out), err
}

// InitializeForRestore starts a restore from a document SaveDocument gave.
func (r *Requester) InitializeForRestore(xml string) error {
	x := C.CString(xml)
	defer freeString(x)
	return r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_initialize_for_restore(p, x) })
}

// ResumeBackup is InitializeForBackup with a saved document.
func (r *Requester) ResumeBackup(xml string) error {
	x := C.CString(xml)
	defer freeString(x)
	return r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_resume_backup(p, x) })
}

// SetRestoreState is SetRestoreState.
func (r *Requester) SetRestoreState(t RestoreType) error {
	return r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_set_restore_state(p, C.int32_t(t)) })
}

func (r *Requester) component(classID GUID, logicalPath, name string,
	f func(p *C.vss_requester, class *C.vss_guid, lp, n *C.char) C.vss_hresult) error {
	class := classID.c()
	lp, n := cString(logicalPath), C.CString(name)
	defer freeString(lp)
	defer freeString(n)
	return r.do(func(p *C.vss_requester) C.vss_hresult { return f(p, &class, lp, n) })
}

// SelectForRestore is SetSelectedForRestore on a component of the document.
func (r *Requester) SelectForRestore(classID GUID, t ComponentType, logicalPath, name string, selected bool) error {
	return r.component(classID, logicalPath, name, func(p *C.vss_requester, class *C.vss_guid, lp, n *C.char) C.vss_hresult {
		return C.vss_requester_select_for_restore(p, class, C.int32_t(t), lp, n, cBool(selected))
	})
}

// SetRestoreOptions is SetRestoreOptions on a component of the document.
func (r *Requester) SetRestoreOptions(classID GUID, t ComponentType, logicalPath, name, options string) error {
	o := C.CString(options)
	defer freeString(o)
	return r.component(classID, logicalPath, name, func(p *C.vss_requester, class *C.vss_guid, lp, n *C.char) C.vss_hresult {
		return C.vss_requester_set_restore_options(p, class, C.int32_t(t), lp, n, o)
	})
}

// SetFileRestoreStatus is SetFileRestoreStatus, between PreRestore and PostRestore.
func (r *Requester) SetFileRestoreStatus(classID GUID, t ComponentType, logicalPath, name string, status FileRestoreStatus) error {
	return r.component(classID, logicalPath, name, func(p *C.vss_requester, class *C.vss_guid, lp, n *C.char) C.vss_hresult {
		return C.vss_requester_set_file_restore_status(p, class, C.int32_t(t), lp, n, C.int32_t(status))
	})
}

// PreRestore is Run(StepPreRestore).
func (r *Requester) PreRestore() error { return r.Run(StepPreRestore) }

// PostRestore is Run(StepPostRestore).
func (r *Requester) PostRestore() error { return r.Run(StepPostRestore) }

// GatherWriterMetadata is Run(StepGatherWriterMetadata).
func (r *Requester) GatherWriterMetadata() error { return r.Run(StepGatherWriterMetadata) }

// PrepareForBackup is Run(StepPrepareForBackup).
func (r *Requester) PrepareForBackup() error { return r.Run(StepPrepareForBackup) }

// DoSnapshotSet is Run(StepDoSnapshotSet).
func (r *Requester) DoSnapshotSet() error { return r.Run(StepDoSnapshotSet) }

// BackupComplete is Run(StepBackupComplete).
func (r *Requester) BackupComplete() error { return r.Run(StepBackupComplete) }

// GatherWriterStatus is Run(StepGatherWriterStatus).
func (r *Requester) GatherWriterStatus() error { return r.Run(StepGatherWriterStatus) }

// WriterIdentity is a writer as its metadata describes it.
type WriterIdentity struct {
	InstanceID     GUID
	ClassID        GUID
	Name           string
	InstanceName   string
	Usage          UsageType
	Source         SourceType
	ComponentCount int
}

// ComponentInfo is a component a writer declared.
type ComponentInfo struct {
	Type          ComponentType
	LogicalPath   string
	Name          string
	Caption       string
	Selectable    bool
	FileCount     int
	DatabaseCount int
	LogCount      int
}

// WriterMetadata is a writer's identity and its components.
type WriterMetadata struct {
	WriterIdentity
	Components []ComponentInfo
}

// WriterCount is the number of writers that answered GatherWriterMetadata.
func (r *Requester) WriterCount() (int, error) {
	var n C.uint32_t
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_writer_count(p, &n) })
	return int(n), err
}

// WriterIdentity is writer i's identity, after GatherWriterMetadata.
func (r *Requester) WriterIdentity(i int) (WriterIdentity, error) {
	var out C.vss_writer_identity
	out.size = C.uint32_t(C.sizeof_vss_writer_identity)
	err := r.do(func(p *C.vss_requester) C.vss_hresult {
		return C.vss_requester_writer_identity(p, C.uint32_t(i), &out)
	})
	defer C.vss_writer_identity_clear(&out)
	if err != nil {
		return WriterIdentity{}, err
	}
	return WriterIdentity{
		InstanceID:     guidOf(&out.instance_id),
		ClassID:        guidOf(&out.class_id),
		Name:           goString(out.name),
		InstanceName:   goString(out.instance_name),
		Usage:          UsageType(out.usage),
		Source:         SourceType(out.source),
		ComponentCount: int(out.component_count),
	}, nil
}

// WriterComponent is component c of writer w, after GatherWriterMetadata.
func (r *Requester) WriterComponent(w, c int) (ComponentInfo, error) {
	var out C.vss_component_info
	out.size = C.uint32_t(C.sizeof_vss_component_info)
	err := r.do(func(p *C.vss_requester) C.vss_hresult {
		return C.vss_requester_writer_component(p, C.uint32_t(w), C.uint32_t(c), &out)
	})
	defer C.vss_component_info_clear(&out)
	if err != nil {
		return ComponentInfo{}, err
	}
	return ComponentInfo{
		Type:          ComponentType(out._type),
		LogicalPath:   goString(out.logical_path),
		Name:          goString(out.name),
		Caption:       goString(out.caption),
		Selectable:    out.selectable != 0,
		FileCount:     int(out.file_count),
		DatabaseCount: int(out.database_count),
		LogCount:      int(out.log_count),
	}, nil
}

// WriterMetadata lists every writer with its components, after GatherWriterMetadata.
func (r *Requester) WriterMetadata() ([]WriterMetadata, error) {
	n, err := r.WriterCount()
	if err != nil {
		return nil, err
	}
	list := make([]WriterMetadata, 0, n)
	for w := 0; w < n; w++ {
		id, err := r.WriterIdentity(w)
		if err != nil {
			return list, err
		}
		md := WriterMetadata{WriterIdentity: id, Components: make([]ComponentInfo, 0, id.ComponentCount)}
		for c := 0; c < id.ComponentCount; c++ {
			info, err := r.WriterComponent(w, c)
			if err != nil {
				return list, err
			}
			md.Components = append(md.Components, info)
		}
		list = append(list, md)
	}
	return list, nil
}

// AddComponent selects one component for the backup; logicalPath may be "".
func (r *Requester) AddComponent(instanceID, classID GUID, t ComponentType, logicalPath, name string) error {
	instance, class := instanceID.c(), classID.c()
	lp, n := cString(logicalPath), C.CString(name) // a name is required: "" stays ""
	defer freeString(lp)
	defer freeString(n)
	return r.do(func(p *C.vss_requester) C.vss_hresult {
		return C.vss_requester_add_component(p, &instance, &class, C.int32_t(t), lp, n)
	})
}

// AddAllComponents selects every component every writer declared.
func (r *Requester) AddAllComponents() error {
	return r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_add_all_components(p) })
}

// StartSnapshotSet starts a snapshot set and returns its id.
func (r *Requester) StartSnapshotSet() (GUID, error) {
	var id C.vss_guid
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_start_snapshot_set(p, &id) })
	return guidOf(&id), err
}

// AddToSnapshotSet adds a volume ("C:\\") and returns the snapshot's id.
func (r *Requester) AddToSnapshotSet(volume string) (GUID, error) {
	var id C.vss_guid
	v := C.CString(volume)
	defer freeString(v)
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_add_to_snapshot_set(p, v, &id) })
	return guidOf(&id), err
}

// AddToSnapshotSetWith adds a volume to be snapshotted by the provider with
// providerID (a zero GUID: the coordinator's default) and returns the
// snapshot's id. VSS_E_PROVIDER_NOT_REGISTERED for an id no provider has,
// VSS_E_OBJECT_NOT_FOUND for a volume that does not exist,
// VSS_E_VOLUME_NOT_SUPPORTED for one the provider cannot snapshot.
func (r *Requester) AddToSnapshotSetWith(volume string, providerID GUID) (GUID, error) {
	var id C.vss_guid
	v := C.CString(volume)
	defer freeString(v)
	provider := providerID.c()
	err := r.do(func(p *C.vss_requester) C.vss_hresult {
		return C.vss_requester_add_to_snapshot_set_with(p, v, &provider, &id)
	})
	return guidOf(&id), err
}

// Abort aborts the backup (IVssBackupComponents::AbortBackup).
func (r *Requester) Abort() error {
	return r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_abort(p) })
}

// WriterStatus is one row of GatherWriterStatus, with the Ex fields.
type WriterStatus struct {
	InstanceID      GUID
	ClassID         GUID
	Name            string
	State           WriterState
	HrFailureWriter HResult // the writer's VSS_E_WRITERERROR_* code, S_OK if none
	HrApplication   HResult // the application's own code
	Message         string  // the application's message, "" if none
}

// Failed reports whether the writer reported a failure.
func (s WriterStatus) Failed() bool { return s.HrFailureWriter != S_OK || s.State.Failed() }

// StatusCount is the number of status rows, after GatherWriterStatus.
func (r *Requester) StatusCount() (int, error) {
	var n C.uint32_t
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_status_count(p, &n) })
	return int(n), err
}

// Status is status row i, after GatherWriterStatus.
func (r *Requester) Status(i int) (WriterStatus, error) {
	var out C.vss_writer_status
	out.size = C.uint32_t(C.sizeof_vss_writer_status)
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_status(p, C.uint32_t(i), &out) })
	defer C.vss_writer_status_clear(&out)
	if err != nil {
		return WriterStatus{}, err
	}
	return WriterStatus{
		InstanceID:      guidOf(&out.instance_id),
		ClassID:         guidOf(&out.class_id),
		Name:            goString(out.name),
		State:           WriterState(out.state),
		HrFailureWriter: HResult(out.hr_failure_writer),
		HrApplication:   HResult(out.hr_application),
		Message:         goString(out.message),
	}, nil
}

// WriterStatuses lists every status row, after GatherWriterStatus.
func (r *Requester) WriterStatuses() ([]WriterStatus, error) {
	n, err := r.StatusCount()
	if err != nil {
		return nil, err
	}
	list := make([]WriterStatus, 0, n)
	for i := 0; i < n; i++ {
		s, err := r.Status(i)
		if err != nil {
			return list, err
		}
		list = append(list, s)
	}
	return list, nil
}

// ComponentFailure is a selected component and the failure its writer set on it.
type ComponentFailure struct {
	InstanceID    GUID
	ClassID       GUID
	LogicalPath   string
	Name          string
	Hr            HResult // S_OK: the component did not fail
	HrApplication HResult
	Message       string
}

// Failed reports whether the component failed.
func (f ComponentFailure) Failed() bool { return f.Hr != S_OK }

// ComponentCount counts every selected component of every writer.
func (r *Requester) ComponentCount() (int, error) {
	var n C.uint32_t
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_component_count(p, &n) })
	return int(n), err
}

// ComponentFailure is selected component i, in ComponentCount's order.
func (r *Requester) ComponentFailure(i int) (ComponentFailure, error) {
	var out C.vss_component_failure
	out.size = C.uint32_t(C.sizeof_vss_component_failure)
	err := r.do(func(p *C.vss_requester) C.vss_hresult {
		return C.vss_requester_component_failure(p, C.uint32_t(i), &out)
	})
	defer C.vss_component_failure_clear(&out)
	if err != nil {
		return ComponentFailure{}, err
	}
	return ComponentFailure{
		InstanceID:    guidOf(&out.instance_id),
		ClassID:       guidOf(&out.class_id),
		LogicalPath:   goString(out.logical_path),
		Name:          goString(out.name),
		Hr:            HResult(out.hr),
		HrApplication: HResult(out.hr_application),
		Message:       goString(out.message),
	}, nil
}

// ComponentFailures lists every selected component with its failure.
func (r *Requester) ComponentFailures() ([]ComponentFailure, error) {
	n, err := r.ComponentCount()
	if err != nil {
		return nil, err
	}
	list := make([]ComponentFailure, 0, n)
	for i := 0; i < n; i++ {
		f, err := r.ComponentFailure(i)
		if err != nil {
			return list, err
		}
		list = append(list, f)
	}
	return list, nil
}

// SnapshotProperties describe one snapshot (VSS_SNAPSHOT_PROP).
type SnapshotProperties struct {
	SnapshotID     GUID
	SnapshotSetID  GUID
	ProviderID     GUID
	SnapshotsInSet int
	OriginalVolume string
	DeviceName     string
	Attributes     int32 // VSS_VOLSNAP_ATTR_* bits
	CreationTime   time.Time
	// CreationFileTime is CreationTime as the library gave it: 100 ns units since 1601.
	CreationFileTime int64
}

// fileTimeEpoch is 1601-01-01 in 100 ns units before the Unix epoch.
const fileTimeEpoch = 116444736000000000

// SnapshotProperties describes a snapshot of the set, after DoSnapshotSet.
func (r *Requester) SnapshotProperties(snapshotID GUID) (SnapshotProperties, error) {
	id := snapshotID.c()
	var out C.vss_snapshot_props
	out.size = C.uint32_t(C.sizeof_vss_snapshot_props)
	err := r.do(func(p *C.vss_requester) C.vss_hresult { return C.vss_requester_snapshot_props(p, &id, &out) })
	defer C.vss_snapshot_props_clear(&out)
	if err != nil {
		return SnapshotProperties{}, err
	}
	props := SnapshotProperties{
		SnapshotID:       guidOf(&out.snapshot_id),
		SnapshotSetID:    guidOf(&out.snapshot_set_id),
		ProviderID:       guidOf(&out.provider_id),
		SnapshotsInSet:   int(out.snapshots_in_set),
		OriginalVolume:   goString(out.original_volume),
		DeviceName:       goString(out.device_name),
		Attributes:       int32(out.attributes),
		CreationFileTime: int64(out.creation_time),
	}
	if props.CreationFileTime != 0 {
		props.CreationTime = time.Unix(0, (props.CreationFileTime-fileTimeEpoch)*100)
	}
	return props, nil
}
