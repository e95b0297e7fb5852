//! The retry helper (`vss_retry_run`, contract C-7.2): a backup run again, on
//! a fresh requester, while it fails with a retryable code.
use std::any::Any;
use std::os::raw::c_void;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::time::Duration;

use crate::sys::{self, SizedStruct};
use crate::writer::drop_payload;
use crate::{check, Coordinator, HResult, Requester, Result, RetryClass};

/// How often, and after how long, [`retry_run`] retries (`vss_retry_policy`).
/// The library refuses more than 100 retries or a wait over 24 hours with
/// `E_INVALIDARG`; waits are whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    /// Retries after a [`RetryClass::AfterWait`] failure (the writer and commit codes).
    pub max_retries: u32,
    /// The wait before each of them.
    pub wait: Duration,
    /// Retries after a [`RetryClass::ShortBackOff`] failure (`VSS_E_SNAPSHOT_SET_IN_PROGRESS`).
    pub in_progress_max_retries: u32,
    /// The wait before each of them.
    pub in_progress_wait: Duration,
}

impl RetryPolicy {
    /// The library's defaults (`vss_retry_policy_default`): 3 retries 10
    /// minutes apart (Microsoft's guidance) and 5 retries 30 s apart for
    /// `VSS_E_SNAPSHOT_SET_IN_PROGRESS`.
    pub fn library_default() -> Result<RetryPolicy> {
        let mut raw = sys::vss_retry_policy::sized();
        // SAFETY: a sized struct.
        check(unsafe { sys::vss_retry_policy_default(&mut raw) })?;
        Ok(RetryPolicy {
            max_retries: raw.max_retries,
            wait: Duration::from_millis(raw.wait_ms),
            in_progress_max_retries: raw.in_progress_max_retries,
            in_progress_wait: Duration::from_millis(raw.in_progress_wait_ms),
        })
    }

    fn to_raw(self) -> sys::vss_retry_policy {
        // Too long for u64 milliseconds is too long for the library as well.
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        let mut raw = sys::vss_retry_policy::sized();
        raw.max_retries = self.max_retries;
        raw.wait_ms = ms(self.wait);
        raw.in_progress_max_retries = self.in_progress_max_retries;
        raw.in_progress_wait_ms = ms(self.in_progress_wait);
        raw
    }
}

/// One attempt as the helper reports it (`vss_retry_attempt`), once its
/// outcome and the wait after it are known, before that wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryAttempt {
    /// 1 for the first attempt.
    pub number: u32,
    /// What the attempt returned.
    pub result: HResult,
    /// Of `result`.
    pub retry_class: RetryClass,
    /// The coordinator's clock when the attempt began and ended: on the real
    /// clock only differences mean something; a virtual one starts at 0.
    pub start: Duration,
    pub end: Duration,
    /// The wait before the next attempt; zero when none follows.
    pub wait: Duration,
}

