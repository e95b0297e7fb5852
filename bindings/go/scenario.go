package vssapi

/*
#include <stdlib.h>
#include <vssapi/vssapi.h>
*/
import "C"

import (
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// Scenario is the mock writers of a scenario file (its format:
// scenario.schema.json, installed in <datadir>/openvss) loaded into a
// coordinator: they subscribe at once and take part in every backup of that
// coordinator, and the file's provider behaviour applies, until Close. Load
// one with LoadScenario or LoadScenarioText.
//
// A scenario's timeouts are the coordinator's: on a coordinator made with
// CoordinatorOptions{Clock: ClockSimulated} a writer that never answers is
// marked VSS_E_WRITER_NOT_RESPONDING at once instead of after 10 minutes.
type Scenario struct {
	mu          sync.Mutex
	p           *C.vss_scenario
	coordinator *Coordinator // kept reachable (and so open) until the scenario is released
}

// LoadScenario loads the scenario file at path (UTF-8 JSON) into c (nil: the
// default coordinator). A file that cannot be used loads nothing and returns an
// *Error with E_INVALIDARG whose Message says "file:line:column: what was
// expected".
func LoadScenario(c *Coordinator, path string) (*Scenario, error) {
	return loadScenario(c, "path", path, func(coordinator *C.vss_coordinator, s *C.char, out **C.vss_scenario) C.vss_hresult {
		return C.vss_scenario_load(coordinator, s, out)
	})
}

// LoadScenarioText is LoadScenario from JSON text; error messages name it
// "<text>" ("<text>:1:40: writers[0].class_id: expected a GUID ...").
func LoadScenarioText(c *Coordinator, text string) (*Scenario, error) {
	return loadScenario(c, "text", text, func(coordinator *C.vss_coordinator, s *C.char, out **C.vss_scenario) C.vss_hresult {
		return C.vss_scenario_load_text(coordinator, s, out)
	})
}

func loadScenario(c *Coordinator, what, arg string,
	load func(*C.vss_coordinator, *C.char, **C.vss_scenario) C.vss_hresult) (*Scenario, error) {
	if strings.IndexByte(arg, 0) >= 0 { // C would see only the part before it
		return nil, &Error{HResult: E_INVALIDARG, Name: "E_INVALIDARG", Message: "the scenario " + what + " contains a NUL byte"}
	}
	unlock := c.rlock()
	defer unlock()
	coordinator, err := c.handle()
	if err != nil {
		return nil, err
	}
	s := C.CString(arg) // not cString: "" is text to parse (and fail on), not NULL
	defer C.free(unsafe.Pointer(s))
	var p *C.vss_scenario
	if err := check(func() C.vss_hresult { return load(coordinator, s, &p) }); err != nil {
		return nil, err
	}
	scenario := &Scenario{p: p, coordinator: c}
	runtime.SetFinalizer(scenario, (*Scenario).Close)
	return scenario, nil
}

// Close unsubscribes the scenario's mock writers (a handler that never returns
// is let go) and restores the provider. It may be called more than once.
func (s *Scenario) Close() error {
	s.mu.Lock()
	p, c := s.p, s.coordinator
	s.p, s.coordinator = nil, nil
	s.mu.Unlock()
	if p != nil {
		C.vss_scenario_release(p)
		runtime.SetFinalizer(s, nil)
	}
	// The coordinator may be released (by its own Close or finalizer) only now.
	runtime.KeepAlive(c)
	return nil
}
