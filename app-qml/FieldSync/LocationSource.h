// LocationSource: one position fix for a check-in (Qt Positioning: GPS and
// network location on phones, GeoClue on Linux desktops).
//
// When the platform has no position source, or the fix fails or times out,
// check-in goes on without a location: the result says so (located == false,
// with the reason), and the Visit page stores the visit without
// checkin_lat/lng and shows it as "no location".
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QGeoPositionInfoSource;

namespace fieldsync::app {

class LocationSource : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool available READ available CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(bool located READ located NOTIFY fixChanged)
    Q_PROPERTY(double latitude READ latitude NOTIFY fixChanged)
    Q_PROPERTY(double longitude READ longitude NOTIFY fixChanged)
    Q_PROPERTY(double accuracy READ accuracy NOTIFY fixChanged)  // metres; < 0: unknown
    Q_PROPERTY(QString unavailableReason READ unavailableReason NOTIFY fixChanged)

public:
    explicit LocationSource(QObject* parent = nullptr);
    // With an explicit source (tests); null = no source on this platform.
    LocationSource(QGeoPositionInfoSource* source, QObject* parent);

    bool available() const { return m_source != nullptr; }
    bool busy() const { return m_busy; }
    bool located() const { return m_located; }
    double latitude() const { return m_lat; }
    double longitude() const { return m_lng; }
    double accuracy() const { return m_accuracy; }
    QString unavailableReason() const { return m_reason; }

    // Asks for one fix within `timeoutMs`; fixChanged follows either way.
    Q_INVOKABLE void requestFix(int timeoutMs = 15000);

signals:
    void busyChanged();
    void fixChanged();

private:
    void attach();
    void fail(const QString& reason);

    QGeoPositionInfoSource* m_source = nullptr;
    bool m_busy = false;
    bool m_located = false;
    double m_lat = 0, m_lng = 0, m_accuracy = -1;
    QString m_reason;
};

} // namespace fieldsync::app
