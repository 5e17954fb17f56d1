#include "initiator-impl/client/command_batch.hpp"

namespace iscsi::initiator::client {

void CommandBatch::add(ByteView command) {
  bytes_.insert(bytes_.end(), command.begin(), command.end());
  ++count_;
}

void CommandBatch::clear() {
  bytes_.clear();  // the capacity stays for the next batch
  count_ = 0;
}

}  // namespace iscsi::initiator::client
