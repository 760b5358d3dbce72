// The host services table as a plugin sees it: configuration, logging, posted work and timers.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "plugin/catalog.hpp"
#include "plugin/instance_context.hpp"
#include "runtime/event_loop.hpp"

using namespace std::chrono_literals;
using ferry::plugin::InstanceContext;

namespace {

std::shared_ptr<ferry::plugin::Library> null_library() {
  const auto catalog = ferry::plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, ferry::plugin::FilePolicy{false, 0});
  auto library = catalog.find("sink", "null");
  REQUIRE(library != nullptr);
  return library;
}

struct TimerRecord {
  std::promise<int32_t> outcome;
};

void record_timer(void* argument, int32_t cancelled) { static_cast<TimerRecord*>(argument)->outcome.set_value(cancelled); }

void count_work(void* argument) { static_cast<std::atomic<int>*>(argument)->fetch_add(1); }

}  // namespace

TEST_CASE("configuration values reach the plugin with their types", "[plugin][services]") {
  InstanceContext context(null_library(), "services-test", nullptr);
  const ferry_type_host_services* host = context.services();
  REQUIRE(host->struct_size == sizeof(ferry_type_host_services));
  CHECK(host->abi_major == FERRY_ABI_MAJOR);

  ferry::config::PluginValues values;
  values.values["root"] = std::string("/srv/data");
  values.values["limit"] = int64_t{4096};
  values.values["fsync"] = true;
  const auto* view = InstanceContext::view_of(values);

  const char* text = nullptr;
  size_t length = 0;
  REQUIRE(host->callback_config_string(host->context_host_ptr, view, "root", &text, &length) == FERRY_OK);
  CHECK(std::string(text, length) == "/srv/data");
  int64_t number = 0;
  REQUIRE(host->callback_config_integer(host->context_host_ptr, view, "limit", &number) == FERRY_OK);
  CHECK(number == 4096);
  int32_t flag = 0;
  REQUIRE(host->callback_config_boolean(host->context_host_ptr, view, "fsync", &flag) == FERRY_OK);
  CHECK(flag == 1);

  CHECK(host->callback_config_string(host->context_host_ptr, view, "absent", &text, &length) == FERRY_ERR_NOT_FOUND);
  CHECK(host->callback_config_integer(host->context_host_ptr, view, "root", &number) == FERRY_ERR_INVALID_ARGUMENT);
  host->callback_log(host->context_host_ptr, FERRY_LOG_INFO, "a line from the test", 20);
}

TEST_CASE("without an event loop, posting and timers are refused", "[plugin][services]") {
  InstanceContext context(null_library(), "services-test", nullptr);
  const ferry_type_host_services* host = context.services();
  std::atomic<int> runs{0};
  CHECK(host->callback_post(host->context_host_ptr, &count_work, &runs) == FERRY_ERR_LIMIT);
  uint64_t id = 0;
  CHECK(host->callback_timer_start(host->context_host_ptr, 1, &record_timer, nullptr, &id) == FERRY_ERR_LIMIT);
}

TEST_CASE("malformed timer and work requests are refused", "[plugin][services]") {
  ferry::runtime::EventLoop loop(1);
  InstanceContext context(null_library(), "services-test", &loop);
  const ferry_type_host_services* host = context.services();
  uint64_t id = 0;
  TimerRecord record;
  CHECK(host->callback_timer_start(host->context_host_ptr, uint64_t{FERRY_TIMER_MAX_DELAY_MS} + 1, &record_timer,
                                   &record, &id) == FERRY_ERR_INVALID_ARGUMENT);
  CHECK(host->callback_timer_start(host->context_host_ptr, 1, nullptr, &record, &id) == FERRY_ERR_INVALID_ARGUMENT);
  CHECK(host->callback_post(host->context_host_ptr, nullptr, nullptr) == FERRY_ERR_INVALID_ARGUMENT);
}

TEST_CASE("posted work and timers run on the host's threads", "[plugin][services][runtime]") {
  ferry::runtime::EventLoop loop(2);
  InstanceContext context(null_library(), "services-test", &loop);
  const ferry_type_host_services* host = context.services();

  SECTION("posted work runs") {
    std::atomic<int> runs{0};
    for (int i = 0; i < 100; ++i) REQUIRE(host->callback_post(host->context_host_ptr, &count_work, &runs) == FERRY_OK);
    loop.stop();
    CHECK(runs == 100);
  }
  SECTION("a timer fires once, not cancelled") {
    TimerRecord record;
    uint64_t id = 0;
    REQUIRE(host->callback_timer_start(host->context_host_ptr, 1, &record_timer, &record, &id) == FERRY_OK);
    auto outcome = record.outcome.get_future();
    REQUIRE(outcome.wait_for(10s) == std::future_status::ready);
    CHECK(outcome.get() == 0);
  }
  SECTION("a cancelled timer fires once, cancelled") {
    TimerRecord record;
    uint64_t id = 0;
    REQUIRE(host->callback_timer_start(host->context_host_ptr, 60000, &record_timer, &record, &id) == FERRY_OK);
    host->callback_timer_cancel(host->context_host_ptr, id);
    auto outcome = record.outcome.get_future();
    REQUIRE(outcome.wait_for(10s) == std::future_status::ready);
    CHECK(outcome.get() == 1);
  }
  SECTION("stopping cancels pending timers and refuses new work") {
    TimerRecord record;
    uint64_t id = 0;
    REQUIRE(host->callback_timer_start(host->context_host_ptr, 60000, &record_timer, &record, &id) == FERRY_OK);
    auto outcome = record.outcome.get_future();
    loop.stop();
    REQUIRE(outcome.wait_for(0s) == std::future_status::ready);
    CHECK(outcome.get() == 1);
    std::atomic<int> runs{0};
    CHECK(host->callback_post(host->context_host_ptr, &count_work, &runs) == FERRY_ERR_LIMIT);
  }
}
