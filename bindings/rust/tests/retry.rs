//! The retry helper (`vss_retry_run`, C-7.2) through the crate, as
//! tests/capi/retry_test.cpp checks it in C: the defaults, a writer's
//! RETRYABLE failure retried after the policy's wait on a fresh requester,
//! the IN_PROGRESS budget, a code that is not retried, a refused policy, and
//! a panicking attempt.
mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::writer;
use vssapi::{
    retry_run, BackupType, ClockKind, Coordinator, CoordinatorOptions, Error, Guid, HResult, HandlerResult, Requester,
    Result, RetryAttempt, RetryClass, RetryPolicy, WriterContext, WriterHandler,
};

fn simulated() -> Coordinator {
    // The helper's waits pass at once on the simulated clock, and still show in the reports.
    Coordinator::with_options(&CoordinatorOptions { clock: ClockKind::SIMULATED, ..Default::default() }).unwrap()
}

/// Fails its first OnFreeze with VSS_E_WRITERERROR_RETRYABLE.
#[derive(Default)]
struct BusyOnce {
    freezes: AtomicU32,
}

impl WriterHandler for BusyOnce {
    fn on_freeze(&self, writer: &WriterContext<'_>) -> HandlerResult {
        if self.freezes.fetch_add(1, Ordering::SeqCst) == 0 {
            writer.set_failure_ex(HResult::VSS_E_WRITERERROR_RETRYABLE, HResult::S_OK, Some("busy, try later"))?;
            return Ok(false);
        }
        Ok(true)
    }
}

/// A whole backup, as a requester writes its attempt: a failed writer in the
/// status makes the attempt fail with that writer's code.
fn backup(requester: &Requester) -> Result<()> {
    requester.initialize_for_backup()?;
    requester.set_backup_state(true, false, BackupType::FULL, false)?;
    requester.gather_writer_metadata()?;
    requester.start_snapshot_set()?;
    requester.add_to_snapshot_set("C:\\")?;
    requester.prepare_for_backup()?;
    requester.do_snapshot_set()?;
    requester.gather_writer_status()?;
    if let Some(failed) = requester.writer_statuses()?.into_iter().find(|s| s.is_failed()) {
        return Err(Error::new(failed.hr_failure_writer, format!("{} failed", failed.name)));
    }
    requester.backup_complete()
}

#[test]
fn the_library_default_policy() {
    assert_eq!(
        RetryPolicy::library_default().unwrap(),
        RetryPolicy {
            max_retries: 3,
            wait: Duration::from_secs(600),
            in_progress_max_retries: 5,
            in_progress_wait: Duration::from_secs(30),
        }
    );
}

#[test]
fn a_retryable_writer_failure_is_retried_after_the_wait_with_a_fresh_requester() {
    let coordinator = simulated();
    let handler = Arc::new(BusyOnce::default());
    let _writer = writer(&coordinator, "Busy Writer", handler.clone());
    let mut sessions: Vec<Guid> = Vec::new();
    let mut numbers = Vec::new();
    let mut reports: Vec<RetryAttempt> = Vec::new();
    retry_run(
        &coordinator,
        None,
        |requester, number| {
            numbers.push(number);
            sessions.push(requester.session_id()?);
            backup(requester)
        },
        |attempt| reports.push(*attempt),
    )
    .unwrap();

    assert_eq!(numbers, [1, 2]);
    assert_eq!(handler.freezes.load(Ordering::SeqCst), 2);
    assert_ne!(sessions[0], sessions[1], "every attempt gets a fresh requester");
    assert_eq!(reports.len(), 2, "{reports:#?}");
    assert_eq!(reports[0].number, 1);
    assert_eq!(reports[0].result, HResult::VSS_E_WRITERERROR_RETRYABLE);
    assert_eq!(reports[0].retry_class, RetryClass::AfterWait);
    assert_eq!(reports[0].wait, Duration::from_secs(600), "the default policy's wait");
    assert_eq!(reports[1].number, 2);
    assert_eq!(reports[1].result, HResult::S_OK);
    assert_eq!(reports[1].retry_class, RetryClass::No);
    assert_eq!(reports[1].wait, Duration::ZERO);
    // The wait went through the coordinator's (simulated) clock.
    assert!(reports[0].start <= reports[0].end, "{reports:#?}");
    assert!(reports[1].start >= reports[0].end + Duration::from_secs(600), "{reports:#?}");
}

