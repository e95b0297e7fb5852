/* What a C caller may do and C++ may not: pass an integer that is none of an
 * enum's values (in C an enum is an int; in C++ making one is undefined).
 * The C++ tests call these to see the library refuse such values without
 * ever holding one in an enum type (issue 13: clang's UBSan). */
#include "c_callers.h"

vss_hresult c_run_step(vss_requester *requester, int step)
{
    return vss_requester_run(requester, (vss_step)step);
}

HRESULT c_set_restore_state(IVssBackupComponents *backup, int type)
{
    return backup->lpVtbl->SetRestoreState(backup, (VSS_RESTORE_TYPE)type);
}

HRESULT c_set_backup_state(IVssBackupComponents *backup, int type)
{
    return backup->lpVtbl->SetBackupState(backup, false, false, (VSS_BACKUP_TYPE)type, false);
}

HRESULT c_add_component(IVssBackupComponents *backup, const VSS_ID *instance, const VSS_ID *writer, int type,
                        LPCWSTR logical_path, LPCWSTR name)
{
    return backup->lpVtbl->AddComponent(backup, *instance, *writer, (VSS_COMPONENT_TYPE)type, logical_path, name);
}

HRESULT c_initialize_writer(IVssWriterImpl *impl, const VSS_ID *writer, LPCWSTR name, int level)
{
    return impl->lpVtbl->Initialize(impl, *writer, name, NULL, 0, 0, VSS_UT_OTHER, VSS_ST_OTHER,
                                    (VSS_APPLICATION_LEVEL)level, 60000, VSS_AWS_NO_ALTERNATE_WRITER, false);
}
