// The values of openvss's XML documents as text, one way for both documents:
// UTF-16 strings as UTF-8 attributes, GUIDs in braces, "yes"/"no", HRESULTs
// in hex, enums by name. Reading throws BadDocument; the document readers
// turn it into VSS_E_INVALID_XML_DOCUMENT, with nothing changed.
#pragma once

#include <vssapi/platform.h>

#include <pugixml.hpp>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vssapi::documents {

// Why a document was refused, in words (for the diagnostic log).
struct BadDocument : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// C-8.3's limits: larger documents are refused before parsing.
inline constexpr std::size_t kMaxDocumentUnits = 8u * 1024u * 1024u; // UTF-16 code units (abi/xml/*.xsd say so)

// The format version this library writes and the newest it reads.
inline constexpr std::string_view kFormatVersion = "1.2";

template <class Enum>
struct EnumName {
    Enum value;
    std::string_view name;
};

// Writing: each sets one attribute.
void put_text(pugi::xml_node node, const char *name, std::u16string_view text);
void put_text_if(pugi::xml_node node, const char *name, std::u16string_view text); // omitted when empty
void put_guid(pugi::xml_node node, const char *name, const GUID &id);
void put_bool(pugi::xml_node node, const char *name, bool value);
void put_uint(pugi::xml_node node, const char *name, std::uint64_t value);
void put_hresult(pugi::xml_node node, const char *name, HRESULT hr);

// Reading: a missing attribute is the default, unless `required`.
std::u16string get_text(pugi::xml_node node, const char *name, bool required = false);
GUID get_guid(pugi::xml_node node, const char *name);
bool get_bool(pugi::xml_node node, const char *name, bool fallback = false);
std::uint64_t get_uint(pugi::xml_node node, const char *name, std::uint64_t max, std::uint64_t fallback = 0);
HRESULT get_hresult(pugi::xml_node node, const char *name);

template <class Enum, std::size_t N>
void put_enum(pugi::xml_node node, const char *name, Enum value, const EnumName<Enum> (&names)[N])
{
    for (const auto &entry : names) {
        if (entry.value == value) {
            node.append_attribute(name).set_value(std::string(entry.name).c_str());
            return;
        }
    }
    put_uint(node, name, static_cast<std::uint64_t>(value)); // a value the SDK does not name
}

template <class Enum, std::size_t N>
Enum get_enum(pugi::xml_node node, const char *name, Enum fallback, const EnumName<Enum> (&names)[N])
{
    const pugi::xml_attribute attribute = node.attribute(name);
    if (!attribute) {
        return fallback;
    }
    const std::string_view text = attribute.value();
    for (const auto &entry : names) {
        if (entry.name == text) {
            return entry.value;
        }
    }
    throw BadDocument(std::string(node.name()) + ": " + name + "=\"" + std::string(text) + "\" is not a known value");
}

// Parses `xml` (UTF-16, as a BSTR holds it) into `document` and checks the
// root element's name, namespace and format version.
void parse_document(std::u16string_view xml, pugi::xml_document &document, const char *root,
                    const char *xml_namespace);
// The root element of a new document of this kind.
pugi::xml_node new_document(pugi::xml_document &document, const char *root, const char *xml_namespace);
// The document as a BSTR's text: UTF-16, the same bytes for the same content.
std::u16string document_text(const pugi::xml_document &document);

} // namespace vssapi::documents
