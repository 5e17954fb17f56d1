# Fuzz harnesses (fuzz/<name>/harness.cpp) define LLVMFuzzerTestOneInput; their dictionary
# fuzz/<name>/*.dict is picked up by scripts/fuzz.sh. Each harness is built twice:
#  - always, as a corpus-replay program with fuzz/replay_main.cpp, registered as a CTest test
#    that feeds every file of its corpus (so CI exercises the harness without libFuzzer);
#  - with ISCSI_FUZZ=ON (clang only), as a real libFuzzer binary `fuzz_<name>`.
if(ISCSI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ISCSI_FUZZ needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
  endif()
  # Coverage instrumentation for all code; the fuzzer runtime is linked into harnesses only.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

function(iscsi_add_fuzz_harness name source)
  cmake_parse_arguments(ARG "" "CORPUS" "LIBS" ${ARGN})
  add_executable(replay_${name} ${source} ${ISCSI_SOURCE_ROOT}/fuzz/replay_main.cpp)
  target_link_libraries(replay_${name} PRIVATE ${ARG_LIBS})
  iscsi_set_warnings(replay_${name})
  if(ISCSI_BUILD_TESTS)
    add_test(NAME fuzz_replay.${name}
             COMMAND replay_${name} ${ARG_CORPUS})
    set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS "fuzz-replay")
  endif()
  if(ISCSI_FUZZ)
    add_executable(fuzz_${name} ${source})
    target_link_libraries(fuzz_${name} PRIVATE ${ARG_LIBS})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    iscsi_set_warnings(fuzz_${name})
  endif()
endfunction()
