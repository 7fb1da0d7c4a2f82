// Team (managers): key-account coverage this month, visits per rep this
// week, the team's visit feed (filter by rep, period, flagged only) and the
// churn-risk list. Everything is read from the local replica, offline.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import FieldSync

Page {
    id: page

    required property Session session
    signal customerRequested(string customerId)

    title: qsTr("Team")

    TeamStats {
        id: stats
        session: page.session
    }
    FeedModel {
        id: feed
        session: page.session
    }
    ChurnModel {
        id: churn
        session: page.session
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Pane {
            Layout.fillWidth: true
            padding: 12
            ColumnLayout {
                anchors.left: parent.left
                anchors.right: parent.right
                spacing: 6
                Label {
                    objectName: "coverageLabel"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font.bold: true
                    text: qsTr("Key-account coverage this month: %1 of %2 (%3%)")
                          .arg(stats.keyVisited).arg(stats.keyCustomers).arg(Math.round(stats.coverage * 100))
                }
                Label {
                    text: qsTr("Visits this week")
                    color: Material.color(Material.Grey, Material.Shade700)
                    visible: stats.visitsThisWeek.length > 0
                }
                Repeater {
                    model: stats.visitsThisWeek
                    RowLayout {
                        required property var modelData
                        Layout.fillWidth: true
                        spacing: 8
                        Label {
                            Layout.preferredWidth: 80
                            text: modelData.rep.length > 0 ? modelData.rep : "—"
                            elide: Text.ElideRight
                        }
                        Rectangle {
                            Layout.preferredHeight: 14
                            Layout.preferredWidth: Math.max(4, (page.width - 160) * modelData.visits / Math.max(1, stats.maxVisits))
                            color: Material.color(Material.Indigo)
                            radius: 2
                        }
                        Label { text: modelData.visits }
                    }
                }
            }
        }

        TabBar {
            id: views
            Layout.fillWidth: true
            TabButton { text: qsTr("Visit feed"); font.capitalization: Font.MixedCase }
            TabButton { text: qsTr("Churn risk (%1)").arg(churn.count); font.capitalization: Font.MixedCase }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: views.currentIndex

            ColumnLayout {
                spacing: 0
                Flow {
                    Layout.fillWidth: true
                    Layout.margins: 8
                    spacing: 8
                    ComboBox {
                        objectName: "feedRepFilter"
                        implicitContentWidthPolicy: ComboBox.WidestText
                        model: [qsTr("All reps")].concat(stats.reps)
                        onActivated: index => feed.rep = index === 0 ? "" : stats.reps[index - 1]
                    }
                    ComboBox {
                        textRole: "text"
                        valueRole: "value"
                        implicitContentWidthPolicy: ComboBox.WidestText
                        model: [
                            { value: 0, text: qsTr("All time") },
                            { value: 1, text: qsTr("Today") },
                            { value: 7, text: qsTr("Last 7 days") },
                            { value: 30, text: qsTr("Last 30 days") }
                        ]
                        onActivated: feed.days = currentValue
                    }
                    CheckBox {
                        text: qsTr("Flagged only")
                        onToggled: feed.flaggedOnly = checked
                    }
                }
                ListView {
                    id: feedList
                    objectName: "teamFeed"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: feed
                    ScrollBar.vertical: ScrollBar {}
                    delegate: ItemDelegate {
                        id: visitRow
                        required property string customerId
                        required property string customerName
                        required property string rep
                        required property var when
                        required property string outcome
                        required property string notes
                        required property double orderAmount
                        required property double distance
                        required property bool far
                        required property bool noLocation
                        width: ListView.view.width
                        onClicked: page.customerRequested(customerId)
                        contentItem: ColumnLayout {
                            spacing: 2
                            RowLayout {
                                spacing: 8
                                Label { text: visitRow.customerName; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                                Label {
                                    visible: visitRow.far
                                    text: qsTr("Far (%1 m)").arg(Math.round(visitRow.distance))
                                    color: "white"; font.pixelSize: 12; padding: 3
                                    background: Rectangle { color: Material.color(Material.Orange); radius: 3 }
                                }
                                Label {
                                    visible: visitRow.noLocation
                                    text: qsTr("No location")
                                    color: "white"; font.pixelSize: 12; padding: 3
                                    background: Rectangle { color: Material.color(Material.BlueGrey); radius: 3 }
                                }
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

            ListView {
                id: churnList
                objectName: "churnList"
                clip: true
                model: churn
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    id: riskRow
                    required property string customerId
                    required property string name
                    required property string level
                    required property string owner
                    required property var reasons
                    width: ListView.view.width
                    onClicked: page.customerRequested(customerId)
                    contentItem: ColumnLayout {
                        spacing: 2
                        Label {
                            text: [riskRow.name, riskRow.level, riskRow.owner].filter(s => s.length > 0).join(" · ")
                            font.bold: true
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: riskRow.reasons.join(" · ")
                            color: Material.color(Material.Red)
                            wrapMode: Text.Wrap
                            Layout.fillWidth: true
                        }
                    }
                }
                Label {
                    anchors.centerIn: parent
                    visible: churnList.count === 0
                    text: qsTr("No customers at risk")
                    color: Material.color(Material.Grey)
                }
            }
        }
    }
}
