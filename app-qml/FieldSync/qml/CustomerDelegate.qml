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
    required property string phone
    required property string region
    required property string level
    required property string owner
    required property bool inPool
    required property bool overdue
    signal claimRequested(int row)

    readonly property var levelColors: ({ A: "#C62828", B: "#EF6C00", C: "#2E7D32", D: "#546E7A" })

    contentItem: RowLayout {
        spacing: 12
        Rectangle {
            Layout.preferredWidth: 32
            Layout.preferredHeight: 32
            radius: 16
            color: row.level.length > 0 ? row.levelColors[row.level] : "#BDBDBD"
            Label {
                anchors.centerIn: parent
                text: row.level.length > 0 ? row.level : "–"
                color: "white"
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
        Label {
            objectName: "overdueBadge"
            visible: row.overdue
            text: qsTr("Overdue")
            color: "white"
            font.pixelSize: 12
            padding: 4
            background: Rectangle { color: Material.color(Material.Red); radius: 4 }
        }
        Label {
            visible: row.inPool
            text: qsTr("Pool")
            font.pixelSize: 12
            padding: 4
            background: Rectangle { color: "transparent"; border.color: Material.color(Material.Teal); radius: 4 }
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
