// A visit (拜访): check in with the device's position (shown with its
// accuracy; a warning when the domain flags it far from the customer;
// without a position the check-in goes on and is marked), then notes,
// outcome, satisfaction, order amount and the next follow-up, and check
// out. Every rule is the domain's (VisitController); this page only asks.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    property alias controller: visit
    signal closeRequested()

    property bool waitingForFix: false
    // The visit the form's fields were typed for: another visit starts with
    // an empty form, never with what was typed for this one (a draft stays
    // with its own visit while the page is reopened on it).
    property string formVisitId: ""

    Connections {
        target: visit
        function onChanged() {
            if (visit.visitId === page.formVisitId) return
            page.formVisitId = visit.visitId
            notes.text = ""
            outcome.text = ""
            satisfaction.currentIndex = 0
            amount.text = ""
            followUp.currentIndex = 0
        }
    }

    VisitController {
        id: visit
        session: page.session
    }
    LocationSource {
        id: location
        onFixChanged: {
            if (!page.waitingForFix) return
            page.waitingForFix = false
            visit.checkIn(location.located, location.latitude, location.longitude, location.accuracy)
        }
    }

    header: ToolBar {
        Material.foreground: Theme.onBar
        background: Rectangle {
            implicitHeight: 48
            color: Material.color(Material.Indigo)
        }
        RowLayout {
            anchors.fill: parent
            ToolButton {
                objectName: "visitCloseButton"
                text: qsTr("‹ Back")
                onClicked: page.closeRequested()
            }
            Label {
                Layout.fillWidth: true
                text: visit.customerName.length > 0 ? qsTr("Visit · %1").arg(visit.customerName) : qsTr("Visit")
                elide: Text.ElideRight
                font.bold: true
            }
            Label {
                objectName: "visitStatus"
                rightPadding: 12
                text: visit.statusLabel
            }
        }
    }

    Flickable {
        anchors.fill: parent
        clip: true
        contentHeight: column.implicitHeight + 32
        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column
            x: 16
            y: 16
            width: parent.width - 32
            spacing: 8

            Label {
                objectName: "visitError"
                Layout.fillWidth: true
                visible: visit.errorText.length > 0
                text: visit.errorText
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
            }

            // Before check-in: the plan, then the check-in.
            VisitPlanCard {
                Layout.fillWidth: true
                visit: page.controller
                onRescheduleRequested: rescheduleDialog.open()
                onCancelRequested: cancelPlanDialog.open()
            }
            Button {
                objectName: "checkInButton"
                visible: visit.found && !visit.checkedIn && !visit.cancelled
                enabled: !location.busy && !page.waitingForFix
                highlighted: true
                flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                text: location.busy ? qsTr("Locating…") : qsTr("Check in")
                onClicked: {
                    page.waitingForFix = true
                    location.requestFix(15000)
                }
            }
            Label {
                visible: visit.found && !visit.checkedIn && !visit.cancelled && !location.available
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("No location on this device: the check-in is saved without a position and marked.")
                color: Material.color(Material.Grey, Material.Shade700)
            }

            // Checked in.
            Label {
                objectName: "checkinInfo"
                visible: visit.checkedIn
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: visit.noLocation
                      ? qsTr("Checked in at %1 without a location").arg(Qt.formatDateTime(visit.checkinAt, "HH:mm"))
                      : qsTr("Checked in at %1 · %2, %3 (±%4 m)").arg(Qt.formatDateTime(visit.checkinAt, "HH:mm"))
                            .arg(visit.latitude.toFixed(5)).arg(visit.longitude.toFixed(5))
                            .arg(visit.accuracy >= 0 ? Math.round(visit.accuracy) : "?")
            }
            Label {
                objectName: "farWarning"
                visible: visit.checkedIn && visit.far
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                padding: 8
                text: qsTr("%1 m from the customer's recorded location (the team's radius is %2 m). The visit is flagged for your manager.")
                      .arg(Math.round(visit.distance)).arg(Math.round(visit.radius))
                background: Rectangle { color: Theme.warningPanel; radius: 4 }
            }
            Label {
                objectName: "noLocationWarning"
                visible: visit.checkedIn && visit.noLocation
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                padding: 8
                text: qsTr("No location: the visit is marked for your manager.")
                background: Rectangle { color: Theme.neutralPanel; radius: 4 }
            }
            // What the server (or, until it has, this device) makes of the
            // check-in: the rep sees the verdict of her own visits and why.
            Label {
                objectName: "verdictLabel"
                visible: visit.checkedIn && visit.verdictLabel.length > 0
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                padding: 8
                text: visit.verdictLabel
                color: visit.verdict === "suspicious" ? Material.color(Material.Red, Material.Shade900)
                                                      : Material.foreground
                background: Rectangle {
                    radius: 4
                    color: visit.verdict === "verified" ? Theme.okPanel : visit.verdict === "suspicious" ? Theme.dangerPanel : Theme.neutralPanel
                }
            }

            // The record, between check-in and check-out.
            ColumnLayout {
                visible: visit.checkedIn && !visit.completed
                Layout.fillWidth: true
                spacing: 8
                TextArea {
                    id: notes
                    objectName: "visitNotes"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Notes")
                    wrapMode: TextEdit.Wrap
                }
                TextField {
                    id: outcome
                    objectName: "visitOutcome"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Outcome")
                }
                RowLayout {
                    Label { text: qsTr("Satisfaction") }
                    ComboBox {
                        id: satisfaction
                        Accessible.name: qsTr("Satisfaction")
                        objectName: "visitSatisfaction"
                        textRole: "text"
                        valueRole: "value"
                        model: [
                            { value: 0, text: "—" },
                            { value: 1, text: "★" },
                            { value: 2, text: "★★" },
                            { value: 3, text: "★★★" },
                            { value: 4, text: "★★★★" },
                            { value: 5, text: "★★★★★" }
                        ]
                    }
                }
                TextField {
                    id: amount
                    objectName: "visitOrderAmount"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Order amount (¥)")
                    inputMethodHints: Qt.ImhFormattedNumbersOnly
                }
                RowLayout {
                    Label { text: qsTr("Next follow-up") }
                    ComboBox {
                        id: followUp
                        Accessible.name: qsTr("Next follow-up")
                        objectName: "visitFollowUp"
                        textRole: "text"
                        valueRole: "value"
                        model: [
                            { value: 0, text: qsTr("None") },
                            { value: 1, text: qsTr("Tomorrow") },
                            { value: 3, text: qsTr("In 3 days") },
                            { value: 7, text: qsTr("In a week") },
                            { value: 14, text: qsTr("In two weeks") },
                            { value: 30, text: qsTr("In a month") }
                        ]
                    }
                }
                Button {
                    objectName: "checkOutButton"
                    highlighted: true
                    flat: true  // no elevation layer: the software renderer (offscreen) cannot draw it
                    text: qsTr("Check out")
                    onClicked: visit.checkOut(notes.text, outcome.text, satisfaction.currentValue, amount.text,
                                              followUp.currentValue)
                }
            }

            Label {
                objectName: "visitCompleted"
                visible: visit.completed
                text: qsTr("Visit completed. It syncs with the next connection.")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Button {
                visible: visit.completed
                text: qsTr("Close")
                onClicked: page.closeRequested()
            }
        }
    }

    RescheduleDialog { id: rescheduleDialog; visit: page.controller }
    CancelPlanDialog { id: cancelPlanDialog; visit: page.controller }
}
