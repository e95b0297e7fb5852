"""VssError, the HRESULT helpers, and the check every library call goes through."""

from __future__ import annotations

from typing import Optional

from . import _native
from .hresults import E_INVALIDARG

_lib = _native.lib


class HResult(int):
    """An HRESULT as the binding returns it: an int holding the unsigned 32-bit
    value (0x800423F3, never negative), equal to the plain constants in
    vssapi.hresults, with its name at hand. repr() shows name and hex."""

    __slots__ = ()

    def __new__(cls, value: int) -> "HResult":
        return super().__new__(cls, int(value) & 0xFFFFFFFF)

    @property
    def name(self) -> str:
        return hresult_name(self)

    @property
    def meaning(self) -> str:
        return hresult_meaning(self)

    @property
    def failed(self) -> bool:
        return failed(self)

    def __repr__(self) -> str:
        name = self.name
        return f"HResult(0x{int(self):08X})" if name.startswith("0x") else f"HResult(0x{int(self):08X} {name})"

    __str__ = int.__repr__


def unsigned(hr: int) -> HResult:
    """An HRESULT as Python shows it: the unsigned 32-bit value (0x800423F3)."""
    return HResult(hr)


def signed(hr: int) -> int:
    """An HRESULT as the library takes it: a signed 32-bit int. Accepts either form."""
    hr = int(hr) & 0xFFFFFFFF
    return hr - 0x100000000 if hr & 0x80000000 else hr


def hresult_name(hr: int) -> str:
    """The symbolic name: "VSS_E_WRITERERROR_RETRYABLE", or "0x12345678" when unknown."""
    return _lib.vss_hresult_name(signed(hr)).decode("utf-8")


def hresult_meaning(hr: int) -> str:
    """A one-line meaning of the code."""
    return _lib.vss_hresult_meaning(signed(hr)).decode("utf-8")


def writer_state_name(state: int) -> str:
    """"FAILED_AT_FREEZE" for 9, "?" outside VSS_WRITER_STATE."""
    return _lib.vss_writer_state_name(int(state)).decode("utf-8")


def is_retryable(hr: int) -> int:
    """1: retry after the long wait; 2: retry on the short back-off; 0: do not retry."""
    return int(_lib.vss_is_retryable(signed(hr)))


def failed(hr: int) -> bool:
    """True for a failure HRESULT (the severity bit is set)."""
    return bool(int(hr) & 0x80000000)


class VssError(Exception):
    """A failed library call, or a failure status read back from it.

    Attributes:
        hresult: the HRESULT, unsigned (compare with vssapi.E_INVALIDARG etc.)
        name: its symbolic name (vss_hresult_name)
        meaning: its one-line meaning (vss_hresult_meaning)
        message: the library's message for the failed call (vss_last_error_message,
            read on the calling thread right after the call), or the binding's own
    """

    hresult: HResult
    name: str
    meaning: str
    message: str

    def __init__(self, hresult: int, message: Optional[str] = None) -> None:
        self.hresult = unsigned(hresult)
        self.name = hresult_name(self.hresult)
        self.meaning = hresult_meaning(self.hresult)
        self.message = message or f"{self.name} ({self.meaning})"
        super().__init__(self.message)

    @property
    def retryable(self) -> int:
        """vss_is_retryable(hresult): 0, 1 or 2."""
        return is_retryable(self.hresult)

    def __repr__(self) -> str:
        return f"VssError(0x{self.hresult:08X} {self.name}: {self.message!r})"


class WriterFailure(Exception):
    """Raise it in a writer handler to fail the event cleanly.

    The binding calls vss_writer_set_failure_ex(hr, application, message) on the
    handler's thread and returns false (a veto) to the library; the requester
    then reads all three back in the writer status. Any other exception a
    handler raises makes it return -1 (VSS_E_WRITERERROR_NONRETRYABLE).
    """

    def __init__(self, hr: int, application: int = 0, message: Optional[str] = None) -> None:
        self.hr = unsigned(hr)
        self.application = unsigned(application)
        self.message = message
        super().__init__(message or hresult_name(hr))


def check(hr: int) -> HResult:
    """Raises VssError for a failure HRESULT; returns a success code unsigned."""
    if hr < 0:
        raise VssError(hr, last_error_message())
    return unsigned(hr)


def last_error_message() -> str:
    """The library's message for this thread's last failed call ("" when none)."""
    message = _lib.vss_last_error_message()
    return message.decode("utf-8", errors="replace") if message else ""


def closed_error(what: str) -> VssError:
    return VssError(E_INVALIDARG, f"{what} is closed")
