# ISCSI_LTO (GCC only): every library object carries GCC's intermediate code beside its machine
# code (fat LTO objects), and the programs whose speed is measured are linked with -flto: iscsim
# (whose target the benchmarks drive) and initiator_perf. Calls across files then inline; the
# initiator's per-command path runs through the framer, the session engine, the client and the
# socket runtime, one file each, and LTO takes about an eighth of its instructions off (issue 5,
# callgrind). The test programs link the machine code as before, so the cost is a few percent
# more compile time and the two LTO links (about 40 s).
if(ISCSI_LTO)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "ISCSI_LTO needs GCC (fat LTO objects); the compiler is "
                        "${CMAKE_CXX_COMPILER_ID}")
  endif()
  message(STATUS "iscsim: link-time optimisation for iscsim and initiator_perf")
endif()

# iscsi_lto_objects(<target>): compile <target> into fat LTO objects (iscsi_add_library does
# this for every library); a few percent more compile time.
function(iscsi_lto_objects target)
  if(ISCSI_LTO)
    target_compile_options(${target} PRIVATE -flto=auto -ffat-lto-objects)
  endif()
endfunction()

# iscsi_link_optimised(<target>): compile and link the program <target> with LTO.
function(iscsi_link_optimised target)
  if(ISCSI_LTO)
    iscsi_lto_objects(${target})
    target_link_options(${target} PRIVATE -flto=auto)
  endif()
endfunction()
