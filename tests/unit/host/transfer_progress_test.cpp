// The progress line and the summaries of `ferry send` and `ferry fetch`: what they count, and that files
// the receiving sink already held are left out of what remains to move.
#include <catch2/catch.hpp>

#include "cli/transfer_progress.hpp"

using ferry::cli::progress_line;
using ferry::cli::summary_json;
using ferry::node::SessionReport;

namespace {

SessionReport streaming_report() {
  SessionReport report;
  report.state = ferry::stream::State::streaming;
  report.bytes_to_send = 100 << 20;
  report.bytes_sent = 20 << 20;
  report.elapsed = std::chrono::seconds(1);
  return report;
}

}  // namespace

TEST_CASE("progress counts what travels, leaving skipped files out", "[cli][progress]") {
  SessionReport report = streaming_report();
  CHECK_THAT(progress_line(report, false), Catch::StartsWith("STREAMING  20%  20.0 MiB / 100.0 MiB  20.0 MiB/s  ETA 4 s"));
  report.bytes_skipped = 60 << 20;
  CHECK_THAT(progress_line(report, false), Catch::StartsWith("STREAMING  50%  20.0 MiB / 40.0 MiB  20.0 MiB/s  ETA 1 s"));
  CHECK_THAT(progress_line(report, true), Catch::StartsWith("[###############...............]  50%"));
}

TEST_CASE("a peer's total short of its skipped files reads as nothing left, not as a wrapped number",
          "[cli][progress]") {
  SessionReport report = streaming_report();
  report.bytes_skipped = 200 << 20;
  CHECK_THAT(progress_line(report, false), Catch::StartsWith("STREAMING   0%  20.0 MiB / 0 B"));
}

TEST_CASE("the JSON summary carries the skipped files and their bytes", "[cli][progress]") {
  SessionReport report = streaming_report();
  report.skipped = 3;
  report.bytes_skipped = 60 << 20;
  CHECK_THAT(summary_json(report), Catch::Contains("\"skipped\":3,\"bytes_skipped\":62914560,\"reason\":\"\""));
}
