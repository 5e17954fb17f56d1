#include "initiator-impl/iscsiadm/record.hpp"

#include <fmt/format.h>

#include <charconv>

#include "initiator-impl/iscsiadm/command.hpp"
#include "initiator-impl/iscsiadm/iscsid_conf.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

const std::string kEmpty;

bool is_blank(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool is_chap_alg(std::string_view word) {
  return word == "MD5" || word == "SHA1" || word == "SHA256" || word == "SHA3-256";
}

std::optional<std::string> canonical_int(std::string_view value) {
  if (value.empty() || value.size() > 11) return std::nullopt;
  int parsed = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return std::to_string(parsed);
}

// "MD5,SHA256": a comma list of CHAP algorithm names in preference order, at most four.
std::optional<std::string> canonical_chap_list(std::string_view value) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    std::size_t end = comma == std::string_view::npos ? value.size() : comma;
    if (!is_chap_alg(value.substr(start, end - start)) || ++count > 4) return std::nullopt;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return std::string(value);
}

}  // namespace

std::optional<std::string> canonical_value(const FieldSpec& field, std::string_view value) {
  switch (field.kind) {
    case FieldKind::string: {
      // A stored record is re-read with its values stripped (idbm_recinfo_config), so a
      // value is stripped when stored; open-iscsi's string fields hold at most 255 bytes.
      while (!value.empty() && is_blank(value.front())) value.remove_prefix(1);
      while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
      if (value.size() > kMaxValueChars || value.find('\n') != std::string_view::npos) {
        return std::nullopt;
      }
      return std::string(value);
    }
    case FieldKind::integer: return canonical_int(value);
    case FieldKind::choice:
      for (std::string_view option : field.options) {
        if (option == value) return std::string(value);
      }
      return std::nullopt;
    case FieldKind::chap_list: return canonical_chap_list(value);
  }
  return std::nullopt;
}

Record::Record(Schema schema) : schema_(schema) {
  values_.reserve(schema.size());
  for (const FieldSpec& field : schema) values_.emplace_back(field.default_value);
}

std::optional<std::size_t> Record::index_of(std::string_view key) const {
  for (std::size_t i = 0; i < schema_.size(); ++i) {
    if (schema_[i].key == key) return i;
  }
  return std::nullopt;
}

const std::string& Record::get(std::string_view key) const {
  auto at = index_of(key);
  return at ? values_[*at] : kEmpty;
}

int Record::get_int(std::string_view key) const {
  const std::string& text = get(key);
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

void Record::set_raw(std::string_view key, std::string value) {
  if (auto at = index_of(key)) values_[*at] = std::move(value);
}

std::optional<std::string> Record::set_param(std::string_view key, std::string_view value) {
  auto at = index_of(key);
  if (!at) return fmt::format("Cannot modify {}. Invalid param name.", key);
  const FieldSpec& field = schema_[*at];
  if (!field.modifiable) {
    return fmt::format(
        "Cannot modify {}. It is used to look up the record and cannot be changed.", key);
  }
  auto canonical = canonical_value(field, value);
  if (!canonical) {
    return fmt::format("unknown value format '{}' for parameter name '{}'", value, key);
  }
  values_[*at] = std::move(*canonical);
  return std::nullopt;
}

std::string Record::show(bool show_secrets) const {
  std::string out = fmt::format("# BEGIN RECORD {}\n", kVersion);
  for (std::size_t i = 0; i < schema_.size(); ++i) {
    const std::string& value = values_[i];
    if (!show_secrets && schema_[i].visibility == Visibility::masked && !value.empty()) {
      out += fmt::format("{} = ********\n", schema_[i].key);
    } else {
      out += fmt::format("{} = {}\n", schema_[i].key, value.empty() ? "<empty>" : value);
    }
  }
  out += "# END RECORD\n";
  return out;
}

std::string Record::serialize() const {
  std::string out = fmt::format("# BEGIN RECORD {}\n", kVersion);
  for (std::size_t i = 0; i < schema_.size(); ++i) {
    if (!values_[i].empty()) out += fmt::format("{} = {}\n", schema_[i].key, values_[i]);
  }
  out += "# END RECORD\n";
  return out;
}

Record parse_record(Schema schema, std::string_view text, std::vector<LineWarning>* warnings) {
  ConfFile conf = parse_conf(text);
  if (warnings) warnings->insert(warnings->end(), conf.warnings.begin(), conf.warnings.end());
  Record record(schema);
  apply_entries(conf, ConfKeys::all, record, warnings);
  return record;
}

}  // namespace iscsi::initiator::iscsiadm
