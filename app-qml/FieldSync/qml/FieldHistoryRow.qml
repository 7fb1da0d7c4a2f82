// One field of the customer's history: its value (struck through when a
// concurrent edit overwrote it), when it was written, by which device, and
// whether it still waits to be sent.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

ColumnLayout {
    id: historyRow
    required property string section
    required property string fieldLabel
    required property string value
    required property var when
    required property string writer
    required property bool unsynced
    required property bool resolved
    Layout.fillWidth: true
    spacing: 0
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: (historyRow.section === "overwritten" ? qsTr("Overwritten · ") : "")
              + historyRow.fieldLabel + ": " + historyRow.value
        font.strikeout: historyRow.section === "overwritten"
    }
    Label {
        Layout.fillWidth: true
        font.pixelSize: Theme.fontSmall
        color: historyRow.unsynced ? Material.color(Material.Orange) : Material.color(Material.Grey, Material.Shade700)
        text: [historyRow.when && !isNaN(historyRow.when) ? Qt.formatDateTime(historyRow.when, "yyyy-MM-dd HH:mm") : "",
               historyRow.writer, historyRow.resolved ? qsTr("resolved") : ""].filter(s => s.length > 0).join(" · ")
    }
}
