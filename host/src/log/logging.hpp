// The host's logging set-up: one spdlog logger per component ("ferry", and one per plugin instance),
// all writing to stderr in the configured format.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ferry::log {

enum class Format { text, json };

// Parses "trace".."critical" or "off"; nullopt for anything else.
std::optional<int> parse_level(std::string_view name);

// Replaces the sinks and format of every logger, present and future. Thread-safe.
void configure(int level, Format format);

// The logger for a component, created on first use with the current configuration.
std::shared_ptr<spdlog::logger> get(const std::string& component);

}  // namespace ferry::log
