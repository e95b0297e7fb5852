//! Scenario files: mock writers declared in JSON (`vss_scenario`,
//! `abi/scenario.schema.json`).
use std::ffi::CString;
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::sys;
use crate::{c_string, check, Coordinator, Error, HResult, Result};

/// The mock writers of one scenario file, loaded into a coordinator: they
/// subscribe at once and take part in every backup of that coordinator, and
/// the file's provider behaviour applies, until the `Scenario` is dropped
/// (`vss_scenario_release` unsubscribes them and lets go of handlers that
/// never return).
///
/// A file that cannot be used loads nothing and fails with `E_INVALIDARG`;
/// [`Error::message`] then says `"file:line:column: what was expected"`
/// (`"<text>:line:column: ..."` for [`Scenario::load_text`]).
///
/// Like a [`Writer`](crate::Writer) or a [`Requester`](crate::Requester), a
/// scenario keeps its coordinator alive on the library's side, so the
/// [`Coordinator`] handle may be dropped first. The file's own `"service"`
/// settings (clock, timeouts) do not reconfigure an existing coordinator:
/// make one with [`ClockKind::SIMULATED`](crate::ClockKind::SIMULATED) in its
/// [`CoordinatorOptions`](crate::CoordinatorOptions) to let a scenario's
/// 10-minute timeouts pass at once.
#[derive(Debug)]
pub struct Scenario {
    raw: NonNull<sys::vss_scenario>,
}

// SAFETY: the loaded scenario is only held and released; the library's
// writers it owns run on the library's threads whatever thread releases it.
unsafe impl Send for Scenario {}
unsafe impl Sync for Scenario {}

impl Scenario {
    /// Loads the scenario file at `path` into `coordinator`
    /// (`vss_scenario_load`).
    pub fn load(coordinator: &Coordinator, path: impl AsRef<Path>) -> Result<Scenario> {
        let path = path_c_string(path.as_ref())?;
        let mut out = ptr::null_mut();
        // SAFETY: a live coordinator, a NUL-terminated path and a valid out pointer.
        check(unsafe { sys::vss_scenario_load(coordinator.as_raw(), path.as_ptr(), &mut out) })?;
        Self::from_out(out)
    }

    /// Loads a scenario from JSON text (`vss_scenario_load_text`); messages
    /// name it `"<text>"`.
    pub fn load_text(coordinator: &Coordinator, json: &str) -> Result<Scenario> {
        let json = c_string(json, "scenario text")?;
        let mut out = ptr::null_mut();
        // SAFETY: a live coordinator, a NUL-terminated string and a valid out pointer.
        check(unsafe { sys::vss_scenario_load_text(coordinator.as_raw(), json.as_ptr(), &mut out) })?;
        Self::from_out(out)
    }

    fn from_out(out: *mut sys::vss_scenario) -> Result<Scenario> {
        NonNull::new(out)
            .map(|raw| Scenario { raw })
            .ok_or_else(|| Error::new(HResult::E_UNEXPECTED, "the library returned a NULL scenario"))
    }

    /// The raw handle, still owned by `self`.
    pub fn as_raw(&self) -> *mut sys::vss_scenario {
        self.raw.as_ptr()
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        // SAFETY: we own the handle and release it once.
        unsafe { sys::vss_scenario_release(self.raw.as_ptr()) }
    }
}

/// The path as the C string the library opens: its bytes on Unix, UTF-8
/// elsewhere (the header's contract).
fn path_c_string(path: &Path) -> Result<CString> {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = match path.to_str() {
        Some(text) => text.as_bytes().to_vec(),
        None => return Err(Error::invalid_argument(format!("scenario path is not UTF-8: {}", path.display()))),
    };
    CString::new(bytes).map_err(|_| Error::invalid_argument("scenario path contains a NUL byte"))
}
