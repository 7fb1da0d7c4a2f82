// Moves a planned visit: the new date and time, prefilled with the current.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    id: dialog

    required property VisitController visit

    objectName: "rescheduleDialog"
    title: qsTr("Reschedule the visit to %1").arg(visit.customerName)
    acceptText: qsTr("Move")
    acceptName: "saveRescheduleButton"
    errorText: visit.errorText
    onAboutToShow: when.text = isNaN(visit.plannedAt) ? "" : Qt.formatDateTime(visit.plannedAt, "yyyy-MM-dd HH:mm")
    onSubmitted: if (visit.reschedule(when.text)) close()

    Label { text: qsTr("Date and time (yyyy-MM-dd HH:mm)") }
    TextField {
        id: when
        Accessible.name: qsTr("Date and time (yyyy-MM-dd HH:mm)")
        objectName: "rescheduleWhen"
        Layout.fillWidth: true
        inputMethodHints: Qt.ImhPreferNumbers
    }
}
