// The scenario reader's value readers (read_values.h): each checks one kind
// of value and throws an Issue that says, in words, what it expected.
#include "scenario/read_values.h"

#include "com/guid.h"
#include "com/utf.h"
#include "core/hresult_text.h"
#include "core/state_machine.h"

#include <cmath>

namespace vssapi::scenario::read {

namespace {

char folded(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Levenshtein distance ignoring case, or `limit + 1` once it is known to be
// larger than `limit` (issue 13: a 4 MiB unknown name must not cost 4 MiB x
// every name). Strings whose lengths differ by more than `limit` are never
// compared; otherwise only the band |i - j| <= limit is computed, and the
// rows stop as soon as every cell in the band is past the limit. The work is
// at most min(|a|, |b|) x (2 limit + 1) cells.
std::size_t bounded_distance(std::string_view a, std::string_view b, std::size_t limit)
{
    const std::size_t over = limit + 1;
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) {
        return over;
    }
    std::vector<std::size_t> row(b.size() + 1, over);
    for (std::size_t j = 0; j <= std::min(b.size(), limit); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        const std::size_t first = i > limit ? i - limit : 1;
        const std::size_t last = std::min(b.size(), i + limit);
        std::size_t diagonal = row[first - 1];
        row[first - 1] = first == 1 && i <= limit ? i : over;
        std::size_t best = row[first - 1];
        for (std::size_t j = first; j <= last; ++j) {
            ++detail::distance_cells;
            const std::size_t above = row[j];
            const std::size_t cell = std::min({above + 1, row[j - 1] + 1, diagonal + (folded(a[i - 1]) == folded(b[j - 1]) ? 0 : 1)});
            row[j] = std::min(cell, over);
            diagonal = above;
            best = std::min(best, row[j]);
        }
        if (last < b.size()) {
            row[last + 1] = over; // outside the band from here on
        }
        if (best > limit) {
            return over;
        }
    }
    return row[b.size()];
}

} // namespace

namespace detail {
thread_local std::size_t distance_cells = 0;
} // namespace detail

namespace {

// An integer the way JSON Schema sees one: 7 and 7.0 alike. None when it is
// not a whole number or past the range of int64 (every range here is inside).
std::optional<std::int64_t> whole_number(const json &value)
{
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        return v <= static_cast<std::uint64_t>(INT64_MAX) ? std::optional<std::int64_t>(static_cast<std::int64_t>(v))
                                                           : std::nullopt;
    }
    if (value.is_number_integer()) {
        return value.get<std::int64_t>();
    }
    if (value.is_number_float()) {
        const double v = value.get<double>();
        if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < 9.0e18) {
            return static_cast<std::int64_t>(v);
        }
    }
    return std::nullopt;
}

// Names of the HRESULT table, and the generic COM codes in case it lacks one.
const std::vector<std::pair<std::string_view, HRESULT>> &hresult_names()
{
    static const auto names = [] {
        std::vector<std::pair<std::string_view, HRESULT>> out;
        for (const core::HresultText &row : core::hresult_table()) {
            out.emplace_back(row.name, row.value);
        }
        const std::pair<std::string_view, HRESULT> generic[] = {
            {"S_OK", S_OK},
            {"S_FALSE", S_FALSE},
            {"E_FAIL", E_FAIL},
            {"E_INVALIDARG", E_INVALIDARG},
            {"E_OUTOFMEMORY", E_OUTOFMEMORY},
            {"E_UNEXPECTED", E_UNEXPECTED},
            {"E_ACCESSDENIED", E_ACCESSDENIED},
            {"E_NOTIMPL", E_NOTIMPL},
        };
        for (const auto &code : generic) {
            if (std::none_of(out.begin(), out.end(), [&](const auto &row) { return row.first == code.first; })) {
                out.push_back(code);
            }
        }
        return out;
    }();
    return names;
}

