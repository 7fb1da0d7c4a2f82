// What a photo becomes before it is kept, hashed and sent (docs/photos.md):
// one pipeline for the app and the CLI, on every platform.
//
// From the camera's or a file's JPEG bytes:
//   1. refuse anything that does not begin as a JPEG (FF D8 FF), before any
//      decoding;
//   2. read the EXIF orientation (1..8; 1 when absent or unreadable) and
//      apply it to the pixels, so the picture stands as it was taken;
//   3. cap the long side: decode at the largest of the decoder's scaling
//      factors (1/8 .. 1) that brings the long side to `maxLongSide` or
//      under (a 4032 px photo becomes 2016 px under 2048);
//   4. encode at a fixed quality, 4:2:0, with no EXIF or other metadata
//      block: the place, the device and the owner's name are gone by
//      construction (the visit holds the place);
//   5. the thumbnail likewise, at the smallest factor that keeps its long
//      side at `thumbnailLongSide` or over (a 4032 px photo gives 504 px).
// The photo's SHA-256 is taken of the bytes this produces, on the device
// that produced them: what is hashed is what is kept and sent.
#pragma once

#include "base/Result.h"

#include <string>
#include <string_view>

namespace fieldsync::media {

struct CaptureOptions {
    int maxLongSide = 2048;
    int quality = 85;
    int thumbnailLongSide = 320;
    int thumbnailQuality = 70;
};

struct ProcessedPhoto {
    std::string jpeg;  // the photo to keep and upload
    int width = 0, height = 0;
    std::string thumbnail;  // a small JPEG for lists, carried in the row
    int thumbnailWidth = 0, thumbnailHeight = 0;
};

// Steps 1 to 5 above. InvalidArgument for bytes that are not a JPEG image,
// or one the decoder cannot read (nothing is produced).
Result<ProcessedPhoto> processCapture(std::string_view bytes, const CaptureOptions& options = {});

// The EXIF orientation of JPEG bytes: 1..8, 1 when there is none.
int exifOrientation(std::string_view jpeg);

} // namespace fieldsync::media
