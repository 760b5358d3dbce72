#pragma once

#include <string>

namespace ferry::util {

// A random (version 4) UUID in its 8-4-4-4-12 lower-case form.
std::string random_uuid();

}  // namespace ferry::util
