#include "log/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "log/json_formatter.hpp"

namespace ferry::log {
namespace {

std::unique_ptr<spdlog::formatter> make_formatter(Format format) {
  if (format == Format::json) return std::make_unique<JsonFormatter>();
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ [%n] %v",
                                                     spdlog::pattern_time_type::utc);
}

struct Settings {
  std::mutex mutex;
  int level = spdlog::level::info;
  Format format = Format::text;
  // One sink shared by every logger, so lines from different components never interleave mid-line.
  std::shared_ptr<spdlog::sinks::stderr_sink_mt> sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();

  Settings() { sink->set_formatter(make_formatter(Format::text)); }
};

Settings& settings() {
  static Settings instance;
  return instance;
}

}  // namespace

std::optional<int> parse_level(std::string_view name) {
  static constexpr std::string_view names[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  for (int i = 0; i < static_cast<int>(std::size(names)); ++i)
    if (names[i] == name) return i;
  return std::nullopt;
}

void configure(int level, Format format) {
  Settings& s = settings();
  std::lock_guard lock(s.mutex);
  s.level = level;
  s.format = format;
  s.sink->set_formatter(make_formatter(format));
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->set_level(static_cast<spdlog::level::level_enum>(level));
  });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  Settings& s = settings();
  std::lock_guard lock(s.mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto logger = std::make_shared<spdlog::logger>(component, s.sink);
  logger->set_level(static_cast<spdlog::level::level_enum>(s.level));
  logger->flush_on(spdlog::level::trace);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace ferry::log
