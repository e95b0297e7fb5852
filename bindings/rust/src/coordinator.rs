//! The embedded VSS service: `vss_coordinator`.
use std::ptr::{self, NonNull};
use std::time::Duration;

use crate::sys::{self, SizedStruct};
use crate::{check, ClockKind, Error, Result};

/// Settings of an isolated coordinator; `None`/`false` keeps the library's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoordinatorOptions {
    /// Handler threads (default: two per core, at least 4).
    pub workers: Option<u32>,
    /// How long a writer may take for one event (default 600 s).
    pub event_timeout: Option<Duration>,
    /// The commit window between freeze and thaw (default 10 s).
    pub commit_window: Option<Duration>,
    /// Concurrent sessions (default 64).
    pub session_limit: Option<u32>,
    /// The clock every timeout goes through: [`ClockKind::REAL`] (the
    /// default), [`ClockKind::MANUAL`] (moves only with
    /// [`Coordinator::advance_clock`]) or [`ClockKind::SIMULATED`] (jumps to
    /// the next deadline once all the library's work waits on it, so a
    /// 10-minute timeout passes at once).
    pub clock: ClockKind,
}

fn millis(value: Option<Duration>, what: &str) -> Result<u32> {
    match value {
        None => Ok(0),
        Some(d) => match u32::try_from(d.as_millis()) {
            Ok(0) => Err(Error::invalid_argument(format!("{what} must be at least 1 ms"))),
            Ok(ms) => Ok(ms),
            Err(_) => Err(Error::invalid_argument(format!("{what} does not fit in 32-bit milliseconds"))),
        },
    }
}

/// A coordinator handle: the process's default one, or an isolated one with
/// its own writers, sessions and threads. Released on drop; writers and
/// requesters created from it keep what they need alive.
#[derive(Debug)]
pub struct Coordinator {
    raw: NonNull<sys::vss_coordinator>,
}

// SAFETY: the handle is a shared_ptr to a thread-safe service; the library
// may be called with it from any thread.
unsafe impl Send for Coordinator {}
unsafe impl Sync for Coordinator {}

impl Coordinator {
    /// A new, isolated coordinator with the default settings.
    pub fn new() -> Result<Coordinator> {
        Self::create(ptr::null())
    }

    /// A new, isolated coordinator.
    pub fn with_options(options: &CoordinatorOptions) -> Result<Coordinator> {
        let mut raw = sys::vss_coordinator_options::sized();
        raw.workers = options.workers.unwrap_or(0);
        raw.event_timeout_ms = millis(options.event_timeout, "event_timeout")?;
        raw.commit_window_ms = millis(options.commit_window, "commit_window")?;
        raw.session_limit = options.session_limit.unwrap_or(0);
        raw.virtual_clock = options.clock.0;
        Self::create(&raw)
    }

    fn create(options: *const sys::vss_coordinator_options) -> Result<Coordinator> {
        let mut out = ptr::null_mut();
        // SAFETY: options is NULL or a sized struct; out is a valid pointer.
        check(unsafe { sys::vss_coordinator_create(options, &mut out) })?;
        Self::from_out(out)
    }

    /// The process's default coordinator (what a NULL coordinator means in C).
    pub fn process_default() -> Result<Coordinator> {
        let mut out = ptr::null_mut();
        // SAFETY: out is a valid pointer.
        check(unsafe { sys::vss_coordinator_default(&mut out) })?;
        Self::from_out(out)
    }

    fn from_out(out: *mut sys::vss_coordinator) -> Result<Coordinator> {
        NonNull::new(out)
            .map(|raw| Coordinator { raw })
            .ok_or_else(|| Error::new(crate::HResult::E_UNEXPECTED, "the library returned a NULL coordinator"))
    }

    /// Moves a virtual clock on (`VSS_E_BAD_STATE` for a real one).
    pub fn advance_clock(&self, by: Duration) -> Result<()> {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        // SAFETY: a live handle.
        check(unsafe { sys::vss_coordinator_advance_clock(self.raw.as_ptr(), ms) })?;
        Ok(())
    }

    /// The raw handle, still owned by `self`.
    pub fn as_raw(&self) -> *mut sys::vss_coordinator {
        self.raw.as_ptr()
    }
}

impl Drop for Coordinator {
    fn drop(&mut self) {
        // SAFETY: we own this reference and drop it once.
        unsafe { sys::vss_coordinator_release(self.raw.as_ptr()) }
    }
}
