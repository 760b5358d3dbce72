#include "config/raw_keys.hpp"

#include <algorithm>
#include <tuple>

namespace ferry::config {

std::optional<PluginKey> read_plugin_key(const std::string& path, const toml::key& key, const toml::node& node,
                                         Diagnostics& diag) {
  PluginKey out{std::string(key.str()), diag.locate(key, node), {}};
  if (const auto* s = node.as_string())
    out.raw = s->get();
  else if (const auto* i = node.as_integer())
    out.raw = i->get();
  else if (const auto* b = node.as_boolean())
    out.raw = b->get();
  else if (const auto* f = node.as_floating_point())
    out.raw = f->get();
  else if (const auto* array = node.as_array();
           array && (array->empty() || array->is_homogeneous(toml::node_type::string))) {
    std::vector<std::string> strings;
    for (const auto& element : *array) strings.push_back(element.as_string()->get());
    out.raw = std::move(strings);
  } else {
    diag.error(diag.locate(node), path,
               "expected a string, integer, float, boolean or array of strings, got " + describe(node));
    return std::nullopt;
  }
  return out;
}

void sort_in_file_order(std::vector<PluginKey>& keys) {
  std::stable_sort(keys.begin(), keys.end(), [](const PluginKey& a, const PluginKey& b) {
    auto rank = [](const Location& l) { return std::tuple(l.line == 0, l.line, l.column); };
    return rank(a.location) < rank(b.location);
  });
}

}  // namespace ferry::config
