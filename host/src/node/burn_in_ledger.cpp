#include "node/burn_in_ledger.hpp"

#include <sstream>

namespace ferry::node {
namespace {

void put_u64(std::vector<uint8_t>& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

uint64_t get_u64(std::span<const uint8_t> in) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) value = value << 8 | in[i];
  return value;
}

}  // namespace

std::vector<uint8_t> encode_burn_in(const BurnInMessage& message) {
  std::vector<uint8_t> body;
  body.reserve(16);
  put_u64(body, message.stream);
  put_u64(body, message.sequence);
  return body;
}

std::optional<BurnInMessage> decode_burn_in(std::span<const uint8_t> body) {
  if (body.size() != 16) return std::nullopt;
  return BurnInMessage{get_u64(body.first(8)), get_u64(body.subspan(8))};
}

std::vector<uint64_t> BurnInSender::take(size_t budget, size_t window) {
  std::vector<uint64_t> numbers;
  while (!paused_ && numbers.size() < budget && in_flight_ < window) {
    if (!retry_.empty()) {
      numbers.push_back(*retry_.begin());
      retry_.erase(retry_.begin());
      ++resent_;
    } else {
      numbers.push_back(next_++);
    }
    ++in_flight_;
  }
  return numbers;
}

void BurnInSender::completed(uint64_t sequence, bool delivered) {
  --in_flight_;
  if (delivered) {
    ++acknowledged_;
    return;
  }
  retry_.insert(sequence);
  paused_ = true;
}

BurnInReceiver::Verdict BurnInReceiver::receive(const std::string& peer, const BurnInMessage& message) {
  Stream& stream = streams_[{peer, message.stream}];
  if (message.sequence < stream.next) {
    if (!stream.accepted_this_run && message.sequence < stream.saved + 1) {
      ++stream.resent;
      return Verdict::resent;
    }
    ++stream.duplicated;
    return Verdict::duplicated;
  }
  const Verdict verdict = message.sequence == stream.next ? Verdict::accepted : Verdict::lost;
  stream.lost += message.sequence - stream.next;
  stream.next = message.sequence + 1;
  stream.accepted_this_run = true;
  ++stream.accepted;
  return verdict;
}

std::string BurnInReceiver::positions() const {
  std::string text;
  for (const auto& [key, stream] : streams_)
    text += key.first + " " + std::to_string(key.second) + " " + std::to_string(stream.next) + "\n";
  return text;
}

std::optional<size_t> BurnInReceiver::restore(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::map<Key, Stream> restored;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string peer;
    uint64_t id = 0, next = 0;
    std::string rest;
    if (!(fields >> peer >> id >> next) || next == 0 || (fields >> rest)) return std::nullopt;
    Stream stream;
    stream.next = next;
    stream.saved = next - 1;
    restored[{peer, id}] = stream;
  }
  const size_t count = restored.size();
  streams_ = std::move(restored);
  return count;
}

}  // namespace ferry::node
