// "Did you mean" for unknown keys: most unknown keys are typos of known ones.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ferry::config {

// The candidate closest to `word`, if it is close enough to be a plausible typo.
std::optional<std::string_view> closest(std::string_view word, std::span<const std::string_view> candidates);

// ", did you mean \"x\"?" or "; known keys: a, b, c" (the label names what the candidates are).
std::string suggestion(std::string_view word, std::span<const std::string_view> candidates, std::string_view label);

}  // namespace ferry::config
