package vssapi

/*
#include <vssapi/vssapi.h>
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// CoordinatorOptions tune a new coordinator; zero fields take the library's defaults.
type CoordinatorOptions struct {
	Workers      uint32        // handler threads; 0: two per core, at least 4
	EventTimeout time.Duration // 0: 10 minutes
	CommitWindow time.Duration // 0: 10 seconds
	SessionLimit uint32        // 0: 64
	// Clock is the clock every timeout goes through (vss_clock_kind); the
	// zero value is the real clock.
	Clock Clock
	// VirtualClock makes time move only with AdvanceClock (for tests); it is
	// Clock: ClockManual and is ignored when Clock is set.
	VirtualClock bool
}

// Clock is the clock a coordinator's timeouts go through (vss_clock_kind).
type Clock int32

const (
	// ClockReal is steady real time (VSS_CLOCK_REAL).
	ClockReal Clock = 0
	// ClockManual is virtual time that moves only with AdvanceClock (VSS_CLOCK_MANUAL).
	ClockManual Clock = 1
	// ClockSimulated is virtual time that jumps to the next deadline once all
	// the library's work waits on it (VSS_CLOCK_SIMULATED): a 10-minute
	// timeout passes at once and every run gives the same times. AdvanceClock
	// returns VSS_E_BAD_STATE on it.
	ClockSimulated Clock = 2
)

// String is the clock's name ("simulated"), or "Clock(7)" for another value.
func (k Clock) String() string {
	switch k {
	case ClockReal:
		return "real"
	case ClockManual:
		return "manual"
	case ClockSimulated:
		return "simulated"
	}
	return fmt.Sprintf("Clock(%d)", int32(k))
}

// clock is the vss_clock_kind the options ask for.
func (o *CoordinatorOptions) clock() C.int32_t {
	if o.Clock == ClockReal && o.VirtualClock {
		return C.int32_t(ClockManual)
	}
	return C.int32_t(o.Clock)
}

// Coordinator is the embedded VSS service that writers and requesters talk
// through. A nil *Coordinator, passed to NewWriter or NewRequester, stands for
// the process's default coordinator.
type Coordinator struct {
	mu sync.RWMutex
	p  *C.vss_coordinator
	// ownedProviders counts the providers registered through this value
	// (changed under registeredProviders.mu, read by Close under mu).
	ownedProviders atomic.Int32
}

func newCoordinator(p *C.vss_coordinator) *Coordinator {
	c := &Coordinator{p: p}
	runtime.SetFinalizer(c, (*Coordinator).Close)
	return c
}

// DefaultCoordinator is a new reference to the process's default coordinator.
func DefaultCoordinator() (*Coordinator, error) {
	var p *C.vss_coordinator
	if err := check(func() C.vss_hresult { return C.vss_coordinator_default(&p) }); err != nil {
		return nil, err
	}
	return newCoordinator(p), nil
}

// NewCoordinator creates an isolated coordinator; options may be nil. A Clock
// that is not one of the Clock constants is E_INVALIDARG.
func NewCoordinator(options *CoordinatorOptions) (*Coordinator, error) {
	var opts *C.vss_coordinator_options
	if options != nil {
		opts = &C.vss_coordinator_options{
			size:             C.uint32_t(C.sizeof_vss_coordinator_options),
			workers:          C.uint32_t(options.Workers),
			event_timeout_ms: ms32(options.EventTimeout),
			commit_window_ms: ms32(options.CommitWindow),
			session_limit:    C.uint32_t(options.SessionLimit),
			virtual_clock:    options.clock(),
		}
	}
	var p *C.vss_coordinator
	if err := check(func() C.vss_hresult { return C.vss_coordinator_create(opts, &p) }); err != nil {
		return nil, err
	}
	return newCoordinator(p), nil
}

// AdvanceClock moves a virtual clock on by d; VSS_E_BAD_STATE for a real clock.
func (c *Coordinator) AdvanceClock(d time.Duration) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return check(func() C.vss_hresult {
		return C.vss_coordinator_advance_clock(c.p, C.uint64_t(ceilMilliseconds(d)))
	})
}

// Close drops this reference. Writers and requesters created with the
// coordinator keep it running; Close may be called more than once. It first
// unregisters the providers registered through this value (waiting for their
// running steps), so inside a provider's step it returns VSS_E_BAD_STATE if
// there are any, and closes nothing.
func (c *Coordinator) Close() error {
	if err := inProviderStep("Close"); err != nil {
		// Without taking registeredProviders.mu: its holder may wait for this step.
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.ownedProviders.Load() > 0 {
			return err
		}
		c.release()
		return nil
	}
	registeredProviders.mu.Lock()
	defer registeredProviders.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.p != nil {
		c.closeProviders(c.p)
	}
	c.release()
	return nil
}

// release releases the handle, once; the caller holds mu.
func (c *Coordinator) release() {
	if c.p != nil {
		C.vss_coordinator_release(c.p)
		c.p = nil
		runtime.SetFinalizer(c, nil)
	}
}

// handle is the C pointer for a possibly nil coordinator (NULL: the default);
// an error for a closed one. The caller holds the lock rlock took.
func (c *Coordinator) handle() (*C.vss_coordinator, error) {
	if c == nil {
		return nil, nil
	}
	if c.p == nil {
		return nil, closedError("Coordinator")
	}
	return c.p, nil
}

// rlock locks a possibly nil coordinator for reading and returns the unlock.
func (c *Coordinator) rlock() func() {
	if c == nil {
		return func() {}
	}
	c.mu.RLock()
	return c.mu.RUnlock
}

// ceilMilliseconds is d in whole milliseconds, rounded up so that a positive
// duration never becomes 0 (often "the default"); negative counts as 0.
func ceilMilliseconds(d time.Duration) uint64 {
	if d <= 0 {
		return 0
	}
	ms := uint64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++ // not d + 999999 ns first: that overflows near the largest Duration
	}
	return ms
}

// ms32 is ceilMilliseconds clamped to a uint32 field.
func ms32(d time.Duration) C.uint32_t {
	ms := ceilMilliseconds(d)
	if ms > math.MaxUint32 {
		ms = math.MaxUint32
	}
	return C.uint32_t(ms)
}
