#include "ExportController.h"

#include "Session.h"
#include "Values.h"
#include "domain/Export.h"
#include "domain/LocalTime.h"

#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace fieldsync::app {

ExportController::ExportController(QObject* parent) : SessionController(Follow::SessionOnly, parent) {}

QString ExportController::today()
{
    return QDate::currentDate().toString(Qt::ISODate);
}

QString ExportController::startOfMonth()
{
    const QDate d = QDate::currentDate();
    return QDate(d.year(), d.month(), 1).toString(Qt::ISODate);
}

QString ExportController::defaultFileName(const QString& kind, const QString& from, const QString& to)
{
    QString name = QStringLiteral("fieldsync-") + kind;
    if (!from.isEmpty()) name += QLatin1Char('-') + QString(from).remove(QLatin1Char('-'));
    if (!to.isEmpty()) name += QLatin1Char('-') + QString(to).remove(QLatin1Char('-'));
    return name + QStringLiteral(".csv");
}

QString ExportController::defaultPath(const QString& kind, const QString& from, const QString& to)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(dir).filePath(defaultFileName(kind, from, to));
}

void ExportController::setResult(const QString& error, const QString& path, int rows)
{
    setError(error);
    m_path = path;
    m_rows = rows;
    emit resultChanged();
}

bool ExportController::exportCsv(const QString& kind, const QString& from, const QString& to, const QString& path)
{
    if (!session()) return false;
    if (kind != QLatin1String("visits") && kind != QLatin1String("customers")) {
        setResult(tr("Choose visits or customers"), {}, 0);
        return false;
    }
    const domain::LocalTime time = domain::LocalTime::system();
    domain::ExportRange range;
    if (!from.trimmed().isEmpty()) {
        auto start = time.parseDate(from.trimmed().toStdString());
        if (!start) {
            setResult(tr("Enter dates as 2026-11-01"), {}, 0);
            return false;
        }
        range.from = *start;
    }
    if (!to.trimmed().isEmpty()) {
        auto end = time.parseDate(to.trimmed().toStdString());
        if (!end) {
            setResult(tr("Enter dates as 2026-11-01"), {}, 0);
            return false;
        }
        range.to = time.addDays(*end, 1);  // the last day is included
    }
    if (range.from && range.to && *range.to <= *range.from) {
        setResult(tr("The range ends before it starts"), {}, 0);
        return false;
    }
    QString target = path.trimmed();
    if (target.isEmpty()) target = defaultPath(kind, from.trimmed(), to.trimmed());
    QDir().mkpath(QFileInfo(target).absolutePath());
    const QString absolute = QFileInfo(target).absoluteFilePath();
    // The domain refuses too (atomically); this says it in the app's words.
    if (QFileInfo::exists(absolute)) {
        setResult(tr("%1 already exists: choose another file").arg(absolute), {}, 0);
        return false;
    }
    const std::string file = absolute.toStdString();
    auto written = kind == QLatin1String("visits")
                       ? domain::exportVisits(session()->replica(), time, range, file, false)
                       : domain::exportCustomers(session()->replica(), time, range, file, false);
    if (!written) {
        setResult(describeError(written.error()), {}, 0);
        return false;
    }
    setResult({}, QString::fromStdString(file), static_cast<int>(written->rows));
    return true;
}

} // namespace fieldsync::app
