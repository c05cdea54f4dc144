# Install rules and the Debian package: `cpack -G DEB` in the build folder writes
# kade_VERSION_ARCH.deb with the three programs, a default /etc/kade/kade.toml, the systemd
# unit and the Varnish configuration as documentation. Only the "kade" component is packaged,
# so nothing a dependency installs can slip in.
include(GNUInstallDirs)

install(TARGETS kade-serve kade-index kade-import-blogger
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kade)

# The default configuration: config/kade.toml with the paths of a server (bundles in the
# unit's StateDirectory). Each replaced line must exist, so an edit there cannot quietly leave
# the packaged file pointing into a build folder.
file(READ ${CMAKE_SOURCE_DIR}/config/kade.toml KADE_PACKAGED_TOML)
foreach(pair
    "output = \"build/site.kade\"|output = \"/var/lib/kade/site.kade\""
    "bundle = \"build/site.kade\"|bundle = \"/var/lib/kade/site.kade\""
    "content = \"content\"|content = \"/var/lib/kade/content\"")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 from)
  list(GET pair 1 to)
  string(FIND "${KADE_PACKAGED_TOML}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "cmake/package.cmake: config/kade.toml has no line with '${from}'")
  endif()
  string(REPLACE "${from}" "${to}" KADE_PACKAGED_TOML "${KADE_PACKAGED_TOML}")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/package/kade.toml "${KADE_PACKAGED_TOML}")

# The unit as shipped, with the program where the package puts it.
file(READ ${CMAKE_SOURCE_DIR}/config/kade.service KADE_PACKAGED_UNIT)
string(REPLACE "/usr/local/bin/kade-serve" "/usr/bin/kade-serve" KADE_PACKAGED_UNIT
       "${KADE_PACKAGED_UNIT}")
file(WRITE ${CMAKE_BINARY_DIR}/package/kade.service "${KADE_PACKAGED_UNIT}")

# Absolute destinations: the package's /etc and systemd folders, whatever the prefix.
install(FILES ${CMAKE_BINARY_DIR}/package/kade.toml DESTINATION /etc/kade COMPONENT kade)
install(FILES ${CMAKE_BINARY_DIR}/package/kade.service DESTINATION /lib/systemd/system
        COMPONENT kade)
install(FILES README.md config/varnish.vcl config/varnish-replicas.vcl
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT kade)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs COMPONENT kade)

set(CPACK_PACKAGE_NAME kade)
set(CPACK_PACKAGE_VENDOR "Kade")
set(CPACK_PACKAGE_CONTACT "Kade maintainers <kade@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "static-content edge server for a Dutch blog: one bundle file, served from memory")
set(CPACK_PACKAGE_DESCRIPTION
    "kade-index renders a blog of Markdown posts into one verifiable bundle: pages \
precompressed with zstd and gzip and a Xapian search index with Dutch stemming. \
kade-serve serves it from memory over HTTP/1.1. kade-import-blogger converts a Blogger export.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};kade;kade;/")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
# Depends from the shared libraries the programs link (dpkg-shlibdeps, from dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# kade-index splits Dutch compounds with wdutch's word list (/usr/share/dict/dutch).
set(CPACK_DEBIAN_PACKAGE_DEPENDS wdutch)
# The config is the operator's once installed: an upgrade keeps their edits (dpkg asks).
file(WRITE ${CMAKE_BINARY_DIR}/package/conffiles "/etc/kade/kade.toml\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/package/conffiles)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "varnish, varnish-modules, xapian-tools")
include(CPack)
