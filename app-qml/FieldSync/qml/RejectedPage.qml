// The changes the server refused for good, with its reason. They are never
// pushed again; the rows show what everybody else sees.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    signal closeRequested()

    header: ToolBar {
        Material.foreground: Theme.onBar
        background: Rectangle {
            implicitHeight: 48
            color: Material.color(Material.Indigo)
        }
        RowLayout {
            anchors.fill: parent
            Label {
                text: qsTr("Rejected changes")
                font.bold: true
                Layout.leftMargin: 16
                Layout.fillWidth: true
            }
            ToolButton {
                objectName: "closeRejectedButton"
                text: qsTr("Close")
                onClicked: page.closeRequested()
            }
        }
    }

    ListView {
        id: list
        objectName: "rejectedList"
        anchors.fill: parent
        clip: true
        model: RejectedModel { session: page.session }
        delegate: ItemDelegate {
            id: row
            required property string entityLabel
            required property string rowName
            required property string why
            Accessible.name: entityLabel + " " + rowName + ": " + why
            required property string changes
            required property date rejectedAt
            width: ListView.view.width
            contentItem: ColumnLayout {
                spacing: 2
                Label {
                    text: qsTr("%1 · %2").arg(row.entityLabel).arg(row.rowName)
                    font.bold: true
                }
                Label {
                    text: row.changes
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Label {
                    text: qsTr("Why: %1").arg(row.why)
                    color: Material.color(Material.Red)
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: qsTr("No rejected changes")
        }
    }
}
