// The contract checks as ferry-sink-check runs them: each against a fresh instance of the sink under check.
#include <catch2/catch.hpp>

#include "contract.hpp"
#include "plugin_sink.hpp"

using namespace ferry::sink_kit;

TEST_CASE("commit makes a file visible at once", "[contract]") {
  PluginSink sink;
  commit_makes_the_file_visible_at_once(sink.under_test);
}

TEST_CASE("abort leaves nothing", "[contract]") {
  PluginSink sink;
  abort_leaves_nothing(sink.under_test);
}

TEST_CASE("an incomplete file fails with the sink's message and leaves nothing", "[contract][errors]") {
  PluginSink sink;
  incomplete_file_fails_to_commit_and_leaves_nothing(sink.under_test);
}

TEST_CASE("hostile names are refused", "[contract][names]") {
  PluginSink sink;
  hostile_names_are_refused(sink.under_test);
}

TEST_CASE("odd names round-trip", "[contract][names]") {
  PluginSink sink;
  odd_names_round_trip(sink.under_test);
}

TEST_CASE("concurrent files stay apart", "[contract][threads]") {
  PluginSink sink;
  concurrent_files_stay_apart(sink.under_test);
}

TEST_CASE("a large file passes in bounded memory", "[contract][large]") {
  PluginSink sink;
  large_file_in_bounded_memory(sink.under_test, kit_options().large_size, kit_options().memory_bound);
}
