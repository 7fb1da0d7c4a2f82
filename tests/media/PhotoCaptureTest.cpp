// What a photo becomes before it is kept (core/media/PhotoCapture.h): turned
// as its EXIF orientation says, its long side capped, its metadata gone, a
// thumbnail beside it; anything that is not a JPEG refused.
#include "media/PhotoCapture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <turbojpeg.h>

#include <array>
#include <vector>

namespace fieldsync::media {
namespace {

using ::testing::HasSubstr;

struct Rgb {
    int r, g, b;
};

// A w x h picture, grey but for a red square in its top-left corner (an
// eighth of each side), as a JPEG.
std::string jpegWithRedCorner(int w, int h)
{
    std::vector<unsigned char> px(static_cast<size_t>(w) * h * 3, 128);
    for (int y = 0; y < h / 8; ++y)
        for (int x = 0; x < w / 8; ++x) {
            unsigned char* p = &px[(static_cast<size_t>(y) * w + x) * 3];
            p[0] = 230, p[1] = 20, p[2] = 20;
        }
    tjhandle enc = tjInitCompress();
    unsigned char* out = nullptr;
    unsigned long size = 0;
    EXPECT_EQ(tjCompress2(enc, px.data(), w, 0, h, TJPF_RGB, &out, &size, TJSAMP_420, 90, 0), 0);
    std::string jpeg(reinterpret_cast<const char*>(out), size);
    tjFree(out);
    tjDestroy(enc);
    return jpeg;
}

// `jpeg` with an APP1 EXIF block after its start marker: IFD0 holds the
// orientation, the camera's make, and a GPS block with a latitude.
std::string withExif(const std::string& jpeg, int orientation)
{
    // Little-endian TIFF: header, IFD0 at 8 with 3 entries, GPS IFD after it.
    std::vector<unsigned char> t = {'I', 'I', 42, 0, 8, 0, 0, 0};
    auto u16 = [&](int v) { t.push_back(v & 0xff), t.push_back((v >> 8) & 0xff); };
    auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) t.push_back((v >> (8 * i)) & 0xff); };
    const uint32_t ifd0 = 8, ifd0Size = 2 + 3 * 12 + 4, make = ifd0 + ifd0Size, gps = make + 8;
    u16(3);
    u16(0x010F), u16(2), u32(8), u32(make);        // Make: "FieldCam" (8 bytes, at `make`)
    u16(0x0112), u16(3), u32(1), u16(orientation), u16(0);  // Orientation
    u16(0x8825), u16(4), u32(1), u32(gps);          // GPS IFD pointer
    u32(0);
    for (char c : std::string("FieldCam")) t.push_back(static_cast<unsigned char>(c));
    u16(1);                                          // GPS IFD: one entry
    u16(0x0001), u16(2), u32(2), t.push_back('N'), t.push_back(0), t.push_back(0), t.push_back(0);  // GPSLatitudeRef
    u32(0);
    std::string app1 = "Exif";
    app1.append(2, '\0');
    app1.append(reinterpret_cast<const char*>(t.data()), t.size());
    const size_t length = app1.size() + 2;
    std::string segment = {'\xFF', '\xE1', static_cast<char>(length >> 8), static_cast<char>(length & 0xff)};
    return jpeg.substr(0, 2) + segment + app1 + jpeg.substr(2);
}

struct Decoded {
    int w = 0, h = 0;
    std::vector<unsigned char> px;
    Rgb at(int x, int y) const
    {
        const unsigned char* p = &px[(static_cast<size_t>(y) * w + x) * 3];
        return {p[0], p[1], p[2]};
    }
};

Decoded decode(const std::string& jpeg)
{
    Decoded d;
    tjhandle dec = tjInitDecompress();
    int sub = 0, cs = 0;
    EXPECT_EQ(tjDecompressHeader3(dec, reinterpret_cast<const unsigned char*>(jpeg.data()), jpeg.size(), &d.w, &d.h,
                                  &sub, &cs),
              0);
    d.px.resize(static_cast<size_t>(d.w) * d.h * 3);
    EXPECT_EQ(tjDecompress2(dec, reinterpret_cast<const unsigned char*>(jpeg.data()), jpeg.size(), d.px.data(), d.w,
                            0, d.h, TJPF_RGB, 0),
              0);
    tjDestroy(dec);
    return d;
}

bool red(const Rgb& c) { return c.r > 180 && c.g < 80 && c.b < 80; }

// Where the red corner lands, as (right?, bottom?), sampled a little inside.
std::pair<bool, bool> redCorner(const Decoded& d)
{
    const int mx = d.w / 32, my = d.h / 32;
    for (int right : {0, 1})
        for (int bottom : {0, 1})
            if (red(d.at(right ? d.w - 1 - mx : mx, bottom ? d.h - 1 - my : my))) return {right == 1, bottom == 1};
    ADD_FAILURE() << "no red corner";
    return {false, false};
}

