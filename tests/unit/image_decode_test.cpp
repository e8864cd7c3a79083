#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "image/decode.h"
#include "image/image_header.h"

namespace idcard {
namespace {

using namespace std::string_literals;

// A small BGR test card: a gradient with a dark bar, so decoded pixels can be compared.
cv::Mat test_image(int w, int h) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(x * 4), static_cast<uchar>(y * 4), 200);
  img(cv::Rect(w / 4, h / 2, w / 2, 4)).setTo(cv::Scalar(10, 20, 30));
  return img;
}

std::string encode(const cv::Mat& img, const std::string& ext) {
  std::vector<uchar> buf;
  EXPECT_TRUE(cv::imencode(ext, img, buf)) << ext;
  return std::string(buf.begin(), buf.end());
}

void put_be32(std::string& s, size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
}

TEST(ImageDecode, LosslessFormatsRoundTrip) {
  const cv::Mat img = test_image(64, 48);
  for (const std::string ext : {".png", ".bmp"}) {
    const auto d = decode_image(encode(img, ext), EngineSettings{});
    ASSERT_TRUE(d.ok()) << ext;
    EXPECT_EQ(d.bgr.type(), CV_8UC3) << ext;
    EXPECT_EQ(cv::norm(d.bgr, img, cv::NORM_INF), 0.0) << ext;
  }
}

TEST(ImageDecode, JpegDecodes) {
  const cv::Mat img = test_image(64, 48);
  const auto d = decode_image(encode(img, ".jpg"), EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.type(), CV_8UC3);
  EXPECT_EQ(d.bgr.size(), img.size());
  EXPECT_LT(cv::norm(d.bgr, img, cv::NORM_L1) / static_cast<double>(img.total() * 3), 8.0);
}

// A JPEG with an EXIF APP1 segment holding only an orientation tag (6: turn 90 degrees clockwise).
std::string with_exif_orientation(std::string jpeg, std::uint16_t orientation) {
  const std::string tiff =
      "MM\x00\x2A\x00\x00\x00\x08"s          // big-endian TIFF, IFD at 8
      "\x00\x01"s                            // one entry
      "\x01\x12\x00\x03\x00\x00\x00\x01"s +  // Orientation, SHORT, count 1
      std::string{static_cast<char>(orientation >> 8), static_cast<char>(orientation & 0xFF), 0, 0} +
      "\x00\x00\x00\x00"s;  // no next IFD
  const std::string payload = "Exif\x00\x00"s + tiff;
  const size_t len = payload.size() + 2;
  const std::string app1 =
      "\xFF\xE1"s + static_cast<char>(len >> 8) + static_cast<char>(len & 0xFF) + payload;
  return jpeg.insert(2, app1);  // right after SOI
}

TEST(ImageDecode, BigJpegIsDecodedAtAReducedScaleKeepingItsSize) {
  const cv::Mat img = test_image(3400, 2000);
  const auto d = decode_image(encode(img, ".jpg"), EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.size(), cv::Size(1700, 1000));  // long side 3400 >= 2 x 1600: half scale
  EXPECT_EQ(d.width, 3400);
  EXPECT_EQ(d.height, 2000);
  // Under twice the long side a reduced decode would fall below it: full size.
  const auto full = decode_image(encode(test_image(3100, 2000), ".jpg"), EngineSettings{});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full.bgr.size(), cv::Size(3100, 2000));
  EXPECT_EQ(full.width, 3100);
}

TEST(ImageDecode, ExifOrientationTurnsTheImageAndItsSize) {
  const std::string jpeg = with_exif_orientation(encode(test_image(320, 200), ".jpg"), 6);
  const auto d = decode_image(jpeg, EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.size(), cv::Size(200, 320));
  EXPECT_EQ(d.width, 200);
  EXPECT_EQ(d.height, 320);
  const auto big =
      decode_image(with_exif_orientation(encode(test_image(3400, 2000), ".jpg"), 6), EngineSettings{});
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big.bgr.size(), cv::Size(1000, 1700));
  EXPECT_EQ(big.width, 2000);
  EXPECT_EQ(big.height, 3400);
}

