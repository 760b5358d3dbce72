// The process exit statuses of every `ferry` command (documented in docs/operations.md).
#pragma once

namespace ferry::cli {

inline constexpr int exit_ok = 0;       // done as asked
inline constexpr int exit_invalid = 1;  // the configuration (or a check the command ran) is invalid
inline constexpr int exit_usage = 2;    // the command line itself is wrong
inline constexpr int exit_runtime = 3;  // valid input, but the work failed (a plugin or the system refused)
// Plus the signal's number: `send` or `fetch` stopped by SIGINT (130) or SIGTERM (143), as shells count it.
inline constexpr int exit_signal_base = 128;

}  // namespace ferry::cli
