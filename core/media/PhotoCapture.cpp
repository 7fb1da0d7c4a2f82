#include "media/PhotoCapture.h"

#include <libexif/exif-data.h>
#include <turbojpeg.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace fieldsync::media {
namespace {

struct TjFree {
    void operator()(void* handle) const { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<void, TjFree>;

bool looksLikeJpeg(std::string_view bytes)
{
    return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF
        && static_cast<unsigned char>(bytes[1]) == 0xD8 && static_cast<unsigned char>(bytes[2]) == 0xFF;
}

// The largest scaling factor whose long side is at most `cap` (fits), or the
// smallest whose long side is at least `cap` (!fits); the nearest available
// when none qualifies.
tjscalingfactor pickFactor(int width, int height, int cap, bool fits)
{
    int count = 0;
    const tjscalingfactor* all = tjGetScalingFactors(&count);
    std::vector<tjscalingfactor> factors;
    for (int i = 0; i < count; ++i)
        if (all[i].num <= all[i].denom) factors.push_back(all[i]);  // never enlarge
    auto longSide = [&](const tjscalingfactor& f) { return std::max(TJSCALED(width, f), TJSCALED(height, f)); };
    std::sort(factors.begin(), factors.end(), [&](const auto& a, const auto& b) { return longSide(a) < longSide(b); });
    if (fits) {
        tjscalingfactor best = factors.front();
        for (const auto& f : factors)
            if (longSide(f) <= cap) best = f;
        return best;
    }
    for (const auto& f : factors)
        if (longSide(f) >= cap) return f;
    return factors.back();
}

// Pixels (RGB, 3 bytes each) turned as EXIF orientation `o` says
// (1 as stored; 2 mirrored; 3 turned 180°; 4 flipped; 5 transposed; 6 turned
// 90° clockwise; 7 transversed; 8 turned 90° anticlockwise).
std::vector<unsigned char> oriented(const std::vector<unsigned char>& src, int w, int h, int o, int& outW, int& outH)
{
    const bool swaps = o >= 5 && o <= 8;
    outW = swaps ? h : w;
    outH = swaps ? w : h;
    if (o < 2 || o > 8) return src;
    std::vector<unsigned char> dst(src.size());
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            int dx = x, dy = y;
            switch (o) {
            case 2: dx = w - 1 - x; break;
            case 3: dx = w - 1 - x; dy = h - 1 - y; break;
            case 4: dy = h - 1 - y; break;
            case 5: dx = y; dy = x; break;
            case 6: dx = h - 1 - y; dy = x; break;
            case 7: dx = h - 1 - y; dy = w - 1 - x; break;
            case 8: dx = y; dy = w - 1 - x; break;
            }
            const size_t from = (static_cast<size_t>(y) * w + x) * 3, to = (static_cast<size_t>(dy) * outW + dx) * 3;
            dst[to] = src[from];
            dst[to + 1] = src[from + 1];
            dst[to + 2] = src[from + 2];
        }
    return dst;
}

struct Encoded {
    std::string jpeg;
    int width = 0, height = 0;
};

Result<Encoded> decodeOrientEncode(std::string_view bytes, int width, int height, tjscalingfactor factor,
                                   int orientation, int quality)
{
    const int w = TJSCALED(width, factor), h = TJSCALED(height, factor);
    std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 3);
    TjHandle decoder(tjInitDecompress());
    if (!decoder
        || tjDecompress2(decoder.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<unsigned long>(bytes.size()), pixels.data(), w, 0, h, TJPF_RGB, TJFLAG_ACCURATEDCT)
            != 0) {
        // A warning (e.g. extraneous bytes after the image) still decodes.
        if (!decoder || tjGetErrorCode(decoder.get()) != TJERR_WARNING)
            return invalidArgument(std::string("the photo cannot be decoded: ") + tjGetErrorStr2(decoder.get()));
    }
    Encoded out;
    const std::vector<unsigned char> turned = oriented(pixels, w, h, orientation, out.width, out.height);
    TjHandle encoder(tjInitCompress());
    unsigned char* jpeg = nullptr;
    unsigned long size = 0;
    if (!encoder
        || tjCompress2(encoder.get(), turned.data(), out.width, 0, out.height, TJPF_RGB, &jpeg, &size, TJSAMP_420,
                       quality, TJFLAG_ACCURATEDCT)
            != 0) {
        if (jpeg) tjFree(jpeg);
        return Error{ErrorCode::Internal, std::string("cannot encode the photo: ") + tjGetErrorStr2(encoder.get())};
    }
    out.jpeg.assign(reinterpret_cast<const char*>(jpeg), size);
    tjFree(jpeg);
    return out;
}

} // namespace

int exifOrientation(std::string_view jpeg)
{
    ExifData* data = exif_data_new_from_data(reinterpret_cast<const unsigned char*>(jpeg.data()),
                                             static_cast<unsigned int>(jpeg.size()));
    if (!data) return 1;
    int orientation = 1;
    if (ExifEntry* entry = exif_data_get_entry(data, EXIF_TAG_ORIENTATION);
        entry && entry->format == EXIF_FORMAT_SHORT && entry->components == 1 && entry->data) {
        const int o = exif_get_short(entry->data, exif_data_get_byte_order(data));
        if (o >= 1 && o <= 8) orientation = o;
    }
    exif_data_unref(data);
    return orientation;
}

Result<ProcessedPhoto> processCapture(std::string_view bytes, const CaptureOptions& options)
{
    if (!looksLikeJpeg(bytes)) return invalidArgument("the file is not a JPEG image (photos are JPEG)");
    TjHandle decoder(tjInitDecompress());
    int width = 0, height = 0, subsampling = 0, colourspace = 0;
    if (!decoder
        || tjDecompressHeader3(decoder.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                               static_cast<unsigned long>(bytes.size()), &width, &height, &subsampling, &colourspace)
            != 0
        || width <= 0 || height <= 0)
        return invalidArgument("the photo cannot be read as a JPEG image");
    const int orientation = exifOrientation(bytes);

    auto photo = decodeOrientEncode(bytes, width, height, pickFactor(width, height, options.maxLongSide, true),
                                    orientation, options.quality);
    if (!photo) return photo.error();
    auto thumb = decodeOrientEncode(bytes, width, height, pickFactor(width, height, options.thumbnailLongSide, false),
                                    orientation, options.thumbnailQuality);
    if (!thumb) return thumb.error();
    ProcessedPhoto out;
    out.jpeg = std::move(photo.value().jpeg);
    out.width = photo.value().width;
    out.height = photo.value().height;
    out.thumbnail = std::move(thumb.value().jpeg);
    out.thumbnailWidth = thumb.value().width;
    out.thumbnailHeight = thumb.value().height;
    return out;
}

} // namespace fieldsync::media
