#pragma once
// Nodes of a node-based map (std::unordered_map, std::map) kept after an erase, for the next
// insert. A map that sees one insert and one erase per command (the initiator's task tables)
// otherwise pays a malloc and a free every time; with a node kept both are gone (bench/
// initiator_perf, issue 5). A kept node's value is reset to a value-initialised one when it is
// erased, so nothing it owned (buffers, strings) lives on in the cache. Not thread-safe: one
// event loop owns it.
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace iscsi {

template <class Map>
class NodeCache {
 public:
  using Node = typename Map::node_type;
  using Key = typename Map::key_type;
  using Mapped = typename Map::mapped_type;

  // Nodes kept at most: a burst of erases past it frees the rest as usual.
  explicit NodeCache(std::size_t limit) : limit_(limit) {}

  // Inserts `key` with a value-initialised value, like map.try_emplace(key); an existing entry
  // is returned unchanged. Uses a kept node when there is one.
  typename Map::iterator emplace(Map& map, const Key& key) {
    if (nodes_.empty()) return map.try_emplace(key).first;
    Node node = std::move(nodes_.back());
    nodes_.pop_back();
    node.key() = key;
    auto inserted = map.insert(std::move(node));
    // Not inserted (the key was there): the node comes back in `inserted.node`.
    if (!inserted.inserted) nodes_.push_back(std::move(inserted.node));
    return inserted.position;
  }

  // Erases the entry at `position` and keeps its node (when fewer than the limit are kept).
  void erase(Map& map, typename Map::const_iterator position) {
    Node node = map.extract(position);
    if (nodes_.size() >= limit_) return;  // freed with `node`
    // Destroyed and built again in place: cheaper than assigning a temporary (no moves).
    static_assert(std::is_nothrow_default_constructible_v<Mapped>);
    std::destroy_at(&node.mapped());
    std::construct_at(&node.mapped());
    nodes_.push_back(std::move(node));
  }

  std::size_t size() const { return nodes_.size(); }

 private:
  std::size_t limit_;
  std::vector<Node> nodes_;
};

}  // namespace iscsi
