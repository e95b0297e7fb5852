// Helpers for the writer-metadata tests: UTF-16 arguments, owned references
// and BSTRs, and a full text dump of core::WriterMetadata so that "nothing
// changed" is one comparison.
#pragma once

#include "com/bstr.h"
#include "core/metadata.h"

#include <vssapi/platform.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

namespace metadata_test {

// A UTF-16 literal or string as the LPCWSTR the SDK methods take.
inline LPCWSTR w(const char16_t *text) { return reinterpret_cast<LPCWSTR>(text); }
inline LPCWSTR w(const std::u16string &text) { return w(text.c_str()); }

// Reads an [out] BSTR and frees it, as a caller must. NULL gives nullopt.
inline std::optional<std::u16string> take(BSTR value)
{
    if (value == nullptr) {
        return std::nullopt;
    }
    std::u16string text(vssapi::com::bstr_view(value));
    SysFreeString(value);
    return text;
}

// Owns one reference; releases it at scope end.
template <class Interface>
class Ref {
public:
    Ref() = default;
    explicit Ref(Interface *owned) : p_(owned) {}
    Ref(const Ref &) = delete;
    Ref &operator=(const Ref &) = delete;
    Ref(Ref &&other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
    ~Ref() { reset(); }

    Interface **out()
    {
        reset();
        return &p_;
    }
    void **out_void() { return reinterpret_cast<void **>(out()); }
    Interface *get() const { return p_; }
    Interface *operator->() const { return p_; }
    explicit operator bool() const { return p_ != nullptr; }
    void reset()
    {
        if (p_ != nullptr) {
            std::exchange(p_, nullptr)->Release();
        }
    }

private:
    Interface *p_ = nullptr;
};

inline std::string text(std::u16string_view units)
{
    std::string out;
    for (char16_t unit : units) {
        if (unit >= 0x20 && unit < 0x7f) {
            out += static_cast<char>(unit);
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(unit));
            out += escaped;
        }
    }
    return out;
}

inline std::string text(const GUID &id)
{
    char out[40];
    std::snprintf(out, sizeof out, "%08x-%04x-%04x-%02x%02x", static_cast<unsigned>(id.Data1),
                  static_cast<unsigned>(id.Data2), static_cast<unsigned>(id.Data3),
                  static_cast<unsigned>(id.Data4[0]), static_cast<unsigned>(id.Data4[7]));
    return out;
}

inline std::string describe(const vssapi::core::FileSpec &spec)
{
    // Appends to a named string: GCC 12 at -O3 warns (-Wrestrict, its bug
    // 105651) on "literal" + std::string temporaries.
    std::string out = "{";
    out += text(spec.path) + "|" + text(spec.filespec) + "|" + (spec.recursive ? "r" : "-") + "|" +
           text(spec.alternate_location) + "|" + std::to_string(spec.backup_type_mask) + "}";
    return out;
}

inline std::string describe(const std::vector<vssapi::core::FileSpec> &specs)
{
    std::string out = "[";
    for (const auto &spec : specs) {
        out += describe(spec);
    }
    return out + "]";
}

// Every field, in order: two documents describe alike exactly when they are equal.
inline std::string describe(const vssapi::core::WriterMetadata &metadata)
{
    std::string out = "include";
    out += describe(metadata.include_files) + " exclude" +
                      describe(metadata.exclude_files) + " snapshot-exclude" +
                      describe(metadata.exclude_from_snapshot) + " components[";
    for (const auto &c : metadata.components) {
        out += "{";
        out += std::to_string(c.type) + "|" + text(c.logical_path) + "|" + text(c.name) + "|" +
               text(c.caption) + "|icon" + std::to_string(c.icon.size()) + ":";
        for (auto byte : c.icon) {
            out += std::to_string(byte) + ",";
        }
        out += "|";
        out += std::string(c.restore_metadata ? "R" : "-") + (c.notify_on_backup_complete ? "N" : "-") +
               (c.selectable ? "S" : "-") + (c.selectable_for_restore ? "s" : "-") + "|" +
               std::to_string(c.flags) + "|files" + describe(c.files) + "|db" + describe(c.databases) +
               "|logs" + describe(c.logs) + "|deps[";
        for (const auto &d : c.dependencies) {
            out += "{";
            out += text(d.writer_id) + "|" + text(d.logical_path) + "|" + text(d.component_name) + "}";
        }
        out += "]}";
    }
    out += "] restore{";
    out += std::to_string(metadata.restore_method) + "|" + text(metadata.restore_service) + "|" +
           text(metadata.restore_user_procedure) + "|" + std::to_string(metadata.writer_restore) + "|" +
           (metadata.reboot_required ? "reboot" : "-") + "} mappings" + describe(metadata.alternate_mappings) +
           " schema" + std::to_string(metadata.backup_schema);
    return out;
}

} // namespace metadata_test
