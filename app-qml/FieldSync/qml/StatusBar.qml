// Always visible once signed in: online/offline, pending and rejected
// changes (tap: what was refused and why), time of the last complete sync.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

ToolBar {
    id: bar

    required property SyncMonitor sync
    signal rejectedClicked()

    Material.foreground: Theme.onBar
    background: Rectangle {
        implicitHeight: 48
        color: bar.sync.online ? Material.color(Material.Indigo) : Material.color(Material.BlueGrey)
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 8
        spacing: 12

        Rectangle {
            width: 10
            height: 10
            radius: 5
            color: bar.sync.syncing ? Theme.syncingDot : bar.sync.online ? Theme.onlineDot : Theme.offlineDot
        }
        Label {
            objectName: "connectionLabel"
            text: bar.sync.syncing ? qsTr("Syncing…") : bar.sync.online ? qsTr("Online") : qsTr("Offline")
            font.bold: true
        }
        Label {
            objectName: "pendingLabel"
            // Gives way first on a phone (the last sync time stays whole):
            // smaller there, on two lines before it is cut.
            Layout.fillWidth: true
            Layout.maximumWidth: implicitWidth
            font.pixelSize: bar.width < 480 ? Theme.fontSmall : Theme.fontBody
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
            text: bar.sync.pendingSummary
        }
        ToolButton {
            objectName: "rejectedButton"
            visible: bar.sync.rejectedCount > 0
            text: qsTr("%n rejected", "", bar.sync.rejectedCount)
            font.capitalization: Font.MixedCase
            onClicked: bar.rejectedClicked()
        }
        Item { Layout.fillWidth: true }
        Label {
            objectName: "lastSyncLabel"
            Layout.maximumWidth: bar.width / 3
            elide: Text.ElideRight
            horizontalAlignment: Text.AlignRight
            text: bar.sync.lastSync.getTime() > 0
                  ? qsTr("Synced %1").arg(bar.sync.lastSync.toLocaleTimeString(Qt.locale(), Locale.ShortFormat))
                  : qsTr("Never synced")
        }
    }
}
