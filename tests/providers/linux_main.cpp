// The Linux provider tests need root (mount, loop devices, btrfs ioctls) and
// the file-system tools; without them the suite skips (exit status 77) and
// says what is missing.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

int main(int argc, char **argv)
{
    std::string missing;
    if (geteuid() != 0) {
        missing = "root (mount -o loop and the btrfs snapshot ioctls need it)";
    }
    for (const char *tool : {"mkfs.btrfs", "mkfs.xfs", "btrfs", "losetup"}) {
        const std::string probe = std::string("command -v ") + tool + " >/dev/null 2>&1";
        if (std::system(probe.c_str()) != 0) {
            missing += (missing.empty() ? "" : ", ") + std::string(tool) + " (btrfs-progs, xfsprogs)";
        }
    }
    if (std::system("test -e /dev/loop-control") != 0) {
        missing += (missing.empty() ? "" : ", ") + std::string("loop devices");
    }
    if (!missing.empty()) {
        std::printf("SKIP: the Linux provider tests need %s\n", missing.c_str());
        return 77;
    }
    doctest::Context context(argc, argv);
    return context.run();
}
