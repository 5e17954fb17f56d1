// NodeCache: an erased entry's node comes back for the next insert (same memory, fresh value),
// an existing key is left alone, and no more than the limit are kept.
#include "core/common/node_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

namespace iscsi {
namespace {

struct Entry {
  std::string name;
  int count = 0;
};
using Table = std::unordered_map<int, Entry>;

TEST(NodeCacheTest, AnErasedNodeIsReusedWithAFreshValue) {
  Table table;
  NodeCache<Table> cache(4);
  auto first = cache.emplace(table, 1);
  first->second = Entry{"a name long enough to live on the heap, not inline", 7};
  const auto* memory = &*first;
  cache.erase(table, first);
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(cache.size(), 1u);

  auto second = cache.emplace(table, 2);
  EXPECT_EQ(&*second, memory);
  EXPECT_EQ(second->first, 2);
  EXPECT_TRUE(second->second.name.empty());
  EXPECT_EQ(second->second.count, 0);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(table.count(2), 1u);
}

TEST(NodeCacheTest, AnExistingKeyIsReturnedUnchangedAndTheNodeKept) {
  Table table;
  NodeCache<Table> cache(4);
  cache.emplace(table, 1)->second.count = 5;
  cache.erase(table, cache.emplace(table, 2));
  ASSERT_EQ(cache.size(), 1u);

  auto again = cache.emplace(table, 1);
  EXPECT_EQ(again->second.count, 5);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(NodeCacheTest, NoMoreThanTheLimitAreKept) {
  Table table;
  NodeCache<Table> cache(2);
  for (int key = 0; key < 5; ++key) cache.emplace(table, key);
  for (int key = 0; key < 5; ++key) cache.erase(table, table.find(key));
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(cache.size(), 2u);
}

}  // namespace
}  // namespace iscsi
