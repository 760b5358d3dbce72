// The node's metrics (docs/operations.md, "Metrics"): counters and gauges kept in relaxed atomics, so that
// counting on a hot path costs one uncontended atomic add, and rendered in the Prometheus text exposition
// format. A metric is looked up once, by name and label values, and the reference kept: the lookup takes
// a lock, the counting never does. Values that already live elsewhere (open connections, sessions by
// state) are read when rendering, through collectors, rather than mirrored.
//
// Thread safety: every member may be called from any thread. References returned stay valid for the
// registry's lifetime.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ferry::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  void set(int64_t n) { value_.store(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

enum class Type { counter, gauge };

// One value read when rendering, for a family declared with describe().
struct Sample {
  std::string name;  // without the ferry_ prefix and the _total suffix
  Labels labels;
  double value = 0;
};

class Registry {
 public:
  // name: lower-case words joined by '_', without the ferry_ prefix or (for counters) the _total suffix;
  // both are added when rendering. The first call for a name fixes its help text and type; asking for a
  // name again with the other type throws std::logic_error.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});

  // Declares a family whose samples a collector supplies, so that it is listed even while it has none.
  void describe(const std::string& name, const std::string& help, Type type);
  // Called at every render, on the rendering thread; returns samples of families declared with describe().
  // Returns an id for remove_collector.
  using Collector = std::function<std::vector<Sample>()>;
  uint64_t add_collector(Collector collector);
  void remove_collector(uint64_t id);

  // The Prometheus text exposition format, version 0.0.4: families sorted by name, each with HELP and TYPE.
  std::string render() const;

 private:
  struct Family {
    std::string help;
    Type type = Type::counter;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
  };
  Family& family(const std::string& name, const std::string& help, Type type);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::map<uint64_t, Collector> collectors_;
  uint64_t next_collector_ = 1;
};

// The process's registry: what GET /metrics shows.
Registry& registry();

}  // namespace ferry::metrics
