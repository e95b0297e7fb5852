#include "documents/xml_values.h"

#include "com/guid.h"
#include "com/utf.h"

#include <charconv>
#include <cstdio>
#include <sstream>

namespace vssapi::documents {
namespace {

std::string_view value_of(pugi::xml_node node, const char *name, bool required)
{
    const pugi::xml_attribute attribute = node.attribute(name);
    if (!attribute && required) {
        throw BadDocument(std::string(node.name()) + ": the attribute " + name + " is missing");
    }
    return attribute.value();
}

[[noreturn]] void malformed(pugi::xml_node node, const char *name, std::string_view what)
{
    throw BadDocument(std::string(node.name()) + ": " + name + "=\"" + std::string(node.attribute(name).value()) +
                      "\" is not " + std::string(what));
}

} // namespace

void put_text(pugi::xml_node node, const char *name, std::u16string_view text)
{
    node.append_attribute(name).set_value(com::utf16_to_utf8(text).c_str());
}

void put_text_if(pugi::xml_node node, const char *name, std::u16string_view text)
{
    if (!text.empty()) {
        put_text(node, name, text);
    }
}

void put_guid(pugi::xml_node node, const char *name, const GUID &id)
{
    node.append_attribute(name).set_value(("{" + com::format_guid(id) + "}").c_str());
}

void put_bool(pugi::xml_node node, const char *name, bool value)
{
    node.append_attribute(name).set_value(value ? "yes" : "no");
}

void put_uint(pugi::xml_node node, const char *name, std::uint64_t value)
{
    node.append_attribute(name).set_value(std::to_string(value).c_str());
}

void put_hresult(pugi::xml_node node, const char *name, HRESULT hr)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(hr));
    node.append_attribute(name).set_value(text);
}

std::u16string get_text(pugi::xml_node node, const char *name, bool required)
{
    return com::utf8_to_utf16(value_of(node, name, required));
}

GUID get_guid(pugi::xml_node node, const char *name)
{
    const auto id = com::parse_guid(value_of(node, name, true));
    if (!id) {
        malformed(node, name, "a GUID");
    }
    return *id;
}

bool get_bool(pugi::xml_node node, const char *name, bool fallback)
{
    if (!node.attribute(name)) {
        return fallback;
    }
    const std::string_view text = value_of(node, name, true);
    if (text == "yes") {
        return true;
    }
    if (text == "no") {
        return false;
    }
    malformed(node, name, "yes or no");
}

std::uint64_t get_uint(pugi::xml_node node, const char *name, std::uint64_t max, std::uint64_t fallback)
{
    if (!node.attribute(name)) {
        return fallback;
    }
    const std::string_view text = value_of(node, name, true);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > max) {
        malformed(node, name, "an integer from 0 to " + std::to_string(max));
    }
    return value;
}

HRESULT get_hresult(pugi::xml_node node, const char *name)
{
    if (!node.attribute(name)) {
        return S_OK;
    }
    std::string_view text = value_of(node, name, true);
    std::uint32_t value = 0;
    if (text.size() == 10 && text.substr(0, 2) == "0x") {
        const auto [end, error] = std::from_chars(text.data() + 2, text.data() + text.size(), value, 16);
        if (error == std::errc() && end == text.data() + text.size()) {
            return static_cast<HRESULT>(value);
        }
    }
    malformed(node, name, "an HRESULT written 0x followed by 8 hex digits");
}

void parse_document(std::u16string_view xml, pugi::xml_document &document, const char *root,
                    const char *xml_namespace)
{
    if (xml.empty()) {
        throw BadDocument("the document is empty");
    }
    if (xml.size() > kMaxDocumentUnits) {
        throw BadDocument("the document is larger than " + std::to_string(kMaxDocumentUnits) + " UTF-16 code units");
    }
    const std::string text = com::utf16_to_utf8(xml);
    // No DOCTYPE and no entities beyond XML's five: nothing external is read.
    const pugi::xml_parse_result parsed =
        document.load_buffer(text.data(), text.size(), pugi::parse_default & ~pugi::parse_doctype, pugi::encoding_utf8);
    if (!parsed) {
        throw BadDocument(std::string("not XML: ") + parsed.description() + " at byte " +
                          std::to_string(parsed.offset));
    }
    const pugi::xml_node element = document.document_element();
    if (std::string_view(element.name()) != root) {
        throw BadDocument(std::string("the root element is <") + element.name() + ">, not <" + root + ">");
    }
    if (std::string_view(element.attribute("xmlns").value()) != xml_namespace) {
        throw BadDocument(std::string("the namespace is not ") + xml_namespace);
    }
    // "major.minor": major 1, minor up to ours.
    const std::string_view version = element.attribute("version").value();
    const std::size_t dot = version.find('.');
    unsigned major = 0, minor = 0;
    const bool shaped = dot != std::string_view::npos &&
                        std::from_chars(version.data(), version.data() + dot, major).ptr == version.data() + dot &&
                        std::from_chars(version.data() + dot + 1, version.data() + version.size(), minor).ptr ==
                            version.data() + version.size() &&
                        dot > 0 && dot + 1 < version.size();
    if (!shaped || major != 1 || minor > 2) {
        throw BadDocument("format version \"" + std::string(version) + "\": this library reads 1.0 to " +
                          std::string(kFormatVersion));
    }
}

pugi::xml_node new_document(pugi::xml_document &document, const char *root, const char *xml_namespace)
{
    pugi::xml_node element = document.append_child(root);
    element.append_attribute("xmlns").set_value(xml_namespace);
    element.append_attribute("version").set_value(std::string(kFormatVersion).c_str());
    return element;
}

std::u16string document_text(const pugi::xml_document &document)
{
    std::ostringstream out;
    document.save(out, "  ", pugi::format_indent | pugi::format_no_declaration, pugi::encoding_utf8);
    return com::utf8_to_utf16(out.str());
}

} // namespace vssapi::documents
