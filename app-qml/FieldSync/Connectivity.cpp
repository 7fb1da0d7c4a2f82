#include "Connectivity.h"

#include <QNetworkInformation>

namespace fieldsync::app {

namespace {
bool isReachable(QNetworkInformation::Reachability r)
{
    // Site (intranet) and Local are kept: the sync server may be on the
    // company network. Unknown counts as reachable (see the header).
    return r != QNetworkInformation::Reachability::Disconnected;
}
} // namespace

Connectivity::Connectivity(QObject* parent) : QObject(parent)
{
    // One process-wide instance; loading it again is cheap and harmless.
    if (QNetworkInformation::loadDefaultBackend() || QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        if (auto* info = QNetworkInformation::instance()) {
            m_backend = info->supports(QNetworkInformation::Feature::Reachability);
            m_platformReachable = isReachable(info->reachability());
            connect(info, &QNetworkInformation::reachabilityChanged, this, [this](auto r) {
                m_platformReachable = isReachable(r);
                update();
            });
        }
    }
    m_last = reachable();
}

bool Connectivity::reachable() const
{
    return m_forced.value_or(m_platformReachable);
}

bool Connectivity::known() const
{
    return m_forced.has_value() || m_backend;
}

void Connectivity::setForced(std::optional<bool> reachable)
{
    m_forced = reachable;
    update();
}

void Connectivity::update()
{
    const bool now = reachable();
    if (now == m_last) return;
    m_last = now;
    emit reachableChanged();
    if (now) emit reconnected();
}

} // namespace fieldsync::app