// The EXIF block of with_exif_orientation as a PNG eXIf chunk, before the first IDAT.
std::string png_with_exif_orientation(std::string png, std::uint16_t orientation) {
  const std::string jpeg = with_exif_orientation("\xFF\xD8"s, orientation);
  const std::string tiff = jpeg.substr(2 + 4 + 6);  // after SOI, APP1 marker and length, "Exif\0\0"
  std::string chunk = "\0\0\0\0eXIf"s + tiff + "\0\0\0\0"s;
  put_be32(chunk, 0, static_cast<std::uint32_t>(tiff.size()));  // its CRC is not checked by decoders
  return png.insert(png.find("IDAT") - 4, chunk);
}

TEST(ImageDecode, PngExifOrientationTurnsTheImage) {
  const cv::Mat img = test_image(64, 48);
  for (const std::string& png :
       {png_with_exif_orientation(encode(img, ".png"), 6),
        png_with_exif_orientation(encode(cv::Mat(img.size(), CV_8UC4, cv::Scalar(1, 2, 3, 255)), ".png"),
                                  6)}) {
    const auto d = decode_image(png, EngineSettings{});
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.bgr.size(), cv::Size(48, 64));
    EXPECT_EQ(d.width, 48);
    EXPECT_EQ(d.height, 64);
  }
  cv::Mat turned;
  cv::rotate(img, turned, cv::ROTATE_90_CLOCKWISE);
  EXPECT_EQ(cv::norm(decode_image(png_with_exif_orientation(encode(img, ".png"), 6), EngineSettings{}).bgr,
                     turned, cv::NORM_INF),
            0.0);
  // A damaged EXIF block (its IFD points past its end) is ignored: the image as stored.
  std::string bad = png_with_exif_orientation(encode(img, ".png"), 6);
  bad[bad.find("eXIf") + 4 + 7] = '\x7F';
  const auto d = decode_image(bad, EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.size(), img.size());
}

TEST(ImageDecode, GreyAndSixteenBitBecomeEightBitBgr) {
  cv::Mat grey(10, 12, CV_8UC1, cv::Scalar(77));
  auto d = decode_image(encode(grey, ".png"), EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.type(), CV_8UC3);
  EXPECT_EQ(d.bgr.at<cv::Vec3b>(5, 5), cv::Vec3b(77, 77, 77));

  cv::Mat deep(10, 12, CV_16UC3, cv::Scalar(65535, 0, 257 * 100));
  d = decode_image(encode(deep, ".png"), EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.type(), CV_8UC3);
  EXPECT_EQ(d.bgr.at<cv::Vec3b>(3, 3), cv::Vec3b(255, 0, 100));
}

TEST(ImageDecode, AlphaIsFlattenedOntoWhite) {
  cv::Mat bgra(8, 8, CV_8UC4, cv::Scalar(0, 0, 255, 0));         // transparent red
  bgra(cv::Rect(0, 0, 4, 8)).setTo(cv::Scalar(0, 0, 255, 255));  // opaque red on the left
  const auto d = decode_image(encode(bgra, ".png"), EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.bgr.type(), CV_8UC3);
  EXPECT_EQ(d.bgr.at<cv::Vec3b>(2, 1), cv::Vec3b(0, 0, 255));
  EXPECT_EQ(d.bgr.at<cv::Vec3b>(2, 6), cv::Vec3b(255, 255, 255));
}

TEST(ImageDecode, RejectsNonImages) {
  EXPECT_EQ(decode_image("", EngineSettings{}).error, DecodeError::kUnsupported);
  EXPECT_EQ(decode_image("GIF89a\x01\x00\x01\x00", EngineSettings{}).error, DecodeError::kUnsupported);
  std::mt19937 rng(42);
  std::string noise(4096, '\0');
  for (auto& c : noise) c = static_cast<char>(rng() & 0xFF);
  noise[0] = 'Z';  // not a magic byte of any supported format
  EXPECT_EQ(decode_image(noise, EngineSettings{}).error, DecodeError::kUnsupported);
  // A PNG signature alone has no header to read.
  EXPECT_EQ(decode_image("\x89PNG\r\n\x1a\n"s, EngineSettings{}).error, DecodeError::kUnsupported);
}

