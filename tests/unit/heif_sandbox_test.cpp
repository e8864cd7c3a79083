// HEIF pictures are decoded by the confined idcard-heif-decode program, never in this process.
#include "image/heif_sandbox.h"

#include <gtest/gtest.h>
#include <libheif/heif_cxx.h>
#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <string>

#include "image/decode.h"
#include "image/image_header.h"

namespace idcard {
namespace {

cv::Mat test_image(int w, int h) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(x * 4), static_cast<uchar>(y * 4), 200);
  img(cv::Rect(w / 4, h / 2, w / 2, 4)).setTo(cv::Scalar(10, 20, 30));
  return img;
}

// A HEIC (HEVC through libheif's x265 encoder) of `bgr`, stored with an orientation (irot/imir
// boxes, as iPhones write them).
std::string encode_heic(const cv::Mat& bgr, heif_orientation orientation) {
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  heif::Image img;
  img.create(rgb.cols, rgb.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB);
  img.add_plane(heif_channel_interleaved, rgb.cols, rgb.rows, 8);
  int stride = 0;
  std::uint8_t* plane = img.get_plane(heif_channel_interleaved, &stride);
  for (int y = 0; y < rgb.rows; ++y)
    std::memcpy(plane + static_cast<std::size_t>(y) * stride, rgb.ptr(y),
                static_cast<std::size_t>(rgb.cols) * 3);
  heif::Context ctx;
  heif::Encoder encoder(heif_compression_HEVC);
  encoder.set_lossy_quality(95);
  heif::Context::EncodingOptions options;
  options.image_orientation = orientation;
  ctx.encode_image(img, encoder, options);
  struct ToString : heif::Context::Writer {
    std::string out;
    heif_error write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
      return {heif_error_Ok, heif_suberror_Unspecified, ""};
    }
  } writer;
  ctx.write(writer);
  return writer.out;
}

EngineSettings with_decoder() {
  EngineSettings s;
  s.heif_decoder = IDCARD_HEIF_DECODER;
  return s;
}

double mean_abs_diff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a, b, d);
  const cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3;
}

TEST(HeifSandbox, HeicIsDecodedUprightWithItsRotation) {
  const cv::Mat img = test_image(64, 48);
  const std::string heic = encode_heic(img, heif_orientation_normal);
  const auto h = read_image_header(heic);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->format, ImageFormat::kHeif);
  const auto d = decode_image(heic, with_decoder());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.type(), CV_8UC3);
  ASSERT_EQ(d.bgr.size(), img.size());
  EXPECT_EQ(d.width, 64);
  EXPECT_EQ(d.height, 48);
  EXPECT_LT(mean_abs_diff(d.bgr, img), 6.0);

  // Stored turned a quarter (irot): decoded as the picture was taken.
  const auto turned = decode_image(encode_heic(img, heif_orientation_rotate_90_cw), with_decoder());
  ASSERT_TRUE(turned.ok());
  EXPECT_EQ(turned.width, 48);
  EXPECT_EQ(turned.height, 64);
  cv::Mat expected;
  cv::rotate(img, expected, cv::ROTATE_90_CLOCKWISE);
  EXPECT_LT(mean_abs_diff(turned.bgr, expected), 6.0);
}

TEST(HeifSandbox, DamagedOrOversizedHeicIsRefused) {
  const std::string heic = encode_heic(test_image(64, 48), heif_orientation_normal);
  EXPECT_EQ(decode_image(heic.substr(0, heic.size() / 2), with_decoder()).error, DecodeError::kCorrupt);
  EngineSettings small = with_decoder();
  small.max_decoded_pixels = 64 * 48 - 1;  // checked by the decoder before decoding
  EXPECT_EQ(decode_image(heic, small).error, DecodeError::kCorrupt);
  // Without a decoder program HEIF is a format this engine does not read.
  EXPECT_EQ(decode_image(heic, EngineSettings{}).error, DecodeError::kUnsupported);
}

// Whatever the decoder program does, the caller gets pixels or nothing: a hang past the deadline
// (killed), a failure, an answer that is not the protocol.
TEST(HeifSandbox, MisbehavingDecoderGivesNothing) {
  const std::string bytes =
      "\0\0\0\x18"
      "ftypheic";
  EXPECT_TRUE(decode_heif_sandboxed(bytes, "/bin/sleep", 30, std::chrono::milliseconds(300)).empty());
  EXPECT_TRUE(decode_heif_sandboxed(bytes, "/bin/false", 30).empty());
  EXPECT_TRUE(decode_heif_sandboxed(bytes, "/bin/echo", 30).empty());
  EXPECT_TRUE(decode_heif_sandboxed(bytes, "/nonexistent/decoder", 30).empty());
}

// The decoder confines itself before parsing: it can then open no file and no socket.
TEST(HeifSandbox, DecoderIsConfined) {
  const std::string cmd = std::string(IDCARD_HEIF_DECODER) + " --check-confinement";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace idcard
