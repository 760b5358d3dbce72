// Pieces of the Prometheus text exposition format: escaping and number formatting.
#pragma once

#include <string>
#include <string_view>

#include "metrics/registry.hpp"

namespace ferry::metrics {

// A label value: backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value);
// HELP text: backslash and line feed escaped.
std::string escape_help(std::string_view text);
// `{a="1",b="2"}`, or nothing without labels.
std::string label_set(const Labels& labels);
// The shortest text that reads back as the same double ("3", "0.25", "1e+20"), or NaN, +Inf, -Inf.
std::string format_value(double value);

}  // namespace ferry::metrics
