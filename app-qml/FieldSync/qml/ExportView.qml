// The Team page's CSV export: visits or customers, from / to dates (this
// month by default), a file (empty: the documents folder), and what was written.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Flickable {
    id: view

    required property Session session

    clip: true
    contentHeight: exportForm.implicitHeight + 24
    ColumnLayout {
        id: exportForm
        x: 12
        y: 12
        width: parent.width - 24
        spacing: 6
        Label { text: qsTr("Export to CSV (opens in Excel)"); font.bold: true }
        ComboBox {
            id: exportKind
            objectName: "exportKind"
            Accessible.name: qsTr("What to export")
            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: [{ value: "visits", text: qsTr("Visits") }, { value: "customers", text: qsTr("Customers") }]
        }
        Label { text: qsTr("From (yyyy-MM-dd)") }
        TextField { id: exportFrom; objectName: "exportFrom"; Layout.fillWidth: true; text: exporter.startOfMonth(); Accessible.name: qsTr("From (yyyy-MM-dd)") }
        Label { text: qsTr("To, included (yyyy-MM-dd)") }
        TextField { id: exportTo; objectName: "exportTo"; Layout.fillWidth: true; text: exporter.today(); Accessible.name: qsTr("To, included (yyyy-MM-dd)") }
        Label { text: qsTr("File (empty: the documents folder)") }
        TextField {
            id: exportPath
            Accessible.name: qsTr("File (empty: the documents folder)")
            objectName: "exportPath"
            Layout.fillWidth: true
            // The name alone: the documents folder's full path says little and does not fit a phone.
            placeholderText: exporter.defaultFileName(exportKind.currentValue, exportFrom.text, exportTo.text)
        }
        Button {
            objectName: "exportButton"
            text: qsTr("Export")
            highlighted: true
            flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
            onClicked: exporter.exportCsv(exportKind.currentValue, exportFrom.text, exportTo.text, exportPath.text)
        }
        Label {
            objectName: "exportResult"
            Layout.fillWidth: true
            wrapMode: Text.WrapAnywhere
            visible: text.length > 0
            text: exporter.errorText.length > 0 ? exporter.errorText
                  : exporter.writtenPath.length > 0 ? qsTr("Wrote %n row(s) to %1", "", exporter.rows).arg(exporter.writtenPath) : ""
            color: exporter.errorText.length > 0 ? Material.color(Material.Red) : Material.foreground
        }
    }

    ExportController {
        id: exporter
        objectName: "exportController"
        session: view.session
    }
}
