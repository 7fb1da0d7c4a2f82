#include "DataDirectory.h"

#include <QDir>
#include <QStandardPaths>
#include <stdexcept>

namespace fieldsync::app {

QString DataDirectory::path()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty() || !QDir().mkpath(dir))
        throw std::runtime_error("cannot create the data directory " + dir.toStdString());
    return dir;
}

QString DataDirectory::defaultDatabase()
{
    return QDir(path()).filePath(QStringLiteral("fieldsync.db"));
}

} // namespace fieldsync::app
