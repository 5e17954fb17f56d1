// The JSON document writer and the strict field readers (reports/json_fields.hpp).
#include "reports/json_fields.hpp"

#include <fmt/format.h>

#include <cmath>

#include "reports/escape.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {

std::string dump_document(const nlohmann::ordered_json& document) {
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

namespace json_read {
namespace {

// One container the parser is inside of, to name the path of what it reads next.
struct OpenContainer {
  bool is_array = false;
  std::size_t next_index = 0;  // arrays: the index of the next element
  std::string key;             // objects: the key of the member being read
  std::set<std::string, std::less<>> keys;
};

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest is the sentence.
std::string parse_error_sentence(const char* what) {
  std::string_view text(what);
  if (std::size_t end = text.find("] ");
      text.rfind("[json.exception.", 0) == 0 && end != text.npos) {
    text.remove_prefix(end + 2);
  }
  return std::string(text);
}

// A first pass over the document with nlohmann's SAX interface, building nothing: it bounds
// the nesting depth and refuses duplicate keys (which nlohmann would silently resolve to the
// last one), naming the path of the offence, and words syntax errors. (nlohmann's callback
// parser could do the same while building, but it is quadratic on long arrays.)
class StructureCheck {
 public:
  bool null() { return element_done(); }
  bool boolean(bool) { return element_done(); }
  bool number_integer(Json::number_integer_t) { return element_done(); }
  bool number_unsigned(Json::number_unsigned_t) { return element_done(); }
  bool number_float(Json::number_float_t, const Json::string_t&) { return element_done(); }
  bool string(Json::string_t&) { return element_done(); }
  bool binary(Json::binary_t&) { return element_done(); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(Json::string_t& key) {
    if (open_.empty()) return true;  // the parser reports keys inside objects only
    if (!open_.back().keys.insert(key).second) {
      return fail(path_of(open_.size() - 1), fmt::format("duplicate key \"{}\"", key));
    }
    open_.back().key = key;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const Json::exception& error) {
    return fail({}, "not valid JSON: " + parse_error_sentence(error.what()));
  }

  const FieldError& error() const { return error_; }

 private:
  bool fail(std::string path, std::string message) {
    error_ = {std::move(path), std::move(message)};
    return false;
  }
  bool open(bool is_array) {
    if (open_.size() >= kMaxJsonDepth) {
      return fail(path_of(open_.size()),
                  fmt::format("nested deeper than {} levels", kMaxJsonDepth));
    }
    open_.push_back({is_array, 0, {}, {}});
    return true;
  }
  bool close() {
    if (!open_.empty()) open_.pop_back();
    return element_done();
  }
  bool element_done() {
    if (!open_.empty() && open_.back().is_array) ++open_.back().next_index;
    return true;
  }
  // The path of the value read inside the first `levels` open containers.
  std::string path_of(std::size_t levels) const {
    std::string path;
    for (std::size_t i = 0; i < levels; ++i) {
      path = open_[i].is_array ? element_path(path, open_[i].next_index)
                               : member_path(path, open_[i].key);
    }
    return path;
  }

  std::vector<OpenContainer> open_;
  FieldError error_;
};

}  // namespace

std::string member_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string element_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

Violation field_violation(const ViolationKind& kind, std::string_view file_name,
                          const FieldError& error) {
  std::string detail = error.path.empty()
                           ? fmt::format("{}: {}", file_name, error.message)
                           : fmt::format("{}: {}: {}", file_name, error.path, error.message);
  return Violation{kind, one_line(detail)};
}

Result<Json> parse_document(std::string_view text, std::string_view file_name,
                            const ViolationKind& kind) {
  if (text.size() > kMaxReportBytes) {
    return field_violation(
        kind, file_name,
        {{},
         fmt::format("{} bytes is more than the limit of {} bytes", text.size(), kMaxReportBytes)});
  }
  StructureCheck check;
  try {
    if (!Json::sax_parse(text, &check)) return field_violation(kind, file_name, check.error());
    return Json::parse(text);
  } catch (const Json::exception& error) {
    return field_violation(kind, file_name,
                           {{}, "not valid JSON: " + parse_error_sentence(error.what())});
  } catch (const std::exception& error) {
    return field_violation(kind, file_name, {{}, error.what()});
  }
}

std::string as_string(const Json& value, const std::string& path) {
  if (!value.is_string()) throw FieldError{path, "expected a string"};
  return value.get<std::string>();
}

bool as_bool(const Json& value, const std::string& path) {
  if (!value.is_boolean()) throw FieldError{path, "expected true or false"};
  return value.get<bool>();
}

std::uint64_t as_unsigned(const Json& value, const std::string& path, std::uint64_t max) {
  if (!value.is_number_unsigned()) throw FieldError{path, "expected an unsigned number"};
  const auto number = value.get<std::uint64_t>();
  if (number > max) {
    throw FieldError{path,
                     fmt::format("expected an unsigned number up to {}, got {}", max, number)};
  }
  return number;
}

std::int64_t as_integer(const Json& value, const std::string& path, std::int64_t min,
                        std::int64_t max) {
  const std::string range = fmt::format("expected an integer from {} to {}", min, max);
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(max)) throw FieldError{path, range};
    return static_cast<std::int64_t>(number);
  }
  if (!value.is_number_integer()) throw FieldError{path, "expected an integer"};
  const auto number = value.get<std::int64_t>();
  if (number < min || number > max) throw FieldError{path, range};
  return number;
}

double as_seconds(const Json& value, const std::string& path) {
  if (!value.is_number()) throw FieldError{path, "expected a number of seconds"};
  const auto number = value.get<double>();
  if (!std::isfinite(number) || number < 0) {
    throw FieldError{path, "expected a finite, non-negative number of seconds"};
  }
  return number;
}

const Json::array_t& as_array(const Json& value, const std::string& path) {
  if (!value.is_array()) throw FieldError{path, "expected an array"};
  return value.get_ref<const Json::array_t&>();
}

std::vector<std::string> as_string_list(const Json& value, const std::string& path) {
  const Json::array_t& items = as_array(value, path);
  std::vector<std::string> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    out.push_back(as_string(items[i], element_path(path, i)));
  }
  return out;
}

ObjectReader::ObjectReader(const Json& value, std::string path) : path_(std::move(path)) {
  if (!value.is_object()) {
    throw FieldError{path_,
                     path_.empty() ? "expected an object at the top level" : "expected an object"};
  }
  object_ = &value.get_ref<const Json::object_t&>();
}

const Json& ObjectReader::at(std::string_view key) {
  const auto found = object_->find(std::string(key));
  if (found == object_->end()) throw FieldError{path_, fmt::format("missing key \"{}\"", key)};
  read_.emplace(key);
  return found->second;
}

void ObjectReader::finish() const {
  for (const auto& [key, value] : *object_) {
    if (read_.find(key) == read_.end()) throw FieldError{path_of(key), "unknown key"};
  }
}

}  // namespace json_read
}  // namespace iscsi::reports
