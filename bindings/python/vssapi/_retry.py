"""The retry helper (vss_retry_run, contract C-7.2): a backup retried with a
fresh requester each time, as Microsoft's guidance for retryable failures says."""

from __future__ import annotations

from ctypes import byref
from dataclasses import dataclass
from typing import Any, Callable, List, Optional

from . import _native
from ._core import Coordinator, Requester, _handle_of
from ._errors import HResult, VssError, check, signed
from ._types import RetryAttempt, retry_attempt_from
from .hresults import E_UNEXPECTED

_lib = _native.lib

_U32 = 0xFFFFFFFF
_U64 = 0xFFFFFFFFFFFFFFFF


@dataclass(frozen=True)
class RetryPolicy:
    """vss_retry_policy: how often and after how long retry_run tries again.

    A field left None takes the library's default (RetryPolicy.default()):
    max_retries 3 and wait_ms 600,000 for the retryable writer and commit
    codes (RetryClass.AFTER_WAIT), in_progress_max_retries 5 and
    in_progress_wait_ms 30,000 for VSS_E_SNAPSHOT_SET_IN_PROGRESS
    (SHORT_BACK_OFF). The library refuses (E_INVALIDARG) more than 100 retries
    or a wait over 24 hours.
    """

    max_retries: Optional[int] = None
    wait_ms: Optional[int] = None
    in_progress_max_retries: Optional[int] = None
    in_progress_wait_ms: Optional[int] = None

    @classmethod
    def default(cls) -> "RetryPolicy":
        """The library's defaults (vss_retry_policy_default), every field filled."""
        raw = _native.sized(_native.vss_retry_policy)
        check(_lib.vss_retry_policy_default(byref(raw)))
        return cls(int(raw.max_retries), int(raw.wait_ms), int(raw.in_progress_max_retries),
                   int(raw.in_progress_wait_ms))

    def _to_native(self) -> _native.vss_retry_policy:
        raw = _native.sized(_native.vss_retry_policy)
        check(_lib.vss_retry_policy_default(byref(raw)))
        for name, limit in (("max_retries", _U32), ("wait_ms", _U64), ("in_progress_max_retries", _U32),
                            ("in_progress_wait_ms", _U64)):
            value = getattr(self, name)
            if value is None:
                continue
            # ctypes would wrap an out-of-range int silently into an allowed one.
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"RetryPolicy.{name} must be an int or None, not {type(value).__name__}")
            if not 0 <= value <= limit:
                raise ValueError(f"RetryPolicy.{name} is {value}, outside 0..{limit}")
            setattr(raw, name, value)
        return raw


Attempt = Callable[[Requester, int], Optional[int]]
Report = Callable[[RetryAttempt], Any]


def retry_run(
    coordinator: Optional[Coordinator],
    policy: Optional[RetryPolicy],
    attempt: Attempt,
    report: Optional[Report] = None,
) -> HResult:
    """vss_retry_run: runs attempt(requester, number) until it succeeds, fails
    for good, or its retry budget is spent; returns the last attempt's result.

    Each attempt gets a fresh Requester on coordinator (None: the default one)
    and returns None or S_OK when the backup worked, else the HRESULT that
    failed it: raising VssError (as a failed step does) gives its hresult, and
    a writer's failure found in writer_statuses() should be returned (it does
    not fail do_snapshot_set). The requester is released by the helper right
    after attempt returns (OnBackupShutdown): do not keep it; it is closed.

    Between attempts the helper waits on the coordinator's clock: a real clock
    really waits (10 minutes by default), Coordinator(virtual_clock="simulated")
    passes at once, and virtual_clock=True waits for advance_clock from another
    thread. Everything runs on the calling thread.

    report(RetryAttempt), if given, is called once per attempt, the last one
    included, before the wait after it. Raises VssError when the last attempt
    failed (its message says why the run stopped; E_INVALIDARG with nothing run
    for a policy out of bounds). Any other exception in attempt ends the run
    (E_UNEXPECTED, not retried) and is raised again here; one in report does
    not stop the run, but is raised here once it has ended.
    """
    if not callable(attempt):
        raise TypeError(f"attempt must be callable, not {type(attempt).__name__}")
    if report is not None and not callable(report):
        raise TypeError(f"report must be callable or None, not {type(report).__name__}")
    owner = _handle_of(coordinator, "coordinator")
    raw_policy = policy._to_native() if policy is not None else None
    raised: List[BaseException] = []

    def run_attempt(user, handle, number):
        requester = Requester._borrowed(handle, coordinator)
        try:
            result = attempt(requester, int(number))
            if result is None:
                return 0
            if isinstance(result, bool) or not isinstance(result, int):
                raise TypeError(f"attempt must return an HRESULT (int) or None, not {type(result).__name__}")
            return signed(result)
        except VssError as error:
            return signed(error.hresult)
        except BaseException as error:  # noqa: B902 - nothing may unwind into C
            raised.append(error)
            return signed(E_UNEXPECTED)  # not retryable: the run ends here
        finally:
            requester.close()  # the helper releases the handle; later calls raise

    def reporter(given: Report) -> Callable[[Any, Any], None]:
        def run_report(user, record):
            try:
                given(retry_attempt_from(record.contents))
            except BaseException as error:  # noqa: B902
                raised.append(error)

        return run_report

    # Kept referenced by these locals for the whole (synchronous) run.
    attempt_thunk = _native.retry_attempt_fn(run_attempt)
    if report is not None:
        report_thunk = _native.retry_report_fn(reporter(report))
    else:
        report_thunk = _native.retry_report_fn(0)  # NULL: no report
    hr = _lib.vss_retry_run(owner, byref(raw_policy) if raw_policy is not None else None, attempt_thunk,
                            report_thunk, None)
    if raised:
        raise raised[0]
    return check(hr)
