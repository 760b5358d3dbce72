#include "metrics/exposition.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace ferry::metrics;

TEST_CASE("label values escape backslash, double quote and line feed, and nothing else") {
  CHECK(escape_label_value("plain") == "plain");
  CHECK(escape_label_value("a\\b") == "a\\\\b");
  CHECK(escape_label_value("say \"hi\"") == "say \\\"hi\\\"");
  CHECK(escape_label_value("two\nlines") == "two\\nlines");
  CHECK(escape_label_value("tab\tand é") == "tab\tand é");
}

TEST_CASE("help text escapes backslash and line feed but keeps double quotes") {
  CHECK(escape_help("a \"quoted\" \\ word\nnext") == "a \"quoted\" \\\\ word\\nnext");
}

TEST_CASE("a label set is braced and comma-separated, and empty without labels") {
  CHECK(label_set({}) == "");
  CHECK(label_set({{"a", "1"}}) == "{a=\"1\"}");
  CHECK(label_set({{"a", "1"}, {"b", "x\"y"}}) == "{a=\"1\",b=\"x\\\"y\"}");
}

TEST_CASE("values are written as Prometheus reads them") {
  CHECK(format_value(0) == "0");
  CHECK(format_value(42) == "42");
  CHECK(format_value(0.25) == "0.25");
  CHECK(format_value(-3) == "-3");
  CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(format_value(std::nan("")) == "NaN");
}
