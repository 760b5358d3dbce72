#include "config/units.hpp"

#include <catch2/catch.hpp>
#include <limits>

#include "config/convert.hpp"

using namespace ferry::config;
using namespace std::chrono_literals;

TEST_CASE("sizes are bytes, binary units or decimal units", "[units]") {
  CHECK(parse_size("4096") == 4096u);
  CHECK(parse_size("0") == 0u);
  CHECK(parse_size("512B") == 512u);
  CHECK(parse_size("64KiB") == 64u * 1024);
  CHECK(parse_size("64MiB") == 64u << 20);
  CHECK(parse_size("1GiB") == 1u << 30);
  CHECK(parse_size("2TiB") == 2ull << 40);
  CHECK(parse_size("10KB") == 10000u);
  CHECK(parse_size("3MB") == 3000000u);
  CHECK(parse_size("1GB") == 1000000000u);
  CHECK(parse_size("1TB") == 1000000000000u);
  CHECK(parse_size("16 MiB") == 16u << 20);
}

TEST_CASE("malformed sizes are rejected, not guessed", "[units]") {
  for (const char* bad : {"", "MiB", "1.5MiB", "-1", "+1", "1mib", "1 kb", "1KiB ", " 1KiB", "1K", "0x10", "1e3",
                          "1KiBB", "18446744073709551616", "16777216TiB"})
    CHECK_FALSE(parse_size(bad).has_value());
  CHECK(parse_size("18446744073709551615") == 18446744073709551615ull);
}

TEST_CASE("durations need a unit", "[units]") {
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("10s") == 10s);
  CHECK(parse_duration("5m") == 5min);
  CHECK(parse_duration("2h") == 2h);
  CHECK(parse_duration("1d") == 24h);
  CHECK(parse_duration("0s") == 0ms);
  CHECK(parse_duration("3 s") == 3s);
  for (const char* bad : {"", "10", "0", "1.5s", "-1s", "10sec", "1w", "s", "1h30m", "99999999999999999d"})
    CHECK_FALSE(parse_duration(bad).has_value());
}

TEST_CASE("ranges are printed in the user's units", "[units]") {
  CHECK(format_size(4096) == "4KiB");
  CHECK(format_size(64u << 20) == "64MiB");
  CHECK(format_size(1000) == "1000B");
  CHECK(format_size(0) == "0B");
  CHECK(format_duration(60000) == "1m");
  CHECK(format_duration(1500) == "1500ms");
  CHECK(format_duration(86400000) == "1d");
  CHECK(expected(Quantity::size, 4096, 64 << 20) == "a size in 4KiB..64MiB");
  CHECK(expected(Quantity::count, 1, 65535) == "an integer in 1..65535");
  CHECK(expected(Quantity::duration, 1000, std::numeric_limits<int64_t>::max()) == "a duration of at least 1s");
  CHECK(expected(Quantity::size, 0, std::numeric_limits<int64_t>::max()) == "a size");
}
