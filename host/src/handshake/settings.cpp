#include "handshake/settings.hpp"

#include "handshake/text.hpp"

namespace ferry::handshake {
namespace {

constexpr size_t value_bytes = 60;

std::string shown(std::string_view value) { return value.empty() ? "\"\"" : printable(value, value_bytes); }

}  // namespace

std::vector<SettingMismatch> compare_settings(std::span<const Setting> local, std::span<const Setting> peer) {
  std::vector<SettingMismatch> mismatches;
  for (const Setting& mine : local) {
    const Setting* theirs = nullptr;
    for (const Setting& setting : peer)
      if (setting.name == mine.name) theirs = &setting;
    if (!theirs)
      mismatches.push_back({mine.name, mine.value, std::nullopt});
    else if (theirs->value != mine.value)
      mismatches.push_back({mine.name, mine.value, theirs->value});
  }
  return mismatches;
}

Refuse settings_refusal(std::span<const SettingMismatch> mismatches) {
  std::string sentence;
  for (const SettingMismatch& mismatch : mismatches) {
    sentence += (sentence.empty() ? "" : "; ") + mismatch.name + ": local " + shown(mismatch.local) + ", peer " +
                (mismatch.peer ? shown(*mismatch.peer) : "(not sent)");
  }
  return Refuse{RefuseCode::settings_mismatch, sentence};
}

}  // namespace ferry::handshake
