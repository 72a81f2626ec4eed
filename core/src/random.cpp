// xoshiro256** seeded through splitmix64, both by Blackman and Vigna
// (https://prng.di.unimi.it/): fast, small and identical on every platform.
#include "loopkit/random.h"

namespace loopkit {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

id_generator::id_generator(std::uint64_t seed_hi, std::uint64_t seed_lo) {
  std::uint64_t x = seed_hi ^ rotl(seed_lo, 32);
  std::uint64_t y = seed_lo;
  state_[0] = splitmix64(x);
  state_[1] = splitmix64(y);
  state_[2] = splitmix64(x);
  state_[3] = splitmix64(y);
}

std::uint64_t id_generator::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

std::string id_generator::uuid() {
  std::uint64_t hi = next();
  std::uint64_t lo = next();
  // RFC 9562, section 5.4: version 4 and variant 10xx.
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;

  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    const std::uint64_t word = i < 16 ? hi : lo;
    const int shift = 60 - 4 * (i % 16);
    out += digits[(word >> shift) & 0xF];
  }
  return out;
}

}  // namespace loopkit
