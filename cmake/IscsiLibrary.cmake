# iscsi_add_library(<name> [INTERFACE] SOURCES ... DEPS ...): one library target per folder,
# named iscsi_<name> with the alias iscsi::<name> (DESIGN.md, style rule 9). Headers are
# included by their path from the repository root.
function(iscsi_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(iscsi_${name} STATIC ${ARG_SOURCES})
  add_library(iscsi::${name} ALIAS iscsi_${name})
  target_include_directories(iscsi_${name} PUBLIC ${ISCSI_SOURCE_ROOT})
  target_link_libraries(iscsi_${name} PUBLIC ${ARG_DEPS})
  iscsi_set_warnings(iscsi_${name})
  iscsi_lto_objects(iscsi_${name})
endfunction()
