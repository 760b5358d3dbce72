// Command-line options shared by the anchors: --count N --size BYTES [--port P].
#pragma once

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <system_error>

namespace anchor {

struct Options {
  long count = 0;
  long size = 0;
  long port = 0;  // 0: the OS chooses
};

inline constexpr long max_size = 64L * 1024 * 1024;

[[noreturn]] inline void usage_error(const char* program, std::string_view problem) {
  std::fprintf(stderr, "%s: %.*s\nusage: %s [--count N] [--size BYTES] [--port P]\n", program,
               static_cast<int>(problem.size()), problem.data(), program);
  std::exit(2);
}

inline long parse_number(const char* program, std::string_view name, const char* text, long low, long high) {
  long value = 0;
  std::string_view digits(text);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || value < low || value > high) {
    std::fprintf(stderr, "%s: %.*s must be a whole number in %ld..%ld, not '%s'\n", program,
                 static_cast<int>(name.size()), name.data(), low, high, text);
    std::exit(2);
  }
  return value;
}

inline Options parse_options(int argc, char** argv, Options options) {
  for (int i = 1; i < argc; i += 2) {
    std::string_view name(argv[i]);
    if (i + 1 == argc) usage_error(argv[0], "missing value after an option");
    if (name == "--count")
      options.count = parse_number(argv[0], name, argv[i + 1], 1, 1'000'000'000);
    else if (name == "--size")
      options.size = parse_number(argv[0], name, argv[i + 1], 1, max_size);
    else if (name == "--port")
      options.port = parse_number(argv[0], name, argv[i + 1], 0, 65535);
    else
      usage_error(argv[0], "unknown option");
  }
  return options;
}

}  // namespace anchor