TEST(ImageDecode, RejectsTruncatedFiles) {
  const cv::Mat img = test_image(64, 48);
  const std::string png = encode(img, ".png"), jpg = encode(img, ".jpg");
  const auto p = decode_image(png.substr(0, png.size() / 2), EngineSettings{});
  EXPECT_EQ(p.error, DecodeError::kCorrupt);
  EXPECT_TRUE(p.bgr.empty());
  EXPECT_EQ(decode_image(jpg.substr(0, jpg.size() / 2), EngineSettings{}).error, DecodeError::kCorrupt);
}

// Phones write more after a JPEG's end marker: Samsung trailers, Motion Photo videos, MPF's
// further pictures. The picture is the first one; what follows it must not make it "truncated".
TEST(ImageDecode, JpegWithDataAfterItsEndIsRead) {
  const cv::Mat img = test_image(64, 48);
  const std::string jpg = encode(img, ".jpg");
  const auto plain = decode_image(jpg, EngineSettings{});
  ASSERT_TRUE(plain.ok());
  std::mt19937 rng(7);
  std::string trailer(64 * 1024, '\0');
  for (auto& c : trailer) c = static_cast<char>(rng() & 0xFF);
  const std::string appended = encode(test_image(200, 100), ".jpg");  // MPF-like second picture
  for (const std::string& tail : {"SEFT"s + trailer, appended, trailer + appended}) {
    const auto d = decode_image(jpg + tail, EngineSettings{});
    ASSERT_TRUE(d.ok()) << tail.size();
    EXPECT_EQ(d.bgr.size(), img.size());
    EXPECT_EQ(cv::norm(d.bgr, plain.bgr, cv::NORM_INF), 0.0);
  }
  // Cut inside its picture data it is still truncated, whatever follows the cut.
  EXPECT_EQ(decode_image(jpg.substr(0, jpg.size() / 2), EngineSettings{}).error, DecodeError::kCorrupt);
  EXPECT_EQ(decode_image(jpg.substr(0, jpg.size() - 2), EngineSettings{}).error, DecodeError::kCorrupt);
}

