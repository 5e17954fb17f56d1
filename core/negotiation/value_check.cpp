// Value syntax and range per key row (RFC 7143 §6.1, §13).
#include <algorithm>

#include <fmt/format.h>

#include "core/negotiation/receiver.hpp"
#include "core/text/target_address.hpp"
#include "core/text/values.hpp"

namespace iscsi::negotiation::detail {
namespace {

std::optional<std::string> numeric_problem(const KeyRow& row, std::string_view value) {
  auto number = text::parse_number(value);
  if (!number) return number.error().detail;
  if (*number < row.min_value || *number > row.max_value) {
    return fmt::format("is outside {}..{} ({})", row.min_value, row.max_value, row.rfc_section);
  }
  return std::nullopt;
}

std::optional<std::string> length_problem(const KeyRow& row, std::string_view value) {
  if (value.size() < row.min_value || value.size() > row.max_value) {
    return fmt::format("is {} bytes, outside {}..{} ({})", value.size(), row.min_value,
                       row.max_value, row.rfc_section);
  }
  return std::nullopt;
}

std::optional<std::string> range_problem(const KeyRow& row, std::string_view value) {
  auto range = text::parse_numeric_range(value);
  if (!range) return range.error().detail;
  if (range->low < row.min_value || range->high > row.max_value) {
    return fmt::format("is outside {}..{}", row.min_value, row.max_value);
  }
  return std::nullopt;
}

template <class T>
std::optional<std::string> problem_of(const Result<T>& result) {
  if (result) return std::nullopt;
  return result.error().detail;
}

}  // namespace

std::optional<std::string> value_problem(const KeyRow& row, std::string_view value) {
  switch (row.type) {
    case ValueType::list:
    case ValueType::string_list:
      return problem_of(text::parse_list(value));
    case ValueType::boolean:
      return problem_of(text::parse_boolean(value));
    case ValueType::numeric:
      return numeric_problem(row, value);
    case ValueType::enumerated:
      if (std::find(row.vocabulary.begin(), row.vocabulary.end(), value) == row.vocabulary.end()) {
        return std::string("is not a value defined by ") + std::string(row.rfc_section);
      }
      return std::nullopt;
    case ValueType::iscsi_name:
    case ValueType::local_name:
    case ValueType::text:
      return length_problem(row, value);
    case ValueType::target_address:
      return problem_of(text::parse_target_address(value));
    case ValueType::numeric_range:
      return range_problem(row, value);
    case ValueType::auth_item:
      return std::nullopt;  // the authentication engine checks its own items
  }
  return std::nullopt;
}

}  // namespace iscsi::negotiation::detail
