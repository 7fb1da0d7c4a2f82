// The Team page's visit feed: the team's visits, newest first, filtered by
// rep, period, flagged only and the check-in's verdict; a row opens its customer.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

ColumnLayout {
    id: view

    required property FeedModel feed
    required property TeamStats stats
    signal customerRequested(string customerId)

    spacing: 0
    Flow {
        Layout.fillWidth: true
        Layout.margins: 8
        spacing: 8
        ComboBox {
            objectName: "feedRepFilter"
            Accessible.name: qsTr("Rep")
            implicitContentWidthPolicy: ComboBox.WidestText
            model: [qsTr("All reps")].concat(view.stats.reps)
            onActivated: index => view.feed.rep = index === 0 ? "" : view.stats.reps[index - 1]
        }
        ComboBox {
            Accessible.name: qsTr("Period")
            textRole: "text"
            valueRole: "value"
            implicitContentWidthPolicy: ComboBox.WidestText
            model: [
                { value: 0, text: qsTr("All time") },
                { value: 1, text: qsTr("Today") },
                { value: 7, text: qsTr("Last 7 days") },
                { value: 30, text: qsTr("Last 30 days") }
            ]
            onActivated: view.feed.days = currentValue
        }
        CheckBox {
            text: qsTr("Flagged only")
            onToggled: view.feed.flaggedOnly = checked
        }
        ComboBox {
            objectName: "feedVerdictFilter"
            Accessible.name: qsTr("Check-in verdict")
            textRole: "text"
            valueRole: "value"
            implicitContentWidthPolicy: ComboBox.WidestText
            model: [
                { value: "", text: qsTr("Every check-in") },
                { value: "verified", text: qsTr("Verified") },
                { value: "unverified", text: qsTr("Unverified") },
                { value: "suspicious", text: qsTr("Suspicious") }
            ]
            onActivated: view.feed.verdict = currentValue
        }
    }
    ListView {
        id: feedList
        objectName: "teamFeed"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: view.feed
        ScrollBar.vertical: ScrollBar {}
        delegate: ItemDelegate {
            id: visitRow
            required property string customerId
            required property string customerName
            Accessible.name: customerName + " " + rep
            required property string rep
            required property var when
            required property string outcome
            required property string notes
            required property double orderAmount
            required property double distance
            required property bool far
            required property bool noLocation
            required property string verdict
            required property string verdictLabel
            width: ListView.view.width
            onClicked: view.customerRequested(customerId)
            contentItem: ColumnLayout {
                spacing: 2
                RowLayout {
                    spacing: 8
                    Label { text: visitRow.customerName; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                    Badge {
                        visible: visitRow.far
                        text: qsTr("Far (%1 m)").arg(Math.round(visitRow.distance))
                        tone: Theme.warning
                    }
                    Badge {
                        visible: visitRow.noLocation
                        text: qsTr("No location")
                        tone: Theme.neutral
                    }
                    Badge {
                        visible: visitRow.verdict === "suspicious"
                        text: qsTr("Suspicious")
                        tone: Theme.danger
                    }
                }
                Label {
                    objectName: "feedVerdict"
                    visible: visitRow.verdict.length > 0 && visitRow.verdict !== "verified"
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    font.pixelSize: Theme.fontSmall
                    color: visitRow.verdict === "suspicious" ? Material.color(Material.Red, Material.Shade900)
                                                              : Material.color(Material.Grey, Material.Shade700)
                    text: visitRow.verdictLabel
                }
                Label {
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    color: Material.color(Material.Grey, Material.Shade700)
                    text: [Qt.formatDateTime(visitRow.when, "MM-dd HH:mm"), visitRow.rep, visitRow.outcome,
                           visitRow.orderAmount >= 0 ? qsTr("Order ¥%1").arg(Number(visitRow.orderAmount).toLocaleString(Qt.locale(), "f", 2)) : ""]
                          .filter(s => s.length > 0).join(" · ")
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: feedList.count === 0
            text: qsTr("No visits")
            color: Material.color(Material.Grey)
        }
    }
}
