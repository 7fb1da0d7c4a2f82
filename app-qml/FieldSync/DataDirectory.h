// DataDirectory: where the app keeps its replica on this platform
// (QStandardPaths::AppDataLocation: ~/.local/share/fieldsync on Linux, the
// app's private files on Android, Application Support on iOS/macOS).
#pragma once

#include <QString>

namespace fieldsync::app {

class DataDirectory {
public:
    // The directory, created if missing; throws std::runtime_error if it
    // cannot be created (an I/O failure the app cannot work without).
    static QString path();
    // The default replica file in it.
    static QString defaultDatabase();
};

} // namespace fieldsync::app
