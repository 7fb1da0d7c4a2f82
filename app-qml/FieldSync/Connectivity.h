// Connectivity: is the network reachable, as the platform sees it
// (QNetworkInformation: NetworkManager on Linux, the OS on Android/iOS).
//
// Without a backend (a container, CI) reachability is unknown and counts as
// reachable: the sync engine's own failures are what then marks the app
// offline. The state can be forced (setForced) for tests and screenshots.
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>
#include <optional>

namespace fieldsync::app {

class Connectivity : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by the Session")
    Q_PROPERTY(bool reachable READ reachable NOTIFY reachableChanged)
    Q_PROPERTY(bool known READ known NOTIFY reachableChanged)

public:
    explicit Connectivity(QObject* parent = nullptr);

    bool reachable() const;
    // A platform backend reports reachability.
    bool known() const;
    void setForced(std::optional<bool> reachable);

signals:
    void reachableChanged();
    // The network came back after being unreachable.
    void reconnected();

private:
    void update();

    bool m_backend = false;
    bool m_platformReachable = true;
    std::optional<bool> m_forced;
    bool m_last = true;
};

} // namespace fieldsync::app
