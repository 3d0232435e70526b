# Installing retort and consuming it from other projects (docs/install.md).
# Included at the end of the top-level CMakeLists.txt, after every layer.
#
#   retort::retort   libretort.a: the objects of every layer in one static
#                    library, headers include/retort/*.h. The in-tree alias
#                    has the same name, so examples build the same way in the
#                    tree and against an installed prefix.
#   retort::cli      the installed `retort` executable (imported only).
#
# Two install components, which are also the two .deb packages:
#   runtime      -> package `retort`:     bin/retort, man page, completions
#   development  -> package `retort-dev`: headers, libretort.a, CMake package
#                                         config, pkg-config file
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# --- libretort.a ----------------------------------------------------------
# One archive made of the layers' objects (nothing is compiled twice). One
# library is what a user expects to link, and it keeps the layer split an
# internal matter: layers may be added or merged without changing consumers.
get_property(retort_layers GLOBAL PROPERTY RETORT_LAYERS)
set(retort_layer_objects)
foreach(layer IN LISTS retort_layers)
  list(APPEND retort_layer_objects $<TARGET_OBJECTS:${layer}>)
endforeach()
add_library(retort_library STATIC ${retort_layer_objects})
set_target_properties(retort_library PROPERTIES OUTPUT_NAME retort EXPORT_NAME retort
                                                LINKER_LANGUAGE CXX)
# Only the public headers: internal src/ headers are not part of the API.
target_include_directories(retort_library PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                                 $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(retort_library PUBLIC cxx_std_20)
# PRIVATE on a static library: consumers link these (they appear as
# $<LINK_ONLY:...> in the exported target) but do not see their headers. The
# package config finds each of them (cmake/retortConfig.cmake.in). libpq is
# not linked: the driver dlopen()s libpq.so.5 on the first PostgreSQL
# connection (src/driver/libpq.h), so a program needs the libpq5 package at
# run time, and only to connect to PostgreSQL.
# nettle is linked by name (-lnettle): Debian's nettle-dev puts it on the
# default linker path, and it has no CMake package to find.
set(retort_private_deps fmt::fmt SQLite::SQLite3 nettle)
target_link_libraries(retort_library PRIVATE ${retort_private_deps})
# A layer that gains a dependency must be added above and to the package
# config and retort.pc, or installed consumers fail to link: fail here.
get_property(retort_layer_deps GLOBAL PROPERTY RETORT_LAYER_PRIVATE_DEPS)
foreach(dep IN LISTS retort_layer_deps)
  # The static archives of RETORT_STATIC_RUNTIME (CMakeLists.txt) are the
  # retort executable's copies of libraries the library leaves to its users.
  if(TARGET ${dep})
    get_target_property(shared ${dep} RETORT_SHARED_EQUIVALENT)
    if(shared)
      set(dep ${shared})
    endif()
  endif()
  if(NOT dep IN_LIST retort_private_deps)
    message(FATAL_ERROR "retort layer dependency ${dep} is not in cmake/RetortInstall.cmake's "
                        "retort_private_deps (and the package config, retort.pc)")
  endif()
endforeach()
if(NOT TARGET retort::retort)
  add_library(retort::retort ALIAS retort_library)
endif()

# --- install rules ----------------------------------------------------------
install(TARGETS retort EXPORT retortTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
                                            COMPONENT runtime)
set_target_properties(retort PROPERTIES EXPORT_NAME cli)
install(TARGETS retort_library EXPORT retortTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
                                                    COMPONENT development)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/retort DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT development FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/docs/retort.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/completions/retort.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME retort
        COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_retort
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT runtime)

# CMake package: find_package(retort) -> retort::retort (and retort::cli).
set(retort_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/retort)
install(EXPORT retortTargets NAMESPACE retort:: DESTINATION ${retort_cmake_dir}
        COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/retortConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/retortConfig.cmake
                              INSTALL_DESTINATION ${retort_cmake_dir})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/retortConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/retortConfig.cmake
              ${PROJECT_BINARY_DIR}/retortConfigVersion.cmake
        DESTINATION ${retort_cmake_dir} COMPONENT development)
# retort_embed_migrations(), once it exists, comes with the package.
if(EXISTS ${PROJECT_SOURCE_DIR}/cmake/RetortEmbed.cmake)
  install(FILES ${PROJECT_SOURCE_DIR}/cmake/RetortEmbed.cmake DESTINATION ${retort_cmake_dir}
          COMPONENT development)
endif()

# pkg-config: relocatable (prefix from the .pc file's own place), so the same
# file works under /usr, /usr/local or a `cmake --install --prefix` folder.
file(RELATIVE_PATH retort_pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/retort.pc.in ${PROJECT_BINARY_DIR}/retort.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/retort.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT development)

# --- .deb packages: `cpack -G DEB` in the build folder ----------------------
set(CPACK_PACKAGE_NAME retort)
set(CPACK_PACKAGE_VENDOR "retort")
# The Maintainer field: a placeholder until the project has a public address.
set(RETORT_PACKAGE_MAINTAINER "retort maintainers <retort@example.org>"
    CACHE STRING "Maintainer field of the .deb packages")
set(CPACK_PACKAGE_CONTACT "${RETORT_PACKAGE_MAINTAINER}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME retort)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION database)
# dpkg-shlibdeps (dpkg-dev) reads the binary and declares what it links
# with their versions: libc6 alone under RETORT_STATIC_RUNTIME (CMakeLists.txt),
# else also libsqlite3-0, libfmt9, libnettle8 and libstdc++6. libpq5 is dlopen()ed on
# the first PostgreSQL connection (src/driver/libpq.h), so shlibdeps cannot
# see it: it is declared here. libmariadb3 is dlopen()ed the same way, but
# only for mysql:// and mariadb:// URLs: a Recommends, so a SQLite or
# PostgreSQL host can leave it out (a MySQL URL then fails with a line
# naming the package).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libpq5")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "libmariadb3")
# Description: the first line is the synopsis, the rest the long text
# (CPACK_PACKAGE_DESCRIPTION_SUMMARY is left unset: CPack would put it in
# front of both packages' descriptions).
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "database schema migrations with Alembic's semantics
retort applies plain SQL revision files that form Alembic's revision graph
(upgrade, downgrade, stamp, current, history, heads, merge, ...) to SQLite
PostgreSQL and MySQL/MariaDB databases, with no Python runtime. It also lints revisions,
verifies them on scratch databases and records applied checksums.")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME retort-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# libretort.a is static: a program linking it needs the libraries' -dev
# packages (the .so links and the CMake/pkg-config files that find them).
# libpq5 comes with retort (dlopen()ed, not linked).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "libsqlite3-dev, libfmt-dev, nettle-dev")
# retort-dev depends on retort: the exported retort::cli names bin/retort.
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "retort as a C++ library (headers, static library, CMake, pkg-config)
Link retort::retort after find_package(retort), or use pkg-config retort,
to run retort's migrations (upgrade, downgrade, stamp, ...) from a C++
program, with the revision files on disk or embedded in the program.")
include(CPack)
