# The SBC-3 command handlers (target-impl/scsi/sbc/). Included by
# target-impl/scsi/CMakeLists.txt; paths are relative to target-impl/scsi/.
set(ISCSI_TARGET_SCSI_SBC_SOURCES
  sbc/cache.cpp
  sbc/capacity.cpp
  sbc/compare.cpp
  sbc/io_steps.cpp
  sbc/provisioning.cpp
  sbc/read_write.cpp
  sbc/register_sbc.cpp
  sbc/sanitize.cpp
  sbc/sbc_common.cpp
)
