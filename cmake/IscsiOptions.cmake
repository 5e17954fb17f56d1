# Project-wide build options. Every option is prefixed ISCSI_ (DESIGN.md, style rule 9).
option(ISCSI_WERROR "Treat compiler warnings as errors" OFF)
set(ISCSI_SANITIZE "" CACHE STRING
    "Semicolon-separated sanitizers for every target (e.g. address;undefined)")
option(ISCSI_FUZZ "Build libFuzzer harnesses (needs clang with -fsanitize=fuzzer)" OFF)
option(ISCSI_BUILD_TESTS "Build the GoogleTest suite" ON)
option(ISCSI_BUILD_BENCH "Build the Google Benchmark programs" ON)
option(ISCSI_BUILD_APPS "Build the iscsim executable and everything above core/" ON)
option(ISCSI_LTO "Link iscsim and the throughput benchmarks with GCC's link-time optimisation"
       OFF)
