// A small status badge: white text on a tone from Theme (each tone keeps a
// contrast of at least 4.5:1).
import QtQuick
import QtQuick.Controls

Label {
    id: badge

    property color tone: Theme.danger

    color: Theme.onBadge
    font.pixelSize: Theme.fontSmall
    padding: 3
    background: Rectangle { color: badge.tone; radius: 3 }
    Accessible.role: Accessible.StaticText
    Accessible.name: text
}
