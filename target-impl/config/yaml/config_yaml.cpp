#include "target-impl/config/yaml/config_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <limits>

namespace iscsi::target::config::yaml {
namespace {

// Thrown inside this file only and turned into a ConfigError by load_yaml().
struct Failure {
  std::size_t line;
  std::size_t column;
  std::string message;
};

struct Position {
  std::size_t line = 0;
  std::size_t column = 0;
};

Position position_of(const YAML::Node& node, Position fallback) {
  YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return fallback;
  return Position{static_cast<std::size_t>(mark.line) + 1, static_cast<std::size_t>(mark.column) + 1};
}

class Translator {
 public:
  Translator(SystemConfig& working, ExecutionHost& host) : working_(working), host_(host) {}

  void document(const YAML::Node& root) {
    if (root.IsNull()) return;
    expect_map(root, "the document", {});
    check_keys(root, "the document", {"accounts", "targets", "discovery"});
    if (root["accounts"]) accounts(root["accounts"]);
    if (root["targets"]) targets(root["targets"]);
    if (root["discovery"]) discovery(root["discovery"]);
  }

  LoadedConfig result() { return std::move(loaded_); }

 private:
  [[noreturn]] void fail(const YAML::Node& node, std::string message, Position fallback = {}) {
    Position at = position_of(node, fallback);
    throw Failure{at.line, at.column, std::move(message)};
  }

  void expect_map(const YAML::Node& node, std::string_view what, Position fallback) {
    if (!node.IsMap()) fail(node, std::string(what) + " must be a mapping", fallback);
  }

  void expect_sequence(const YAML::Node& node, std::string_view what) {
    if (!node.IsSequence()) fail(node, std::string(what) + " must be a sequence");
  }

  std::string scalar(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar()) fail(node, std::string(what) + " must be a scalar");
    return node.Scalar();
  }

  void check_keys(const YAML::Node& map, std::string_view what,
                  std::initializer_list<std::string_view> allowed) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string key = scalar(it->first, "a key");
      bool known = false;
      for (std::string_view name : allowed) known = known || key == name;
      if (known) continue;
      std::string list;
      for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      fail(it->first, "unknown key '" + key + "' in " + std::string(what) + " (allowed: " + list + ")");
    }
  }

  std::uint64_t number(const YAML::Node& node, std::string_view what, std::uint64_t max) {
    std::string text = scalar(node, what);
    std::uint64_t value = 0;
    bool ok = !text.empty() && text.size() <= 19;
    for (char c : text) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) value = value * 10U + static_cast<std::uint64_t>(c - '0');
    }
    if (!ok || value == 0 || value > max) {
      fail(node, std::string(what) + " must be a number from 1 to " + std::to_string(max) +
                     ", not '" + text + "'");
    }
    return value;
  }

  // Runs one request; a refusal is reported at `node` with tgtadm's own message.
  void run(const Request& request, const YAML::Node& node) {
    Execution run = execute(request, working_, host_);
    if (run.reply.exit_code != 0) {
      std::string message = run.reply.err;
      while (!message.empty() && message.back() == '\n') message.pop_back();
      fail(node, message);
    }
    loaded_.effects.insert(loaded_.effects.end(), run.effects.begin(), run.effects.end());
  }

  void accounts(const YAML::Node& list);
  void targets(const YAML::Node& list);
  void target(const YAML::Node& entry);
  void lun(const YAML::Node& entry, std::int32_t tid);
  void acl(const YAML::Node& node, std::int32_t tid);
  void bindings(const YAML::Node& node, std::optional<std::int32_t> tid);
  void params(const YAML::Node& node, std::int32_t tid);
  void discovery(const YAML::Node& node);

  SystemConfig& working_;
  ExecutionHost& host_;
  LoadedConfig loaded_;
};

Request make(Mode mode, Op op) {
  Request request;
  request.mode = mode;
  request.op = op;
  return request;
}

void Translator::accounts(const YAML::Node& list) {
  expect_sequence(list, "accounts");
  for (const YAML::Node& entry : list) {
    expect_map(entry, "an account", {});
    check_keys(entry, "an account", {"user", "password"});
    if (!entry["user"] || !entry["password"]) fail(entry, "an account needs user and password");
    Request request = make(Mode::account, Op::new_);
    request.user = scalar(entry["user"], "user");
    request.password = scalar(entry["password"], "password");
    run(request, entry);
  }
}

void Translator::targets(const YAML::Node& list) {
  expect_sequence(list, "targets");
  for (const YAML::Node& entry : list) target(entry);
}

void Translator::target(const YAML::Node& entry) {
  expect_map(entry, "a target", {});
  check_keys(entry, "a target", {"tid", "name", "luns", "acl", "accounts", "params"});
  if (!entry["tid"] || !entry["name"]) fail(entry, "a target needs tid and name");
  Request request = make(Mode::target, Op::new_);
  auto tid = static_cast<std::int32_t>(
      number(entry["tid"], "tid", static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())));
  request.tid = tid;
  request.targetname = scalar(entry["name"], "name");
  run(request, entry);
  if (entry["params"]) params(entry["params"], tid);
  if (entry["luns"]) {
    expect_sequence(entry["luns"], "luns");
    for (const YAML::Node& item : entry["luns"]) lun(item, tid);
  }
  if (entry["acl"]) acl(entry["acl"], tid);
  if (entry["accounts"]) bindings(entry["accounts"], tid);
}

