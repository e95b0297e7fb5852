package vssapi_test

// Providers through the Go binding, as tests/capi/provider_test.cpp checks
// them in C with tests/support/c_provider.c: the list, the choice by id, and a
// provider written in Go plugged in with RegisterProvider.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	vssapi "openvss.dev/openvss/bindings/go"
)

// goProviderID is the Go test provider's id (c_provider's, with 0x60 for Go).
var goProviderID = vssapi.MustParseGUID("{c0ffee60-0000-4000-8000-000000000001}")

// stepRecorder is a provider as c_provider.c is one: it notes every step,
// knows the volumes Z:\data and Z:\logs, and commits with commitErr.
type stepRecorder struct {
	vssapi.BaseProvider
	mu        sync.Mutex
	steps     []string
	commitErr error
	sets      []vssapi.GUID // the snapshot set ids of the steps
	snapshots []vssapi.GUID // PrepareForSnapshot's snapshot ids
	volumes   []string      // PrepareForSnapshot's volumes
	deleted   []vssapi.GUID
}

func (p *stepRecorder) note(step string, set vssapi.GUID) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.steps = append(p.steps, step)
	if !set.IsZero() {
		p.sets = append(p.sets, set)
	}
}

// taken returns the steps noted so far and forgets them.
func (p *stepRecorder) taken() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := strings.Join(p.steps, " ")
	p.steps, p.sets = nil, nil
	return s
}

func (p *stepRecorder) IsVolumeSupported(volume string) error {
	if volume == `Z:\data` || volume == `Z:\logs` {
		return nil
	}
	return vssapi.ErrObjectNotFound
}

func (p *stepRecorder) PrepareForSnapshot(set, snapshot vssapi.GUID, volume string) error {
	p.note("prepare", set)
	p.mu.Lock()
	p.snapshots = append(p.snapshots, snapshot)
	p.volumes = append(p.volumes, volume)
	p.mu.Unlock()
	return nil
}

func (p *stepRecorder) EndPrepareSnapshots(set vssapi.GUID) error {
	p.note("end_prepare_snapshots", set)
	return nil
}

func (p *stepRecorder) PreCommitSnapshots(set vssapi.GUID) error {
	p.note("pre_commit_snapshots", set)
	return nil
}

func (p *stepRecorder) CommitSnapshots(set vssapi.GUID) error {
	p.note("commit_snapshots", set)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.commitErr
}

func (p *stepRecorder) PostCommitSnapshots(set vssapi.GUID, count int) error {
	p.note(fmt.Sprintf("post_commit_snapshots(%d)", count), set)
	return nil
}

func (p *stepRecorder) PreFinalCommitSnapshots(set vssapi.GUID) error {
	p.note("pre_final_commit_snapshots", set)
	return nil
}

func (p *stepRecorder) PostFinalCommitSnapshots(set vssapi.GUID) error {
	p.note("post_final_commit_snapshots", set)
	return nil
}

func (p *stepRecorder) AbortSnapshots(set vssapi.GUID) error {
	p.note("abort_snapshots", set)
	return nil
}

func (p *stepRecorder) SnapshotDevice(snapshot vssapi.GUID) (string, error) {
	p.note("snapshot_device", vssapi.GUID{})
	return fmt.Sprintf(`Z:\snapshots\%08x`, snapshot.Data1), nil
}

func (p *stepRecorder) DeleteSnapshot(snapshot vssapi.GUID) error {
	p.note("delete_snapshot", vssapi.GUID{})
	p.mu.Lock()
	p.deleted = append(p.deleted, snapshot)
	p.mu.Unlock()
	return nil
}

// backedUp is what backUp saw.
type backedUp struct {
	set, snapshot vssapi.GUID
	props         vssapi.SnapshotProperties
}