constexpr const char *kHresultExpected =
    "an HRESULT (a name such as \"VSS_E_PROVIDER_VETO\", \"0x80042306\" or an integer)";

} // namespace

void expected(const Node &node, const std::string &what, std::string hint)
{
    throw Issue{node.pointer, Anchor::Value, node.where() + ": expected " + what, true, std::move(hint)};
}

void fail(const Node &node, const std::string &text)
{
    throw Issue{node.pointer, Anchor::Value, node.where() + ": " + text, false, {}};
}

std::string did_you_mean(std::string_view given, std::span<const std::string_view> names)
{
    const std::size_t limit = std::clamp<std::size_t>(given.size() / 3, 1, 3);
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (std::string_view name : names) {
        const std::size_t d = bounded_distance(given, name, limit);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best.empty() ? std::string() : "; did you mean " + in_quotes(best) + "?";
}

std::string joined(std::span<const std::string_view> names, bool quote)
{
    std::string out;
    for (std::string_view name : names) {
        out += out.empty() ? "" : ", ";
        out += quote ? in_quotes(name) : std::string(name);
    }
    return out;
}

const json::array_t &read_array(const Node &node, const std::string &what)
{
    if (!node.value.is_array()) {
        expected(node, what);
    }
    return node.value.get_ref<const json::array_t &>();
}

const std::string &read_utf8(const Node &node)
{
    if (!node.value.is_string()) {
        expected(node, "a string");
    }
    const auto &text = node.value.get_ref<const std::string &>();
    if (text.find('\0') != std::string::npos) {
        fail(node, "a string may not contain U+0000 (written \\u0000)");
    }
    return text;
}

std::u16string read_text(const Node &node)
{
    return com::utf8_to_utf16(read_utf8(node));
}

std::u16string read_name(const Node &node)
{
    if (!node.value.is_string() || node.value.get_ref<const std::string &>().empty()) {
        expected(node, "a non-empty string");
    }
    return read_text(node);
}

std::u16string read_message(const Node &node)
{
    std::u16string text = read_text(node);
    if (text.size() > core::kMaxFailureMessage) {
        fail(node, "expected at most " + std::to_string(core::kMaxFailureMessage) + " UTF-16 code units, found " +
                       std::to_string(text.size()));
    }
    return text;
}

bool read_bool(const Node &node)
{
    if (!node.value.is_boolean()) {
        expected(node, "true or false");
    }
    return node.value.get<bool>();
}

std::uint32_t read_uint32(const Node &node)
{
    const auto v = whole_number(node.value);
    if (!v || *v < 0 || *v > 0xFFFFFFFFLL) {
        expected(node, "an integer from 0 to 4294967295");
    }
    return static_cast<std::uint32_t>(*v);
}

core::Duration read_ms(const Node &node)
{
    return core::Duration(read_uint32(node));
}

HRESULT read_hresult(const Node &node)
{
    if (node.value.is_string()) {
        const std::string &text = node.value.get_ref<const std::string &>();
        if (const auto hr = core::parse_hresult(text)) {
            return *hr;
        }
        std::vector<std::string_view> names;
        for (const auto &row : hresult_names()) {
            names.push_back(row.first);
        }
        expected(node, kHresultExpected, did_you_mean(text, names));
    }
    if (node.value.is_number()) {
        const auto v = whole_number(node.value);
        if (!v || *v < INT32_MIN || *v > 0xFFFFFFFFLL) {
            expected(node, "an HRESULT integer from -2147483648 to 4294967295");
        }
        return static_cast<HRESULT>(static_cast<std::uint32_t>(*v)); // the 32-bit pattern
    }
    expected(node, kHresultExpected);
}


GUID read_guid(const Node &node)
{
    if (node.value.is_string()) {
        if (const auto id = com::parse_guid(node.value.get_ref<const std::string &>())) {
            return *id;
        }
    }
    expected(node, "a GUID such as \"{6f5b15b5-da24-4d88-b737-63063e3a1f86}\"");
}

} // namespace vssapi::scenario::read
