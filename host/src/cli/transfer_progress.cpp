#include "cli/transfer_progress.hpp"

#include <cstdio>

#include "util/json.hpp"

namespace ferry::cli {

namespace {

double seconds(const node::SessionReport& report) {
  return std::chrono::duration<double>(report.elapsed).count();
}

uint64_t bytes_done(const node::SessionReport& report) { return report.bytes_sent + report.bytes_received; }
// What will travel: the skipped files' bytes never do, so the percentage and the ETA leave them out. (The
// peer's announced total may be short of what its files hold: never below zero.)
uint64_t bytes_total(const node::SessionReport& report) {
  const uint64_t announced = report.bytes_to_send + report.bytes_to_receive;
  return announced > report.bytes_skipped ? announced - report.bytes_skipped : 0;
}
uint64_t files_done(const node::SessionReport& report) { return report.files_sent + report.files_received; }

double rate(const node::SessionReport& report) {
  const double s = seconds(report);
  return s > 0 ? static_cast<double>(bytes_done(report)) / s : 0;
}

std::string format(const char* pattern, auto... values) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, values...);
  return text;
}

}  // namespace

std::string human_bytes(double bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(units)) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? format("%.0f B", bytes) : format("%.1f %s", bytes, units[unit]);
}

std::string progress_line(const node::SessionReport& report, bool for_terminal) {
  const uint64_t done = bytes_done(report), total = bytes_total(report);
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0;
  const double r = rate(report);
  const std::string eta = r > 0 && total > done ? format("%.0f s", static_cast<double>(total - done) / r) : "-";
  const std::string numbers = format("%s / %s  %s/s  ETA %s  %llu files", human_bytes(static_cast<double>(done)).c_str(),
                                     human_bytes(static_cast<double>(total)).c_str(), human_bytes(r).c_str(), eta.c_str(),
                                     static_cast<unsigned long long>(files_done(report)));
  if (!for_terminal) return format("%s %3.0f%%  ", stream::state_name(report.state), fraction * 100) + numbers;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
  return bar + format(" %3.0f%%  ", fraction * 100) + numbers;
}

std::string summary_text(const node::SessionReport& report) {
  std::string text = format("%s: %llu files, %s in %.1f s (%s/s), %llu retries, %llu skipped",
                            stream::state_name(report.state), static_cast<unsigned long long>(files_done(report)),
                            human_bytes(static_cast<double>(bytes_done(report))).c_str(), seconds(report),
                            human_bytes(rate(report)).c_str(), static_cast<unsigned long long>(report.retries),
                            static_cast<unsigned long long>(report.skipped));
  text += "\nsession " + report.session;
  if (!report.reason.empty()) text += "\nreason: " + report.reason;
  return text;
}

std::string summary_json(const node::SessionReport& report) {
  std::string out = "{\"session\":";
  util::append_json_string(out, report.session);
  out += ",\"state\":";
  util::append_json_string(out, stream::state_name(report.state));
  out += format(",\"files\":%llu,\"files_sent\":%llu,\"files_received\":%llu,\"bytes\":%llu,\"bytes_sent\":%llu,"
                "\"bytes_received\":%llu,\"seconds\":%.6f,\"bytes_per_s\":%.0f,\"retries\":%llu,\"skipped\":%llu,"
                "\"bytes_skipped\":%llu",
                static_cast<unsigned long long>(files_done(report)), static_cast<unsigned long long>(report.files_sent),
                static_cast<unsigned long long>(report.files_received),
                static_cast<unsigned long long>(bytes_done(report)), static_cast<unsigned long long>(report.bytes_sent),
                static_cast<unsigned long long>(report.bytes_received), seconds(report), rate(report),
                static_cast<unsigned long long>(report.retries), static_cast<unsigned long long>(report.skipped),
                static_cast<unsigned long long>(report.bytes_skipped));
  out += ",\"reason\":";
  util::append_json_string(out, report.reason);
  return out + "}";
}

}  // namespace ferry::cli
