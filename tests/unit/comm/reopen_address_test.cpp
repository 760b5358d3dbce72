#include <catch2/catch.hpp>

#include "comm/reopen_address.hpp"

using ferry::comm::reopen_address;

TEST_CASE("a peer's advertised address is used as given unless its host is a wildcard", "[comm][idle]") {
  CHECK(reopen_address("10.0.0.7:7400", "10.0.0.7:51234") == "10.0.0.7:7400");
  CHECK(reopen_address("/run/ferry/node.sock", "") == "/run/ferry/node.sock");
  CHECK(reopen_address("0.0.0.0:7400", "192.168.1.20:40112") == "192.168.1.20:7400");
  CHECK(reopen_address("[::]:7400", "[fd00::5]:40112") == "[fd00::5]:7400");
  CHECK(reopen_address("0.0.0.0:7400", "") == "0.0.0.0:7400");  // nothing better is known
}
