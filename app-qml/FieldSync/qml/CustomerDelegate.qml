// One customer in the list: name, level and overdue badges, region and
// phone; customers in the public pool (公海) can be claimed from here.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ItemDelegate {
    id: row

    required property int index
    required property string customerId
    required property string name
    Accessible.name: name
    required property string phone
    required property string region
    required property string level
    required property string owner
    required property bool inPool
    required property bool overdue
    signal claimRequested(int row)


    contentItem: RowLayout {
        spacing: 12
        Rectangle {
            Layout.preferredWidth: 32
            Layout.preferredHeight: 32
            radius: 16
            color: Theme.levelColor(row.level)
            Label {
                anchors.centerIn: parent
                text: row.level.length > 0 ? row.level : "–"
                color: Theme.onBadge
                font.bold: true
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                text: row.name
                font.bold: true
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: [row.region, row.phone].filter(s => s.length > 0).join(" · ")
                color: Material.color(Material.Grey, Material.Shade700)
                elide: Text.ElideRight
                Layout.fillWidth: true
                visible: text.length > 0
            }
        }
        Badge {
            objectName: "overdueBadge"
            visible: row.overdue
            text: qsTr("Overdue")
            tone: Theme.danger
        }
        Label {
            visible: row.inPool
            text: qsTr("Pool")
            font.pixelSize: Theme.fontSmall
            padding: 4
            background: Rectangle { color: Qt.rgba(0, 0, 0, 0); border.color: Theme.accent; radius: 4 }
        }
        Button {
            objectName: "claimButton"
            visible: row.inPool
            text: qsTr("Claim")
            flat: true
            onClicked: row.claimRequested(row.index)
        }
    }
}
