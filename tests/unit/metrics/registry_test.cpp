#include "metrics/registry.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <thread>

using namespace ferry::metrics;

TEST_CASE("a counter is rendered with the ferry_ prefix, the _total suffix, HELP and TYPE") {
  Registry registry;
  registry.counter("widgets", "Widgets made", {{"colour", "red"}}).add(3);
  registry.counter("widgets", "Widgets made", {{"colour", "blue"}}).add();
  CHECK(registry.render() ==
        "# HELP ferry_widgets_total Widgets made\n"
        "# TYPE ferry_widgets_total counter\n"
        "ferry_widgets_total{colour=\"blue\"} 1\n"
        "ferry_widgets_total{colour=\"red\"} 3\n");
}

TEST_CASE("the same name and labels give the same counter") {
  Registry registry;
  Counter& first = registry.counter("hits", "Hits");
  Counter& second = registry.counter("hits", "Hits");
  CHECK(&first == &second);
  first.add(2);
  second.add(5);
  CHECK(first.value() == 7);
}

TEST_CASE("a gauge goes up and down and keeps no suffix") {
  Registry registry;
  Gauge& gauge = registry.gauge("depth", "How deep");
  gauge.add(5);
  gauge.add(-7);
  CHECK(registry.render() ==
        "# HELP ferry_depth How deep\n"
        "# TYPE ferry_depth gauge\n"
        "ferry_depth -2\n");
}

TEST_CASE("families are sorted by name and label values escaped") {
  Registry registry;
  registry.gauge("zeta", "Last").set(1);
  registry.counter("alpha", "First line\nsecond \\ line", {{"path", "C:\\dir \"x\"\n"}}).add();
  CHECK(registry.render() ==
        "# HELP ferry_alpha_total First line\\nsecond \\\\ line\n"
        "# TYPE ferry_alpha_total counter\n"
        "ferry_alpha_total{path=\"C:\\\\dir \\\"x\\\"\\n\"} 1\n"
        "# HELP ferry_zeta Last\n"
        "# TYPE ferry_zeta gauge\n"
        "ferry_zeta 1\n");
}

TEST_CASE("collected samples join their described family, and families without samples are still listed") {
  Registry registry;
  registry.describe("open", "Open things", Type::gauge);
  registry.describe("empty", "Nothing yet", Type::counter);
  const auto id = registry.add_collector([] {
    return std::vector<Sample>{{"open", {{"kind", "b"}}, 2}, {"open", {{"kind", "a"}}, 0.5}};
  });
  CHECK(registry.render() ==
        "# HELP ferry_empty_total Nothing yet\n"
        "# TYPE ferry_empty_total counter\n"
        "# HELP ferry_open Open things\n"
        "# TYPE ferry_open gauge\n"
        "ferry_open{kind=\"a\"} 0.5\n"
        "ferry_open{kind=\"b\"} 2\n");
  registry.remove_collector(id);
  CHECK(registry.render().find("ferry_open{") == std::string::npos);
}

TEST_CASE("misuse is a programming error, refused at once") {
  Registry registry;
  registry.counter("thing", "A thing");
  CHECK_THROWS_AS(registry.gauge("thing", "A thing"), std::logic_error);
  CHECK_THROWS_AS(registry.counter("Bad-Name", "x"), std::logic_error);
  CHECK_THROWS_AS(registry.counter("ok", "x", {{"bad label", "v"}}), std::logic_error);
  CHECK_THROWS_AS(registry.counter("ok", "x", {{"__reserved", "v"}}), std::logic_error);
  registry.add_collector([] { return std::vector<Sample>{{"undescribed", {}, 1}}; });
  CHECK_THROWS_AS(registry.render(), std::logic_error);
}

TEST_CASE("counting from many threads loses nothing") {
  Registry registry;
  Counter& counter = registry.counter("events", "Events");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) counter.add();
    });
  for (auto& thread : threads) thread.join();
  CHECK(counter.value() == 40000);
}
