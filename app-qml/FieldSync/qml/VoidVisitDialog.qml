// Voids a visit (managers; the domain refuses a rep), with a reason.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    required property VisitsModel visits

    id: dialog
    objectName: "voidDialog"
    property int row: -1
    title: qsTr("Void this visit?")
    acceptText: qsTr("Void")
    acceptName: "confirmVoidButton"
    errorText: visits.errorText
    function ask(index) {
        row = index
        voidReason.text = ""
        open()
    }
    onSubmitted: {
        if (visits.voidVisit(row, voidReason.text)) close()
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: qsTr("A voided visit stays on the timeline, marked, and counts in no report.")
    }
    Label { text: qsTr("Reason") }
    TextField { id: voidReason; objectName: "voidReason"; Layout.fillWidth: true; Accessible.name: qsTr("Reason") }
}
