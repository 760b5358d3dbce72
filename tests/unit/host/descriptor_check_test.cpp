#include <catch2/catch.hpp>

#include "plugin/descriptor_check.hpp"

using ferry::plugin::check_descriptor;

namespace {

struct Fixture {
  ferry_type_sink_vtable table{};
  ferry_type_plugin_descriptor descriptor{};

  Fixture() {
    table.struct_size = sizeof table;
    descriptor.struct_size = sizeof descriptor;
    descriptor.abi_major = FERRY_ABI_MAJOR;
    descriptor.abi_minor = FERRY_ABI_MINOR;
    descriptor.kind = FERRY_KIND_SINK;
    descriptor.name = "demo";
    descriptor.version = "1.0.0";
    descriptor.vtable = &table;
  }
};

}  // namespace

TEST_CASE("a well-formed descriptor passes", "[plugin][descriptor]") {
  Fixture f;
  const auto check = check_descriptor(&f.descriptor);
  CHECK(check.reason.empty());
  REQUIRE(check.kind != nullptr);
  CHECK(check.kind_name == "sink");
  CHECK(check.name == "demo");
  CHECK(check.abi == std::to_string(FERRY_ABI_MAJOR) + "." + std::to_string(FERRY_ABI_MINOR));
}

TEST_CASE("each descriptor defect is refused with its own reason", "[plugin][descriptor]") {
  Fixture f;
  SECTION("null descriptor") { CHECK(check_descriptor(nullptr).reason == "the entry symbol returned no descriptor"); }
  SECTION("too small to hold a version") {
    f.descriptor.struct_size = 4;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("too small to hold an ABI version"));
  }
  SECTION("another major") {
    f.descriptor.abi_major = FERRY_ABI_MAJOR + 1;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("the major differs"));
  }
  SECTION("a newer minor") {
    f.descriptor.abi_minor = FERRY_ABI_MINOR + 1;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("newer than this host's ABI"));
  }
  SECTION("descriptor smaller than ABI 1.0's") {
    f.descriptor.struct_size = 24;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("descriptor is 24 bytes"));
  }
  SECTION("unknown kind") {
    f.descriptor.kind = 42;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("unknown kind 42"));
  }
  SECTION("invalid names") {
    for (const char* name : {"", "Upper", "-dash-first", "with space", "a/b"}) {
      f.descriptor.name = name;
      CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("invalid name"));
    }
    f.descriptor.name = nullptr;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("invalid name"));
  }
  SECTION("a name longer than 64 bytes") {
    const std::string long_name(65, 'a');
    f.descriptor.name = long_name.c_str();
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("invalid name"));
  }
  SECTION("no version") {
    f.descriptor.version = "";
    CHECK(check_descriptor(&f.descriptor).reason == "no version string");
  }
  SECTION("no table") {
    f.descriptor.vtable = nullptr;
    CHECK(check_descriptor(&f.descriptor).reason == "no sink function table");
  }
  SECTION("table smaller than ABI 1.0's") {
    f.table.struct_size = 16;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("sink table is 16 bytes"));
  }
  SECTION("config keys") {
    ferry_type_config_key keys[] = {{"root", 99, 0, 0, 0, "bad type"}};
    f.descriptor.config_keys = keys;
    f.descriptor.config_key_count = 1;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("unknown type 99"));
    keys[0] = {"limit", FERRY_CONFIG_INTEGER, 0, 10, 1, "inverted"};
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("minimum above its maximum"));
    f.descriptor.config_keys = nullptr;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("gives no list"));
  }
  SECTION("features") {
    ferry_type_feature features[] = {{"chunk-checksums", 0, 0, ""}, {"file-metadata", 0, 0, ""}};
    f.descriptor.features = features;
    f.descriptor.feature_count = 2;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("reuses bit 0"));
    features[1].bit = 64;
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("uses bit 64"));
    features[1] = {"Bad Name", 1, 0, ""};
    CHECK_THAT(check_descriptor(&f.descriptor).reason, Catch::Contains("invalid name"));
  }
}
