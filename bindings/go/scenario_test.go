package vssapi_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	vssapi "openvss.dev/openvss/bindings/go"
)

// Copies of scenario files of the repository's examples/scenarios, so that
// the package tests anywhere (an installed check copies it out of the tree);
// TestScenarioCopiesMatchTheExamples keeps them equal to the originals.
var scenarioExamples = filepath.Join("testdata", "scenarios")

// simulatedCoordinator is a coordinator on the simulated clock: the examples'
// timeouts (600 s) pass at once.
func simulatedCoordinator(t *testing.T) *vssapi.Coordinator {
	t.Helper()
	return newCoordinator(t, &vssapi.CoordinatorOptions{Clock: vssapi.ClockSimulated})
}

// loadScenario loads an example into c, closed when the test ends (after the
// requesters created later).
func loadScenario(t *testing.T, c *vssapi.Coordinator, name string) *vssapi.Scenario {
	t.Helper()
	s, err := vssapi.LoadScenario(c, filepath.Join(scenarioExamples, name))
	if err != nil {
		t.Fatalf("LoadScenario(%s): %v", name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func statusNamed(t *testing.T, r *vssapi.Requester, name string) vssapi.WriterStatus {
	t.Helper()
	must(t, r.GatherWriterStatus())
	statuses, err := r.WriterStatuses()
	must(t, err)
	for _, s := range statuses {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no status row for %q in %+v", name, statuses)
	return vssapi.WriterStatus{}
}

func TestScenarioPartialFailureReportsTheWriterAndItsComponent(t *testing.T) {
	c := simulatedCoordinator(t)
	loadScenario(t, c, "partial-failure.json")
	r := newRequester(t, c)
	must(t, backupThroughSnapshot(t, r, true))

	mail := statusNamed(t, r, "Mail Store Writer")
	if mail.State != vssapi.WriterStateFailedAtPostSnapshot ||
		mail.HrFailureWriter != vssapi.VSS_E_WRITERERROR_PARTIAL_FAILURE ||
		mail.Message != "1 of 2 mailbox databases failed" {
		t.Errorf("Mail Store Writer status = %+v", mail)
	}
	failures, err := r.ComponentFailures()
	must(t, err)
	var failed []vssapi.ComponentFailure
	for _, f := range failures {
		if f.Failed() {
			failed = append(failed, f)
		}
	}
	if len(failed) != 1 {
		t.Fatalf("failed components = %+v, want only Mail\\Mailbox B", failed)
	}
	if f := failed[0]; f.LogicalPath != "Mail" || f.Name != "Mailbox B" ||
		f.Hr != vssapi.VSS_E_WRITERERROR_NONRETRYABLE || f.HrApplication != 0x80040115 {
		t.Errorf("Mailbox B = %+v", f)
	}
}

func TestScenarioHungWriterTimesOutOnTheSimulatedClockAtOnce(t *testing.T) {
	c := simulatedCoordinator(t)
	loadScenario(t, c, "hung-writer.json")
	r := newRequester(t, c)
	started := time.Now()
	must(t, backupThroughSnapshot(t, r, false))
	hung := statusNamed(t, r, "Search Index Writer")
	if hung.HrFailureWriter != vssapi.VSS_E_WRITER_NOT_RESPONDING {
		t.Errorf("Search Index Writer status = %+v, want VSS_E_WRITER_NOT_RESPONDING", hung)
	}
	if elapsed := time.Since(started); elapsed > time.Minute { // not the 600 s event timeout
		t.Errorf("the backup took %v of real time", elapsed)
	}
}

func TestBadScenarioFailsWithItsPositionAndLoadsNothing(t *testing.T) {
	c := simulatedCoordinator(t)
	s, err := vssapi.LoadScenarioText(c, `{"writers": [{"name": "W", "class_id": 42}]}`)
	if s != nil {
		t.Errorf("LoadScenarioText returned a scenario with %v", err)
	}
	e := asError(t, err, vssapi.E_INVALIDARG)
	if !errors.Is(err, vssapi.ErrInvalidArg) ||
		!strings.Contains(e.Message, "<text>:1:") || !strings.Contains(e.Message, "writers[0].class_id") ||
		!strings.Contains(err.Error(), e.Message) {
		t.Errorf("error = %v (message %q)", err, e.Message)
	}
	t.Log(err)

	r := newRequester(t, c)
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	must(t, r.GatherWriterStatus())
	if statuses, err := r.WriterStatuses(); err != nil || len(statuses) != 0 {
		t.Errorf("WriterStatuses = %+v, %v; want none", statuses, err)
	}
}

func TestScenarioMisuseIsAnError(t *testing.T) {
	c := simulatedCoordinator(t)

	// A missing file: E_INVALIDARG naming the file.
	missing := filepath.Join(t.TempDir(), "missing.json")
	_, err := vssapi.LoadScenario(c, missing)
	if e := asError(t, err, vssapi.E_INVALIDARG); !strings.Contains(e.Message, "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	// A NUL byte would cut the string short in C.
	for _, load := range []func(*vssapi.Coordinator, string) (*vssapi.Scenario, error){
		vssapi.LoadScenario, vssapi.LoadScenarioText,
	} {
		if _, err := load(c, "{}\x00junk"); !errors.Is(err, vssapi.ErrInvalidArg) || !strings.Contains(err.Error(), "NUL") {
			t.Errorf("a NUL byte: %v", err)
		}
	}
	// Close is idempotent, and the writers are gone after it.
	s := loadScenario(t, c, "hung-writer.json")
	writers := func() int { return answeringWriters(t, c) }
	if n := writers(); n != 2 {
		t.Errorf("%d writers answer with the scenario loaded, want 2", n)
	}
	must(t, s.Close())
	must(t, s.Close())
	if n := writers(); n != 0 {
		t.Errorf("%d writers answer after Close, want 0", n)
	}
	// A closed coordinator cannot take a scenario.
	closed, err := vssapi.NewCoordinator(&vssapi.CoordinatorOptions{Clock: vssapi.ClockSimulated})
	must(t, err)
	must(t, closed.Close())
	if _, err := vssapi.LoadScenarioText(closed, "{}"); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("LoadScenarioText on a closed coordinator = %v", err)
	}
}

// A scenario nobody closes is released by its finalizer once unreachable.
func TestForgottenScenarioIsReleased(t *testing.T) {
	c := simulatedCoordinator(t)
	writers := func() int { return answeringWriters(t, c) }
	func() {
		_, err := vssapi.LoadScenario(c, filepath.Join(scenarioExamples, "partial-failure.json"))
		must(t, err)
		if n := writers(); n == 0 {
			t.Fatal("the scenario's writers do not answer")
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		if writers() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the forgotten scenario's writers still answer")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCoordinatorClockOptions(t *testing.T) {
	if vssapi.ClockSimulated.String() != "simulated" || vssapi.Clock(7).String() != "Clock(7)" {
		t.Errorf("Clock names: %v %v", vssapi.ClockSimulated, vssapi.Clock(7))
	}
	// The simulated clock moves by itself: AdvanceClock is for the manual one.
	sim := simulatedCoordinator(t)
	if err := sim.AdvanceClock(time.Second); !errors.Is(err, vssapi.ErrBadState) {
		t.Errorf("AdvanceClock on the simulated clock = %v, want VSS_E_BAD_STATE", err)
	}
	manual := newCoordinator(t, &vssapi.CoordinatorOptions{Clock: vssapi.ClockManual})
	must(t, manual.AdvanceClock(time.Second))
	legacy := newCoordinator(t, &vssapi.CoordinatorOptions{VirtualClock: true}) // = ClockManual
	must(t, legacy.AdvanceClock(time.Second))
	if _, err := vssapi.NewCoordinator(&vssapi.CoordinatorOptions{Clock: 7}); !errors.Is(err, vssapi.ErrInvalidArg) {
		t.Errorf("Clock(7) = %v, want E_INVALIDARG", err)
	}
}

// How many writers of c answer a new requester's GatherWriterMetadata.
func answeringWriters(t *testing.T, c *vssapi.Coordinator) int {
	t.Helper()
	r, err := vssapi.NewRequester(c)
	must(t, err)
	defer r.Close()
	must(t, r.InitializeForBackup())
	must(t, r.GatherWriterMetadata())
	n, err := r.WriterCount()
	must(t, err)
	return n
}

// The copies in testdata/scenarios are the repository's examples, byte for
// byte. The Meson test names the examples' folder in VSSAPI_EXAMPLE_SCENARIOS;
// outside the source tree (installed_check.sh) there is nothing to compare.
func TestScenarioCopiesMatchTheExamples(t *testing.T) {
	originals := os.Getenv("VSSAPI_EXAMPLE_SCENARIOS")
	if originals == "" {
		t.Skip("VSSAPI_EXAMPLE_SCENARIOS is not set")
	}
	copies, err := filepath.Glob(filepath.Join(scenarioExamples, "*.json"))
	must(t, err)
	if len(copies) == 0 {
		t.Fatalf("no scenario copies in %s", scenarioExamples)
	}
	for _, copied := range copies {
		want, err := os.ReadFile(filepath.Join(originals, filepath.Base(copied)))
		if err != nil {
			t.Errorf("%s has no original: %v", copied, err)
			continue
		}
		got, err := os.ReadFile(copied)
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: copy it again", copied, filepath.Join(originals, filepath.Base(copied)))
		}
	}
}
