// Checks a message against this version's catalogue and writes its fields, the same way in both modes.
#pragma once

#include <ferry/abi.h>

#include <cstdint>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

// A message checked against the catalogue: its spec, how many fields this minor writes, and their size.
struct FieldPlan {
  const ferry_type_message_spec* spec = nullptr;
  size_t count = 0;
  uint64_t size = 0;
};

// Throws ferry::sdk::Error: FERRY_ERR_INVALID_ARGUMENT for a message this version cannot express (unknown
// type, missing fields, wrong kinds, invalid values, a payload on a type without one), FERRY_ERR_LIMIT for
// a single field above limit. Fields beyond this minor's count are ignored.
FieldPlan plan_fields(const Schema& schema, const ferry_type_message& message, uint64_t limit);

// Writes the planned fields (ABSENT ones as their kind's default) at out; returns the end.
uint8_t* write_fields(const FieldPlan& plan, const ferry_type_message& message, uint8_t* out);

}  // namespace ferry::codec_v1
