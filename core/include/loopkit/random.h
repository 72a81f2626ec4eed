// Deterministic id generation. The caller seeds it (the page from
// crypto.getRandomValues, tests with a constant), so the core itself never
// touches a platform source of randomness and replays are reproducible.
#pragma once

#include <cstdint>
#include <string>

namespace loopkit {

class id_generator {
 public:
  explicit id_generator(std::uint64_t seed_hi = 0, std::uint64_t seed_lo = 0);

  // A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
  std::string uuid();

 private:
  std::uint64_t next();
  std::uint64_t state_[4];
};

}  // namespace loopkit
