// A section title inside a page (contacts, timeline, ...), with an optional count.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

Label {
    property int count: -1

    topPadding: 16
    bottomPadding: 4
    font.bold: true
    font.pixelSize: Theme.fontSection
    color: Material.color(Material.Indigo)
    text: count >= 0 ? qsTr("%1 (%2)").arg(title).arg(count) : title
    property string title
}