TEST(ImageDecode, ProgressiveJpegIsReadAndItsTruncationSeen) {
  const cv::Mat img = test_image(64, 48);
  std::vector<uchar> buf;
  ASSERT_TRUE(cv::imencode(".jpg", img, buf, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  const std::string jpg(buf.begin(), buf.end());
  const auto d = decode_image(jpg, EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_LT(cv::norm(d.bgr, img, cv::NORM_L1) / static_cast<double>(img.total() * 3), 8.0);
  // Cut between two of its scans: every segment before the cut is whole, but no end marker.
  const size_t last_scan = jpg.rfind("\xFF\xDA"s);
  ASSERT_NE(last_scan, std::string::npos);
  EXPECT_EQ(decode_image(jpg.substr(0, last_scan), EngineSettings{}).error, DecodeError::kCorrupt);
}

TEST(ImageDecode, PngWithDataAfterIendIsRead) {
  const cv::Mat img = test_image(64, 48);
  const std::string png = encode(img, ".png");
  const auto d = decode_image(png + std::string(4096, '\x5A'), EngineSettings{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(cv::norm(d.bgr, img, cv::NORM_INF), 0.0);
  // Without its IEND chunk it is truncated.
  EXPECT_EQ(decode_image(png.substr(0, png.size() - 12), EngineSettings{}).error, DecodeError::kCorrupt);
}

TEST(ImageDecode, RejectsDamagedPixelData) {
  std::string png = encode(test_image(64, 48), ".png");
  const size_t idat = png.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (size_t i = idat + 4; i < idat + 40; ++i) png[i] = static_cast<char>(0xA5);
  EXPECT_EQ(decode_image(png, EngineSettings{}).error, DecodeError::kCorrupt);
}

TEST(ImageDecode, RefusesByteSizeOverTheLimit) {
  const std::string png = encode(test_image(64, 48), ".png");
  EngineSettings limits;
  limits.max_image_bytes = png.size();
  EXPECT_TRUE(decode_image(png, limits).ok());
  limits.max_image_bytes = png.size() - 1;
  EXPECT_EQ(decode_image(png, limits).error, DecodeError::kTooLarge);
  // The limit comes first: even bytes that are no image are "too large".
  EXPECT_EQ(decode_image(std::string(png.size(), 'Z'), limits).error, DecodeError::kTooLarge);
}

TEST(ImageDecode, RefusesPixelCountOverTheLimit) {
  const std::string png = encode(test_image(200, 100), ".png");
  EngineSettings limits;
  limits.max_decoded_pixels = 20000;
  EXPECT_TRUE(decode_image(png, limits).ok());
  limits.max_decoded_pixels = 19999;
  EXPECT_EQ(decode_image(png, limits).error, DecodeError::kTooLarge);
}

TEST(ImageDecode, HeaderClaimingHugeDimensionsIsRefusedBeforeDecoding) {
  // A 64x48 PNG whose IHDR claims 100000x100000 (its CRC no longer matches: never decoded).
  std::string png = encode(test_image(64, 48), ".png");
  put_be32(png, 16, 100000);
  put_be32(png, 20, 100000);
  const auto h = read_image_header(png);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->width, 100000u);
  EXPECT_EQ(h->height, 100000u);
  const auto d = decode_image(png, EngineSettings{});
  EXPECT_EQ(d.error, DecodeError::kTooLarge);
  EXPECT_TRUE(d.bgr.empty());

  // A WebP (VP8X) header claiming 16384x16384, with no image data at all.
  std::string webp = "RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00"s;
  webp += std::string(4, '\0');         // flags, reserved
  webp += "\xff\x3f\x00\xff\x3f\x00"s;  // width-1, height-1: 24-bit little endian
  ASSERT_EQ(webp.size(), 30u);
  const auto wh = read_image_header(webp);
  ASSERT_TRUE(wh.has_value());
  EXPECT_EQ(wh->format, ImageFormat::kWebp);
  EXPECT_EQ(wh->width, 16384u);
  EXPECT_EQ(wh->height, 16384u);
  EXPECT_EQ(decode_image(webp, EngineSettings{}).error, DecodeError::kTooLarge);
}

TEST(ImageHeader, ReadsDimensionsOfEachFormat) {
  const cv::Mat img = test_image(37, 23);
  for (const auto& [ext, format] :
       {std::pair{".png", ImageFormat::kPng}, std::pair{".jpg", ImageFormat::kJpeg},
        std::pair{".bmp", ImageFormat::kBmp}}) {
    const auto h = read_image_header(encode(img, ext));
    ASSERT_TRUE(h.has_value()) << ext;
    EXPECT_EQ(h->format, format) << ext;
    EXPECT_EQ(h->width, 37u) << ext;
    EXPECT_EQ(h->height, 23u) << ext;
  }
}

TEST(ImageHeader, RejectsZeroDimensionsAndDamagedHeaders) {
  std::string png = encode(test_image(8, 8), ".png");
  put_be32(png, 16, 0);
  EXPECT_FALSE(read_image_header(png).has_value());
  EXPECT_EQ(decode_image(png, EngineSettings{}).error, DecodeError::kUnsupported);

  std::string bad_ihdr = encode(test_image(8, 8), ".png");
  bad_ihdr.replace(12, 4, "IHDX");
  EXPECT_FALSE(read_image_header(bad_ihdr).has_value());

  // JPEG whose first segment is not a marker.
  const std::string jpeg =
      "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00\x12\x34\x56\x78"s;
  ASSERT_EQ(jpeg.size(), 24u);
  EXPECT_FALSE(read_image_header(jpeg).has_value());
  EXPECT_EQ(decode_image(jpeg, EngineSettings{}).error, DecodeError::kUnsupported);
  EXPECT_FALSE(read_image_header("BM\x00\x00"s).has_value());
}

}  // namespace
}  // namespace idcard
