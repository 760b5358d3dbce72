#include "handshake/from_config.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "handshake/random.hpp"
#include "handshake/text.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

TEST_CASE("The settings that must agree come from [communication]", "[handshake][config]") {
  ferry::config::CommunicationSection communication;
  communication.connections_per_peer = 4;
  communication.paired_connections = true;
  communication.max_message_size = 1 << 20;
  communication.checksum = "none";
  CHECK(must_agree_settings(communication) == std::vector<Setting>{{"connections_per_peer", "4"},
                                                                   {"paired_connections", "true"},
                                                                   {"max_message_size", "1048576"},
                                                                   {"checksum", "none"}});
}

TEST_CASE("A LocalNode from a Config, the loaded codecs and an identity", "[handshake][config]") {
  ferry::config::Config config;
  config.node.name = "alpha";
  config.node.cluster = "prod";
  config.protocol.max_version = "1.1";
  config.protocol.require_features = {"checksum"};
  config.protocol.disable_features = {"compression"};
  config.communication.allowed_nodes = {"beta"};
  const std::vector<CodecOffer> codecs = {{{1, 0}, 3}, {{2, 0}, 7}};
  auto local = local_node(config, node_id(1), 77, codecs, {{"checksum", 0}});
  REQUIRE(local.ok());
  CHECK(local.value().id == node_id(1));
  CHECK(local.value().name == "alpha");
  CHECK(local.value().cluster == "prod");
  CHECK(local.value().incarnation == 77);
  CHECK(local.value().settings == must_agree_settings(config.communication));
  CHECK(local.value().codecs == codecs);
  CHECK(local.value().max_version == Version{1, 1});
  CHECK(local.value().features.required == std::vector<std::string>{"checksum"});
  CHECK(local.value().features.disabled == std::vector<std::string>{"compression"});
  CHECK(local.value().allowed_nodes == std::vector<std::string>{"beta"});

  config.protocol.max_version.clear();
  CHECK_FALSE(local_node(config, node_id(1), 77, codecs, {}).value().max_version);
  config.protocol.max_version = "one";
  CHECK(local_node(config, node_id(1), 77, codecs, {}).error().reason ==
        "protocol.max_version: expected \"MAJOR.MINOR\", got \"one\"");
}

TEST_CASE("Incarnations are never 0 and nonces are fresh", "[handshake][config]") {
  std::set<Nonce> nonces;
  for (int i = 0; i < 100; ++i) {
    CHECK(random_incarnation() != 0);
    nonces.insert(random_nonce());
  }
  CHECK(nonces.size() == 100);
}

TEST_CASE("Peer text in sentences is quoted, escaped and bounded", "[handshake][config]") {
  CHECK(in_quotes("beta") == "\"beta\"");
  CHECK(in_quotes("say \"hi\"\n") == "\"say \\x22hi\\x22\\x0a\"");
  CHECK(in_quotes(std::string(100, 'n')) == "\"" + std::string(60, 'n') + "...\"");
  // Cut before a UTF-8 sequence, never inside it.
  CHECK(in_quotes(std::string(59, 'n') + "\xc3\xa9") == "\"" + std::string(59, 'n') + "...\"");
  CHECK(printable("tab\there", 100) == "tab\\x09here");
}
