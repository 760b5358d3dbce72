#include "metrics/registry.hpp"

#include <stdexcept>

#include "metrics/exposition.hpp"

namespace ferry::metrics {
namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

void check_labels(const std::string& metric, const Labels& labels) {
  for (const auto& [name, value] : labels)
    if (!valid_name(name) || name.starts_with("__"))
      throw std::logic_error("metric " + metric + ": invalid label name '" + name + "'");
}

std::string exposed_name(const std::string& name, Type type) {
  return "ferry_" + name + (type == Type::counter ? "_total" : "");
}

}  // namespace

Registry::Family& Registry::family(const std::string& name, const std::string& help, Type type) {
  if (!valid_name(name)) throw std::logic_error("invalid metric name '" + name + "'");
  auto [it, added] = families_.try_emplace(name);
  if (added) {
    it->second.help = help;
    it->second.type = type;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " is already registered with another type");
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  check_labels(name, labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::counter).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  check_labels(name, labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::gauge).gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

void Registry::describe(const std::string& name, const std::string& help, Type type) {
  std::lock_guard lock(mutex_);
  family(name, help, type);
}

uint64_t Registry::add_collector(Collector collector) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_collector_++;
  collectors_.emplace(id, std::move(collector));
  return id;
}

void Registry::remove_collector(uint64_t id) {
  std::lock_guard lock(mutex_);
  collectors_.erase(id);
}

std::string Registry::render() const {
  std::vector<Collector> collectors;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, collector] : collectors_) collectors.push_back(collector);
  }
  // Collectors run without the lock: they may wait for other threads that count meanwhile.
  std::map<std::string, std::map<Labels, double>> collected;
  for (const auto& collector : collectors)
    for (auto& sample : collector()) {
      check_labels(sample.name, sample.labels);
      collected[sample.name][std::move(sample.labels)] += sample.value;
    }

  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    const std::string exposed = exposed_name(name, family.type);
    out += "# HELP " + exposed + ' ' + escape_help(family.help) + '\n';
    out += "# TYPE " + exposed + (family.type == Type::counter ? " counter\n" : " gauge\n");
    for (const auto& [labels, counter] : family.counters)
      out += exposed + label_set(labels) + ' ' + std::to_string(counter->value()) + '\n';
    for (const auto& [labels, gauge] : family.gauges)
      out += exposed + label_set(labels) + ' ' + std::to_string(gauge->value()) + '\n';
    if (const auto it = collected.find(name); it != collected.end())
      for (const auto& [labels, value] : it->second) out += exposed + label_set(labels) + ' ' + format_value(value) + '\n';
  }
  for (const auto& [name, samples] : collected)
    if (!families_.contains(name)) throw std::logic_error("metric " + name + " was collected but never described");
  return out;
}

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace ferry::metrics
