#include "config/spelling.hpp"

#include <algorithm>
#include <vector>

namespace ferry::config {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> candidates) {
  // Unknown keys come from user files and may be long: bound the quadratic work.
  if (word.size() > 64) return std::nullopt;
  size_t limit = std::max<size_t>(1, std::min<size_t>(3, word.size() / 3));
  std::optional<std::string_view> best;
  size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) best = candidate, best_distance = distance;
  }
  return best;
}

std::string suggestion(std::string_view word, std::span<const std::string_view> candidates, std::string_view label) {
  if (auto near = closest(word, candidates)) return "; did you mean \"" + std::string(*near) + "\"?";
  std::string out = "; " + std::string(label) + ": ";
  for (size_t i = 0; i < candidates.size(); ++i) out += (i ? ", " : "") + std::string(candidates[i]);
  return out;
}

}  // namespace ferry::config