void Translator::lun(const YAML::Node& entry, std::int32_t tid) {
  expect_map(entry, "a LUN", {});
  check_keys(entry, "a LUN", {"lun", "backing-store", "bstype", "blocksize", "bsoflags", "params"});
  if (!entry["lun"]) fail(entry, "a LUN needs lun");
  Request request = make(Mode::logicalunit, Op::new_);
  request.tid = tid;
  request.lun = number(entry["lun"], "lun", max_lun_number);
  if (entry["backing-store"]) request.backing_store = scalar(entry["backing-store"], "backing-store");
  if (entry["bstype"]) {
    // YAML reads a plain `null` as the null value, and yaml-cpp keeps no text for it: take it
    // as tgt's null backing store, which is what `bstype: null` means here.
    const YAML::Node& type = entry["bstype"];
    request.bstype = type.IsNull() ? std::string("null") : scalar(type, "bstype");
  }
  if (entry["blocksize"]) request.blocksize = scalar(entry["blocksize"], "blocksize");
  if (entry["bsoflags"]) request.bsoflags = scalar(entry["bsoflags"], "bsoflags");
  run(request, entry);
  if (!entry["params"]) return;
  const YAML::Node& map = entry["params"];
  expect_map(map, "params", {});
  std::string joined;
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string value = scalar(it->second, "a parameter value");
    if (value.find(',') != std::string::npos) fail(it->second, "a LUN parameter cannot contain ','");
    joined += (joined.empty() ? "" : ",") + scalar(it->first, "a key") + "=" + value;
  }
  Request update = make(Mode::logicalunit, Op::update);
  update.tid = tid;
  update.lun = request.lun;
  update.params = joined;
  run(update, map);
}

void Translator::acl(const YAML::Node& node, std::int32_t tid) {
  expect_map(node, "acl", {});
  check_keys(node, "acl", {"addresses", "names"});
  for (const char* key : {"addresses", "names"}) {
    if (!node[key]) continue;
    expect_sequence(node[key], key);
    for (const YAML::Node& item : node[key]) {
      Request request = make(Mode::target, Op::bind);
      request.tid = tid;
      std::string value = scalar(item, "an ACL entry");
      if (std::string_view(key) == "addresses") {
        request.initiator_address = value;
      } else {
        request.initiator_name = value;
      }
      run(request, item);
    }
  }
}

void Translator::bindings(const YAML::Node& node, std::optional<std::int32_t> tid) {
  expect_map(node, "accounts", {});
  check_keys(node, "accounts", {"incoming", "outgoing"});
  auto bind = [&](const YAML::Node& item, bool outgoing) {
    Request request = make(Mode::account, Op::bind);
    request.tid = tid.value_or(-1);
    request.tid_global = !tid.has_value();
    request.user = scalar(item, "an account name");
    request.outgoing = outgoing;
    run(request, item);
  };
  if (node["incoming"]) {
    expect_sequence(node["incoming"], "incoming");
    for (const YAML::Node& item : node["incoming"]) bind(item, false);
  }
  if (node["outgoing"]) bind(node["outgoing"], true);
}

void Translator::params(const YAML::Node& node, std::int32_t tid) {
  expect_map(node, "params", {});
  for (auto it = node.begin(); it != node.end(); ++it) {
    Request request = make(Mode::target, Op::update);
    request.tid = tid;
    request.name = scalar(it->first, "a parameter name");
    request.value = scalar(it->second, "a parameter value");
    run(request, it->first);
  }
}

void Translator::discovery(const YAML::Node& node) {
  expect_map(node, "discovery", {});
  check_keys(node, "discovery", {"accounts"});
  if (node["accounts"]) bindings(node["accounts"], std::nullopt);
}

}  // namespace

LoadedConfig load_yaml(std::string_view text, std::string_view file_name, SystemConfig& config,
                       ExecutionHost& host) {
  auto failed = [&](std::size_t line, std::size_t column, std::string message) {
    LoadedConfig loaded;
    loaded.error = ConfigError{std::string(file_name), line, column, std::move(message)};
    return loaded;
  };
  if (text.size() > max_document_bytes) {
    return failed(1, 1, "document larger than " + std::to_string(max_document_bytes) + " bytes");
  }
  SystemConfig working = config;
  try {
    YAML::Node root = YAML::Load(std::string(text));
    Translator translator(working, host);
    translator.document(root);
    LoadedConfig loaded = translator.result();
    config = std::move(working);
    return loaded;
  } catch (const Failure& failure) {
    return failed(failure.line, failure.column, failure.message);
  } catch (const YAML::Exception& error) {
    std::size_t line = error.mark.line < 0 ? 0 : static_cast<std::size_t>(error.mark.line) + 1;
    std::size_t column = error.mark.column < 0 ? 0 : static_cast<std::size_t>(error.mark.column) + 1;
    return failed(line, column, error.msg);
  }
}

}  // namespace iscsi::target::config::yaml
