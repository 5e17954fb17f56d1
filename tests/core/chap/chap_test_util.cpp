#include "tests/core/chap/chap_test_util.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "core/text/binary_value.hpp"

namespace iscsi::chap::testing {

std::optional<std::string> find_key(const KeyList& keys, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : keys) {
    if (key != name) continue;
    if (found) return std::nullopt;
    found = value;
  }
  return found;
}

std::vector<std::string> key_names(const KeyList& keys) {
  std::vector<std::string> names;
  for (const auto& key_value : keys) names.push_back(key_value.first);
  return names;
}

Bytes decode_or_fail(std::string_view value) {
  auto decoded = text::decode_binary_value(value);
  if (!decoded) {
    ADD_FAILURE() << "cannot decode '" << value << "': " << decoded.error().to_string();
    return {};
  }
  return *decoded;
}

KeyList upper_case_values(KeyList keys) {
  for (auto& [name, value] : keys) {
    if (value.size() < 2 || value[0] != '0') continue;
    if (value[1] == 'x') {
      for (char& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (value[1] == 'b') {
      value[1] = 'B';
    }
  }
  return keys;
}

namespace {

struct PipeClose {
  void operator()(std::FILE* f) const { pclose(f); }
};

}  // namespace

std::optional<std::string> openssl_dgst_hex(std::string_view name, std::uint8_t identifier,
                                            std::string_view secret, ByteView challenge) {
  std::string path = ::testing::TempDir() + "chap_dgst_XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    ADD_FAILURE() << "mkstemp failed for " << path;
    return std::nullopt;
  }
  close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    out.put(static_cast<char>(identifier));
    out.write(secret.data(), static_cast<std::streamsize>(secret.size()));
    out.write(reinterpret_cast<const char*>(challenge.data()),
              static_cast<std::streamsize>(challenge.size()));
  }
  const std::string command = fmt::format("openssl dgst -{} -r '{}' 2>&1", name, path);
  std::string output;
  {
    std::unique_ptr<std::FILE, PipeClose> pipe(popen(command.c_str(), "r"));
    if (!pipe) {
      ADD_FAILURE() << "cannot run: " << command;
      std::remove(path.c_str());
      return std::nullopt;
    }
    std::array<char, 256> buffer{};
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) {
      output += buffer.data();
    }
  }
  std::remove(path.c_str());
  // "-r" prints "<hex> *<file>".
  const std::size_t space = output.find(' ');
  if (space == std::string::npos || space == 0) {
    ADD_FAILURE() << command << " printed: " << output;
    return std::nullopt;
  }
  return output.substr(0, space);
}

Bytes counting_bytes(std::size_t n, std::uint8_t first) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(first + i);
  return out;
}

std::string hex(ByteView bytes) { return text::encode_binary_value(bytes); }

}  // namespace iscsi::chap::testing
