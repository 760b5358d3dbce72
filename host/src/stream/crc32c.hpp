// CRC32C (Castagnoli, reflected polynomial 0x82f63b78, as in iSCSI and ext4): crc32c("123456789") =
// 0xe3069283. Uses the SSE4.2 instruction when the processor has it, a table otherwise.
#pragma once

#include <cstdint>
#include <span>

namespace ferry::stream {

// Extends crc (the value of the bytes before data; 0 to start) over data.
uint32_t crc32c_extend(uint32_t crc, std::span<const uint8_t> data);

// The same, and copies data to out (data.size() bytes, not overlapping data) in the same pass.
uint32_t crc32c_extend_copy(uint32_t crc, std::span<const uint8_t> data, uint8_t* out);

inline uint32_t crc32c(std::span<const uint8_t> data) { return crc32c_extend(0, data); }

}  // namespace ferry::stream
