/* A program of a project that uses an installed vssapi: found by pkg-config,
 * CMake's find_package or Meson's dependency(). */
#include <vssapi/vssapi.h>

#include <stdio.h>

int main(void)
{
    vss_coordinator *coordinator = NULL;
    vss_coordinator_options options = {0};
    options.size = sizeof options;
    options.virtual_clock = VSS_CLOCK_SIMULATED;
    if (vss_coordinator_create(&options, &coordinator) != 0) {
        fprintf(stderr, "vss_coordinator_create failed: %s\n", vss_last_error_message());
        return 1;
    }
    uint32_t providers = 0;
    vss_coordinator_provider_count(coordinator, &providers);
    printf("vssapi %s, %u providers\n", vss_version(), (unsigned)providers);
    vss_coordinator_release(coordinator);
    return providers > 0 ? 0 : 1;
}
