// CRC32C throughput of every implementation at iSCSI-relevant sizes: a 48-byte BHS (header
// digest), 512 B and 8 KiB data segments, 64 KiB and 1 MiB bursts. After the run it prints the
// GB/s table and the speed-ups over the byte table at 64 KiB, measured in the same run.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/crc32c/crc32c.hpp"
#include "core/crc32c/implementations.hpp"

namespace {

using iscsi::crc32c::Implementation;

constexpr std::size_t kSizes[] = {48, 512, 8 * 1024, 64 * 1024, 1024 * 1024};
constexpr std::size_t kRatioSize = 64 * 1024;

// Deterministic, non-trivial content (the speed of none of the paths depends on it).
std::vector<std::uint8_t> make_buffer(std::size_t size) {
  std::vector<std::uint8_t> buffer(size);
  std::uint32_t x = 0x9e3779b9u;
  for (auto& b : buffer) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::uint8_t>(x);
  }
  return buffer;
}

void run_one(benchmark::State& state, Implementation impl, std::size_t size) {
  const std::vector<std::uint8_t> buffer = make_buffer(size);
  std::uint32_t crc = 0;
  for (auto _ : state) {
    crc = iscsi::crc32c::extend_with(impl, crc, buffer);
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}

struct Key {
  std::string implementation;
  std::size_t size;
  friend bool operator<(const Key& a, const Key& b) {
    return std::tie(a.implementation, a.size) < std::tie(b.implementation, b.size);
  }
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Passes everything to the console reporter and keeps GB/s per (implementation, size), from CPU
// time like Google Benchmark's bytes_per_second (so time spent preempted on a shared machine
// does not count; 1 GB = 1e9 bytes, where bytes_per_second prints 2^30-byte "G"): the median
// over repetitions (Google Benchmark's median aggregate when only aggregates are
// reported, else the median of the individual runs).
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || run.iterations == 0 || run.cpu_accumulated_time <= 0) continue;
      const auto [impl, size] = parse_name(run.run_name.function_name);
      const double seconds_per_iteration =
          run.cpu_accumulated_time / static_cast<double>(run.iterations);
      const double rate = static_cast<double>(size) / seconds_per_iteration / 1e9;
      if (run.run_type == Run::RT_Iteration) {
        runs_[Key{impl, size}].push_back(rate);
      } else if (run.aggregate_name == "median") {
        medians_[Key{impl, size}] = rate;
      }
    }
  }

  std::optional<double> gb_per_s(const std::string& impl, std::size_t size) const {
    if (const auto it = medians_.find(Key{impl, size}); it != medians_.end()) return it->second;
    if (const auto it = runs_.find(Key{impl, size}); it != runs_.end()) return median(it->second);
    return std::nullopt;
  }

 private:
  // "crc32c/<implementation>/<size>"
  static std::pair<std::string, std::size_t> parse_name(const std::string& name) {
    const auto first = name.find('/');
    const auto last = name.rfind('/');
    return {name.substr(first + 1, last - first - 1), std::stoul(name.substr(last + 1))};
  }
  std::map<Key, std::vector<double>> runs_;
  std::map<Key, double> medians_;
};

void print_summary(const CollectingReporter& reporter,
                   const std::vector<Implementation>& implementations) {
  std::printf("\nCRC32C throughput, GB/s (active path: %s)\n",
              std::string(iscsi::crc32c::active_implementation()).c_str());
  std::printf("%-15s", "size (bytes)");
  for (std::size_t size : kSizes) std::printf("%12zu", size);
  std::printf("\n");
  for (Implementation impl : implementations) {
    const std::string name(iscsi::crc32c::name(impl));
    std::printf("%-15s", name.c_str());
    for (std::size_t size : kSizes) {
      if (const auto rate = reporter.gb_per_s(name, size)) {
        std::printf("%12.3f", *rate);
      } else {
        std::printf("%12s", "-");
      }
    }
    std::printf("\n");
  }
  const auto baseline = reporter.gb_per_s("byte-table", kRatioSize);
  if (!baseline) return;
  for (Implementation impl : implementations) {
    const std::string name(iscsi::crc32c::name(impl));
    const auto rate = reporter.gb_per_s(name, kRatioSize);
    if (!rate || impl == Implementation::byte_table) continue;
    std::printf("ratio at %zu B: %s / byte-table = %.2fx\n", kRatioSize, name.c_str(),
                *rate / *baseline);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto features = iscsi::crc32c::detect_cpu_features();
  std::vector<Implementation> implementations;
  for (Implementation impl : iscsi::crc32c::kAllImplementations) {
    if (iscsi::crc32c::is_supported(impl, features)) implementations.push_back(impl);
  }
  for (Implementation impl : implementations) {
    for (std::size_t size : kSizes) {
      const std::string name =
          "crc32c/" + std::string(iscsi::crc32c::name(impl)) + "/" + std::to_string(size);
      benchmark::RegisterBenchmark(name.c_str(), run_one, impl, size);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_summary(reporter, implementations);
  return 0;
}
