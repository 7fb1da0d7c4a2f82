// Complaints (投诉): open ones (or all), oldest first, each with the stages it
// can move to; "answered" takes the resolution typed on the row (the domain
// refuses it without one and the page says so); "followed up" takes the
// customer's satisfaction after (1–5, or not asked), shown on the row once
// recorded. A closed (followed-up)
// complaint, shown with "Open only" off, can be reopened: it starts again at
// "received". New complaints are recorded from the customer's page.
// Complaints are not voided from the app: the domain has no rule for it
// (docs/app.md).
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    signal customerRequested(string customerId)

    title: qsTr("Complaints")

    ComplaintsModel {
        id: complaints
        session: page.session
        openOnly: openOnlyBox.checked
    }

    header: Pane {
        padding: 8
        RowLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            CheckBox {
                id: openOnlyBox
                objectName: "openComplaintsOnly"
                text: qsTr("Open only")
                checked: true
            }
            Label {
                Layout.fillWidth: true
                text: complaints.errorText
                color: Material.color(Material.Red)
                wrapMode: Text.Wrap
            }
        }
    }

    ListView {
        id: list
        objectName: "complaintList"
        anchors.fill: parent
        clip: true
        model: complaints
        ScrollBar.vertical: ScrollBar {}
        delegate: ItemDelegate {
            id: row
            required property int index
            required property string customerId
            required property string customerName
            Accessible.name: customerName + " " + description
            required property string description
            required property string severity
            required property string severityLabel
            required property string channelLabel
            required property string stageLabel
            required property var nextStages
            required property var receivedAt
            required property string resolution
            required property bool open
            required property int satisfactionAfter
            width: ListView.view.width
            onClicked: page.customerRequested(row.customerId)
            contentItem: ColumnLayout {
                spacing: 4
                RowLayout {
                    spacing: 8
                    Label { text: row.customerName; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                    Badge {
                        visible: row.severity.length > 0
                        text: row.severityLabel
                        tone: row.severity === "high" ? Theme.danger : row.severity === "medium" ? Theme.warning : Theme.neutral
                    }
                    Label { text: row.stageLabel; color: Material.color(Material.Indigo) }
                }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: row.description
                }
                Label {
                    text: [row.receivedAt && !isNaN(row.receivedAt) ? Qt.formatDate(row.receivedAt, "yyyy-MM-dd") : "",
                           row.channelLabel, row.resolution,
                           row.satisfactionAfter > 0 ? qsTr("Satisfaction after: %1/5").arg(row.satisfactionAfter) : ""]
                          .filter(s => s.length > 0).join(" · ")
                    color: Material.color(Material.Grey, Material.Shade700)
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                }
                TextField {
                    id: resolutionField
                    objectName: "complaintResolution"
                    Layout.fillWidth: true
                    visible: row.nextStages.indexOf("answered") >= 0 && row.resolution.length === 0
                    placeholderText: qsTr("Resolution (needed to answer)")
                }
                RowLayout {
                    visible: row.nextStages.indexOf("followed_up") >= 0
                    Label { text: qsTr("Satisfaction after") }
                    ComboBox {
                        id: satisfactionBox
                        Accessible.name: qsTr("Satisfaction after")
                        objectName: "complaintSatisfaction"
                        implicitContentWidthPolicy: ComboBox.WidestText
                        // Index = the score; 0: not asked.
                        model: [qsTr("Not asked"), "1", "2", "3", "4", "5"]
                    }
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 4
                    Button {
                        visible: !row.open
                        flat: true
                        text: qsTr("Reopen")
                        onClicked: complaints.reopen(row.index)
                    }
                    Repeater {
                        model: row.nextStages
                        Button {
                            required property string modelData
                            objectName: "moveComplaint_" + modelData
                            flat: true
                            text: qsTr("→ %1").arg(complaints.stageLabel(modelData))
                            onClicked: complaints.moveTo(row.index, modelData, resolutionField.text,
                                                         modelData === "followed_up" ? satisfactionBox.currentIndex : 0)
                        }
                    }
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            text: qsTr("No open complaints")
            color: Material.color(Material.Grey)
        }
    }
}
