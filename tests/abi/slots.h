/* The C view's slot table, shared by slots.c (C) and slots_test.cpp (C++). */
#ifndef VSSAPI_TESTS_SLOTS_H
#define VSSAPI_TESTS_SLOTS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vssapi_slot_row {
    const char *interface_name;
    const char *method;
    size_t slot;
};

extern const struct vssapi_slot_row vssapi_c_slots[];
extern const size_t vssapi_c_slot_count;

#ifdef __cplusplus
}
#endif

#endif
