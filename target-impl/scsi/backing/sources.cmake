# Backing stores, the thin-provisioning allocation tracker and the LBA range locks
# (target-impl/scsi/backing/). Included by target-impl/scsi/CMakeLists.txt; paths are relative
# to target-impl/scsi/.
set(ISCSI_TARGET_SCSI_BACKING_SOURCES
  backing/allocation_tracker.cpp
  backing/null_store.cpp
  backing/range_check.cpp
  backing/range_locks.cpp
  backing/sparse_memory_store.cpp
  backing/tracked_store.cpp
)
