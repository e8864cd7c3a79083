# `cmake --install build --prefix P`: the card reader as a shared library with its public headers,
# a CMake package (find_package(IdcardOcr) -> IdcardOcr::idcard), a pkg-config file (idcard-ocr),
# the models under share/idcard-ocr/models and the ONNX Runtime it was built with next to it.
# Only the three headers of the reading interface are installed, never the engine's internals.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(IDCARD_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/idcard-ocr)
set(IDCARD_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/IdcardOcr)
set(IDCARD_INSTALL_MODELDIR ${CMAKE_INSTALL_DATADIR}/idcard-ocr/models)

target_include_directories(idcard INTERFACE $<INSTALL_INTERFACE:${IDCARD_INSTALL_INCLUDEDIR}>)
install(TARGETS idcard EXPORT IdcardOcrTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES src/idcard/card_reader.h src/idcard/card_result.h DESTINATION ${IDCARD_INSTALL_INCLUDEDIR}/idcard)
install(FILES src/core/engine_settings.h DESTINATION ${IDCARD_INSTALL_INCLUDEDIR}/core)
install(EXPORT IdcardOcrTargets NAMESPACE IdcardOcr:: DESTINATION ${IDCARD_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/IdcardOcrConfig.cmake.in ${CMAKE_BINARY_DIR}/IdcardOcrConfig.cmake
  INSTALL_DESTINATION ${IDCARD_INSTALL_CMAKEDIR} PATH_VARS IDCARD_INSTALL_MODELDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/IdcardOcrConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/IdcardOcrConfig.cmake ${CMAKE_BINARY_DIR}/IdcardOcrConfigVersion.cmake
  DESTINATION ${IDCARD_INSTALL_CMAKEDIR})

# pkg-config: every path from ${pcfiledir}, so the prefix can be chosen at install time.
file(RELATIVE_PATH IDCARD_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" IDCARD_PC_TO_PREFIX "${IDCARD_PC_TO_PREFIX}")
configure_file(cmake/idcard-ocr.pc.in ${CMAKE_BINARY_DIR}/idcard-ocr.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/idcard-ocr.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The library loads its models at run time and links ONNX Runtime (not a Debian package): both go
# with it, found through $ORIGIN and the package's model directory.
file(GLOB IDCARD_ORT_FILES ${ORT_LIB_DIR}/libonnxruntime.so*)
install(FILES ${IDCARD_ORT_FILES} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${IDCARD_DEFAULT_MODEL_DIR}/ DESTINATION ${IDCARD_INSTALL_MODELDIR})

# The confined HEIF/HEIC decoder (image/heif_sandbox.h): a CardReader user points
# EngineSettings::heif_decoder at <prefix>/libexec/idcard-ocr/idcard-heif-decode to read HEIC.
install(TARGETS idcard-heif-decode RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/idcard-ocr)
