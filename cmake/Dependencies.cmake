# System libraries come from Debian's packages; ONNX Runtime from the pinned npm package that
# scripts/fetch_deps.sh unpacks into .deps/onnxruntime, or from ONNXRUNTIME_ROOT (an official
# release tarball's layout: include/ and lib/).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
# Debian splits OpenCV per module; the CMake config lives only in the big libopencv-dev, so the three
# modules we use are found directly.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
add_library(opencv_min INTERFACE)
foreach(m core imgproc imgcodecs)
  find_library(OPENCV_${m}_LIB opencv_${m} REQUIRED)
  target_link_libraries(opencv_min INTERFACE ${OPENCV_${m}_LIB})
endforeach()
target_include_directories(opencv_min SYSTEM INTERFACE ${OPENCV_INCLUDE_DIR})
find_package(nlohmann_json 3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)  # the embedded town list is gzip
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(HEIF REQUIRED IMPORTED_TARGET libheif)        # HEIC photos, in a confined child only
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)  # its confinement

if(DEFINED ENV{ONNXRUNTIME_ROOT})
  set(ONNXRUNTIME_ROOT "$ENV{ONNXRUNTIME_ROOT}")
else()
  set(ONNXRUNTIME_ROOT "${CMAKE_SOURCE_DIR}/.deps/onnxruntime")
endif()
find_path(ORT_INCLUDE_DIR onnxruntime_cxx_api.h
  PATHS "${ONNXRUNTIME_ROOT}/include" "${ONNXRUNTIME_ROOT}/include/onnxruntime" NO_DEFAULT_PATH REQUIRED)
find_library(ORT_LIBRARY onnxruntime PATHS "${ONNXRUNTIME_ROOT}/lib" NO_DEFAULT_PATH REQUIRED)
add_library(onnxruntime::onnxruntime SHARED IMPORTED)
set_target_properties(onnxruntime::onnxruntime PROPERTIES
  IMPORTED_LOCATION "${ORT_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${ORT_INCLUDE_DIR}")
get_filename_component(ORT_LIB_DIR "${ORT_LIBRARY}" DIRECTORY)
set(CMAKE_BUILD_RPATH "${ORT_LIB_DIR}")
