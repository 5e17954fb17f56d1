# ISCSI_SANITIZE applies to every target in the tree, so the sanitizer runtime sees all code.
if(ISCSI_SANITIZE)
  string(REPLACE ";" "," _iscsi_san "${ISCSI_SANITIZE}")
  add_compile_options(-fsanitize=${_iscsi_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_iscsi_san})
  message(STATUS "iscsim: sanitizers enabled: ${_iscsi_san}")
endif()
