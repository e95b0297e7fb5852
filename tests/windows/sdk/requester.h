// A requester's whole backup in MSVC's ABI, shared by the test programs:
// waiting on IVssAsync, component-mode selection, reading GetWriterStatusEx.
#pragma once

#include "nocrt.h"

// Waits for the asynchronous call that `started` began; *slot is read after
// the call (MSVC evaluates arguments right to left) and released.
HRESULT wait(HRESULT started, IVssAsync **slot);

// Adds every component every writer declared; returns the writer count.
UINT add_all_components(IVssBackupComponents *backup);

// One writer's GetWriterStatusEx answer.
struct Status {
    VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
    HRESULT writer = E_UNEXPECTED;
    HRESULT application = E_UNEXPECTED;
    bool message_is(const WCHAR *expected) const { return nocrt::same(message, expected); }
    WCHAR message[64] = {};
    bool found = false;
};

// The status of writer class `writer_id`; `print` lists every writer's.
Status status_of(IVssBackupComponentsEx3 *ex3, const VSS_ID &writer_id, bool print = false);
