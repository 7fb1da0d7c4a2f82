#include "LocationSource.h"

#include <QGeoPositionInfoSource>

namespace fieldsync::app {

LocationSource::LocationSource(QObject* parent)
    : LocationSource(QGeoPositionInfoSource::createDefaultSource(nullptr), parent)
{
}

LocationSource::LocationSource(QGeoPositionInfoSource* source, QObject* parent) : QObject(parent), m_source(source)
{
    if (m_source) {
        m_source->setParent(this);
        attach();
    } else {
        m_reason = tr("No location source on this device");
    }
}

void LocationSource::attach()
{
    connect(m_source, &QGeoPositionInfoSource::positionUpdated, this, [this](const QGeoPositionInfo& info) {
        m_busy = false;
        m_located = info.isValid();
        m_lat = info.coordinate().latitude();
        m_lng = info.coordinate().longitude();
        m_accuracy = info.hasAttribute(QGeoPositionInfo::HorizontalAccuracy)
            ? info.attribute(QGeoPositionInfo::HorizontalAccuracy)
            : -1;
        m_reason.clear();
        emit busyChanged();
        emit fixChanged();
    });
    connect(m_source, &QGeoPositionInfoSource::errorOccurred, this, [this](QGeoPositionInfoSource::Error e) {
        fail(e == QGeoPositionInfoSource::AccessError ? tr("Location permission denied")
             : e == QGeoPositionInfoSource::UpdateTimeoutError ? tr("No location fix in time")
                                                                : tr("Location unavailable"));
    });
}

void LocationSource::requestFix(int timeoutMs)
{
    if (!m_source) {
        fail(tr("No location source on this device"));
        return;
    }
    m_busy = true;
    emit busyChanged();
    m_source->requestUpdate(timeoutMs);
}

void LocationSource::fail(const QString& reason)
{
    m_busy = false;
    m_located = false;
    m_accuracy = -1;
    m_reason = reason;
    emit busyChanged();
    emit fixChanged();
}

} // namespace fieldsync::app
