// ExportController: the Team page's CSV export (domain/Export.h: UTF-8 with a
// BOM for Excel, RFC 4180, written atomically, an existing file never
// overwritten) of visits or customers for a range of local dates.
//
// Where: the path the user typed, or by default a file named after the kind
// and the range in the documents folder (QStandardPaths::DocumentsLocation;
// on Android and iOS the app's own documents). There is no file dialog: the
// QtQuick.Dialogs module is not among the app's dependencies, and a path
// field prefilled with the default does the same job on every platform.
// After writing, `writtenPath` says where the file is and `rows` how many
// rows it holds.
#pragma once

#include "SessionController.h"

#include <QString>

namespace fieldsync::app {

class ExportController : public SessionController {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString writtenPath READ writtenPath NOTIFY resultChanged)
    Q_PROPERTY(int rows READ rows NOTIFY resultChanged)

public:
    explicit ExportController(QObject* parent = nullptr);

    QString writtenPath() const { return m_path; }
    int rows() const { return m_rows; }

    // kind: visits | customers; from/to: local dates "yyyy-MM-dd", both
    // included (empty: unbounded). An empty path writes defaultPath(...).
    Q_INVOKABLE bool exportCsv(const QString& kind, const QString& from, const QString& to, const QString& path);
    Q_INVOKABLE static QString defaultPath(const QString& kind, const QString& from, const QString& to);
    // Its file name alone ("fieldsync-visits-20261101-20261130.csv"), what the form shows.
    Q_INVOKABLE static QString defaultFileName(const QString& kind, const QString& from, const QString& to);
    // "yyyy-MM-dd" of today and of the first day of this month (the form's defaults).
    Q_INVOKABLE static QString today();
    Q_INVOKABLE static QString startOfMonth();

signals:
    void resultChanged();

private:
    void setResult(const QString& error, const QString& path, int rows);

    QString m_path;
    int m_rows = 0;
};

} // namespace fieldsync::app
