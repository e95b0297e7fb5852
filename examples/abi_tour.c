/*
 * abi_tour: a plain C program that uses the library
 * only through abi/: it creates a requester object with the SDK's
 * CreateVssBackupComponents, walks its interfaces through the C vtables
 * (the same slots a Windows program uses), and prints what the library said.
 */
#include <vsbackup.h>

#include <stdint.h>
#include <stdio.h>

static void print_guid(const char *label, const GUID *id)
{
    printf("%-42s %08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\n", label,
           (unsigned long)id->Data1, id->Data2, id->Data3, id->Data4[0], id->Data4[1],
           id->Data4[2], id->Data4[3], id->Data4[4], id->Data4[5], id->Data4[6], id->Data4[7]);
}

static int check(const char *what, HRESULT got, HRESULT expected)
{
    printf("%-42s 0x%08lX%s\n", what, (unsigned long)(uint32_t)got,
           got == expected ? "" : "   <-- unexpected");
    return got == expected ? 0 : 1;
}

int main(void)
{
    int failures = 0;
    IVssBackupComponents *backup = NULL;
    IVssBackupComponentsEx3 *ex3 = NULL;
    IUnknown *identity_a = NULL;
    IUnknown *identity_b = NULL;
    void *not_there = NULL;
    VSS_ID session;
    HRESULT status_hr;
    BSTR name;

    puts("openvss foundation: a requester object through the C ABI");
    failures += check("CreateVssBackupComponents", CreateVssBackupComponents(&backup), S_OK);
    if (backup == NULL) {
        return 1;
    }

    /* QueryInterface through slot 0 for the Ex3 extension, which holds
     * GetWriterStatusEx (slot 60) and GetSessionId (slot 63). */
    failures += check("QueryInterface(IVssBackupComponentsEx3)",
                      backup->lpVtbl->QueryInterface(backup, &IID_IVssBackupComponentsEx3,
                                                     (void **)&ex3),
                      S_OK);
    failures += check("QueryInterface(IVssAsync)",
                      backup->lpVtbl->QueryInterface(backup, &IID_IVssAsync, &not_there),
                      E_NOINTERFACE);

    /* COM identity: IUnknown from either interface is one pointer. */
    backup->lpVtbl->QueryInterface(backup, &IID_IUnknown, (void **)&identity_a);
    ex3->lpVtbl->QueryInterface(ex3, &IID_IUnknown, (void **)&identity_b);
    printf("%-42s %s\n", "IUnknown identity", identity_a == identity_b ? "same pointer" : "DIFFERENT");
    failures += identity_a != identity_b;
    identity_a->lpVtbl->Release(identity_a);
    printf("%-42s %lu\n", "references after identity checks",
           (unsigned long)identity_b->lpVtbl->Release(identity_b));

    failures += check("GetSessionId (slot 63)", ex3->lpVtbl->GetSessionId(ex3, &session), S_OK);
    print_guid("session id", &session);
    failures += check("GetSessionId(NULL)", ex3->lpVtbl->GetSessionId(ex3, NULL), E_INVALIDARG);

    /* The backup sequence itself arrives with the VSS core (issue 3). */
    status_hr = ex3->lpVtbl->GetWriterStatusEx(ex3, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    printf("%-42s 0x%08lX (E_NOTIMPL until the VSS core lands)\n", "GetWriterStatusEx (slot 60)",
           (unsigned long)(uint32_t)status_hr);

    /* A BSTR from the library's allocator (OleAut32's on Windows). */
    name = SysAllocString(OLESTR("System Writer \u00e9 \U0001F4BE"));
    printf("%-42s %u units, %u bytes\n", "BSTR \"System Writer \xc3\xa9 \xf0\x9f\x92\xbe\"",
           SysStringLen(name), SysStringByteLen(name));
    SysFreeString(name);

    printf("%-42s %lu\n", "Release(Ex3) leaves", (unsigned long)ex3->lpVtbl->Release(ex3));
    printf("%-42s %lu\n", "Release(last) leaves", (unsigned long)backup->lpVtbl->Release(backup));
    printf("%s\n", failures == 0 ? "all results as expected" : "SOME RESULTS WERE UNEXPECTED");
    return failures == 0 ? 0 : 1;
}
