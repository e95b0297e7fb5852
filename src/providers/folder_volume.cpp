#include "providers/folder_volume.h"

#include "com/utf.h"

#include <system_error>

#ifdef _WIN32
#include <windows.h>
#endif

namespace vssapi::providers {

std::filesystem::path to_path(std::u16string_view text)
{
#ifdef _WIN32
    return std::filesystem::path(std::wstring(text.begin(), text.end()));
#else
    return std::filesystem::path(com::utf16_to_utf8(text));
#endif
}

std::filesystem::path folder_of(std::u16string_view volume_path)
{
    std::u16string folder(volume_path);
    while (folder.size() > 1 && (folder.back() == u'/' || folder.back() == u'\\') &&
           !(folder.size() == 3 && folder[1] == u':')) {
        folder.pop_back();
    }
    return to_path(folder);
}

std::u16string from_path(const std::filesystem::path &path)
{
#ifdef _WIN32
    const std::wstring wide = path.wstring();
    return std::u16string(wide.begin(), wide.end());
#else
    return com::utf8_to_utf16(path.string());
#endif
}

HRESULT resolve_folder_volume(std::u16string_view volume, core::VolumeName &name)
{
    std::error_code error;
    std::filesystem::path path = to_path(volume);
#ifdef _WIN32
    if (volume.size() == 2 && volume[1] == u':') {
        path += L"\\"; // "C:" is the drive's root, not its current folder
    }
#endif
    if (volume.empty() || !std::filesystem::is_directory(path, error)) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    std::filesystem::path canonical = std::filesystem::canonical(path, error);
    if (error) {
        return VSS_E_OBJECT_NOT_FOUND;
    }
    name.path = from_path(canonical);
#ifdef _WIN32
    if (name.path.empty() || name.path.back() != u'\\') {
        name.path.push_back(u'\\');
    }
    wchar_t unique[MAX_PATH + 1] = {};
    if (GetVolumeNameForVolumeMountPointW(reinterpret_cast<const wchar_t *>(name.path.c_str()), unique,
                                          MAX_PATH + 1)) {
        name.unique = std::u16string(reinterpret_cast<const char16_t *>(unique));
    } else {
        name.unique = name.path; // a folder that is not a mount point: its own path
    }
#else
    if (name.path.empty() || name.path.back() != u'/') {
        name.path.push_back(u'/');
    }
    name.unique = name.path;
#endif
    return S_OK;
}

std::u16string device_path(const std::filesystem::path &folder)
{
    std::u16string device = from_path(folder);
#ifdef _WIN32
    while (!device.empty() && device.back() == u'\\') {
        device.pop_back();
    }
    if (device.rfind(u"\\\\", 0) != 0) {
        device = u"\\\\?\\" + device;
    }
#else
    while (device.size() > 1 && device.back() == u'/') {
        device.pop_back();
    }
#endif
    return device;
}

} // namespace vssapi::providers