// backUp backs volume up with provider and returns DoSnapshotSet's result;
// with it a requester closed at once (the provider deletes the snapshot).
func backUp(t *testing.T, c *vssapi.Coordinator, volume string, provider vssapi.GUID) (backedUp, error) {
	t.Helper()
	r, err := vssapi.NewRequester(c)
	must(t, err)
	defer r.Close()
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	var seen backedUp
	seen.set, err = r.StartSnapshotSet()
	must(t, err)
	seen.snapshot, err = r.AddToSnapshotSetWith(volume, provider)
	must(t, err)
	must(t, r.PrepareForBackup())
	done := r.DoSnapshotSet()
	props, err := r.SnapshotProperties(seen.snapshot)
	if done == nil {
		must(t, err)
		// A folder volume comes back with a separator at its end.
		if props.ProviderID != provider || strings.TrimRight(props.OriginalVolume, `/\`) != strings.TrimRight(volume, `/\`) ||
			props.SnapshotSetID != seen.set {
			t.Errorf("snapshot properties %+v: want provider %v, volume %q, set %v", props, provider, volume, seen.set)
		}
		seen.props = props
	} else if !errors.Is(err, vssapi.ErrObjectNotFound) {
		t.Errorf("after a failed DoSnapshotSet, SnapshotProperties = %+v, %v; want VSS_E_OBJECT_NOT_FOUND", props, err)
	}
	return seen, done
}

func registerProvider(t *testing.T, c *vssapi.Coordinator, info vssapi.ProviderInfo, p vssapi.Provider) *vssapi.ProviderRegistration {
	t.Helper()
	reg, err := c.RegisterProvider(info, p)
	if err != nil {
		t.Fatalf("RegisterProvider(%+v): %v", info, err)
	}
	t.Cleanup(func() { reg.Unregister() })
	return reg
}

func TestProviderIDsAreTheHeaders(t *testing.T) {
	for _, c := range []struct {
		name string
		got  vssapi.GUID
		want string
	}{
		{"simulated", vssapi.ProviderSimulatedID, "{b5946137-7b9f-4925-af80-51abd60b20d5}"},
		{"live", vssapi.ProviderLiveID, "{6f70656e-7673-4c69-7665-000000000001}"},
		{"copy", vssapi.ProviderCopyID, "{6f70656e-7673-436f-7079-000000000001}"},
		{"btrfs", vssapi.ProviderBtrfsID, "{6f70656e-7673-4274-7266-000000000001}"},
		{"reflink", vssapi.ProviderReflinkID, "{6f70656e-7673-5266-6c6b-000000000001}"},
		{"fsfreeze", vssapi.ProviderFsfreezeID, "{6f70656e-7673-4672-7a66-000000000001}"},
	} {
		if c.got != vssapi.MustParseGUID(c.want) {
			t.Errorf("the %s provider's id is %v, want %s", c.name, c.got, c.want)
		}
	}
}

func TestProvidersListsTheBuiltInOnesDefaultFirst(t *testing.T) {
	c := simulatedCoordinator(t)
	list, err := c.Providers()
	must(t, err)
	if len(list) == 0 || list[0].ID != vssapi.ProviderSimulatedID {
		t.Fatalf("Providers() = %+v: want the simulated provider first", list)
	}
	want := map[vssapi.GUID]bool{vssapi.ProviderSimulatedID: false, vssapi.ProviderLiveID: false, vssapi.ProviderCopyID: false}
	if runtime.GOOS == "linux" {
		want[vssapi.ProviderBtrfsID] = false
		want[vssapi.ProviderReflinkID] = false
		want[vssapi.ProviderFsfreezeID] = false
	}
	for _, p := range list {
		if p.Type != vssapi.ProviderTypeSoftware || p.Name == "" || p.Version == "" {
			t.Errorf("provider %+v: want a named, versioned software provider", p)
		}
		if _, ok := want[p.ID]; ok {
			want[p.ID] = true
		}
	}
	for id, found := range want {
		if !found {
			t.Errorf("provider %v is not listed in %+v", id, list)
		}
	}
	// nil: the default coordinator, which has providers too.
	if defaults, err := (*vssapi.Coordinator)(nil).Providers(); err != nil || len(defaults) == 0 {
		t.Errorf("nil.Providers() = %+v, %v", defaults, err)
	}
	if vssapi.ProviderTypeSoftware.String() != "SOFTWARE" || vssapi.ProviderType(9).String() != "ProviderType(9)" {
		t.Errorf("ProviderType names: %s, %s", vssapi.ProviderTypeSoftware, vssapi.ProviderType(9))
	}
}

func TestGoProviderGetsTheStepsInOrder(t *testing.T) {
	c := simulatedCoordinator(t)
	p := &stepRecorder{}
	info := vssapi.ProviderInfo{ID: goProviderID, Name: "Go test provider", Version: "2.1"}
	registerProvider(t, c, info, p)
	_, err := c.RegisterProvider(info, p)
	asError(t, err, vssapi.VSS_E_PROVIDER_ALREADY_REGISTERED)

	list, err := c.Providers()
	must(t, err)
	listed := false
	for _, l := range list {
		if l.ID == goProviderID {
			listed = true
			if l.Name != "Go test provider" || l.Version != "2.1" || l.Type != vssapi.ProviderTypeSoftware {
				t.Errorf("listed as %+v", l)
			}
		}
	}
	if !listed || list[0].ID != vssapi.ProviderSimulatedID {
		t.Errorf("Providers() = %+v: want the simulated provider first and the Go one listed", list)
	}

	seen, err := backUp(t, c, `Z:\data`, goProviderID)
	must(t, err)
	const all = "prepare end_prepare_snapshots pre_commit_snapshots commit_snapshots post_commit_snapshots(1) " +
		"pre_final_commit_snapshots post_final_commit_snapshots snapshot_device delete_snapshot"
	p.mu.Lock()
	sets, snapshots, volumes, deleted := p.sets, p.snapshots, p.volumes, p.deleted
	p.mu.Unlock()
	if got := p.taken(); got != all {
		t.Errorf("steps:\n got %s\nwant %s", got, all)
	}
	for _, set := range sets {
		if set != seen.set {
			t.Errorf("a step got snapshot set %v, want %v", set, seen.set)
		}
	}
	if len(snapshots) != 1 || snapshots[0] != seen.snapshot || volumes[0] != `Z:\data` {
		t.Errorf("PrepareForSnapshot got %v %q, want %v Z:\\data", snapshots, volumes, seen.snapshot)
	}
	if len(deleted) != 1 || deleted[0] != seen.snapshot {
		t.Errorf("DeleteSnapshot got %v, want %v", deleted, seen.snapshot)
	}
	if want := fmt.Sprintf(`Z:\snapshots\%08x`, seen.snapshot.Data1); seen.props.DeviceName != want {
		t.Errorf("DeviceName %q, want %q", seen.props.DeviceName, want)
	}

	// C-5.6: a veto ends the set; the provider is told to abort; nothing stays.
	p.mu.Lock()
	p.commitErr = vssapi.ErrProviderVeto
	p.mu.Unlock()
	_, err = backUp(t, c, `Z:\logs`, goProviderID)
	asError(t, err, vssapi.VSS_E_PROVIDER_VETO)
	if got, want := p.taken(), "prepare end_prepare_snapshots pre_commit_snapshots commit_snapshots abort_snapshots"; got != want {
		t.Errorf("steps of a vetoed set:\n got %s\nwant %s", got, want)
	}

	// C-5.4 through the provider's own answer; an unregistered id; the default.
	r := newRequester(t, c)
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	_, err = r.StartSnapshotSet()
	must(t, err)
	_, err = r.AddToSnapshotSetWith(`Z:\nothing`, goProviderID)
	asError(t, err, vssapi.VSS_E_OBJECT_NOT_FOUND)
	must(t, c.UnregisterProvider(goProviderID))
	_, err = r.AddToSnapshotSetWith(`Z:\data`, goProviderID)
	asError(t, err, vssapi.VSS_E_PROVIDER_NOT_REGISTERED)
	if _, err := r.AddToSnapshotSetWith(`C:\`, vssapi.GUID{}); err != nil {
		t.Errorf("AddToSnapshotSetWith(C:\\, the default) = %v", err)
	}
	asError(t, c.UnregisterProvider(goProviderID), vssapi.VSS_E_PROVIDER_NOT_REGISTERED)
	if got := p.taken(); got != "" {
		t.Errorf("steps after unregistering: %s", got)
	}
}

// failingProvider fails its steps as told: a panic or an error per step name.
type failingProvider struct {
	vssapi.BaseProvider
	mu      sync.Mutex
	fail    map[string]func() error
	aborted int
	device  string
}

func (p *failingProvider) run(step string) error {
	p.mu.Lock()
	f := p.fail[step]
	p.mu.Unlock()
	if f == nil {
		return nil
	}
	return f()
}

func (p *failingProvider) IsVolumeSupported(string) error       { return p.run("IsVolumeSupported") }
func (p *failingProvider) CommitSnapshots(vssapi.GUID) error    { return p.run("CommitSnapshots") }
func (p *failingProvider) PreCommitSnapshots(vssapi.GUID) error { return p.run("PreCommitSnapshots") }
func (p *failingProvider) AbortSnapshots(vssapi.GUID) error {
	p.mu.Lock()
	p.aborted++
	p.mu.Unlock()
	return nil
}
func (p *failingProvider) SnapshotDevice(vssapi.GUID) (string, error) {
	if err := p.run("SnapshotDevice"); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.device, nil
}

func (p *failingProvider) set(step string, f func() error) {
	p.mu.Lock()
	p.fail = map[string]func() error{step: f}
	p.mu.Unlock()
}

func TestProviderPanicsAndPlainErrorsAreUnexpectedProviderError(t *testing.T) {
	c := simulatedCoordinator(t)
	p := &failingProvider{device: "/dev/go-snapshot"}
	reg := registerProvider(t, c, vssapi.ProviderInfo{ID: goProviderID, Name: "Failing Go provider"}, p)
	if reg.ID() != goProviderID || reg.LastStepError() != nil {
		t.Fatalf("registration %v, last error %v", reg.ID(), reg.LastStepError())
	}
	seen, err := backUp(t, c, `Z:\data`, goProviderID)
	must(t, err)
	if seen.props.DeviceName != "/dev/go-snapshot" {
		t.Errorf("DeviceName %q", seen.props.DeviceName)
	}

	type boom struct{ why string }
	p.set("CommitSnapshots", func() error { panic(boom{"commit exploded"}) })
	_, err = backUp(t, c, `Z:\data`, goProviderID)
	asError(t, err, vssapi.VSS_E_UNEXPECTED_PROVIDER_ERROR)
	var he *vssapi.HandlerError
	if !errors.As(reg.LastStepError(), &he) || he.Handler != "CommitSnapshots" || he.Panic != (boom{"commit exploded"}) {
		t.Errorf("LastStepError = %#v", reg.LastStepError())
	}
	p.mu.Lock()
	aborted := p.aborted
	p.mu.Unlock()
	if aborted != 1 {
		t.Errorf("AbortSnapshots ran %d times after the panic, want 1", aborted)
	}

	plain := errors.New("the disk is on fire")
	p.set("PreCommitSnapshots", func() error { return plain })
	_, err = backUp(t, c, `Z:\data`, goProviderID)
	asError(t, err, vssapi.VSS_E_UNEXPECTED_PROVIDER_ERROR)
	if !errors.As(reg.LastStepError(), &he) || he.Handler != "PreCommitSnapshots" || he.Err != plain || he.Panic != nil {
		t.Errorf("LastStepError = %#v", reg.LastStepError())
	}

	// An HRESULT in the error's chain is the answer, wrapped or not; it is not kept.
	p.set("CommitSnapshots", func() error { return fmt.Errorf("busy: %w", vssapi.ErrProviderVeto) })
	_, err = backUp(t, c, `Z:\data`, goProviderID)
	asError(t, err, vssapi.VSS_E_PROVIDER_VETO)
	if !errors.As(reg.LastStepError(), &he) || he.Handler != "PreCommitSnapshots" {
		t.Errorf("a veto replaced the last step error: %v", reg.LastStepError())
	}

	// Device paths the library cannot take.
	for _, device := range []string{strings.Repeat("d", 4096), "/dev/with\x00nul"} {
		p.set("", nil)
		p.mu.Lock()
		p.device = device
		p.mu.Unlock()
		_, err = backUp(t, c, `Z:\data`, goProviderID)
		asError(t, err, vssapi.VSS_E_UNEXPECTED_PROVIDER_ERROR)
		if !errors.As(reg.LastStepError(), &he) || he.Handler != "SnapshotDevice" || he.Panic != nil {
			t.Errorf("device %.20q: LastStepError = %#v", device, reg.LastStepError())
		}
	}
	p.mu.Lock()
	p.device = strings.Repeat("d", 4095) // the longest that fits
	p.mu.Unlock()
	if seen, err = backUp(t, c, `Z:\data`, goProviderID); err != nil || len(seen.props.DeviceName) != 4095 {
		t.Errorf("a 4,095-byte device path: %v, %d bytes back", err, len(seen.props.DeviceName))
	}

	// IsVolumeSupported: a panic or a plain error is VSS_E_VOLUME_NOT_SUPPORTED to the requester.
	r := newRequester(t, c)
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	_, err = r.StartSnapshotSet()
	must(t, err)
	p.set("IsVolumeSupported", func() error { panic("no volumes today") })
	_, err = r.AddToSnapshotSetWith(`Z:\data`, goProviderID)
	asError(t, err, vssapi.VSS_E_VOLUME_NOT_SUPPORTED)
	if !errors.As(reg.LastStepError(), &he) || he.Handler != "IsVolumeSupported" || he.Panic != "no volumes today" {
		t.Errorf("LastStepError = %v", reg.LastStepError())
	}
	p.set("IsVolumeSupported", func() error { return vssapi.ErrObjectNotFound })
	_, err = r.AddToSnapshotSetWith(`Z:\data`, goProviderID)
	asError(t, err, vssapi.VSS_E_OBJECT_NOT_FOUND)
}

// folderProvider has no IsVolumeSupported: the library's check applies.
type folderProvider struct {
	vssapi.BaseProvider
	mu      sync.Mutex
	volumes []string
}

func (p *folderProvider) PrepareForSnapshot(_, _ vssapi.GUID, volume string) error {
	p.mu.Lock()
	p.volumes = append(p.volumes, volume)
	p.mu.Unlock()
	return nil
}

func (p *folderProvider) SnapshotDevice(vssapi.GUID) (string, error) { return "/dev/folder", nil }

func TestProviderWithoutVolumeCheckTakesFoldersThatExist(t *testing.T) {
	c := simulatedCoordinator(t)
	p := &folderProvider{}
	registerProvider(t, c, vssapi.ProviderInfo{ID: goProviderID, Name: "Folder provider", Type: vssapi.ProviderTypeSoftware}, p)
	dir := t.TempDir()
	r := newRequester(t, c)
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	_, err := r.StartSnapshotSet()
	must(t, err)
	_, err = r.AddToSnapshotSetWith(filepath.Join(dir, "missing"), goProviderID)
	asError(t, err, vssapi.VSS_E_OBJECT_NOT_FOUND)
	file := filepath.Join(dir, "file")
	must(t, os.WriteFile(file, nil, 0o600))
	_, err = r.AddToSnapshotSetWith(file, goProviderID)
	asError(t, err, vssapi.VSS_E_OBJECT_NOT_FOUND) // a file is no folder
	_, err = r.AddToSnapshotSetWith(dir, goProviderID)
	must(t, err)
	must(t, r.PrepareForBackup())
	must(t, r.DoSnapshotSet())
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.volumes) != 1 {
		t.Errorf("PrepareForSnapshot got %q, want the one folder", p.volumes)
	}
}

func TestProviderRegistrationRefusesBadInfoAndChangesNothing(t *testing.T) {
	c := simulatedCoordinator(t)
	before, err := c.Providers()
	must(t, err)
	good := vssapi.ProviderInfo{ID: goProviderID, Name: "Go test provider"}
	for _, bad := range []struct {
		what string
		info vssapi.ProviderInfo
		impl vssapi.Provider
		want vssapi.HResult
	}{
		{"nil impl", good, nil, vssapi.E_INVALIDARG},
		{"zero id", vssapi.ProviderInfo{Name: "x"}, &stepRecorder{}, vssapi.E_INVALIDARG},
		{"no name", vssapi.ProviderInfo{ID: goProviderID}, &stepRecorder{}, vssapi.E_INVALIDARG},
		{"NUL in the name", vssapi.ProviderInfo{ID: goProviderID, Name: "a\x00b"}, &stepRecorder{}, vssapi.E_INVALIDARG},
		{"NUL in the version", vssapi.ProviderInfo{ID: goProviderID, Name: "a", Version: "1\x00"}, &stepRecorder{}, vssapi.E_INVALIDARG},
		{"a hardware provider", vssapi.ProviderInfo{ID: goProviderID, Name: "a", Type: vssapi.ProviderTypeHardware}, &stepRecorder{}, vssapi.E_INVALIDARG},
		{"the simulated provider's id", vssapi.ProviderInfo{ID: vssapi.ProviderSimulatedID, Name: "a"}, &stepRecorder{}, vssapi.VSS_E_PROVIDER_ALREADY_REGISTERED},
	} {
		reg, err := c.RegisterProvider(bad.info, bad.impl)
		if reg != nil || !errors.Is(err, bad.want.Err()) {
			t.Errorf("%s: RegisterProvider = %v, %v; want %s", bad.what, reg, err, bad.want)
		}
	}
	after, err := c.Providers()
	must(t, err)
	if len(after) != len(before) {
		t.Errorf("%d providers before, %d after", len(before), len(after))
	}
	asError(t, c.UnregisterProvider(vssapi.ProviderSimulatedID), vssapi.VSS_E_PROVIDER_IN_USE)
	asError(t, c.UnregisterProvider(goProviderID), vssapi.VSS_E_PROVIDER_NOT_REGISTERED)

	closed := newCoordinator(t, nil)
	must(t, closed.Close())
	_, err = closed.RegisterProvider(good, &stepRecorder{})
	asError(t, err, vssapi.E_INVALIDARG)
	asError(t, closed.UnregisterProvider(goProviderID), vssapi.E_INVALIDARG)
	_, err = closed.Providers()
	asError(t, err, vssapi.E_INVALIDARG)
}

// reentrantProvider calls the registration functions from its own commit.
type reentrantProvider struct {
	vssapi.BaseProvider
	c    *vssapi.Coordinator
	mu   sync.Mutex
	errs []error
}

func (p *reentrantProvider) CommitSnapshots(vssapi.GUID) error {
	_, registerErr := p.c.RegisterProvider(vssapi.ProviderInfo{ID: vssapi.NewGUID(), Name: "inner"}, &stepRecorder{})
	errs := []error{p.c.UnregisterProvider(goProviderID), registerErr, p.c.Close()}
	p.mu.Lock()
	p.errs = errs
	p.mu.Unlock()
	return nil
}

func (p *reentrantProvider) SnapshotDevice(vssapi.GUID) (string, error) { return "/dev/reentrant", nil }

func TestRegistrationInsideAStepIsBadState(t *testing.T) {
	c := simulatedCoordinator(t)
	p := &reentrantProvider{c: c}
	registerProvider(t, c, vssapi.ProviderInfo{ID: goProviderID, Name: "Reentrant"}, p)
	// A deadlock here ends in the test binary's timeout (go test -timeout).
	_, err := backUp(t, c, t.TempDir(), goProviderID)
	must(t, err)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.errs) != 3 {
		t.Fatalf("CommitSnapshots did not run (errors %v)", p.errs)
	}
	for i, what := range []string{"UnregisterProvider", "RegisterProvider", "Close"} {
		if e := asError(t, p.errs[i], vssapi.VSS_E_BAD_STATE); !strings.Contains(e.Message, what) {
			t.Errorf("%s inside a step: %q", what, e.Message)
		}
	}
	if list, err := c.Providers(); err != nil || len(list) < 2 || list[len(list)-1].ID != goProviderID {
		t.Errorf("the coordinator was closed or changed by its provider's step: %+v, %v", list, err)
	}
}

// A provider registered through one Coordinator value and unregistered through
// another of the same coordinator is forgotten by both.
func TestUnregisteringThroughAnotherCoordinatorValue(t *testing.T) {
	d1, err := vssapi.DefaultCoordinator()
	must(t, err)
	defer d1.Close()
	d2, err := vssapi.DefaultCoordinator()
	must(t, err)
	defer d2.Close()
	reg, err := d1.RegisterProvider(vssapi.ProviderInfo{ID: goProviderID, Name: "Default's Go provider"}, &stepRecorder{})
	must(t, err)
	must(t, d2.UnregisterProvider(goProviderID))
	// reg's entry went with the library's registration: the binding answers
	// without asking the library.
	if e := asError(t, reg.Unregister(), vssapi.VSS_E_PROVIDER_NOT_REGISTERED); e.Message != "the provider is no longer registered" {
		t.Errorf("reg.Unregister() reached the library: %q", e.Message)
	}
	// Registered again through nil (the default coordinator), it is d1's no more:
	// closing d1 leaves it registered.
	again, err := (*vssapi.Coordinator)(nil).RegisterProvider(vssapi.ProviderInfo{ID: goProviderID, Name: "again"}, &stepRecorder{})
	must(t, err)
	must(t, d1.Close())
	list, err := d2.Providers()
	must(t, err)
	found := false
	for _, p := range list {
		found = found || p.ID == goProviderID
	}
	if !found {
		t.Errorf("closing d1 unregistered a provider registered through nil: %+v", list)
	}
	must(t, again.Unregister())
	asError(t, d2.UnregisterProvider(goProviderID), vssapi.VSS_E_PROVIDER_NOT_REGISTERED)
}

// counted is a provider whose collection is observed (not zero-sized, not
// tiny: finalizers run for it).
type counted struct {
	vssapi.BaseProvider
	label string
	_     [32]byte
}

func (*counted) SnapshotDevice(vssapi.GUID) (string, error) { return "/dev/counted", nil }

func newCounted(label string) (*counted, <-chan struct{}) {
	collected := make(chan struct{}, 1)
	p := &counted{label: label}
	runtime.SetFinalizer(p, func(*counted) { collected <- struct{}{} })
	return p, collected
}

// waitCollected runs the collector until collected fires, or fails after 10 s.
func waitCollected(t *testing.T, collected <-chan struct{}, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		select {
		case <-collected:
			return
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s was never collected", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// registerAndDrop registers a provider on a new coordinator and keeps neither
// the Coordinator nor the registration: only a requester, which keeps the
// library's coordinator running but not the Go value.
func registerAndDrop(t *testing.T) (*vssapi.Requester, <-chan struct{}) {
	c, err := vssapi.NewCoordinator(&vssapi.CoordinatorOptions{Clock: vssapi.ClockSimulated})
	must(t, err)
	p, collected := newCounted("dropped")
	_, err = c.RegisterProvider(vssapi.ProviderInfo{ID: goProviderID, Name: "kept"}, p)
	must(t, err)
	r, err := vssapi.NewRequester(c)
	must(t, err)
	return r, collected
}

func addWith(t *testing.T, r *vssapi.Requester, volume string, provider vssapi.GUID) error {
	t.Helper()
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	_, err := r.StartSnapshotSet()
	must(t, err)
	_, err = r.AddToSnapshotSetWith(volume, provider)
	return err
}

// While registered, a provider keeps its Coordinator from the finalizer (which
// would unregister it). The provider stays registered in that coordinator,
// which the test cannot reach any more, for the rest of the run.
func TestRegisteredProviderKeepsItsCoordinatorFromTheFinalizer(t *testing.T) {
	r, collected := registerAndDrop(t)
	defer r.Close()
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-collected:
		t.Fatal("a registered provider was collected")
	default:
	}
	must(t, addWith(t, r, t.TempDir(), goProviderID)) // still registered
}

// Close unregisters the providers registered through the Coordinator and lets them go.
func TestCloseUnregistersTheCoordinatorsProviders(t *testing.T) {
	c := simulatedCoordinator(t)
	p, collected := newCounted("closed")
	_, err := c.RegisterProvider(vssapi.ProviderInfo{ID: goProviderID, Name: "closed"}, p)
	must(t, err)
	p = nil
	r := newRequester(t, c) // keeps the library's coordinator running
	must(t, c.Close())
	asError(t, addWith(t, r, t.TempDir(), goProviderID), vssapi.VSS_E_PROVIDER_NOT_REGISTERED)
	waitCollected(t, collected, "the provider of a closed Coordinator")
}

// UnregisterProvider lets the provider go.
func TestUnregisteredProviderIsCollected(t *testing.T) {
	c := simulatedCoordinator(t)
	p, collected := newCounted("unregistered")
	_, err := c.RegisterProvider(vssapi.ProviderInfo{ID: goProviderID, Name: "unregistered"}, p)
	must(t, err)
	p = nil
	must(t, c.UnregisterProvider(goProviderID))
	waitCollected(t, collected, "an unregistered provider")
}
