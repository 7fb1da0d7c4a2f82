// One conflict in the list: the field, both values, and its state.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ItemDelegate {
    id: row

    required property int index
    required property string conflictId
    required property string entity
    required property string rowId
    required property string field
    required property string entityLabel
    required property string fieldLabel
    required property string rowName
    Accessible.name: rowName + " " + entityLabel + " " + fieldLabel
    required property string currentValue
    required property string otherValue
    required property bool provisional
    required property bool needsResolution
    required property date detectedAt

    contentItem: ColumnLayout {
        spacing: 2
        RowLayout {
            Label {
                text: qsTr("%1 · %2 · %3").arg(row.rowName).arg(row.entityLabel).arg(row.fieldLabel)
                font.bold: true
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Label {
                text: row.provisional ? qsTr("on this device only")
                      : row.needsResolution ? qsTr("needs you") : qsTr("logged")
                color: row.needsResolution ? Material.color(Material.Orange) : Material.color(Material.Grey)
                font.pixelSize: Theme.fontSmall
            }
        }
        Label {
            text: qsTr("Kept: %1").arg(row.currentValue)
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("Other: %1").arg(row.otherValue)
            elide: Text.ElideRight
            color: Material.color(Material.Grey, Material.Shade700)
            Layout.fillWidth: true
        }
    }
}
