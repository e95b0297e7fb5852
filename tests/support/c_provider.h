/* tests/support/c_provider.c: a snapshot provider written in C against the
 * flat API's callback table, as a user would write one. */
#ifndef OPENVSS_TESTS_C_PROVIDER_H
#define OPENVSS_TESTS_C_PROVIDER_H

#include <vssapi/vssapi.h>

VSSAPI_BEGIN_DECLS

typedef struct c_provider {
    char steps[1024];     /* every step called, space-separated, in order */
    vss_hresult fail_commit; /* what commit_snapshots answers (0: S_OK) */
    int prepared;
    int deleted;
} c_provider;

/* The table of c_provider (id {c0ffee00-...-01}); volumes "Z:\data" and "Z:\logs" exist. */
void c_provider_callbacks(vss_provider_callbacks *callbacks);
extern const vss_guid c_provider_id;

VSSAPI_END_DECLS

#endif
