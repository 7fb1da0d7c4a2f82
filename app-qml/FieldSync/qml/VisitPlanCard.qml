// A planned visit, before its check-in: when, what for, the customer's phone
// and address for the way there, and the two things a plan allows — move it
// or call it off. A cancelled plan says so and offers nothing.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

ColumnLayout {
    id: card

    required property VisitController visit
    signal rescheduleRequested()
    signal cancelRequested()

    spacing: 4
    visible: visit.found && !visit.checkedIn

    Label {
        objectName: "planWhenLabel"
        Layout.fillWidth: true
        visible: !isNaN(card.visit.plannedAt)
        text: qsTr("Planned for %1 · %2").arg(Qt.formatDateTime(card.visit.plannedAt, "yyyy-MM-dd HH:mm"))
                                         .arg(card.visit.kindLabel)
        font.bold: true
        wrapMode: Text.Wrap
    }
    Label {
        objectName: "planPurposeLabel"
        Layout.fillWidth: true
        visible: card.visit.purpose.length > 0
        text: qsTr("Purpose: %1").arg(card.visit.purpose)
        wrapMode: Text.Wrap
    }
    Label {
        Layout.fillWidth: true
        visible: card.visit.customerPhone.length > 0
        text: qsTr("Phone: %1").arg(card.visit.customerPhone)
        wrapMode: Text.Wrap
    }
    Label {
        Layout.fillWidth: true
        visible: card.visit.customerAddress.length > 0
        text: qsTr("Address: %1").arg(card.visit.customerAddress)
        wrapMode: Text.Wrap
    }
    Label {
        objectName: "planCancelledLabel"
        Layout.fillWidth: true
        visible: card.visit.cancelled
        text: card.visit.cancelReason.length > 0 ? qsTr("Cancelled: %1").arg(card.visit.cancelReason)
                                                 : qsTr("Cancelled")
        color: Material.color(Material.Red)
        wrapMode: Text.Wrap
    }
    RowLayout {
        visible: !card.visit.cancelled
        Button {
            objectName: "rescheduleButton"
            text: qsTr("Reschedule")
            flat: true
            Accessible.name: text
            onClicked: card.rescheduleRequested()
        }
        Button {
            objectName: "cancelPlanButton"
            text: qsTr("Cancel visit")
            flat: true
            Accessible.name: text
            onClicked: card.cancelRequested()
        }
    }
}
