# retort_layer(NAME [DEPS libs...] [PRIVATE_DEPS libs...])
# Builds src/NAME/*.cc into the static library retort_NAME. Headers are
# included as "NAME/file.h" (internal) or <retort/file.h> (public).
function(retort_layer name)
  cmake_parse_arguments(LAYER "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cc)
  if(NOT sources)
    # A layer with no code yet still gets a target so dependents link.
    set(sources ${PROJECT_SOURCE_DIR}/cmake/empty.cc)
  endif()
  add_library(retort_${name} STATIC ${sources})
  # src/ holds internal headers: visible in the build tree only. An installed
  # consumer sees include/ (cmake/RetortInstall.cmake installs only that).
  target_include_directories(retort_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(retort_${name} PUBLIC fmt::fmt ${LAYER_DEPS} PRIVATE ${LAYER_PRIVATE_DEPS})
  # Every layer, in definition order: libretort.a is made of their objects
  # (cmake/RetortInstall.cmake).
  set_property(GLOBAL APPEND PROPERTY RETORT_LAYERS retort_${name})
  set_property(GLOBAL APPEND PROPERTY RETORT_LAYER_PRIVATE_DEPS ${LAYER_PRIVATE_DEPS})
endfunction()

# retort_test_layer(NAME [POSTGRES] [DEPS libs...])
# Builds tests/NAME/*_test.cc into NAME_tests, registered with CTest.
# POSTGRES: its tests need the throwaway PostgreSQL server (CTest fixture
# `postgres`, see tests/CMakeLists.txt), started once per ctest run.
function(retort_test_layer name)
  cmake_parse_arguments(T "POSTGRES" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${name}/*_test.cc)
  if(NOT sources)
    return()
  endif()
  add_executable(${name}_tests ${sources})
  target_link_libraries(${name}_tests PRIVATE ${T_DEPS} retort_testing GTest::gtest_main)
  target_compile_definitions(${name}_tests PRIVATE
    RETORT_BINARY="$<TARGET_FILE:retort>"
    RETORT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RETORT_PG_URL_FILE="${RETORT_PG_STATE}/url"
    RETORT_MYSQL_URL_FILE="${RETORT_MYSQL_STATE}/url")
  # Only the process-level tests need the binary; unit tests build without it.
  if(name STREQUAL "cli")
    add_dependencies(${name}_tests retort)
  endif()
  set(properties LABELS ${name})
  if(T_POSTGRES)
    list(APPEND properties FIXTURES_REQUIRED postgres)
  endif()
  # Tests whose name holds "Mysql" also need the throwaway MariaDB server
  # (fixture `mysql`); the others do not wait for it to start.
  gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 TEST_FILTER "-*Mysql*"
                       PROPERTIES ${properties})
  gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 TEST_FILTER "*Mysql*"
                       PROPERTIES LABELS ${name} FIXTURES_REQUIRED mysql)
endfunction()
