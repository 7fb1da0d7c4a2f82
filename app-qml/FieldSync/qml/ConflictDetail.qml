// Both values of one conflict, and the three ways to settle it.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: detail

    required property ConflictsModel model
    // {row, entity, rowId, field, entityLabel, fieldLabel, rowName, currentValue,
    //  otherValue, provisional}; null: nothing selected
    property var entry: null
    property bool showBack: false
    signal done()

    header: ToolBar {
        Material.foreground: Theme.onBar
        background: Rectangle {
            implicitHeight: 48
            color: Material.color(Material.Indigo)
        }
        visible: detail.showBack
        ToolButton {
            objectName: "conflictBackButton"
            text: qsTr("‹ Back")
            onClicked: detail.done()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12
        visible: detail.entry !== null

        // What the record is, by its name; then which of its fields.
        Label {
            objectName: "conflictRowName"
            text: detail.entry ? (detail.entry.rowName || detail.entry.entityLabel) : ""
            font.pixelSize: Theme.fontTitle
            font.bold: true
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Label {
            objectName: "conflictWhat"
            text: detail.entry ? qsTr("%1 · %2").arg(detail.entry.entityLabel).arg(detail.entry.fieldLabel) : ""
            color: Theme.muted
        }
        GridLayout {
            columns: 2
            columnSpacing: 16
            Layout.fillWidth: true
            Label { text: qsTr("Kept value"); font.bold: true }
            Label { text: qsTr("Other value"); font.bold: true }
            Label {
                objectName: "currentValueLabel"
                text: detail.entry ? detail.entry.currentValue : ""
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
                Layout.preferredWidth: 1
            }
            Label {
                objectName: "otherValueLabel"
                text: detail.entry ? detail.entry.otherValue : ""
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
                Layout.preferredWidth: 1
            }
            Button {
                objectName: "keepButton"
                text: qsTr("Keep this")
                enabled: detail.entry !== null && !detail.entry.provisional
                onClicked: if (detail.model.keepCurrent(detail.entry.row)) detail.done()
            }
            Button {
                objectName: "takeButton"
                text: qsTr("Use this")
                enabled: detail.entry !== null && !detail.entry.provisional
                onClicked: if (detail.model.takeOther(detail.entry.row)) detail.done()
            }
        }
        Label { text: qsTr("Or write another value:") }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: edited
                objectName: "editField"
                Layout.fillWidth: true
                text: detail.entry ? detail.entry.currentValue : ""
            }
            Button {
                objectName: "saveEditButton"
                text: qsTr("Save")
                enabled: detail.entry !== null && !detail.entry.provisional
                onClicked: if (detail.model.saveEdited(detail.entry.row, edited.text)) detail.done()
            }
        }
        Label {
            objectName: "conflictError"
            visible: text.length > 0
            text: detail.model.errorText
            color: Material.color(Material.Red)
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Label {
            visible: detail.entry !== null && detail.entry.provisional
            text: qsTr("Seen on this device only: the server logs it on the next sync, then it can be resolved.")
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Item { Layout.fillHeight: true }
    }

    Label {
        anchors.centerIn: parent
        visible: detail.entry === null
        text: qsTr("Select a conflict")
        color: Material.color(Material.Grey)
    }
}
