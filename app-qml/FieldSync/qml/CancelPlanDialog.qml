// Calls a planned visit off, with an optional reason for the manager.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    id: dialog

    required property VisitController visit

    objectName: "cancelPlanDialog"
    title: qsTr("Cancel the visit to %1?").arg(visit.customerName)
    acceptText: qsTr("Cancel visit")
    acceptName: "confirmCancelPlanButton"
    errorText: visit.errorText
    onAboutToShow: reason.text = ""
    onSubmitted: if (visit.cancelPlan(reason.text)) close()

    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: qsTr("The plan stays in the customer's history, marked cancelled. A visit already checked in cannot be cancelled.")
    }
    Label { text: qsTr("Reason (optional)") }
    TextField {
        id: reason
        Accessible.name: qsTr("Reason (optional)")
        objectName: "cancelPlanReason"
        Layout.fillWidth: true
    }
}
