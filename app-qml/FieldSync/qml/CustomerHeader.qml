// The top of a customer's page: the level badge, the name, and what the
// customer is to us (lifecycle, owner or the public pool, archived).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

RowLayout {
    id: header

    required property CustomerDetail detail

    spacing: 12
    Rectangle {
        Layout.preferredWidth: 40
        Layout.preferredHeight: 40
        radius: 20
        color: Theme.levelColor(header.detail.level)
        Label {
            anchors.centerIn: parent
            text: header.detail.level.length > 0 ? header.detail.level : "–"
            color: Theme.onBadge
            font.bold: true
            font.pixelSize: Theme.fontHeading
        }
    }
    ColumnLayout {
        Layout.fillWidth: true
        spacing: 0
        Label {
            objectName: "customerName"
            text: header.detail.name
            font.pixelSize: Theme.fontTitle
            font.bold: true
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: [header.detail.lifecycleLabel,
                   header.detail.owner.length > 0 ? qsTr("Owner: %1").arg(header.detail.owner) : qsTr("Public pool"),
                   header.detail.archived ? qsTr("Archived") : ""].filter(s => s.length > 0).join(" · ")
            color: Theme.muted
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
    }
}
