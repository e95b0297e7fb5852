// What the live and copy providers share: a volume is a folder that exists
// (a drive root or a mount folder on Windows, any folder on Linux), named by
// the platform's own means (C-5.4), read through std::filesystem.
#pragma once

#include "core/snapshot_provider.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace vssapi::providers {

std::filesystem::path to_path(std::u16string_view text);
// A volume's path as a folder to open: without the trailing separator that
// the Windows CRT's stat refuses, except for a root ("C:\\", "/").
std::filesystem::path folder_of(std::u16string_view volume_path);
std::u16string from_path(const std::filesystem::path &path);

// S_OK with the unique name (Windows: GetVolumeNameForVolumeMountPointW's
// \\?\Volume{GUID}\ for a volume root, else the full path with a trailing
// backslash; Linux: the canonical path with a trailing slash) and the path;
// VSS_E_OBJECT_NOT_FOUND when no such folder exists.
HRESULT resolve_folder_volume(std::u16string_view volume, core::VolumeName &name);

// The device path by which a backup tool reads `folder` (C-5.5): on Windows
// "\\?\C:" for C:\ (so that device + "\Windows\win.ini" opens), on Linux the
// folder itself (device + "/" + relative path).
std::u16string device_path(const std::filesystem::path &folder);

} // namespace vssapi::providers
