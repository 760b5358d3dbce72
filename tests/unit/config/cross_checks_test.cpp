#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::config;
using test::all_errors;
using test::find_error;
using test::load;

TEST_CASE("listening beyond loopback without TLS or a secret is a warning", "[cross_checks]") {
  LoadResult result = load("[transport]\nlisten = \"0.0.0.0:7400\"\n");
  REQUIRE(result.config);
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0] ==
        "test.toml:2:10: transport.listen: listening on 0.0.0.0:7400 without TLS or a "
        "cluster secret: any host that can reach it may connect");

  CHECK(load_defaults({"transport.listen=:7400"}).warnings.size() == 1);
  CHECK(load_defaults({"transport.listen=[::]:7400"}).warnings.size() == 1);
  for (const char* safe : {"[transport]\nlisten = \"[::1]:7400\"\n", "[transport]\nlisten = \"localhost:7400\"\n",
                           "[transport]\nlisten = \"10.0.0.1:7400\"\n[communication]\ncluster_secret_file = \"/s\"\n"})
    CHECK(load(safe).warnings.empty());
}

TEST_CASE("an exposed admin endpoint without a token is a warning", "[cross_checks]") {
  LoadResult result = load_defaults({"admin.listen=0.0.0.0:7401"});
  REQUIRE(result.config);
  REQUIRE(result.warnings.size() == 1);
  CHECK_THAT(result.warnings[0], Catch::StartsWith("--set admin.listen: admin endpoint on 0.0.0.0:7401"));
  CHECK(load_defaults({"admin.listen=0.0.0.0:7401", "admin.enabled=false"}).warnings.empty());
}

TEST_CASE("TLS needs its files, and tls.required needs tls.enabled", "[cross_checks]") {
  LoadResult result = load("[tls]\nenabled = true\ncert = \"/c\"\n");
  INFO(all_errors(result));
  REQUIRE(result.errors.size() == 2);
  CHECK(find_error(result, "tls.key")->to_string() ==
        "test.toml:2:11: tls.key: a file path is required when tls.enabled = true");
  CHECK(find_error(result, "tls.ca"));

  result = load("[tls]\nrequired = true\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() == "test.toml:2:12: tls.required: tls.required = true needs tls.enabled = true");
}

TEST_CASE("rules spanning several keys", "[cross_checks]") {
  LoadResult result = load(R"([protocol]
require_features = ["compression"]
disable_features = ["compression", "resume"]
[communication]
connect_timeout = "30s"
max_connect_timeout = "10s"
max_message_size = "1MiB"
[stream]
chunk_size = "1MiB"
)");
  INFO(all_errors(result));
  REQUIRE(result.errors.size() == 3);
  CHECK(find_error(result, "protocol.disable_features")->message ==
        "\"compression\" is also in protocol.require_features");
  CHECK(find_error(result, "communication.max_connect_timeout")->message ==
        "expected at least communication.connect_timeout (30s), got 10s");
  CHECK_THAT(
      find_error(result, "stream.chunk_size")->to_string(),
      Catch::StartsWith(
          "test.toml:9:14: stream.chunk_size: expected at most 1020KiB (communication.max_message_size 1MiB minus 4KiB"));
}

TEST_CASE("without a chunk size given, a small max_message_size lowers the default chunk to fit", "[cross_checks]") {
  LoadResult result = load("[communication]\nmax_message_size = \"1MiB\"\n");
  REQUIRE(result.config);
  CHECK(result.config->stream.chunk_size == (1u << 20) - 4096);
  result = load("[communication]\nmax_message_size = \"64MiB\"\n");
  REQUIRE(result.config);
  CHECK(result.config->stream.chunk_size == 2u << 20);  // the default, which fits
  // Below the smallest chunk and its header: the default cannot fit, and the error says why.
  result = load("[communication]\nmax_message_size = \"6KiB\"\n");
  CHECK_THAT(all_errors(result), Catch::Contains("stream.chunk_size: expected at most 2KiB"));
}

TEST_CASE("an unacked_limit below ack_threshold is a warning", "[cross_checks]") {
  LoadResult result = load("[communication]\nunacked_limit = 8\nack_threshold = 16\n");
  REQUIRE(result.config);
  REQUIRE(result.warnings.size() == 1);
  CHECK_THAT(result.warnings[0], Catch::StartsWith("test.toml:2:17: communication.unacked_limit: below"));
}

TEST_CASE("a rejected value causes no follow-up errors in rules spanning keys", "[cross_checks]") {
  LoadResult result = load(
      "[communication]\nmax_message_size = \"1MiB\"\nconnect_timeout = 5\n"
      "[stream]\nchunk_size = \"1KiB\"\ndefault_sink = \"No\"\n[tls]\nrequired = \"yes\"\n");
  INFO(all_errors(result));
  CHECK(result.errors.size() == 4);
}
