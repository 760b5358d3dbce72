#include "sink_under_test.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "digest/sha256.hpp"

namespace ferry::sink_kit {

VisibleFile visible_file_of(std::span<const uint8_t> data) {
  digest::Sha256 sha;
  sha.update(data);
  const auto sum = sha.finish();
  return {data.size(), std::vector<uint8_t>(sum.begin(), sum.end())};
}

std::unique_ptr<plugin::SinkFile> require_open(plugin::SinkInstance& sink, const plugin::FileSpec& spec) {
  auto opened = sink.open(spec);
  if (const auto* error = std::get_if<plugin::PluginError>(&opened))
    FAIL("cannot open " << spec.relative_path << ": " << error->message);
  return std::move(std::get<0>(opened));
}

void require_store(plugin::SinkInstance& sink, const plugin::FileSpec& spec, const std::vector<uint8_t>& data,
                   size_t chunk) {
  auto file = require_open(sink, spec);
  for (size_t offset = 0; offset < data.size(); offset += chunk) {
    const size_t length = std::min(chunk, data.size() - offset);
    const auto error = file->write(offset, std::span<const uint8_t>(data.data() + offset, length));
    if (error) FAIL("cannot write " << spec.relative_path << " at " << offset << ": " << error->message);
  }
  const auto error = file->commit();
  if (error) FAIL("cannot commit " << spec.relative_path << ": " << error->message);
}

std::vector<uint8_t> pattern_bytes(size_t length, uint32_t seed) {
  std::vector<uint8_t> bytes(length);
  uint32_t state = seed * 2654435761u + 1;
  for (auto& byte : bytes) {
    state = state * 1664525u + 1013904223u;
    byte = static_cast<uint8_t>(state >> 24);
  }
  return bytes;
}

plugin::FileSpec file_spec(std::string path, uint64_t size) {
  plugin::FileSpec spec;
  spec.relative_path = std::move(path);
  spec.size = size;
  return spec;
}

}  // namespace ferry::sink_kit
