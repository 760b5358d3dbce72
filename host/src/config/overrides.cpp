#include "config/overrides.hpp"

#include <utility>

#include "config/quote.hpp"
#include "config/schema.hpp"
#include "config/spelling.hpp"

namespace ferry::config {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A TOML basic string holding `text` verbatim, so that a bare string is parsed, and located, like any
// other override value.
std::string toml_string(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (byte < 0x20 || byte == 0x7F)
      out += "\\u00", out += hex[byte >> 4], out += hex[byte & 0xF];
    else
      out += c;
  }
  return out + "\"";
}

// The parsed document "v = VALUE", or nullopt when VALUE is not exactly one TOML value.
std::optional<toml::table> parse_value(std::string_view value) {
  try {
    toml::table doc = toml::parse("v = " + std::string(value), override_source);
    if (doc.size() == 1 && doc.contains("v")) return doc;
  } catch (const toml::parse_error&) {
  }
  return std::nullopt;
}

// `value` as the override's node, already in a table of its own: moving it out keeps its source region.
toml::table value_document(std::string_view value, bool wants_string) {
  auto doc = parse_value(value);
  const toml::node* node = doc ? doc->get("v") : nullptr;
  bool keep_text = wants_string && node && !node->is_string() && !node->is_array() && !node->is_table();
  if (node && !keep_text) return std::move(*doc);
  // Trimmed, because `--set "log.level = debug"` means "debug". Invalid UTF-8 still fails to parse here;
  // the caller reports that.
  return parse_value(toml_string(trim(value))).value_or(toml::table{});
}

std::string_view first_key_of(std::string_view section) {
  for (const KeySpec& spec : schema())
    if (spec.section == section) return spec.name;
  return {};
}

void insert(toml::table& table, std::string_view key, toml::table& doc) {
  doc.get("v")->visit([&](auto&& node) { table.insert_or_assign(key, std::move(node)); });
}

toml::table* find_sink(toml::table& root, std::string_view name) {
  toml::array* sinks = root["sink"].as_array();
  if (!sinks) return nullptr;
  for (auto& element : *sinks) {
    toml::table* sink = element.as_table();
    if (sink && (*sink)["name"].value_or(std::string_view()) == name) return sink;
  }
  return nullptr;
}

// The section's table, created when the file has none. A section that is not a table is reported when the
// file is read: then there is nothing to set, and this returns null.
toml::table* section_table(toml::table& root, std::string_view section) {
  toml::node* existing = root.get(section);
  if (!existing) existing = root.insert(section, toml::table{}).first->second.as_table();
  return existing->as_table();
}

void apply_one(toml::table& root, std::string_view text, Diagnostics& diag) {
  const Location here{std::string(override_source), 0, 0};
  auto equals = text.find('=');
  std::string_view key = trim(text.substr(0, equals));
  if (equals == std::string_view::npos || key.empty())
    return diag.error(here, std::string(key), "expected KEY=VALUE, got " + quote(text));
  std::string_view value = text.substr(equals + 1);
  std::string path(key);

  if (key.starts_with("sink.")) {
    std::string_view rest = key.substr(5);
    auto dot = rest.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size())
      return diag.error(here, path, "expected sink.NAME.KEY to set a key of the [[sink]] named NAME");
    toml::table* sink = find_sink(root, rest.substr(0, dot));
    if (!sink) return diag.error(here, path, "no [[sink]] named " + quote(rest.substr(0, dot)));
    toml::table doc = value_document(value, false);
    if (doc.empty()) return diag.error(here, path, "the value is not valid UTF-8");
    return insert(*sink, rest.substr(dot + 1), doc);
  }

  auto dot = key.find('.');
  std::string_view section = key.substr(0, dot);
  std::string_view name = dot == std::string_view::npos ? std::string_view() : key.substr(dot + 1);
  const KeySpec* spec = find_key(section, name);
  // Any other transport.KEY belongs to the transport plugin, which checks it once it is loaded.
  if (!spec && section == "transport" && !name.empty() && name.find('.') == std::string_view::npos) {
    toml::table* transport = section_table(root, section);
    if (!transport) return;
    toml::table doc = value_document(value, false);
    if (doc.empty()) return diag.error(here, path, "the value is not valid UTF-8");
    return insert(*transport, name, doc);
  }
  if (!spec && (is_section(key) || key == "sink")) {
    std::string example = key == "sink" ? "sink.NAME.KEY" : std::string(key) + "." + std::string(first_key_of(key));
    return diag.error(here, path, "a whole section cannot be set; set one of its keys, e.g. " + example);
  }
  if (!spec) {
    std::vector<std::string> paths;
    for (const KeySpec& known : schema()) paths.push_back(known.path());
    std::vector<std::string_view> views(paths.begin(), paths.end());
    if (auto near = closest(key, views))
      return diag.error(here, path, "unknown key; did you mean \"" + std::string(*near) + "\"?");
    return diag.error(here, path, "unknown key; expected SECTION.KEY (see docs/configuration.md) or sink.NAME.KEY");
  }
  toml::table* table = section_table(root, section);
  if (!table) return;
  toml::table doc = value_document(value, std::holds_alternative<std::string& (*)(Config&)>(spec->target));
  if (doc.empty()) return diag.error(here, path, "the value is not valid UTF-8");
  insert(*table, name, doc);
}

}  // namespace

void apply_overrides(toml::table& root, const std::vector<std::string>& overrides, Diagnostics& diag) {
  for (const std::string& text : overrides) apply_one(root, text, diag);
}

}  // namespace ferry::config