TEST(PhotoCapture, APhotoStandsAsEachExifOrientationSays)
{
    const std::string plain = jpegWithRedCorner(640, 480);
    // Orientation -> where the stored top-left corner ends up, and whether the sides swap.
    struct Case {
        int orientation;
        bool right, bottom, swaps;
    };
    for (const Case& c : {Case{1, false, false, false}, Case{2, true, false, false}, Case{3, true, true, false},
                          Case{4, false, true, false}, Case{5, false, false, true}, Case{6, true, false, true},
                          Case{7, true, true, true}, Case{8, false, true, true}}) {
        SCOPED_TRACE(c.orientation);
        const std::string tagged = withExif(plain, c.orientation);
        EXPECT_EQ(exifOrientation(tagged), c.orientation);
        auto r = processCapture(tagged);
        ASSERT_TRUE(r.ok()) << r.error().message;
        const Decoded d = decode(r.value().jpeg);
        EXPECT_EQ(d.w, c.swaps ? 480 : 640);
        EXPECT_EQ(d.h, c.swaps ? 640 : 480);
        EXPECT_EQ(r.value().width, d.w);
        EXPECT_EQ(r.value().height, d.h);
        EXPECT_EQ(redCorner(d), (std::pair{c.right, c.bottom}));
        EXPECT_EQ(redCorner(decode(r.value().thumbnail)), (std::pair{c.right, c.bottom})) << "the thumbnail too";
    }
    EXPECT_EQ(exifOrientation(plain), 1) << "no EXIF: as stored";
}

// The place, the camera and every other metadata block are gone: the photo
// and its thumbnail carry no APP1 (EXIF/XMP) segment at all.
TEST(PhotoCapture, NoMetadataLeavesTheDevice)
{
    const std::string tagged = withExif(jpegWithRedCorner(320, 240), 6);
    ASSERT_NE(tagged.find("FieldCam"), std::string::npos) << "the input carries what must go";
    auto r = processCapture(tagged);
    ASSERT_TRUE(r.ok());
    for (const std::string* out : {&r.value().jpeg, &r.value().thumbnail}) {
        EXPECT_EQ(out->find("Exif"), std::string::npos);
        EXPECT_EQ(out->find("FieldCam"), std::string::npos);
        EXPECT_EQ(out->find("\xFF\xE1"), std::string::npos) << "no APP1 segment";
        EXPECT_EQ(exifOrientation(*out), 1);
        EXPECT_EQ(out->substr(0, 3), "\xFF\xD8\xFF");
    }
}

// The long side is capped at the largest decoder scale under the cap; the
// thumbnail at the smallest scale that keeps it at the thumbnail size or over.
TEST(PhotoCapture, TheLongSideIsCappedAndTheThumbnailIsSmall)
{
    auto big = processCapture(jpegWithRedCorner(4032, 3024));
    ASSERT_TRUE(big.ok());
    EXPECT_EQ(big.value().width, 2016);
    EXPECT_EQ(big.value().height, 1512);
    EXPECT_EQ(big.value().thumbnailWidth, 504);
    EXPECT_EQ(big.value().thumbnailHeight, 378);
    EXPECT_LT(big.value().thumbnail.size(), 48u * 1024) << "fits a photo row (64 KiB of base64)";
    EXPECT_LT(big.value().thumbnail.size() * 10, big.value().jpeg.size() * 2);

    auto small = processCapture(jpegWithRedCorner(800, 600));  // under the cap: kept at its size
    ASSERT_TRUE(small.ok());
    EXPECT_EQ(small.value().width, 800);
    EXPECT_EQ(small.value().height, 600);
    EXPECT_EQ(small.value().thumbnailWidth, 400);  // 1/2: the smallest scale still 320 or more

    CaptureOptions tight;
    tight.maxLongSide = 1100;
    auto capped = processCapture(jpegWithRedCorner(4032, 3024), tight);
    ASSERT_TRUE(capped.ok());
    EXPECT_EQ(capped.value().width, 1008);  // 1/4 of 4032; 3/8 would be 1512, over 1100
}

TEST(PhotoCapture, AnythingButAJpegIsRefusedBeforeDecoding)
{
    const std::string png = "\x89PNG\r\n\x1a\n" + std::string(100, '\0');
    for (const std::string& bad : {png, std::string("GIF89a"), std::string(), std::string("\xFF\xD8"),
                                   std::string("<svg xmlns='http://www.w3.org/2000/svg'/>")}) {
        auto r = processCapture(bad);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
        EXPECT_THAT(r.error().message, HasSubstr("not a JPEG image"));
    }
    // Begins as a JPEG, then nothing a decoder can read.
    auto broken = processCapture(std::string("\xFF\xD8\xFF\xE0") + std::string(64, 'x'));
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(broken.error().message, HasSubstr("cannot be read as a JPEG image"));
}

} // namespace
} // namespace fieldsync::media
