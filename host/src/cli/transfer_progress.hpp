// What `ferry send` and `ferry fetch` print: a progress bar with bytes, rate and ETA on a terminal, plain
// lines otherwise, and the final summary as text or one JSON object.
#pragma once

#include <string>

#include "node/session_report.hpp"

namespace ferry::cli {

// "1.5 GiB"
std::string human_bytes(double bytes);
// One progress line: a bar when for_terminal (to be drawn over the previous one with '\r').
std::string progress_line(const node::SessionReport& report, bool for_terminal);
// The summary: "COMPLETE: 12 files, 1.0 GiB in 2.1 s (487 MiB/s), 0 retries, 0 skipped" and the reason.
std::string summary_text(const node::SessionReport& report);
// {"session":..., "state":..., "files":..., "bytes":..., "bytes_per_s":..., "retries":..., "skipped":...,
//  "bytes_skipped":..., "reason":...}
std::string summary_json(const node::SessionReport& report);

}  // namespace ferry::cli
