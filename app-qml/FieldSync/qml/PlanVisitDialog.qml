// Plans a visit to the customer: when (tomorrow at 09:30 to start with),
// what kind and what for.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import FieldSync

FormDialog {
    required property VisitsModel visits
    required property CustomerDetail detail

    id: dialog
    objectName: "planDialog"
    title: qsTr("Plan a visit to %1").arg(detail.name)
    acceptText: qsTr("Plan")
    acceptName: "savePlanButton"
    errorText: visits.errorText
    readonly property var kinds: ["visit", "follow_up", "delivery", "other"]
    onAboutToShow: {
        // Tomorrow at 09:30, the usual time for a first call.
        const d = new Date()
        d.setDate(d.getDate() + 1)
        d.setHours(9, 30, 0, 0)
        planWhen.text = Qt.formatDateTime(d, "yyyy-MM-dd HH:mm")
        planPurpose.text = ""
        planKind.currentIndex = 0
    }
    onSubmitted: {
        if (visits.plan(planWhen.text, planPurpose.text, kinds[planKind.currentIndex])) close()
    }
    Label { text: qsTr("Date and time (yyyy-MM-dd HH:mm)") }
    TextField { id: planWhen; objectName: "planWhen"; Layout.fillWidth: true; inputMethodHints: Qt.ImhPreferNumbers; Accessible.name: qsTr("Date and time (yyyy-MM-dd HH:mm)") }
    Label { text: qsTr("Kind") }
    ComboBox {
        id: planKind
        Accessible.name: qsTr("Kind")
        Layout.fillWidth: true
        model: [qsTr("Visit"), qsTr("Follow-up"), qsTr("Delivery"), qsTr("Other")]
    }
    Label { text: qsTr("Purpose") }
    TextField { id: planPurpose; objectName: "planPurpose"; Layout.fillWidth: true; Accessible.name: qsTr("Purpose") }
}