/// Runs `attempt` (attempt 1, then more) until it succeeds, fails with a code
/// that is not retryable, or the policy's budget for its code is spent,
/// waiting the policy's wait on the coordinator's clock in between
/// (`vss_retry_run`). `policy` `None`: [`RetryPolicy::library_default`].
///
/// Every attempt gets a fresh [`Requester`] on `coordinator`, which the helper
/// releases right after the attempt returns (sending OnBackupShutdown). An
/// attempt returns `Err` with the code that made it fail: a step's failure,
/// or the `hr_failure_writer` of a writer it found failed in the writer status
/// (a writer's failure does not fail DoSnapshotSet). `report` sees every
/// attempt, the last included.
///
/// Everything runs on the calling thread, which blocks during the waits.
/// Returns `Ok` when the last attempt succeeded, else its code with the
/// library's message saying why the run stopped. A panic in `attempt` ends the
/// run (as a non-retryable `E_UNEXPECTED`) and is resumed once the helper has
/// returned; a panic in `report` is resumed then too.
pub fn retry_run<A, R>(
    coordinator: &Coordinator,
    policy: Option<&RetryPolicy>,
    mut attempt: A,
    mut report: R,
) -> Result<()>
where
    A: FnMut(&Requester, u32) -> Result<()>,
    R: FnMut(&RetryAttempt),
{
    let raw_policy = policy.map(|p| p.to_raw());
    let policy_ptr = raw_policy.as_ref().map_or(std::ptr::null(), |p| p as *const sys::vss_retry_policy);
    let mut context = Context { attempt: &mut attempt, report: &mut report, panic: None };
    // SAFETY: the policy and the context live through the call, which runs
    // the callbacks on this thread only; nothing else touches the context meanwhile.
    let hr = unsafe {
        sys::vss_retry_run(
            coordinator.as_raw(),
            policy_ptr,
            Some(attempt_trampoline),
            Some(report_trampoline),
            (&mut context as *mut Context<'_>).cast(),
        )
    };
    // Before anything else can overwrite this thread's last error message.
    let result = check(hr).map(drop);
    if let Some(payload) = context.panic.take() {
        resume_unwind(payload);
    }
    result
}

type AttemptFn<'a> = dyn FnMut(&Requester, u32) -> Result<()> + 'a;
type ReportFn<'a> = dyn FnMut(&RetryAttempt) + 'a;

struct Context<'a> {
    attempt: &'a mut AttemptFn<'a>,
    report: &'a mut ReportFn<'a>,
    /// The first panic of a callback, resumed after the helper returns.
    panic: Option<Box<dyn Any + Send>>,
}

impl Context<'_> {
    fn keep(&mut self, payload: Box<dyn Any + Send>) {
        if self.panic.is_none() {
            self.panic = Some(payload);
        } else {
            drop_payload(payload);
        }
    }
}

extern "system" fn attempt_trampoline(user: *mut c_void, requester: *mut sys::vss_requester, number: u32) -> i32 {
    // SAFETY: `user` is the Context of the retry_run that is running on this thread.
    let context = unsafe { &mut *(user as *mut Context<'_>) };
    let raw = match NonNull::new(requester) {
        Some(raw) if context.panic.is_none() => raw,
        Some(_) => return HResult::E_UNEXPECTED.0, // a panic ends the run: not retryable
        None => return HResult::E_POINTER.0,
    };
    // The helper owns and releases the requester: it is lent, never dropped.
    let requester = Requester::borrowed(raw);
    let outcome = catch_unwind(AssertUnwindSafe(|| (context.attempt)(&requester, number)));
    match outcome {
        Ok(Ok(())) => HResult::S_OK.0,
        Ok(Err(error)) if error.hresult().is_failure() => error.code(),
        // An Err must fail the attempt, whatever code it carries.
        Ok(Err(_)) => HResult::E_UNEXPECTED.0,
        Err(payload) => {
            context.keep(payload);
            HResult::E_UNEXPECTED.0
        }
    }
}

extern "system" fn report_trampoline(user: *mut c_void, attempt: *const sys::vss_retry_attempt) {
    // SAFETY: as in attempt_trampoline.
    let context = unsafe { &mut *(user as *mut Context<'_>) };
    if attempt.is_null() {
        return;
    }
    // Only the fields both sides' layouts hold: the library's struct may be
    // longer (a newer library) or, in principle, shorter.
    let mut raw = sys::vss_retry_attempt::default();
    // SAFETY: the library's struct is valid for its `size` bytes during the call.
    unsafe {
        let size = ((*attempt).size as usize).min(std::mem::size_of::<sys::vss_retry_attempt>());
        std::ptr::copy_nonoverlapping(
            attempt.cast::<u8>(),
            (&mut raw as *mut sys::vss_retry_attempt).cast::<u8>(),
            size,
        );
    }
    let record = RetryAttempt {
        number: raw.number,
        result: HResult(raw.result),
        retry_class: match raw.retry_class {
            sys::VSS_RETRY_AFTER_WAIT => RetryClass::AfterWait,
            sys::VSS_RETRY_SHORT_BACK_OFF => RetryClass::ShortBackOff,
            _ => RetryClass::No,
        },
        start: Duration::from_millis(raw.start_ms),
        end: Duration::from_millis(raw.end_ms),
        wait: Duration::from_millis(raw.wait_ms),
    };
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (context.report)(&record))) {
        context.keep(payload);
    }
}
