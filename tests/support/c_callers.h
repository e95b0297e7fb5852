/* tests/support/c_callers.c: calls made from C with integers no enum holds. */
#ifndef OPENVSS_TESTS_C_CALLERS_H
#define OPENVSS_TESTS_C_CALLERS_H

#include <vsbackup.h>
#include <vswriter.h>
#include <vssapi/vssapi.h>

VSSAPI_BEGIN_DECLS
vss_hresult c_run_step(vss_requester *requester, int step);
HRESULT c_set_restore_state(IVssBackupComponents *backup, int type);
HRESULT c_set_backup_state(IVssBackupComponents *backup, int type);
HRESULT c_add_component(IVssBackupComponents *backup, const VSS_ID *instance, const VSS_ID *writer, int type,
                        LPCWSTR logical_path, LPCWSTR name);
HRESULT c_initialize_writer(IVssWriterImpl *impl, const VSS_ID *writer, LPCWSTR name, int level);
VSSAPI_END_DECLS

#endif
