#include "log/json_formatter.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "util/json.hpp"

namespace ferry::log {

void JsonFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  using namespace std::chrono;
  const auto since_epoch = msg.time.time_since_epoch();
  const std::time_t seconds = duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto micros = duration_cast<microseconds>(since_epoch).count() % 1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time_text[40];
  const size_t n = std::strftime(time_text, sizeof time_text, "%Y-%m-%dT%H:%M:%S", &utc);

  std::string line;
  line.reserve(96 + msg.payload.size());
  line += "{\"time\":\"";
  line.append(time_text, n);
  line += fmt::format(".{:06}Z\",\"level\":", micros);
  const auto level = spdlog::level::to_string_view(msg.level);
  util::append_json_string(line, std::string_view(level.data(), level.size()));
  line += ",\"logger\":";
  util::append_json_string(line, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
  line += ",\"message\":";
  util::append_json_string(line, std::string_view(msg.payload.data(), msg.payload.size()));
  line += "}\n";
  dest.append(line.data(), line.data() + line.size());
}

std::unique_ptr<spdlog::formatter> JsonFormatter::clone() const { return std::make_unique<JsonFormatter>(); }

}  // namespace ferry::log
