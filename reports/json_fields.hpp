#pragma once
// What report.json and timings.json share (internal to reports/): the document writer and the
// strict field readers. A reader accepts exactly the schema of docs/reports.md: every key
// present, no unknown or duplicate key, each value of its type and range; any other input is
// one error naming the file, the JSON path and what was expected.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/result.hpp"
#include "core/common/violation.hpp"

namespace iscsi::reports {

inline constexpr const char* kReportSchema = "iscsim-report/1";
inline constexpr const char* kTimingsSchema = "iscsim-timings/1";

// 2-space indent and a trailing newline; bytes that are not UTF-8 become U+FFFD (JSON text is
// UTF-8, RFC 8259 §8.1), so a step output with stray bytes still writes.
std::string dump_document(const nlohmann::ordered_json& document);

namespace json_read {

using Json = nlohmann::json;

// A value that breaks the schema. The helpers below throw it and read_document() catches it
// (with everything nlohmann throws) and returns it as a Violation: no exception leaves a
// reader. Exceptions here keep each reading function a plain list of fields.
struct FieldError {
  std::string path;  // "scenarios[3].seed"; empty for the document itself
  std::string message;
};

std::string member_path(std::string_view parent, std::string_view key);
std::string element_path(std::string_view parent, std::size_t index);

std::string as_string(const Json& value, const std::string& path);
bool as_bool(const Json& value, const std::string& path);
std::uint64_t as_unsigned(const Json& value, const std::string& path,
                          std::uint64_t max = std::numeric_limits<std::uint64_t>::max());
std::int64_t as_integer(const Json& value, const std::string& path,
                        std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                        std::int64_t max = std::numeric_limits<std::int64_t>::max());
// A finite, non-negative number of seconds.
double as_seconds(const Json& value, const std::string& path);
const Json::array_t& as_array(const Json& value, const std::string& path);
std::vector<std::string> as_string_list(const Json& value, const std::string& path);

// Reads the members of one object; finish() refuses the keys nobody asked for.
class ObjectReader {
 public:
  ObjectReader(const Json& value, std::string path);

  const Json& at(std::string_view key);  // a missing key is a FieldError
  std::string path_of(std::string_view key) const { return member_path(path_, key); }
  const std::string& path() const { return path_; }

  std::string string(std::string_view key) { return as_string(at(key), path_of(key)); }
  bool boolean(std::string_view key) { return as_bool(at(key), path_of(key)); }
  std::uint64_t unsigned_number(std::string_view key,
                                std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
    return as_unsigned(at(key), path_of(key), max);
  }
  std::int64_t integer(std::string_view key) { return as_integer(at(key), path_of(key)); }
  const Json::array_t& array(std::string_view key) { return as_array(at(key), path_of(key)); }
  std::vector<std::string> string_list(std::string_view key) {
    return as_string_list(at(key), path_of(key));
  }
  void finish() const;

 private:
  const Json::object_t* object_ = nullptr;
  std::string path_;
  std::set<std::string, std::less<>> read_;
};

// Parses a whole document: at most kMaxReportBytes, nesting at most kMaxJsonDepth, no
// duplicate key, valid UTF-8. Errors are Violations of `kind`: "FILE: PATH: MESSAGE".
Result<Json> parse_document(std::string_view text, std::string_view file_name,
                            const ViolationKind& kind);
Violation field_violation(const ViolationKind& kind, std::string_view file_name,
                          const FieldError& error);

// Parses `text` and hands the root to `read` (which throws FieldError on a bad field).
template <class T, class Read>
Result<T> read_document(std::string_view text, std::string_view file_name,
                        const ViolationKind& kind, Read read) {
  Result<Json> root = parse_document(text, file_name, kind);
  if (!root) return std::move(root).error();
  try {
    return read(*root);
  } catch (const FieldError& error) {
    return field_violation(kind, file_name, error);
  } catch (const std::exception& error) {
    return field_violation(kind, file_name, {{}, error.what()});
  }
}

}  // namespace json_read
}  // namespace iscsi::reports
