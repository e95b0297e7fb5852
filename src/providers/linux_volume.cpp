#include "providers/linux_volume.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace vssapi::providers::linux_fs {

long filesystem_type(const std::filesystem::path &folder)
{
    struct statfs info {};
    if (statfs(folder.c_str(), &info) != 0) {
        return 0;
    }
    return static_cast<long>(info.f_type);
}

std::optional<Top> top_of(const std::filesystem::path &folder)
{
    struct stat here {};
    if (stat(folder.c_str(), &here) != 0) {
        return std::nullopt;
    }
    std::filesystem::path root = folder;
    while (root.has_relative_path()) {
        const std::filesystem::path parent = root.parent_path();
        struct stat above {};
        if (stat(parent.c_str(), &above) != 0 || above.st_dev != here.st_dev) {
            break;
        }
        root = parent;
    }
    return Top{root, folder.lexically_relative(root)};
}

std::string describe_errno(const std::string &what, int error)
{
    std::string text = what + ": " + std::strerror(error);
    if (error == EPERM || error == EACCES) {
        text += " (the kernel allows this to root only: run as root, or with CAP_SYS_ADMIN)";
    }
    return text;
}

} // namespace vssapi::providers::linux_fs