#[test]
fn in_progress_has_its_own_budget_and_the_run_says_why_it_stopped() {
    let coordinator = simulated();
    let policy = RetryPolicy {
        max_retries: 0,
        wait: Duration::ZERO,
        in_progress_max_retries: 2,
        in_progress_wait: Duration::from_millis(1500),
    };
    let mut reports = Vec::new();
    let error = retry_run(
        &coordinator,
        Some(&policy),
        |_, _| Err(Error::new(HResult::VSS_E_SNAPSHOT_SET_IN_PROGRESS, "another set")),
        |attempt| reports.push(*attempt),
    )
    .unwrap_err();
    assert_eq!(error.hresult(), HResult::VSS_E_SNAPSHOT_SET_IN_PROGRESS);
    assert!(error.message().contains("in_progress_max_retries 2"), "{error}");
    let numbers: Vec<u32> = reports.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    let waits: Vec<Duration> = reports.iter().map(|r| r.wait).collect();
    assert_eq!(waits, [Duration::from_millis(1500), Duration::from_millis(1500), Duration::ZERO]);
    assert!(reports.iter().all(|r| r.retry_class == RetryClass::ShortBackOff));
}

#[test]
fn a_code_that_is_not_retryable_ends_the_run_at_once() {
    let coordinator = simulated();
    let mut attempts = 0;
    let error = retry_run(
        &coordinator,
        None,
        |_, _| {
            attempts += 1;
            Err(Error::new(HResult::E_ACCESSDENIED, "no"))
        },
        |_| {},
    )
    .unwrap_err();
    assert_eq!(attempts, 1);
    assert_eq!(error.hresult(), HResult::E_ACCESSDENIED);
    assert!(error.message().contains("not retryable"), "{error}");

    // An Err carrying a success code still fails the attempt.
    let error = retry_run(&coordinator, None, |_, _| Err(Error::new(HResult::S_FALSE, "odd")), |_| {}).unwrap_err();
    assert_eq!(error.hresult(), HResult::E_UNEXPECTED);
}

#[test]
fn a_policy_beyond_the_limits_is_refused_before_any_attempt() {
    let coordinator = simulated();
    let defaults = RetryPolicy::library_default().unwrap();
    for policy in [
        RetryPolicy { max_retries: 101, ..defaults },
        RetryPolicy { in_progress_max_retries: 101, ..defaults },
        RetryPolicy { wait: Duration::from_secs(24 * 3600 + 1), ..defaults },
        RetryPolicy { in_progress_wait: Duration::MAX, ..defaults },
    ] {
        let mut attempts = 0;
        let error = retry_run(
            &coordinator,
            Some(&policy),
            |_, _| {
                attempts += 1;
                Ok(())
            },
            |_| {},
        )
        .unwrap_err();
        assert_eq!(error.hresult(), HResult::E_INVALIDARG, "{policy:?}");
        assert_eq!(attempts, 0, "{policy:?}");
    }
    // The limits themselves are accepted.
    let limits = RetryPolicy {
        max_retries: 100,
        wait: Duration::from_secs(24 * 3600),
        in_progress_max_retries: 100,
        in_progress_wait: Duration::from_secs(24 * 3600),
    };
    retry_run(&coordinator, Some(&limits), |_, _| Ok(()), |_| {}).unwrap();
}

#[test]
fn a_panicking_attempt_ends_the_run_and_the_panic_reaches_the_caller() {
    let coordinator = simulated();
    let mut attempts = 0;
    let mut reports = Vec::new();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        retry_run(
            &coordinator,
            None,
            |_, _| {
                attempts += 1;
                panic!("attempt panicked on purpose")
            },
            |attempt| reports.push(*attempt),
        )
    }));
    let payload = caught.expect_err("the panic is resumed after the helper returns");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"attempt panicked on purpose"));
    assert_eq!(attempts, 1);
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].result, HResult::E_UNEXPECTED);
    assert_eq!(reports[0].wait, Duration::ZERO);

    // So is one in the report, after the run (which still completes).
    let mut attempts = 0;
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        retry_run(
            &coordinator,
            None,
            |_, _| {
                attempts += 1;
                Ok(())
            },
            |_| panic!("report panicked on purpose"),
        )
    }));
    assert_eq!(caught.unwrap_err().downcast_ref::<&str>(), Some(&"report panicked on purpose"));
    assert_eq!(attempts, 1);
}
