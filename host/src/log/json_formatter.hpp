// An spdlog formatter that writes one JSON object per line: {"time","level","logger","message"}.
// spdlog's pattern language cannot escape JSON, hence this class.
#pragma once

#include <spdlog/formatter.h>

namespace ferry::log {

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace ferry::log
